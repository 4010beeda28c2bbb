package main

import (
	"testing"

	"jemfix/internal/cargotest"
)

// TestCargoOracleMerge lets real cargo judge Option 1 on a package that
// depends on jemallocator and tikv-jemallocator in one table: the legacy
// entry merges into the tikv one, and the workspace resolves and compiles.
func TestCargoOracleMerge(t *testing.T) {
	cargotest.RequireCargo(t)
	oracleCase{fixture: "both-families", args: []string{"--option=1"}, conflict: true, sys: tikv05}.run(t)
}
