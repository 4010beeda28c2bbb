package workspace

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"jemfix/internal/cargotest"

	"github.com/google/go-cmp/cmp"
)

// osDirs is a DirFS over a directory of the real file system.
type osDirs string

func (d osDirs) Open(name string) (fs.File, error) { return os.DirFS(string(d)).Open(name) }

func (d osDirs) OpenDir(dir string) (fs.FS, io.Closer, error) {
	return osDirs(filepath.Join(string(d), filepath.FromSlash(dir))), io.NopCloser(nil), nil
}

// walk visits what fs.WalkDir visits, in the same order, with and without
// held-open directories, and skips what the callback skips.
func TestWalkMatchesWalkDir(t *testing.T) {
	base := t.TempDir()
	files := map[string]string{}
	for _, p := range []string{"Cargo.toml", "a/Cargo.toml", "a/src/lib.rs", "a/src/b/c.rs", "a/src/z.rs", "skip/x.rs", "b.md", "c/d/e/f.rs"} {
		files[p] = ""
	}
	cargotest.WriteTree(t, base, files)
	if err := os.Symlink(filepath.Join(base, "a"), filepath.Join(base, "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var want []string
	err := fs.WalkDir(os.DirFS(base), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		want = append(want, p)
		if d.Name() == "skip" {
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, fsys := range []fs.FS{os.DirFS(base), osDirs(base)} {
		var got []string
		err := walk(fsys, func(p string, d fs.DirEntry, dir fs.FS) error {
			got = append(got, p)
			if _, err := fs.Stat(dir, d.Name()); p != "." && err != nil {
				t.Errorf("%s: not in the directory given: %v", p, err)
			}
			if d.Name() == "skip" {
				return fs.SkipDir
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%T: walk differs from fs.WalkDir (-want +got):\n%s", fsys, diff)
		}
	}
	if err := walk(osDirs(filepath.Join(base, "missing")), func(string, fs.DirEntry, fs.FS) error { return nil }); err == nil {
		t.Errorf("walk of a missing root gave no error")
	}
}
