package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// Sys packages the fixtures end with, as "name version" in Cargo.lock.
const (
	tikv04 = "tikv-jemalloc-sys 0.4.3+5.2.1-patched.2"
	tikv05 = "tikv-jemalloc-sys 0.5.4+5.3.0-patched"
	tikv06 = "tikv-jemalloc-sys 0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7"
)

// oracleCase is one fixture fixed one way and judged by real cargo.
type oracleCase struct {
	fixture  string
	args     []string // apply flags besides the path
	conflict bool     // the fixture does not resolve before the fix
	sys      string   // the one sys package left; "" when the fix must leave the conflict
	checks   [][]string
	healthy  bool // the fix must change nothing: the dry run prints no diff
	broken   bool // the fixture resolves but does not compile before the fix
}

var allFeatures = []string{"check", "--offline", "--workspace", "--all-features", "--all-targets"}

// TestCargoOracle lets real cargo judge every option on every fixture:
// before, a conflicting workspace does not resolve; after `jemfix apply`,
// it resolves with exactly one jemalloc sys crate and compiles, or, for
// Option 2, still fails as jemfix said it would.
func TestCargoOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	noDefault := []string{"check", "--offline", "--workspace", "--all-targets", "--no-default-features"}
	defaults := []string{"check", "--offline", "--workspace", "--all-targets"}
	var cases []oracleCase
	for fixture, sys := range map[string]string{
		"riptide": tikv05, "version-split": tikv06, "inherited": tikv05, "two-binaries": tikv05, "locked": tikv05,
	} {
		cases = append(cases,
			oracleCase{fixture: fixture, args: []string{"--option=1"}, conflict: true, sys: sys},
			oracleCase{fixture: fixture, args: []string{"--option=1", "--keep-names"}, conflict: true, sys: sys},
			oracleCase{fixture: fixture, args: []string{"--option=2", "--force"}, conflict: true},
		)
		if fixture != "version-split" {
			cases = append(cases, oracleCase{fixture: fixture, args: []string{"--option=3"}, conflict: true, sys: sys,
				checks: [][]string{allFeatures, defaults, noDefault}})
		}
	}
	cases = append(cases,
		oracleCase{fixture: "single-legacy", args: []string{"--option=1"}, sys: tikv04},
		oracleCase{fixture: "single-legacy", args: []string{"--option=1", "--keep-names"}, sys: tikv04},
		oracleCase{fixture: "tikv-only", args: []string{"--option=1"}, sys: tikv05},
		// An edition-2015 library whose public extern crate a dependent
		// names: the old name stays declared beside the new one.
		oracleCase{fixture: "edition2015", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "edition2015", args: []string{"--option=1", "--keep-names"}, conflict: true, sys: tikv05},
		// A half-done upgrade to 0.6 whose control entry lacks "stats"
		// while the code uses the stats module: the fix enables it.
		// An owner that re-exports its control crate already, behind the
		// implicit feature of its optional entry.
		oracleCase{fixture: "owner-reexport", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-reexport", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// An owner whose root binds the crates' names already, publicly
		// behind a feature and privately behind a cfg over several lines.
		oracleCase{fixture: "owner-bindings", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-bindings", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		oracleCase{fixture: "stats-bump", args: []string{"--option=1"}, conflict: true, sys: tikv06},
		oracleCase{fixture: "stats-bump", args: []string{"--option=3"}, conflict: true, sys: tikv06,
			checks: [][]string{allFeatures, defaults, noDefault}},
		oracleCase{fixture: "two-binaries", args: []string{"--option=auto"}, conflict: true, sys: tikv05},
		// The owner's feature may name only its optional entries, with
		// "dep:" where the manifest already does.
		oracleCase{fixture: "owner-features", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-features", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// An owner with its own [lib] name, its allocator in complementary
		// target tables and already re-exported; a member whose default
		// feature names its allocator.
		oracleCase{fixture: "owner-shapes", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-shapes", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// An owner whose optional entry's implicit feature other members
		// enable by name, moving into 0.6 (stats) with crate features of
		// its own and of the dropped entries.
		oracleCase{fixture: "owner-implicit", args: []string{"--option=1"}, conflict: true, sys: tikv06},
		oracleCase{fixture: "owner-implicit", args: []string{"--option=3"}, conflict: true, sys: tikv06,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// No library but the server's own, whose main binary declares the
		// allocator: the server's library owns jemalloc.
		oracleCase{fixture: "owner-binary", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-binary", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// A half-migrated owner, whose root still imports Jemalloc from
		// the crate its manifest no longer names: the import is finished,
		// and becomes the re-export.
		oracleCase{fixture: "owner-half-migrated", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-half-migrated", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// An owner with its allocator optional in [dependencies] and
		// always there on macOS: the re-export holds wherever either does.
		oracleCase{fixture: "owner-mixed-target", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-mixed-target", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// An owner that depends on a member whose tests use the control
		// crate: the member's dev-dependency back on the owner is a cycle
		// cargo builds.
		oracleCase{fixture: "owner-dev-cycle", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "owner-dev-cycle", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// Re-exports of the crate itself beside a private binding of the
		// new name, which they must not re-export (E0365).
		oracleCase{fixture: "reexport-private", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		oracleCase{fixture: "reexport-private", args: []string{"--option=3"}, conflict: true, sys: tikv05,
			checks: [][]string{allFeatures, defaults, noDefault}},
		// A crate outside the family that depends on tikv-jemalloc-ctl 0.6
		// (jemalloc_pprof), with no Cargo.lock: the fix moves to its series.
		oracleCase{fixture: "pprof-series", args: []string{"--option=1"}, conflict: true, sys: tikv06},
		oracleCase{fixture: "pprof-series", args: []string{"--option=3"}, conflict: true, sys: tikv06,
			checks: [][]string{allFeatures, defaults, noDefault}},
	)
	for _, tt := range cases {
		t.Run(tt.fixture+strings.Join(tt.args, ""), func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}

func (tt oracleCase) run(t *testing.T) {
	dir := cargotest.CopyFixture(t, tt.fixture)
	cargotest.UseStubRegistry(t, dir)
	if tt.fixture != "locked" { // its Cargo.lock is part of the fixture
		out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline")
		if tt.conflict != (err != nil) {
			t.Fatalf("before jemfix: generate-lockfile error = %v, want conflict = %v\n%s", err, tt.conflict, out)
		}
		if tt.conflict && !strings.Contains(out, "links to the native library `jemalloc`") {
			t.Fatalf("before jemfix: want the links conflict, got\n%s", out)
		}
	}
	if tt.broken {
		if out, err := cargotest.Cargo(t, dir, allFeatures...); err == nil {
			t.Fatalf("before jemfix: want cargo check to fail, it passed\n%s", out)
		}
	}
	var stdout, stderr bytes.Buffer
	if tt.healthy {
		args := append(append([]string{"apply", "--dry-run"}, tt.args...), dir)
		if code := run(args, &stdout, &stderr); code != exitOK || stdout.Len() != 0 {
			t.Fatalf("healthy workspace: dry run exit %d, diff %q; want 0 and no diff\n%s", code, stdout.String(), stderr.String())
		}
	}
	want := exitOK
	if tt.sys == "" {
		want = exitPending
	}
	if code := run(append(append([]string{"apply"}, tt.args...), dir), &stdout, &stderr); code != want {
		t.Fatalf("jemfix apply exited %d, want %d\n%s", code, want, stderr.String())
	}
	out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline")
	if tt.sys == "" {
		if err == nil || !strings.Contains(out, "links to the native library `jemalloc`") {
			t.Fatalf("after a fix that leaves the conflict: generate-lockfile error = %v\n%s", err, out)
		}
		return
	}
	if err != nil {
		t.Fatalf("after jemfix: generate-lockfile failed: %v\n%s", err, out)
	}
	if got := cargotest.SysPackages(t, dir); !slices.Equal(got, []string{tt.sys}) {
		t.Errorf("after jemfix: Cargo.lock sys packages = %q, want [%q]", got, tt.sys)
	}
	for _, check := range append([][]string{allFeatures}, tt.checks...) {
		if out, err := cargotest.Cargo(t, dir, check...); err != nil {
			t.Fatalf("after jemfix: cargo %s failed: %v\n%s", strings.Join(check, " "), err, out)
		}
	}
	stdout.Reset()
	args := append(append([]string{"apply", "--dry-run"}, tt.args...), dir)
	if code := run(args, &stdout, &stderr); code != exitOK || stdout.Len() != 0 {
		t.Errorf("second run: exit %d, diff %q; want 0 and no diff", code, stdout.String())
	}
}
