package rustedit

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/gen"
	"jemfix/pkg/textedit"
)

// TestSegments checks where the lexer cuts, written as the text of each
// segment joined by "|".
func TestSegments(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"items", "use a;\nfn f() {}\nstruct S;\n", "use a;|\nfn f() {}|\nstruct S;|\n"},
		{"const with braces", "const X: S = S { a: 1 };\nfn f() {}", "const X: S = S { a: 1 };|\nfn f() {}"},
		{"closure in static", "static F: fn() = || {};\n", "static F: fn() = || {};|\n"},
		{"impl then attribute", "impl A {}\n#[cfg(x)]\nfn f() {}\n", "impl A {}|\n#[cfg(x)]\nfn f() {}|\n"},
		{"macro call after brace", "mod m {}\nfoo! { x }\nbar!();\n", "mod m {}|\nfoo! { x }|\nbar!();|\n"},
		{"brace then operator", "const B: bool = S {} != S {};", "const B: bool = S {} != S {};"},
		{"semicolons nested", "fn f() { a; b; }\n", "fn f() { a; b; }|\n"},
		{"comment after brace", "fn f() {} // x;\n/* ; */ fn g() {}", "fn f() {}| // x;\n/* ; */ fn g() {}"},
		{"nested block comment", "/* a /* ; */ ; */ use a;", "/* a /* ; */ ; */ use a;"},
		{"string with brace", "const S: &str = \"};\\\"\";\nuse a;", "const S: &str = \"};\\\"\";|\nuse a;"},
		{"raw string", "const S: &str = r#\"\"};\"#;\nuse a;", "const S: &str = r#\"\"};\"#;|\nuse a;"},
		{"byte and c strings", "const A: &[u8] = b\";\"; const C: &CStr = c\";\"; const R: &[u8] = br\";\";", "const A: &[u8] = b\";\";| const C: &CStr = c\";\";| const R: &[u8] = br\";\";"},
		{"char literals", "const A: char = '}'; const B: char = '\\''; const C: char = 'é';", "const A: char = '}';| const B: char = '\\'';| const C: char = 'é';"},
		{"lifetimes", "fn f<'a>(x: &'a str) -> &'a str { x }\nuse a;", "fn f<'a>(x: &'a str) -> &'a str { x }|\nuse a;"},
		{"byte char", "const B: u8 = b'}';", "const B: u8 = b'}';"},
		{"raw identifier", "fn r#match() {}\nuse a;", "fn r#match() {}|\nuse a;"},
		{"no trailing cut", "use a;\nfn f", "use a;|\nfn f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ends := segments([]byte(tt.src))
			if ends == nil {
				t.Fatalf("segments(%q) = nil", tt.src)
			}
			var parts []string
			start := 0
			for _, end := range ends {
				parts = append(parts, tt.src[start:end])
				start = end
			}
			if got := strings.Join(parts, "|"); got != tt.want {
				t.Errorf("segments(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestSegmentsRefused lists sources the lexer cannot cut: the caller then
// parses the whole file.
func TestSegmentsRefused(t *testing.T) {
	for _, src := range []string{
		"fn f() {", "fn f() }", "fn f() { ( }", "/* open", "/* /* */", `const S: &str = "open;`,
		`const S: &str = r#"open"`, "const C: char = '\\", "x = ' ", "const A: u8 = b'\\",
	} {
		if ends := segments([]byte(src)); ends != nil {
			t.Errorf("segments(%q) = %v, want nil", src, ends)
		}
	}
}

// An item with a syntax error that names no old crate is not parsed, so the
// items that do name one are still rewritten; an error in an item that names
// one still gives a *ParseError for the file.
func TestOnlyNamingItemsParsed(t *testing.T) {
	src := "fn broken() { let x = ; }\n\nuse jemalloc_ctl::epoch;\n"
	got, _ := rewrite(t, src)
	if want := "fn broken() { let x = ; }\n\nuse tikv_jemalloc_ctl::epoch;\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := rewriteParsed("a.rs", []byte(src), testOpts, true); err == nil {
		t.Errorf("whole-file parse gave no error for %q", src)
	}
	_, err := Rewrite("a.rs", []byte("fn ok() {}\nfn f() { jemalloc_ctl::epoch::advance() @; }\n"), testOpts)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 {
		t.Errorf("Rewrite error = %v, want a *ParseError on line 2", err)
	}
}

// TestItemsMatchWhole checks that parsing only the naming items gives the
// same edits and skips as parsing the whole file, on every case of this
// package and on every Rust file of the fixtures.
func TestItemsMatchWhole(t *testing.T) {
	srcs := map[string][]byte{}
	for _, tc := range slicesConcat(useCases, exprCases, macroCases, featureCases, decoyCases, skipCases, docCases) {
		srcs[tc.name] = []byte(tc.src)
	}
	readRustFiles(t, "../../fixtures", srcs)
	srcs["bench"] = benchSource(8 << 10)
	dir := t.TempDir()
	if err := gen.WorkspaceSized(dir, 4, 60, 3, 6000); err != nil {
		t.Fatal(err)
	}
	readRustFiles(t, dir, srcs)
	n := 0
	for name, src := range srcs {
		for _, s := range [][]byte{src, bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))} {
			if Check(name, s) != nil {
				continue
			}
			n++
			sameAsWhole(t, name, s, testOpts)
		}
	}
	if n < 100 {
		t.Errorf("compared only %d sources", n)
	}
}

