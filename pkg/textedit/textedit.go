// Package textedit owns byte-range edits over an original text: the single
// way jemfix changes a file. Edits splice bytes; nothing is ever re-printed,
// so every byte outside an edit stays as it was.
package textedit

import (
	"fmt"
	"slices"
)

// Edit replaces src[Start:End] with New. An insertion has Start == End.
type Edit struct {
	Start, End int
	New        string
}

// Apply returns src with edits applied. Edits may come in any order; they are
// sorted by position. Overlapping or out-of-range edits are rejected, and
// identical duplicate edits are applied once. Two insertions at the same
// offset keep their given order.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted, err := Sort(len(src), edits)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// Sort validates edits against a text of length n and returns them sorted by
// position with exact duplicates removed.
func Sort(n int, edits []Edit) ([]Edit, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b Edit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	out := sorted[:0]
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return nil, fmt.Errorf("edit %d..%d out of range 0..%d", e.Start, e.End, n)
		}
		if i > 0 {
			prev := out[len(out)-1]
			if prev == e && e.Start != e.End {
				continue
			}
			if e.Start < prev.End {
				return nil, fmt.Errorf("edit %d..%d overlaps edit %d..%d", e.Start, e.End, prev.Start, prev.End)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// LineCol turns a byte offset into a 1-based line and a 1-based column counted
// in bytes, the way compilers print positions.
func LineCol(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, off - start + 1
}
