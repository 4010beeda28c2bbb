// Package apply runs a fix on roots on disk: for one root, load the
// workspace, build the chosen option's plan, check every changed file,
// diff it, and, unless it is a dry run, write it, then take the git, patch
// and verify steps asked for. Many roots run on a pool of workers, each
// root on its own: an error or a panic in one becomes that root's outcome
// and never stops the others. It prints nothing; the command reports the
// outcomes.
package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"jemfix/internal/par"
	"jemfix/internal/phase"

	"jemfix/pkg/check"
	"jemfix/pkg/conflict"
	"jemfix/pkg/plan"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/verify"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// Config is what the command line asked for; it is the same for every root.
type Config struct {
	Option     string // "1", "2", "3" or "auto"
	Plan       plan.Options
	Docs       bool // --docs
	DryRun     bool
	Force      bool // write an option that leaves the conflict
	AllowDirty bool
	GitAdd     bool
	Commit     bool
	PatchDir   string
	Verify     bool   // run verify after writing
	Lock       bool   // refresh Cargo.lock after writing (LockCommand), with VerifyOpt's cargo and --offline
	Rustfmt    string // the rustfmt (a name looked up on PATH, or a path) that reformats the changed Rust files that were rustfmt-clean (apply --rustfmt); "" for none
	VerifyOpt  verify.Options

	// Interrupt carries SIGINT and SIGTERM to the writes under way, which
	// then roll back (see write.Options); nil: none.
	Interrupt *write.Interrupter

	// KeepDiffs keeps every diff in the Outcome (Diffs, Diff), for the
	// outputs that need the whole diff at once: --json, --report,
	// --patch-dir, bulk runs. Without it the diffs are streamed: each goes
	// to Diff, when set, as soon as it is made, in path order, and is then
	// dropped, so that a run holds a window of files, not the tree.
	KeepDiffs bool
	Diff      func(diff string)

	patchNames map[string]string // root argument -> patch file name, for bulk runs
	bulk       bool              // Many's: each outcome is read after its root is done
	runSize    int               // the manifests of a run of a plan made in runs (plan.Sink.Size); 0: plan.RunSize
}

// Outcome is what apply did to one root.
type Outcome struct {
	Arg      string
	WS       *workspace.Workspace // nil when the workspace could not be loaded
	Plan     *plan.Plan           // nil when no plan was built
	Diffs    []string             // the diff of each change, in order (Config.KeepDiffs)
	Diff     string               // all of them (Config.KeepDiffs)
	Files    []FileJSON           // each changed file and the line counts of its diff
	Written  bool
	Locked   bool           // --lock refreshed Cargo.lock after the write
	lockToo  bool           // --lock will rewrite Cargo.lock: git guards and commits it
	gitDone  bool           // the git steps asked for (--git-add, --commit) ran
	Patch    string         // the --patch-dir file written
	Commit   string         // the --commit hash
	Verified *verify.Result // --verify's checklist
	// WouldRefuse is, in a dry run, why the write would stop before it
	// started (uncommitted changes to the files it changes), or "".
	WouldRefuse string
	// JournalKept is why the write, which succeeded, left its journal
	// directory behind (the next command removes it), or nil.
	JournalKept error
	// Recovered says what was done to a write that a dead jemfix process
	// left unfinished, before this run read the root.
	Recovered write.Recovery
	Err       error

	before *conflict.Report // Before's, once made
}

// Before returns the scan (conflict.Scan) of the workspace as jemfix read
// it, made once. A lean workspace (workspace.OpenLean) reads its
// manifests again when a message places an entry, which it cannot once
// they are written: a root whose outcome is read after its write is not
// lean (see lean).
func (o *Outcome) Before() *conflict.Report {
	if o.before == nil {
		o.before = conflict.Scan(o.WS)
	}
	return o.before
}

// Display names the root in messages: as the workspace was found, else as
// the user gave it.
func (o *Outcome) Display() string {
	if o.WS == nil {
		return o.Arg
	}
	return o.WS.Display
}

// Status names the outcome in JSON: "changed" (written, or with --dry-run
// to be written), "nothing-to-do", "conflict-remains", "error",
// "duplicate" (another argument named the same workspace) or
// "written-not-committed".
func (o *Outcome) Status() string {
	var same *SameWorkspace
	switch {
	case errors.As(o.Err, &same):
		return StatusDuplicate
	case AfterWrite(o.Err) != "":
		return AfterWrite(o.Err)
	case o.Err != nil:
		return "error"
	case !o.Plan.Resolves:
		return "conflict-remains" // whether the option changes anything or not
	case o.Plan.Empty():
		return "nothing-to-do"
	}
	return "changed"
}

