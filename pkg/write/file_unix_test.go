//go:build unix

package write

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// File replaces a regular file, follows a symbolic link to one, and
// writes through anything else (a FIFO here, /dev/null for a user), which
// a rename would replace with a regular file.
func TestFileTargets(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.md")
	writeFile(t, real, "old", 0o644)
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink("real.md", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := File(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("the linked file holds %q, want new", b)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := File(fifo, []byte("report")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report" {
		t.Errorf("read %q from the FIFO", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi, err)
	}
	if err := File(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("File(dir) = %v", err)
	}
	if left := entries(t, dir); len(left) != 3 {
		t.Errorf("files left: %v", left)
	}
}
