package rustedit

// The cases for TestRewrite, by kind. Options are testOpts: three crates
// (jemalloc_ctl, jemallocator, jemalloc_sys) and two features
// ("jemallocator", "jemalloc-ctl") get the tikv names.

var useCases = []rewriteCase{
	{name: "use path", src: "use jemalloc_ctl::epoch;\n", want: "use tikv_jemalloc_ctl::epoch;\n"},
	{name: "use bare", src: "use jemalloc_ctl;\n", want: "use tikv_jemalloc_ctl;\n"},
	{name: "use as", src: "use jemalloc_ctl as ctl;\n", want: "use tikv_jemalloc_ctl as ctl;\n"},
	{name: "use path as", src: "use jemalloc_ctl::epoch as e;\n", want: "use tikv_jemalloc_ctl::epoch as e;\n"},
	{name: "use glob", src: "use jemalloc_ctl::*;\nuse jemalloc_ctl::stats::*;\n", want: "use tikv_jemalloc_ctl::*;\nuse tikv_jemalloc_ctl::stats::*;\n"},
	{name: "use global", src: "use ::jemalloc_ctl::epoch;\nuse ::jemalloc_ctl;\n", want: "use ::tikv_jemalloc_ctl::epoch;\nuse ::tikv_jemalloc_ctl;\n"},
	{name: "use global list", src: "use ::jemalloc_ctl::{epoch};\n", want: "use ::tikv_jemalloc_ctl::{epoch};\n"},
	{
		name: "use nested list",
		src:  "use jemalloc_ctl::{epoch, stats::{allocated, resident}};\n",
		want: "use tikv_jemalloc_ctl::{epoch, stats::{allocated, resident}};\n",
	},
	{name: "pub use", src: "pub use jemalloc_ctl::epoch;\npub(crate) use jemallocator::Jemalloc;\n", want: "pub use tikv_jemalloc_ctl::epoch;\npub(crate) use tikv_jemallocator::Jemalloc;\n"},
	{
		name: "root use list",
		src:  "use {jemalloc_ctl::epoch, jemallocator, std::fmt, jemalloc_sys::{self}};\nuse ::{jemalloc_ctl::stats};\n",
		want: "use {tikv_jemalloc_ctl::epoch, tikv_jemallocator, std::fmt, tikv_jemalloc_sys::{self}};\nuse ::{tikv_jemalloc_ctl::stats};\n",
	},
	{name: "extern crate", src: "extern crate jemallocator;\n", want: "extern crate tikv_jemallocator;\n"},
	// Beside an item that binds the new name already, the renamed one
	// keeps the old name as an alias: two bindings of one name clash.
	{
		name: "binding beside the new name's",
		src:  "extern crate jemallocator;\nextern crate tikv_jemallocator;\nmod m {\n    use ::tikv_jemalloc_ctl;\n    #[cfg(test)]\n    use jemalloc_ctl;\n}\nmod n {\n    use jemalloc_ctl;\n}\n",
		want: "extern crate tikv_jemallocator as jemallocator;\nextern crate tikv_jemallocator;\nmod m {\n    use ::tikv_jemalloc_ctl;\n    #[cfg(test)]\n    use tikv_jemalloc_ctl as jemalloc_ctl;\n}\nmod n {\n    use tikv_jemalloc_ctl;\n}\n",
	},
	// A file that binds the new name to something of its own: the paths
	// start at the extern prelude, and a binding of the old name keeps it.
	{
		name:    "new name bound locally",
		src:     "use crate::shim as tikv_jemallocator;\nuse jemallocator;\nmod m { pub use jemallocator::Jemalloc; }\npub type A = jemallocator::Jemalloc;\nfn f() -> ::jemallocator::Jemalloc { ::jemallocator::Jemalloc }\n",
		want:    "use crate::shim as tikv_jemallocator;\nuse ::tikv_jemallocator as jemallocator;\nmod m { pub use ::tikv_jemallocator::Jemalloc; }\npub type A = ::tikv_jemallocator::Jemalloc;\nfn f() -> ::tikv_jemallocator::Jemalloc { ::tikv_jemallocator::Jemalloc }\n",
		edition: "2021",
	},
	{
		name:    "re-export beside a private extern crate of the new name",
		src:     "extern crate tikv_jemallocator;\npub use jemallocator;\n",
		want:    "extern crate tikv_jemallocator;\npub extern crate tikv_jemallocator as jemallocator;\n",
		edition: "2021",
	},
	// A re-export of the crate itself beside a private binding of the new
	// name would re-export that binding (E0365): `::` names the crate, or,
	// beside a private extern crate, which `::` names too, the re-export
	// becomes a public extern crate.
	{
		name:    "re-export of the crate beside a private use of the new name",
		src:     "use tikv_jemallocator;\npub use jemallocator as alloc;\npub use jemallocator;\npub use jemallocator::{self as a2};\npub use {jemallocator as a3};\nuse jemallocator as private;\npub use jemallocator::Jemalloc;\nmod m {\n    pub use jemallocator as alloc;\n}\n",
		want:    "use tikv_jemallocator;\npub use ::tikv_jemallocator as alloc;\npub use ::tikv_jemallocator as jemallocator;\npub use ::tikv_jemallocator::{self as a2};\npub use {::tikv_jemallocator as a3};\nuse tikv_jemallocator as private;\npub use tikv_jemallocator::Jemalloc;\nmod m {\n    pub use tikv_jemallocator as alloc;\n}\n",
		edition: "2021",
	},
	{
		name:    "aliased re-export beside a private extern crate of the new name",
		src:     "extern crate tikv_jemallocator;\npub use jemallocator as alloc;\npub use jemallocator::{self as a2};\npub use {jemallocator as a3};\nmod m {\n    pub use jemallocator as alloc;\n    pub(crate) use jemallocator::{self};\n}\n",
		want:    "extern crate tikv_jemallocator;\npub extern crate tikv_jemallocator as alloc;\npub extern crate tikv_jemallocator as a2;\npub extern crate tikv_jemallocator as a3;\nmod m {\n    pub extern crate tikv_jemallocator as alloc;\n    pub(crate) extern crate tikv_jemallocator as jemallocator;\n}\n",
		edition: "2021",
	},
	{
		name:    "new name bound locally: extern crate and ::{} groups",
		src:     "mod tikv_jemallocator {}\nextern crate jemallocator;\nextern crate jemallocator as je;\nuse ::{jemallocator::Jemalloc};\n",
		want:    "mod tikv_jemallocator {}\nextern crate tikv_jemallocator as jemallocator;\nextern crate tikv_jemallocator as je;\nuse ::{tikv_jemallocator::Jemalloc};\n",
		edition: "2021",
	},
	{
		name:    "both names in one group",
		src:     "use {jemallocator, tikv_jemallocator};\nmod m {\n    use ::{jemallocator, tikv_jemallocator};\n}\nmod n {\n    use jemallocator::{self};\n    use tikv_jemallocator::{self};\n}\nmod o {\n    use {jemallocator::{self, Jemalloc as A}, tikv_jemallocator::{self, Jemalloc as B}};\n}\n",
		want:    "use {tikv_jemallocator as jemallocator, tikv_jemallocator};\nmod m {\n    use ::{tikv_jemallocator as jemallocator, tikv_jemallocator};\n}\nmod n {\n    use tikv_jemallocator::{self as jemallocator};\n    use tikv_jemallocator::{self};\n}\nmod o {\n    use {tikv_jemallocator::{self as jemallocator, Jemalloc as A}, tikv_jemallocator::{self, Jemalloc as B}};\n}\n",
		edition: "2021",
	},
	{name: "extern crate as", src: "extern crate jemallocator as alloc_impl;\n", want: "extern crate tikv_jemallocator as alloc_impl;\n"},
	{name: "use in fn body", src: "fn f() {\n    use jemalloc_ctl::epoch;\n}\n", want: "fn f() {\n    use tikv_jemalloc_ctl::epoch;\n}\n"},
	// An item that binds the crate's name in a public module keeps the
	// name for the paths through it (dependents' dep::jemalloc_ctl::…).
	{
		name:    "public binding keeps its name",
		src:     "pub use jemalloc_ctl;\npub(crate) extern crate jemallocator;\npub use jemalloc_sys::{self, mallocx};\n",
		want:    "pub use tikv_jemalloc_ctl as jemalloc_ctl;\npub(crate) extern crate tikv_jemallocator as jemallocator;\npub use tikv_jemalloc_sys::{self as jemalloc_sys, mallocx};\n",
		edition: "2021",
	},
	{
		name:    "public binding in groups and global paths",
		src:     "pub use {jemallocator, std::fmt};\n\npub use ::jemalloc_sys;\n\npub use {jemalloc_ctl::{self, stats}, std::io};\n\nmod a {\n    pub use {::jemallocator};\n}\n\nmod b {\n    pub use ::jemalloc_ctl::{self, stats};\n}\n",
		want:    "pub use {std::fmt, tikv_jemallocator as jemallocator};\n\npub use ::tikv_jemalloc_sys as jemalloc_sys;\n\npub use {std::io, tikv_jemalloc_ctl::{self as jemalloc_ctl, stats}};\n\nmod a {\n    pub use {::tikv_jemallocator as jemallocator};\n}\n\nmod b {\n    pub use ::tikv_jemalloc_ctl::{self as jemalloc_ctl, stats};\n}\n",
		edition: "2021",
	},
	// Not so in 2015, where a use path starts at the crate root, and the
	// renamed paths need the crate's own name there: a public extern crate
	// gets a second declaration for the old name; a use keeps none.
	{
		name: "public binding in 2015",
		src:  "pub extern crate jemallocator;\nuse jemallocator::Jemalloc;\nmod m {\n    pub(crate) extern crate jemalloc_ctl;\n}\npub use jemalloc_sys;\n",
		want: "pub extern crate tikv_jemallocator;\npub extern crate tikv_jemallocator as jemallocator;\nuse tikv_jemallocator::Jemalloc;\nmod m {\n    pub(crate) extern crate tikv_jemalloc_ctl;\n    pub(crate) extern crate tikv_jemalloc_ctl as jemalloc_ctl;\n}\npub use tikv_jemalloc_sys;\n",
	},
	// The second declaration follows the item's comment and takes its cfg.
	{
		name: "public extern crate in 2015 with attributes and a comment",
		src:  "#[cfg(unix)]\n#[cfg(feature = \"jemallocator\")]\n#[macro_use]\npub extern crate jemallocator; // the allocator\nmod m { pub extern crate jemalloc_ctl; }\n",
		want: "#[cfg(unix)]\n#[cfg(feature = \"tikv-jemallocator\")]\n#[macro_use]\npub extern crate tikv_jemallocator; // the allocator\n#[cfg(unix)]\n#[cfg(feature = \"tikv-jemallocator\")]\npub extern crate tikv_jemallocator as jemallocator;\nmod m { pub extern crate tikv_jemalloc_ctl;\npub extern crate tikv_jemalloc_ctl as jemalloc_ctl; }\n",
	},
	// `use old as old` names the crate, and keeps the name.
	{
		name:    "use as the same name",
		src:     "pub use jemalloc_ctl as jemalloc_ctl;\nfn f() { jemalloc_ctl::epoch::advance(); }\n",
		want:    "pub use tikv_jemalloc_ctl as jemalloc_ctl;\nfn f() { tikv_jemalloc_ctl::epoch::advance(); }\n",
		edition: "2021",
	},
	// A raw identifier names the crate as the plain one does.
	{
		name:    "raw identifiers",
		src:     "use r#jemalloc_ctl::stats;\nfn f() { r#jemalloc_ctl::epoch::advance().unwrap(); let _ = \"r#jemalloc_ctl::x\"; }\nstatic A: r#jemallocator::Jemalloc = jemallocator::Jemalloc;\n",
		want:    "use r#tikv_jemalloc_ctl::stats;\nfn f() { r#tikv_jemalloc_ctl::epoch::advance().unwrap(); let _ = \"r#jemalloc_ctl::x\"; }\nstatic A: r#tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
		edition: "2021",
	},
	// What such a rename writes is no shadow: a second run finds nothing.
	{
		name:    "kept names are the crate",
		src:     "pub use tikv_jemalloc_ctl as jemalloc_ctl;\nextern crate tikv_jemallocator as jemallocator;\npub use tikv_jemalloc_sys::{self as jemalloc_sys};\nfn f() { jemalloc_ctl::epoch::advance(); }\n",
		want:    "pub use tikv_jemalloc_ctl as jemalloc_ctl;\nextern crate tikv_jemallocator as jemallocator;\npub use tikv_jemalloc_sys::{self as jemalloc_sys};\nfn f() { tikv_jemalloc_ctl::epoch::advance(); }\n",
		edition: "2021",
	},
	// So does a private one that paths through the module use.
	{
		name:    "private binding with module paths",
		src:     "use jemallocator;\nextern crate jemalloc_ctl;\nmod m {\n    pub fn f() -> super::jemallocator::Jemalloc {\n        crate::jemallocator::Jemalloc\n    }\n}\n",
		want:    "use tikv_jemallocator as jemallocator;\nextern crate tikv_jemalloc_ctl;\nmod m {\n    pub fn f() -> super::jemallocator::Jemalloc {\n        crate::jemallocator::Jemalloc\n    }\n}\n",
		edition: "2021",
	},
}

