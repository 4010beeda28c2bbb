package main

import (
	"os"
	"strings"

	"golang.org/x/term"
)

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiCyan  = "\x1b[36m"
)

// useColor decides --color=auto the way git does: only on a terminal,
// never when NO_COLOR is set, and never on a dumb terminal (TERM=dumb,
// as Emacs' shell and some CI logs set it), which shows escape sequences
// as text.
func (c *cli) useColor() bool {
	switch c.color {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := c.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colorDiff colours a unified diff line by line, leaving the text intact.
func colorDiff(diff string, on bool) string {
	if !on || diff == "" {
		return diff
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(diff, "\n") {
		body := strings.TrimRight(line, "\r\n")
		end := line[len(body):]
		switch {
		case body == "":
			b.WriteString(line)
			continue
		case strings.HasPrefix(body, "diff --git"), strings.HasPrefix(body, "--- "), strings.HasPrefix(body, "+++ "), strings.HasPrefix(body, "new file"):
			b.WriteString(ansiBold)
		case strings.HasPrefix(body, "@@"):
			b.WriteString(ansiCyan)
		case strings.HasPrefix(body, "-"):
			b.WriteString(ansiRed)
		case strings.HasPrefix(body, "+"):
			b.WriteString(ansiGreen)
		default:
			b.WriteString(line)
			continue
		}
		b.WriteString(body + ansiReset + end)
	}
	return b.String()
}