// Root plans, checks and, unless it is a dry run, writes one root, then
// runs the git, patch and verify steps that were asked for. A panic
// becomes the root's error.
func Root(arg string, cfg *Config) (o *Outcome) {
	o = &Outcome{Arg: arg}
	defer func() {
		if r := recover(); r != nil {
			o.Err = panicked(r)
		}
	}()
	defer o.close()
	o.root(cfg)
	return o
}

// notRegular returns the first file, in path order, that a change edits
// and that is not a regular file (a manifest that is a symbolic link
// inside the root, which cargo reads through): the write refuses it.
func notRegular(ws *workspace.Workspace, changes []plan.Change) string {
	for _, c := range changes {
		if c.Creates() {
			continue
		}
		if fi, err := fs.Lstat(ws.FS, c.Path); err == nil && !fi.Mode().IsRegular() {
			return ws.Path(c.Path)
		}
	}
	return ""
}

// panicked is the root's error for a panic with value r: a manifest that
// changed while jemfix read it (tomledit.ChangedError, from a manifest
// read again), or an internal error, with the stack where it happened.
func panicked(r any) error {
	var changed *tomledit.ChangedError
	if err, ok := r.(error); ok && errors.As(err, &changed) {
		return changed
	}
	stack := debug.Stack()
	if p, ok := r.(*par.Panic); ok {
		stack = p.Stack
	}
	return fmt.Errorf("internal error (please report this): %v\n%s", r, stack)
}

func (o *Outcome) root(cfg *Config) {
	if inRuns(cfg) {
		o.Err = o.runs(cfg)
	} else {
		o.Err = o.atOnce(cfg)
	}
	if o.Err != nil {
		return
	}
	if o.Err = o.writePatch(cfg); o.Err != nil || cfg.DryRun || o.Plan.Empty() {
		if o.Err == nil && cfg.DryRun && !o.Plan.Empty() {
			// The write would stop here; the dry run says so now.
			if err := refuseDirty(gitFor(o.WS.Dir), o, cfg); err != nil {
				first, _, _ := strings.Cut(err.Error(), "\n")
				o.WouldRefuse = strings.TrimSuffix(first, ":")
			} else if p := notRegular(o.WS, o.Plan.Changes); p != "" {
				o.WouldRefuse = p + ": not a regular file; jemfix does not write through symlinks"
			}
		}
		return
	}
	if !o.Plan.Resolves && !cfg.Force {
		o.Err = fmt.Errorf("option %s does not remove the links conflict:\n%s\nnothing was written; --dry-run shows the change, --force writes it anyway", o.Plan.Option, strings.Join(o.Plan.Why, "\n"))
		return
	}
	o.lockToo = cfg.Lock && o.hasLock()
	g := gitFor(o.WS.Dir)
	if o.Err = beforeWrite(g, o, cfg); o.Err != nil {
		return
	}
	phase.Mark("git")
	o.Err = write.Changes(o.WS.Dir, o.Plan.Changes, write.Options{Interrupt: cfg.Interrupt, Kept: func(err error) { o.JournalKept = err }})
	if o.Err != nil {
		return
	}
	o.Written = true
	// A signal from here on cannot undo the write: it stops the steps
	// after it (the commands they run get it too), and the root says so.
	if o.interrupted(cfg) {
		return
	}
	if o.Err = lockStep(o, cfg); o.interrupted(cfg) || o.Err != nil {
		return
	}
	o.Err = gitSteps(g, o, cfg)
	o.gitDone = o.Err == nil
	if o.interrupted(cfg) || o.Err != nil {
		return
	}
	if cfg.Verify {
		// The files stay written when verification fails: the diff was
		// shown, and version control holds the originals.
		var after *workspace.Workspace
		if after, o.Err = workspace.Open(o.Arg); o.Err == nil {
			opt := cfg.VerifyOpt
			opt.Stop = func() bool { return cfg.Interrupt.Signal() != nil }
			o.Verified, o.Err = verify.Run(after, opt)
			if o.Verified != nil {
				o.Verified.Schema = Schema
			}
			after.Close()
		}
		o.interrupted(cfg)
	}
}

