package apply

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"jemfix/internal/child"
)

// git runs git in one work tree. It never runs the repository's own code:
// a repository's configuration can name programs for hooks, the fsmonitor
// and filter drivers, and every call switches all of them off. The one
// exception is the signing program of `git commit`, since --commit asks
// for that commit.
type git struct {
	top     string          // the work tree's top directory; "" outside git
	drivers map[string]bool // the filter drivers the configuration names a program for
	broken  error           // a .git that git cannot open: which files are committed is unknown
}

// gitSafe goes with every call: no hooks, no fsmonitor, no untracked cache
// or automatic maintenance, pathspecs taken literally (a file may be named
// `*.rs`), and no index refresh written back by `git status`.
var gitSafe = []string{
	"-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
	"-c", "gc.auto=0", "-c", "maintenance.auto=false", "--literal-pathspecs", "--no-optional-locks",
}

// gitFor finds the git work tree holding dir, if git is installed and dir
// is inside one. A .git above dir that git cannot open (a worktree or
// submodule whose git directory is gone, a repository git refuses) is not
// "outside git": it is recorded as broken.
func gitFor(dir string) git {
	out, err := runGit(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		if dotgit := findDotGit(dir); dotgit != "" {
			return git{broken: brokenGit(dotgit, err)}
		}
		return git{}
	}
	g := git{top: strings.TrimSpace(out)}
	g.drivers, g.broken = filterDrivers(g.top)
	return g
}

func runGit(dir string, stdin []byte, args ...string) (string, error) {
	return runGitWith(dir, stdin, nil, args...)
}

// runGitWith runs git with conf (-c settings, left out of error messages)
// before args.
func runGitWith(dir string, stdin []byte, conf []string, args ...string) (string, error) {
	cmd := exec.Command("git", slices.Concat([]string{"-C", dir}, gitSafe, conf, args)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := child.Output(cmd)
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// run runs git in the work tree with every filter driver switched off: an
// empty clean, smudge and process command makes git use the file as it
// is, and required=false keeps that from being an error.
func (g git) run(stdin []byte, args ...string) (string, error) {
	var off []string
	for _, name := range slices.Sorted(maps.Keys(g.drivers)) {
		for _, kv := range []string{"clean=", "smudge=", "process=", "required=false"} {
			off = append(off, "-c", "filter."+name+"."+kv)
		}
	}
	return runGitWith(g.top, stdin, off, args...)
}

// filterDrivers lists the filter drivers that the configuration (every
// scope, includes too) gives a program. Reading the configuration runs
// nothing.
func filterDrivers(top string) (map[string]bool, error) {
	out, err := runGit(top, nil, "config", "-z", "--get-regexp", `^filter\.`)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return nil, nil // no filter.* key at all
	} else if err != nil {
		return nil, err
	}
	drivers := map[string]bool{}
	for _, entry := range strings.Split(out, "\x00") {
		key, _, _ := strings.Cut(entry, "\n")
		first, last := strings.Index(key, "."), strings.LastIndex(key, ".")
		if first < 0 || last <= first {
			continue
		}
		switch name := key[first+1 : last]; {
		case !slices.Contains([]string{"clean", "smudge", "process"}, key[last+1:]):
		case strings.Contains(name, "="):
			return nil, fmt.Errorf("the filter driver %q cannot be switched off on git's command line", name)
		default:
			drivers[name] = true
		}
	}
	return drivers, nil
}

// findDotGit returns the nearest .git entry at or above dir, or "".
func findDotGit(dir string) string {
	for {
		p := filepath.Join(dir, ".git")
		if _, err := os.Lstat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// GitSubdir returns the slash path of dir from the top of the git work
// tree that holds it, found by its .git entry: "" when dir is the top or
// in no work tree. `git apply` of a diff whose paths are relative to dir
// needs --directory with it, run from the top.
func GitSubdir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	dotgit := findDotGit(abs)
	if dotgit == "" {
		return ""
	}
	rel, err := filepath.Rel(filepath.Dir(dotgit), abs)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}

// brokenGit says why git could not open the repository of dotgit.
func brokenGit(dotgit string, gitErr error) error {
	if b, err := os.ReadFile(dotgit); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		if target, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:"); ok {
			target = strings.TrimSpace(target)
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(dotgit), target)
			}
			if _, err := os.Stat(target); err != nil {
				return fmt.Errorf("%s points to the git directory %s, which does not exist (a moved or removed worktree or submodule?)", dotgit, target)
			}
		}
	}
	if errors.Is(gitErr, exec.ErrNotFound) {
		return fmt.Errorf("%s is a git repository, and git is not installed", dotgit)
	}
	return fmt.Errorf("git cannot open the repository of %s: %v", dotgit, gitErr)
}

