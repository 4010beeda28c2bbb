package check

import (
	"strings"
	"testing"

	"jemfix/pkg/plan"
)

func TestChanges(t *testing.T) {
	display := func(p string) string { return "ws/" + p }
	good := []plan.Change{
		{Path: "Cargo.toml", New: []byte("[package]\nname = \"a\"\n")},
		{Path: "src/lib.rs", New: []byte("use tikv_jemalloc_ctl::epoch;\n")},
		{Path: "README.md", New: []byte("{ not checked")},
		// refused before the edit as after it: not the edit's doing
		{Path: "b/Cargo.toml", Old: []byte("[dependencies]\nx = [1]\n"), New: []byte("[dependencies]\nx = [1]\ny = \"1\"\n")},
	}
	if err := Changes(nil, good, display); err != nil {
		t.Errorf("Changes(good) = %v", err)
	}
	bad := []plan.Change{
		{Path: "Cargo.toml", New: []byte("[package\n")},
		// an entry an edit put into the wrong table
		{Path: "a/Cargo.toml", Old: []byte("[package]\nname = \"a\"\n"), New: []byte("[package]\nname = \"a\"\n[dependencies]\njemalloc = [\"x\"]\n")},
		{Path: "src/lib.rs", New: []byte("fn f( {\n")},
	}
	err := Changes(nil, bad, display)
	if err == nil {
		t.Fatal("Changes(bad) = nil, want both files reported")
	}
	for _, want := range []string{"ws/Cargo.toml:1:", "ws/a/Cargo.toml:4:1", "ws/src/lib.rs:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
