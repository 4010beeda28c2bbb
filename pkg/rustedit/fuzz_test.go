package rustedit

import (
	"bytes"
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jemfix/pkg/textedit"
)

// FuzzRewrite checks the invariants: no panic, edits in range and apart,
// each edit replaces exactly an old name, the output of a clean file
// re-parses, and a second run makes no edits. For a file that parses, the
// result of parsing only its naming items must equal that of parsing the
// whole file, and CheckChange must agree with Check on the output.
func FuzzRewrite(f *testing.F) {
	for _, tc := range slicesConcat(useCases, exprCases, macroCases, featureCases, decoyCases, skipCases) {
		f.Add([]byte(tc.src))
	}
	f.Add([]byte("use jemalloc_ctl::epoch\nfn main() {}\n"))
	f.Add([]byte("fn f() { m!(jemalloc_ctl::x( }"))
	f.Add([]byte("const S: &str = r#\"\"};\"#;\nuse jemalloc_ctl::epoch;\nconst C: char = '}';\nfn f<'a>(x: &'a u8) { jemalloc_ctl::x(); }\n"))
	f.Add([]byte("const X: S = S {} ;\nimpl A { fn f() { jemalloc_ctl::x() } }\nm! { jemalloc_ctl::y }\n/* } */ fn g() { b'}'; }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, edition := range []string{"", "2021"} { // 2015, and one where imports keep their names
			opt := testOpts
			opt.Edition = edition
			fuzzRewrite(t, src, opt)
		}
	})
}

