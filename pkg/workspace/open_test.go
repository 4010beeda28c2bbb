package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// A directory opened through the workspace's file system reads its files,
// a link out of the root is not opened, and Lstat still works.
func TestRootFSOpenDir(t *testing.T) {
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{"ws/src/lib.rs": "fn f() {}\n", "outside/secret.rs": "secret\n"})
	if err := os.Symlink(filepath.Join(dir, "outside"), filepath.Join(dir, "ws/escape")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	root, err := os.OpenRoot(filepath.Join(dir, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fsys, ok := RootFS(root).(DirFS)
	if !ok {
		t.Fatalf("RootFS is not a DirFS")
	}
	sub, c, err := fsys.OpenDir("src")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := sub.(DirFS); !ok {
		t.Errorf("OpenDir gave a %T, not a DirFS", sub)
	}
	if b, err := fs.ReadFile(sub, "lib.rs"); err != nil || string(b) != "fn f() {}\n" {
		t.Errorf("ReadFile(lib.rs) = %q, %v", b, err)
	}
	if _, _, err := fsys.OpenDir("escape"); err == nil {
		t.Errorf("OpenDir(escape) followed a link out of the root")
	}
	if _, err := fs.Lstat(fsys, "escape"); err != nil {
		t.Errorf("Lstat through the wrapper: %v", err)
	}
}

// A member directory that is a symbolic link to another member is refused,
// as cargo refuses it: editing through both paths would change one file
// twice.
func TestSymlinkedMemberRefused(t *testing.T) {
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{
		"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\n",
		"crates/a/Cargo.toml": "[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"crates/a/src/lib.rs": "pub use jemalloc_ctl::epoch;\n",
	})
	if err := os.Symlink("a", filepath.Join(dir, "crates", "b")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), `two packages named "a" in this workspace`) || !strings.Contains(err.Error(), "goes through a symbolic link") {
		t.Errorf("Open = %v, want the two-packages refusal", err)
	}
}
