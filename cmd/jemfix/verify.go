package main

import (
	"fmt"
	"io"
	"strings"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/verify"
	"jemfix/pkg/write"
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

func (c *cli) verify(cmd command, args []string) int {
	ws, code := c.loadArgs(cmd, args)
	if ws == nil {
		return code
	}
	defer ws.Close()
	// cargo leads a process group of its own: a signal reaches it, and the
	// build scripts it runs, only through jemfix.
	defer c.watchSignals()()
	out, err := verify.Run(ws, c.verifyOptions())
	if s := c.interrupts.Signal(); s != nil {
		// The signal stopped cargo, and so verify: its exit code is the
		// signal's, whichever goroutine gets to exit first.
		return (&write.Interrupted{Signal: s}).ExitCode()
	}
	if err != nil {
		return c.fail(ws.Display, err)
	}
	out.Schema = apply.Schema
	if c.json {
		writeJSON(c.stdout, out)
	} else {
		printVerify(c.stdout, out)
	}
	return verifyCode(out)
}

func verifyCode(out *verify.Result) int {
	if !out.Pass() {
		return exitPending
	}
	return exitOK
}

// verifyOptions turns the flags into verify's options; progress goes to
// stderr unless the output is JSON or -q, and with -v cargo's output of
// each check follows its line.
func (c *cli) verifyOptions() verify.Options {
	opt := verify.Options{Offline: c.offline, Release: c.release, Tests: c.tests, Probe: c.runProbe, Cargo: c.cargo}
	if !c.json && !c.quiet {
		opt.Progress = func(n, total int, command string) func(verify.Check) {
			fmt.Fprintf(c.stderr, "jemfix verify: [%d/%d] %s ...", n, total, esc.Text(command))
			return func(ch verify.Check) {
				state := "ok"
				if !ch.Pass {
					state = "FAILED"
				}
				fmt.Fprintf(c.stderr, " %s (%.1fs)\n", state, ch.Seconds)
				if c.verbose && ch.Detail != "" {
					fmt.Fprintf(c.stderr, "    %s\n", strings.ReplaceAll(esc.Lines(strings.TrimRight(ch.Detail, "\n")), "\n", "\n    "))
				}
			}
		}
	}
	return opt
}

func printVerify(w io.Writer, out *verify.Result) {
	fmt.Fprintf(w, "%s: verify %s\n", esc.Text(out.Root), out.Status)
	for _, ch := range out.Checks {
		state := "PASS"
		if !ch.Pass {
			state = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %s\n        %s\n", state, esc.Text(ch.Item), esc.Text(ch.Command))
		if ch.Detail != "" && (!ch.Pass || strings.HasPrefix(ch.Command, "cargo metadata")) {
			fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(esc.Lines(ch.Detail), "\n", "\n        "))
		}
	}
	for _, chain := range out.Chains {
		fmt.Fprintf(w, "  conflict: %s\n", esc.Text(strings.Join(chain, " -> ")))
	}
	for _, t := range out.Tests {
		fmt.Fprintf(w, "  %s\n", esc.Text(t))
	}
}