// paths returns the plan's files as paths relative to the work tree top;
// with created, only the files the plan creates.
func (g git) paths(o *Outcome, created bool) []string {
	var out []string
	for _, ch := range o.Plan.Changes {
		if created && !ch.Creates() {
			continue
		}
		abs := filepath.Join(o.WS.Dir, filepath.FromSlash(ch.Path))
		if rel, err := filepath.Rel(g.top, abs); err == nil {
			out = append(out, rel)
		}
	}
	if o.lockToo && !created {
		// --lock rewrites it after the manifests: guard it, commit it.
		if rel, err := filepath.Rel(g.top, o.lockFile()); err == nil {
			out = append(out, rel)
		}
	}
	return out
}

// beforeWrite runs every git check before anything is written: the dirty
// tree guard, then what --git-add and --commit need.
func beforeWrite(g git, o *Outcome, cfg *Config) error {
	if err := refuseDirty(g, o, cfg); err != nil {
		return err
	}
	return checkGitSteps(g, o, cfg)
}

// refuseDirty stops a write into a work tree where files to be rewritten
// have uncommitted changes, or are not in git at all (untracked or
// ignored: git holds no copy to go back to), unless --allow-dirty, as
// cargo fix does. Files the plan creates do not exist yet and pass.
func refuseDirty(g git, o *Outcome, cfg *Config) error {
	switch {
	case cfg.AllowDirty:
		return nil
	case g.broken != nil:
		return fmt.Errorf("%v, so jemfix cannot tell which files have uncommitted changes; repair it, or pass --allow-dirty", g.broken)
	case g.top == "":
		return nil
	}
	paths := g.paths(o, false)
	if len(paths) == 0 {
		return nil
	}
	out, err := g.run(nil, append([]string{"status", "--porcelain", "-z", "--untracked-files=all", "--ignored=matching",
		"--ignore-submodules=all", "--no-renames", "--"}, paths...)...)
	if err != nil {
		return err
	}
	var lines, dirty []string
	untracked := false
	for _, e := range strings.Split(out, "\x00") {
		if len(e) < 4 {
			continue
		}
		lines = append(lines, e)
		dirty = append(dirty, e[3:])
		untracked = untracked || e[:2] == "??" || e[:2] == "!!"
	}
	if len(lines) == 0 {
		return nil
	}
	msg := "uncommitted changes to files jemfix would change; commit or stash them, or pass --allow-dirty:\n" + strings.Join(lines, "\n")
	if untracked {
		msg += "\n(?? untracked, !! ignored: git holds no copy of these files to go back to; commit them first)"
	}
	for _, f := range g.filtered(dirty) {
		msg += fmt.Sprintf("\nnote: %s: jemfix does not run the filter driver %q, so git status, which runs it, may see no change", f.path, f.driver)
	}
	return errors.New(msg)
}

type filteredPath struct{ path, driver string }

// filtered returns the paths whose filter attribute names a driver that
// the configuration gives a program. check-attr only reads attributes.
func (g git) filtered(paths []string) []filteredPath {
	if len(g.drivers) == 0 || len(paths) == 0 {
		return nil
	}
	out, err := g.run(nil, append([]string{"check-attr", "-z", "filter", "--"}, paths...)...)
	if err != nil {
		return nil
	}
	var found []filteredPath
	f := strings.Split(out, "\x00")
	for i := 0; i+2 < len(f); i += 3 {
		if g.drivers[f[i+2]] {
			found = append(found, filteredPath{f[i], f[i+2]})
		}
	}
	return found
}

