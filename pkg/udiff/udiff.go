// Package udiff writes git-style unified diffs. It owns the output format that
// reviewers read and that `git apply` and `patch -p1` accept: a
// `diff --git` header, `---`/`+++` lines, hunks with three lines of context,
// and the "\ No newline at end of file" marker. Path names are quoted as git
// quotes them (see quoteName), so odd names survive both tools.
package udiff

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

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
	skip, a, c := window(f.Old, f.New)
	ops := lineOps(a, c)
	var b strings.Builder
	header(&b, f)
	for _, h := range hunks(ops) {
		h.write(&b, ops, skip)
	}
	return b.String()
}

// window cuts from old and new the lines a line diff of them cannot
// change, so that a long file with a few changed lines is not split and
// hashed line by line: it returns the texts from the skip-th line on (the
// same in both), and ends them as many lines before their ends.
//
// What is left around the lines that differ (the middle: after the common
// prefix of whole lines, before the common suffix of the rest, as
// diffmatchpatch trims them) is enough unchanged lines that the diff comes
// out the same: the context of a hunk, and more lines than any insertion
// or deletion can hold, which is what diffmatchpatch's cleanup compares an
// equality with before it slides an edit into it. Its line diff of the
// middle does not depend on the lines around it.
func window(old, new []byte) (skip int, a, b string) {
	pre := commonLines(old, new)
	restA, restB := old[pre:], new[pre:]
	suf := commonTailLines(restA, restB)
	midA, midB := restA[:len(restA)-suf], restB[:len(restB)-suf]
	keep := max(max(countLines(midA), countLines(midB))+1, Context)
	from := backLines(old[:pre], keep)
	to := forwardLines(restA[len(midA):], keep)
	skip = bytes.Count(old[:from], []byte("\n"))
	return skip, string(old[from : pre+len(midA)+to]), string(new[from : pre+len(midB)+to])
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
	diffs := dmp.DiffCharsToLines(mainDiff(dmp, ca, cb), lines)
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

// The line diffs of small windows are kept by their texts of line numbers
// (DiffLinesToChars): many files of a large tree change the same way (the
// manifests of a workspace, alike line for line around their changes),
// and DiffMain, a function of those texts alone, then runs once for all of
// them. Large windows are not kept: they rarely repeat, and DiffMain may
// stop at its deadline on them.
const (
	cachedRunes = 256  // the longest pair of texts kept
	cachedDiffs = 4096 // the most pairs kept
)

var (
	diffCache sync.Map // ca + "\x00" + cb -> []diffmatchpatch.Diff
	diffsKept atomic.Int32
)

// mainDiff is dmp.DiffMain(ca, cb, false), from the cache when it holds
// the pair. The diffs it returns must not be changed (DiffCharsToLines
// makes new ones).
func mainDiff(dmp *diffmatchpatch.DiffMatchPatch, ca, cb string) []diffmatchpatch.Diff {
	if len(ca)+len(cb) > cachedRunes*utf8.UTFMax {
		return dmp.DiffMain(ca, cb, false)
	}
	key := ca + "\x00" + cb // line numbers start at 1: no text holds a NUL
	if d, ok := diffCache.Load(key); ok {
		return d.([]diffmatchpatch.Diff)
	}
	d := dmp.DiffMain(ca, cb, false)
	if diffsKept.Load() < cachedDiffs {
		if _, loaded := diffCache.LoadOrStore(key, d); !loaded {
			diffsKept.Add(1)
		}
	}
	return d
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

// write writes the hunk; skip is the number of lines before the first op.
func (h hunk) write(b *strings.Builder, ops []op, skip int) {
	oldStart, newStart := 1+skip, 1+skip
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
