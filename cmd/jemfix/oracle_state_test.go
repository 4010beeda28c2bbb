package main

import (
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
