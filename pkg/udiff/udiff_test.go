package udiff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{name: "equal", old: "a\n", new: "a\n", want: ""},
		{
			name: "one line",
			old:  "a\nb\nc\nd\ne\nf\ng\nh\n",
			new:  "a\nb\nc\nD\ne\nf\ng\nh\n",
			want: "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n",
		},
		{
			name: "no final newline",
			old:  "a\nb",
			new:  "a\nc",
			want: "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
		},
		{
			name: "crlf kept",
			old:  "a\r\nb\r\n",
			new:  "a\r\nc\r\n",
			want: "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n",
		},
		{
			name: "two hunks",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
			new:  "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n",
			want: "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n",
		},
		{
			name: "insert into empty",
			old:  "",
			new:  "a\n",
			want: "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(File{Path: "x", Old: []byte(tt.old), New: []byte(tt.new)})
			if got != tt.want {
				t.Errorf("Diff mismatch\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

func TestCreated(t *testing.T) {
	got := Diff(File{Path: "docs/a.md", New: []byte("x\n")})
	want := "diff --git a/docs/a.md b/docs/a.md\nnew file mode 100644\n--- /dev/null\n+++ b/docs/a.md\n@@ -0,0 +1 @@\n+x\n"
	if got != want {
		t.Errorf("Diff = %q, want %q", got, want)
	}
}

// TestGitApply checks the contract that matters: git accepts every diff and
// reproduces the new text exactly, for random edits of texts with mixed line
// endings and with or without a final newline.
func TestGitApply(t *testing.T) {
	git := cargotest.RequireTool(t, "git")
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var patch strings.Builder
	want := map[string]string{}
	for i := range 40 {
		old := randomText(rng, 30+rng.IntN(300))
		new := mutate(rng, old)
		name := fmt.Sprintf("f%02d.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		patch.WriteString(Diff(File{Path: name, Old: []byte(old), New: []byte(new)}))
		want[name] = new
	}
	cmd := exec.Command(git, "apply", "-")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(patch.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	for name, w := range want {
		got, _ := os.ReadFile(filepath.Join(dir, name))
		if string(got) != w {
			t.Errorf("%s after git apply differs from the new text", name)
		}
	}
}

func randomText(rng *rand.Rand, lines int) string {
	var b strings.Builder
	for i := range lines {
		fmt.Fprintf(&b, "line %d %d", i, rng.IntN(5))
		if rng.IntN(7) == 0 {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	s := b.String()
	if rng.IntN(3) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

func mutate(rng *rand.Rand, s string) string {
	lines := splitLines(s)
	for range 1 + rng.IntN(6) {
		i := rng.IntN(len(lines))
		switch rng.IntN(3) {
		case 0:
			lines[i] = "changed " + lines[i]
		case 1:
			lines = append(lines[:i], lines[i+1:]...)
		default:
			lines = append(lines[:i], append([]string{"inserted\n"}, lines[i:]...)...)
		}
		if len(lines) == 0 {
			lines = []string{"x\n"}
		}
	}
	return strings.Join(lines, "")
}

func TestCounts(t *testing.T) {
	old := "keep\n-- a SQL comment\nkeep\n"
	new := "keep\n++ added\nkeep\n--- three dashes\n"
	d := Diff(File{Path: "x.sql", Old: []byte(old), New: []byte(new)}) +
		Diff(File{Path: "new.txt", New: []byte("+++ plus\n")})
	added, removed := Counts(d)
	if added != 3 || removed != 1 {
		t.Errorf("Counts = +%d -%d, want +3 -1, of:\n%s", added, removed, d)
	}
}
