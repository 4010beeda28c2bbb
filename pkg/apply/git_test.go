package apply

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/cargotest"
)

// isolateGit keeps the user's and the system's git configuration and
// identity out of a test.
func isolateGit(t *testing.T) {
	t.Helper()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL", "GIT_DIR", "GIT_WORK_TREE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// gitRepo copies the riptide fixture into a new repository with one
// commit and an identity in its configuration.
func gitRepo(t *testing.T) string {
	t.Helper()
	cargotest.RequireTool(t, "git")
	isolateGit(t)
	dir := cargotest.CopyFixture(t, "riptide")
	mustGit(t, dir, "init", "-q")
	mustGit(t, dir, "config", "user.name", "t")
	mustGit(t, dir, "config", "user.email", "t@example.com")
	mustGit(t, dir, "add", "-A")
	mustGit(t, dir, "commit", "-q", "-m", "init")
	return dir
}

func mustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, name, text string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, name, string(b)+text)
}

// refused checks that apply stopped before the write with an error
// naming each of want, and left every file as it was.
func refused(t *testing.T, dir string, cfg *Config, want ...string) {
	t.Helper()
	before := cargotest.ReadTree(t, dir)
	o := Root(dir, cfg)
	if o.Err == nil {
		t.Fatalf("apply succeeded, want an error naming %q", want)
	}
	for _, w := range want {
		if !strings.Contains(o.Err.Error(), w) {
			t.Errorf("error %q does not name %q", o.Err, w)
		}
	}
	if o.Written || o.Status() != "error" {
		t.Errorf("written %v, status %q; want false, error", o.Written, o.Status())
	}
	if diff := cmp.Diff(before, cargotest.ReadTree(t, dir)); diff != "" {
		t.Errorf("the tree changed (-before +after):\n%s", diff)
	}
}

const perf = "crates/riptide-performance/src/"

// The dirty-tree guard covers modified, staged, untracked and ignored
// files that apply would rewrite; files it does not touch pass.
func TestDirtyGuard(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  []string // nil: apply writes
	}{
		{"clean", func(*testing.T, string) {}, nil},
		{"modified", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, perf+"profiling/memory.rs"), "// local edit\n")
		}, []string{"uncommitted changes", " M " + perf + "profiling/memory.rs"}},
		{"staged", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, perf+"profiling/memory.rs"), "// local edit\n")
			mustGit(t, dir, "add", perf+"profiling/memory.rs")
		}, []string{"M  " + perf + "profiling/memory.rs"}},
		{"untracked", func(t *testing.T, dir string) {
			mustGit(t, dir, "rm", "-q", "--cached", perf+"heap.rs")
			mustGit(t, dir, "commit", "-q", "-m", "untrack")
		}, []string{"?? " + perf + "heap.rs", "git holds no copy"}},
		{"ignored", func(t *testing.T, dir string) {
			mustGit(t, dir, "rm", "-q", "--cached", perf+"heap.rs")
			writeFile(t, filepath.Join(dir, ".gitignore"), "heap.rs\n")
			mustGit(t, dir, "add", ".gitignore")
			mustGit(t, dir, "commit", "-q", "-m", "ignore")
		}, []string{"!! " + perf + "heap.rs"}},
		{"other files dirty", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, "crates/riptide-core/src/lib.rs"), "// local edit\n")
			writeFile(t, filepath.Join(dir, "notes.txt"), "untracked\n")
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := gitRepo(t)
			tt.setup(t, dir)
			if tt.want != nil {
				refused(t, dir, &Config{Option: "1"}, tt.want...)
				if o := Root(dir, &Config{Option: "1", AllowDirty: true}); o.Err != nil || !o.Written {
					t.Errorf("--allow-dirty: written %v, err %v; want written", o.Written, o.Err)
				}
				return
			}
			if o := Root(dir, &Config{Option: "1"}); o.Err != nil || !o.Written {
				t.Errorf("written %v, err %v; want written", o.Written, o.Err)
			}
		})
	}
}

// A .git file whose git directory is gone is not "outside git": apply
// refuses instead of writing unchecked, unless --allow-dirty, and --commit
// refuses even then.
func TestBrokenDotGit(t *testing.T) {
	dir := gitRepo(t)
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "repo.git", "worktrees", "ws")
	writeFile(t, filepath.Join(dir, ".git"), "gitdir: "+missing+"\n")
	refused(t, dir, &Config{Option: "1"}, "points to the git directory "+missing+", which does not exist", "--allow-dirty")
	refused(t, dir, &Config{Option: "1", AllowDirty: true, Commit: true}, "--commit needs a git work tree", "does not exist", "nothing was written")
	if o := Root(dir, &Config{Option: "1", AllowDirty: true}); o.Err != nil || !o.Written {
		t.Errorf("--allow-dirty: written %v, err %v; want written", o.Written, o.Err)
	}
}

