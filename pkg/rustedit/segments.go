package rustedit

import (
	"bytes"
	"slices"
	"unicode/utf8"

	sitter "github.com/smacker/go-tree-sitter"
)

// Only the top-level items that name an old crate need a tree. A file is cut
// into segments by a small lexer that knows Rust's comments, literals and
// brackets: each segment ends just after a `;` at bracket depth 0, or after a
// `}` at depth 0 that is followed by the start of another item. tree-sitter
// then parses only the segments that hold a name, as included ranges: the
// bytes between them are skipped as if they were spaces, and offsets, lines
// and columns stay those of the file. When the lexer cannot cut a file, or
// the parse of the kept segments has an error, the whole file is parsed
// instead.

// segments returns the end offset of every top-level segment of src, the
// last being len(src), or nil when src does not lex: an unterminated comment
// or literal, or brackets that do not match.
func segments(src []byte) []int {
	var ends []int
	var open []byte // the closing brackets expected, innermost last
	for i := 0; i < len(src); {
		c := src[i]
		switch lexClass[c] {
		case lexSlash:
			if i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*') {
				j := skipComment(src, i)
				if j < 0 {
					return nil
				}
				i = j
				continue
			}
			i = skipPlain(src, i+1) // a division: a plain byte
		case lexQuote:
			j := skipString(src, i+1)
			if j < 0 {
				return nil
			}
			i = j
		case lexApostrophe:
			i = skipQuote(src, i)
			if i < 0 {
				return nil
			}
		case lexOpen:
			open = append(open, closer(c))
			i++
		case lexClose:
			if len(open) == 0 || open[len(open)-1] != c {
				return nil
			}
			open = open[:len(open)-1]
			i++
			if c == '}' && len(open) == 0 && itemFollows(src, i) {
				ends = append(ends, i)
			}
		case lexSemicolon:
			i++
			if len(open) == 0 {
				ends = append(ends, i)
			}
		case lexIdent:
			j := skipWord(src, i)
			if j < 0 {
				return nil
			}
			i = j
		default:
			i = skipPlain(src, i+1)
		}
	}
	if len(open) != 0 {
		return nil
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(src) {
		ends = append(ends, len(src))
	}
	return ends
}

// The classes of bytes segments tells apart, looked up in lexClass: one
// lookup per byte instead of a chain of comparisons.
const (
	lexPlainByte  = iota // nothing to segments (spaces, operators)
	lexSlash             // '/', which may start a comment
	lexQuote             // '"'
	lexApostrophe        // '\''
	lexOpen              // '(', '[', '{'
	lexClose             // ')', ']', '}'
	lexSemicolon         // ';'
	lexIdent             // identByte
)

var lexClass = func() (t [256]uint8) {
	for b := range 256 {
		switch c := byte(b); {
		case c == '/':
			t[b] = lexSlash
		case c == '"':
			t[b] = lexQuote
		case c == '\'':
			t[b] = lexApostrophe
		case c == '(' || c == '[' || c == '{':
			t[b] = lexOpen
		case c == ')' || c == ']' || c == '}':
			t[b] = lexClose
		case c == ';':
			t[b] = lexSemicolon
		case identByte(c):
			t[b] = lexIdent
		}
	}
	return t
}()

// skipPlain returns the offset of the first byte at or after i that is
// not plain (lexPlain).
func skipPlain(src []byte, i int) int {
	for i < len(src) && lexPlain[src[i]] {
		i++
	}
	return i
}

// lexPlain marks the bytes that segments passes over one at a time: none
// of them starts a comment, a literal, a word, a bracket or a `;`. A run of
// them (spaces, operators) is passed over in one loop.
var lexPlain = func() (t [256]bool) {
	for b := range 256 {
		switch c := byte(b); {
		case identByte(c), c == '/', c == '"', c == '\'', c == ';',
			c == '(', c == '[', c == '{', c == ')', c == ']', c == '}':
		default:
			t[b] = true
		}
	}
	return t
}()

// identEnd returns the offset after the run of identifier bytes at i.
func identEnd(src []byte, i int) int {
	for i < len(src) && identBytes[src[i]] {
		i++
	}
	return i
}

// cutFile is a file's source with its segments, cut on first use: a
// rewrite cuts the file for its parse and again for each run of use
// items it sorts.
type cutFile struct {
	src  []byte
	ends []int
	done bool
}

// segments returns segments(c.src), lexed once.
func (c *cutFile) segments() []int {
	if !c.done {
		c.ends, c.done = segments(c.src), true
	}
	return c.ends
}

