package tomledit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// model is everything a compacted Doc still answers.
func model(d *Doc) string {
	var b strings.Builder
	for _, dep := range d.Deps() {
		fmt.Fprintf(&b, "dep %+v\n", *dep)
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
	fmt.Fprintf(&b, "src %q\n", d.Src)
	return b.String()
}

// Compact keeps what the document says, and its edit verbs refuse to run.
func TestCompactKeepsTheModel(t *testing.T) {
	src := `[package]
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
jemalloc = ["dep:tikv-jemallocator", "ctl/use_std"]
`
	d, err := Parse("Cargo.toml", []byte(src))
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
	dep := d.Deps()[0]
	for name, verb := range map[string]func(){
		"RenameDependency": func() { d.RenameDependency(dep, "x") },
		"SetVersion":       func() { d.SetVersion(dep, "0.6") },
		"DropDependency":   func() { d.DropDependency(dep) },
		"AddFeatures":      func() { d.AddFeatures([]FeatureEntry{{Name: "x"}}) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "compacted") {
					t.Errorf("%s on a compacted Doc: recovered %v, want a panic that says so", name, r)
				}
			}()
			verb()
		}()
	}
}
