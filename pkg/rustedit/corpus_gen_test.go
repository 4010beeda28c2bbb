package rustedit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A generated corpus for TestItemsMatchWholeCorpus, so that the comparison
// of item-by-item and whole-file parsing runs in CI and not only on a
// developer's folder of real code. The generator is a small template
// grammar: a template is Rust text with placeholders, and each placeholder
// is replaced by a random choice of its kind, recursively up to a depth. It
// aims at what the lexer in segments.go must get right (comments, literals,
// brackets, lifetimes against characters, item starts after `}`) and at the
// crate names of corpusOpts in every path position, as well as in places
// that are not paths: strings, comments, fields, later path segments.
//
// Placeholders are '@' and an upper-case letter, which Rust never writes
// (a binding pattern is `x @ 1..=5`):
//
//	@C a crate of corpusOpts       @N a type name, @F a function name (fresh per template)
//	@P a path from a crate         @T a type        @E an expression
//	@L a literal                   @G generics, sometimes none
//	@A attributes, sometimes none  @D a doc comment, sometimes none
//	@S statements                  @I items (a module body)

var genCrates = []string{"core", "alloc", "std", "libc"}

// genMaxDepth bounds the nesting of templates; deeper placeholders take
// their leaf forms, which hold no further placeholder but @C, @N and @F.
const genMaxDepth = 3

// genRule is the choice for one placeholder: deep forms while the depth
// allows, leaf forms beyond it.
type genRule struct{ deep, leaf []string }

var genRules = map[byte]genRule{
	'P': {genPaths, genPaths},
	'T': {genTypes, genTypeLeaves},
	'E': {genExprs, genLiterals},
	'L': {genLiterals, genLiterals},
	'G': {genGenerics, genGenerics},
	'A': {genAttrs, genAttrs},
	'D': {genDocs, genDocs},
}

var genPaths = []string{
	"@C::mem::size_of::<u8>()", "::@C::cmp::max(1, 2)", "@C::u8::MAX", "@C :: i32 :: MIN",
	"@C/* c */::convert::identity(3)", "::@C::ptr::null::<u8>()", "@C::hint::black_box(4)",
}

var genTypes = []string{
	"Option<@T>", "Vec<@T>", "@C::fmt::Result", "::@C::string::String",
	"@C::collections::HashMap<u32, @T>", "Box<dyn @C::any::Any + Send>", "&'static mut @C::fmt::Formatter<'static>",
	"*const @C::c_void", "*mut @C::c_char", "[@T; 4]", "(@T, @C::num::NonZeroU8)", "fn(@T) -> @T",
	"<@T as @C::ops::Deref>::Target", "@C::result::Result<(), @C::fmt::Error>", "&'static [@T]",
	"Box<dyn for<'b> Fn(&'b u8) -> @T>", "crate::std::Thing", "self::core::Local", "super::alloc::Parent",
	"@C::marker::PhantomData<fn() -> @T>",
}

var genTypeLeaves = []string{"u8", "usize", "&'static str", "@C::fmt::Error", "::@C::primitive::u32", "libc_like::Type", "@N"}

var genLiterals = []string{
	"1", "0x1F_u8", "1_000", "2.5e3", "'}'", "'{'", "'\\''", "'é'", "'\\u{1F600}'", "b'}'", "b'\\''",
	`"};\" {"`, `"// not a comment"`, `"/* not a comment */"`, `"@C::in_a_string"`, `r"raw } ;"`,
	`r#"raw " } ; {"#`, `r##"x"# ; }"##`, `b"bytes } ;"`, `br#"raw bytes "} "#`, `c"c } string"`, `cr#"raw c " }"#`, "true", `"héllo 🎉 }"`,
}

