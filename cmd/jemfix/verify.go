package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"jemfix/pkg/verify"
)

const verifyUsage = `Usage: jemfix verify [flags] [PATH]

Proves a fix with real cargo and walks the remediation guide's checklist:
the graph resolves with every feature on and holds one jemalloc sys crate;
each member whose features reach jemalloc compiles with default features,
with none, with each jemalloc feature alone and with all of them; every
target compiles; each binary declares at most one #[global_allocator] under
every feature set (checked statically); and, when asked, the release build
and the tests.

Safety: cargo runs the workspace's build scripts and procedural macros, so
verify runs code from the repository. jemfix runs cargo only here and in
apply --verify; scan, plan and apply never do.

Cargo may write Cargo.lock, as any cargo build does.

With --run-probe, verify also builds and runs a small program, under
target/jemfix-probe and removed afterwards, that takes the workspace's
resolved tikv-jemallocator as its global allocator and reads
tikv_jemalloc_ctl::stats::allocated after a 1 MiB allocation.

Exit codes: 0 every check passed, 3 a check failed, 1 cargo could not be run.

Flags:
`

type checkJSON struct {
	Item    string  `json:"item"`
	Command string  `json:"command"`
	Pass    bool    `json:"pass"`
	Seconds float64 `json:"seconds"`
	Detail  string  `json:"detail,omitempty"`
}

type verifyJSON struct {
	Schema int         `json:"schema"`
	Root   string      `json:"root"`
	Status string      `json:"status"`
	Sys    []string    `json:"sys"`
	Chains [][]string  `json:"chains"`
	Checks []checkJSON `json:"checks"`
	Tests  []string    `json:"tests"`

	metadata []byte // cargo metadata's output, for the probe
}

func (c *cli) verify(cmd command, args []string) int {
	ws, code := c.loadArgs(cmd, args)
	if ws == nil {
		return code
	}
	out, err := c.checklist(ws)
	if err != nil {
		return c.fail(ws.Display, err)
	}
	if c.json {
		writeJSON(c.stdout, out)
	} else {
		printVerify(c.stdout, out)
	}
	return verifyCode(out)
}

func verifyCode(out *verifyJSON) int {
	if out.Status != "pass" {
		return exitPending
	}
	return exitOK
}

// checklist runs the static allocator check and the cargo steps, showing
// progress on stderr. An error means cargo could not be run at all.
func (c *cli) checklist(ws *workspace) (*verifyJSON, error) {
	cargo := c.cargo
	if cargo == "" {
		cargo = "cargo"
	}
	path, err := exec.LookPath(cargo)
	if err != nil {
		return nil, fmt.Errorf("verify needs cargo: %w (use --cargo=PATH)", err)
	}
	out := &verifyJSON{Schema: schemaVersion, Root: ws.Display, Sys: []string{}, Chains: [][]string{}, Checks: []checkJSON{}, Tests: []string{}}
	if err := c.allocatorChecks(ws, out); err != nil {
		return nil, err
	}
	steps := verify.Steps(ws.Workspace, verify.Options{Offline: c.offline, Release: c.release, Tests: c.tests})
	for i, s := range steps {
		ch, err := c.step(path, ws.dir, s, i+1, len(steps), out)
		if err != nil {
			return nil, err
		}
		out.Checks = append(out.Checks, ch)
		if s.Kind == "resolve" && !ch.Pass {
			break // nothing compiles while the graph does not resolve
		}
	}
	if c.runProbe && out.metadata != nil {
		ch, err := c.probe(path, ws, out)
		if err != nil {
			return nil, err
		}
		out.Checks = append(out.Checks, ch)
	}
	out.Status = "pass"
	for _, ch := range out.Checks {
		if !ch.Pass {
			out.Status = "fail"
		}
	}
	return out, nil
}

func (c *cli) allocatorChecks(ws *workspace, out *verifyJSON) error {
	checks, err := verify.Allocators(ws.Workspace, ws.fsys())
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
			detail = append(detail, fmt.Sprintf("%s:%d (%s)", ws.display(d.Path), d.Line, cfg))
		}
		for _, set := range sortedKeys(a.Counts) {
			detail = append(detail, fmt.Sprintf("%s: %d", set, a.Counts[set]))
		}
		out.Checks = append(out.Checks, checkJSON{Item: a.Member + " declares at most one #[global_allocator] under every feature set",
			Command: "(static check, no cargo)", Pass: a.Pass, Detail: strings.Join(detail, "; ")})
	}
	return nil
}

