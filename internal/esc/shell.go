package esc

import "strings"

// Shell returns path as one word of a POSIX shell command line that a
// user can paste: as it is when every byte is plain (letters, digits and
// _@%+=:,./-), else in single quotes; a relative path that starts with
// "-" gets "./" first, so that it is not read as a flag. Control
// characters are escaped as Text does: the result is for reading first.
func Shell(path string) string {
	if strings.HasPrefix(path, "-") {
		path = "./" + path
	}
	if path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r))
	}) < 0 {
		return path
	}
	return "'" + strings.ReplaceAll(Text(path), "'", `'\''`) + "'"
}
