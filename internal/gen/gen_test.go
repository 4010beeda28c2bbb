package gen

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWorkspace(t *testing.T) {
	dir := t.TempDir()
	if err := Workspace(dir, 3, 10, 4); err != nil {
		t.Fatal(err)
	}
	var rs, using int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".rs") {
			return err
		}
		rs++
		b, err := os.ReadFile(p)
		if strings.Contains(string(b), "jemalloc_ctl::") {
			using++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rs != 10 || using != 3 { // files 0, 4 and 8
		t.Errorf("got %d .rs files, %d naming the crate; want 10 and 3", rs, using)
	}
	lib, err := os.ReadFile(filepath.Join(dir, "crates/c0000/src/lib.rs"))
	if err != nil || !strings.Contains(string(lib), "pub mod m001;") || !strings.Contains(string(lib), "pub mod m003;") {
		t.Errorf("c0000/src/lib.rs does not declare its modules: %v\n%s", err, lib)
	}
	if err := Workspace(dir, 0, 1, 1); err == nil {
		t.Error("want an error for zero crates")
	}
}

// TestWrite writes a benchmark tree to $JEMFIX_GEN_DIR, for measuring the
// command line against other tools (docs/PERFORMANCE.md). It is skipped
// unless that variable is set.
func TestWrite(t *testing.T) {
	dir := os.Getenv("JEMFIX_GEN_DIR")
	if dir == "" {
		t.Skip("set JEMFIX_GEN_DIR to write a benchmark workspace")
	}
	if err := Workspace(dir, 1000, 20000, 50); err != nil {
		t.Fatal(err)
	}
}
