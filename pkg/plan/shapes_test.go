package plan_test

import (
	"bytes"
	"flag"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"

	"jemfix/pkg/family"
	"jemfix/pkg/plan"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden outputs of testdata/shapes")

// option1 runs jemfix's Option 1 on a workspace made of the one manifest src
// and returns the manifest it would write (src itself when nothing changes).
// Features are renamed with their dependencies (RenameFeatures), so that
// every edit stays inside a token the edit verbs own; keeping the old
// feature names adds lines, which TestKeptFeatures checks.
func option1(t *testing.T, src []byte) []byte {
	t.Helper()
	fsys := fstest.MapFS{"Cargo.toml": {Data: src}}
	for name, data := range memberStubs(t, src) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	ws, err := workspace.Load(fsys, "shape")
	if err != nil {
		t.Fatalf("workspace.Load: %v", err)
	}
	p, err := plan.Option1(ws, plan.Options{RenameFeatures: true})
	if err != nil {
		t.Fatalf("plan.Option1: %v", err)
	}
	if err := p.LoadAll(ws); err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Path == "Cargo.toml" {
			return c.New
		}
	}
	return src
}

// memberStubs returns a small package for each [workspace] member of src,
// keyed by its Cargo.toml path, so that the workspace loads: "*" in a glob
// becomes "member". Each stub has a "metrics" feature for cross-member
// feature references, and the first inherits every jemalloc entry of
// [workspace.dependencies]: an entry no member inherits is not in the graph,
// and Option 1 leaves it alone.
func memberStubs(t *testing.T, src []byte) map[string][]byte {
	t.Helper()
	doc, err := tomledit.Parse("Cargo.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	if doc.Workspace() == nil {
		return out
	}
	inherit := ""
	for _, d := range doc.Dependencies() {
		if _, ok := family.Lookup(d.RealName()); ok && d.InWorkspace {
			inherit += fmt.Sprintf("%q = { workspace = true }\n", d.Key)
		}
	}
	for _, pat := range doc.Workspace().Members {
		dir := strings.ReplaceAll(path.Clean(pat), "*", "member")
		if dir == "." {
			continue
		}
		stub := fmt.Sprintf("[package]\nname = %q\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nmetrics = []\n", path.Base(dir))
		if inherit != "" {
			stub += "\n[dependencies]\n" + inherit
			inherit = ""
		}
		out[path.Join(dir, "Cargo.toml")] = []byte(stub)
	}
	return out
}

// TestShapes runs Option 1 over every manifest of the shapes corpus and
// compares the result with its golden output (go test -update rewrites
// them). Each output changes bytes only inside the tokens the edit verbs may
// rewrite, parses again, names no original-lineage crate, and is a fixed
// point of a second run.
func TestShapes(t *testing.T) {
	cases, err := loadShapes()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Errorf("the shapes corpus has %d manifests, want at least 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got := option1(t, c.In)
			if *update {
				if err := c.writeGolden(got); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(c.Out, got) {
				t.Fatalf("output mismatch (-want +got):\n%s", cmp.Diff(string(c.Out), string(got)))
			}
			checkShapeOutput(t, c.In, got)
		})
	}
}

func checkShapeOutput(t *testing.T, in, out []byte) {
	t.Helper()
	if bytes.Equal(in, out) {
		t.Fatal("Option 1 changed nothing: every shape must hold a jemalloc-family dependency to move")
	}
	doc, err := tomledit.Parse("in", in)
	if err != nil {
		t.Fatal(err)
	}
	if err := onlyTokensChanged(in, out, tokenSpans(doc)); err != nil {
		t.Fatal(err)
	}
	if _, err := tomledit.Parse("out", out); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if names := originalNames(t, out); len(names) > 0 {
		t.Errorf("output still depends on %q", names)
	}
	if again := option1(t, out); !bytes.Equal(again, out) {
		t.Errorf("a second run changes the output again:\n%s", cmp.Diff(string(out), string(again)))
	}
}

// tokenSpans lists every token an Option 1 edit may rewrite: dependency
// keys, version and package strings, and feature references.
func tokenSpans(doc *tomledit.Doc) []tomledit.Span {
	var spans []tomledit.Span
	for _, d := range doc.Dependencies() {
		spans = append(spans, d.KeySpans...)
		spans = append(spans, d.VersionSpan, d.PackageSpan)
		for _, r := range d.FeatureRefs {
			spans = append(spans, r.Span)
		}
	}
	for _, f := range doc.Features() {
		for _, r := range f.Refs {
			spans = append(spans, r.Span)
		}
	}
	spans = slices.DeleteFunc(spans, func(s tomledit.Span) bool { return s == tomledit.Span{} })
	slices.SortFunc(spans, func(a, b tomledit.Span) int { return a.Start - b.Start })
	return slices.Compact(spans)
}

// originalNames decodes a manifest with go-toml, independently of
// tomledit, and returns the original-lineage crates its dependency tables
// still name, as a key without package = or as a package value.
func originalNames(t *testing.T, src []byte) []string {
	t.Helper()
	var m map[string]any
	if err := toml.Unmarshal(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), &m); err != nil {
		t.Fatalf("go-toml cannot decode the output: %v", err)
	}
	var found []string
	for _, tbl := range depTables(m) {
		for key, v := range tbl {
			name := key
			if e, ok := v.(map[string]any); ok {
				if pkg, ok := e["package"].(string); ok {
					name = pkg
				}
			}
			if original[name] {
				found = append(found, name)
			}
		}
	}
	return found
}

var original = map[string]bool{"jemallocator": true, "jemalloc-ctl": true, "jemalloc-sys": true}

var kindNames = []string{"dependencies", "dev-dependencies", "build-dependencies", "dev_dependencies", "build_dependencies"}

// depTables returns every dependency table of a decoded manifest.
func depTables(m map[string]any) []map[string]any {
	var out []map[string]any
	add := func(parent map[string]any) {
		for _, k := range kindNames {
			if tbl, ok := parent[k].(map[string]any); ok {
				out = append(out, tbl)
			}
		}
	}
	add(m)
	if ws, ok := m["workspace"].(map[string]any); ok {
		if tbl, ok := ws["dependencies"].(map[string]any); ok {
			out = append(out, tbl)
		}
	}
	if targets, ok := m["target"].(map[string]any); ok {
		for _, v := range targets {
			if tgt, ok := v.(map[string]any); ok {
				add(tgt)
			}
		}
	}
	return out
}