// checkGitSteps checks what --git-add and --commit need before anything is
// written, so that a step that cannot succeed leaves the tree as it was: a
// work tree git can open, files no filter program must process, and for
// --commit an identity and no merge, rebase, cherry-pick or revert under
// way.
func checkGitSteps(g git, o *Outcome, cfg *Config) error {
	flag := cfg.gitStep()
	if flag == "" {
		return nil
	}
	switch {
	case g.broken != nil:
		return fmt.Errorf("%s needs a git work tree: %v; nothing was written", flag, g.broken)
	case g.top == "":
		return fmt.Errorf("%s needs a git work tree, and %s is not in one; nothing was written", flag, o.WS.Display)
	}
	if cfg.Commit {
		for _, v := range []string{"GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"} {
			if _, err := g.run(nil, "var", v); err != nil {
				return fmt.Errorf("--commit: git has no identity to commit with; set user.name and user.email (git config user.email you@example.com); nothing was written:\n%v", err)
			}
		}
		op, err := g.inProgress()
		if err != nil {
			return err
		}
		if op != "" {
			return fmt.Errorf("--commit: %s; nothing was written", op)
		}
	}
	if f := g.filtered(g.paths(o, !cfg.Commit)); len(f) > 0 {
		return fmt.Errorf("%s: %s uses the filter driver %q, a program from the repository's configuration that jemfix does not run; stage and commit by hand; nothing was written", flag, f[0].path, f[0].driver)
	}
	return nil
}

// inProgress names the operation under way in the work tree's git
// directory (a linked worktree has its own), or "". --git-path finds the
// files where this worktree keeps them.
func (g git) inProgress() (string, error) {
	ops := []struct{ file, what string }{
		{"MERGE_HEAD", "a merge is in progress (git merge --continue or --abort)"},
		{"rebase-merge", "a rebase is in progress (git rebase --continue or --abort)"},
		{"rebase-apply", "a rebase or git am is in progress (--continue or --abort)"},
		{"CHERRY_PICK_HEAD", "a cherry-pick is in progress (git cherry-pick --continue or --abort)"},
		{"REVERT_HEAD", "a revert is in progress (git revert --continue or --abort)"},
	}
	args := []string{"rev-parse"}
	for _, op := range ops {
		args = append(args, "--git-path", op.file)
	}
	out, err := g.run(nil, args...)
	if err != nil {
		return "", err
	}
	for i, p := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if !filepath.IsAbs(p) {
			p = filepath.Join(g.top, p)
		}
		if _, err := os.Lstat(p); err == nil && i < len(ops) {
			return ops[i].what, nil
		}
	}
	return "", nil
}

// gitStep names the git step asked for: "--commit", "--git-add" or "".
func (cfg *Config) gitStep() string {
	switch {
	case cfg.Commit:
		return "--commit"
	case cfg.GitAdd:
		return "--git-add"
	}
	return ""
}

// gitSteps stages new files (--git-add) or commits every change (--commit)
// after the write. Its checks ran before the write; a failure now (commit
// signing, a lock) is a NotCommittedError: the files stay written.
func gitSteps(g git, o *Outcome, cfg *Config) error {
	step := cfg.gitStep()
	if step == "" {
		return nil
	}
	// Roots of a bulk run may share a repository, whose index git
	// locks (.git/index.lock): their git steps take turns.
	gitTurn.Lock()
	defer gitTurn.Unlock()
	if g.top == "" {
		return &NotCommittedError{Step: step, Err: errors.New("not in a git work tree")}
	}
	// --commit stages only the new files, which `git commit -- paths`
	// needs; the others it takes from the work tree, so that a failed
	// commit leaves the index as it was.
	if paths := g.paths(o, true); len(paths) > 0 {
		if _, err := g.run(nil, append([]string{"add", "--"}, paths...)...); err != nil {
			return &NotCommittedError{Step: step, Err: err}
		}
	}
	if !cfg.Commit {
		return nil
	}
	msg := commitMessage(o, g.top)
	if _, err := g.run([]byte(msg), append([]string{"commit", "--no-verify", "-q", "-F", "-", "--"}, g.paths(o, false)...)...); err != nil {
		return &NotCommittedError{Step: step, Err: err}
	}
	// The commit exists; a failure to name it is no reason to report one.
	if hash, err := g.run(nil, "rev-parse", "--short", "HEAD"); err == nil {
		o.Commit = strings.TrimSpace(hash)
	} else {
		o.Commit = "HEAD"
	}
	return nil
}

