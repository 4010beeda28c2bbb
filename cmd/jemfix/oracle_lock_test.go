package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// apply --lock refreshes Cargo.lock with cargo's minimal update: afterwards
// `cargo metadata --locked` passes, the lock holds one sys package, and the
// packages the fix did not touch keep their locked versions. Without
// --lock, apply prints the command to run.
func TestCargoOracleLock(t *testing.T) {
	cargotest.RequireCargo(t)
	dir := cargotest.CopyFixture(t, "locked")
	cargotest.UseStubRegistry(t, dir)
	before := lockedVersions(t, dir)

	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", "--dry-run", dir}, &stdout, &stderr); code != exitPending {
		t.Fatalf("dry run exited %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "Cargo.lock does not list the new crates yet; refresh it with: cargo update --workspace") {
		t.Errorf("without --lock, apply does not say how to refresh Cargo.lock:\n%s", stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"apply", "--option=1", "--lock", "--offline", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("apply --lock exited %d\n%s", code, stderr.String())
	}
	if out, err := cargotest.Cargo(t, dir, "metadata", "--locked", "--offline", "--format-version", "1"); err != nil {
		t.Fatalf("cargo metadata --locked after apply --lock: %v\n%s", err, out)
	}
	if got := cargotest.SysPackages(t, dir); !slices.Equal(got, []string{tikv05}) {
		t.Errorf("Cargo.lock sys packages = %q, want [%q]", got, tikv05)
	}
	after := lockedVersions(t, dir)
	for name, v := range before {
		if strings.Contains(name, "jemalloc") {
			continue
		}
		if after[name] != v {
			t.Errorf("%s moved from %s to %s; only the jemalloc crates may change", name, v, after[name])
		}
	}
}

// A Cargo.lock refresh that fails leaves the manifests written and says
// that only the lock step failed, with exit 4.
func TestLockFailure(t *testing.T) {
	cargotest.RequireCargo(t)
	dir := cargotest.CopyFixture(t, "locked")
	cargotest.UseStubRegistry(t, dir)
	fake := filepath.Join(t.TempDir(), "cargo")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'error: no registry here' >&2\nexit 101\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"apply", "--option=1", "--lock", "--cargo", fake, dir}, &stdout, &stderr)
	if code != exitWritten {
		t.Errorf("exit %d, want %d\n%s", code, exitWritten, stderr.String())
	}
	if !strings.Contains(stderr.String(), "written, but Cargo.lock was not refreshed") || !strings.Contains(stderr.String(), "no registry here") {
		t.Errorf("stderr does not say only the lock step failed:\n%s", stderr.String())
	}
	m, _ := os.ReadFile(filepath.Join(dir, "crates", "probe", "Cargo.toml"))
	if !bytes.Contains(m, []byte("tikv-jemalloc-ctl")) {
		t.Errorf("the manifests were not written:\n%s", m)
	}
}

// lockedVersions reads name -> versions from Cargo.lock.
func lockedVersions(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, vs := range cargotest.LockedPackages(t, dir) {
		out[name] = strings.Join(vs, ",")
	}
	return out
}

// --lock on a workspace without Cargo.lock writes the fix and says there
// was no lock to refresh, instead of nothing.
func TestLockWithoutLockFile(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", "--lock", "--allow-dirty", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("apply --lock exited %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "has no Cargo.lock, so there was none to refresh") {
		t.Errorf("apply --lock without a lock file:\n%s", stderr.String())
	}
}
