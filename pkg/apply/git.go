package apply

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// git runs git in one work tree. It never runs the repository's own code:
// hooks and the fsmonitor are switched off for every call, since a
// repository's .git/config could name a program for either.
type git struct {
	top string // the work tree's top directory; "" outside git
}

var gitSafe = []string{"-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"}

// gitFor finds the git work tree holding dir, if git is installed and dir
// is inside one.
func gitFor(dir string) git {
	out, err := runGit(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return git{}
	}
	return git{top: strings.TrimSpace(out)}
}

func runGit(dir string, stdin []byte, args ...string) (string, error) {
	cmd := exec.Command("git", append(append([]string{"-C", dir}, gitSafe...), args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// paths returns the plan's files as paths relative to the work tree top.
func (g git) paths(o *Outcome, created bool) []string {
	var out []string
	for _, ch := range o.Plan.Changes {
		if created && ch.Old != nil {
			continue
		}
		abs := filepath.Join(o.WS.Dir, filepath.FromSlash(ch.Path))
		if rel, err := filepath.Rel(g.top, abs); err == nil {
			out = append(out, rel)
		}
	}
	return out
}

// refuseDirty stops a write into a work tree whose files to be touched
// have uncommitted changes, unless --allow-dirty, as cargo fix does.
func refuseDirty(g git, o *Outcome, cfg *Config) error {
	if g.top == "" || cfg.AllowDirty {
		return nil
	}
	out, err := runGit(g.top, nil, append([]string{"status", "--porcelain", "--untracked-files=no", "--"}, g.paths(o, false)...)...)
	if err != nil {
		return err
	}
	if dirty := strings.TrimSpace(out); dirty != "" {
		return fmt.Errorf("uncommitted changes to files jemfix would change; commit or stash them, or pass --allow-dirty:\n%s", dirty)
	}
	return nil
}

// gitSteps stages new files (--git-add) or commits every change (--commit).
func gitSteps(g git, o *Outcome, cfg *Config) error {
	if !cfg.GitAdd && !cfg.Commit {
		return nil
	}
	if g.top == "" {
		return errors.New("--git-add and --commit need a git work tree; the files were written")
	}
	paths := g.paths(o, !cfg.Commit)
	if len(paths) > 0 {
		if _, err := runGit(g.top, nil, append([]string{"add", "--"}, paths...)...); err != nil {
			return err
		}
	}
	if !cfg.Commit {
		return nil
	}
	msg := commitMessage(o)
	if _, err := runGit(g.top, []byte(msg), append([]string{"commit", "--no-verify", "-q", "-F", "-", "--"}, g.paths(o, false)...)...); err != nil {
		return err
	}
	hash, err := runGit(g.top, nil, "rev-parse", "--short", "HEAD")
	o.Commit = strings.TrimSpace(hash)
	return err
}

// commitMessage is a conventional commit whose body lists the changes, so
// that one `git revert` undoes the fix.
func commitMessage(o *Outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "fix(deps): resolve jemalloc links conflict (jemfix option %s)\n\n", o.Plan.Option)
	for _, why := range o.Plan.Why {
		fmt.Fprintf(&b, "%s\n", why)
	}
	for _, m := range o.Plan.Moves {
		fmt.Fprintf(&b, "- %s: %s -> %s\n", m.Member, m.From, m.To)
	}
	b.WriteString("\nFiles:\n")
	for _, ch := range o.Plan.Changes {
		fmt.Fprintf(&b, "- %s\n", ch.Path)
	}
	return b.String()
}
