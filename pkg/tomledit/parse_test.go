package tomledit

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // Error()
		wantErr   any    // type of the wrapped error, or nil
	}{
		{"unclosed header", "[dependencies\na = 1\n", "Cargo.toml:1:14: invalid TOML: expected ']' to close table name", &unstable.ParserError{}},
		{"missing value", "[dependencies]\na = \n", "Cargo.toml:2:5: invalid TOML: unexpected character U+000A at start of value", &unstable.ParserError{}},
		{"unclosed array at end", "a = [1,\n", "Cargo.toml:1:8: invalid TOML: array is incomplete", &unstable.ParserError{}},
		{"bare CR", "a = 1\rb = 2", "Cargo.toml:1:6: invalid TOML: expected newline but got U+000D", &unstable.ParserError{}},
		{"CRLF lines count", "a = 1\r\nb = \r\n", "Cargo.toml:2:5: invalid TOML: unexpected character U+000D at start of value", &unstable.ParserError{}},
		{"BOM counts in columns", "\xef\xbb\xbfa = \n", "Cargo.toml:1:8: invalid TOML: unexpected character U+000A at start of value", &unstable.ParserError{}},
		{"BOM in the middle", "a = 1\n\xef\xbb\xbf", "Cargo.toml:2:1: invalid TOML: a byte order mark (U+FEFF) outside a string: TOML allows one only at the start of the file", &unstable.ParserError{}},
		{"duplicate key", "[dependencies]\na = \"1\"\na = \"2\"\n", "Cargo.toml:3:1: invalid TOML: key a is already defined", &toml.DecodeError{}},
		{"duplicate table", "[dependencies]\n[dependencies]\n", "Cargo.toml:2:2: invalid TOML: table dependencies already exists", &toml.DecodeError{}},
		{"dotted then sub-table", "[dependencies]\nx.version = \"1\"\n[dependencies.x]\n", "Cargo.toml:3:2: invalid TOML: table x already exists as defined by a dotted key", &toml.DecodeError{}},
		{"invalid UTF-8", "# caf\xe9\n", "Cargo.toml:1:6: invalid UTF-8 byte 0xe9: a manifest must be UTF-8 encoded", nil},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00", "Cargo.toml:1:8: NUL byte: this is a binary file, not a TOML manifest", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("Cargo.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted %q: %+v", tt.src, d)
			}
			if cerr := Check("Cargo.toml", []byte(tt.src)); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("Check = %v, want Parse's error %v", cerr, err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.want)
			}
			if l, c := lineCol(tt.src, e.Offset); l != e.Line || c != e.Col {
				t.Errorf("Offset %d is %d:%d, but Line:Col = %d:%d", e.Offset, l, c, e.Line, e.Col)
			}
			switch tt.wantErr.(type) {
			case nil:
				if e.Err != nil {
					t.Errorf("Unwrap = %v, want nil", e.Err)
				}
			case *unstable.ParserError:
				var pe *unstable.ParserError
				if !errors.As(err, &pe) {
					t.Errorf("Unwrap = %T, want *unstable.ParserError", e.Err)
				}
			case *toml.DecodeError:
				var de *toml.DecodeError
				if !errors.As(err, &de) {
					t.Errorf("Unwrap = %T, want *toml.DecodeError", e.Err)
				}
			}
		})
	}
}

func lineCol(src string, off int) (int, int) {
	before := src[:off]
	return strings.Count(before, "\n") + 1, off - (strings.LastIndexByte(before, '\n') + 1) + 1
}

func TestParseAccepts(t *testing.T) {
	for _, src := range []string{
		"",
		"\n\r\n",
		"\xef\xbb\xbf",
		"# only a comment",
		"# ünïcödé ✓\n[package]\r\nname = \"p\"\n\n\t[dependencies]\n\ta\t=\t\"1\"\t# tab\r\n",
		"[dependencies]\na = \"1\"", // no final newline
		"[dependencies]\nx = { version = \"1\",\n  # comment between entries\n  optional = true, }\n",
	} {
		d, err := Parse("Cargo.toml", []byte(src))
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if err := Check("Cargo.toml", []byte(src)); err != nil {
			t.Errorf("Check(%q): %v, but Parse accepts it", src, err)
		}
		if string(d.Src()) != src {
			t.Errorf("Parse(%q) changed the source", src)
		}
	}
}

func TestErrorWithoutName(t *testing.T) {
	_, err := Parse("", []byte("a = "))
	if got, want := err.Error(), "1:4: invalid TOML: expected value, not end of input"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// A byte order mark inside a string is a character like any other.
func TestBOMInString(t *testing.T) {
	if _, err := Parse("Cargo.toml", []byte("a = \"\xef\xbb\xbf\"\n")); err != nil {
		t.Errorf("Parse: %v", err)
	}
}
