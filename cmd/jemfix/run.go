package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"jemfix/internal/child"
	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/family"
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

scan, plan, apply and verify take -q/--quiet (errors and warnings only on
stderr), -v/--verbose (also the files read, checked and written) and
--manifest-path=PATH (a Cargo.toml, instead of PATH). 'jemfix help COMMAND'
or 'jemfix COMMAND -h' lists a command's flags.

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
  4  written, but a step after the write failed (--commit, --lock)
  130, 143  interrupted by SIGINT, SIGTERM; a write under way was rolled back
            (one that had finished stays written, and jemfix says so)

apply also takes several roots, or --repos-from FILE, for bulk runs; see
'jemfix help apply' and README.
`

const applyUsage = `Usage: jemfix apply --option=1|2|3|auto [flags] [PATH...]

Computes every change, re-parses every edited manifest and every edited
Rust item, and only then writes every file, as one transaction (below). If
any check fails, nothing is written.

Option 1 moves every jemallocator, jemalloc-ctl and jemalloc-sys dependency
to tikv-jemallocator, tikv-jemalloc-ctl and tikv-jemalloc-sys, puts every
jemalloc crate on one minor series, points feature references at the new
names (an optional dependency's feature keeps its old name, now enabling the
new crate, unless --rename-features), and rewrites Rust paths such as
jemalloc_ctl:: to tikv_jemalloc_ctl::. --keep-names keeps the dependency
keys (package = "tikv-…") and changes no source file.
Option 2 is the guide's mutually exclusive features: it does not remove the
conflict, so it writes only with --force. Option 3 consolidates jemalloc in
one library member (--into=CRATE) that re-exports it. 'jemfix plan' compares
them on your workspace.

With --dry-run, the change is printed as one unified diff on stdout (paths
relative to the workspace root, so "patch -p1" run there accepts it, and so
does "git apply" when the root is the top of its git repository; in a
subdirectory SUB of one, run "git apply --directory=SUB" from the top), the
summary goes to stderr, and the exit code is 3 when the diff is not empty. DRY_RUN=true or 1 in the environment acts as --dry-run;
false, 0 and empty leave it off, and any other value is ignored with a
warning.

Several PATHs, --repos-from or -j make a bulk run: each root on its own,
one line (or JSON Lines with --json) per root, in input order; arguments
that name one workspace are processed once. In a git work tree jemfix
refuses to overwrite uncommitted or untracked files unless --allow-dirty,
and runs no program the repository configures (hooks, fsmonitor, filter
drivers); --commit checks for a repository, an identity and no merge or
rebase in progress before it writes.

A write is one transaction: every file is written or none, even if jemfix
is killed; the next command on the root finishes or undoes an interrupted
write first (README, "Crash safety"). Files are written in place, after the
bytes they lose are saved in a journal. To undo a write, restore the files
it lists from version control (git checkout, or git revert after --commit).

