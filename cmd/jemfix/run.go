package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// Exit codes are part of the command's contract; README documents them.
const (
	exitOK      = 0 // success, and nothing is left to do
	exitError   = 1 // an error; nothing was written
	exitUsage   = 2 // the command line is wrong
	exitPending = 3 // work pending: scan found a conflict, or a dry run has a diff
)

const usage = `jemfix fixes the jemalloc "links" conflict in a Cargo workspace.

Usage:
  jemfix scan [flags] [PATH]     report jemalloc dependencies and the conflict
  jemfix plan [flags] [PATH]     explain the fix options and recommend one
  jemfix apply [flags] [PATH...] apply a fix (writes files unless --dry-run)
  jemfix verify [flags] [PATH]   prove the fix with cargo (runs the workspace's code)
  jemfix version                 print the version
  jemfix completion SHELL        print a completion script for bash, zsh or fish
  jemfix help [COMMAND]          show help

PATH is any directory inside the workspace (default "."). jemfix finds the
workspace root the way cargo does and reads the manifests alone: scan, plan
and apply never run cargo or any code of the repository. verify, and apply
--verify, run cargo, which runs the workspace's build scripts.

Exit codes:
  0  success, nothing left to do
  1  error (nothing was written)
  2  usage error
  3  work pending: scan found a conflict, half-migrated sources or a
     package outside the root it could not read; a dry run printed a diff;
     an option left the conflict (--force); or a verify check failed
  4  written, not committed: the files were written, then --commit failed
  130, 143  interrupted by SIGINT, SIGTERM; a write under way was rolled back

apply also takes several roots, or --repos-from FILE, for bulk runs; see
'jemfix help apply' and README.
`

const applyUsage = `Usage: jemfix apply --option=1|2|3|auto [flags] [PATH...]

Computes every change, re-parses every edited manifest and every edited
Rust item, and only then writes, atomically, each file through a temporary
file and a rename. If any check fails, nothing is written.

Option 1 moves every jemallocator, jemalloc-ctl and jemalloc-sys dependency
to tikv-jemallocator, tikv-jemalloc-ctl and tikv-jemalloc-sys, puts every
jemalloc crate on one minor series, renames feature references, and rewrites
Rust paths such as jemalloc_ctl:: to tikv_jemalloc_ctl::. --keep-names keeps
the dependency keys (package = "tikv-…") and changes no source file.
Option 2 is the guide's mutually exclusive features: it does not remove the
conflict, so it writes only with --force. Option 3 consolidates jemalloc in
one library member (--into=CRATE) that re-exports it. 'jemfix plan' compares
them on your workspace.

With --dry-run, the change is printed as one unified diff on stdout (paths
relative to the workspace root, so "git apply" or "patch -p1" run there
accept it), the summary goes to stderr, and the exit code is 3 when the diff
is not empty. DRY_RUN=true in the environment acts as --dry-run.

Several PATHs, --repos-from or -j make a bulk run: each root on its own,
one line (or JSON Lines with --json) per root, in input order; arguments
that name one workspace are processed once. In a git work tree jemfix
refuses to overwrite uncommitted or untracked files unless --allow-dirty,
and runs no program the repository configures (hooks, fsmonitor, filter
drivers); --commit checks for a repository, an identity and no merge or
rebase in progress before it writes.

A write is one transaction: every file is written or none, even if jemfix
is killed; the next command on the root finishes or undoes an interrupted
write first (README, "Crash safety").

Flags:
`

type command struct {
	name  string
	usage string
	run   func(c *cli, cmd command, args []string) int
}

var commands = []command{
	{"scan", "Usage: jemfix scan [flags] [PATH]\n\nReports every jemalloc-family dependency and the links conflict.\nExit 3 when there is work pending: a conflict, half-migrated sources, or a\npackage outside the root that jemfix could not read; 0 otherwise.\n\nFlags:\n", (*cli).scan},
	{"plan", "Usage: jemfix plan [flags] [PATH]\n\nExplains the fix options for the workspace and recommends one.\n\nFlags:\n", (*cli).plan},
	{"apply", applyUsage, (*cli).apply},
	{"verify", verifyUsage, (*cli).verify},
}