var genExprs = []string{
	"@L", "@P", "@C::mem::size_of::<@T>()", "<@T as @C::default::Default>::default()", "(@E, @E)", "[@E, @E]",
	"vec![@E, @E]", `format!("{} {{}}", @E)`, "Some(@E)", "|x: @T| x", "match 7u8 { small @ 0..=5 => small, _ => 0 }",
	"if @E == @E { @E } else { @E }", "{ let score = @E; score }", "self::core::helper(@E)", "crate::alloc::thing",
	"stdout.flush()", "s.core + s.std", "x.alloc(@E)", "(Pt { libc: 1, core: @E })", "unsafe { @C::ptr::read(&@E) }",
	"async move { @E }", "(@E) as u64", "@C::format_args!(\"{}\", @E)", "tikv_std::Marker",
	"'label: loop { break 'label (@E); }", "::@C::mem::replace(&mut a, @E)",
}

var genGenerics = []string{
	"", "", "<'a>", "<'a, T: @C::fmt::Debug + 'a>", "<T, const N: usize>", "<T: ?Sized + @C::marker::Send>",
	"<T = ::@C::string::String>", "<'a, 'b: 'a>",
}

var genAttrs = []string{
	"", "", "", "#[inline]\n", "#[allow(clippy::all)]\n", "#[cfg(feature = \"std\")]\n",
	"#[cfg(not(feature = \"alloc\"))]\n", "#[cfg(all(feature = \"std\", not(feature = \"panic_immediate_abort\")))]\n",
	"#[cfg_attr(feature = \"alloc\", must_use)]\n", "#[cfg_attr(feature = \"panic_immediate_abort\", inline)]\n", "#[cfg_attr(docsrs, doc(cfg(feature = \"std\")))]\n",
	"#[doc = \"Braces } and ; in an attribute.\"]\n", "#[@C::prelude::v1::test]\n", "#[rustfmt::skip] #[cfg(any())]\n",
}

var genDocs = []string{
	"", "", "",
	"/// Plain docs naming @C::fmt in prose, with `code`; and } braces {.\n",
	"/// Example:\n///\n/// ```\n/// use @C::fmt::Write;\n/// let x = @C::mem::size_of::<u8>();\n/// assert_eq!(x, 1);\n/// ```\n",
	"/// ```rust,no_run\n/// # fn main() -> ::@C::result::Result<(), ()> {\n/// @C::mem::drop(1);\n/// # Ok(()) }\n/// ```\n",
	"/// ```text\n/// @C::not::code\n/// ```\n",
	"/**\n * Block docs.\n *\n * ```\n * let v = @C::vec::Vec::<u8>::new();\n * ```\n */\n",
	"#[doc = \"use @C::fmt;\"]\n",
	"/// ```compile_fail\n/// let x: u8 = @C::nope;\n/// ```\n",
	"/// A doctest that does not parse:\n///\n/// ```\n/// let broken = ;\n/// @C::mem::drop(1);\n/// ```\n",
	"/// ~~~\n/// @C::mem::drop(2);\n/// ~~~\n",
	"/// Ünïcode docs: Größe, naïve, 🎉, and @C.\n",
}

var genStmts = []string{
	"let @F: @T = @E;",
	"let mut total = 0u64;\n    'outer: for i in 0..10 {\n        if i > 3 { break 'outer; }\n        total += i;\n    }",
	"@C::mem::drop(@E);",
	"println!(\"{} {{}} ;\", @E);",
	"assert_eq!(@E, @E, \"{}\", '}');",
	"let _r = r#\"raw \" } ; { \"#; let _b = b\"bytes } { ;\"; let _bb = b'}';",
	"let _c = '{'; let _q = '\\''; let _e = 'é'; let _u = '\\u{1F600}';",
	"/* block /* nested } */ { */ let _ = 1;",
	"// line comment naming @C::fake::path, with } and {\n    let _ = 2;",
	"use @C::fmt::Write as _;",
	"let std = 1;\n    let _ = std + 1;",
	"let _on = cfg!(feature = \"alloc\") || cfg!(not(feature = \"panic_immediate_abort\"));",
	"match @E {\n        @C::option::Option::Some(x) => drop(x),\n        _ => {}\n    }",
	"let @C::num::Wrapping(w) = @E;",
	"m!(@C::x, (a, [@C::y]), {&::@C::z});",
	"m!(@C /* c */ ::x, crate:: /* c */ @C::y);",
	"#[cfg(feature = \"alloc\")]\n    let _g = @E;",
	"let f = |a: &@T| -> usize { @C::mem::size_of_val(a) };",
	"unsafe {\n        let p: *const u8 = ::@C::ptr::null();\n        let _ = p;\n    }",
	"let r#type = 1;\n    let _ = r#type;",
	"let _n = 1.5e3_f64 + 0x1F as f64 + 0b1010 as f64 + 1_000.0;",
	"let _l = loop { break 5; };",
	"fn inner<'a>(x: &'a str) -> &'a str { x }",
	"struct Local(@C::cell::Cell<u8>);",
	"let _v = <Vec<u8> as @C::iter::FromIterator<u8>>::from_iter(None);",
}

