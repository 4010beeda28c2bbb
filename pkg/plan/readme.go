package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// Markers delimit the README section jemfix owns, so that a second run
// replaces it instead of adding another.
const (
	readmeBegin = "<!-- jemfix: jemalloc features begin -->"
	readmeEnd   = "<!-- jemfix: jemalloc features end -->"
)

// readmeSection writes or refreshes the Option 2 feature section of the
// workspace README.md, creating the file when it is missing.
func readmeSection(ws *Workspace, fsys fs.FS, p *Plan, splits []split) error {
	if len(splits) == 0 {
		return nil
	}
	old, err := fs.ReadFile(fsys, "README.md")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", ws.display("README.md"), unwrapPath(err))
	}
	eol := "\n"
	if old != nil {
		eol = lineEnding(old)
	}
	section := strings.ReplaceAll(featureSection(ws, splits), "\n", eol)
	new := replaceSection(old, readmeBegin, readmeEnd, section, eol)
	if bytes.Equal(old, new) {
		return nil
	}
	p.Changes = append(p.Changes, Change{Path: "README.md", Old: old, New: new})
	return nil
}

// replaceSection puts section, which starts with begin and ends with end,
// in place of the old one between those markers, or appends it.
func replaceSection(old []byte, begin, end, section, eol string) []byte {
	s := string(old)
	if i := strings.Index(s, begin); i >= 0 {
		if j := strings.Index(s[i:], end); j >= 0 {
			return []byte(s[:i] + section + s[i+j+len(end):])
		}
	}
	switch {
	case s == "":
	case strings.HasSuffix(s, eol+eol):
	case strings.HasSuffix(s, eol):
		s += eol
	default:
		s += eol + eol
	}
	return []byte(s + section + eol)
}

func featureSection(ws *Workspace, splits []split) string {
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
