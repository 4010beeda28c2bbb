package main

import (
	"testing"

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
