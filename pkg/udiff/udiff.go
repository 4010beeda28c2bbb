// Package udiff writes git-style unified diffs. It owns the output format that
// reviewers read and that `git apply` and `patch -p1` accept: a
// `diff --git` header, `---`/`+++` lines, hunks with three lines of context,
// and the "\ No newline at end of file" marker. Path names are quoted as git
// quotes them (see quoteName), so odd names survive both tools.
package udiff

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// File is one file's change. Path is slash-separated and relative to the
// root the diff applies to. A nil Old means the file is created.
type File struct {
	Path     string
	Old, New []byte
	Mode     string // octal mode for a created file, e.g. "100644"; empty means 100644
}

// Diff returns the unified diff of f, or "" when Old and New are equal.
func Diff(f File) string {
	if f.Old != nil && string(f.Old) == string(f.New) {
		return ""
	}
	ops := lineOps(string(f.Old), string(f.New))
	var b strings.Builder
	header(&b, f)
	for _, h := range hunks(ops) {
		h.write(&b, ops)
	}
	return b.String()
}

func header(b *strings.Builder, f File) {
	from, to := quoteName("a/", f.Path), quoteName("b/", f.Path)
	fmt.Fprintf(b, "diff --git %s %s\n", from, to)
	if f.Old == nil {
		mode := f.Mode
		if mode == "" {
			mode = "100644"
		}
		fmt.Fprintf(b, "new file mode %s\n--- /dev/null\n+++ %s\n", mode, label(to))
		return
	}
	fmt.Fprintf(b, "--- %s\n+++ %s\n", label(from), label(to))
}

// op is one line of the edit script: ' ', '-' or '+'.
type op struct {
	kind byte
	line string // with its line ending, if any
}

func lineOps(a, b string) []op {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var ops []op
	for _, d := range diffs {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range splitLines(d.Text) {
			ops = append(ops, op{kind, l})
		}
	}
	return ops
}

// splitLines splits s after each '\n', keeping the endings (CRLF stays CRLF).
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// hunk is a range of ops [from, to) shown together.
type hunk struct{ from, to int }

func hunks(ops []op) []hunk {
	var hs []hunk
	for i := 0; i < len(ops); i++ {
		if ops[i].kind == ' ' {
			continue
		}
		end := i
		for end < len(ops) && ops[end].kind != ' ' {
			end++
		}
		from, to := max(i-Context, 0), min(end+Context, len(ops))
		if n := len(hs); n > 0 && from <= hs[n-1].to {
			hs[n-1].to = to
		} else {
			hs = append(hs, hunk{from, to})
		}
		i = end - 1
	}
	return hs
}

func (h hunk) write(b *strings.Builder, ops []op) {
	oldStart, newStart := 1, 1
	for _, o := range ops[:h.from] {
		if o.kind != '+' {
			oldStart++
		}
		if o.kind != '-' {
			newStart++
		}
	}
	oldLen, newLen := 0, 0
	for _, o := range ops[h.from:h.to] {
		if o.kind != '+' {
			oldLen++
		}
		if o.kind != '-' {
			newLen++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", rangeSpec(oldStart, oldLen), rangeSpec(newStart, newLen))
	for _, o := range ops[h.from:h.to] {
		b.WriteByte(o.kind)
		b.WriteString(o.line)
		if !strings.HasSuffix(o.line, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeSpec formats a hunk range the way diff(1) does: an empty range names
// the line before it.
func rangeSpec(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
