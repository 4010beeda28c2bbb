package tomledit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTargets(t *testing.T) {
	src := "[package]\nname = \"p\"\nbuild = \"tools/build.rs\"\n\n[lib]\npath = \"lib/mod.rs\"\n\n[[bin]]\nname = \"cli\"\npath = 'bin/cli.rs'\n\n[[bin]]\nname = \"plain\"\n\n[[example]]\nname = \"e\"\npath = \"../shared/e.rs\"\n\n[[test]]\nname = \"t\"\n\n[[bench]]\nname = \"b\"\npath = \"b.rs\" # comment\n\n[bin]\n"
	_, err := Parse("Cargo.toml", []byte(src))
	if err == nil {
		t.Fatal("want an error for [bin] after [[bin]]")
	}
	src = src[:len(src)-len("\n[bin]\n")]
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []Target
	for _, tg := range d.Targets() {
		if tg.Path != "" && src[tg.PathSpan.Start+1:tg.PathSpan.End-1] != tg.Path {
			t.Errorf("%s %s: span %v holds %q, want the path", tg.Kind, tg.Name, tg.PathSpan, src[tg.PathSpan.Start:tg.PathSpan.End])
		}
		if src[tg.Start] != '[' {
			t.Errorf("%s %s: Start %d is not a header", tg.Kind, tg.Name, tg.Start)
		}
		tg.PathSpan, tg.Start = Span{}, 0
		got = append(got, tg)
	}
	want := []Target{
		{Kind: "lib", Path: "lib/mod.rs"},
		{Kind: "bin", Name: "cli", Path: "bin/cli.rs"},
		{Kind: "bin", Name: "plain"},
		{Kind: "example", Name: "e", Path: "../shared/e.rs"},
		{Kind: "test", Name: "t"},
		{Kind: "bench", Name: "b", Path: "b.rs"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Targets mismatch (-want +got):\n%s", diff)
	}
	if p, set := d.BuildScript(); p != "tools/build.rs" || !set {
		t.Errorf("BuildScript = %q, %v", p, set)
	}
}

func TestBuildScript(t *testing.T) {
	for _, tt := range []struct {
		src  string
		path string
		set  bool
	}{
		{"[package]\nname = \"p\"\n", "", false},
		{"[package]\nname = \"p\"\nbuild = false\n", "", true},
		{"[package]\nname = \"p\"\nbuild = true\n", "build.rs", true},
		{"[package]\nname = \"p\"\nbuild = \"b/main.rs\"\n", "b/main.rs", true},
	} {
		d, err := Parse("Cargo.toml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if p, set := d.BuildScript(); p != tt.path || set != tt.set {
			t.Errorf("%q: BuildScript = %q, %v; want %q, %v", tt.src, p, set, tt.path, tt.set)
		}
	}
}

// A library written with dotted keys or an inline table at the top level
// is a target too.
func TestDottedLibTarget(t *testing.T) {
	for _, src := range []string{
		"package.name = \"core-lib\"\nlib.name = \"corelib\"\nlib.path = \"src/core.rs\"\n[dependencies]\n",
		"lib = { name = \"corelib\", path = \"src/core.rs\" }\n[package]\nname = \"core-lib\"\n",
	} {
		d, err := Parse("Cargo.toml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got := d.Targets()
		if len(got) != 1 || got[0].Kind != "lib" || got[0].Name != "corelib" || got[0].Path != "src/core.rs" {
			t.Errorf("%q: Targets() = %+v", src, got)
		}
	}
}
