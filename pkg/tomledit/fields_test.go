package tomledit

import (
	"strings"
	"testing"

	"jemfix/pkg/textedit"
)

func editDep(key string, fe FieldEdit) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) { return d.EditDependency(find(d, key), fe), nil }
}

// fieldsSem applies fe to the decoded entry key of the table at path.
func fieldsSem(key string, fe FieldEdit, path ...string) func(map[string]any) {
	return func(m map[string]any) { editedFields(at(m, path...), key, fe) }
}

func TestEditDependency(t *testing.T) {
	merge := FieldEdit{Features: []string{"stats", "profiling"}, Drop: []string{"optional", "default-features"}}
	feats := FieldEdit{Features: []string{"stats", "profiling"}}
	drop := FieldEdit{Drop: []string{"optional", "default-features"}}
	deps := []string{"dependencies"}
	for _, tc := range []struct {
		name, src, want string
		fe              FieldEdit
		path            []string
	}{
		{name: "plain string gets an inline table", src: "[dependencies]\ntikv-jemallocator = \"0.5\" # alloc\n", fe: feats,
			want: "[dependencies]\ntikv-jemallocator = { version = \"0.5\", features = [\"stats\", \"profiling\"] } # alloc\n"},
		{name: "plain literal string", src: "[dependencies]\na = '0.5'\n", fe: feats,
			want: "[dependencies]\na = { version = '0.5', features = ['stats', 'profiling'] }\n"},
		{name: "plain string, nothing to drop", src: "[dependencies]\na = \"0.5\"\n", fe: drop, want: "[dependencies]\na = \"0.5\"\n"},
		{name: "inline drop", src: "[dependencies]\na = { version = \"0.5\", optional = true, default-features = false, features = [\"x\"] }\n", fe: drop,
			want: "[dependencies]\na = { version = \"0.5\", features = [\"x\"] }\n"},
		{name: "inline drop last", src: "[dependencies]\na = { version = \"0.5\", optional = true }\n", fe: drop,
			want: "[dependencies]\na = { version = \"0.5\" }\n"},
		{name: "inline drop and add into the first dropped place", src: "[dependencies]\na = { optional = true, version = \"0.5\", default_features = false }\n", fe: merge,
			want: "[dependencies]\na = { features = [\"stats\", \"profiling\"], version = \"0.5\" }\n"},
		{name: "inline existing array, skips what it has", src: "[dependencies]\na = { version = \"0.5\", features = ['stats'], optional = true }\n", fe: merge,
			want: "[dependencies]\na = { version = \"0.5\", features = ['stats', 'profiling'] }\n"},
		{name: "inline add last", src: "[dependencies]\na = {version=\"0.5\"}\n", fe: feats,
			want: "[dependencies]\na = {version=\"0.5\", features = [\"stats\", \"profiling\"]}\n"},
		{name: "multi-line inline with comments", src: "[dependencies]\na = {\n    version = \"0.5\", # pinned\n    # only with --features jem\n    optional = true,\n    features = [\n        \"x\", # why\n    ],\n}\n", fe: merge,
			want: "[dependencies]\na = {\n    version = \"0.5\", # pinned\n    features = [\n        \"x\", # why\n        \"stats\",\n        \"profiling\",\n    ],\n}\n"},
		{name: "dotted drop and add", src: "[dependencies]\n\"a\".version = \"0.5\"\n# why\n\"a\".optional = true # eol\n\"a\".default-features = false\nz = \"1\"\n", fe: merge,
			want: "[dependencies]\n\"a\".version = \"0.5\"\n# why\n\"a\".features = [\"stats\", \"profiling\"] # eol\nz = \"1\"\n"},
		{name: "dotted add CRLF", src: crlf("[dependencies]\na.version = \"0.5\"\nz = \"1\"\n"), fe: feats,
			want: crlf("[dependencies]\na.version = \"0.5\"\na.features = [\"stats\", \"profiling\"]\nz = \"1\"\n")},
		{name: "dotted drop", src: "[dependencies]\na.version = \"0.5\"\na.optional = true\n\n[features]\n", fe: drop,
			want: "[dependencies]\na.version = \"0.5\"\n\n[features]\n"},
		{name: "sub-table add after its last line", src: "[dependencies.\"a\"]\n  version = \"0.5\"\n  optional = false\n\n[features]\nx = []\n", fe: feats,
			want: "[dependencies.\"a\"]\n  version = \"0.5\"\n  optional = false\n  features = [\"stats\", \"profiling\"]\n\n[features]\nx = []\n"},
		{name: "sub-table drop CRLF", src: crlf("[dependencies.a]\nversion = \"0.5\"\n# off\noptional = true\ndefault-features = false"), fe: drop,
			want: crlf("[dependencies.a]\nversion = \"0.5\"")},
		{name: "sub-table existing array", src: "[dependencies.a]\nversion = \"0.5\"\nfeatures = [\"stats\"]\ndefault-features = false\n", fe: merge,
			want: "[dependencies.a]\nversion = \"0.5\"\nfeatures = [\"stats\", \"profiling\"]\n"},
		{name: "empty sub-table", src: "[dependencies.a]\n", fe: feats,
			want: "[dependencies.a]\nfeatures = [\"stats\", \"profiling\"]\n"},
		{name: "inherited entry", src: "[dependencies]\na = { workspace = true, optional = true }\n", fe: merge,
			want: "[dependencies]\na = { workspace = true, features = [\"stats\", \"profiling\"] }\n"},
		{name: "target table", src: "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n",
			fe: FieldEdit{Drop: []string{"optional"}}, path: []string{"target", `cfg(not(target_env = "msvc"))`, "dependencies"},
			want: "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = { version = \"0.5\" }\n"},
		{name: "features not an array is left alone", src: "[dependencies]\na = { version = \"0.5\", features = \"x\" }\n", fe: feats,
			want: "[dependencies]\na = { version = \"0.5\", features = \"x\" }\n"},
		{name: "workspace dependency", src: "[workspace.dependencies]\na = { version = \"0.5\", default-features = false }\n", fe: merge, path: []string{"workspace", "dependencies"},
			want: "[workspace.dependencies]\na = { version = \"0.5\", features = [\"stats\", \"profiling\"] }\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == nil {
				path = deps
			}
			ec := editCase{src: tc.src, edit: editDep(firstKey(tc.src), tc.fe), want: tc.want, sem: fieldsSem(firstKey(tc.src), tc.fe, path...)}
			if tc.name == "features not an array is left alone" {
				ec.sem = nil
			}
			checkEdit(t, ec)
		})
	}
}