var genItems = []string{
	"@A@Dpub fn @F@G(x: @T, y: &@T) -> @T {\n    @S\n    @E\n}",
	"fn @F<T>(t: T) -> impl @C::fmt::Display\nwhere\n    T: @C::fmt::Display + 'static,\n    for<'b> &'b T: @C::ops::Add<u8>,\n{\n    t\n}",
	"pub(crate) async fn @F() -> @T {\n    @S\n    @E\n}",
	"@Aconst unsafe fn @F() -> usize {\n    ::@C::mem::size_of::<u8>()\n}",
	"pub extern \"C\" fn @F(p: *mut @C::c_void) -> @C::c_int {\n    let _ = p;\n    0\n}",
	"fn r#match() -> u8 { b'x' }",
	"@A@D#[derive(Debug, Clone)]\npub struct @N@G {\n    pub field: @T,\n    pub(crate) std: @T,\n    core: ::@C::marker::PhantomData<u8>,\n}",
	"pub struct @N(pub @T, @C::num::NonZeroU32);",
	"struct @N;",
	"@D#[derive(Debug)]\npub enum @N {\n    A,\n    B(@T),\n    C { x: @T },\n    D = 4,\n}",
	"#[repr(C)]\npub union @N {\n    a: u32,\n    b: ::@C::mem::ManuallyDrop<f32>,\n}",
	"@Dpub trait @N<'a>: @C::fmt::Debug + Sized {\n    type Out: @C::clone::Clone;\n    const N: usize = 3;\n    fn go(&self) -> @C::result::Result<(), ()> {\n        Ok(())\n    }\n    fn req(&mut self, x: @T);\n}",
	"pub unsafe trait @N {}",
	"impl<'a> @C::fmt::Display for @N<'a> {\n    fn fmt(&self, f: &mut @C::fmt::Formatter<'_>) -> @C::fmt::Result {\n        write!(f, \"{}\", @E)\n    }\n}",
	"impl @N {\n    pub const MAX: usize = ::@C::usize::MAX;\n\n    @Dpub fn @F(&self) -> @T {\n        @S\n        @E\n    }\n}",
	"unsafe impl Send for @N {}",
	"unsafe impl @C::alloc::GlobalAlloc for @N {\n    unsafe fn alloc(&self, l: @C::alloc::Layout) -> *mut u8 {\n        @C::ptr::null_mut()\n    }\n    unsafe fn dealloc(&self, _p: *mut u8, _l: @C::alloc::Layout) {}\n}",
	"impl<T> From<T> for @N where T: Into<@C::string::String> {\n    fn from(t: T) -> Self {\n        todo!()\n    }\n}",
	"@Apub const @N: &str = \"};\\\" {\";",
	"static @N: @C::sync::atomic::AtomicUsize = @C::sync::atomic::AtomicUsize::new(0);",
	"const @N: char = '}';",
	"const @N: &[u8] = br##\"x\"# ; }\"##;",
	"static @N: fn() = || {};",
	"const @N: Pt = Pt { x: 1, y: 2 };",
	"const @N: bool = Pt {} != Pt {};",
	"const @N: usize = { let score = 3; score };",
	"static @N: u8 = if cfg!(feature = \"std\") { 1 } else { 2 };",
	"static @N: u8 = if true { @C::u8::MAX } /* } */ else { 2 };",
	"const @N: u64 = { @C::u8::MAX } as u64;",
	"const @N: bool = cfg!(feature = \"panic_immediate_abort\");",
	"#[cfg(not(feature = \"panic_immediate_abort\"))]\nfn @F() {}",
	"static @N: [&str; 2] = [\"a;\", \"}\"];",
	"const _: () = assert!(::@C::mem::size_of::<u8>() == 1);",
	"@Dpub type @N<T> = @C::result::Result<T, @C::fmt::Error>;",
	"use @C::fmt;",
	"use @C::collections::{HashMap, hash_map::{Entry, Iter}};",
	"pub use ::@C::mem::{self, swap as exchange};",
	"use @C::prelude::v1::*;",
	"use {@C::fmt::Debug, @C::mem::drop as dropped};",
	"use ::{@C::cell::Cell};",
	"pub(crate) use @C as @F;",
	"use self::@C::inner::x;",
	"use super::{@C::relative::y};",
	"use @C;",
	"use ::@C;",
	"extern crate @C;",
	"#[macro_use]\nextern crate @C;",
	"extern crate @C as @F;",
	"extern \"C\" {\n    fn @F(n: @C::size_t) -> *mut @C::c_void;\n    static mut @N: @C::c_int;\n}",
	"macro_rules! @F {\n    ($x:expr) => {\n        $crate::helper(@C::mem::drop($x))\n    };\n    ($($t:tt)*) => {{\n        use ::@C::fmt;\n        $($t)*\n    }};\n}",
	"macro_rules! @F { () => { '}' }; ('{') => { \"}\" } }",
	"lazy_static! {\n    static ref @N: @C::sync::Mutex<u8> = @C::sync::Mutex::new(0);\n}",
	"thread_local!(static @N: @C::cell::Cell<u8> = @C::cell::Cell::new(0));",
	"cfg_if::cfg_if! {\n    if #[cfg(feature = \"std\")] {\n        use std::vec::Vec;\n    } else {\n        use alloc::vec::Vec;\n    }\n}",
	"@C::arch::global_asm!(\"nop ; }\");",
	"m! { extern crate @C; }",
	"@A@Dpub mod @F {\n    use super::*;\n\n@I}",
	"#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn works() {\n        @S\n    }\n}",
	"mod @F;",
	"fn score(stdout: u8) -> u8 { stdout }",
	"struct Libcfg { core_count: usize, allocator: u8 }",
	"const DOC: &str = \"use std::fmt; core::mem::drop(x)\";",
	"// use core::fmt;\n// alloc::vec![1]\nfn commented() {}",
	"/* std::process::exit(1); /* nested alloc::x } */ { */\nfn nested_comment() {}",
	"fn decoys() {\n    tikv_std::x();\n    crate::core::y();\n    self::alloc::z();\n    super::libc::w();\n    r#std::v();\n}",
	"fn café() -> char { 'é' }",
	"const GREETING: &str = \"héllo wörld 🎉 }\";",
	"struct Größe<'a>(&'a str);",
	"struct Arr<const N: usize>([u8; N]);",
}