func closer(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// skipComment returns the offset after the comment at i (`//` or a nested
// `/* */`), or -1 when a block comment is not closed.
func skipComment(src []byte, i int) int {
	if src[i+1] == '/' {
		if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(src)
	}
	depth := 0
	for j := i; j+1 < len(src); {
		switch {
		case src[j] == '/' && src[j+1] == '*':
			depth++
			j += 2
		case src[j] == '*' && src[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j
			}
		default:
			j++
		}
	}
	return -1
}

// skipString returns the offset after the closing quote of a string whose
// body starts at i, or -1.
func skipString(src []byte, i int) int {
	for ; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipRawString returns the offset after a raw string whose hashes start at
// i (`#…#"…"#…#`, zero or more hashes), or -1.
func skipRawString(src []byte, i int) int {
	n := 0
	for i < len(src) && src[i] == '#' {
		n++
		i++
	}
	if i >= len(src) || src[i] != '"' {
		return -1
	}
	end := append([]byte{'"'}, bytes.Repeat([]byte{'#'}, n)...)
	j := bytes.Index(src[i+1:], end)
	if j < 0 {
		return -1
	}
	return i + 1 + j + len(end)
}

// skipQuote returns the offset after a character literal or a lifetime (or
// label) that starts with the quote at i, or -1 for an unterminated literal.
// As in rustc, `'x'` is a character and `'x` without a closing quote a
// lifetime.
func skipQuote(src []byte, i int) int {
	if i+1 >= len(src) {
		return -1
	}
	if src[i+1] == '\\' {
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case '\'':
				return j + 1
			case '\n':
				return -1
			}
		}
		return -1
	}
	_, size := utf8.DecodeRune(src[i+1:])
	if j := i + 1 + size; j < len(src) && src[j] == '\'' {
		return j + 1
	}
	j := identEnd(src, i+1)
	if j == i+1 {
		return -1 // a lone quote: not Rust
	}
	return j
}

// skipWord returns the offset after the identifier, keyword or number at i,
// or after the literal it prefixes (`b"…"`, `b'…'`, `c"…"` and the raw
// strings `r"…"`, `br#"…"#`, `cr"…"`). A raw identifier `r#name` is a word.
// It returns -1 for an unterminated literal.
func skipWord(src []byte, i int) int {
	j := identEnd(src, i)
	if j == len(src) || j-i > 2 { // literal prefixes are one or two letters
		return j
	}
	switch prefix := string(src[i:j]); {
	case src[j] == '"' && (prefix == "b" || prefix == "c"):
		return skipString(src, j+1)
	case src[j] == '\'' && prefix == "b":
		return skipQuote(src, j)
	case prefix == "r" || prefix == "br" || prefix == "cr":
		if src[j] == '"' {
			return skipRawString(src, j)
		}
		if src[j] == '#' && j+1 < len(src) && (src[j+1] == '#' || src[j+1] == '"') {
			return skipRawString(src, j)
		}
		if prefix == "r" && src[j] == '#' {
			return identEnd(src, j+1)
		}
	}
	return j
}

// itemWords are the words that can start an item after a `}` at depth 0.
var itemWords = map[string]bool{
	"pub": true, "fn": true, "const": true, "static": true, "struct": true,
	"enum": true, "union": true, "trait": true, "impl": true, "mod": true,
	"use": true, "extern": true, "type": true, "unsafe": true, "async": true,
	"auto": true, "default": true, "safe": true, "macro_rules": true, "macro": true,
}

// itemFollows reports whether the next token after i, past whitespace and
// comments, starts an item (an item keyword, an attribute, or a macro call
// `name!`), or src ends. After `}` anything else may continue an item, as in
// `const X: S = S {};`, so no segment ends there.
func itemFollows(src []byte, i int) bool {
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
			if i = skipComment(src, i); i < 0 {
				return false
			}
		case c == '#':
			return true
		case identByte(c) && !(c >= '0' && c <= '9'):
			j := identEnd(src, i)
			if itemWords[string(src[i:j])] {
				return true
			}
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			return j+1 < len(src) && src[j] == '!' && src[j+1] != '='
		default:
			return false
		}
	}
	return true
}

// keep returns the ranges of src made of the segments that contain one of
// the offsets, or nil when src cannot be cut into segments.
func keep(src []byte, offsets []int) []sitter.Range {
	return keepCut(&cutFile{src: src}, offsets)
}

// keepCut is keep over a cut file.
func keepCut(c *cutFile, offsets []int) []sitter.Range {
	src, ends := c.src, c.segments()
	if ends == nil {
		return nil
	}
	wanted := make([]bool, len(ends))
	for _, off := range offsets {
		wanted[segmentOf(ends, off)] = true
	}
	return rangesOf(src, ends, wanted)
}

