package cargotest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkArgs compiles every target of every member with every feature on,
// which is the widest build the lockfile promises.
var checkArgs = []string{"check", "--offline", "--workspace", "--all-features", "--all-targets"}

// stubFixture copies a fixture and points it at the stub registry.
func stubFixture(t *testing.T, name string) string {
	t.Helper()
	RequireCargo(t)
	dir := CopyFixture(t, name)
	UseStubRegistry(t, dir)
	return dir
}

func mustCargo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := Cargo(t, dir, args...)
	if err != nil {
		t.Fatalf("cargo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// requireResolves generates the lockfile and checks that it holds exactly
// wantSys as its only jemalloc sys crate.
func requireResolves(t *testing.T, dir, wantSys string) {
	t.Helper()
	mustCargo(t, dir, "generate-lockfile", "--offline")
	if diff := cmp.Diff([]string{wantSys}, SysPackages(t, dir)); diff != "" {
		t.Errorf("sys crates in Cargo.lock mismatch (-want +got):\n%s", diff)
	}
}

// requireLinksConflict checks that resolution fails on the jemalloc links key.
func requireLinksConflict(t *testing.T, dir string) {
	t.Helper()
	out, err := Cargo(t, dir, "generate-lockfile", "--offline")
	if err == nil {
		t.Fatalf("generate-lockfile succeeded, want the links conflict:\n%s", out)
	}
	for _, want := range []string{"links to the native library", "`jemalloc`"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestConflictingFixturesFailToResolve(t *testing.T) {
	for _, name := range []string{"riptide", "version-split", "inherited", "two-binaries", "locked"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := stubFixture(t, name)
			requireLinksConflict(t, dir)
			// The manifests alone can still be read while the graph is broken.
			mustCargo(t, dir, "metadata", "--offline", "--no-deps", "--format-version", "1")
		})
	}
}

func TestCleanFixturesBuild(t *testing.T) {
	tests := []struct {
		name    string
		wantSys string
	}{
		{"single-legacy", "jemalloc-sys 0.3.2"},
		{"tikv-only", "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := stubFixture(t, tt.name)
			requireResolves(t, dir, tt.wantSys)
			mustCargo(t, dir, checkArgs...)
		})
	}
}

// edit is a plain string replacement in one file of a fixture copy.
type edit struct {
	file, old, new string
}

// applyEdits applies each edit and fails when its old text is absent, so
// that a fixture change cannot silently turn a hand fix into a no-op.
func applyEdits(t *testing.T, dir string, edits []edit) {
	t.Helper()
	for _, e := range edits {
		path := filepath.Join(dir, filepath.FromSlash(e.file))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), e.old) {
			t.Fatalf("%s does not contain %q", e.file, e.old)
		}
		out := strings.ReplaceAll(string(data), e.old, e.new)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const perfManifest = "crates/riptide-performance/Cargo.toml"

// riptideFix is the fix guide's Option 1 done right: tikv-jemalloc-ctl
// without a package rename, and the Rust paths renamed to match.
var riptideFix = []edit{
	{perfManifest, "jemalloc-ctl", "tikv-jemalloc-ctl"},
	// The implicit feature of the optional dependency is renamed too.
	{"crates/riptide-performance/src/lib.rs", `"jemalloc-ctl"`, `"tikv-jemalloc-ctl"`},
	{"crates/riptide-performance/tests/profiling.rs", `"jemalloc-ctl"`, `"tikv-jemalloc-ctl"`},
	{"crates/riptide-performance/tests/profiling.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
	{"crates/riptide-performance/src/profiling/memory.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
	{"crates/riptide-performance/src/heap.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
	// src/report.rs is left alone: its jemalloc_ctl mentions are a string,
	// a field and a local variable, not paths into the crate.
}

// editCases edit a fixture copy by hand. A case with wantSys resolves to
// that single sys crate and compiles; a case without it still conflicts.
var editCases = []struct {
	name    string
	fixture string
	edits   []edit
	wantSys string
}{
	{"riptide/tikv-ctl", "riptide", riptideFix, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
	{"riptide/rename-form", "riptide", []edit{
		// The dependency keeps its key, so no source file changes.
		{perfManifest, `jemalloc-ctl = { version = "0.5", optional = true }`,
			`jemalloc-ctl = { package = "tikv-jemalloc-ctl", version = "0.5", optional = true }`},
	}, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
	{"riptide/seed-option-1", "riptide", []edit{
		// The fix guide's snippet: package = "jemalloc-ctl" still pulls jemalloc-sys.
		// Feature lists first, so the new package value is not renamed too.
		{perfManifest, `"jemalloc-ctl"`, `"tikv-jemalloc-ctl"`},
		{perfManifest, `jemalloc-ctl = { version = "0.5", optional = true }`,
			`tikv-jemalloc-ctl = { version = "0.5", optional = true, package = "jemalloc-ctl" }`},
	}, ""},
	{"version-split/one-minor", "version-split", []edit{
		{"indexer/Cargo.toml", `jemallocator = "0.5"`, `tikv-jemallocator = "0.6"`},
		// From 0.6 on the stats module needs the feature.
		{"indexer/Cargo.toml", `tikv-jemalloc-ctl = "0.5"`, `tikv-jemalloc-ctl = { version = "0.6", features = ["stats"] }`},
		{"indexer/src/main.rs", "jemallocator::", "tikv_jemallocator::"},
	}, "tikv-jemalloc-sys 0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7"},
	{"version-split/mixed-minor", "version-split", []edit{
		// All tikv now, but 0.5 and 0.6 are two sys packages.
		{"indexer/Cargo.toml", `jemallocator = "0.5"`, `tikv-jemallocator = "0.6"`},
	}, ""},
	{"inherited/tikv", "inherited", []edit{
		{"Cargo.toml", "jemalloc-ctl", "tikv-jemalloc-ctl"},
		{"crates/telemetry/Cargo.toml", "jemalloc-ctl", "tikv-jemalloc-ctl"},
		{"crates/telemetry/src/lib.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
		{"crates/server/Cargo.toml", "[dependencies.jemallocator]", "[dependencies.tikv-jemallocator]"},
		{"crates/server/src/main.rs", "jemallocator::", "tikv_jemallocator::"},
		{"crates/worker/Cargo.toml", "jemalloc-ctl", "tikv-jemalloc-ctl"},
		{"crates/worker/src/main.rs", "jemalloc-ctl", "tikv-jemalloc-ctl"},
		{"crates/worker/src/main.rs", "jemalloc_ctl", "tikv_jemalloc_ctl"},
	}, "tikv-jemalloc-sys 0.5.4+5.3.0-patched"},
}

// TestEditedFixtures shows that the stubs and fixtures make a valid oracle:
// a fixture moved by hand onto one tikv minor version resolves to a single
// sys crate and compiles with every feature, and a half-done or wrong fix
// still hits the links conflict.
func TestEditedFixtures(t *testing.T) {
	for _, tt := range editCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := stubFixture(t, tt.fixture)
			applyEdits(t, dir, tt.edits)
			if tt.wantSys == "" {
				requireLinksConflict(t, dir)
				return
			}
			requireResolves(t, dir, tt.wantSys)
			mustCargo(t, dir, checkArgs...)
		})
	}
}

// TestStaleFeatureNameFailsCheck shows that the oracle catches a
// #[cfg(feature = "jemalloc-ctl")] left behind after the dependency (and so
// its implicit feature) was renamed.
func TestStaleFeatureNameFailsCheck(t *testing.T) {
	t.Parallel()
	dir := stubFixture(t, "riptide")
	var partial []edit
	for _, e := range riptideFix {
		if e.old != `"jemalloc-ctl"` || !strings.HasSuffix(e.file, "lib.rs") {
			partial = append(partial, e)
		}
	}
	applyEdits(t, dir, partial)
	requireResolves(t, dir, "tikv-jemalloc-sys 0.5.4+5.3.0-patched")
	out, err := Cargo(t, dir, checkArgs...)
	if err == nil {
		t.Fatalf("cargo check passed with a stale feature name:\n%s", out)
	}
	if !strings.Contains(out, "unexpected `cfg` condition value") || !strings.Contains(out, "jemalloc-ctl") {
		t.Errorf("output does not report the stale cfg:\n%s", out)
	}
}
