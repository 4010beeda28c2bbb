package cargotest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The fixtures in this file are the planner's shapes: two-binaries (several
// binaries, each declaring its own #[global_allocator]) and locked (a
// tikv-jemalloc-sys 0.5 pinned in Cargo.lock through librocksdb-sys).

const sys05 = "tikv-jemalloc-sys 0.5.4+5.3.0-patched"

// twoBinariesFix moves every family crate of two-binaries to the tikv crates
// of the 0.5 series and renames the Rust paths to match.
var twoBinariesFix = []edit{
	// The dependency key and the implicit feature named in `stats`.
	{"crates/fleet-common/Cargo.toml", "jemalloc-ctl", "tikv-jemalloc-ctl"},
	{"crates/fleet-common/src/lib.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
	{"crates/fleet-query/Cargo.toml", `jemallocator = "0.5"`, `tikv-jemallocator = "0.5"`},
	{"crates/fleet-query/src/main.rs", "jemallocator::", "tikv_jemallocator::"},
}

// lockedTo05 moves locked onto the series that Cargo.lock pins through
// librocksdb-sys.
var lockedTo05 = []edit{
	{"crates/edge/Cargo.toml", `tikv-jemallocator = "0.6"`, `tikv-jemallocator = "0.5"`},
	{"crates/probe/Cargo.toml", `jemalloc-ctl = "0.5"`, `tikv-jemalloc-ctl = "0.5"`},
	{"crates/probe/src/main.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
}

// lockedTo06 moves locked onto the highest tikv series its members name,
// ignoring the lock: librocksdb-sys still needs tikv-jemalloc-sys ^0.5.
var lockedTo06 = []edit{
	{"crates/probe/Cargo.toml", `jemalloc-ctl = "0.5"`, `tikv-jemalloc-ctl = "0.6"`},
	{"crates/probe/src/main.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
}

// lockedConflictFree is the workspace the committed Cargo.lock was generated
// from: edge and probe before they took their jemalloc crates.
var lockedConflictFree = []edit{
	{"crates/edge/Cargo.toml", "# Took the newest tikv-jemallocator when the edge service was added.\n", ""},
	{"crates/edge/Cargo.toml", "tikv-jemallocator = \"0.6\"\n", ""},
	{"crates/probe/Cargo.toml", "jemalloc-ctl = \"0.5\"\n", ""},
}

// TestLockedFailureKeepsLock shows that a failed resolution leaves the
// committed Cargo.lock as it was, so jemfix still finds the pin there.
func TestLockedFailureKeepsLock(t *testing.T) {
	t.Parallel()
	dir := stubFixture(t, "locked")
	lock := filepath.Join(dir, "Cargo.lock")
	before, err := os.ReadFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	requireLinksConflict(t, dir)
	after, err := os.ReadFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("Cargo.lock changed by a failed resolution:\n%s", cmp.Diff(string(before), string(after)))
	}
}

// TestLockedLockIsCargos shows that the committed Cargo.lock is what cargo
// writes for the conflict-free variant of the workspace, and that it pins
// tikv-jemalloc-sys 0.5 through librocksdb-sys.
func TestLockedLockIsCargos(t *testing.T) {
	t.Parallel()
	committed, err := os.ReadFile(filepath.Join(ModuleRoot(t), "fixtures", "locked", "Cargo.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"name = \"librocksdb-sys\"\nversion = \"0.16.0+8.10.0\"\n",
		"dependencies = [\n \"tikv-jemalloc-sys\",\n]\n",
		"name = \"tikv-jemalloc-sys\"\nversion = \"0.5.4+5.3.0-patched\"\n",
	} {
		if !bytes.Contains(committed, []byte(want)) {
			t.Errorf("fixtures/locked/Cargo.lock lacks %q", want)
		}
	}

	dir := stubFixture(t, "locked")
	applyEdits(t, dir, lockedConflictFree)
	if err := os.Remove(filepath.Join(dir, "Cargo.lock")); err != nil {
		t.Fatal(err)
	}
	requireResolves(t, dir, sys05)
	got, err := os.ReadFile(filepath.Join(dir, "Cargo.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(committed), string(got)); diff != "" {
		t.Errorf("regenerated Cargo.lock differs from the committed one (-committed +cargo):\n%s", diff)
	}
}

// TestShapeFixturesFixed shows that the hand fixes resolve to one sys crate
// and compile with every feature of every member, and that wrong fixes
// still conflict.
func TestShapeFixturesFixed(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		edits   []edit
		wantSys string
		// wantInOutput are further strings the links error must contain.
		wantInOutput []string
	}{
		{name: "two-binaries/tikv-0.5", fixture: "two-binaries", edits: twoBinariesFix, wantSys: sys05},
		{name: "two-binaries/query-only", fixture: "two-binaries", edits: twoBinariesFix[2:],
			// fleet-common's jemalloc-ctl is optional and no default feature
			// enables it, yet it still takes part in resolution.
			wantInOutput: []string{
				"package `jemalloc-sys v0.5.4+5.3.0-patched`",
				"of package `fleet-common v0.4.0",
			}},
		{name: "locked/tikv-0.5", fixture: "locked", edits: lockedTo05, wantSys: sys05},
		{name: "locked/tikv-0.6", fixture: "locked", edits: lockedTo06,
			// librocksdb-sys cannot follow to 0.6, so two tikv-jemalloc-sys
			// versions remain.
			wantInOutput: []string{
				"required by package `librocksdb-sys v0.16.0+8.10.0`",
				"versions that meet the requirements `^0.5` are: 0.5.4+5.3.0-patched",
				"package `tikv-jemalloc-sys v0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7`",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := stubFixture(t, tt.fixture)
			applyEdits(t, dir, tt.edits)
			if tt.wantSys == "" {
				out, err := Cargo(t, dir, "generate-lockfile", "--offline")
				if err == nil {
					t.Fatalf("generate-lockfile succeeded, want the links conflict:\n%s", out)
				}
				for _, want := range append([]string{"links to the native library `jemalloc`"}, tt.wantInOutput...) {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q:\n%s", want, out)
					}
				}
				return
			}
			requireResolves(t, dir, tt.wantSys)
			mustCargo(t, dir, checkArgs...)
		})
	}
}