// segmentOf returns the index of the segment that holds offset off.
func segmentOf(ends []int, off int) int {
	lo, hi := 0, len(ends)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if off < ends[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// rangesOf returns the wanted segments as ranges, runs of adjacent ones
// merged, with their points.
func rangesOf(src []byte, ends []int, wanted []bool) []sitter.Range {
	var offs []int
	start := 0
	for k, end := range ends {
		if wanted[k] {
			if n := len(offs); n > 0 && offs[n-1] == start {
				offs[n-1] = end
			} else {
				offs = append(offs, start, end)
			}
		}
		start = end
	}
	points := pointsOf(src, offs)
	ranges := make([]sitter.Range, 0, len(offs)/2)
	for i := 0; i < len(offs); i += 2 {
		ranges = append(ranges, sitter.Range{
			StartByte: uint32(offs[i]), EndByte: uint32(offs[i+1]),
			StartPoint: points[i], EndPoint: points[i+1],
		})
	}
	return ranges
}

// pointsOf returns the tree-sitter points (rows and byte columns) of the
// ascending offsets, in one pass over src.
func pointsOf(src []byte, offs []int) []sitter.Point {
	points := make([]sitter.Point, len(offs))
	row, lineStart, i := 0, 0, 0
	for k, off := range offs {
		if off > i {
			if n := bytes.Count(src[i:off], []byte{'\n'}); n > 0 {
				row, lineStart = row+n, i+bytes.LastIndexByte(src[i:off], '\n')+1
			}
			i = off
		}
		points[k] = sitter.Point{Row: uint32(row), Column: uint32(off - lineStart)}
	}
	return points
}

// changedSegments returns the ranges of src made of the segments whose
// bytes differ from those in old, and true; nil and true when no segment
// differs. It returns false when the two do not cut into the same number
// of segments.
func changedSegments(old, src []byte) ([]sitter.Range, bool) {
	oldEnds, ends := segments(old), segments(src)
	if oldEnds == nil || ends == nil || len(oldEnds) != len(ends) {
		return nil, false
	}
	wanted := make([]bool, len(ends))
	changed := false
	oldStart, start := 0, 0
	for k := range ends {
		wanted[k] = !bytes.Equal(old[oldStart:oldEnds[k]], src[start:ends[k]])
		changed = changed || wanted[k]
		oldStart, start = oldEnds[k], ends[k]
	}
	if !changed {
		return nil, true
	}
	return rangesOf(src, ends, wanted), true
}

// NamesInCode reports whether one of words occurs in src as a word of
// code: not in a comment or a literal, nor as part of a longer identifier.
// A file that does not lex counts as naming them: nothing can be told.
func NamesInCode(src []byte, words []string) bool {
	for i := 0; i < len(src); {
		switch lexClass[src[i]] {
		case lexSlash:
			if i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*') {
				if i = skipComment(src, i); i < 0 {
					return true
				}
				continue
			}
			i++
		case lexQuote:
			if i = skipString(src, i+1); i < 0 {
				return true
			}
		case lexApostrophe:
			if i = skipQuote(src, i); i < 0 {
				return true
			}
		case lexIdent:
			j := skipWord(src, i)
			if j < 0 {
				return true
			}
			if slices.Contains(words, string(src[i:j])) {
				return true
			}
			i = j
		default:
			i++
		}
	}
	return false
}

// CodeOnly returns a copy of src with its comments and literals blanked:
// every byte of them but line endings becomes a space, so that a search
// of the copy finds only code, at the offsets of src. A file that does not
// lex is returned as it is: nothing can be told.
func CodeOnly(src []byte) []byte {
	out := bytes.Clone(src)
	blank := func(from, to int) {
		for k := from; k < to; k++ {
			if out[k] != '\n' && out[k] != '\r' {
				out[k] = ' '
			}
		}
	}
	for i := 0; i < len(src); {
		start := i
		switch lexClass[src[i]] {
		case lexSlash:
			if i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*') {
				if i = skipComment(src, i); i < 0 {
					return bytes.Clone(src)
				}
				blank(start, i)
				continue
			}
			i++
		case lexQuote:
			if i = skipString(src, i+1); i < 0 {
				return bytes.Clone(src)
			}
			blank(start, i)
		case lexApostrophe:
			if i = skipQuote(src, i); i < 0 {
				return bytes.Clone(src)
			}
			if i-start > 2 && src[i-1] == '\'' { // a character literal, not a lifetime
				blank(start, i)
			}
		case lexIdent:
			j := skipWord(src, i)
			if j < 0 {
				return bytes.Clone(src)
			}
			if j < len(src) && j > i && (src[j-1] == '"' || src[j-1] == '#' || src[j-1] == '\'') {
				blank(i, j) // a raw or byte string the word began
			}
			i = j
		default:
			i++
		}
	}
	return out
}