var exprCases = []rewriteCase{
	{
		name: "expression",
		src:  "fn f() {\n\tjemalloc_ctl::epoch::advance().unwrap();\n\tlet e = jemalloc_ctl::epoch::mib();\n}\n",
		want: "fn f() {\n\ttikv_jemalloc_ctl::epoch::advance().unwrap();\n\tlet e = tikv_jemalloc_ctl::epoch::mib();\n}\n",
	},
	{
		name: "global allocator",
		src:  "#[global_allocator]\nstatic GLOBAL: jemallocator::Jemalloc = jemallocator::Jemalloc;\n",
		want: "#[global_allocator]\nstatic GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
	},
	{
		name: "types",
		src:  "fn f(m: &jemalloc_ctl::stats::allocated_mib) -> Option<jemalloc_ctl::Error> { None }\n",
		want: "fn f(m: &tikv_jemalloc_ctl::stats::allocated_mib) -> Option<tikv_jemalloc_ctl::Error> { None }\n",
	},
	{
		name: "patterns",
		src:  "fn f(e: E) {\n    match e {\n        jemalloc_ctl::Error::Io(x) => {}\n        jemalloc_ctl::S { .. } => {}\n    }\n    let jemalloc_ctl::W(v) = w;\n}\n",
		want: "fn f(e: E) {\n    match e {\n        tikv_jemalloc_ctl::Error::Io(x) => {}\n        tikv_jemalloc_ctl::S { .. } => {}\n    }\n    let tikv_jemalloc_ctl::W(v) = w;\n}\n",
	},
	{
		name: "trait bounds",
		src:  "fn f<T: jemalloc_ctl::Access>(t: impl jemalloc_ctl::Access) where T: jemalloc_ctl::Access {}\n",
		want: "fn f<T: tikv_jemalloc_ctl::Access>(t: impl tikv_jemalloc_ctl::Access) where T: tikv_jemalloc_ctl::Access {}\n",
	},
	{
		name: "impl header",
		src:  "impl jemalloc_ctl::Access for S {}\nimpl From<jemalloc_ctl::Error> for E {}\n",
		want: "impl tikv_jemalloc_ctl::Access for S {}\nimpl From<tikv_jemalloc_ctl::Error> for E {}\n",
	},
	{
		name: "generic arguments",
		src:  "fn f() -> Vec<jemalloc_ctl::Mib> {\n    Vec::<jemalloc_ctl::Mib>::new()\n}\n",
		want: "fn f() -> Vec<tikv_jemalloc_ctl::Mib> {\n    Vec::<tikv_jemalloc_ctl::Mib>::new()\n}\n",
	},
	{
		name: "qualified path",
		src:  "fn f() { <jemalloc_ctl::T as jemalloc_ctl::Tr>::go(); }\n",
		want: "fn f() { <tikv_jemalloc_ctl::T as tikv_jemalloc_ctl::Tr>::go(); }\n",
	},
	{
		name: "attributes",
		src:  "#[jemalloc_ctl::attr]\n#[derive(jemalloc_ctl::Derive)]\nstruct S;\n",
		want: "#[tikv_jemalloc_ctl::attr]\n#[derive(tikv_jemalloc_ctl::Derive)]\nstruct S;\n",
	},
	{
		name: "global path",
		src:  "fn f() -> ::jemalloc_ctl::Result<()> { ::jemalloc_ctl::epoch::advance() }\n",
		want: "fn f() -> ::tikv_jemalloc_ctl::Result<()> { ::tikv_jemalloc_ctl::epoch::advance() }\n",
	},
	{name: "macro path", src: "jemalloc_ctl::m!();\nfn f() { jemalloc_ctl::m!(x); }\n", want: "tikv_jemalloc_ctl::m!();\nfn f() { tikv_jemalloc_ctl::m!(x); }\n"},
	{
		name: "several crates",
		src:  "use jemalloc_ctl::{epoch, stats};\nuse jemalloc_sys::mallctl;\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\n",
		want: "use tikv_jemalloc_ctl::{epoch, stats};\nuse tikv_jemalloc_sys::mallctl;\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
	},
	{name: "odd spacing", src: "fn f() { jemalloc_ctl :: epoch :: advance(); }", want: "fn f() { tikv_jemalloc_ctl :: epoch :: advance(); }"},
}