Exit codes: 0 written, or nothing to do; 1 error, nothing written (in a bulk
run: some root failed, the others' lines say what was written); 2 usage;
3 a dry run with a diff, or the conflict remains; 4 written, but --lock,
--git-add or --commit failed; 130, 143 interrupted (see 'jemfix help').

Flags:
`

type command struct {
	name  string
	usage string // the help; its first line is the synopsis of usage errors
	run   func(c *cli, cmd command, args []string) int
}

const helpUsage = `Usage: jemfix help [COMMAND]

Prints the overview, or the help of COMMAND: scan, plan, apply, verify,
version, completion or help. 'jemfix COMMAND -h' (or --help) prints the
same help.

Flags:
`

const versionUsage = `Usage: jemfix version

Prints the version of jemfix: the module version when it was installed
with 'go install' at a tagged version, else "devel". 'jemfix --version' is
the same.

Flags:
`

const completionUsage = `Usage: jemfix completion bash|zsh|fish

Prints a completion script for the shell, built from jemfix's own commands
and flags, so it knows every flag of the jemfix that prints it:

  source <(jemfix completion bash)    # bash, e.g. in ~/.bashrc
  source <(jemfix completion zsh)     # zsh, e.g. in ~/.zshrc
  jemfix completion fish | source     # fish, e.g. in ~/.config/fish/config.fish

Flags:
`

// commands is the command table; init fills it, since help and completion
// read it.
var commands []command

func init() {
	commands = []command{
		{"scan", "Usage: jemfix scan [flags] [PATH]\n\nReports every jemalloc-family dependency and the links conflict.\nExit 3 when there is work pending: a conflict, half-migrated sources, or a\npackage outside the root that jemfix could not read; 0 otherwise.\n\nFlags:\n", (*cli).scan},
		{"plan", "Usage: jemfix plan [flags] [PATH]\n\nExplains the fix options for the workspace and recommends one.\nExit 0 whenever it could explain the workspace, conflict or not (scan gives\nthe verdict as an exit code); 1 on an error.\n\nFlags:\n", (*cli).plan},
		{"apply", applyUsage, (*cli).apply},
		{"verify", verifyUsage, (*cli).verify},
		{"version", versionUsage, (*cli).version},
		{"completion", completionUsage, (*cli).completion},
		{"help", helpUsage, (*cli).help},
	}
}

// lookup finds a command by name.
func lookup(name string) (command, bool) {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

// commandNames lists the names of the commands, in table order.
func commandNames() []string {
	var names []string
	for _, cmd := range commands {
		names = append(names, cmd.name)
	}
	return names
}

// loads reports whether a command reads a workspace, and so takes the
// flags every such command shares (--json, -q, -v, --manifest-path).
func loads(name string) bool {
	return name == "scan" || name == "plan" || name == "apply" || name == "verify"
}

// cli carries the streams and the shared flags of one invocation.
type cli struct {
	stdout, stderr io.Writer
	json           bool
	quiet          bool // -q: no summary or progress on stderr; errors and warnings stay
	verbose        bool // -v: also the files read, checked and written, and cargo's output
	manifestPath   string
	color          string
	option         string
	dryRun         bool
	series         string
	docs           bool
	keepNames      bool
	renameFeatures bool
	lock           bool
	rustfmt        bool
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
	reposFrom      listFlag           // --repos-from, each FILE in the order given
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
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "--version":
		name = "version"
	}
	if cmd, ok := lookup(name); ok {
		return cmd.run(c, cmd, args[1:])
	}
	hint := didYouMean(name, commandNames(), strconv.Quote)
	if hint == "" && strings.HasPrefix(name, "-") {
		if owners := flagOwners(strings.TrimLeft(strings.SplitN(name, "=", 2)[0], "-")); len(owners) > 0 {
			hint = fmt.Sprintf("; %s is a flag of %s, and goes after the command", name, strings.Join(owners, ", "))
		}
	}
	fmt.Fprintf(stderr, "jemfix: unknown command %q%s\nRun 'jemfix help' for usage.\n", name, hint)
	return exitUsage
}

// help prints the overview, or the help of one command, on stdout.
func (c *cli) help(cmd command, args []string) int {
	names, code := c.parseFlags(cmd, args)
	if code >= 0 {
		return code
	}
	switch len(names) {
	case 0:
		fmt.Fprint(c.stdout, usage)
		return exitOK
	case 1:
	default:
		return c.usageError(cmd, "one COMMAND expected, got %d: %s", len(names), strings.Join(names, " "))
	}
	topic, ok := lookup(names[0])
	if !ok {
		return c.usageError(cmd, "unknown command %q%s", names[0], didYouMean(names[0], commandNames(), strconv.Quote))
	}
	fs := c.flags(topic)
	fs.SetOutput(c.stdout)
	fs.Usage()
	return exitOK
}

func (c *cli) version(cmd command, args []string) int {
	rest, code := c.parseFlags(cmd, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		return c.usageError(cmd, "no argument expected, got %s", strings.Join(rest, " "))
	}
	fmt.Fprintf(c.stdout, "jemfix %s\n", version())
	return exitOK
}

func (c *cli) completion(cmd command, args []string) int {
	rest, code := c.parseFlags(cmd, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		return c.usageError(cmd, "one SHELL expected (bash, zsh or fish), got %d", len(rest))
	}
	return c.printCompletion(cmd, rest[0])
}

// usageError prints a usage error and the command's synopsis, one line
// each, and returns exitUsage.
func (c *cli) usageError(cmd command, format string, args ...any) int {
	synopsis, _, _ := strings.Cut(cmd.usage, "\n")
	fmt.Fprintf(c.stderr, "jemfix %s: %s\n%s (more: jemfix help %s)\n", cmd.name, fmt.Sprintf(format, args...), synopsis, cmd.name)
	return exitUsage
}

// flags builds the flag set of a command. It prints nothing while parsing;
// parseFlags reports the errors.
func (c *cli) flags(cmd command) *flag.FlagSet {
	fs := flag.NewFlagSet("jemfix "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), cmd.usage)
		printFlags(fs)
	}
	if !loads(cmd.name) {
		return fs
	}
	fs.BoolVar(&c.json, "json", false, "print one JSON document on stdout (schema in README)")
	fs.BoolVar(&c.quiet, "quiet", false, quietHelp[cmd.name])
	fs.BoolVar(&c.quiet, "q", false, "")
	fs.BoolVar(&c.verbose, "verbose", false, verboseHelp[cmd.name])
	fs.BoolVar(&c.verbose, "v", false, "")
	fs.StringVar(&c.manifestPath, "manifest-path", "", "use the workspace of the Cargo.toml at `PATH`, as cargo does; instead of a PATH argument")
	if cmd.name == "apply" {
		fs.StringVar(&c.option, "option", "", "the fix `N` to apply: 1 (move to the tikv crates), 2 (mutually exclusive features, as the guide writes it; does not remove the conflict), 3 (consolidate in one crate) or auto (the one `jemfix plan` recommends)")
		fs.BoolVar(&c.dryRun, "dry-run", false, "print the diff instead of writing")
		fs.StringVar(&c.color, "color", "auto", "`WHEN` to colour the diff: auto (when stdout is a terminal, NO_COLOR is unset and TERM is not dumb), always or never")
		fs.BoolVar(&c.keepNames, "keep-names", false, "option 1: keep the dependency keys and set package = \"tikv-…\", so no source file changes")
		fs.BoolVar(&c.renameFeatures, "rename-features", false, "option 1: rename the implicit feature of a moved optional dependency with it (\"jemalloc-ctl\" becomes \"tikv-jemalloc-ctl\") instead of keeping the old feature name, enabling the new crate")
		fs.BoolVar(&c.force, "force", false, "write an option that does not remove the conflict (option 2; options 1 and 3 when a locked package pins another series); the exit code is then 3")
		fs.StringVar(&c.into, "into", "", "option 3 (or auto): the library member (`CRATE`) that will own jemalloc")
		fs.BoolVar(&c.docs, "docs", false, "bring the docs along: rewrite Rust code blocks in Markdown files, and write docs/technical/JEMALLOC_SETUP.md and a marked README section that describe the fixed workspace")
		fs.StringVar(&c.series, "jemalloc-version", "", "options 1, 3 and auto: move every jemalloc crate to the tikv `SERIES` ("+strings.Join(tikvSeries(), ", ")+") instead of the one jemfix chooses")
	}
	if cmd.name == "verify" || cmd.name == "apply" {
		if cmd.name == "apply" {
			fs.Var(&c.reposFrom, "repos-from", "also apply to the roots listed in `FILE`, one per line (- reads stdin); may be repeated")
			fs.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "work on `N` roots in parallel in a bulk run (-j4 works too)")
			fs.IntVar(&c.jobs, "j", runtime.NumCPU(), "")
			fs.StringVar(&c.patchDir, "patch-dir", "", "write each changed root's diff to `DIR`/<root name>.patch")
			fs.BoolVar(&c.allowDirty, "allow-dirty", false, "write even when files jemfix would change have uncommitted changes in git")
			fs.BoolVar(&c.gitAdd, "git-add", false, "stage the files jemfix creates (git add)")
			fs.BoolVar(&c.commit, "commit", false, "commit the change: one commit, conventional message, changes listed in the body")
			fs.StringVar(&c.report, "report", "", "also write a Markdown record of this run to `FILE` (conflict, option, files, skipped places, verification), to attach to the pull request")
			fs.BoolVar(&c.verifyAfter, "verify", false, "after writing, run verify (this runs cargo, and so the workspace's build scripts)")
			fs.BoolVar(&c.rustfmt, "rustfmt", false, "reformat with rustfmt (on PATH) each changed Rust file that rustfmt accepted before, so that cargo fmt --check still passes; others stay as jemfix writes them")
			fs.BoolVar(&c.lock, "lock", false, "after writing, refresh Cargo.lock with cargo's minimal update ("+apply.LockCommand+"; honours --offline and --cargo; runs no build script)")
		}
		fs.BoolVar(&c.offline, "offline", false, "verify and --lock: pass --offline to cargo")
		fs.BoolVar(&c.release, "release", false, "verify: add a release build")
		fs.BoolVar(&c.tests, "tests", false, "verify: also run cargo test --workspace --no-fail-fast")
		fs.BoolVar(&c.runProbe, "run-probe", false, "verify: also build and run a probe that reads tikv_jemalloc_ctl::stats::allocated after an allocation")
		fs.StringVar(&c.cargo, "cargo", "", "verify and --lock: the cargo binary to run (`PATH`; default: cargo on $PATH)")
	}
	return fs
}

// quietHelp says what -q leaves out, per command. Errors and warnings
// always go to stderr, and stdout never changes.
var quietHelp = map[string]string{
	"scan":   "print only errors and warnings on stderr (scan prints nothing else there; its report on stdout stays)",
	"plan":   "print only errors and warnings on stderr (plan prints nothing else there; its report on stdout stays)",
	"apply":  "print only errors and warnings on stderr: no summary, no bulk totals, no progress; stdout (the diff, the root lines, JSON) stays",
	"verify": "print only errors and warnings on stderr: no progress lines; the checklist on stdout stays",
}

// verboseHelp says what -v adds, per command.
var verboseHelp = map[string]string{
	"scan":   "also print, on stderr, each manifest read",
	"plan":   "also print, on stderr, each manifest read",
	"apply":  "also print, on stderr, each manifest read, each file checked and written (or that would be), and in a bulk run every root's summary",
	"verify": "also print, on stderr, each manifest read and cargo's output for every check",
}

// shortOf maps a long flag to its one-letter alias; both set one variable.
var shortOf = map[string]string{"quiet": "q", "verbose": "v", "jobs": "j"}

// dash writes a flag name the way it is documented: -j, --dry-run.
func dash(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// printFlags lists the flags, an alias with its long name (-q, --quiet).
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		for long, short := range shortOf {
			if f.Name == short && fs.Lookup(long) != nil {
				return // listed with its long name
			}
		}
		name, help := flag.UnquoteUsage(f)
		arg := dash(f.Name)
		if short, ok := shortOf[f.Name]; ok && fs.Lookup(short) != nil {
			arg = "-" + short + ", " + arg
		}
		if name != "" {
			arg += "=" + strings.ToUpper(name)
		}
		fmt.Fprintf(fs.Output(), "  %s\n      %s", arg, help)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
		}
		fmt.Fprintln(fs.Output())
	})
	fmt.Fprintf(fs.Output(), "  -h, --help\n      print this help on stdout\n")
}

// flagNames lists the flags of a flag set, without dashes.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// flagOwners lists the commands that have a flag.
func flagOwners(name string) []string {
	var owners []string
	for _, cmd := range commands {
		if (&cli{}).flags(cmd).Lookup(name) != nil {
			owners = append(owners, cmd.name)
		}
	}
	return owners
}

// parseFlags parses flags placed anywhere among the arguments, and returns
// the other arguments (all of those after "--"). The code is -1 to go on,
// else the exit code: -h and --help print the help on stdout, and a flag
// error is a usage error with a "did you mean" when a flag is close.
func (c *cli) parseFlags(cmd command, args []string) ([]string, int) {
	fs := c.flags(cmd)
	args = attachShortValues(fs, args)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(c.stdout)
				fs.Usage()
				return nil, exitOK
			}
			return nil, c.usageError(cmd, "%s", flagProblem(cmd, fs, err))
		}
		if fs.NArg() == 0 {
			break
		}
		if i := len(args) - fs.NArg(); i > 0 && args[i-1] == "--" {
			rest = append(rest, fs.Args()...) // after "--", every argument is a PATH
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) { c.bulk = c.bulk || f.Name == "repos-from" || f.Name == "j" || f.Name == "jobs" })
	return rest, -1
}

// attachShortValues rewrites -j4 as -j=4, for every one-letter flag that
// takes a value, as cargo and go read it. Values of other flags and the
// arguments after "--" stay as they are.
func attachShortValues(fs *flag.FlagSet, args []string) []string {
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			if a == "--" {
				break
			}
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if f := fs.Lookup(name); f != nil {
			if !hasValue && !isBool(f) {
				i++ // the next argument is this flag's value
			}
			continue
		}
		if strings.HasPrefix(a, "--") || len(a) < 3 {
			continue
		}
		if f := fs.Lookup(a[1:2]); f != nil && !isBool(f) && a[2] != '=' {
			out[i] = a[:2] + "=" + a[2:]
		}
	}
	return out
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagProblem says what is wrong in the words of the documentation (--name,
// not the flag package's -name), with a suggestion for an unknown flag.
func flagProblem(cmd command, fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		s := "unknown flag " + dash(name)
		if hint := didYouMean(name, flagNames(fs), dash); hint != "" {
			return s + hint
		}
		if owners := flagOwners(name); len(owners) > 0 {
			return fmt.Sprintf("%s; it is a flag of %s, not of %s", s, strings.Join(owners, ", "), cmd.name)
		}
		return s
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag " + dash(name) + " needs a value"
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		value, name, why := m[1], m[2], m[3]
		if why == "parse error" {
			why = "want a number"
			if f := fs.Lookup(name); f != nil && isBool(f) {
				why = "want true or false"
			}
		}
		return fmt.Sprintf("invalid value %s for %s: %s", value, dash(name), why)
	}
	return msg
}

// invalidValue matches the flag package's errors for a value it cannot
// parse: `invalid value "x" for flag -j: parse error`, `invalid boolean
// value "x" for -json: parse error`.
var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-([^:]+): (.*)$`)

// tikvSeries lists the series the tikv crates are published in, the values
// --jemalloc-version takes.
func tikvSeries() []string { return family.Find(family.Tikv, family.Allocator).Series }

// parse parses flags placed anywhere among the arguments and returns the
// one optional PATH.
func (c *cli) parse(cmd command, args []string) (string, int) {
	paths, code := c.parseRoots(cmd, args)
	if code >= 0 {
		return "", code
	}
	if len(paths) > 1 {
		return "", c.usageError(cmd, "one PATH expected, got %d: %s", len(paths), strings.Join(paths, " "))
	}
	return paths[0], -1
}

// parseRoots parses flags placed anywhere among the arguments and returns
// the paths, with those of --repos-from after them; "." when there are none.
// The code is -1 to go on, else the exit code.
func (c *cli) parseRoots(cmd command, args []string) ([]string, int) {
	paths, code := c.parseFlags(cmd, args)
	if code >= 0 {
		return nil, code
	}
	if c.color != "" && c.color != "auto" && c.color != "always" && c.color != "never" {
		return nil, c.usageError(cmd, "--color=%s: want auto, always or never", c.color)
	}
	if c.quiet && c.verbose {
		return nil, c.usageError(cmd, "-q and -v contradict each other; choose one")
	}
	if cmd.name == "apply" {
		if code := c.checkOptionFlags(cmd); code >= 0 {
			return nil, code
		}
		c.dryRunFromEnv()
	}
	if c.manifestPath != "" {
		switch {
		case len(paths) > 0:
			return nil, c.usageError(cmd, "--manifest-path replaces PATH; give one or the other")
		case len(c.reposFrom) > 0:
			return nil, c.usageError(cmd, "--manifest-path names one workspace; it cannot go with --repos-from")
		case filepath.Base(c.manifestPath) != "Cargo.toml":
			return nil, c.usageError(cmd, "--manifest-path %s: the manifest path must be a path to a Cargo.toml file", c.manifestPath)
		}
		if _, err := os.Stat(c.manifestPath); errors.Is(err, fs.ErrNotExist) {
			err := fmt.Errorf("manifest path %s does not exist", c.manifestPath)
			if cmd.name == "apply" {
				// apply's --json document is the root object, whatever failed.
				return nil, c.failRoot(&apply.Outcome{Arg: c.manifestPath, Err: err})
			}
			return nil, c.fail(c.manifestPath, err)
		}
		paths = []string{c.manifestPath}
	}
	for _, file := range c.reposFrom {
		more, err := apply.ReadRoots(file, c.stdin)
		if err != nil {
			return nil, c.usageError(cmd, "--repos-from: %v", err)
		}
		paths = append(paths, more...)
	}
	if len(paths) == 0 {
		if len(c.reposFrom) > 0 {
			return nil, c.usageError(cmd, "--repos-from %s lists no path", strings.Join(c.reposFrom, ", "))
		}
		paths = []string{"."}
	}
	return paths, -1
}

// listFlag is a flag that may be repeated: each value is kept, in order.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// checkOptionFlags rejects apply's flags that mean nothing for the chosen
// option, an unpublished --jemalloc-version and a -j below 1. An option
// that is missing or unknown is checkApplyFlags' to report.
func (c *cli) checkOptionFlags(cmd command) int {
	if c.series != "" && !slices.Contains(tikvSeries(), c.series) {
		return c.usageError(cmd, "--jemalloc-version=%s: the tikv crates are published in the series %s", c.series, strings.Join(tikvSeries(), ", "))
	}
	if c.jobs < 1 {
		return c.usageError(cmd, "-j %d: want 1 or more roots at a time", c.jobs)
	}
	switch c.option {
	case "1", "2":
		if c.into != "" {
			return c.usageError(cmd, "--into names the member Option 3 consolidates jemalloc in; it means nothing with --option=%s", c.option)
		}
	}
	if c.renameFeatures && (c.option == "2" || c.option == "3") {
		return c.usageError(cmd, "--rename-features is a variant of --option=1")
	}
	if c.option == "2" && c.series != "" {
		return c.usageError(cmd, "--jemalloc-version chooses the series Options 1 and 3 move to; Option 2 moves no crate")
	}
	return -1
}

// dryRunFromEnv reads DRY_RUN, as bulk-change runners set it: true or 1
// (true in any case) acts as --dry-run; false, 0 and empty leave it off;
// any other value is ignored, with a warning, and does not make a dry run.
func (c *cli) dryRunFromEnv() {
	v := os.Getenv("DRY_RUN")
	switch {
	case v == "1" || strings.EqualFold(v, "true"):
		c.dryRun = true
	case v == "" || v == "0" || strings.EqualFold(v, "false"):
	default:
		what := "not a dry run: files are written (DRY_RUN=true or --dry-run makes a dry run)"
		if c.dryRun {
			what = "a dry run only because of --dry-run"
		}
		fmt.Fprintf(c.stderr, "jemfix: warning: DRY_RUN=%s is not true, 1, false or 0; ignored, so this is %s\n", strconv.Quote(v), what)
	}
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
	if c.verbose {
		c.printRead(ws)
	}
	return ws, -1
}

// verbosity is how much a command says on stderr: -q, the default or -v.
type verbosity int

const (
	quiet verbosity = iota - 1
	normal
	verbose
)

func (c *cli) level() verbosity {
	switch {
	case c.quiet:
		return quiet
	case c.verbose:
		return verbose
	}
	return normal
}

// printRead lists, for -v, the files jemfix read to model the workspace:
// every manifest, with its role, and Cargo.lock.
func (c *cli) printRead(ws *workspace.Workspace) {
	w := bufio.NewWriter(c.stderr)
	defer w.Flush()
	for _, m := range ws.Manifests() {
		role := "member " + m.Name
		switch {
		case m == ws.Root && m.Name == "":
			role = "workspace root, virtual"
		case m == ws.Root:
			role = "workspace root, package " + m.Name
		case m.NonMember:
			role = "package " + m.Name + ", in the graph, not a member"
		}
		fmt.Fprintf(w, "jemfix: read %s (%s)\n", esc.Text(ws.Path(m.Path)), esc.Text(role))
	}
	if ws.Lock != nil {
		fmt.Fprintf(w, "jemfix: read %s (%d locked packages)\n", esc.Text(ws.Path("Cargo.lock")), len(ws.Lock.Packages))
	}
}

// recovered says, on stderr, what was done to a write that a dead jemfix
// process left unfinished under the root.
func (c *cli) recovered(root string, rec write.Recovery) {
	if rec.Action != "" {
		fmt.Fprintf(c.stderr, "jemfix: %s: %s\n", esc.Text(root), rec)
	}
}

// watchSignals makes SIGINT and SIGTERM roll back the writes under way and
// then end the process with the conventional code (130, 143); before any
// write they end it at once, which is safe: a write is a transaction, and
// the next command recovers one that a dead process left. A second signal
// while a write rolls back changes nothing. Once a write has finished, a
// signal stops the steps after it (--lock, --commit, --verify) and apply
// says that the files stay written (apply.InterruptedAfterWrite); a second
// one ends the process at once. The commands jemfix runs (cargo, git)
// get the signal too. stop undoes it.
func (c *cli) watchSignals() (stop func()) {
	notify := make(chan os.Signal, 4)
	c.interrupts = write.NewInterrupter()
	signal.Notify(notify, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		raised := false
		for {
			select {
			case s := <-notify:
				c.interrupts.Raise(s)
				child.Signal(s)
				if !write.Writing() && (raised || !write.Finished()) {
					os.Exit(128 + int(s.(syscall.Signal)))
				}
				raised = true
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