// genLeafItems are the items of a module nested at the maximum depth.
var genLeafItems = []string{"struct @N;", "use @C::fmt;", "fn @F() {}", "const @N: u8 = b'}';"}

// genShadows declare a local item with a crate's name, which stops the
// renames of that crate in the file. They are rare in the corpus, since
// each one silences a whole crate.
var genShadows = []string{
	"mod @C {}", "struct @C;", "use crate::{@C};", "extern crate std as @C;", "use something as @C;",
	"enum @C { A }", "trait @C {}", "type @C = u8;",
}

var genHeaders = []string{
	"", "#![no_std]\n", "#![cfg_attr(not(feature = \"std\"), no_std)]\n", "#![allow(unused)]\n",
	"// SPDX-License-Identifier: MIT\n", "//! Crate docs.\n//!\n//! ```\n//! use @C::fmt;\n//! ```\n",
	"/*! Inner block docs naming @C::mem. */\n",
}

// genBroken are items with a syntax error that name no crate of
// corpusOpts, not even inside a word (no "score"), and keep their brackets
// balanced, so that the lexer still cuts the file and the broken item is
// not parsed. A broken item that ends with `}` is followed by an item the
// lexer cuts before.
var genBroken = []string{
	"const BROKEN_@N: u8 = 1 +;",
	"static BROKEN_@N: u8 = ;",
	"struct Broken@N(u8 u8);",
	"const BROKEN_@N: [u8; 2] = [1 2];",
	"use broken_@F::{a b};",
	"fn broken_@F() { let x = ; }\nfn after_@F() {}",
	"impl Broken@N { fn f(&self) -> u8 { 1 2 } }\nfn after_@F() {}",
}

