package plan

import (
	"bytes"
	"fmt"

	"jemfix/pkg/workspace"
)

// cargo-hakari writes the dependencies of a workspace-hack package between
// two marker comments. `cargo hakari generate` rewrites that section from
// the resolved graph, and `cargo hakari generate --diff` in CI fails when
// the section differs from what it computes: an edit jemfix makes there
// makes the workspace resolve now, and hakari's next run has the last word.
const (
	hakariBegin = "### BEGIN HAKARI SECTION"
	hakariEnd   = "### END HAKARI SECTION"
)

// hakariSection returns the byte range of the section cargo-hakari
// generates in a manifest, from its first marker to the end of its last.
func hakariSection(src []byte) (start, end int, ok bool) {
	start = bytes.Index(src, []byte(hakariBegin))
	if start < 0 {
		return 0, 0, false
	}
	end = bytes.Index(src[start:], []byte(hakariEnd))
	if end < 0 {
		return start, len(src), true // an unclosed section runs to the end
	}
	return start, start + end + len(hakariEnd), true
}

// inHakari reports whether offset off of m's manifest lies in the section
// cargo-hakari generates.
func inHakari(m *workspace.Manifest, off int) bool {
	start, end, ok := hakariSection(m.Doc.Src())
	return ok && off >= start && off < end
}

// hakariNotes returns a note for each changed manifest in which an edit
// touches the section cargo-hakari generates.
func hakariNotes(ws *workspace.Workspace, changes []Change) []string {
	var out []string
	for _, c := range changes {
		if c.Old == nil || c.deferred == nil {
			continue
		}
		start, end, ok := hakariSection(c.Old)
		if !ok {
			continue
		}
		for _, e := range c.deferred.edits {
			if e.Start < end && e.End > start || e.Start == e.End && e.Start > start && e.Start < end {
				out = append(out, fmt.Sprintf("%s: jemfix edits the section that cargo-hakari generates, so that the workspace resolves now; run `cargo hakari generate` after the apply, and hakari's own output (its order and features) replaces the edit",
					ws.At(c.Path, c.Old, start)))
				break
			}
		}
	}
	return out
}