// cli carries the streams and the shared flags of one invocation.
type cli struct {
	stdout, stderr io.Writer
	json           bool
	color          string
	option         string
	dryRun         bool
	series         string
	docs           bool
	keepNames      bool
	force          bool
	into           string
	verifyAfter    bool
	offline        bool
	release        bool
	tests          bool
	runProbe       bool
	cargo          string
	report         string
	stdin          io.Reader
	interrupts     *write.Interrupter // SIGINT and SIGTERM, for the writes of apply
	bulk           bool               // --repos-from or -j: one result per root
	reposFrom      string
	jobs           int
	patchDir       string
	patchNames     map[string]string
	allowDirty     bool
	gitAdd         bool
	commit         bool
}

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, stdin: os.Stdin}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		return c.help(args[1:])
	case "completion":
		return completion(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "jemfix %s\n", version())
		return exitOK
	default:
		for _, cmd := range commands {
			if cmd.name == name {
				return cmd.run(c, cmd, args[1:])
			}
		}
		fmt.Fprintf(stderr, "jemfix: unknown command %q\nRun 'jemfix help' for usage.\n", name)
		return exitUsage
	}
}

func (c *cli) help(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stdout, usage)
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			fs := c.flags(cmd)
			fs.SetOutput(c.stdout)
			fs.Usage()
			return exitOK
		}
	}
	fmt.Fprintf(c.stderr, "jemfix help: unknown command %q\n", args[0])
	return exitUsage
}

// flags builds the flag set of a command.
func (c *cli) flags(cmd command) *flag.FlagSet {
	fs := flag.NewFlagSet("jemfix "+cmd.name, flag.ContinueOnError)
	fs.BoolVar(&c.json, "json", false, "print one JSON document on stdout (schema in README)")
	if cmd.name == "apply" {
		fs.StringVar(&c.option, "option", "", "the fix `N` to apply: 1 (move to the tikv crates), 2 (mutually exclusive features, as the guide writes it; does not remove the conflict), 3 (consolidate in one crate) or auto (the one `jemfix plan` recommends)")
		fs.BoolVar(&c.dryRun, "dry-run", false, "print the diff instead of writing")
		fs.StringVar(&c.color, "color", "auto", "`WHEN` to colour the diff: auto (when stdout is a terminal and NO_COLOR is unset), always or never")
		fs.BoolVar(&c.keepNames, "keep-names", false, "option 1: keep the dependency keys and set package = \"tikv-…\", so no source file changes")
		fs.BoolVar(&c.force, "force", false, "write an option that does not remove the conflict (option 2); the exit code is then 3")
		fs.StringVar(&c.into, "into", "", "option 3: the library member (`CRATE`) that will own jemalloc")
		fs.BoolVar(&c.docs, "docs", false, "bring the docs along: rewrite Rust code blocks in Markdown files, and write docs/technical/JEMALLOC_SETUP.md and a marked README section that describe the fixed workspace")
		fs.StringVar(&c.series, "jemalloc-version", "", "move every jemalloc crate to the tikv `SERIES` (0.4, 0.5, 0.6 or 0.7) instead of the one jemfix chooses")
	}
	if cmd.name == "verify" || cmd.name == "apply" {
		if cmd.name == "apply" {
			fs.StringVar(&c.reposFrom, "repos-from", "", "also apply to the roots listed in `FILE`, one per line (- reads stdin)")
			fs.IntVar(&c.jobs, "j", runtime.NumCPU(), "roots to work on in parallel in a bulk run")
			fs.StringVar(&c.patchDir, "patch-dir", "", "write each changed root's diff to `DIR`/<root name>.patch")
			fs.BoolVar(&c.allowDirty, "allow-dirty", false, "write even when files jemfix would change have uncommitted changes in git")
			fs.BoolVar(&c.gitAdd, "git-add", false, "stage the files jemfix creates (git add)")
			fs.BoolVar(&c.commit, "commit", false, "commit the change: one commit, conventional message, changes listed in the body")
			fs.StringVar(&c.report, "report", "", "also write a Markdown record of this run to `FILE` (conflict, option, files, skipped places, verification), to attach to the pull request")
			fs.BoolVar(&c.verifyAfter, "verify", false, "after writing, run verify (this runs cargo, and so the workspace's build scripts)")
		}
		fs.BoolVar(&c.offline, "offline", false, "verify: pass --offline to cargo")
		fs.BoolVar(&c.release, "release", false, "verify: add a release build")
		fs.BoolVar(&c.tests, "tests", false, "verify: also run cargo test --workspace --no-fail-fast")
		fs.BoolVar(&c.runProbe, "run-probe", false, "verify: also build and run a probe that reads tikv_jemalloc_ctl::stats::allocated after an allocation")
		fs.StringVar(&c.cargo, "cargo", "", "verify: the cargo binary to run (`PATH`; default: cargo on $PATH)")
	}
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), cmd.usage)
		printFlags(fs)
	}
	return fs
}

