package udiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// wholeDiff is Diff without the window: the line diff of the whole texts,
// as Diff made it before, which the window must not change.
func wholeDiff(f File) string {
	if f.Old != nil && string(f.Old) == string(f.New) {
		return ""
	}
	ops := lineOps(string(f.Old), string(f.New))
	var b strings.Builder
	header(&b, f)
	for _, h := range hunks(ops) {
		h.write(&b, ops, 0)
	}
	return b.String()
}

// TestWindowSameAsWhole compares Diff with wholeDiff on random edits of
// texts of few distinct lines, where diffmatchpatch's cleanup slides
// edits along repeated lines, and of longer texts with far-apart changes.
func TestWindowSameAsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 8000 {
		var old string
		switch i % 3 {
		case 0:
			old = fewLines(rng, rng.IntN(40), 1+rng.IntN(3))
		case 1:
			old = fewLines(rng, rng.IntN(200), 2+rng.IntN(20))
		default:
			old = randomText(rng, 1+rng.IntN(400))
		}
		new := old
		for range 1 + rng.IntN(3) {
			new = editLines(rng, new)
		}
		f := File{Path: "x", Old: []byte(old), New: []byte(new)}
		if got, want := Diff(f), wholeDiff(f); got != want {
			t.Fatalf("case %d: Diff differs from the whole-text diff\nold: %q\nnew: %q\n got: %q\nwant: %q", i, old, new, got, want)
		}
	}
}

// fewLines makes n lines drawn from k distinct ones, with or without a
// final newline.
func fewLines(rng *rand.Rand, n, k int) string {
	var b strings.Builder
	for range n {
		b.WriteString(string(rune('a' + rng.IntN(k))))
		b.WriteString("\n")
	}
	s := b.String()
	if rng.IntN(4) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// editLines inserts, deletes or replaces a run of lines of s, or drops or
// adds its final newline.
func editLines(rng *rand.Rand, s string) string {
	lines := splitLines(s)
	i := rng.IntN(len(lines) + 1)
	n := rng.IntN(4)
	run := func() []string {
		var out []string
		for range 1 + rng.IntN(4) {
			out = append(out, string(rune('a'+rng.IntN(3)))+"\n")
		}
		return out
	}
	switch rng.IntN(5) {
	case 0:
		lines = append(lines[:i], append(run(), lines[i:]...)...)
	case 1:
		lines = append(lines[:i], lines[min(i+n, len(lines)):]...)
	case 2:
		lines = append(lines[:i], append(run(), lines[min(i+n, len(lines)):]...)...)
	case 3:
		return strings.TrimSuffix(s, "\n")
	default:
		return s + "z"
	}
	return strings.Join(lines, "")
}

// FuzzWindowSameAsWhole asserts what TestWindowSameAsWhole samples, on
// any pair of texts.
func FuzzWindowSameAsWhole(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nx\nc\n")
	f.Add("a\na\na\nb\n", "a\na\nb\n")
	f.Add("x\r\ny", "x\ny\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		file := File{Path: "x", Old: []byte(old), New: []byte(new)}
		if got, want := Diff(file), wholeDiff(file); got != want {
			t.Fatalf("Diff differs from the whole-text diff\nold: %q\nnew: %q\n got: %q\nwant: %q", old, new, got, want)
		}
	})
}
