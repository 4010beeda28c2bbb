package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"jemfix/pkg/docs"
	"jemfix/pkg/workspace"
)

// Markers delimit the README section jemfix owns, so that a second run
// replaces it instead of adding another.
const (
	readmeBegin = "<!-- jemfix: jemalloc features begin -->"
	readmeEnd   = "<!-- jemfix: jemalloc features end -->"
)

// readmeSection writes or refreshes the Option 2 feature section of the
// workspace README.md, creating the file when it is missing.
func readmeSection(ws *workspace.Workspace, p *Plan, splits []split) error {
	if len(splits) == 0 {
		return nil
	}
	old, err := readOptional(ws, "README.md")
	if err != nil {
		return err
	}
	eol := "\n"
	if old != nil {
		eol = docs.LineEnding(old)
	}
	section := strings.ReplaceAll(featureSection(ws, splits), "\n", eol)
	new := docs.ReplaceSection(old, readmeBegin, readmeEnd, section, eol)
	if bytes.Equal(old, new) {
		return nil
	}
	p.Changes = append(p.Changes, Change{Path: "README.md", Old: old, New: new})
	return nil
}

func featureSection(ws *workspace.Workspace, splits []split) string {
	var b strings.Builder
	b.WriteString(readmeBegin + "\n## jemalloc features\n\nBuild with one jemalloc feature at a time:\n\n")
	for _, s := range splits {
		for _, name := range s.names {
			fmt.Fprintf(&b, "    cargo build -p %s --features %s\n", s.m.Name, name)
		}
	}
	b.WriteString("\nEnabling two of them together is a compile error.\n\n")
	b.WriteString("This does not remove the `links = \"jemalloc\"` conflict: cargo resolves\n" +
		"Cargo.lock as if every feature of every member were enabled, so every cargo\n" +
		"command in this workspace still fails. `jemfix apply --option=1` removes the\n" +
		"conflict by moving every jemalloc crate to the tikv family.\n")
	b.WriteString(readmeEnd)
	return b.String()
}

// readOptional reads a root-relative file that may not exist (nil, nil).
func readOptional(ws *workspace.Workspace, name string) ([]byte, error) {
	old, err := fs.ReadFile(ws.FS, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", ws.Path(name), workspace.UnwrapPath(err))
	}
	return old, nil
}
