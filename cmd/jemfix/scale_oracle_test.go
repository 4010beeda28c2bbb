package main

import (
	"bytes"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/internal/gen"
)

// TestScaleOracle runs `jemfix apply --option=1` on a small scaling
// workspace (gen.WriteScale: path dependencies in a chain, inherited and
// spelled-out package fields, every form once with its decoys, and plain
// files) and lets two
// judges score it: gen.Oracle compares every line of every .rs file with
// the hand-written expected text, and real cargo resolves and compiles the
// result against the stub registry.
func TestScaleOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	s := gen.Scale{Crates: 8, FilesPerCrate: 3, BytesPerFile: 2000, Every: 2}
	if s.Using() < gen.ScaleForms() {
		t.Fatalf("%d files name jemalloc_ctl, fewer than the %d forms", s.Using(), gen.ScaleForms())
	}
	dir := t.TempDir()
	if err := gen.WriteScale(dir, s); err != nil {
		t.Fatal(err)
	}
	cargotest.UseStubRegistry(t, dir)

	out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline")
	if err == nil || !strings.Contains(out, "links to the native library `jemalloc`") {
		t.Fatalf("before jemfix: generate-lockfile error = %v, want the links conflict\n%s", err, out)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("jemfix apply exited %d, want %d\n%s", code, exitOK, stderr.String())
	}

	sc, msgs, err := gen.Oracle(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("oracle: %v", sc)
	if !sc.Perfect() || sc.Correct == 0 || sc.Decoys == 0 || sc.Files != s.Files() {
		t.Errorf("oracle: %v, perfect %v\n%s", sc, sc.Perfect(), strings.Join(msgs, "\n"))
	}

	if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-targets", "--all-features"); err != nil {
		t.Fatalf("after jemfix: cargo check failed: %v\n%s", err, out)
	}
	if sys := cargotest.SysPackages(t, dir); len(sys) != 1 || !strings.HasPrefix(sys[0], "tikv-jemalloc-sys 0.5.") {
		t.Errorf("after jemfix: Cargo.lock sys packages = %q, want one tikv-jemalloc-sys 0.5", sys)
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"apply", "--dry-run", "--option=1", dir}, &stdout, &stderr); code != exitOK || stdout.Len() != 0 {
		t.Errorf("second run: exit %d, diff %q; want %d and no diff\n%s", code, stdout.String(), exitOK, stderr.String())
	}
}