// atOnce builds the root's plan, checks every change and diffs them.
func (o *Outcome) atOnce(cfg *Config) error {
	var err error
	if o.WS, o.Plan, o.Recovered, err = Build(o.Arg, cfg); err != nil {
		return err
	}
	emit := cfg.Diff
	if cfg.KeepDiffs || cfg.PatchDir != "" {
		emit = func(d string) { o.Diffs = append(o.Diffs, d) }
	}
	o.Files, err = Stream(o.WS, o.Plan.Changes, emit)
	o.Diff = strings.Join(o.Diffs, "")
	phase.Mark("diff")
	return err
}

// runs builds the root's plan a run of manifests at a time
// (plan.Option1Each), checking each run's changes as they come (spool):
// the plan holds the edits of one run. A dry run diffs each run's
// changes, and then hands the diffs to cfg.Diff in path order; a write
// keeps the changes for the write.
func (o *Outcome) runs(cfg *Config) error {
	open := workspace.OpenWalking // the walk overlaps the load
	if lean(cfg) {
		open = workspace.OpenLean // and the manifests keep their bytes for their run only
	}
	ws, rec, err := openRoot(o.Arg, open)
	o.Recovered = rec
	if err != nil {
		return err
	}
	o.WS = ws
	phase.Mark("load")
	s := &spool{ws: ws, keep: !cfg.DryRun}
	if o.Plan, err = plan.Option1Each(ws, cfg.Plan, plan.Sink{Changes: s.take, Restart: s.reset, Size: cfg.runSize}); err != nil {
		return err
	}
	if err := s.err(); err != nil {
		return checkFailed(err)
	}
	if s.keep {
		o.Plan.Changes = s.changes()
		o.Files, err = Stream(ws, o.Plan.Changes, cfg.Diff)
	} else {
		o.Files, err = s.emit(cfg.Diff)
	}
	phase.Mark("diff")
	return err
}

// interrupted reports whether a signal came after the write, and then
// makes it the root's error, naming the steps asked for that did not run
// or finish.
func (o *Outcome) interrupted(cfg *Config) bool {
	s := cfg.Interrupt.Signal()
	if s == nil {
		return false
	}
	e := &InterruptedAfterWrite{Signal: s, Status: "changed"}
	if cfg.Verify {
		e.Pending = append(e.Pending, "--verify")
	}
	if (cfg.Commit || cfg.GitAdd) && !o.gitDone {
		e.Pending = append([]string{map[bool]string{true: "--commit", false: "--git-add"}[cfg.Commit]}, e.Pending...)
		e.Status = StatusNotCommitted
	}
	if o.lockToo && !o.Locked {
		e.Pending = append([]string{"--lock"}, e.Pending...)
		e.Status = StatusNotLocked
	}
	o.Err = e
	return true
}

// InterruptedAfterWrite is a signal that came once the files were
// written: they stay written, and the steps in Pending did not run or did
// not finish. Status is the root's: "changed", or the status of the first
// step not done (written-not-locked, written-not-committed).
type InterruptedAfterWrite struct {
	Signal  os.Signal
	Pending []string
	Status  string
}

func (e *InterruptedAfterWrite) Error() string {
	msg := fmt.Sprintf("interrupted by %s after the write: the files stay written", write.SignalName(e.Signal))
	if len(e.Pending) > 0 {
		msg += "; not done: " + strings.Join(e.Pending, ", ")
	}
	return msg
}

// ExitCode is the conventional exit code of a process stopped by the
// signal (130 for SIGINT, 143 for SIGTERM).
func (e *InterruptedAfterWrite) ExitCode() int {
	return (&write.Interrupted{Signal: e.Signal}).ExitCode()
}

// close releases the root directory; the loaded model stays usable.
func (o *Outcome) close() {
	if o.WS != nil {
		o.WS.Close()
	}
}

// Open loads the workspace around arg, after recovering a write that a
// dead jemfix process left unfinished there (write.Recover): a torn tree is
// never read. The Recovery says what was done, if anything.
func Open(arg string) (*workspace.Workspace, write.Recovery, error) {
	return openRoot(arg, workspace.Open)
}

// openRoot is Open, with open to load the workspace.
func openRoot(arg string, open func(string) (*workspace.Workspace, error)) (*workspace.Workspace, write.Recovery, error) {
	// An unfinished write is recovered before any manifest is read: it
	// may have left one torn, which would not parse.
	if dir, ok := write.PendingAbove(arg); ok {
		rec, err := write.Recover(dir)
		if err != nil {
			return nil, rec, err
		}
		ws, err := open(arg)
		return ws, rec, err
	}
	ws, err := open(arg)
	if err != nil {
		return nil, write.Recovery{}, err
	}
	if !write.Pending(ws.Dir) {
		return ws, write.Recovery{}, nil
	}
	dir := ws.Dir
	ws.Close()
	rec, err := write.Recover(dir)
	if err != nil {
		return nil, rec, err
	}
	ws, err = open(arg)
	return ws, rec, err
}

