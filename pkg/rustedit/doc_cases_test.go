package rustedit

// docCases are doctests: Rust code blocks in doc comments, which rustdoc
// compiles, so they are rewritten; prose around them is not.
var docCases = []rewriteCase{
	{
		name: "outer doc unmarked fence",
		src:  "/// Reads jemalloc_ctl stats.\n///\n/// ```\n/// use jemalloc_ctl::epoch;\n/// epoch::advance().unwrap();\n/// let n = jemalloc_ctl::stats::allocated::read().unwrap();\n/// ```\nfn f() {}\n",
		want: "/// Reads jemalloc_ctl stats.\n///\n/// ```\n/// use tikv_jemalloc_ctl::epoch;\n/// epoch::advance().unwrap();\n/// let n = tikv_jemalloc_ctl::stats::allocated::read().unwrap();\n/// ```\nfn f() {}\n",
	},
	{
		name: "inner doc rust fence",
		src:  "//! Crate docs.\n//!\n//! ```rust\n//! fn main() {\n//!     println!(\"{:?}\", jemalloc_ctl::epoch::mib());\n//! }\n//! ```\n",
		want: "//! Crate docs.\n//!\n//! ```rust\n//! fn main() {\n//!     println!(\"{:?}\", tikv_jemalloc_ctl::epoch::mib());\n//! }\n//! ```\n",
	},
	{
		name: "doctest attributes",
		src:  "/// ```rust,no_run\n/// jemalloc_ctl::a();\n/// ```\n/// ```ignore\n/// jemalloc_ctl::b();\n/// ```\n/// ```should_panic,edition2021\n/// jemalloc_ctl::c();\n/// ```\n/// ~~~compile_fail\n/// jemalloc_ctl::d();\n/// ~~~\nfn f() {}\n",
		want: "/// ```rust,no_run\n/// tikv_jemalloc_ctl::a();\n/// ```\n/// ```ignore\n/// tikv_jemalloc_ctl::b();\n/// ```\n/// ```should_panic,edition2021\n/// tikv_jemalloc_ctl::c();\n/// ```\n/// ~~~compile_fail\n/// tikv_jemalloc_ctl::d();\n/// ~~~\nfn f() {}\n",
	},
	{
		name: "hidden lines",
		src:  "/// ```\n/// # use jemalloc_ctl::epoch;\n/// # fn main() -> Result<(), jemalloc_ctl::Error> {\n/// epoch::advance()?;\n/// #\n/// ## [allow(dead_code)] fn g() {}\n/// # Ok(())\n/// # }\n/// ```\nfn f() {}\n",
		want: "/// ```\n/// # use tikv_jemalloc_ctl::epoch;\n/// # fn main() -> Result<(), tikv_jemalloc_ctl::Error> {\n/// epoch::advance()?;\n/// #\n/// ## [allow(dead_code)] fn g() {}\n/// # Ok(())\n/// # }\n/// ```\nfn f() {}\n",
	},
	{
		name: "indented doc without space",
		src:  "mod m {\n    ///```\n    ///let x = jemallocator::Jemalloc;\n    ///```\n    pub fn f() {}\n}\n",
		want: "mod m {\n    ///```\n    ///let x = tikv_jemallocator::Jemalloc;\n    ///```\n    pub fn f() {}\n}\n",
	},
	{
		name: "block doc comments",
		src:  "/**\n * Example:\n *\n * ```\n * let a = jemallocator::Jemalloc;\n * ```\n */\nfn f() {}\n/*!\n```\njemalloc_ctl::epoch::advance().unwrap();\n```\n*/\n",
		want: "/**\n * Example:\n *\n * ```\n * let a = tikv_jemallocator::Jemalloc;\n * ```\n */\nfn f() {}\n/*!\n```\ntikv_jemalloc_ctl::epoch::advance().unwrap();\n```\n*/\n",
	},
	{
		name: "doctest with items and cfg",
		src:  "/// ```\n/// #[cfg(feature = \"jemallocator\")]\n/// #[global_allocator]\n/// static A: jemallocator::Jemalloc = jemallocator::Jemalloc;\n/// ```\nfn f() {}\n",
		want: "/// ```\n/// #[cfg(feature = \"tikv-jemallocator\")]\n/// #[global_allocator]\n/// static A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n/// ```\nfn f() {}\n",
	},
	{
		name: "doctest in shadowed file",
		src:  "mod jemalloc_ctl {}\n/// ```\n/// jemalloc_ctl::epoch::advance();\n/// ```\nfn f() { jemalloc_ctl::x(); }\n",
		want: "mod jemalloc_ctl {}\n/// ```\n/// tikv_jemalloc_ctl::epoch::advance();\n/// ```\nfn f() { jemalloc_ctl::x(); }\n",
		skip: "mod jemalloc_ctl", why: "`mod jemalloc_ctl`",
	},
	{
		name: "doctest that does not parse",
		src:  "/// ```\n/// jemalloc_ctl::epoch::advance(\n/// ```\nfn f() {}\n",
		skip: "```", why: "doc-test code block does not parse",
	},
	{
		name: "doctest shadowing",
		src:  "/// ```\n/// mod jemalloc_ctl { pub fn x() {} }\n/// jemalloc_ctl::x();\n/// ```\nfn f() {}\n",
		skip: "mod jemalloc_ctl {", why: "in a doc-test: `mod jemalloc_ctl`",
	},
}
