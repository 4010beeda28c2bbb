package tomledit

import (
	"testing"

	"jemfix/pkg/textedit"
)

func TestSetTableValue(t *testing.T) {
	tests := []struct {
		name, src, key, val, want string
	}{
		{"replace", "[workspace]\nresolver = \"1\" # old\nmembers = []\n", "resolver", `"2"`, "[workspace]\nresolver = \"2\" # old\nmembers = []\n"},
		{"add after last", "[workspace]\nmembers = [\"a\"]\r\n\r\n[profile.dev]\r\n", "resolver", `"2"`, "[workspace]\nmembers = [\"a\"]\r\nresolver = \"2\"\r\n\r\n[profile.dev]\r\n"},
		{"empty table", "[workspace]\n\n[x]\n", "resolver", `"2"`, "[workspace]\nresolver = \"2\"\n\n[x]\n"},
		{"inline table", "workspace = { members = [] }\n", "resolver", `"2"`, "workspace = { members = [], resolver = \"2\" }\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("Cargo.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			out, err := textedit.Apply(d.Src(), d.SetTableValue([]string{"workspace"}, tt.key, tt.val))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got %q\nwant %q", out, tt.want)
			}
			if _, err := Parse("Cargo.toml", out); err != nil {
				t.Errorf("output does not parse: %v", err)
			}
		})
	}
	d, _ := Parse("Cargo.toml", []byte("[package]\nname = \"a\"\n"))
	if e := d.SetTableValue([]string{"workspace"}, "resolver", `"2"`); e != nil {
		t.Errorf("missing table: got edits %v, want nil", e)
	}
}

func TestRenameFeature(t *testing.T) {
	src := "[features]\njemalloc = [\"a\"] # keep\n\"quoted\" = []\n"
	d, _ := Parse("Cargo.toml", []byte(src))
	fs := d.Features()
	out, _ := textedit.Apply(d.Src(), []textedit.Edit{d.RenameFeature(fs[0], "jemalloc-api"), d.RenameFeature(fs[1], "q2")})
	want := "[features]\njemalloc-api = [\"a\"] # keep\n\"q2\" = []\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestRemoveArrayElements(t *testing.T) {
	for src, want := range map[string]string{
		"[features]\nf = [\"a\", \"b\", \"c\"]\n":              "[features]\nf = [\"b\"]\n",
		"[features]\nf = [\n  \"a\",\n  \"b\",\n  \"c\",\n]\n": "[features]\nf = [\n  \"b\",\n]\n",
	} {
		d, _ := Parse("Cargo.toml", []byte(src))
		f := d.Features()[0]
		out, err := textedit.Apply(d.Src(), d.RemoveArrayElements(f, []Ref{f.Refs[0], f.Refs[2]}))
		if err != nil || string(out) != want {
			t.Errorf("RemoveArrayElements(%q) = %q, %v; want %q", src, out, err, want)
		}
	}
}

// TestRemoveAllArrayElements: an emptied multi-line array becomes [],
// unless a comment that belongs to no removed element stays inside.
func TestRemoveAllArrayElements(t *testing.T) {
	for src, want := range map[string]string{
		"[features]\nf = [\n  \"a\",\n]\n":                          "[features]\nf = []\n",
		"[features]\r\nf = [\r\n  \"a\", \"b\"\r\n]\r\n":            "[features]\r\nf = []\r\n",
		"[features]\nf = [\"a\",\n]\n":                              "[features]\nf = []\n",
		"[features]\nf = [\n  # about a\n  \"a\", # a\n]\ng = []\n": "[features]\nf = []\ng = []\n",
		"[features]\nf = [\n  \"a\",\n  # trailing\n]\n":            "[features]\nf = [\n  # trailing\n]\n",
		"[features]\nf = [\"a\", \"b\"]\n":                          "[features]\nf = []\n",
	} {
		d, _ := Parse("Cargo.toml", []byte(src))
		f := d.Features()[0]
		out, err := textedit.Apply(d.Src(), d.RemoveArrayElements(f, f.Refs))
		if err != nil || string(out) != want {
			t.Errorf("RemoveArrayElements(%q, all) = %q, %v; want %q", src, out, err, want)
		}
	}
}

func TestAddDepFeature(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[dependencies]\nstore = { path = \"../store\" }\n", "[dependencies]\nstore = { path = \"../store\", features = [\"jemalloc\"] }\n"},
		{"[dependencies]\nstore = { path = \"../store\", features = ['a'] }\n", "[dependencies]\nstore = { path = \"../store\", features = ['a', 'jemalloc'] }\n"},
		{"[dependencies]\nstore.path = \"../store\"\r\nx = 1\r\n", "[dependencies]\nstore.path = \"../store\"\r\nstore.features = [\"jemalloc\"]\r\nx = 1\r\n"},
		{"[dependencies.store]\npath = \"../store\"\n", "[dependencies.store]\nfeatures = [\"jemalloc\"]\npath = \"../store\"\n"},
		{"[dependencies]\nstore = { path = \"../store\", features = [\"jemalloc\"] }\n", "[dependencies]\nstore = { path = \"../store\", features = [\"jemalloc\"] }\n"},
	}
	for _, tt := range tests {
		d, err := Parse("Cargo.toml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		out, err := textedit.Apply(d.Src(), d.AddDepFeature(d.Dependencies()[0], "jemalloc"))
		if err != nil || string(out) != tt.want {
			t.Errorf("AddDepFeature(%q) = %q, %v\nwant %q", tt.src, out, err, tt.want)
		}
		if _, err := Parse("Cargo.toml", out); err != nil {
			t.Errorf("output does not parse: %v", err)
		}
	}
}

func TestAddFeatures(t *testing.T) {
	entries := []FeatureEntry{{"default", []string{"jemalloc"}}, {"jemalloc", []string{"store/jemalloc"}}}
	for src, want := range map[string]string{
		"[package]\nname = \"a\"\n":                     "[package]\nname = \"a\"\n\n[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"store/jemalloc\"]\n",
		"[package]\nname = \"a\"\n[features]\nx = []\n": "[package]\nname = \"a\"\n[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"store/jemalloc\"]\nx = []\n", // a sorted table stays sorted
		// A comment that closes the last dependency table stays with it;
		// one that introduces the next table stays with that one.
		"[package]\nname = \"a\"\n[dependencies]\n# nothing yet\n":        "[package]\nname = \"a\"\n[dependencies]\n# nothing yet\n\n[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"store/jemalloc\"]\n",
		"[dependencies]\nb = \"1\"\n# tools\n[package.metadata]\nx = 1\n": "[dependencies]\nb = \"1\"\n\n[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"store/jemalloc\"]\n# tools\n[package.metadata]\nx = 1\n",
	} {
		d, _ := Parse("Cargo.toml", []byte(src))
		out, err := textedit.Apply(d.Src(), d.AddFeatures(entries))
		if err != nil || string(out) != want {
			t.Errorf("AddFeatures(%q) = %q, %v; want %q", src, out, err, want)
		}
	}
}