// walks reports whether the plan of option walks the workspace whatever it
// finds: Option 1 does (and --option=auto runs it); Options 2 and 3 only
// when there is a conflict to remove.
func walks(option string) bool { return option != "2" && option != "3" }

// Build loads the workspace around arg, plans the chosen option and checks
// every new file. The workspace is returned open; Close releases it.
func Build(arg string, cfg *Config) (*workspace.Workspace, *plan.Plan, write.Recovery, error) {
	open := workspace.Open
	if walks(cfg.Option) {
		open = workspace.OpenWalking // the walk overlaps the load
	}
	ws, rec, err := openRoot(arg, open)
	if err != nil {
		return nil, nil, rec, err
	}
	phase.Mark("load")
	p, err := build(ws, cfg)
	if err != nil {
		ws.Close()
		return nil, nil, rec, err
	}
	return ws, p, rec, nil
}

func build(ws *workspace.Workspace, cfg *Config) (*plan.Plan, error) {
	p, err := Choose(ws, cfg.Option, cfg.Plan)
	if err != nil {
		return nil, err
	}
	if cfg.Docs {
		plan.RewriteDocs(ws, p)
		if err := plan.SetupDocs(ws, p); err != nil {
			return nil, err
		}
	}
	if cfg.Rustfmt != "" {
		if err := formatChanges(ws, p, cfg.Rustfmt); err != nil {
			return nil, err
		}
	}
	phase.Mark("plan")
	if err := checkChanges(ws.FS, p.Changes, ws.Path); err != nil {
		return nil, checkFailed(err)
	}
	phase.Mark("check")
	return p, nil
}

// checkFailed words the failure of the re-parse check.
func checkFailed(err error) error {
	if errors.As(err, new(check.ReadError)) {
		// Another process changed the files meanwhile (or they cannot
		// be read): not an edit of jemfix's that went wrong.
		return fmt.Errorf("files changed while jemfix read them, or could not be read again; nothing was written:\n%w", err)
	}
	return fmt.Errorf("an edited file does not parse; nothing was written (please report this):\n%w", err)
}

// checkChanges is check.Changes; tests replace it to fail or panic.
var checkChanges = check.Changes

// Choose builds the plan of an option; "auto" takes the one `jemfix plan`
// recommends, and says so first among the reasons.
func Choose(ws *workspace.Workspace, option string, opt plan.Options) (*plan.Plan, error) {
	chosen, why := option, ""
	if option == "auto" {
		// A healthy workspace gets no recommendation; Option 1 then
		// finds nothing to do either. Where no option resolves the
		// workspace, Option 1 says why, and writes only with --force.
		var as []plan.Assessment
		if as, chosen = plan.Assess(ws, opt); chosen == "" {
			chosen = "1"
		}
		why = "option " + chosen + ": recommended by jemfix plan (--option=auto)"
		if as == nil {
			why = "option 1: jemfix plan finds nothing to fix here and recommends no option (--option=auto runs option 1, which finds nothing either)"
		}
		if as != nil && !slices.ContainsFunc(as, func(a plan.Assessment) bool { return a.Option == chosen && a.Feasible }) {
			why = "option 1: jemfix plan recommends no option here (the reasons follow); --option=auto shows option 1, which writes only with --force"
		}
	}
	builders := map[string]plan.Builder{"1": plan.Option1, "2": plan.Option2, "3": plan.Option3}
	build, ok := builders[chosen]
	if !ok {
		build = plan.Option1
	}
	p, err := build(ws, opt)
	if err == nil && option == "auto" {
		p.Why = append([]string{why}, p.Why...)
	}
	return p, err
}

// writePatch writes the root's diff to --patch-dir as <root name>.patch.
func (o *Outcome) writePatch(cfg *Config) error {
	if cfg.PatchDir == "" || o.Diff == "" {
		return nil
	}
	if err := os.MkdirAll(cfg.PatchDir, 0o755); err != nil {
		return err
	}
	o.Patch = filepath.Join(cfg.PatchDir, cfg.patchName(o)+".patch")
	return write.File(o.Patch, []byte(o.Diff))
}
