package tomledit

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// model is everything a compacted Doc still answers.
func model(d *Doc) string {
	var b strings.Builder
	for _, dep := range d.Deps() {
		dep := *dep
		def := "unset"
		if dep.DefaultFeatures != nil {
			def = fmt.Sprint(*dep.DefaultFeatures)
		}
		dep.DefaultFeatures = nil // a pointer: its value is printed
		fmt.Fprintf(&b, "dep %+v default-features %s\n", dep, def)
	}
	for _, f := range d.Features() {
		fmt.Fprintf(&b, "feature %+v\n", *f)
	}
	for _, t := range d.Targets() {
		fmt.Fprintf(&b, "target %+v\n", t)
	}
	bs, set := d.BuildScript()
	fmt.Fprintf(&b, "build %q %v\n", bs, set)
	for _, k := range []string{"name", "edition", "version", "rust-version"} {
		fmt.Fprintf(&b, "package.%s %q, workspace.package.%s %q\n", k, d.PackageString(k), k, d.WorkspacePackageString(k))
	}
	fmt.Fprintf(&b, "name %q\n", d.PackageName())
	if ws := d.Workspace(); ws != nil {
		fmt.Fprintf(&b, "workspace %+v\n", *ws)
	}
	fmt.Fprintf(&b, "src %q\n", d.Src())
	return b.String()
}

// compactSrc writes every part of the model, and an entry of each form.
const compactSrc = `[package]
name = "app"
version = "0.1.0"
"edition" = "2021"
build = false

[workspace]
members = ["crates/*"]
exclude = ["old"]

[workspace.package]
edition = "2024"
rust-version = "1.80"

[[bin]]
name = "tool"
path = "src/tool.rs"

[dependencies]
tikv-jemallocator = { version = "0.5", optional = true, features = ["stats"] }
ctl = { package = "jemalloc-ctl", version = "0.3" } # a comment
[target.'cfg(unix)'.dev-dependencies.jemalloc-sys]
version = "0.3"

[features]
jemalloc = [
    # the allocator
    "dep:tikv-jemallocator",
    "ctl/use_std",
]
`

// Compact, and ParseCompact, keep what the document says.
func TestCompactKeepsTheModel(t *testing.T) {
	d, err := Parse("Cargo.toml", []byte(compactSrc))
	if err != nil {
		t.Fatal(err)
	}
	before := model(d)
	if !strings.Contains(before, `package.edition "2021"`) || !strings.Contains(before, `workspace.package.rust-version "1.80"`) || !strings.Contains(before, `build "" true`) {
		t.Fatalf("the model before Compact lacks the package fields:\n%s", before)
	}
	d.Compact()
	if diff := cmp.Diff(before, model(d)); diff != "" {
		t.Errorf("the model changed with Compact (-before +after):\n%s", diff)
	}
	c, err := ParseCompact("Cargo.toml", []byte(compactSrc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, model(c)); diff != "" {
		t.Errorf("ParseCompact's model differs from Parse's (-Parse +ParseCompact):\n%s", diff)
	}
	if c.syntax != nil {
		t.Errorf("ParseCompact kept the syntax: %d nodes, %d key parts and %d comments", len(c.nodes), len(c.parts), len(c.comments))
	}
}

// Every edit verb of a compacted Doc returns what it returns on a parsed
// one: the verbs that need the syntax parse it again.
func TestCompactedVerbs(t *testing.T) {
	verbs := map[string]func(d *Doc) any{
		"RenameDependency": func(d *Doc) any { return d.RenameDependency(d.Deps()[0], "x") },
		"SetVersion": func(d *Doc) any {
			e, err := d.SetVersion(d.Deps()[0], "0.6")
			return fmt.Sprint(e, err)
		},
		"SetPackage":          func(d *Doc) any { return d.SetPackage(d.Deps()[0], "tikv-jemallocator") },
		"SetPackage sub":      func(d *Doc) any { return d.SetPackage(d.Deps()[2], "tikv-jemalloc-sys") },
		"DropDependency":      func(d *Doc) any { return d.DropDependency(d.Deps()[1]) },
		"RemoveDepField":      func(d *Doc) any { return d.RemoveDepField(d.Deps()[0], "optional") },
		"AddDepFeature":       func(d *Doc) any { return d.AddDepFeature(d.Deps()[0], "profiling") },
		"AddDependency":       func(d *Doc) any { return d.AddDependency(DepTable{Kind: "normal"}, "serde", `"1"`) },
		"AddFeatures":         func(d *Doc) any { return d.AddFeatures([]FeatureEntry{{Name: "x", Refs: []string{"ctl"}}}) },
		"RenameFeatureRef":    func(d *Doc) any { return d.RenameFeatureRef(d.Features()[0].Refs[1], "ctl/stats") },
		"RenameFeature":       func(d *Doc) any { return d.RenameFeature(d.Features()[0], "alloc") },
		"RemoveArrayElements": func(d *Doc) any { return d.RemoveArrayElements(d.Features()[0], d.Features()[0].Refs[:1]) },
		"AddArrayElement":     func(d *Doc) any { return d.AddArrayElement(d.Features()[0], "ctl/stats") },
		"SetTableValue":       func(d *Doc) any { return d.SetTableValue([]string{"workspace"}, "resolver", `"2"`) },
	}
	for name, verb := range verbs {
		parsed, err := Parse("Cargo.toml", []byte(compactSrc))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(verb(parsed))
		compacted, _ := ParseCompact("Cargo.toml", []byte(compactSrc))
		if got := fmt.Sprint(verb(compacted)); got != want {
			t.Errorf("%s on a compacted Doc: %s, want %s", name, got, want)
		}
		if got := fmt.Sprint(verb(compacted)); got != want { // with the syntax parsed again
			t.Errorf("%s again on a compacted Doc: %s, want %s", name, got, want)
		}
		compacted.Compact()
		if got := fmt.Sprint(verb(compacted)); got != want {
			t.Errorf("%s after a second Compact: %s, want %s", name, got, want)
		}
	}
}

// The verbs of one compacted Doc may run on several goroutines; the
// syntax comes back once (go test -race).
func TestCompactedVerbsInParallel(t *testing.T) {
	d, err := ParseCompact("Cargo.toml", []byte(compactSrc))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint(func() any {
		p, _ := Parse("Cargo.toml", []byte(compactSrc))
		return p.SetPackage(p.Deps()[0], "tikv-jemallocator")
	}())
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i] = fmt.Sprint(d.SetPackage(d.Deps()[0], "tikv-jemallocator")) })
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("goroutine %d: %s, want %s", i, g, want)
		}
	}
}