// step runs one cargo command, reporting progress on stderr.
func (c *cli) step(cargo, dir string, s verify.Step, n, total int, out *verifyJSON) (checkJSON, error) {
	command := "cargo " + strings.Join(s.Args, " ")
	if !c.json {
		fmt.Fprintf(c.stderr, "jemfix verify: [%d/%d] %s ...", n, total, command)
	}
	start := time.Now()
	cmd := exec.Command(cargo, s.Args...)
	cmd.Dir = dir
	stdout, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return checkJSON{}, fmt.Errorf("running %s: %w", command, err)
	}
	stderr := ""
	if exit != nil {
		stderr = string(exit.Stderr)
	}
	ch := checkJSON{Item: s.Item, Command: command, Pass: err == nil, Seconds: time.Since(start).Round(10 * time.Millisecond).Seconds()}
	c.judge(s, string(stdout), stderr, &ch, out)
	if !c.json {
		state := "ok"
		if !ch.Pass {
			state = "FAILED"
		}
		fmt.Fprintf(c.stderr, " %s (%.1fs)\n", state, ch.Seconds)
	}
	return ch, nil
}

// judge reads what cargo printed for a step.
func (c *cli) judge(s verify.Step, stdout, stderr string, ch *checkJSON, out *verifyJSON) {
	switch {
	case s.Kind == "resolve" && ch.Pass:
		out.metadata = []byte(stdout)
		sys, err := verify.SysPackages([]byte(stdout))
		out.Sys = append(out.Sys, sys...)
		if err != nil || len(sys) != 1 {
			ch.Pass = false
			ch.Detail = fmt.Sprintf("want exactly one jemalloc sys crate, the graph holds %d: %s", len(sys), strings.Join(sys, ", "))
			return
		}
		ch.Detail = sys[0]
	case s.Kind == "resolve":
		if chains, ok := verify.LinksConflict(stderr); ok {
			out.Chains = chains
			ch.Detail = "links conflict: " + joinChains(chains)
			return
		}
		ch.Detail = lastLines(stderr, 12)
	case s.Kind == "probe":
		ch.Detail = strings.TrimSpace(stdout + "\n" + lastLines(stderr, 12))
	case s.Kind == "test":
		out.Tests = verify.TestResults(stdout)
		if !ch.Pass {
			ch.Detail = lastLines(stderr, 12)
		}
	case !ch.Pass:
		ch.Detail = lastLines(stderr, 12)
	}
}

// probe builds and runs a program that takes the workspace's resolved
// jemalloc crates as its global allocator and reads stats.allocated after
// an allocation. It is built under target/ with the workspace's cargo
// configuration, and removed afterwards.
func (c *cli) probe(cargo string, ws *workspace, out *verifyJSON) (checkJSON, error) {
	manifest, main, ok := verify.Probe(out.metadata)
	if !ok {
		return checkJSON{Item: "jemalloc activates as the global allocator (probe)", Command: "(no tikv-jemallocator in the graph)"}, nil
	}
	dir := filepath.Join(ws.dir, filepath.FromSlash(verify.ProbeDir))
	defer os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		return checkJSON{}, err
	}
	if err := errors.Join(os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(manifest), 0o644),
		os.WriteFile(filepath.Join(dir, "src", "main.rs"), []byte(main), 0o644)); err != nil {
		return checkJSON{}, err
	}
	args := []string{"run", "--quiet", "--manifest-path", filepath.Join(verify.ProbeDir, "Cargo.toml")}
	if c.offline {
		args = append(args, "--offline")
	}
	s := verify.Step{Item: "jemalloc activates as the global allocator and counts an allocation (probe)", Kind: "probe", Args: args}
	ch, err := c.step(cargo, ws.dir, s, 1, 1, out)
	if err == nil && ch.Pass && !strings.Contains(ch.Detail, verify.ProbeMarker) {
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

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func printVerify(w io.Writer, out *verifyJSON) {
	fmt.Fprintf(w, "%s: verify %s\n", out.Root, out.Status)
	for _, ch := range out.Checks {
		state := "PASS"
		if !ch.Pass {
			state = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %s\n        %s\n", state, ch.Item, ch.Command)
		if ch.Detail != "" && (!ch.Pass || strings.HasPrefix(ch.Command, "cargo metadata")) {
			fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(ch.Detail, "\n", "\n        "))
		}
	}
	for _, chain := range out.Chains {
		fmt.Fprintf(w, "  conflict: %s\n", strings.Join(chain, " -> "))
	}
	for _, t := range out.Tests {
		fmt.Fprintf(w, "  %s\n", t)
	}
}
