package tomledit

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/textedit"
)

// Fragments for generated manifests. Keys are unique across fragments, so
// any selection is a valid manifest.
var (
	genEntries = []string{
		"a = \"1\"",
		"\"b-c\" = { version = \"1\", optional = true }",
		"d.version = \"1\"\nd.optional = true",
		"# about e\ne = '2' # eol",
		"f = {\n  version = \"1\", # c\n  # own line\n  features = [\n    \"x\",\n  ],\n}",
		"  g   = \"1\"",
		"h = { workspace = true, features = [\"s\"] }",
		"'i-j' = { package = \"k\", version = \"0.5\" }",
	}
	genSubs = []string{
		"[dependencies.s]\nversion = \"1\"",
		"# above\n[dependencies.\"t-u\"]\n  version = '1'\n  features = [\"a\", \"b\"]",
		"[target.'cfg(not(target_env = \"msvc\"))'.dependencies.v]\nversion = \"0.5\"",
	}
	genTables = []string{
		"[target.'cfg(not(target_env = \"msvc\"))'.dependencies]",
		"[dev-dependencies]",
		"[workspace.dependencies]",
	}
	genFeatures = "[features]\ndefault = [\"a\"]\nx = [\n  \"dep:b-c\", # c\n  # own\n  \"d?/f\"\n]\ny = ['p', 'q',]\nz = []"
)

// genManifest builds a manifest from random fragments, with random blank
// lines, line endings, final newline and BOM.
func genManifest(r *rand.Rand) string {
	var parts []string
	pick := func(frags []string) []string {
		var out []string
		for _, f := range frags {
			if r.IntN(2) == 0 {
				out = append(out, f)
			}
		}
		return out
	}
	parts = append(parts, "[package]\nname = \"p\"")
	join := func(frags []string) string {
		var b strings.Builder
		for _, f := range frags {
			b.WriteString(strings.Repeat("\n", 1+r.IntN(2)) + f)
		}
		return b.String()
	}
	parts = append(parts, "[dependencies]"+join(pick(genEntries)))
	parts = append(parts, pick(genSubs)...)
	for _, t := range pick(genTables) {
		parts = append(parts, t+join(pick(genEntries)))
	}
	if r.IntN(2) == 0 {
		parts = append(parts, genFeatures)
	}
	r.Shuffle(len(parts)-1, func(i, j int) { parts[i+1], parts[j+1] = parts[j+1], parts[i+1] })
	src := strings.Join(parts, strings.Repeat("\n", 1+r.IntN(2)))
	if r.IntN(4) == 0 {
		src = "# ünïcödé — 日本語 ✓ (non-ASCII comment)\n" + src
	}
	if r.IntN(4) == 0 {
		src = strings.ReplaceAll(src, "\n", "\n\t")
	}
	if r.IntN(2) == 0 {
		src += "\n"
	}
	switch r.IntN(4) {
	case 0:
		src = crlf(src)
	case 1:
		src = mixedEOL(src)
	}
	if r.IntN(5) == 0 {
		src = "\xef\xbb\xbf" + src
	}
	return src
}

