package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"

	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

func TestLockStale(t *testing.T) {
	moves := []plan.Move{{From: "jemalloc-ctl 0.5", To: "tikv-jemalloc-ctl 0.5"}}
	lock := func(pkgs ...workspace.LockPackage) *workspace.Lock { return &workspace.Lock{Packages: pkgs} }
	for _, tt := range []struct {
		name string
		lock *workspace.Lock
		want string
	}{
		{"no lock", nil, ""},
		{"old crate", lock(workspace.LockPackage{Name: "jemalloc-ctl", Version: "0.5.4"}), "still names the old crates"},
		{"old crate, other series", lock(workspace.LockPackage{Name: "jemalloc-ctl", Version: "0.3.3"}), "does not list the new crates yet"},
		{"no jemalloc crate", lock(workspace.LockPackage{Name: "app", Version: "0.1.0"}), "does not list the new crates yet"},
		{"new crate only", lock(workspace.LockPackage{Name: "tikv-jemalloc-ctl", Version: "0.5.4"}), ""},
	} {
		if got := lockStale(tt.lock, moves); got != tt.want {
			t.Errorf("%s: lockStale = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// plan names the packages outside the root it did not read, as scan does,
// in its text and in --json.
func TestPlanUnread(t *testing.T) {
	dir := filepath.Join(cargotest.CopyFixture(t, "outside-root"), "ws")
	var stdout, stderr bytes.Buffer
	run([]string{"plan", dir}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "no conflict inside the root") || !strings.Contains(out, "not read: ../../../shared/legacy-stats") {
		t.Errorf("plan text does not name the unread package:\n%s", out)
	}
	stdout.Reset()
	run([]string{"plan", "--json", dir}, &stdout, &stderr)
	var doc struct{ Unread []string }
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Unread) != 1 || !strings.HasPrefix(doc.Unread[0], "../../../shared/legacy-stats") {
		t.Errorf("plan --json unread = %q (%v)", doc.Unread, err)
	}
}
