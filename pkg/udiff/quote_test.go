package udiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// oddNames are the file names the header tests cover, with the headers git
// 2.39 writes for a modified file of that name (core.quotePath=true).
var oddNames = []struct{ name, header string }{
	{"plain.txt", "diff --git a/plain.txt b/plain.txt\n--- a/plain.txt\n+++ b/plain.txt\n"},
	{"a b.txt", "diff --git a/a b.txt b/a b.txt\n--- a/a b.txt\t\n+++ b/a b.txt\t\n"},
	{"dir with space/x y.rs", "diff --git a/dir with space/x y.rs b/dir with space/x y.rs\n--- a/dir with space/x y.rs\t\n+++ b/dir with space/x y.rs\t\n"},
	{"ta\tb.txt", "diff --git \"a/ta\\tb.txt\" \"b/ta\\tb.txt\"\n--- \"a/ta\\tb.txt\"\n+++ \"b/ta\\tb.txt\"\n"},
	{"nl\nx.txt", "diff --git \"a/nl\\nx.txt\" \"b/nl\\nx.txt\"\n--- \"a/nl\\nx.txt\"\n+++ \"b/nl\\nx.txt\"\n"},
	{"é.txt", "diff --git \"a/\\303\\251.txt\" \"b/\\303\\251.txt\"\n--- \"a/\\303\\251.txt\"\n+++ \"b/\\303\\251.txt\"\n"},
	{"日本.txt", "diff --git \"a/\\346\\227\\245\\346\\234\\254.txt\" \"b/\\346\\227\\245\\346\\234\\254.txt\"\n--- \"a/\\346\\227\\245\\346\\234\\254.txt\"\n+++ \"b/\\346\\227\\245\\346\\234\\254.txt\"\n"},
	{"q\"uote.txt", "diff --git \"a/q\\\"uote.txt\" \"b/q\\\"uote.txt\"\n--- \"a/q\\\"uote.txt\"\n+++ \"b/q\\\"uote.txt\"\n"},
	{"back\\slash.txt", "diff --git \"a/back\\\\slash.txt\" \"b/back\\\\slash.txt\"\n--- \"a/back\\\\slash.txt\"\n+++ \"b/back\\\\slash.txt\"\n"},
	{"sp \"q.txt", "diff --git \"a/sp \\\"q.txt\" \"b/sp \\\"q.txt\"\n--- \"a/sp \\\"q.txt\"\t\n+++ \"b/sp \\\"q.txt\"\t\n"},
	{"it's.txt", "diff --git a/it's.txt b/it's.txt\n--- a/it's.txt\n+++ b/it's.txt\n"},
	{"esc\x1b[31m.txt", "diff --git \"a/esc\\033[31m.txt\" \"b/esc\\033[31m.txt\"\n--- \"a/esc\\033[31m.txt\"\n+++ \"b/esc\\033[31m.txt\"\n"},
	{"cr\rdel\x7fbel\a.txt", "diff --git \"a/cr\\rdel\\177bel\\a.txt\" \"b/cr\\rdel\\177bel\\a.txt\"\n--- \"a/cr\\rdel\\177bel\\a.txt\"\n+++ \"b/cr\\rdel\\177bel\\a.txt\"\n"},
	{"vt\vff\fbs\bsoh\x01.txt", "diff --git \"a/vt\\vff\\fbs\\bsoh\\001.txt\" \"b/vt\\vff\\fbs\\bsoh\\001.txt\"\n--- \"a/vt\\vff\\fbs\\bsoh\\001.txt\"\n+++ \"b/vt\\vff\\fbs\\bsoh\\001.txt\"\n"},
}

const oddOld, oddNew = "one\ntwo\n", "one\n2\n"

func TestHeaderQuoting(t *testing.T) {
	for _, n := range oddNames {
		got := Diff(File{Path: n.name, Old: []byte(oddOld), New: []byte(oddNew)})
		if want := n.header + "@@ -1,2 +1,2 @@\n one\n-two\n+2\n"; got != want {
			t.Errorf("Diff(%q):\n got %q\nwant %q", n.name, got, want)
		}
	}
	got := Diff(File{Path: "new dir/é", New: []byte("x\n")})
	want := "diff --git \"a/new dir/\\303\\251\" \"b/new dir/\\303\\251\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/new dir/\\303\\251\"\t\n@@ -0,0 +1 @@\n+x\n"
	if got != want {
		t.Errorf("created:\n got %q\nwant %q", got, want)
	}
}

// TestHeaderMatchesGit compares whole diffs with what the installed git
// writes for the same change, modified and created files alike, all but
// git's index line.
func TestHeaderMatchesGit(t *testing.T) {
	gitPath := cargotest.RequireTool(t, "git")
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, append([]string{"-c", "core.quotePath=true", "-c", "color.ui=never",
			"-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "core.autocrlf=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	git("init", "-q", ".")
	index := regexp.MustCompile(`(?m)^index [0-9a-f]+\.\.[0-9a-f]+( [0-7]+)?\n`)
	for _, n := range oddNames {
		writeFile(t, dir, n.name, oddOld)
		git("add", "--", n.name)
		writeFile(t, dir, n.name, oddNew)
		want := index.ReplaceAllString(git("diff", "--no-ext-diff", "--", n.name), "")
		if got := Diff(File{Path: n.name, Old: []byte(oddOld), New: []byte(oddNew)}); got != want {
			t.Errorf("modified %q:\n got %q\ngit  %q", n.name, got, want)
		}
		created := "new " + n.name
		writeFile(t, dir, created, oddNew)
		git("add", "-N", "--", created)
		want = index.ReplaceAllString(git("diff", "--no-ext-diff", "--", created), "")
		if got := Diff(File{Path: created, New: []byte(oddNew)}); got != want {
			t.Errorf("created %q:\n got %q\ngit  %q", created, got, want)
		}
	}
}

// TestOddNamesApply checks that `git apply` and GNU `patch -p1` both take
// the diff of modified and created files with every odd name, newline
// included (patch 2.7 reads git's C-quoted names).
func TestOddNamesApply(t *testing.T) {
	tools := map[string][]string{
		"git":   {cargotest.RequireTool(t, "git"), "apply", "-"},
		"patch": {cargotest.RequireTool(t, "patch"), "-p1", "--batch", "--silent"},
	}
	var patch strings.Builder
	for _, n := range oddNames {
		patch.WriteString(Diff(File{Path: n.name, Old: []byte(oddOld), New: []byte(oddNew)}))
		patch.WriteString(Diff(File{Path: "new " + n.name, New: []byte(oddNew)}))
	}
	for tool, argv := range tools {
		t.Run(tool, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range oddNames {
				writeFile(t, dir, n.name, oddOld)
			}
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(patch.String())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tool, err, out)
			}
			for _, n := range oddNames {
				for _, name := range []string{n.name, "new " + n.name} {
					if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != oddNew {
						t.Errorf("%q after %s: %q, %v; want %q", name, tool, got, err, oddNew)
					}
				}
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