type rustGen struct {
	rng   *rand.Rand
	fresh int // numbers the fresh names
}

func newRustGen(seed uint64) *rustGen {
	return &rustGen{rng: rand.New(rand.NewPCG(seed, 0x5eed))}
}

func (g *rustGen) pick(forms []string) string {
	return forms[g.rng.IntN(len(forms))]
}

// expand replaces the placeholders of tmpl, a template at depth.
func (g *rustGen) expand(tmpl string, depth int) string {
	g.fresh++
	typeName, fnName := fmt.Sprintf("Item%d", g.fresh), fmt.Sprintf("item_%d", g.fresh)
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '@' || i+1 == len(tmpl) || tmpl[i+1] < 'A' || tmpl[i+1] > 'Z' {
			b.WriteByte(c)
			continue
		}
		i++
		switch k := tmpl[i]; k {
		case 'C':
			b.WriteString(g.pick(genCrates))
		case 'N':
			b.WriteString(typeName)
		case 'F':
			b.WriteString(fnName)
		case 'S':
			b.WriteString(g.statements(depth))
		case 'I':
			b.WriteString(g.items(depth))
		default:
			b.WriteString(g.rule(k, depth))
		}
	}
	return b.String()
}

// rule expands one choice for placeholder k.
func (g *rustGen) rule(k byte, depth int) string {
	r, ok := genRules[k]
	if !ok {
		panic(fmt.Sprintf("template placeholder @%c is not known", k))
	}
	forms := r.deep
	if depth >= genMaxDepth {
		forms = r.leaf
	}
	return g.expand(g.pick(forms), depth+1)
}

// statements returns one to three statements of a function body, or a
// plain one beyond the maximum depth.
func (g *rustGen) statements(depth int) string {
	if depth >= genMaxDepth {
		return "let _ = 0;"
	}
	var s []string
	for range 1 + g.rng.IntN(3) {
		s = append(s, g.expand(g.pick(genStmts), depth+1))
	}
	return strings.Join(s, "\n    ")
}

// items returns the body of a nested module.
func (g *rustGen) items(depth int) string {
	forms := genItems
	if depth >= genMaxDepth-1 {
		forms = genLeafItems
	}
	var b strings.Builder
	for range 1 + g.rng.IntN(4) {
		b.WriteString("    ")
		b.WriteString(strings.ReplaceAll(g.expand(g.pick(forms), depth+1), "\n", "\n    "))
		b.WriteString("\n")
	}
	return b.String()
}

// genSeparators go between top-level items: items may share a line or
// touch, and comments may stand between them.
var genSeparators = []string{"\n\n", "\n\n", "\n", " ", "", "\n// } a comment between items {\n", "\n/* ; */\n"}

// file returns a generated source and, when broken, the byte range of the
// one item that has a syntax error (otherwise 0, 0).
func (g *rustGen) file(broken bool) (src string, errStart, errEnd int) {
	var b strings.Builder
	b.WriteString(g.expand(g.pick(genHeaders), 0))
	n := 4 + g.rng.IntN(16)
	errAt := -1
	if broken {
		// Not first: the header would share its segment.
		errAt = 1 + g.rng.IntN(n-1)
	}
	for i := range n {
		switch {
		case i == errAt+1:
			// Blanking the broken item must not move the start of a
			// `///` line: rustedit does not see a doc comment that
			// follows code on its line, and then neither result would
			// hold the doctest's edits.
			b.WriteString("\n")
		case i > 0:
			b.WriteString(g.pick(genSeparators))
		}
		switch {
		case i == errAt:
			errStart = b.Len()
			b.WriteString(g.expand(g.pick(genBroken), 0))
			errEnd = b.Len()
		case g.rng.IntN(60) == 0:
			b.WriteString(g.expand(g.pick(genShadows), 0))
		default:
			b.WriteString(g.expand(g.pick(genItems), 0))
		}
	}
	switch g.rng.IntN(4) {
	case 0: // no final newline
	case 1:
		b.WriteString("\n// trailing comment without a newline")
	default:
		b.WriteString("\n")
	}
	return b.String(), errStart, errEnd
}