// Prune keeps the entries it is told to, unchanged and still editable;
// Restore brings the others back.
func TestPruneAndRestore(t *testing.T) {
	full, err := Parse("Cargo.toml", []byte(compactSrc))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ParseCompact("Cargo.toml", []byte(compactSrc))
	d.Prune(func(dep *Dep) bool { return dep.Key != "ctl" })
	var kept []string
	for i, dep := range d.Deps() {
		kept = append(kept, dep.Key)
		want := full.Deps()[map[int]int{0: 0, 1: 2}[i]]
		if diff := cmp.Diff(want, dep); diff != "" {
			t.Errorf("Prune changed the entry %s (-want +got):\n%s", dep.Key, diff)
		}
	}
	if want := []string{"tikv-jemallocator", "jemalloc-sys"}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	got := fmt.Sprint(d.SetPackage(d.Deps()[1], "tikv-jemalloc-sys"), d.DropDependency(d.Deps()[0]))
	if want := fmt.Sprint(full.SetPackage(full.Deps()[2], "tikv-jemalloc-sys"), full.DropDependency(full.Deps()[0])); got != want {
		t.Errorf("the verbs on a pruned Doc: %s, want %s", got, want)
	}
	d.Prune(func(*Dep) bool { return false })
	if len(d.Deps()) != 0 {
		t.Errorf("pruning everything left %d entries", len(d.Deps()))
	}
	d.Restore()
	if diff := cmp.Diff(model(full), model(d)); diff != "" {
		t.Errorf("Restore (-parsed +restored):\n%s", diff)
	}
}

// source gives a released Doc its bytes back, counting the reads.
type source struct {
	src   []byte
	reads int
}

func (s *source) ReadAgain(at, name string) ([]byte, error) {
	s.reads++
	return slices.Clone(s.src), nil
}

// A Doc that let go of its bytes (Release) reads them again once, when a
// verb or Src needs them, and edits as before; one that holds its syntax
// keeps them; bytes that differ from those parsed are a *ChangedError.
func TestReleaseReadsAgain(t *testing.T) {
	src := []byte("[package]\nname = \"a\"\n\n[dependencies]\njemalloc-ctl = \"0.5\" # stats\n")
	d, err := ParseCompact("a/Cargo.toml", slices.Clone(src))
	if err != nil {
		t.Fatal(err)
	}
	want := d.RenameDependency(d.Deps()[0], "tikv-jemalloc-ctl")
	s := &source{src: src}
	d.Release(s, "a")
	if s.reads != 0 {
		t.Fatalf("Release read %d times", s.reads)
	}
	if got := d.RenameDependency(d.Deps()[0], "tikv-jemalloc-ctl"); !slices.Equal(got, want) || s.reads != 1 {
		t.Errorf("RenameDependency after Release = %v with %d reads, want %v with 1", got, s.reads, want)
	}
	d.Compact()
	d.Release(s, "a")
	if err := d.Load(); err != nil || !bytes.Equal(d.Src(), src) || s.reads != 2 {
		t.Errorf("Load = %v, Src %q after %d reads", err, d.Src(), s.reads)
	}
	d.withSyntax()
	d.Release(s, "a")
	if d.Src(); s.reads != 2 {
		t.Errorf("a Doc holding its syntax let go of its bytes (%d reads)", s.reads)
	}
	d.Compact()
	d.Release(s, "a")
	s.src = bytes.Replace(src, []byte("0.5"), []byte("0.6"), 1)
	var changed *ChangedError
	if err := d.Load(); !errors.As(err, &changed) || err.Error() != "a/Cargo.toml: changed since jemfix read it; nothing was written, run jemfix again" {
		t.Errorf("Load of changed bytes = %v", err)
	}
}
