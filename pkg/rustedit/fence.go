package rustedit

import (
	"bytes"
	"strings"
)

// docLine is one line of documentation text: its bytes, without comment
// marker and line ending, and the file offset of its first byte. Code built
// from docLines maps back to the file line by line.
type docLine struct {
	off  int
	text []byte
}

// codeBlock is one fenced code block of Markdown text.
type codeBlock struct {
	fence int       // offset of the opening fence
	end   int       // offset just past the last content line
	rust  bool      // rustdoc (or mdBook) compiles it as Rust
	lines []docLine // the content lines, as written
}

// fencedBlocks finds the fenced code blocks (``` or ~~~) in lines of
// Markdown. unmarked says whether a fence without an info string is Rust,
// as it is in doc comments; in Markdown files only ```rust is.
func fencedBlocks(lines []docLine, unmarked bool) []codeBlock {
	var out []codeBlock
	var cur *codeBlock
	var mark []byte
	for _, l := range lines {
		t := bytes.TrimLeft(l.text, " \t")
		if cur == nil {
			if m, info, ok := openFence(t); ok {
				mark = m
				cur = &codeBlock{fence: l.off + len(l.text) - len(t), end: l.off + len(l.text), rust: rustInfo(info, unmarked)}
			}
			continue
		}
		if closesFence(t, mark) {
			out = append(out, *cur)
			cur = nil
			continue
		}
		cur.lines = append(cur.lines, l)
		cur.end = l.off + len(l.text)
	}
	if cur != nil { // an unclosed fence runs to the end, as in CommonMark
		out = append(out, *cur)
	}
	return out
}

// openFence reports whether t opens a fence, and returns the fence run and
// the info string.
func openFence(t []byte) (mark, info []byte, ok bool) {
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil, nil, false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return nil, nil, false
	}
	info = bytes.TrimSpace(t[n:])
	if t[0] == '`' && bytes.IndexByte(info, '`') >= 0 {
		return nil, nil, false
	}
	return t[:n], info, true
}

func closesFence(t, mark []byte) bool {
	n := 0
	for n < len(t) && t[n] == mark[0] {
		n++
	}
	return n >= len(mark) && len(bytes.TrimSpace(t[n:])) == 0
}

// rustInfo applies rustdoc's rule to an info string: a block is Rust when a
// token says `rust`, or when every token is a doctest attribute (no_run,
// ignore, should_panic, edition2021, …). `text`, `toml`, `sh` and other
// languages make it something else.
func rustInfo(info []byte, unmarked bool) bool {
	tokens := strings.FieldsFunc(string(info), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '{' || r == '}' || r == '.'
	})
	if len(tokens) == 0 {
		return unmarked
	}
	other := false
	for _, tok := range tokens {
		switch {
		case tok == "rust":
			return true
		case doctestAttr(tok):
		default:
			other = true
		}
	}
	return !other && unmarked
}

func doctestAttr(tok string) bool {
	switch tok {
	case "ignore", "no_run", "should_panic", "compile_fail", "test_harness", "standalone_crate", "allow_fail":
		return true
	}
	return strings.HasPrefix(tok, "edition") || strings.HasPrefix(tok, "ignore-") ||
		len(tok) == 5 && tok[0] == 'E' && strings.Trim(tok[1:], "0123456789") == ""
}

// codeLine turns a line of a Rust code block into the code rustdoc
// compiles: `# x` (a hidden line) is `x`, `##x` is `#x`. The result is a
// contiguous part of the line, so its offsets still map to the file.
func codeLine(l docLine) docLine {
	i := len(l.text) - len(bytes.TrimLeft(l.text, " \t"))
	rest := l.text[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("##")):
		return docLine{off: l.off + i + 1, text: rest[1:]}
	case bytes.HasPrefix(rest, []byte("# ")):
		return docLine{off: l.off + i + 2, text: rest[2:]}
	case len(bytes.TrimRight(rest, " \t\r")) == 1 && rest[0] == '#':
		return docLine{off: l.off + i + 1}
	}
	return l
}

// fileLines splits src into lines without their line endings.
func fileLines(src []byte) []docLine {
	var out []docLine
	for off := 0; off < len(src); {
		var l docLine
		l, off = lineAt(src, off)
		out = append(out, l)
	}
	return out
}

// lineAt returns the line of src that starts at off, without its line
// ending, and the offset of the next line.
func lineAt(src []byte, off int) (docLine, int) {
	end := bytes.IndexByte(src[off:], '\n')
	next := off + end + 1
	if end < 0 {
		end, next = len(src)-off, len(src)
	}
	return docLine{off: off, text: bytes.TrimSuffix(src[off:off+end], []byte("\r"))}, next
}