var macroCases = []rewriteCase{
	{
		name: "println",
		src:  "fn f() -> R {\n    println!(\"{}\", jemalloc_ctl::stats::allocated::read()?);\n    Ok(())\n}\n",
		want: "fn f() -> R {\n    println!(\"{}\", tikv_jemalloc_ctl::stats::allocated::read()?);\n    Ok(())\n}\n",
	},
	{name: "format", src: "fn f() { let s = format!(\"{:?}\", jemalloc_ctl::epoch::mib()); }\n", want: "fn f() { let s = format!(\"{:?}\", tikv_jemalloc_ctl::epoch::mib()); }\n"},
	{name: "assert", src: "fn f() { assert!(jemalloc_ctl::epoch::advance().is_ok()); }\n", want: "fn f() { assert!(tikv_jemalloc_ctl::epoch::advance().is_ok()); }\n"},
	{name: "vec", src: "fn f() { let v = vec![jemalloc_ctl::a(), ::jemalloc_ctl::b()]; }\n", want: "fn f() { let v = vec![tikv_jemalloc_ctl::a(), ::tikv_jemalloc_ctl::b()]; }\n"},
	{
		name: "lazy_static",
		src:  "lazy_static! {\n    static ref E: jemalloc_ctl::epoch_mib = jemalloc_ctl::epoch::mib().unwrap();\n}\n",
		want: "lazy_static! {\n    static ref E: tikv_jemalloc_ctl::epoch_mib = tikv_jemalloc_ctl::epoch::mib().unwrap();\n}\n",
	},
	{
		name: "macro_rules body",
		src:  "macro_rules! adv {\n    () => {{\n        use jemalloc_ctl::epoch;\n        use jemalloc_sys;\n        ::jemalloc_ctl::stats::x();\n        #[jemalloc_ctl::attr] fn g() {}\n        epoch::advance()\n    }};\n}\n",
		want: "macro_rules! adv {\n    () => {{\n        use tikv_jemalloc_ctl::epoch;\n        use tikv_jemalloc_sys;\n        ::tikv_jemalloc_ctl::stats::x();\n        #[tikv_jemalloc_ctl::attr] fn g() {}\n        epoch::advance()\n    }};\n}\n",
	},
	{
		name: "nested token trees",
		src:  "fn f() { m!(a, (b, [jemalloc_ctl::x]), {&jemalloc_ctl::y}); }\n",
		want: "fn f() { m!(a, (b, [tikv_jemalloc_ctl::x]), {&tikv_jemalloc_ctl::y}); }\n",
	},
	{
		name: "comment between tokens",
		src:  "fn f() { m!(jemalloc_ctl /* c */ ::x, crate:: /* c */ jemalloc_ctl::y); }\n",
		want: "fn f() { m!(tikv_jemalloc_ctl /* c */ ::x, crate:: /* c */ jemalloc_ctl::y); }\n",
	},
	{name: "extern crate in macro", src: "m! { extern crate jemallocator; }\n", want: "m! { extern crate tikv_jemallocator; }\n"},
}

