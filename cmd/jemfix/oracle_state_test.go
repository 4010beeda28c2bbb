package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// TestCargoOracleStates lets real cargo judge the fixtures of workspaces in
// the states real repositories are found in (issue 12): shared entries no
// member inherits, half-migrated packages, healthy workspaces.
func TestCargoOracleStates(t *testing.T) {
	cargotest.RequireCargo(t)
	cases := []oracleCase{
		// The unused tikv-jemalloc-ctl 0.6 must not pull the series to 0.6.
		{fixture: "unused-workspace-dep", args: []string{"--option=1"}, conflict: true, sys: tikv05},
		{fixture: "unused-workspace-dep", args: []string{"--option=1", "--keep-names"}, conflict: true, sys: tikv05},
		{fixture: "unused-workspace-dep", args: []string{"--option=auto"}, conflict: true, sys: tikv05},
	}
	// Manifests already on tikv, sources not: Option 1 renames the paths
	// (and the cfg feature names) to the crates the packages depend on.
	noDefault := []string{"check", "--offline", "--workspace", "--all-targets", "--no-default-features"}
	cases = append(cases,
		oracleCase{fixture: "half-migrated", args: []string{"--option=1"}, broken: true, sys: tikv05, checks: [][]string{noDefault}},
		oracleCase{fixture: "half-migrated", args: []string{"--option=auto"}, broken: true, sys: tikv05},
	)
	// A [patch] of the old sys crate no longer applies after the move: it is
	// reported, left alone, and cargo resolves without it.
	cases = append(cases, oracleCase{fixture: "patched-sys", args: []string{"--option=1"}, conflict: true, sys: tikv05})
	// Public feature names survive: the old implicit feature still builds
	// and still switches jemalloc on; --rename-features renames it.
	oldFeature := []string{"check", "--offline", "-p", "riptide-performance", "--all-targets", "--no-default-features", "--features", "jemalloc-ctl"}
	newFeature := []string{"check", "--offline", "-p", "riptide-performance", "--all-targets", "--no-default-features", "--features", "tikv-jemalloc-ctl"}
	cases = append(cases,
		oracleCase{fixture: "riptide", args: []string{"--option=1"}, conflict: true, sys: tikv05, checks: [][]string{oldFeature}},
		oracleCase{fixture: "riptide", args: []string{"--option=1", "--rename-features"}, conflict: true, sys: tikv05, checks: [][]string{newFeature}},
	)
	// A healthy workspace is left alone by every option.
	for _, args := range [][]string{{"--option=1"}, {"--option=1", "--keep-names"}, {"--option=2"}, {"--option=3"}, {"--option=auto"}} {
		cases = append(cases, oracleCase{fixture: "tikv-only", args: args, sys: tikv05, healthy: true})
	}
	for _, tt := range cases {
		t.Run(tt.fixture+strings.Join(tt.args, ""), func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}

// A path dependency that leaves the root is not read, so jemfix cannot
// prove the conflict gone: apply says so, reports resolves as unknown and
// exits 3, and cargo confirms that the conflict is there, out of reach.
func TestCargoOracleOutsideRoot(t *testing.T) {
	cargotest.RequireCargo(t)
	top := cargotest.CopyFixture(t, "outside-root")
	cargotest.UseStubRegistry(t, top)
	dir := filepath.Join(top, "ws")
	if out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline"); err == nil || !strings.Contains(out, "links to the native library `jemalloc`") {
		t.Fatalf("before jemfix: want the links conflict, got %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", "--json", dir}, &stdout, &stderr); code != exitPending {
		t.Fatalf("apply exited %d, want %d\n%s", code, exitPending, stderr.String())
	}
	var doc struct {
		Resolves *bool    `json:"resolves"`
		Unread   []string `json:"unread"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Resolves != nil || len(doc.Unread) != 1 || !strings.Contains(doc.Unread[0], "../../../shared/legacy-stats (path dependency legacy-stats of app") {
		t.Errorf("resolves %v, unread %q; want null and the shared package", doc.Resolves, doc.Unread)
	}
	if out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline"); err == nil || !strings.Contains(out, "links to the native library `jemalloc`") {
		t.Errorf("after jemfix: the conflict outside the root should remain, got %v\n%s", err, out)
	}
}