func TestVerbsOnGeneratedManifests(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		src := genManifest(r)
		d, err := Parse("Cargo.toml", []byte(src))
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		for _, dep := range d.Dependencies() {
			checkGen(t, d, "rename "+dep.Key, d.RenameDependency(dep, "zz-new"), renamed(dep.Key, "zz-new", genPath(dep.Table())...))
			checkGen(t, d, "drop "+dep.Key, d.DropDependency(dep), deleted(dep.Key, genPath(dep.Table())...))
			checkGen(t, d, "package "+dep.Key, d.SetPackage(dep, "zz-pkg"), func(m map[string]any) {
				tbl := at(m, genPath(dep.Table())...)
				if v, ok := tbl[dep.Key].(string); ok {
					tbl[dep.Key] = map[string]any{"version": v}
				}
				tbl[dep.Key].(map[string]any)["package"] = "zz-pkg"
			})
			fe := FieldEdit{Features: []string{"zz-f"}, Drop: []string{"optional", "default-features"}}
			checkGen(t, d, "edit fields of "+dep.Key, d.EditDependency(dep, fe), func(m map[string]any) {
				editedFields(at(m, genPath(dep.Table())...), dep.Key, fe)
			})
			checkGen(t, d, "remove optional of "+dep.Key, d.RemoveDepField(dep, "optional"), func(m map[string]any) {
				editedFields(at(m, genPath(dep.Table())...), dep.Key, FieldEdit{Drop: []string{"optional"}})
			})
		}
		for _, tbl := range []DepTable{{Kind: "normal"}, {Kind: "dev"}, {Kind: "build", Target: "cfg(unix)"}, {Kind: "normal", InWorkspace: true}} {
			checkGen(t, d, "add", d.AddDependency(tbl, "zz-add", `"1"`), added("zz-add", "1", genPath(tbl)...))
		}
		checkGen(t, d, "add feature", d.AddFeature("zz", []string{"a"}), refs("zz", "a"))
		for _, f := range d.Features() {
			vals := func(extra ...string) []any {
				var out []any
				for _, r := range f.Refs {
					out = append(out, r.Value)
				}
				for _, e := range extra {
					out = append(out, e)
				}
				return out
			}
			checkGen(t, d, "add element to "+f.Name, d.AddArrayElement(f, "zz"), refs(f.Name, vals("zz")...))
			for i, ref := range f.Refs {
				rest := slices.Delete(vals(), i, i+1)
				checkGen(t, d, "remove element from "+f.Name, d.RemoveArrayElements(f, []Ref{ref}), refs(f.Name, rest...))
			}
		}
	}
}

func genPath(t DepTable) []string { return depPath(t) }

// checkGen applies edits and checks the output parses with the meaning sem
// gives the input. Tables left empty are ignored: dropping the only entry of
// an implicit table removes the table too.
func checkGen(t *testing.T, d *Doc, what string, edits []textedit.Edit, sem func(map[string]any)) {
	t.Helper()
	out, err := textedit.Apply(d.Src(), edits)
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, d.Src())
	}
	if _, err := Parse("Cargo.toml", out); err != nil {
		t.Fatalf("%s: output does not parse: %v\n--- in:\n%s\n--- out:\n%s", what, err, d.Src(), out)
	}
	checkOnlyInside(t, d.Src(), out, edits)
	checkEOL(t, what, d.Src(), out)
	want, got := decode(t, d.Src()), decode(t, out)
	sem(want)
	if diff := cmp.Diff(pruneEmpty(want), pruneEmpty(got)); diff != "" {
		t.Fatalf("%s: decoded mismatch (-want +got):\n%s\n--- in:\n%s\n--- out:\n%s", what, diff, d.Src(), out)
	}
}

func pruneEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			if len(pruneEmpty(sub)) == 0 {
				delete(m, k)
			}
		}
	}
	return m
}

// mixedEOL ends every other line with CRLF.
func mixedEOL(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i := 0; i < len(lines); i += 2 {
		if strings.HasSuffix(lines[i], "\n") {
			lines[i] = strings.TrimSuffix(lines[i], "\n") + "\r\n"
		}
	}
	return strings.Join(lines, "")
}

// checkEOL checks that an edit brings no foreign line ending: an LF file
// gets no CR, a CRLF file no bare LF.
func checkEOL(t *testing.T, what string, in, out []byte) {
	t.Helper()
	bareLF := func(b []byte) int { return bytes.Count(b, []byte("\n")) - bytes.Count(b, []byte("\r\n")) }
	switch {
	case !bytes.Contains(in, []byte("\r")) && bytes.Contains(out, []byte("\r")):
		t.Fatalf("%s: an LF file got a CR\n%q", what, out)
	case bytes.Contains(in, []byte("\r\n")) && bareLF(in) == 0 && bareLF(out) > 0:
		t.Fatalf("%s: a CRLF file got a bare LF\n%q", what, out)
	}
}