// blank returns src with the bytes from start to end turned into spaces,
// line ends kept, so that offsets, lines and columns do not move.
func blank(src string, start, end int) string {
	b := []byte(src)
	for i := start; i < end; i++ {
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

// testGeneratedCorpus compares item and whole parsing on generated files,
// a third of them also with CRLF line ends. Every generated file must
// parse, and the floors below keep the corpus from drifting into one that
// compares nothing of interest.
//
// That this can fail was checked by breaking, one at a time in a copy of
// the tree, the lexer's string escapes, character literals, lifetimes,
// raw-string hashes, `br` prefixes, nested comments, the cut at depth 0,
// the item test after `}` (for words, and past comments), segmentOf's
// bound, the columns of the kept ranges, and the offsets of quoted
// feature names: each made this test fail, five of them (`br`, lifetimes,
// both item tests, segmentOf) no other test of the package.
func testGeneratedCorpus(t *testing.T) {
	g := newRustGen(1)
	srcs := map[string][]byte{}
	for i := range 300 {
		src, _, _ := g.file(false)
		name := fmt.Sprintf("gen%03d.rs", i)
		if err := Check(name, []byte(src)); err != nil {
			t.Errorf("generated file does not parse: %v\n%s", err, src)
			continue
		}
		srcs[name] = []byte(src)
		if i%3 == 0 {
			srcs[name+".crlf"] = []byte(strings.ReplaceAll(src, "\n", "\r\n"))
		}
	}
	st := compareCorpus(t, srcs)
	t.Logf("%d files: %+v", len(srcs), st)
	// Every generated item is complete, so the lexer must cut every file and
	// the naming items must parse alone: a fallback to the whole file would
	// hide a wrong cut, since the whole file's result is then both results.
	if st.Uncut != 0 || st.Fallback != 0 {
		t.Errorf("%d files the lexer cannot cut, %d whose naming items do not parse alone (logged above); want none",
			st.Uncut, st.Fallback)
	}
	if st.Compared != len(srcs) || st.Edited < st.Compared*9/10 {
		t.Errorf("compared %d of %d files, %d with edits; want all, and edits in 90%%", st.Compared, len(srcs), st.Edited)
	}
	for _, kind := range []string{KindShadow, KindParse} {
		if st.Skips[kind] == 0 {
			t.Errorf("no %s skip in the generated corpus", kind)
		}
	}
}

// testBrokenItems checks that an item with a syntax error that names no
// crate does not stop the rewrite of the others: the result is the one of
// the whole file with that item blanked out.
func testBrokenItems(t *testing.T) {
	g := newRustGen(2)
	edited := 0
	for i := range 100 {
		src, start, end := g.file(true)
		name := fmt.Sprintf("broken%03d.rs", i)
		if Check(name, []byte(src)) == nil {
			t.Errorf("%s: the broken item %q parses", name, src[start:end])
			continue
		}
		want, err := rewriteParsed(name, []byte(blank(src, start, end)), corpusOpts, true)
		if err != nil {
			t.Errorf("%s: the file does not parse without its broken item %q: %v", name, src[start:end], err)
			continue
		}
		got, err := Rewrite(name, []byte(src), corpusOpts)
		if err != nil {
			t.Errorf("%s: the broken item %q stops the rewrite: %v", name, src[start:end], err)
			continue
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: result differs from the file without its broken item %q (-want +got):\n%s", name, src[start:end], d)
		}
		if len(got.Edits) > 0 {
			edited++
		}
	}
	if edited < 80 {
		t.Errorf("only %d of 100 files with a broken item were edited", edited)
	}
}
