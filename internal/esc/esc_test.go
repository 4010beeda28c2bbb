package esc

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ws/crates/a/Cargo.toml", "ws/crates/a/Cargo.toml"},
		{"ws/crates/a\x1b[31m/Cargo.toml", `ws/crates/a\x1b[31m/Cargo.toml`},
		{"a\rb\nc\td\x00e\x7ff\a", `a\rb\nc\td\x00e\x7ff\a`},
		{"with space/é 日本 \"q\" back\\slash", "with space/é 日本 \"q\" back\\slash"},
		{"nbsp\u00a0ideo\u3000", "nbsp\u00a0ideo\u3000"},
		{"c1\u009bx", `c1\u009bx`},
		{"bidi\u202etxt.rs\u200b", `bidi\u202etxt.rs\u200b`},
		{"sep\u2028x", `sep\u2028x`},
		{"bad\x9b[31m\xff", `bad\x9b[31m\xff`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	got := Lines("first: a\x1b[2J\nsecond\r\n\nthird\u202e")
	want := "first: a\\x1b[2J\nsecond\\r\n\nthird\\u202e"
	if got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

// FuzzText checks the promise: no control byte or non-graphic rune
// survives, and clean text comes back unchanged.
func FuzzText(f *testing.F) {
	for _, s := range []string{"a\x1b[31m", "é\u202e\n", "\xc2\x9b", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if i := unsafeAt(got); i >= 0 {
			t.Fatalf("Text(%q) = %q keeps an unsafe rune at %d", s, got, i)
		}
		if unsafeAt(s) < 0 && got != s {
			t.Fatalf("Text(%q) = %q changed clean text", s, got)
		}
		if strings.Contains(Lines(s), "\r") {
			t.Fatalf("Lines(%q) keeps a CR", s)
		}
	})
}

// A root whose name holds a line break does not split the message that
// quotes it; the message's own line breaks stay.
func TestMessage(t *testing.T) {
	got := Message("bro\nken/Cargo.toml:1:3: invalid TOML\nsecond line", "bro\nken")
	if want := "bro\\nken/Cargo.toml:1:3: invalid TOML\nsecond line"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
	if got := Message("a\nb", "plain"); got != "a\nb" {
		t.Errorf("Message without a name to escape = %q", got)
	}
}
