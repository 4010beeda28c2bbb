package main

import (
	"testing"

	"jemfix/internal/cargotest"
)

// TestCargoOracleLayouts lets real cargo judge Option 1 on the workspace
// layouts jemfix used to misread: member globs that also match plain files
// (fixtures/glob-files: lib/README.md, crates/Makefile), and a root package
// without [workspace] whose path dependency holds the legacy crate
// (fixtures/root-path-sys). Before the fix, generate-lockfile fails with the
// links conflict; after it, the graph holds one sys crate, the workspace
// compiles, and a second dry run prints nothing.
func TestCargoOracleLayouts(t *testing.T) {
	cargotest.RequireCargo(t)
	var cases []oracleCase
	for _, fixture := range []string{"glob-files", "root-path-sys"} {
		cases = append(cases,
			oracleCase{fixture: fixture, args: []string{"--option=1"}, conflict: true, sys: tikv05},
			oracleCase{fixture: fixture, args: []string{"--option=1", "--keep-names"}, conflict: true, sys: tikv05},
		)
	}
	for _, tt := range cases {
		t.Run(tt.fixture+tt.args[len(tt.args)-1], func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}
