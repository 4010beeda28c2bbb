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
	}
	if err := Changes(nil, good, display); err != nil {
		t.Errorf("Changes(good) = %v", err)
	}
	bad := []plan.Change{
		{Path: "Cargo.toml", New: []byte("[package\n")},
		{Path: "src/lib.rs", New: []byte("fn f( {\n")},
	}
	err := Changes(nil, bad, display)
	if err == nil {
		t.Fatal("Changes(bad) = nil, want both files reported")
	}
	for _, want := range []string{"ws/Cargo.toml:1:", "ws/src/lib.rs:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
