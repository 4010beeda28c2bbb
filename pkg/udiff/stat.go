package udiff

import "strings"

// Counts returns the lines a unified diff adds and removes. Only lines
// inside hunks count, so a removed line "-- x" or an added "++ x" is not
// taken for a file header.
func Counts(diff string) (added, removed int) {
	inHunk := false
	for rest, more := diff, true; more; { // each line, as strings.Split would give them, without the slice
		var l string
		l, rest, more = strings.Cut(rest, "\n")
		switch {
		case strings.HasPrefix(l, "diff --git "):
			inHunk = false
		case strings.HasPrefix(l, "@@ "):
			inHunk = true
		case !inHunk:
		case strings.HasPrefix(l, "+"):
			added++
		case strings.HasPrefix(l, "-"):
			removed++
		}
	}
	return added, removed
}