// printFlags lists flags with two dashes, the way they are documented.
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		arg := "--" + f.Name
		if name != "" {
			arg += "=" + strings.ToUpper(name)
		}
		fmt.Fprintf(fs.Output(), "  %s\n      %s", arg, help)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
		}
		fmt.Fprintln(fs.Output())
	})
}

// parse parses flags placed anywhere among the arguments and returns the
// one optional PATH.
func (c *cli) parse(cmd command, args []string) (string, int) {
	paths, code := c.parseRoots(cmd, args)
	if code >= 0 {
		return "", code
	}
	if len(paths) > 1 {
		fmt.Fprintf(c.stderr, "jemfix %s: one PATH expected, got %d: %s\n", cmd.name, len(paths), strings.Join(paths, " "))
		return "", exitUsage
	}
	return paths[0], -1
}

// parseRoots parses flags placed anywhere among the arguments and returns
// the paths, with those of --repos-from after them; "." when there are none.
// The code is -1 to go on, else the exit code.
func (c *cli) parseRoots(cmd command, args []string) ([]string, int) {
	fs := c.flags(cmd)
	fs.SetOutput(c.stderr)
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK
			}
			return nil, exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if c.color != "" && c.color != "auto" && c.color != "always" && c.color != "never" {
		fmt.Fprintf(c.stderr, "jemfix %s: --color=%s: want auto, always or never\n", cmd.name, c.color)
		return nil, exitUsage
	}
	if v := os.Getenv("DRY_RUN"); cmd.name == "apply" && (v == "true" || v == "1") {
		c.dryRun = true
	}
	fs.Visit(func(f *flag.Flag) { c.bulk = c.bulk || f.Name == "repos-from" || f.Name == "j" })
	if c.reposFrom != "" {
		more, err := apply.ReadRoots(c.reposFrom, c.stdin)
		if err != nil {
			fmt.Fprintf(c.stderr, "jemfix %s: --repos-from: %v\n", cmd.name, err)
			return nil, exitUsage
		}
		paths = append(paths, more...)
	}
	if len(paths) == 0 {
		if c.reposFrom != "" {
			fmt.Fprintf(c.stderr, "jemfix %s: --repos-from %s lists no path\n", cmd.name, c.reposFrom)
			return nil, exitUsage
		}
		paths = []string{"."}
	}
	return paths, -1
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// loadArgs parses a command line that names one workspace and loads it.
// A nil workspace comes with the exit code to return; errors are printed.
func (c *cli) loadArgs(cmd command, args []string) (*workspace.Workspace, int) {
	arg, code := c.parse(cmd, args)
	if code >= 0 {
		return nil, code
	}
	ws, rec, err := apply.Open(arg)
	c.recovered(arg, rec)
	if err != nil {
		return nil, c.fail(arg, err)
	}
	return ws, -1
}

// recovered says, on stderr, what was done to a write that a dead jemfix
// process left unfinished under the root.
func (c *cli) recovered(root string, rec write.Recovery) {
	if rec.Action != "" {
		fmt.Fprintf(c.stderr, "jemfix: %s: %s\n", esc.Text(root), rec)
	}
}

// watchSignals makes SIGINT and SIGTERM roll back the writes under way and
// then end the process with the conventional code (130, 143); outside a
// write they end it at once, which is safe: a write is a transaction, and
// the next command recovers one that a dead process left. A second signal
// while a write rolls back changes nothing. stop undoes it.
func (c *cli) watchSignals() (stop func()) {
	notify := make(chan os.Signal, 4)
	c.interrupts = write.NewInterrupter()
	signal.Notify(notify, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-notify:
				c.interrupts.Raise(s)
				if !write.Writing() {
					os.Exit(128 + int(s.(syscall.Signal)))
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(notify)
		close(done)
	}
}
