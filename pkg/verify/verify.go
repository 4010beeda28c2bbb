// Package verify proves a fix with real cargo. It builds the checklist of
// the remediation guide as data (which cargo commands prove which item),
// runs it (Run), and judges cargo's output: the sys packages a resolved
// graph holds, the chains of a links conflict, and `test result:` lines.
// Running cargo runs the workspace's build scripts and procedural macros,
// so only the verify command and apply --verify call Run; nothing else in
// jemfix runs cargo.
package verify

import (
	"errors"
	"slices"

	"jemfix/pkg/conflict"
	"jemfix/pkg/workspace"
)

// Step is one checklist item and the cargo arguments that prove it.
type Step struct {
	Item string   // what a pass shows, e.g. "riptide-api builds with --no-default-features"
	Args []string // cargo arguments, without the cargo binary
	Kind string   // "resolve", "check", "build" or "test"
}

// Options select the steps and how cargo runs.
type Options struct {
	Offline  bool     // pass --offline to cargo
	Release  bool     // add a release build
	Tests    bool     // add cargo test --workspace --no-fail-fast
	Probe    bool     // build and run the allocator probe
	Cargo    string   // the cargo binary; "" for cargo on PATH
	Progress Progress // told of each step; may be nil
	// Stop, when set and true, ends the checklist before the next step
	// (a signal came): Run then returns ErrStopped.
	Stop func() bool
}

// ErrStopped is Run's error when Options.Stop ended the checklist.
var ErrStopped = errors.New("verify stopped before its last step")

// Steps returns the checklist for a workspace: resolve the whole graph with
// every feature on, then, for every member whose features reach a jemalloc
// crate, check it with default features, with none, with each jemalloc
// feature alone and with all features; then every target of the workspace
// with all features; then the release build and the tests when asked.
func Steps(ws *workspace.Workspace, opt Options) []Step {
	steps := []Step{{Item: "the links conflict is gone and one jemalloc sys crate remains", Kind: "resolve",
		Args: []string{"metadata", "--format-version", "1", "--all-features"}}}
	reach := conflict.NewReach(ws)
	for _, m := range ws.Members {
		feats := reach.Features(m)
		if feats == nil {
			continue
		}
		steps = append(steps,
			check(m.Name, "with default features"),
			check(m.Name, "with --no-default-features", "--no-default-features"))
		for _, f := range feats {
			steps = append(steps, check(m.Name, "with feature "+f+" alone", "--no-default-features", "--features", f))
		}
		steps = append(steps, check(m.Name, "with --all-features", "--all-features"))
	}
	steps = append(steps, Step{Item: "every target of the workspace compiles with all features", Kind: "check",
		Args: []string{"check", "--workspace", "--all-targets", "--all-features"}})
	if opt.Release {
		steps = append(steps, Step{Item: "release build", Kind: "build", Args: []string{"build", "--workspace", "--release"}})
	}
	if opt.Tests {
		steps = append(steps, Step{Item: "tests run", Kind: "test", Args: []string{"test", "--workspace", "--no-fail-fast"}})
	}
	if opt.Offline {
		for i := range steps {
			steps[i].Args = append(slices.Clone(steps[i].Args), "--offline")
		}
	}
	return steps
}

func check(member, how string, flags ...string) Step {
	return Step{Item: member + " compiles " + how, Kind: "check", Args: append([]string{"check", "-p", member}, flags...)}
}
