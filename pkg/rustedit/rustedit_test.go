package rustedit

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/textedit"
)

var testOpts = Options{
	Crates: map[string]string{
		"jemalloc_ctl": "tikv_jemalloc_ctl",
		"jemallocator": "tikv_jemallocator",
		"jemalloc_sys": "tikv_jemalloc_sys",
	},
	Features: map[string]string{
		"jemallocator": "tikv-jemallocator",
		"jemalloc-ctl": "tikv-jemalloc-ctl",
	},
}

type rewriteCase struct {
	name    string
	src     string
	want    string // "" means src comes back unchanged
	skip    string // text at which the one expected Skip points, if any
	why     string // part of that Skip's reason
	edition string // the package's edition; "" is 2015
}

// TestRewrite runs every case twice, with LF and with CRLF line ends, and
// checks that the output re-parses and that a second run makes no edits.
func TestRewrite(t *testing.T) {
	cases := slicesConcat(useCases, exprCases, macroCases, featureCases, decoyCases, skipCases, docCases)
	for _, tc := range cases {
		for _, eol := range []string{"\n", "\r\n"} {
			t.Run(tc.name+map[string]string{"\n": "/lf", "\r\n": "/crlf"}[eol], func(t *testing.T) {
				src := strings.ReplaceAll(tc.src, "\n", eol)
				want := src
				if tc.want != "" {
					want = strings.ReplaceAll(tc.want, "\n", eol)
				}
				opt := testOpts
				opt.Edition = tc.edition
				got, res := rewriteWith(t, src, opt)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("output mismatch (-want +got):\n%s", diff)
				}
				checkSkips(t, src, tc, res.Skipped)
				if err := Check("out.rs", []byte(got)); err != nil {
					t.Errorf("output does not parse: %v", err)
				}
				if again, _ := Rewrite("out.rs", []byte(got), opt); len(again.Edits) != 0 || tc.edition != "" && len(again.Skipped) != 0 {
					t.Errorf("second Rewrite gave edits %v, skips %v", again.Edits, again.Skipped)
				}
			})
		}
	}
}

// rewrite runs Rewrite and applies its edits.
func rewrite(t *testing.T, src string) (string, Result) {
	t.Helper()
	res, err := Rewrite("test.rs", []byte(src), testOpts)
	if err != nil {
		t.Fatalf("Rewrite: %v", err)
	}
	out, err := textedit.Apply([]byte(src), res.Edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return string(out), res
}

func checkSkips(t *testing.T, src string, tc rewriteCase, got []Skip) {
	t.Helper()
	if tc.skip == "" {
		if len(got) != 0 {
			t.Errorf("unexpected skips %v", got)
		}
		return
	}
	if len(got) != 1 {
		t.Fatalf("skips = %v, want one", got)
	}
	if want := strings.Index(src, tc.skip); got[0].Offset != want {
		t.Errorf("skip offset = %d, want %d", got[0].Offset, want)
	}
	if !strings.Contains(got[0].Reason, tc.why) {
		t.Errorf("skip reason = %q, want it to contain %q", got[0].Reason, tc.why)
	}
}

func slicesConcat(groups ...[]rewriteCase) []rewriteCase {
	var out []rewriteCase
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func TestParseError(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"missing semicolon", "use jemalloc_ctl::epoch\nfn main() {}\n", 1, 24, `missing ";"`},
		{"stray token", "fn main() {\n    let x = jemalloc_ctl::epoch::mib() @;\n}\n", 2, 40, "syntax error near"},
		{"crlf", "fn a() {}\r\nfn main() { jemalloc_ctl::x( }\r\n", 2, 28, "syntax error near \"(\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Rewrite("src/lib.rs", []byte(tt.src), testOpts)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Rewrite error = %v, want *ParseError", err)
			}
			if len(res.Edits) != 0 || len(res.Skipped) != 0 {
				t.Errorf("Rewrite gave %v with an error", res)
			}
			if pe.Line != tt.line || pe.Col != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("error = %v (offset %d), want line %d col %d containing %q", pe, pe.Offset, tt.line, tt.col, tt.msg)
			}
			if l, c := textedit.LineCol([]byte(tt.src), pe.Offset); l != pe.Line || c != pe.Col {
				t.Errorf("offset %d is %d:%d, error says %d:%d", pe.Offset, l, c, pe.Line, pe.Col)
			}
			if want := "src/lib.rs:"; !strings.HasPrefix(pe.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", pe.Error(), want)
			}
			if err := Check("src/lib.rs", []byte(tt.src)); err == nil || err.Error() != pe.Error() {
				t.Errorf("Check = %v, want %v", err, pe)
			}
		})
	}
}