// firstKey returns the key of the first dependency of src.
func firstKey(src string) string {
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil || len(d.Dependencies()) == 0 {
		return ""
	}
	return d.Dependencies()[0].Key
}

// SetVersion and EditDependency on a plain string compose: the version
// edit lands inside the new inline table.
func TestEditDependencyWithSetVersion(t *testing.T) {
	checkEdit(t, editCase{
		src: "[dependencies]\na = \"0.5\"\n",
		edit: func(d *Doc) ([]textedit.Edit, error) {
			e, err := d.SetVersion(find(d, "a"), "0.6")
			return append(d.EditDependency(find(d, "a"), FieldEdit{Features: []string{"stats"}}), e), err
		},
		want: "[dependencies]\na = { version = \"0.6\", features = [\"stats\"] }\n",
		sem: func(m map[string]any) {
			at(m, "dependencies")["a"] = map[string]any{"version": "0.6", "features": []any{"stats"}}
		},
	})
}

func TestDepFields(t *testing.T) {
	d, err := Parse("Cargo.toml", []byte("[dependencies]\na = \"1\"\nb = { version = \"1\", git = \"g\", default_features = false }\nc.path = \"c\"\n[dependencies.e]\nregistry = \"r\"\n[dependencies.e.features]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "", "b": "version git default_features", "c": "path", "e": "registry features"}
	for _, dep := range d.Dependencies() {
		if got := strings.Join(dep.Fields, " "); got != want[dep.Key] {
			t.Errorf("%s.Fields = %q, want %q", dep.Key, got, want[dep.Key])
		}
	}
}

func TestEditDependencyUnfeature(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"[dependencies]\nx = { version = \"0.6\", features = [\"stats\", \"use_std\", \"profiling\"] }\n",
			"[dependencies]\nx = { version = \"0.6\", features = [\"use_std\"] }\n"},
		{"[dependencies.x]\nversion = \"0.6\"\nfeatures = [\n    \"stats\", # on\n    \"use_std\",\n]\n",
			"[dependencies.x]\nversion = \"0.6\"\nfeatures = [\n    \"use_std\",\n]\n"},
		{"[dependencies]\nx = { version = \"0.6\", features = [\"stats\"] }\n",
			"[dependencies]\nx = { version = \"0.6\", features = [] }\n"},
		{"[dependencies]\nx = \"0.6\"\n", "[dependencies]\nx = \"0.6\"\n"},
	} {
		d, err := Parse("Cargo.toml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		out, err := textedit.Apply([]byte(tt.src), d.EditDependency(d.Deps()[0], FieldEdit{Unfeature: []string{"stats", "profiling"}}))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != tt.want {
			t.Errorf("got:\n%s\nwant:\n%s", out, tt.want)
		}
	}
}
