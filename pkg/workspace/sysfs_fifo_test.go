//go:build unix

package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jemfix/internal/cargotest"
)

// A FIFO where a file is expected is an error, not a read that waits for
// a writer: by its name, by a path of several elements, and through a
// link, which the os.Root opens.
func TestSysFSReadIntoFIFO(t *testing.T) {
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{"Cargo.toml": "[workspace]\n", "a/src/lib.rs": "\n"})
	for _, p := range []string{"pipe.rs", "a/src/pipe.rs"} {
		if err := syscall.Mkfifo(filepath.Join(dir, filepath.FromSlash(p)), 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	}
	if err := os.Symlink("a/src/pipe.rs", filepath.Join(dir, "link.rs")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	fsys, _ := openRoots(t, dir)
	for _, p := range []string{"pipe.rs", "a/src/pipe.rs", "link.rs"} {
		done := make(chan error, 1)
		go func() {
			_, err := ReadInto(nil, fsys, p, "ws/"+p, MaxSourceSize)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("ReadInto(%s) = %v, want a not-a-regular-file error", p, err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("ReadInto(%s) still waits on the FIFO after 10 s", p)
			// A writer lets the open return, and the root close; without
			// a reader waiting, opening one fails at once.
			for _, f := range []string{"pipe.rs", "a/src/pipe.rs"} {
				if w, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(f)), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
			}
			<-done
		}
	}
}
