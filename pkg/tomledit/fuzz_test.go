package tomledit

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"jemfix/pkg/textedit"
)

var fuzzSeeds = []string{
	"",
	"[package]\nname = \"app\"\n\n[dependencies]\njemallocator = \"0.5\"\n\"jemalloc-ctl\" = { version = \"0.5\", optional = true }\n\n[features]\nstats = [\"dep:jemalloc-ctl\", \"jemallocator/stats\"]\n",
	"\xef\xbb\xbf[dependencies]\r\nx.version = '0.5'\r\nx.optional = true\r\n[dependencies.y]\r\nversion = \"1\"",
	"[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = { workspace = true }\n[target.x86_64-unknown-linux-gnu.dev-dependencies.z]\npath = \"z\"\n",
	"[workspace]\nmembers = [\"a\", \"b/*\"]\n[workspace.dependencies]\nctl = { package = \"tikv-jemalloc-ctl\", version = \"0.6\", features = [\n  \"stats\", # why\n] }\n",
	"[package]\ndescription = \"\"\"\n# text\"\"\"\n[dependencies]\na = { version = '''\n# x''' }\n# c\nb = \"1\" # d\n\n[dependencies.c]\nversion = \"1\"\n",
	"dependencies.a = \"1\"\n[target.'cfg(unix)']\ndependencies = { b = \"2\", c.version = \"3\" }\n[features]\nx = [\n  \"a\",\n  # c\n  \"b?/f\"\n]\n",
}

func FuzzParse(f *testing.F) {
	addSeeds(f, func(src []byte) { f.Add(src) })
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("Cargo.toml", src)
		if cerr := Check("Cargo.toml", src); fmt.Sprint(cerr) != fmt.Sprint(err) {
			t.Fatalf("Check = %v, Parse = %v", cerr, err)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(src) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if out, err := textedit.Apply(d.Src(), nil); err != nil || !bytes.Equal(out, src) {
			t.Fatalf("zero edits changed the input: %v\n%q\n%q", err, src, out)
		}
		checkSpans(t, d)
		for _, dep := range d.Dependencies() {
			if clash(d, dep, "x-renamed") {
				continue
			}
			mustReparse(t, d, "RenameDependency", d.RenameDependency(dep, "x-renamed"))
			mustReparse(t, d, "DropDependency", d.DropDependency(dep))
			mustReparse(t, d, "SetPackage", d.SetPackage(dep, "x-pkg"))
			if e, err := d.SetVersion(dep, "9.9"); err == nil {
				mustReparse(t, d, "SetVersion", []textedit.Edit{e})
			}
		}
		for _, tbl := range []DepTable{{Kind: "normal"}, {Kind: "dev", Target: "cfg(unix)"}, {Kind: "normal", InWorkspace: true}} {
			if !clash(d, &Dep{Kind: tbl.Kind, Target: tbl.Target, InWorkspace: tbl.InWorkspace}, "x-new") {
				mustReparse(t, d, "AddDependency", d.AddDependency(tbl, "x-new", `"1"`))
			}
		}
		if feature(d, "x-new") == nil {
			mustReparse(t, d, "AddFeature", d.AddFeature("x-new", []string{"a", "b"}))
		}
		for _, f := range d.Features() {
			mustReparse(t, d, "AddArrayElement", d.AddArrayElement(f, "x-ref"))
			for _, r := range f.Refs {
				mustReparse(t, d, "RemoveArrayElements", d.RemoveArrayElements(f, []Ref{r}))
			}
		}
		// Compact and ParseCompact keep what the document says
		// (compact_test.go's model), and the verbs of a compacted Doc
		// edit as before.
		before, edits := model(d), someEdits(d)
		// The syntax parsed again for the verbs is the syntax Parse made.
		again, err := parse("Cargo.toml", src, keepSyntax)
		if err != nil || fmt.Sprint(*again.syntax) != fmt.Sprint(*d.syntax) { // nil and empty slices alike
			t.Fatalf("the syntax parsed again differs (%v):\n%v\n%v", err, *d.syntax, again.syntax)
		}
		d.Compact()
		if after := model(d); after != before {
			t.Fatalf("Compact changed the model:\n%s\n%s", before, after)
		}
		c, err := ParseCompact("Cargo.toml", src)
		if err != nil {
			t.Fatalf("ParseCompact: %v, Parse: nil", err)
		}
		if after := model(c); after != before {
			t.Fatalf("ParseCompact's model differs from Parse's:\n%s\n%s", before, after)
		}
		if after := someEdits(c); after != edits {
			t.Fatalf("the verbs of a compacted Doc edit otherwise:\n%s\n%s", edits, after)
		}
		// Prune keeps what it is told to; Restore brings back the rest.
		n := 0
		c.Prune(func(*Dep) bool { n++; return n%2 == 1 })
		if want := (n + 1) / 2; len(c.Deps()) != want {
			t.Fatalf("Prune kept %d of %d entries, want %d", len(c.Deps()), n, want)
		}
		c.Restore()
		if after := model(c); after != before {
			t.Fatalf("Restore differs from Parse:\n%s\n%s", before, after)
		}
	})
}

// someEdits prints what a few verbs, of those that need the syntax and of
// those that do not, return for the first entry and feature of d.
func someEdits(d *Doc) string {
	var out []any
	if deps := d.Dependencies(); len(deps) > 0 {
		dep := deps[0]
		out = append(out, d.RenameDependency(dep, "x-renamed"), d.SetPackage(dep, "x-pkg"), d.DropDependency(dep), d.AddDepFeature(dep, "x-f"))
	}
	if fs := d.Features(); len(fs) > 0 {
		f := fs[0]
		out = append(out, d.AddArrayElement(f, "x-ref"), d.RenameFeature(f, "x-feat"))
		if len(f.Refs) > 0 {
			out = append(out, d.RemoveArrayElements(f, f.Refs[:1]), d.RenameFeatureRef(f.Refs[0], "x"))
		}
	}
	out = append(out, d.AddFeature("x-new", []string{"a"}), d.AddDependency(DepTable{Kind: "normal"}, "x-new", `"1"`))
	return fmt.Sprint(out...)
}

// clash reports whether dep's table already holds key.
func clash(d *Doc, dep *Dep, key string) bool {
	for _, o := range d.Dependencies() {
		if o.Table() == dep.Table() && o.Key == key {
			return true
		}
	}
	return false
}

func mustReparse(t *testing.T, d *Doc, verb string, edits []textedit.Edit) {
	t.Helper()
	out, err := textedit.Apply(d.Src(), edits)
	if err != nil {
		t.Fatalf("%s: Apply: %v", verb, err)
	}
	if _, err := Parse("Cargo.toml", out); err != nil {
		t.Fatalf("%s: output does not parse: %v\n%q\n%q", verb, err, d.Src(), out)
	}
}

func checkSpans(t *testing.T, d *Doc) {
	t.Helper()
	in := func(s Span) {
		if s.Start < 0 || s.End < s.Start || s.End > len(d.Src()) {
			t.Fatalf("span %v outside src of length %d", s, len(d.Src()))
		}
	}
	for _, dep := range d.Dependencies() {
		for _, s := range dep.KeySpans {
			in(s)
		}
		in(dep.PackageSpan)
		in(dep.VersionSpan)
		in(Span{dep.Start, dep.Start})
	}
	for _, f := range d.Features() {
		in(f.NameSpan)
		for _, r := range f.Refs {
			in(r.Span)
		}
	}
}
