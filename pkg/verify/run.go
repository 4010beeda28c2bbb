package verify

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"jemfix/internal/child"
	"jemfix/pkg/workspace"
)

// Check is one item of the checklist and how it went.
type Check struct {
	Item    string  `json:"item"`
	Command string  `json:"command"`
	Pass    bool    `json:"pass"`
	Seconds float64 `json:"seconds"`
	Detail  string  `json:"detail,omitempty"`
}

// Result is the checklist of one workspace. Its JSON form is part of the
// command's output contract (README, "verify --json").
type Result struct {
	Schema int        `json:"schema"`
	Root   string     `json:"root"`
	Status string     `json:"status"` // pass or fail
	Sys    []string   `json:"sys"`    // the jemalloc sys packages of the resolved graph
	Chains [][]string `json:"chains"` // a links conflict's chains, when the graph does not resolve
	Checks []Check    `json:"checks"`
	Tests  []string   `json:"tests"` // cargo test's `test result:` lines

	metadata []byte // cargo metadata's output, for the probe
}

// Pass reports whether every check passed.
func (r *Result) Pass() bool { return r.Status == "pass" }

// Run walks the checklist on a workspace that Open loaded from disk: the
// static allocator check, then each cargo step, then the probe when asked.
// It runs cargo, and so the workspace's build scripts and procedural
// macros; the probe also writes and removes a small package under target/.
// An error means cargo could not be run at all; a failing check is a
// result.
func Run(ws *workspace.Workspace, opt Options) (*Result, error) {
	cargo := opt.Cargo
	if cargo == "" {
		cargo = "cargo"
	}
	path, err := exec.LookPath(cargo)
	if err != nil {
		return nil, fmt.Errorf("verify needs cargo: %w (use --cargo=PATH)", err)
	}
	r := &Result{Root: ws.Display, Sys: []string{}, Chains: [][]string{}, Checks: []Check{}, Tests: []string{}}
	if err := r.allocators(ws); err != nil {
		return nil, err
	}
	steps := Steps(ws, opt)
	for i, s := range steps {
		if opt.Stop != nil && opt.Stop() {
			return r, ErrStopped
		}
		ch, err := r.step(path, ws.Dir, s, i+1, len(steps), opt.Progress)
		if err != nil {
			return nil, err
		}
		r.Checks = append(r.Checks, ch)
		if s.Kind == "resolve" && !ch.Pass {
			break // nothing compiles while the graph does not resolve
		}
	}
	if opt.Probe && r.metadata != nil {
		if opt.Stop != nil && opt.Stop() {
			return r, ErrStopped
		}
		ch, err := r.probe(path, ws, opt)
		if err != nil {
			return nil, err
		}
		r.Checks = append(r.Checks, ch)
	}
	r.Status = "pass"
	for _, ch := range r.Checks {
		if !ch.Pass {
			r.Status = "fail"
		}
	}
	return r, nil
}

// allocators adds the static check of each member's global allocators.
func (r *Result) allocators(ws *workspace.Workspace) error {
	checks, err := Allocators(ws)
	if err != nil {
		return err
	}
	for _, a := range checks {
		detail := []string{}
		for _, d := range a.Allocators {
			cfg := d.Cfg
			if cfg == "" {
				cfg = "always"
			}
			detail = append(detail, fmt.Sprintf("%s:%d (%s)", ws.Path(d.Path), d.Line, cfg))
		}
		for _, set := range slices.Sorted(maps.Keys(a.Counts)) {
			detail = append(detail, fmt.Sprintf("%s: %d", set, a.Counts[set]))
		}
		r.Checks = append(r.Checks, Check{Item: a.Member + " declares at most one #[global_allocator] under every feature set",
			Command: "(static check, no cargo)", Pass: a.Pass, Detail: strings.Join(detail, "; ")})
	}
	return nil
}

// Progress is told when step n of total starts, and returns what is told
// when it ends.
type Progress func(n, total int, command string) func(Check)

