package gen

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/pkg/rustedit"
)

func TestWorkspace(t *testing.T) {
	dir := t.TempDir()
	if err := Workspace(dir, 3, 10, 4); err != nil {
		t.Fatal(err)
	}
	rs, using := countRust(t, dir)
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

func TestWorkspaceSized(t *testing.T) {
	const size = 10700
	dir := t.TempDir()
	if err := WorkspaceSized(dir, 3, 12, 4, size); err != nil {
		t.Fatal(err)
	}
	var rs, using int
	lines := map[string]bool{}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".rs") {
			return err
		}
		rs++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// The code starts with plain's first line; in lib.rs, the module
		// declarations come before it.
		body := b[max(strings.Index(string(b), "use std::collections::HashMap;"), 0):]
		if len(body) != size {
			t.Errorf("%s: %d bytes of code, want %d", p, len(body), size)
		}
		if strings.Contains(string(b), "jemalloc_ctl::") {
			using++
			if !hasUsageTail(b) {
				t.Errorf("%s: does not end with a usage form", p)
			}
		}
		if err := rustedit.CheckChange(p, nil, b); err != nil {
			t.Errorf("generated file does not parse: %v", err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			lines[l] = true
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rs != 12 || using != 3 { // files 0, 4 and 8
		t.Errorf("got %d .rs files, %d naming the crate; want 12 and 3", rs, using)
	}
	// Varied, not one repeated block: code repeats braces and blank lines,
	// but a fifth of the lines at least must be distinct.
	if len(lines) < n/5 {
		t.Errorf("%d distinct lines of %d; the padding repeats itself", len(lines), n)
	}
	// Zero bytes per file writes what Workspace writes.
	a, b := t.TempDir(), t.TempDir()
	if err := Workspace(a, 2, 5, 2); err != nil {
		t.Fatal(err)
	}
	if err := WorkspaceSized(b, 2, 5, 2, 0); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"crates/c0000/src/lib.rs", "crates/c0000/src/m001.rs", "crates/c0001/src/m001.rs", "crates/c0001/Cargo.toml"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || string(x) != string(y) {
			t.Errorf("%s differs between Workspace and WorkspaceSized(0): %v %v", f, err1, err2)
		}
	}
	if err := WorkspaceSized(dir, 1, 1, 1, -1); err == nil {
		t.Error("want an error for a negative size")
	}
}

func hasUsageTail(b []byte) bool {
	for n := range 5 {
		if strings.HasSuffix(string(b), usage(n)) {
			return true
		}
	}
	return false
}

func TestPadSize(t *testing.T) {
	for k := range 3 {
		for n := -1; n < 2000; n += 7 {
			if got := len(pad(k, n)); got != max(n, 0) {
				t.Fatalf("len(pad(%d, %d)) = %d", k, n, got)
			}
		}
	}
}

// TestWrite writes a benchmark tree to $JEMFIX_GEN_DIR, for measuring the
// command line against other tools (docs/PERFORMANCE.md). It is skipped
// unless that variable is set. With $JEMFIX_GEN_BYTES set (10700 writes
// the 214 MB tree), each .rs file is padded to that many bytes
// (WorkspaceSized).
func TestWrite(t *testing.T) {
	dir := os.Getenv("JEMFIX_GEN_DIR")
	if dir == "" {
		t.Skip("set JEMFIX_GEN_DIR to write a benchmark workspace")
	}
	size := envInt(t, "JEMFIX_GEN_BYTES", 0, 0, math.MaxInt, "a number of bytes")
	if err := WorkspaceSized(dir, 1000, 20000, 50, size); err != nil {
		t.Fatal(err)
	}
}

// countRust counts the .rs files under dir and those that name jemalloc_ctl.
func countRust(t *testing.T, dir string) (rs, using int) {
	t.Helper()
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
	return rs, using
}
