package workspace_test

import (
	"os"
	"path/filepath"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/pkg/workspace"
)

// RootDir names the root Open loads, with links resolved, whatever path
// inside the workspace the argument is.
func TestRootDir(t *testing.T) {
	a := cargotest.CopyFixture(t, "riptide")
	real, err := filepath.EvalSymlinks(a)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{a, a + "/", filepath.Join(a, "crates/riptide-api"), filepath.Join(a, "crates/riptide-api/src/main.rs"), link, filepath.Join(link, "crates/riptide-core")} {
		got, err := workspace.RootDir(arg)
		if err != nil || got != real {
			t.Errorf("RootDir(%s) = %q, %v; want %q", arg, got, err, real)
		}
		ws, err := workspace.Open(arg)
		if err != nil {
			t.Fatal(err)
		}
		if opened, _ := filepath.EvalSymlinks(ws.Dir); opened != got {
			t.Errorf("RootDir(%s) = %q, but Open loads %q", arg, got, opened)
		}
		ws.Close()
	}
	if _, err := workspace.RootDir(filepath.Join(a, "missing")); err == nil {
		t.Error("RootDir of a missing path: no error")
	}
}