// step runs one cargo command in dir and judges what it printed.
func (r *Result) step(cargo, dir string, s Step, n, total int, progress Progress) (Check, error) {
	command := "cargo " + strings.Join(s.Args, " ")
	done := func(Check) {}
	if progress != nil {
		done = progress(n, total, command)
	}
	start := time.Now()
	cmd := exec.Command(cargo, s.Args...)
	cmd.Dir = dir
	stdout, err := child.Output(child.OwnGroup(cmd))
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return Check{}, fmt.Errorf("running %s: %w", command, err)
	}
	stderr := ""
	if exit != nil {
		stderr = string(exit.Stderr)
	}
	ch := Check{Item: s.Item, Command: command, Pass: err == nil, Seconds: time.Since(start).Round(10 * time.Millisecond).Seconds()}
	r.judge(s, string(stdout), stderr, &ch)
	done(ch)
	return ch, nil
}

// judge reads what cargo printed for a step.
func (r *Result) judge(s Step, stdout, stderr string, ch *Check) {
	switch {
	case s.Kind == "resolve" && ch.Pass:
		r.metadata = []byte(stdout)
		sys, err := SysPackages([]byte(stdout))
		r.Sys = append(r.Sys, sys...)
		if err != nil || len(sys) != 1 {
			ch.Pass = false
			ch.Detail = fmt.Sprintf("want exactly one jemalloc sys crate, the graph holds %d: %s", len(sys), strings.Join(sys, ", "))
			return
		}
		ch.Detail = sys[0]
	case s.Kind == "resolve":
		if chains, ok := LinksConflict(stderr); ok {
			r.Chains = chains
			ch.Detail = "links conflict: " + joinChains(chains)
			return
		}
		if RegistryError(stderr) {
			// Not a verdict on the conflict: cargo never got to resolve it.
			ch.Item = "cargo resolves the graph (it could not fetch the crates, so the links conflict was not judged)"
		}
		ch.Detail = LastLines(stderr, 12)
	case s.Kind == "probe":
		ch.Detail = strings.TrimSpace(stdout + "\n" + LastLines(stderr, 12))
	case s.Kind == "test":
		r.Tests = TestResults(stdout)
		if !ch.Pass {
			ch.Detail = LastLines(stderr, 12)
		}
	case !ch.Pass:
		ch.Detail = LastLines(stderr, 12)
	}
}

// probe builds and runs a program that takes the workspace's resolved
// jemalloc crates as its global allocator and reads stats.allocated after
// an allocation. It is built under target/ with the workspace's cargo
// configuration, and removed afterwards.
func (r *Result) probe(cargo string, ws *workspace.Workspace, opt Options) (Check, error) {
	manifest, main, ok := Probe(r.metadata)
	if !ok {
		return Check{Item: "jemalloc activates as the global allocator (probe)", Command: "(no tikv-jemallocator in the graph)"}, nil
	}
	dir := filepath.Join(ws.Dir, filepath.FromSlash(ProbeDir))
	defer os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		return Check{}, err
	}
	if err := errors.Join(os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(manifest), 0o644),
		os.WriteFile(filepath.Join(dir, "src", "main.rs"), []byte(main), 0o644)); err != nil {
		return Check{}, err
	}
	args := []string{"run", "--quiet", "--manifest-path", filepath.Join(ProbeDir, "Cargo.toml")}
	if opt.Offline {
		args = append(args, "--offline")
	}
	s := Step{Item: "jemalloc activates as the global allocator and counts an allocation (probe)", Kind: "probe", Args: args}
	ch, err := r.step(cargo, ws.Dir, s, 1, 1, opt.Progress)
	if err == nil && ch.Pass && !strings.Contains(ch.Detail, ProbeMarker) {
		ch.Pass = false
	}
	return ch, err
}

func joinChains(chains [][]string) string {
	var parts []string
	for _, ch := range chains {
		parts = append(parts, strings.Join(ch, " -> "))
	}
	return strings.Join(parts, "  versus  ")
}

// LastLines returns the last n lines of s: the end of cargo's output,
// where its error is.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
