package tomledit

import (
	"slices"
	"testing"

	"jemfix/pkg/textedit"
)

func drop(key string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.DropDependency(find(d, key)), nil }
}

func deleted(key string, path ...string) func(map[string]any) {
	return func(m map[string]any) { delete(at(m, path...), key) }
}

func TestDropDependency(t *testing.T) {
	for _, tc := range []editCase{
		{name: "with its comments", src: "[dependencies]\na = \"1\"\n# the allocator\n# (pinned)\njemallocator = \"0.5\" # eol\nz = \"1\"\n", edit: drop("jemallocator"),
			want: "[dependencies]\na = \"1\"\nz = \"1\"\n", sem: deleted("jemallocator", "dependencies")},
		{name: "dotted lines", src: "[dependencies]\nx.version = \"0.5\"\na = \"1\"\nx.optional = true\n", edit: drop("x"),
			want: "[dependencies]\na = \"1\"\n", sem: deleted("x", "dependencies")},
		{name: "sub-table between blank lines", src: "[dependencies]\na = \"1\"\n\n# ctl\n[dependencies.jemalloc-ctl]\nversion = \"0.5\"\n\n[features]\nx = []\n", edit: drop("jemalloc-ctl"),
			want: "[dependencies]\na = \"1\"\n\n[features]\nx = []\n", sem: deleted("jemalloc-ctl", "dependencies")},
		{name: "sub-table keeps comments below it", src: "[dependencies.a]\nversion = \"1\"\n# about b\n[dependencies.b]\nversion = \"2\"\n", edit: drop("a"),
			want: "# about b\n[dependencies.b]\nversion = \"2\"\n", sem: deleted("a", "dependencies")},
		{name: "last line without newline", src: "[dependencies]\na = \"1\"\nb = \"2\"", edit: drop("b"),
			want: "[dependencies]\na = \"1\"", sem: deleted("b", "dependencies")},
		{name: "dotted lines around a blank line at the end", src: "[dependencies]\r\nx.version = \"1\"\r\n\r\nx.optional = true", edit: drop("x"),
			want: "[dependencies]", sem: deleted("x", "dependencies")},
		{name: "paragraph between blank lines", src: "[dependencies]\na = \"1\"\n\nx.version = \"1\"\nx.optional = true\n\nb = \"1\"\n", edit: drop("x"),
			want: "[dependencies]\na = \"1\"\n\nb = \"1\"\n", sem: deleted("x", "dependencies")},
		{name: "CRLF", src: crlf("[dependencies]\na = \"1\"\nb = \"2\"\n"), edit: drop("a"),
			want: crlf("[dependencies]\nb = \"2\"\n"), sem: deleted("a", "dependencies")},
		{name: "string line that looks like a comment", src: "[dependencies]\na = '''\n# x'''\nb = \"1\"\n", edit: drop("b"),
			want: "[dependencies]\na = '''\n# x'''\n", sem: deleted("b", "dependencies")},
		{name: "only entry", src: "[dependencies]\na = \"1\"\n", edit: drop("a"),
			want: "[dependencies]\n", sem: deleted("a", "dependencies")},
		{name: "inside inline dependency table", src: "[target.'cfg(unix)']\ndependencies = { a = \"1\", b = \"2\" }\n", edit: drop("a"),
			want: "[target.'cfg(unix)']\ndependencies = { b = \"2\" }\n", sem: deleted("a", "target", "cfg(unix)", "dependencies")},
		{name: "multi-line inline table", src: "[dependencies]\njemallocator = {\n  version = \"0.5\",\n}\nb = \"2\"\n", edit: drop("jemallocator"),
			want: "[dependencies]\nb = \"2\"\n", sem: deleted("jemallocator", "dependencies")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

func add(tbl DepTable, key, val string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.AddDependency(tbl, key, val), nil }
}

func added(key string, val any, path ...string) func(map[string]any) {
	return func(m map[string]any) { at(m, path...)[key] = val }
}

func TestAddDependency(t *testing.T) {
	normal := DepTable{Kind: "normal"}
	for _, tc := range []editCase{
		{name: "after the last entry", src: "[dependencies]\nz = \"1\"\na = \"1\"\n\n[features]\n", edit: add(normal, "m", `"0.5"`),
			want: "[dependencies]\nz = \"1\"\na = \"1\"\nm = \"0.5\"\n\n[features]\n", sem: added("m", "0.5", "dependencies")},
		{name: "sorted position", src: "[dependencies]\n# a\na = \"1\"\n# z\nz = \"1\"\n", edit: add(normal, "m", `"0.5"`),
			want: "[dependencies]\n# a\na = \"1\"\nm = \"0.5\"\n# z\nz = \"1\"\n", sem: added("m", "0.5", "dependencies")},
		{name: "sorted position before a group", src: "[dependencies]\na = \"1\"\n\n# the z group\nz = \"1\"\n", edit: add(normal, "m", `"0.5"`),
			want: "[dependencies]\na = \"1\"\nm = \"0.5\"\n\n# the z group\nz = \"1\"\n", sem: added("m", "0.5", "dependencies")},
		{name: "sorted first", src: "[dependencies]\nb = \"1\"\n", edit: add(normal, "a", `"0.5"`),
			want: "[dependencies]\na = \"0.5\"\nb = \"1\"\n", sem: added("a", "0.5", "dependencies")},
		{name: "aligned equals and indentation", src: "[dependencies]\n  a            = \"1\"\n  jemallocator = \"1\"\n", edit: add(normal, "zz", `"0.5"`),
			want: "[dependencies]\n  a            = \"1\"\n  jemallocator = \"1\"\n  zz           = \"0.5\"\n", sem: added("zz", "0.5", "dependencies")},
		{name: "one padded key is not alignment", src: "[dependencies]\nb = \"1\"\n  g   = \"1\"\n", edit: add(normal, "a", `"1"`),
			want: "[dependencies]\na = \"1\"\nb = \"1\"\n  g   = \"1\"\n", sem: added("a", "1", "dependencies")},
		{name: "tight equals", src: "[dependencies]\na=\"1\"\n", edit: add(normal, "b", `"2"`),
			want: "[dependencies]\na=\"1\"\nb=\"2\"\n", sem: added("b", "2", "dependencies")},
		{name: "quoted neighbour", src: "[dependencies]\n\"a\" = \"1\"\n", edit: add(normal, "b", `"2"`),
			want: "[dependencies]\n\"a\" = \"1\"\n\"b\" = \"2\"\n", sem: added("b", "2", "dependencies")},
		{name: "dotted neighbour from the root", src: "dependencies.a = \"1\"\n", edit: add(normal, "b", `"2"`),
			want: "dependencies.a = \"1\"\ndependencies.b = \"2\"\n", sem: added("b", "2", "dependencies")},
		{name: "CRLF without final newline", src: "[dependencies]\r\na = \"1\"\r\nz = \"1\"", edit: add(normal, "m", `"2"`),
			want: "[dependencies]\r\na = \"1\"\r\nm = \"2\"\r\nz = \"1\"", sem: added("m", "2", "dependencies")},
		{name: "empty table", src: "[dependencies]\n\n[features]\n", edit: add(normal, "a", `{ version = "1", optional = true }`),
			want: "[dependencies]\na = { version = \"1\", optional = true }\n\n[features]\n", sem: added("a", map[string]any{"version": "1", "optional": true}, "dependencies")},
		{name: "inline table", src: "[target.'cfg(unix)']\ndependencies = { a = \"1\" }\n", edit: add(DepTable{Kind: "normal", Target: "cfg(unix)"}, "b", `"2"`),
			want: "[target.'cfg(unix)']\ndependencies = { a = \"1\", b = \"2\" }\n", sem: added("b", "2", "target", "cfg(unix)", "dependencies")},
		{name: "missing table after its siblings", src: "[package]\nname = \"p\"\n\n[dependencies]\na = \"1\"\n\n[dependencies.b]\nversion = \"1\"\n\n[features]\nx = []\n",
			edit: add(DepTable{Kind: "dev"}, "c", `"1"`),
			want: "[package]\nname = \"p\"\n\n[dependencies]\na = \"1\"\n\n[dependencies.b]\nversion = \"1\"\n\n[dev-dependencies]\nc = \"1\"\n\n[features]\nx = []\n",
			sem:  added("c", "1", "dev-dependencies")},
		{name: "missing target table reuses the spec spelling", src: "[target.\"cfg(unix)\".dependencies]\na = \"1\"\n[features]\n",
			edit: add(DepTable{Kind: "build", Target: "cfg(unix)"}, "b", `"1"`),
			want: "[target.\"cfg(unix)\".dependencies]\na = \"1\"\n\n[target.\"cfg(unix)\".build-dependencies]\nb = \"1\"\n[features]\n",
			sem:  added("b", "1", "target", "cfg(unix)", "build-dependencies")},
		{name: "missing target table", src: "[package]\nname = \"p\"",
			edit: add(DepTable{Kind: "normal", Target: `cfg(not(target_env = "msvc"))`}, "tikv-jemallocator", `"0.6"`),
			want: "[package]\nname = \"p\"\n\n[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = \"0.6\"\n",
			sem:  added("tikv-jemallocator", "0.6", "target", `cfg(not(target_env = "msvc"))`, "dependencies")},
		{name: "missing workspace dependencies", src: "[workspace]\r\nmembers = [\"a\"]\r\n\r\n[profile.release]\r\nlto = true\r\n",
			edit: add(DepTable{Kind: "normal", InWorkspace: true}, "tikv-jemalloc-ctl", `"0.6"`),
			want: "[workspace]\r\nmembers = [\"a\"]\r\n\r\n[workspace.dependencies]\r\ntikv-jemalloc-ctl = \"0.6\"\r\n\r\n[profile.release]\r\nlto = true\r\n",
			sem:  added("tikv-jemalloc-ctl", "0.6", "workspace", "dependencies")},
		{name: "empty file", src: "", edit: add(normal, "a", `"1"`),
			want: "[dependencies]\na = \"1\"\n", sem: added("a", "1", "dependencies")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

func addElem(name string, vals ...string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.AddArrayElement(feature(d, name), vals...), nil }
}

func removeElem(name, val string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) {
		return removeValue(d, name, val), nil
	}
}

func refs(name string, vals ...any) func(map[string]any) {
	return func(m map[string]any) {
		if vals == nil {
			vals = []any{}
		}
		at(m, "features")[name] = vals
	}
}

func TestArrayElements(t *testing.T) {
	for _, tc := range []editCase{
		{name: "add one-line", src: "[features]\nx = [\"a\", \"b\"]\n", edit: addElem("x", "c"),
			want: "[features]\nx = [\"a\", \"b\", \"c\"]\n", sem: refs("x", "a", "b", "c")},
		{name: "add one-line trailing comma", src: "[features]\nx = ['a',]\n", edit: addElem("x", "c"),
			want: "[features]\nx = ['a', 'c',]\n", sem: refs("x", "a", "c")},
		{name: "add empty", src: "[features]\nx = []\n", edit: addElem("x", "dep:c"),
			want: "[features]\nx = [\"dep:c\"]\n", sem: refs("x", "dep:c")},
		{name: "add two to an empty one-line array", src: "[features]\nx = [ ]  # none yet\n", edit: addElem("x", "a", "b"),
			want: "[features]\nx = [\"a\", \"b\"]  # none yet\n", sem: refs("x", "a", "b")},
		{name: "add two to a multi-line array", src: "[features]\nx = [\n    'a',\n]\n", edit: addElem("x", "b", "c"),
			want: "[features]\nx = [\n    'a',\n    'b',\n    'c',\n]\n", sem: refs("x", "a", "b", "c")},
		{name: "add multi-line trailing comma", src: "[features]\nx = [\n    \"a\", # why\n]\n", edit: addElem("x", "b"),
			want: "[features]\nx = [\n    \"a\", # why\n    \"b\",\n]\n", sem: refs("x", "a", "b")},
		{name: "add multi-line no trailing comma CRLF", src: crlf("[features]\nx = [\n  \"a\"\n]\n"), edit: addElem("x", "b"),
			want: crlf("[features]\nx = [\n  \"a\",\n  \"b\"\n]\n"), sem: refs("x", "a", "b")},
		{name: "remove one-line middle", src: "[features]\nx = [\"a\", \"b\", \"c\"]\n", edit: removeElem("x", "b"),
			want: "[features]\nx = [\"a\", \"c\"]\n", sem: refs("x", "a", "c")},
		{name: "remove one-line last keeps trailing comma", src: "[features]\nx = [\"a\", \"b\",]\n", edit: removeElem("x", "b"),
			want: "[features]\nx = [\"a\",]\n", sem: refs("x", "a")},
		{name: "remove only element", src: "[features]\nx = [ \"a\", ]\n", edit: removeElem("x", "a"),
			want: "[features]\nx = []\n", sem: refs("x")},
		{name: "remove only element with its comma on the next line", src: "[features]\nx = [\"a\"\n,]\ny = [\"b\" # c\n  ,\n]\n",
			edit: func(d *Doc) ([]textedit.Edit, error) {
				return append(removeValue(d, "x", "a"), removeValue(d, "y", "b")...), nil
			},
			want: "[features]\nx = []\ny = [ # c\n  \n]\n", sem: func(m map[string]any) { refs("x")(m); refs("y")(m) }},
		{name: "remove multi-line with comment above", src: "[features]\nx = [\n  \"a\",\n  # b is old\n  \"b\", # eol\n  \"c\",\n]\n", edit: removeElem("x", "b"),
			want: "[features]\nx = [\n  \"a\",\n  \"c\",\n]\n", sem: refs("x", "a", "c")},
		{name: "remove multi-line last without trailing comma", src: "[features]\nx = [\n  \"a\", # keep\n  \"b\"\n]\n", edit: removeElem("x", "b"),
			want: "[features]\nx = [\n  \"a\" # keep\n]\n", sem: refs("x", "a")},
		{name: "add feature sorted", src: "[features]\ndefault = [\"a\"]\nzz = []\n", edit: func(d *Doc) ([]textedit.Edit, error) {
			return d.AddFeature("jemalloc", []string{"dep:tikv-jemallocator", "x?/y"}), nil
		}, want: "[features]\ndefault = [\"a\"]\njemalloc = [\"dep:tikv-jemallocator\", \"x?/y\"]\nzz = []\n", sem: refs("jemalloc", "dep:tikv-jemallocator", "x?/y")},
		{name: "add feature creates the table", src: "[package]\nname = \"p\"\n\n[dependencies]\na = \"1\"\n\n[lib]\npath = \"x.rs\"\n", edit: func(d *Doc) ([]textedit.Edit, error) {
			return d.AddFeature("alloc", []string{"dep:a"}), nil
		}, want: "[package]\nname = \"p\"\n\n[dependencies]\na = \"1\"\n\n[features]\nalloc = [\"dep:a\"]\n\n[lib]\npath = \"x.rs\"\n", sem: refs("alloc", "dep:a")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEdit(t, tc) })
	}
}

// removeValue removes the element with value val from the array of feature
// name.
func removeValue(d *Doc, name, val string) []textedit.Edit {
	f := feature(d, name)
	for _, r := range f.Refs {
		if r.Value == val {
			return d.RemoveArrayElements(f, []Ref{r})
		}
	}
	return nil
}

// A target table that loses every entry goes with them, with its comment
// lines above and one blank line; one that keeps an entry or a comment line,
// and any other table, keeps its header.
func TestDropDependenciesEmptiedTarget(t *testing.T) {
	tests := []struct {
		name, src, want string
		drop            []string
	}{
		{
			name: "emptied",
			src:  "[dependencies]\ncli = \"1\"\n\n# jemalloc on unix\n[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\njemalloc-ctl = { version = \"0.5\" }\n\n[features]\nx = []\n",
			drop: []string{"jemallocator", "jemalloc-ctl"},
			want: "[dependencies]\ncli = \"1\"\n\n[features]\nx = []\n",
		},
		{
			name: "emptied dev table at the end, CRLF, no final newline",
			src:  "[dependencies]\r\ncli = \"1\"\r\n\r\n[target.\"cfg(unix)\".dev-dependencies]\r\njemallocator.version = \"0.5\"",
			drop: []string{"jemallocator"},
			want: "[dependencies]\r\ncli = \"1\"",
		},
		{
			name: "an entry stays",
			src:  "[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\nlibc = \"0.2\"\n",
			drop: []string{"jemallocator"},
			want: "[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n",
		},
		{
			// A comment right above the next header introduces that table,
			// not this one: both tables go, each with its own comments.
			name: "two emptied, a comment introducing the second",
			src:  "[dependencies]\ncli = \"1\"\n\n[target.'cfg(linux)'.dependencies]\njemallocator = \"0.5\"\n\n# macOS\n[target.'cfg(macos)'.dependencies]\njemallocator = \"0.5\"\n",
			drop: []string{"jemallocator", "jemallocator"},
			want: "[dependencies]\ncli = \"1\"\n",
		},
		{
			name: "a comment line stays",
			src:  "[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\n# libc = \"0.2\"\n",
			drop: []string{"jemallocator"},
			want: "[target.'cfg(unix)'.dependencies]\n# libc = \"0.2\"\n",
		},
		{
			name: "not a target table",
			src:  "[package]\nname = \"a\"\n\n[dependencies]\njemallocator = \"0.5\"\n",
			drop: []string{"jemallocator"},
			want: "[package]\nname = \"a\"\n\n[dependencies]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("Cargo.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var deps []*Dep
			for _, dep := range d.Deps() {
				if slices.Contains(tt.drop, dep.Key) {
					deps = append(deps, dep)
				}
			}
			out, err := textedit.Apply([]byte(tt.src), d.DropDependencies(deps))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", out, tt.want)
			}
			if _, err := Parse("Cargo.toml", out); err != nil {
				t.Errorf("result does not parse: %v", err)
			}
		})
	}
}
