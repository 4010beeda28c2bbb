package write

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/pkg/plan"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// entries lists every file under dir, to prove no temporary file stays.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestWriteChanges(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.toml"), "old a", 0o644)
	writeFile(t, filepath.Join(dir, "sub/b.sh"), "old b", 0o755)
	changes := []plan.Change{
		{Path: "a.toml", Old: []byte("old a"), New: []byte("new a")},
		{Path: "sub/b.sh", Old: []byte("old b"), New: []byte("new b")},
	}
	if err := Changes(dir, changes); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"a.toml": "new a", "sub/b.sh": "new b"} {
		got, _ := os.ReadFile(filepath.Join(dir, path))
		if string(got) != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "sub/b.sh")); fi.Mode().Perm() != 0o755 {
		t.Errorf("mode = %v, want 0755 kept", fi.Mode().Perm())
	}
	if got := entries(t, dir); len(got) != 2 {
		t.Errorf("files after write = %q, want only the two targets", got)
	}
}

func TestWriteChangesRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.toml"), "old a", 0o644)
	writeFile(t, filepath.Join(dir, "b.toml"), "edited meanwhile", 0o644)
	changes := []plan.Change{
		{Path: "a.toml", Old: []byte("old a"), New: []byte("new a")},
		{Path: "b.toml", Old: []byte("old b"), New: []byte("new b")},
	}
	err := Changes(dir, changes)
	if err == nil || !strings.Contains(err.Error(), "changed since jemfix read it") {
		t.Fatalf("writeChanges error = %v, want a changed-file error", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.toml")); string(got) != "old a" {
		t.Errorf("a.toml = %q: written although another file failed", got)
	}
	if got := entries(t, dir); len(got) != 2 {
		t.Errorf("files after refusal = %q, want no temporary files", got)
	}
}

func TestWriteChangesRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real.toml"), "old", 0o644)
	if err := os.Symlink("real.toml", filepath.Join(dir, "link.toml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	err := Changes(dir, []plan.Change{{Path: "link.toml", Old: []byte("old"), New: []byte("new")}})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("writeChanges error = %v, want a symlink refusal", err)
	}
}

func TestWriteChangesCreates(t *testing.T) {
	dir := t.TempDir()
	if err := Changes(dir, []plan.Change{{Path: "README.md", New: []byte("hello\n")}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(got) != "hello\n" {
		t.Errorf("README.md = %q", got)
	}
	err := Changes(dir, []plan.Change{{Path: "README.md", New: []byte("again\n")}})
	if err == nil || !strings.Contains(err.Error(), "appeared since jemfix looked") {
		t.Errorf("creating over an existing file: err = %v", err)
	}
}

func TestWriteChangesCreatesDirectories(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.toml"), "edited meanwhile", 0o644)
	changes := []plan.Change{
		{Path: "docs/technical/SETUP.md", New: []byte("x\n")},
		{Path: "a.toml", Old: []byte("old a"), New: []byte("new a")},
	}
	if err := Changes(dir, changes); err == nil {
		t.Fatal("writeChanges succeeded over a changed file")
	}
	if _, err := os.Stat(filepath.Join(dir, "docs")); !os.IsNotExist(err) {
		t.Errorf("docs/ left behind after a refused write: %v", err)
	}
	if err := Changes(dir, changes[:1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "docs/technical/SETUP.md")); string(got) != "x\n" {
		t.Errorf("SETUP.md = %q", got)
	}
}
