package tomledit

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"

	"jemfix/pkg/textedit"
)

// editCase is one edit verb applied to one manifest.
type editCase struct {
	name string
	src  string
	edit func(d *Doc) ([]textedit.Edit, error)
	want string
	// sem turns the decoded input into the expected decoded output.
	sem func(m map[string]any)
}

// checkEdit applies the edits of tc and checks the exact output, that
// nothing changed outside the edits, and that the output parses again with
// the expected meaning.
func checkEdit(t *testing.T, tc editCase) {
	t.Helper()
	src := []byte(tc.src)
	d, err := Parse("Cargo.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	edits, err := tc.edit(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Src(), []byte(tc.src)) {
		t.Fatal("edit verb changed Doc.Src()")
	}
	out, err := textedit.Apply(src, edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if string(out) != tc.want {
		t.Fatalf("output mismatch (-want +got):\n%s", cmp.Diff(tc.want, string(out)))
	}
	checkOnlyInside(t, src, out, edits)
	if _, err := Parse("Cargo.toml", out); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	want, got := decode(t, src), decode(t, out)
	if tc.sem != nil {
		tc.sem(want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded output mismatch (-want +got):\n%s", diff)
	}
}

// checkOnlyInside checks, independently of Apply, that out equals src
// outside the edited ranges: the bytes between edits appear unchanged and
// in order, and nothing precedes the first or follows the last edit.
func checkOnlyInside(t *testing.T, src, out []byte, edits []textedit.Edit) {
	t.Helper()
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b textedit.Edit) int { return a.Start - b.Start })
	pos, last := 0, 0
	for _, e := range sorted {
		keep := src[last:e.Start]
		if !bytes.HasPrefix(out[pos:], keep) {
			t.Fatalf("bytes %d..%d outside the edits changed", last, e.Start)
		}
		pos += len(keep)
		if !bytes.HasPrefix(out[pos:], []byte(e.New)) {
			t.Fatalf("edit at %d not found in output", e.Start)
		}
		pos += len(e.New)
		last = e.End
	}
	if !bytes.Equal(out[pos:], src[last:]) {
		t.Fatalf("bytes after %d changed", last)
	}
}

func decode(t *testing.T, src []byte) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := toml.Unmarshal(bytes.TrimPrefix(src, utf8BOM), &m); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	return m
}

// at returns the table at path in m, creating it as needed.
func at(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	return m
}

func find(d *Doc, key string) *Dep {
	for _, dep := range d.Dependencies() {
		if dep.Key == key {
			return dep
		}
	}
	return nil
}

func feature(d *Doc, name string) *Feature {
	for _, f := range d.Features() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func rename(key, to string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.RenameDependency(find(d, key), to), nil }
}

// renamed moves the entry key of the table at path to newKey.
func renamed(key, newKey string, path ...string) func(m map[string]any) {
	return func(m map[string]any) {
		tbl := at(m, path...)
		tbl[newKey] = tbl[key]
		delete(tbl, key)
	}
}