// readRustFiles adds every .rs file under dir to srcs, by path.
func readRustFiles(t *testing.T, dir string, srcs map[string][]byte) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".rs" {
			return err
		}
		b, err := os.ReadFile(p)
		srcs[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sameAsWhole fails when the result for src under opt differs between
// parsing the naming items and parsing the whole file, and otherwise
// returns it. src must parse.
func sameAsWhole(t *testing.T, name string, src []byte, opt Options) (Result, bool) {
	t.Helper()
	items, err1 := rewriteParsed(name, src, opt, false)
	whole, err2 := rewriteParsed(name, src, opt, true)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: errors %v, %v on a file that parses", name, err1, err2)
	}
	if d := cmp.Diff(whole, items); d != "" {
		shown := src
		if len(shown) > 4096 {
			shown = []byte("(not shown)")
		}
		t.Errorf("%s: items differ from whole file (-whole +items):\n%s\nsource:\n%s", name, d, shown)
		return Result{}, false
	}
	return items, true
}

func TestCheckChange(t *testing.T) {
	old := []byte("fn broken() { let x = ; }\n\nuse jemalloc_ctl::epoch;\n")
	tests := []struct {
		name, src string
		wantLine  int // 0: no error
	}{
		{"renamed", "fn broken() { let x = ; }\n\nuse tikv_jemalloc_ctl::epoch;\n", 0},
		{"error in the changed item", "fn broken() { let x = ; }\n\nuse tikv_jemalloc_ctl::epoch @;\n", 3},
		{"cut differently", "fn broken() { let x = ; }\n\nuse tikv_jemalloc_ctl::epoch; fn g() {}\n", 1},
		{"unchanged", string(old), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckChange("a.rs", old, []byte(tt.src))
			var pe *ParseError
			switch {
			case tt.wantLine == 0 && err != nil:
				t.Errorf("CheckChange = %v, want nil", err)
			case tt.wantLine != 0 && (!errors.As(err, &pe) || pe.Line != tt.wantLine):
				t.Errorf("CheckChange = %v, want a *ParseError on line %d", err, tt.wantLine)
			}
		})
	}
	if err := CheckChange("new.rs", nil, []byte("fn f( {}")); err == nil {
		t.Errorf("CheckChange of a broken new file = nil")
	}
}

// corpusOpts renames crates that real code names all the time (the
// standard library's own), so that a corpus without jemalloc exercises the
// same paths as a jemalloc rename.
var corpusOpts = Options{
	Crates:   map[string]string{"core": "tikv_core", "alloc": "tikv_alloc", "std": "tikv_std", "libc": "tikv_libc"},
	Features: map[string]string{"std": "tikv-std", "alloc": "tikv-alloc", "panic_immediate_abort": "tikv-abort"},
}

// TestItemsMatchWholeCorpus runs the comparison of TestItemsMatchWhole,
// with corpusOpts, on a generated corpus (see corpus_gen_test.go) and, when
// JEMFIX_RUST_CORPUS names a directory of real Rust files, on those too.
func TestItemsMatchWholeCorpus(t *testing.T) {
	t.Run("generated", testGeneratedCorpus)
	t.Run("broken items", testBrokenItems)
	dir := os.Getenv("JEMFIX_RUST_CORPUS")
	if dir == "" {
		t.Log("set JEMFIX_RUST_CORPUS to a directory of Rust files to compare on real code too")
		return
	}
	t.Run("external", func(t *testing.T) {
		srcs := map[string][]byte{}
		readRustFiles(t, dir, srcs)
		st := compareCorpus(t, srcs)
		t.Logf("%d files: %+v", len(srcs), st)
	})
}

