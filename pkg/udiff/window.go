package udiff

import "bytes"

// commonLines returns the length in bytes of the whole lines that a and b
// start with alike.
func commonLines(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return bytes.LastIndexByte(a[:i], '\n') + 1
}

// commonTailLines returns the length in bytes of the whole lines that a and
// b end with alike; a and b each start at a line (after a newline, or at
// the start of the text).
func commonTailLines(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	// The n bytes both end with are whole lines of both when they start a
	// line in each; otherwise the lines start after the first newline
	// among them, which both have in the same place.
	if lineStart(a, len(a)-n) && lineStart(b, len(b)-n) {
		return n
	}
	tail := a[len(a)-n:]
	i := bytes.IndexByte(tail, '\n')
	if i < 0 {
		return 0
	}
	return len(tail) - (i + 1)
}

// lineStart reports whether offset i of s starts a line.
func lineStart(s []byte, i int) bool { return i == 0 || s[i-1] == '\n' }

// countLines counts the lines of s, a last one without a newline too.
func countLines(s []byte) int {
	n := bytes.Count(s, []byte("\n"))
	if len(s) > 0 && s[len(s)-1] != '\n' {
		n++
	}
	return n
}

// backLines returns the offset in s, which is whole lines, where its last
// n lines start (0 when it has fewer).
func backLines(s []byte, n int) int {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		i = bytes.LastIndexByte(s[:i-1], '\n') + 1
	}
	return i
}

// forwardLines returns the length of the first n lines of s (all of s when
// it has fewer).
func forwardLines(s []byte, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		j := bytes.IndexByte(s[i:], '\n')
		if j < 0 {
			return len(s)
		}
		i += j + 1
	}
	return i
}