func TestCheckValid(t *testing.T) {
	if err := Check("a.rs", []byte("fn main() {}\r\n")); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// A file that mentions no old name is not parsed, so even a broken one
// gives no error.
func TestNoMentionSkipsParse(t *testing.T) {
	res, err := Rewrite("a.rs", []byte("fn main( {"), testOpts)
	if err != nil || len(res.Edits) != 0 || len(res.Skipped) != 0 {
		t.Errorf("Rewrite = %v, %v; want nothing", res, err)
	}
}

func TestOptionsIgnored(t *testing.T) {
	opt := Options{Crates: map[string]string{"": "x", "jemalloc_ctl": "jemalloc_ctl"}}
	res, err := Rewrite("a.rs", []byte("use jemalloc_ctl::epoch;\n"), opt)
	if err != nil || len(res.Edits) != 0 {
		t.Errorf("Rewrite = %v, %v; want no edits", res, err)
	}
}

func TestEditsSorted(t *testing.T) {
	src := "use jemallocator::Jemalloc;\nuse jemalloc_ctl::epoch;\n#[cfg(feature = \"jemallocator\")]\nuse jemalloc_sys as sys;\n"
	res, err := Rewrite("a.rs", []byte(src), testOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := []textedit.Edit{
		{Start: 4, End: 16, New: "tikv_jemallocator"},
		{Start: 32, End: 44, New: "tikv_jemalloc_ctl"},
		{Start: 70, End: 82, New: "tikv-jemallocator"},
		{Start: 90, End: 102, New: "tikv_jemalloc_sys"},
	}
	if diff := cmp.Diff(want, res.Edits); diff != "" {
		t.Errorf("edits mismatch (-want +got):\n%s", diff)
	}
}

// TestConcurrent runs every case from several goroutines at once; run it
// with -race.
func TestConcurrent(t *testing.T) {
	cases := slicesConcat(useCases, exprCases, macroCases, featureCases, decoyCases, skipCases, docCases)
	want := make([]Result, len(cases))
	for i, tc := range cases {
		want[i], _ = Rewrite("a.rs", []byte(tc.src), testOpts)
	}
	errs := make(chan string, 4*len(cases))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, tc := range cases {
				got, _ := Rewrite("a.rs", []byte(tc.src), testOpts)
				if diff := cmp.Diff(want[i], got); diff != "" {
					errs <- tc.name + ": " + diff
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BindsLocally finds the module, item or import of a file named like a
// crate, which would take paths meant for the crate.
func TestBindsLocally(t *testing.T) {
	for src, want := range map[string]bool{
		"mod common {\n    pub fn f() {}\n}\n":              true,
		"mod common;\n":                                     true,
		"use crate::util::common;\n":                        true,
		"use x::{common, y};\n":                             true,
		"use helpers as common;\n":                          true,
		"fn common() {}\n":                                  true,
		"use common;\nfn f() { common::g(); }\n":            false,
		"// mod common\nlet s = \"mod common\";\n":          false,
		"mod commons {}\nfn uncommon() {}\n":                false,
		"pub struct common_thing;\nuse common::Jemalloc;\n": false,
	} {
		if got := BindsLocally([]byte(src), "common"); got != want {
			t.Errorf("BindsLocally(%q) = %v, want %v", src, got, want)
		}
	}
}
