// Package wstest builds small workspaces in memory for tests.
package wstest

import (
	"testing"
	"testing/fstest"

	"jemfix/pkg/workspace"
)

// Files builds a file system from "path", "content" pairs.
func Files(pairs ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(pairs); i += 2 {
		fsys[pairs[i]] = &fstest.MapFile{Data: []byte(pairs[i+1])}
	}
	return fsys
}

// Load loads the workspace at the top of fsys, displayed as "ws", and fails
// the test on an error.
func Load(t testing.TB, fsys fstest.MapFS) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Load(fsys, "ws")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ws
}

// VirtualRoot is a virtual manifest whose members are crates/*, minus
// crates/old.
const VirtualRoot = "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n"