// fuzzRewrite checks the invariants on one input with opt.
func fuzzRewrite(t *testing.T, src []byte, opt Options) {
	res, err := Rewrite("fuzz.rs", src, opt)
	if err != nil {
		checkFuzzError(t, src, res, err)
		return
	}
	checkFuzzEdits(t, src, res)
	out, err := textedit.Apply(src, res.Edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(res.Edits) == 0 && !bytes.Equal(out, src) {
		t.Fatalf("no edits but output differs")
	}
	if Check("fuzz.rs", src) == nil {
		if err := Check("fuzz.rs", out); err != nil {
			t.Fatalf("input parses, output does not: %v\n%q", err, out)
		}
		if err := CheckChange("fuzz.rs", src, out); err != nil {
			t.Fatalf("CheckChange = %v, Check says fine\n%q", err, out)
		}
		sameAsWhole(t, "fuzz.rs", src, opt)
	}
	again, err := Rewrite("fuzz.rs", out, opt)
	if err == nil && len(again.Edits) != 0 {
		t.Fatalf("second Rewrite gave edits %v on %q", again.Edits, out)
	}
}

func checkFuzzError(t *testing.T, src []byte, res Result, err error) {
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if len(res.Edits) != 0 || pe.Offset < 0 || pe.Offset > len(src) {
		t.Fatalf("bad error result %v, %v", res, pe)
	}
	if Check("fuzz.rs", src) == nil {
		t.Fatalf("Rewrite says %v, Check says fine", err)
	}
}

func checkFuzzEdits(t *testing.T, src []byte, res Result) {
	end := 0
	for _, e := range res.Edits {
		if e.Start < end || e.End < e.Start || e.End > len(src) {
			t.Fatalf("edit %v out of order, overlapping or out of range in %v", e, res.Edits)
		}
		end = e.End
		old := string(src[e.Start:e.End])
		nu := strings.TrimPrefix(e.New, "::") // from the extern prelude, where the file binds the new name
		if testOpts.Crates[old] != nu && testOpts.Features[old] != e.New && !keepsName(old, nu) && !reorders(old, e.New) {
			t.Fatalf("edit %v replaces %q", e, old)
		}
	}
	for _, s := range res.Skipped {
		if s.Offset < 0 || s.Offset > len(src) || s.Reason == "" {
			t.Fatalf("bad skip %v", s)
		}
	}
}

// reorders reports whether an edit from old to new is one of sortUses':
// a run of use items put back in rustfmt's order after the renames, so
// the same bytes as old's apart from white space and order, once some of
// the old names in it (those that name the crate, which a path such as
// t::jemalloc_ctl does not) are renamed.
func reorders(old, new string) bool {
	if !strings.Contains(old, "use") {
		return false
	}
	type spot struct {
		start, end int
		to         string
	}
	var spots []spot
	for from, to := range testOpts.Crates {
		for _, m := range regexp.MustCompile(`\b`+from+`\b`).FindAllStringIndex(old, -1) {
			spots = append(spots, spot{m[0], m[1], to})
		}
	}
	if len(spots) > 12 {
		return false
	}
	slices.SortFunc(spots, func(a, b spot) int { return a.start - b.start })
	want := sortedNonSpace(unalias(fromPrelude.ReplaceAllString(new, "$1$2")))
	for mask := range 1 << len(spots) {
		var b strings.Builder
		at := 0
		for i, sp := range spots {
			if mask&(1<<i) != 0 {
				b.WriteString(old[at:sp.start])
				b.WriteString(sp.to)
				at = sp.end
			}
		}
		b.WriteString(old[at:])
		if sortedNonSpace(unalias(fromPrelude.ReplaceAllString(b.String(), "$1$2"))) == want {
			return true
		}
	}
	return false
}

// keepsName reports whether an edit from old to new renames a crate that
// an import binds in its module and keeps the old name as an alias: `new
// as old`, or `self as old` in `use old::{self}`.
func keepsName(old, new string) bool {
	if name, ok := strings.CutPrefix(old, "use "); ok && testOpts.Crates[name] != "" {
		return new == "extern crate "+testOpts.Crates[name]+" as "+name // beside a private extern crate of the new name
	}
	// A lone re-export of the crate beside a private extern crate of the
	// new name: `use old as x`, `use old::{self as x}`, `use {old as x}`.
	if m := loneReexport.FindStringSubmatch(old); m != nil && testOpts.Crates[m[1]] != "" {
		alias := cmp.Or(m[2], m[3], m[1])
		return new == "extern crate "+testOpts.Crates[m[1]]+" as "+alias
	}
	nu, ok := testOpts.Crates[old]
	return ok && new == nu+" as "+old || old == "self" && unalias(new) == "self" && new != "self" ||
		old == "" && secondExtern.MatchString(new)
}

// loneReexport matches a use that imports a crate alone, under an alias
// or by {self}: the crate's name and the alias.
var loneReexport = regexp.MustCompile(`^use\s*\{?\s*(\w+)(?:\s+as\s+(\w+)|\s*::\s*\{\s*self\s*(?:as\s+(\w+)\s*)?\})?\s*\}?$`)

// fromPrelude matches a new crate name written from the extern prelude
// (`::tikv_jemallocator`), as the rewrite does in a file that binds the
// name to something else.
var fromPrelude = regexp.MustCompile(`(^|[\s{,])::(tikv_jemalloc_ctl|tikv_jemallocator|tikv_jemalloc_sys)\b`)

// secondExtern matches the declaration a public extern crate gets in
// edition 2015 for its old name.
var secondExtern = regexp.MustCompile(`^(\r?\n[ \t]*#\[cfg.*\])*\r?\n[ \t]*pub(\s*\(.*\))? extern crate (tikv_jemalloc_ctl as jemalloc_ctl|tikv_jemallocator as jemallocator|tikv_jemalloc_sys as jemalloc_sys);$`)

// aliasOfOld matches the alias of an import that keeps an old crate name.
var aliasOfOld = regexp.MustCompile(`\b(self|tikv_jemalloc_ctl|tikv_jemallocator|tikv_jemalloc_sys)\s+as\s+(jemalloc_ctl|jemallocator|jemalloc_sys)\b`)

// unalias drops from s the aliases that keep an old crate name.
func unalias(s string) string { return aliasOfOld.ReplaceAllString(s, "$1") }

// sortedNonSpace returns the bytes of s that are not white space, sorted.
func sortedNonSpace(s string) string {
	b := []byte(strings.Join(strings.Fields(s), ""))
	slices.Sort(b)
	return string(b)
}