// corpusStats counts what compareCorpus saw.
type corpusStats struct {
	Uncut        int            // files the lexer cannot cut
	Broken       int            // files with a whole-file syntax error
	BrokenEdited int            // of those, files Rewrite still edits
	Fallback     int            // files whose naming items do not parse alone
	Compared     int            // files compared item by item and whole
	Edited       int            // of those, files with edits
	Skips        map[string]int // skips of the compared files, by kind
}

// compareCorpus runs sameAsWhole on every source that parses, with
// corpusOpts, and checks that Check and CheckChange agree on each output.
func compareCorpus(t *testing.T, srcs map[string][]byte) corpusStats {
	t.Helper()
	st := corpusStats{Skips: map[string]int{}}
	for _, p := range slices.Sorted(maps.Keys(srcs)) {
		src := srcs[p]
		if segments(src) == nil {
			st.Uncut++
		}
		if Check(p, src) != nil {
			st.Broken++
			if res, err := Rewrite(p, src, corpusOpts); err == nil && len(res.Edits) > 0 {
				st.BrokenEdited++
			}
			continue
		}
		if namingItemsFail(t, p, src) {
			st.Fallback++
		}
		st.Compared++
		items, ok := sameAsWhole(t, p, src, corpusOpts)
		for _, s := range items.Skipped {
			st.Skips[s.Kind]++
		}
		if ok && len(items.Edits) > 0 {
			st.Edited++
			out, err := textedit.Apply(src, items.Edits)
			if err != nil {
				t.Fatal(err)
			}
			if (Check(p, out) == nil) != (CheckChange(p, src, out) == nil) {
				t.Errorf("%s: Check and CheckChange disagree on the output", p)
			}
		}
	}
	return st
}

// namingItemsFail reports whether the items of src that name a crate of
// corpusOpts do not parse on their own, so that Rewrite falls back to the
// whole file: item and whole results are then equal trivially.
func namingItemsFail(t *testing.T, p string, src []byte) bool {
	t.Helper()
	var offsets []int
	for _, old := range present(src, corpusOpts.Crates, false) {
		offsets = appendIndexes(offsets, src, []byte(old))
	}
	for _, old := range present(src, corpusOpts.Features, true) {
		offsets = appendIndexes(offsets, src, []byte(`"`+old+`"`))
	}
	kept := keep(src, offsets)
	if len(kept) == 0 {
		return false
	}
	tree, err := parseRanges(src, kept)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if tree.RootNode().HasError() {
		t.Logf("%s: kept ranges do not parse: %v", p, newParseError(p, src, tree.RootNode()))
		return true
	}
	return false
}

func TestNamesInCode(t *testing.T) {
	words := []string{"jemallocator", "jemalloc_ctl"}
	for src, want := range map[string]bool{
		"// uses jemallocator\nfn f() { let x = ; }\n":           false,
		"/* jemalloc_ctl */ const S: &str = \"jemallocator\";\n": false,
		"fn my_jemallocator() {} const C: char = 'j';\n":         false,
		"const R: &str = r#\"jemallocator\"#;\n":                 false,
		"fn broken( { jemallocator::Jemalloc }\n":                true,
		"use jemalloc_ctl;\n":                                    true,
		"const S: &str = \"unterminated jemallocator;\n":         true, // does not lex: cannot tell
		"/// doc\nfn f() -> jemalloc_ctl::Error { todo!() }\n":   true,
	} {
		if got := NamesInCode([]byte(src), words); got != want {
			t.Errorf("NamesInCode(%q) = %v, want %v", src, got, want)
		}
	}
}

// CodeOnly blanks comments and literals, offsets and line endings kept,
// and agrees with NamesInCode on what is code.
func TestCodeOnly(t *testing.T) {
	for src, want := range map[string]string{
		"a // c\r\nb":                     "a     \r\nb",
		"x /* y\n z */ w":                 "x     \n      w",
		"s = \"q\\\"r\"; t":               "s =       ; t",
		"r#\"raw\"# + b\"by\" + 'c' + 'l": "         +       +     + 'l",
		"fn f<'a>(x: &'a u8) {}":          "fn f<'a>(x: &'a u8) {}",
		"r#match::x":                      "r#match::x",
		"\"unterminated":                  "\"unterminated",
	} {
		if got := string(CodeOnly([]byte(src))); got != want {
			t.Errorf("CodeOnly(%q) = %q, want %q", src, got, want)
		}
	}
}
