package esc

import "testing"

func TestShell(t *testing.T) {
	for in, want := range map[string]string{
		".":                 ".",
		"fixtures/riptide":  "fixtures/riptide",
		"/abs/path-1.2_x@y": "/abs/path-1.2_x@y",
		"sp ace/my ws":      "'sp ace/my ws'",
		"-ws":               "./-ws",
		"it's":              `'it'\''s'`,
		"$HOME/x":           "'$HOME/x'",
		"":                  "''",
		"caf\u00e9":         "'caf\u00e9'",
		"a\x1bb":            `'a\x1bb'`,
	} {
		if got := Shell(in); got != want {
			t.Errorf("Shell(%q) = %s, want %s", in, got, want)
		}
	}
}
