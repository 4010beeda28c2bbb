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

// The walk follows a .rs link from the root, not from its directory: one
// that climbs out of its directory to a file inside the root is no link
// out of the root, one that leaves the root is; a Cargo.toml link inside
// the root makes its directory a package.
func TestWalkLinksFromTheRoot(t *testing.T) {
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{
		"ws/Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\n",
		"ws/crates/a/Cargo.toml": "[package]\nname = \"a\"\n",
		"ws/crates/a/src/lib.rs": "\n",
		"ws/crates/b/real.toml":  "[package]\nname = \"b\"\n",
		"ws/crates/b/src/lib.rs": "\n",
		"outside/x.rs":           "\n",
	})
	for link, target := range map[string]string{
		"ws/crates/a/src/inside.rs": "../../b/src/lib.rs",
		"ws/crates/a/src/out.rs":    "../../../../outside/x.rs",
		"ws/crates/b/Cargo.toml":    "real.toml",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	ws, err := Open(filepath.Join(dir, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	files, err := ws.Walk()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files.Links, " "); got != "crates/a/src/out.rs" {
		t.Errorf("links out of the root: %q, want crates/a/src/out.rs", got)
	}
	if got, _ := files.Package("crates/b"); len(got) != 1 || got[0].Path != "crates/b/src/lib.rs" {
		t.Errorf("crates/b, a package through its linked manifest, has %v", got)
	}
}