func TestRenameDependency(t *testing.T) {
	for _, tc := range []editCase{
		{name: "bare", src: "[dependencies]\njemallocator = \"0.5\" # alloc\n", edit: rename("jemallocator", "tikv-jemallocator"),
			want: "[dependencies]\ntikv-jemallocator = \"0.5\" # alloc\n", sem: renamed("jemallocator", "tikv-jemallocator", "dependencies")},
		{name: "quoted stays quoted", src: "[dependencies]\n\"jemalloc-ctl\" = { version = \"0.5\" }\n", edit: rename("jemalloc-ctl", "tikv-jemalloc-ctl"),
			want: "[dependencies]\n\"tikv-jemalloc-ctl\" = { version = \"0.5\" }\n", sem: renamed("jemalloc-ctl", "tikv-jemalloc-ctl", "dependencies")},
		{name: "literal key", src: "[dependencies]\n'jemalloc-ctl' = \"0.5\"\n", edit: rename("jemalloc-ctl", "tikv-jemalloc-ctl"),
			want: "[dependencies]\n'tikv-jemalloc-ctl' = \"0.5\"\n", sem: renamed("jemalloc-ctl", "tikv-jemalloc-ctl", "dependencies")},
		{name: "bare to key needing quotes", src: "[dependencies]\na = \"1\"\n", edit: rename("a", "a.b"),
			want: "[dependencies]\n\"a.b\" = \"1\"\n", sem: renamed("a", "a.b", "dependencies")},
		{name: "dotted lines", src: "[dependencies]\nx.version = \"0.5\"\nx.optional = true\n", edit: rename("x", "y"),
			want: "[dependencies]\ny.version = \"0.5\"\ny.optional = true\n", sem: renamed("x", "y", "dependencies")},
		{name: "sub-table header", src: "[dependencies.\"jemalloc-ctl\"]\nversion = \"0.5\"\n", edit: rename("jemalloc-ctl", "tikv-jemalloc-ctl"),
			want: "[dependencies.\"tikv-jemalloc-ctl\"]\nversion = \"0.5\"\n", sem: renamed("jemalloc-ctl", "tikv-jemalloc-ctl", "dependencies")},
		{name: "target cfg", src: "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\njemallocator = \"0.5\"\n", edit: rename("jemallocator", "tikv-jemallocator"),
			want: "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = \"0.5\"\n",
			sem:  renamed("jemallocator", "tikv-jemallocator", "target", `cfg(not(target_env = "msvc"))`, "dependencies")},
		{name: "BOM CRLF no final newline", src: "\xef\xbb\xbf[dependencies]\r\njemallocator = \"0.5\"", edit: rename("jemallocator", "tikv-jemallocator"),
			want: "\xef\xbb\xbf[dependencies]\r\ntikv-jemallocator = \"0.5\"", sem: renamed("jemallocator", "tikv-jemallocator", "dependencies")},
		{name: "inside inline dependency table", src: "[target.'cfg(unix)']\ndependencies = { a = \"1\" }\n", edit: rename("a", "b"),
			want: "[target.'cfg(unix)']\ndependencies = { b = \"1\" }\n", sem: renamed("a", "b", "target", "cfg(unix)", "dependencies")},
		{name: "zero edits are the identity", src: "\xef\xbb\xbf# é\r\n[dependencies]\n\ta  =  \"1\"  \r\n", edit: func(*Doc) ([]textedit.Edit, error) { return nil, nil },
			want: "\xef\xbb\xbf# é\r\n[dependencies]\n\ta  =  \"1\"  \r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

func setVersion(key, v string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) {
		e, err := d.SetVersion(find(d, key), v)
		return []textedit.Edit{e}, err
	}
}

func TestSetVersionAndString(t *testing.T) {
	setTo := func(v string, path ...string) func(map[string]any) {
		return func(m map[string]any) { at(m, path[:len(path)-1]...)[path[len(path)-1]] = v }
	}
	for _, tc := range []editCase{
		{name: "plain", src: "[dependencies]\njemallocator = \"0.5\"\n", edit: setVersion("jemallocator", "0.6"),
			want: "[dependencies]\njemallocator = \"0.6\"\n", sem: setTo("0.6", "dependencies", "jemallocator")},
		{name: "literal stays literal", src: "[dependencies]\na = { version = '0.5' }\n", edit: setVersion("a", "0.6"),
			want: "[dependencies]\na = { version = '0.6' }\n", sem: setTo("0.6", "dependencies", "a", "version")},
		{name: "sub-table", src: "[dependencies.a]\nversion = \"0.5\"\n", edit: setVersion("a", "=0.6.1"),
			want: "[dependencies.a]\nversion = \"=0.6.1\"\n", sem: setTo("=0.6.1", "dependencies", "a", "version")},
		{name: "literal falls back to basic", src: "[features]\nx = ['a']\n",
			edit: func(d *Doc) ([]textedit.Edit, error) {
				return []textedit.Edit{d.SetString(feature(d, "x").Refs[0].Span, "it's \"q\"\n")}, nil
			},
			want: "[features]\nx = [\"it's \\\"q\\\"\\n\"]\n", sem: func(m map[string]any) { at(m, "features")["x"] = []any{"it's \"q\"\n"} }},
		{name: "rename feature ref", src: "[features]\nstats = [\"jemalloc-ctl?/stats\", \"dep:jemalloc-ctl\"]\n",
			edit: func(d *Doc) ([]textedit.Edit, error) {
				f := feature(d, "stats")
				return []textedit.Edit{d.RenameFeatureRef(f.Refs[0], "tikv-jemalloc-ctl?/stats"), d.RenameFeatureRef(f.Refs[1], "dep:tikv-jemalloc-ctl")}, nil
			},
			want: "[features]\nstats = [\"tikv-jemalloc-ctl?/stats\", \"dep:tikv-jemalloc-ctl\"]\n",
			sem: func(m map[string]any) {
				at(m, "features")["stats"] = []any{"tikv-jemalloc-ctl?/stats", "dep:tikv-jemalloc-ctl"}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

func TestSetVersionWithoutVersion(t *testing.T) {
	d, err := Parse("Cargo.toml", []byte("[dependencies]\na = { workspace = true }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetVersion(find(d, "a"), "1"); err == nil || !strings.Contains(err.Error(), "no version") {
		t.Errorf("SetVersion error = %v, want a no-version error", err)
	}
}

func setPackage(key, pkg string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.SetPackage(find(d, key), pkg), nil }
}

func TestSetPackage(t *testing.T) {
	const pkg = "tikv-jemalloc-ctl"
	withPkg := func(path ...string) func(map[string]any) {
		return func(m map[string]any) { at(m, path...)["package"] = pkg }
	}
	for _, tc := range []editCase{
		{name: "existing", src: "[dependencies]\nctl = { package = \"jemalloc-ctl\", version = \"0.5\" }\n", edit: setPackage("ctl", pkg),
			want: "[dependencies]\nctl = { package = \"tikv-jemalloc-ctl\", version = \"0.5\" }\n", sem: withPkg("dependencies", "ctl")},
		{name: "plain string", src: "[dependencies]\njemalloc-ctl = \"0.5\" # ctl\n", edit: setPackage("jemalloc-ctl", pkg),
			want: "[dependencies]\njemalloc-ctl = { package = \"tikv-jemalloc-ctl\", version = \"0.5\" } # ctl\n",
			sem: func(m map[string]any) {
				at(m, "dependencies")["jemalloc-ctl"] = map[string]any{"package": pkg, "version": "0.5"}
			}},
		{name: "inline", src: "[dependencies]\njemalloc-ctl = { version = '0.5', optional = true }\n", edit: setPackage("jemalloc-ctl", pkg),
			want: "[dependencies]\njemalloc-ctl = { package = 'tikv-jemalloc-ctl', version = '0.5', optional = true }\n", sem: withPkg("dependencies", "jemalloc-ctl")},
		{name: "inline tight", src: "[dependencies]\na = {version=\"1\"}\n", edit: setPackage("a", pkg),
			want: "[dependencies]\na = {package = \"tikv-jemalloc-ctl\", version=\"1\"}\n", sem: withPkg("dependencies", "a")},
		{name: "inline empty", src: "[dependencies]\na = {}\n", edit: setPackage("a", pkg),
			want: "[dependencies]\na = { package = \"tikv-jemalloc-ctl\" }\n", sem: withPkg("dependencies", "a")},
		{name: "inline multi-line", src: "[dependencies]\na = {\n    version = \"1\",\n}\n", edit: setPackage("a", pkg),
			want: "[dependencies]\na = {\n    package = \"tikv-jemalloc-ctl\",\n    version = \"1\",\n}\n", sem: withPkg("dependencies", "a")},
		{name: "dotted", src: "[dependencies]\n\"jemalloc-ctl\".version = \"0.5\"\n\"jemalloc-ctl\".optional = true\nz = \"1\"\n", edit: setPackage("jemalloc-ctl", pkg),
			want: "[dependencies]\n\"jemalloc-ctl\".version = \"0.5\"\n\"jemalloc-ctl\".optional = true\n\"jemalloc-ctl\".package = \"tikv-jemalloc-ctl\"\nz = \"1\"\n",
			sem:  withPkg("dependencies", "jemalloc-ctl")},
		{name: "dotted from the root", src: "dependencies.a.version = \"1\"", edit: setPackage("a", pkg),
			want: "dependencies.a.version = \"1\"\ndependencies.a.package = \"tikv-jemalloc-ctl\"", sem: withPkg("dependencies", "a")},
		{name: "sub-table CRLF", src: crlf("[dependencies.a]\n  version = \"1\"\n"), edit: setPackage("a", pkg),
			want: crlf("[dependencies.a]\n  package = \"tikv-jemalloc-ctl\"\n  version = \"1\"\n"), sem: withPkg("dependencies", "a")},
		{name: "sub-table header at end without newline", src: "[dependencies]\nb = \"1\"\n[dependencies.a]", edit: setPackage("a", pkg),
			want: "[dependencies]\nb = \"1\"\n[dependencies.a]\npackage = \"tikv-jemalloc-ctl\"", sem: withPkg("dependencies", "a")},
		{name: "target", src: "[target.'cfg(unix)'.dependencies]\na = \"1\"\n", edit: setPackage("a", pkg),
			want: "[target.'cfg(unix)'.dependencies]\na = { package = \"tikv-jemalloc-ctl\", version = \"1\" }\n",
			sem: func(m map[string]any) {
				at(m, "target", "cfg(unix)", "dependencies")["a"] = map[string]any{"package": pkg, "version": "1"}
			}},
		{name: "package that is not a string is left alone", src: "[dependencies]\na = { package = [], version = \"1\" }\n[dependencies.b.package]\nx = 1\n",
			edit: func(d *Doc) ([]textedit.Edit, error) {
				return append(d.SetPackage(find(d, "a"), pkg), d.SetPackage(find(d, "b"), pkg)...), nil
			},
			want: "[dependencies]\na = { package = [], version = \"1\" }\n[dependencies.b.package]\nx = 1\n"},
		{name: "workspace dependency", src: "[workspace.dependencies]\njemalloc-ctl = { version = \"0.5\" }\n", edit: setPackage("jemalloc-ctl", pkg),
			want: "[workspace.dependencies]\njemalloc-ctl = { package = \"tikv-jemalloc-ctl\", version = \"0.5\" }\n", sem: withPkg("workspace", "dependencies", "jemalloc-ctl")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

func TestInherit(t *testing.T) {
	for _, tt := range []struct {
		src, want string
		features  []string
	}{
		{"[dependencies]\nx = \"0.5\"\n", "[dependencies]\nx = { workspace = true }\n", nil},
		{"[dependencies]\nx = '0.5'\n", "[dependencies]\nx = { workspace = true, features = ['stats'] }\n", []string{"stats"}},
		{"[dependencies]\nx = { features = [\"a\"], version = \"0.5\", optional = true }\n", "[dependencies]\nx = { features = [\"a\", \"stats\"], workspace = true, optional = true }\n", []string{"stats"}},
		{"[dependencies.x]\nversion = \"0.5\"\n", "", nil},
	} {
		d, err := Parse("Cargo.toml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		es := d.Inherit(d.Dependencies()[0], tt.features)
		if tt.want == "" {
			if es != nil {
				t.Errorf("Inherit(%q) = %v, want nil", tt.src, es)
			}
			continue
		}
		out, err := textedit.Apply(d.Src(), es)
		if err != nil || string(out) != tt.want {
			t.Errorf("Inherit(%q) = %q, %v; want %q", tt.src, out, err, tt.want)
		}
	}
}