var featureCases = []rewriteCase{
	{name: "cfg", src: "#[cfg(feature = \"jemallocator\")]\nuse jemallocator::Jemalloc;\n", want: "#[cfg(feature = \"tikv-jemallocator\")]\nuse tikv_jemallocator::Jemalloc;\n"},
	{name: "inner cfg", src: "#![cfg(feature = \"jemalloc-ctl\")]\nfn f() {}\n", want: "#![cfg(feature = \"tikv-jemalloc-ctl\")]\nfn f() {}\n"},
	{
		name: "cfg combinators",
		src:  "#[cfg(all(not(target_env = \"msvc\"), any(feature = \"jemallocator\", feature=\"jemalloc-ctl\")))]\nfn f() {}\n",
		want: "#[cfg(all(not(target_env = \"msvc\"), any(feature = \"tikv-jemallocator\", feature=\"tikv-jemalloc-ctl\")))]\nfn f() {}\n",
	},
	{
		name: "cfg_attr",
		src:  "#[cfg_attr(feature = \"jemalloc-ctl\", derive(Debug))]\nstruct S;\n",
		want: "#[cfg_attr(feature = \"tikv-jemalloc-ctl\", derive(Debug))]\nstruct S;\n",
	},
	{
		name: "cfg macro",
		src:  "fn f() -> bool {\n    if cfg!(feature = \"jemallocator\") { return true }\n    println!(\"{}\", cfg!(not(feature = \"jemalloc-ctl\")));\n    false\n}\n",
		want: "fn f() -> bool {\n    if cfg!(feature = \"tikv-jemallocator\") { return true }\n    println!(\"{}\", cfg!(not(feature = \"tikv-jemalloc-ctl\")));\n    false\n}\n",
	},
	{
		name: "cfg_if",
		src:  "cfg_if::cfg_if! {\n    if #[cfg(feature = \"jemallocator\")] {\n        use jemallocator::Jemalloc;\n    }\n}\n",
		want: "cfg_if::cfg_if! {\n    if #[cfg(feature = \"tikv-jemallocator\")] {\n        use tikv_jemallocator::Jemalloc;\n    }\n}\n",
	},
	{
		name: "doc cfg",
		src:  "#[cfg_attr(docsrs, doc(cfg(feature = \"jemalloc-ctl\")))]\npub mod stats {}\n",
		want: "#[cfg_attr(docsrs, doc(cfg(feature = \"tikv-jemalloc-ctl\")))]\npub mod stats {}\n",
	},
}

