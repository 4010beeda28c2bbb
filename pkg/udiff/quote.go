package udiff

import "strings"

// quoteName writes prefix+p the way git writes a path in a diff header
// (quote.c, quote_c_style, with the default core.quotePath=true): as it is,
// unless it holds a double quote, a backslash, a control byte or a byte of
// 0x80 or more; then it is put in double quotes, prefix included
// ("a/na\tme"), with \a \b \t \n \v \f \r \" \\ and three-digit octal for
// every other such byte (é is \303\251). A space alone is no reason to quote.
func quoteName(prefix, p string) string {
	name := prefix + p
	if !needsQuote(name) {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x07 && c <= 0x0d:
			b.WriteByte('\\')
			b.WriteByte("abtnvfr"[c-0x07])
		case c < 0x20 || c >= 0x7f:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + c>>3&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func needsQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return true
		}
	}
	return false
}

// label is a `---` or `+++` line's name. Like git (diff.c), it ends in a
// tab when the name, quoted or not, holds a space: GNU patch takes a name
// up to the first tab, and without one it would stop at the space.
func label(name string) string {
	if strings.Contains(name, " ") {
		return name + "\t"
	}
	return name
}
