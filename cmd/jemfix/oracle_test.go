package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// TestCargoOracle lets real cargo judge Option 1 on every fixture workspace:
// before, a conflicting workspace does not resolve; after `jemfix apply
// --option=1`, it resolves with exactly one jemalloc sys crate, and every
// member compiles with all features and all targets.
func TestCargoOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	tests := []struct {
		fixture  string
		conflict bool
		sys      string // the one sys package left, as "name version"
	}{
		{"riptide", true, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
		{"version-split", true, "tikv-jemalloc-sys 0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7"},
		{"inherited", true, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
		{"single-legacy", false, "tikv-jemalloc-sys 0.4.3+5.2.1-patched.2"},
		{"tikv-only", false, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			dir := cargotest.CopyFixture(t, tt.fixture)
			cargotest.UseStubRegistry(t, dir)

			out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline")
			if tt.conflict != (err != nil) {
				t.Fatalf("before jemfix: generate-lockfile error = %v, want conflict = %v\n%s", err, tt.conflict, out)
			}
			if tt.conflict && !strings.Contains(out, "links to the native library `jemalloc`") {
				t.Fatalf("before jemfix: want the links conflict, got\n%s", out)
			}

			var stdout, stderr bytes.Buffer
			if code := run([]string{"apply", "--option=1", dir}, &stdout, &stderr); code != exitOK {
				t.Fatalf("jemfix apply exited %d\n%s", code, stderr.String())
			}

			if out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline"); err != nil {
				t.Fatalf("after jemfix: generate-lockfile failed: %v\n%s", err, out)
			}
			if got := cargotest.SysPackages(t, dir); !slices.Equal(got, []string{tt.sys}) {
				t.Errorf("after jemfix: Cargo.lock sys packages = %q, want [%q]", got, tt.sys)
			}
			if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-features", "--all-targets"); err != nil {
				t.Fatalf("after jemfix: cargo check failed: %v\n%s", err, out)
			}

			stdout.Reset()
			if code := run([]string{"apply", "--option=1", "--dry-run", dir}, &stdout, &stderr); code != exitOK || stdout.Len() != 0 {
				t.Errorf("second run: exit %d, diff %q; want 0 and no diff", code, stdout.String())
			}
		})
	}
}