var decoyCases = []rewriteCase{
	{name: "strings", src: "fn f() {\n    let a = \"jemalloc_ctl::epoch\";\n    let b = r#\"jemalloc_ctl::epoch \"x\"\"#;\n    let c = b\"jemalloc_ctl::x\";\n    let d = br\"jemalloc_ctl::y\";\n    let e = 'j';\n}\n"},
	{name: "strings in macros", src: "fn f() { println!(\"jemalloc_ctl::x {}\", r\"jemalloc_ctl::y\"); }\n"},
	{name: "comments", src: "// jemalloc_ctl::epoch\n/* jemalloc_ctl::epoch */\n/// Uses jemalloc_ctl::epoch.\n///\n/// ```text\n/// use jemalloc_ctl::epoch;\n/// ```\nfn f() {}\n"},
	{name: "plain comment fences", src: "// ```\n// use jemalloc_ctl::epoch;\n// ```\n//// ```\n//// jemalloc_ctl::x();\n//// ```\n/* ```\njemalloc_ctl::x();\n``` */\nfn f() {}\n"},
	{name: "doc fences of other languages", src: "/// ```toml\n/// jemalloc_ctl = \"0.5\"\n/// ```\n/// ```sh\n/// cargo add jemalloc_ctl\n/// ```\n/// ~~~console\n/// $ jemalloc_ctl::x\n/// ~~~\nfn f() {}\n"},
	{name: "doc comment in string", src: "const S: &str = \"\n/// ```\n/// use jemalloc_ctl::epoch;\n/// ```\n\";\n"},
	{name: "inner doc comment", src: "//! Backed by jemalloc_ctl::stats.\n/*! jemalloc_ctl::x */\nfn f() {}\n"},
	{name: "longer names", src: "use my_jemalloc_ctl::epoch;\nuse jemalloc_ctl_compat::epoch as e2;\nfn f() { my_jemalloc_ctl::x(); jemalloc_ctl_compat::y(); }\n"},
	{name: "already rewritten", src: "use tikv_jemalloc_ctl::epoch;\nextern crate tikv_jemallocator;\nfn f() { tikv_jemalloc_ctl::x(); m!(tikv_jemalloc_ctl::y); }\n#[cfg(feature = \"tikv-jemallocator\")]\nfn g() {}\n"},
	{name: "fields and methods", src: "fn f(s: &S) {\n    s.jemalloc_ctl;\n    self.jemalloc_ctl.go();\n    s.jemalloc_ctl();\n    s.jemalloc_ctl::<u8>();\n    m!(s.jemalloc_ctl::<u8>());\n}\n"},
	{name: "struct fields", src: "struct S { jemalloc_ctl: u8 }\nfn f(jemalloc_ctl: u8) -> S {\n    let t = S { jemalloc_ctl: 1 };\n    S { jemalloc_ctl }\n}\n"},
	{name: "named macro args", src: "fn f() { println!(\"{jemalloc_ctl}\", jemalloc_ctl = 1); }\n"},
	{name: "crate self super", src: "use crate::jemalloc_ctl::x;\nuse self::jemalloc_ctl::y;\nuse super::jemalloc_ctl::*;\nfn f() { crate::jemalloc_ctl::x(); self::jemalloc_ctl::y(); super::jemalloc_ctl::z(); }\n"},
	{name: "leading path", src: "use foo::jemalloc_ctl::x;\nfn f() -> foo::jemalloc_ctl::T { foo::jemalloc_ctl::x(); <T>::jemalloc_ctl::x() }\n"},
	{name: "nested use list", src: "use foo::{jemalloc_ctl::epoch, jemalloc_ctl as c, jemalloc_ctl::*, bar::{jemalloc_ctl::x}};\n"},
	{name: "relative paths in macros", src: "macro_rules! m {\n    () => {\n        crate::jemalloc_ctl::x();\n        self::jemalloc_ctl::x();\n        super::jemalloc_ctl::x();\n        $crate::jemalloc_ctl::x();\n        foo::jemalloc_ctl::x();\n        <T>::jemalloc_ctl::x();\n        use foo::{jemalloc_ctl::epoch, jemalloc_ctl};\n    };\n}\n"},
	{name: "locals", src: "fn jemalloc_ctl() -> u8 { 1 }\nfn f() {\n    let jemalloc_ctl = jemalloc_ctl();\n    let x = jemalloc_ctl + 1;\n    jemalloc_ctl::<u8>();\n    println!(\"{}\", jemalloc_ctl);\n}\n"},
	{name: "macro named like crate", src: "fn f() { jemalloc_ctl!(x); }\n"},
	{name: "lifetime label", src: "fn f() { 'jemalloc_ctl: loop { break 'jemalloc_ctl; } }\n"},
	{name: "feature decoys", src: "#[cfg(target_feature = \"jemallocator\")]\n#[doc = \"jemallocator\"]\n#[cfg(feature = \"jemallocator_extra\")]\n#[my_attr(feature = \"jemallocator\")]\n#[cfg_attr(unix, path = \"jemallocator\")]\nfn f() { let s = \"jemallocator\"; m!(feature = \"jemallocator\"); }\n"},
}

