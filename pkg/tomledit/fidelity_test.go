package tomledit

import (
	"strings"
	"testing"

	"jemfix/pkg/textedit"
)

// fidelityVariants rewrite a manifest's bytes without changing its meaning.
// Each is applied to both the input and the expected output of an edit, so
// the edit must keep exactly those bytes as they were.
var fidelityVariants = []struct {
	name  string
	apply func(string) string
	lines bool // safe only when the edit keeps the line count
}{
	{"LF", func(s string) string { return s }, false},
	{"CRLF", crlf, false},
	{"mixed line endings", mixedEOL, true},
	{"no final newline", func(s string) string { return strings.TrimSuffix(s, "\n") }, false},
	{"BOM", func(s string) string { return "\xef\xbb\xbf" + s }, false},
	{"tabs", func(s string) string {
		s = strings.ReplaceAll(s, "\n  ", "\n\t\t")
		return strings.ReplaceAll(s, " = ", "\t=\t")
	}, false},
	{"non-ASCII comments", func(s string) string {
		return "# Ünïcödé: 日本語, emoji 🦀\n" + strings.ReplaceAll(s, "# stats", "# statistiques élémentaires — ✓")
	}, false},
	{"CRLF BOM no final newline", func(s string) string { return "\xef\xbb\xbf" + strings.TrimSuffix(crlf(s), "\r\n") }, false},
}

const fidelityIn = `[package]
name = "p"

[dependencies]
log = "0.4"
jemalloc-ctl = { version = "0.5", optional = true } # stats
serde = "1"

[features]
stats = [
  "jemalloc-ctl/stats", # stats
  "dep:jemalloc-ctl",
]
`

const fidelityOut = `[package]
name = "p"

[dependencies]
log = "0.4"
tikv-jemalloc-ctl = { version = "0.6", optional = true } # stats
serde = "1"

[features]
stats = [
  "tikv-jemalloc-ctl/stats", # stats
  "dep:tikv-jemalloc-ctl",
]
`

// fidelityDrop is fidelityIn without log and with one more feature
// reference: edits that add and remove lines.
const fidelityDrop = `[package]
name = "p"

[dependencies]
jemalloc-ctl = { version = "0.5", optional = true } # stats
serde = "1"

[features]
stats = [
  "jemalloc-ctl/stats", # stats
  "dep:jemalloc-ctl",
  "serde/std",
]
`

func TestByteFidelity(t *testing.T) {
	tokens := func(d *Doc) ([]textedit.Edit, error) {
		edits, err := matrixEdit("jemalloc-ctl")(d)
		for _, r := range feature(d, "stats").Refs {
			edits = append(edits, d.RenameFeatureRef(r, strings.ReplaceAll(r.Value, "jemalloc-ctl", "tikv-jemalloc-ctl")))
		}
		return edits, err
	}
	lines := func(d *Doc) ([]textedit.Edit, error) {
		edits := d.DropDependency(find(d, "log"))
		return append(edits, d.AddArrayElement(feature(d, "stats"), "serde/std")...), nil
	}
	for _, v := range fidelityVariants {
		t.Run(v.name+"/tokens", func(t *testing.T) {
			checkEdit(t, editCase{src: v.apply(fidelityIn), edit: tokens, want: v.apply(fidelityOut),
				sem: func(m map[string]any) {
					matrixSem("jemalloc-ctl", []string{"dependencies"})(m)
					at(m, "features")["stats"] = []any{"tikv-jemalloc-ctl/stats", "dep:tikv-jemalloc-ctl"}
				}})
		})
		if v.lines {
			continue
		}
		t.Run(v.name+"/lines", func(t *testing.T) {
			checkEdit(t, editCase{src: v.apply(fidelityIn), edit: lines, want: v.apply(fidelityDrop),
				sem: func(m map[string]any) {
					delete(at(m, "dependencies"), "log")
					at(m, "features")["stats"] = append(at(m, "features")["stats"].([]any), "serde/std")
				}})
		})
	}
}
