// Package esc makes untrusted text safe to print as text on a terminal.
// File names, TOML keys and values, and messages built from them can hold
// ESC, CR and other control characters that would move the cursor, recolour
// or rewrite what the user sees; esc turns each into a visible escape.
//
// The escapes are strconv.Quote's, without the surrounding quotes: \a \b \f
// \n \r \t \v, \x1b for other control bytes and DEL, \u202e for the other
// runes that are not graphic (C1 controls, bidirectional and zero-width
// format characters, line and paragraph separators), and \x9b for a byte
// that is not UTF-8. Everything graphic is kept, spaces and non-ASCII
// letters included, and so are double quotes and backslashes: the result is
// for reading, not a reversible encoding (a name that really holds the four
// characters \x1b prints the same as one holding ESC), so messages that
// already went through %q are not escaped twice. --json has the exact bytes.
package esc

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text returns s with every control character and other non-graphic rune
// escaped, newlines included. It returns s itself when nothing needs it.
func Text(s string) string {
	i := unsafeAt(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			const hex = "0123456789abcdef"
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&15])
		case strconv.IsGraphic(r):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r) // '\x1b'
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

// Message escapes msg as Lines does, but each of names (a root as the
// user named it, which the message quotes in its paths) that holds a line
// break is escaped whole first: its line breaks do not split the message.
func Message(msg string, names ...string) string {
	for _, n := range names {
		if n != "" && strings.ContainsAny(n, "\n\r") {
			msg = strings.ReplaceAll(msg, n, Text(n))
		}
	}
	return Lines(msg)
}

// Lines escapes each line of s with Text and keeps the line breaks: it is
// for messages whose newlines are the code's own (a multi-line error, a
// tool's output), where only the rest can come from the input. A newline
// that came from a file name inside such a message still breaks the line;
// print untrusted pieces through Text where they are put together.
func Lines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Text(l)
	}
	return strings.Join(lines, "\n")
}

// unsafeAt returns the index of the first byte that starts a rune Text
// escapes, or -1.
func unsafeAt(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !strconv.IsGraphic(r) {
			return i
		}
		i += n
	}
	return -1
}
