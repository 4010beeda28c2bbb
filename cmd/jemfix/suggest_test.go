package main

import (
	"slices"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"apply", "apply", 0}, {"aply", "apply", 1}, {"scna", "scan", 1},
		{"opton", "option", 1}, {"dryrun", "dry-run", 1}, {"verfiy", "verify", 1},
		{"plan", "scan", 2}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"é", "e", 1},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cmds := []string{"scan", "plan", "apply", "verify", "version", "completion", "help"}
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"aply", []string{"apply"}},
		{"Apply", []string{"apply"}},
		{"verison", []string{"version"}},
		{"verif", []string{"verify"}},
		{"compl", []string{"completion"}}, // a prefix
		{"sca", []string{"scan"}},
		{"frobnicate", nil},
		{"ap", nil}, // too short to guess
		{"xyzw", nil},
	} {
		if got := suggest(tt.word, cmds); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