// --commit checks everything it needs before anything is written.
func TestCommitPreconditions(t *testing.T) {
	gitPath := func(t *testing.T, dir, name string) string {
		p := strings.TrimSpace(mustGit(t, dir, "rev-parse", "--git-path", name))
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p
	}
	head := func(t *testing.T, dir string) string { return mustGit(t, dir, "rev-parse", "HEAD") }
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the root to apply to
		want  string
	}{
		{"not a repository", func(t *testing.T, dir string) string {
			os.RemoveAll(filepath.Join(dir, ".git"))
			return dir
		}, "--commit needs a git work tree, and"},
		{"no identity", func(t *testing.T, dir string) string {
			mustGit(t, dir, "config", "--unset", "user.name")
			mustGit(t, dir, "config", "--unset", "user.email")
			mustGit(t, dir, "config", "user.useConfigOnly", "true")
			return dir
		}, "git has no identity to commit with"},
		{"merge", func(t *testing.T, dir string) string {
			writeFile(t, gitPath(t, dir, "MERGE_HEAD"), head(t, dir))
			return dir
		}, "a merge is in progress"},
		{"rebase", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(gitPath(t, dir, "rebase-merge"), "head-name"), "refs/heads/main\n")
			return dir
		}, "a rebase is in progress"},
		{"am", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(gitPath(t, dir, "rebase-apply"), "next"), "1\n")
			return dir
		}, "a rebase or git am is in progress"},
		{"cherry-pick", func(t *testing.T, dir string) string {
			writeFile(t, gitPath(t, dir, "CHERRY_PICK_HEAD"), head(t, dir))
			return dir
		}, "a cherry-pick is in progress"},
		{"revert", func(t *testing.T, dir string) string {
			writeFile(t, gitPath(t, dir, "REVERT_HEAD"), head(t, dir))
			return dir
		}, "a revert is in progress"},
		{"merge in a linked worktree", func(t *testing.T, dir string) string {
			wt := filepath.Join(t.TempDir(), "wt")
			mustGit(t, dir, "worktree", "add", "-q", wt)
			writeFile(t, gitPath(t, wt, "MERGE_HEAD"), head(t, dir))
			if _, err := os.Stat(filepath.Join(dir, ".git", "MERGE_HEAD")); err == nil {
				t.Fatal("MERGE_HEAD landed in the main work tree's git directory")
			}
			return wt
		}, "a merge is in progress"},
		{"filter on a file to commit", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, ".gitattributes"), "*.rs filter=crypt\n")
			mustGit(t, dir, "add", ".gitattributes")
			mustGit(t, dir, "commit", "-q", "-m", "attributes")
			mustGit(t, dir, "config", "filter.crypt.clean", "cat")
			return dir
		}, `uses the filter driver "crypt"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.setup(t, gitRepo(t))
			refused(t, root, &Config{Option: "1", Commit: true}, tt.want, "nothing was written")
		})
	}
}

// A commit that fails after the write (here signing) leaves the files
// written, with its own status and the reason.
func TestCommitFailsAfterWrite(t *testing.T) {
	dir := gitRepo(t)
	mustGit(t, dir, "config", "commit.gpgsign", "true")
	mustGit(t, dir, "config", "gpg.program", "false")
	o := Root(dir, &Config{Option: "1", Commit: true})
	if !o.Written || !NotCommitted(o.Err) {
		t.Fatalf("written %v, err %v; want written and a NotCommittedError", o.Written, o.Err)
	}
	if !strings.Contains(o.Err.Error(), "written, not committed: --commit failed") {
		t.Errorf("error %q does not say written, not committed", o.Err)
	}
	line := o.JSON(false)
	if line.Status != StatusNotCommitted || line.Error == "" || line.Commit != "" || len(line.Files) != 4 {
		t.Errorf("line = %+v; want status %s, the error, no commit, 4 files", line, StatusNotCommitted)
	}
	if got := mustGit(t, dir, "status", "--porcelain"); !strings.Contains(got, " M "+perf+"heap.rs") {
		t.Errorf("git status = %q; want the rewritten files modified", got)
	}
	if got := mustGit(t, dir, "rev-list", "--count", "HEAD"); strings.TrimSpace(got) != "1" {
		t.Errorf("%s commits; want the initial one only", strings.TrimSpace(got))
	}
}

// programsRepo is a repository whose configuration names a program for a
// clean filter, a process filter, the fsmonitor and every hook, each
// touching a marker file in the returned directory. attrs is its
// .gitattributes. Plain git runs them (checked here); jemfix must not.
func programsRepo(t *testing.T, attrs string) (dir, marks string) {
	t.Helper()
	dir, marks = gitRepo(t), t.TempDir()
	writeFile(t, filepath.Join(dir, "notes.txt"), "notes\n")
	writeFile(t, filepath.Join(dir, ".gitattributes"), attrs)
	mustGit(t, dir, "add", "notes.txt", ".gitattributes")
	mustGit(t, dir, "commit", "-q", "-m", "attributes")
	touch := func(name string) string { return "#!/bin/sh\ntouch '" + filepath.Join(marks, name) + "'\n" }
	writeFile(t, filepath.Join(marks, "bin", "clean"), touch("filter-clean")+"cat\n")
	writeFile(t, filepath.Join(marks, "bin", "process"), touch("filter-process")+"exit 1\n")
	writeFile(t, filepath.Join(marks, "bin", "fsmonitor"), touch("fsmonitor")+"exit 1\n")
	for _, h := range []string{"pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "post-index-change", "reference-transaction", "pre-auto-gc"} {
		writeFile(t, filepath.Join(marks, "hooks", h), touch("hook-"+h))
	}
	mustGit(t, dir, "config", "core.fsmonitor", filepath.Join(marks, "bin", "fsmonitor"))
	mustGit(t, dir, "config", "core.hooksPath", filepath.Join(marks, "hooks"))
	mustGit(t, dir, "commit", "-q", "--allow-empty", "-m", "control")
	mustGit(t, dir, "config", "filter.mark.clean", filepath.Join(marks, "bin", "clean"))
	mustGit(t, dir, "config", "filter.proc.process", filepath.Join(marks, "bin", "process"))

	// Plain git runs every one of them. A failing process filter stops
	// git, hence one status per file.
	restat(t, dir)
	for _, p := range restated {
		exec.Command("git", "-C", dir, "status", "--", p).Run()
	}
	want := []string{"filter-clean", "fsmonitor", "hook-pre-commit", "hook-post-commit"}
	if strings.Contains(attrs, "*.toml filter=proc") {
		want = append(want, "filter-process")
	}
	for _, m := range want {
		if _, err := os.Stat(filepath.Join(marks, m)); err != nil {
			t.Fatalf("control: plain git did not run %s: %v", m, err)
		}
	}
	clearMarks(t, marks)
	restat(t, dir)
	return dir, marks
}

var restated = []string{"notes.txt", "crates/riptide-performance/Cargo.toml", perf + "heap.rs", perf + "lib.rs"}

// restat moves the modification time of every file the fix touches, and
// of notes.txt, so that git must read them again (and filter them) to
// tell whether they changed.
func restat(t *testing.T, dir string) {
	t.Helper()
	for _, p := range restated {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(dir, p), fi.ModTime(), fi.ModTime().Add(10e9)); err != nil {
			t.Fatal(err)
		}
	}
}

func clearMarks(t *testing.T, marks string) {
	t.Helper()
	entries, _ := os.ReadDir(marks)
	for _, e := range entries {
		if !e.IsDir() {
			os.Remove(filepath.Join(marks, e.Name()))
		}
	}
}

func noMarks(t *testing.T, marks string) {
	t.Helper()
	entries, _ := os.ReadDir(marks)
	for _, e := range entries {
		if !e.IsDir() {
			t.Errorf("jemfix ran a program from the repository's configuration: %s", e.Name())
		}
	}
}

// No program from the repository's configuration runs during apply: not
// in the dirty check, with or without --allow-dirty, and not in --git-add
// or --commit.
func TestNoRepositoryPrograms(t *testing.T) {
	rust := "*.rs filter=mark\n*.toml filter=proc\n"
	notes := "*.txt filter=mark\n*.json filter=proc\n"
	for _, tt := range []struct {
		name  string
		attrs string
		cfg   Config
		want  string // the error, when apply refuses
	}{
		{"dirty check", rust, Config{Option: "1"}, ""},
		{"allow-dirty", rust, Config{Option: "1", AllowDirty: true}, ""},
		{"dry run", rust, Config{Option: "1", DryRun: true}, ""},
		{"git-add", notes, Config{Option: "1", Docs: true, GitAdd: true}, ""},
		{"commit", notes, Config{Option: "1", Commit: true}, ""},
		{"commit of filtered files", rust, Config{Option: "1", Commit: true}, `Cargo.toml uses the filter driver "proc"`},
		{"git-add of filtered files", "*.txt filter=mark\n*.md filter=proc\n", Config{Option: "1", Docs: true, GitAdd: true}, `README.md uses the filter driver "proc"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, marks := programsRepo(t, tt.attrs)
			o := Root(dir, &tt.cfg)
			switch {
			case tt.want != "" && (o.Err == nil || !strings.Contains(o.Err.Error(), tt.want)):
				t.Errorf("err %v; want %q", o.Err, tt.want)
			case tt.want == "" && o.Err != nil:
				t.Errorf("err %v", o.Err)
			case tt.cfg.Commit && tt.want == "" && o.Commit == "":
				t.Error("no commit")
			}
			noMarks(t, marks)
		})
	}
}

// The commit body names files and positions relative to the repository,
// not the machine's absolute paths, even when the root was given as one.
func TestCommitMessageRelative(t *testing.T) {
	dir := gitRepo(t)
	o := Root(dir, &Config{Option: "1", Commit: true})
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	body := mustGit(t, dir, "log", "-1", "--format=%B")
	if strings.Contains(body, dir) {
		t.Errorf("the commit body holds the absolute root %s:\n%s", dir, body)
	}
	for _, want := range []string{"- crates/riptide-performance/Cargo.toml", "(crates/riptide-api/Cargo.toml:18:1)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the commit body lacks %q:\n%s", want, body)
		}
	}
}