// NotCommittedError is a git step (--git-add or --commit) that failed
// after the files were written: the work tree holds the change, not
// staged or not committed. Its status is StatusNotCommitted.
type NotCommittedError struct {
	Step string // --git-add or --commit
	Err  error
}

func (e *NotCommittedError) Error() string {
	what := "written, not committed"
	if e.Step == "--git-add" {
		what = "written, not staged"
	}
	return fmt.Sprintf("%s: %s failed after the files were written; they are in the work tree, uncommitted (git status shows them):\n%v", what, e.Step, e.Err)
}

func (e *NotCommittedError) Unwrap() error { return e.Err }

// NotCommitted reports whether err is a NotCommittedError: the files were
// written.
func NotCommitted(err error) bool {
	var nc *NotCommittedError
	return errors.As(err, &nc)
}

// AfterWrite returns the status of an error of a step that ran after the
// files were written (a git step, the Cargo.lock refresh): the files stay
// written. It returns "" for any other error.
func AfterWrite(err error) string {
	var lock *LockError
	var late *InterruptedAfterWrite
	switch {
	case errors.As(err, &late):
		return late.Status
	case NotCommitted(err):
		return StatusNotCommitted
	case errors.As(err, &lock):
		return StatusNotLocked
	}
	return ""
}

// commitMessage is a conventional commit whose body lists the changes, so
// that one `git revert` undoes the fix.
// Paths in it are relative to the repository's top, never the machine's
// absolute paths (the reasons name positions under the root as the user
// named it).
func commitMessage(o *Outcome, top string) string {
	rel := func(p string) string { return p }
	if r, err := filepath.Rel(top, o.WS.Dir); err == nil {
		r = filepath.ToSlash(r)
		rel = func(text string) string {
			if r == "." {
				return strings.ReplaceAll(text, o.WS.Display+"/", "")
			}
			return strings.ReplaceAll(text, o.WS.Display+"/", r+"/")
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (jemfix option %s)\n\n", commitSubject(o), o.Plan.Option)
	for _, why := range o.Plan.Why {
		fmt.Fprintf(&b, "%s\n", rel(why))
	}
	for _, m := range o.Plan.Moves {
		fmt.Fprintf(&b, "- %s: %s -> %s\n", m.Member, m.From, m.To)
	}
	b.WriteString("\nFiles:\n")
	for _, p := range commitFiles(o, top) {
		fmt.Fprintf(&b, "- %s\n", p)
	}
	return b.String()
}

// gitTurn serializes the git steps of the roots of one run.
var gitTurn sync.Mutex

// commitSubject says what the commit does: remove the links conflict, or,
// in a workspace without one, move to the tikv crates before one comes, or
// finish a move whose manifests were done already; written with --force,
// an option that leaves the conflict says so.
func commitSubject(o *Outcome) string {
	switch {
	case !o.Plan.Resolves:
		return "chore(deps): jemalloc crates moved, the links conflict remains" // --force
	case len(o.Plan.Unread) > 0:
		return "chore(deps): jemalloc crates moved (packages outside the root were not read)"
	case o.Before().Conflict:
		return "fix(deps): resolve jemalloc links conflict"
	case len(o.Plan.Moves) == 0:
		return "fix(deps): finish the move to the tikv jemalloc crates"
	}
	return "chore(deps): move the jemalloc crates to the tikv family"
}

// commitFiles lists the files of the commit relative to the repository's
// top: the plan's changes, and Cargo.lock when --lock refreshed it.
func commitFiles(o *Outcome, top string) []string {
	var out []string
	for _, ch := range o.Plan.Changes {
		out = append(out, ch.Path)
	}
	if o.Locked {
		out = append(out, "Cargo.lock")
	}
	if r, err := filepath.Rel(top, o.WS.Dir); err == nil && r != "." {
		for i := range out {
			out[i] = filepath.ToSlash(filepath.Join(r, out[i]))
		}
	}
	return out
}