var skipCases = []rewriteCase{
	{
		name: "mod shadows", src: "mod jemalloc_ctl;\nuse jemalloc_ctl::epoch;\nuse jemallocator::Jemalloc;\n",
		want: "mod jemalloc_ctl;\nuse jemalloc_ctl::epoch;\nuse tikv_jemallocator::Jemalloc;\n",
		skip: "mod jemalloc_ctl", why: "`mod jemalloc_ctl` in this file shadows the crate",
	},
	{
		name: "inline pub mod shadows", src: "fn f() { jemalloc_ctl::x(); }\npub(crate) mod jemalloc_ctl {\n    pub fn x() {}\n}\n",
		skip: "pub(crate) mod jemalloc_ctl", why: "`mod jemalloc_ctl`",
	},
	{
		name: "use as shadows", src: "use std::alloc::{System as jemallocator};\nfn f() { jemallocator::Jemalloc; }\n",
		skip: "use std", why: "`use … as jemallocator`",
	},
	{
		name: "extern crate as shadows", src: "extern crate tikv_jemalloc_ctl as jemalloc_ctl;\nuse jemalloc_ctl::epoch;\n",
		skip: "extern crate", why: "`extern crate tikv_jemalloc_ctl as jemalloc_ctl`",
	},
	{
		name: "use of a local module shadows", src: "use super::jemalloc_ctl;\nfn f() { jemalloc_ctl::x(); }\n",
		skip: "use super", why: "`use …::jemalloc_ctl`",
	},
	{
		name: "use list import shadows", src: "pub use crate::{alloc, stats::{jemalloc_ctl, other}};\nfn f() { jemalloc_ctl::x(); }\n",
		skip: "pub use", why: "`use …::jemalloc_ctl`",
	},
	{
		// A module nested in another shadows the crate in that module
		// only: the file's other paths are renamed.
		name: "nested mod shadows its module", src: "use jemalloc_ctl::epoch;\nmod inner {\n    pub mod jemalloc_ctl {\n        pub fn x() {}\n    }\n    fn g() { jemalloc_ctl::x(); }\n}\nfn f() { jemalloc_ctl::stats::allocated::read(); }\n",
		want: "use tikv_jemalloc_ctl::epoch;\nmod inner {\n    pub mod jemalloc_ctl {\n        pub fn x() {}\n    }\n    fn g() { jemalloc_ctl::x(); }\n}\nfn f() { tikv_jemalloc_ctl::stats::allocated::read(); }\n",
		skip: "pub mod jemalloc_ctl", why: "shadows the crate in the module or block around it (lines 2-7)",
	},
	{
		name: "use in a block shadows the block", src: "fn f() {\n    use super::jemalloc_ctl;\n    jemalloc_ctl::x();\n}\nfn g() { jemalloc_ctl::epoch::advance(); }\n",
		want: "fn f() {\n    use super::jemalloc_ctl;\n    jemalloc_ctl::x();\n}\nfn g() { tikv_jemalloc_ctl::epoch::advance(); }\n",
		skip: "use super", why: "(lines 1-4)",
	},
	{
		name: "struct shadows", src: "struct jemalloc_sys;\nimpl jemalloc_sys { fn x() {} }\nfn f() { jemalloc_sys::x(); }\n",
		skip: "struct jemalloc_sys", why: "`struct jemalloc_sys`",
	},
	{
		name: "generated", src: "// Code generated by a tool. @generated\nuse jemalloc_ctl::epoch;\n",
		skip: "@generated", why: "@generated file",
	},
	{
		name: "generated in the first lines", src: "//! Bindings.\n\n// This file is @generated by a tool.\nuse jemalloc_ctl::epoch;\n",
		skip: "@generated", why: "@generated file",
	},
	{
		name: "generated past the first lines",
		src:  "// 1\n// 2\n// 3\n// 4\n// 5\n// @generated\nuse jemalloc_ctl::epoch;\n",
		want: "// 1\n// 2\n// 3\n// 4\n// 5\n// @generated\nuse tikv_jemalloc_ctl::epoch;\n",
	},
}
