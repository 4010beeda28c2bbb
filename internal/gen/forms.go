package gen

// scaleForm is one way of naming jemalloc_ctl in a generated file, with the
// text `jemfix apply --option=1` (default flags) must turn it into, written
// out by hand. Both texts have the same number of lines: the oracle
// compares them line by line.
type scaleForm struct {
	before, after string
}

// scaleForms are the forms WriteScale puts at the end of the files that name
// jemalloc_ctl; file n of those gets scaleForms[n%len(scaleForms)]. The first
// five are usage(0) … usage(4), byte for byte (TestScaleFormsReuseUsage).
//
// Option 1 renames the dependency jemalloc-ctl to tikv-jemalloc-ctl and keeps
// the package's public feature named "jemalloc-ctl" (it now enables
// tikv-jemalloc-ctl), so every `feature = "jemalloc-ctl"` in cfg, cfg_attr
// and cfg! stays as it is; only Rust paths whose first segment is the crate
// change. Comments, strings, fields and other identifiers stay.
var scaleForms = []scaleForm{
	// 0: a cfg-gated use group with a nested group, and a Result path.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
use jemalloc_ctl::{epoch, stats::{allocated, resident}};

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> jemalloc_ctl::Result<usize> {
    epoch::advance()?;
    Ok(allocated::read()? + resident::read()?)
}
`,
		after: `#[cfg(feature = "jemalloc-ctl")]
use tikv_jemalloc_ctl::{epoch, stats::{allocated, resident}};

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> tikv_jemalloc_ctl::Result<usize> {
    epoch::advance()?;
    Ok(allocated::read()? + resident::read()?)
}
`,
	},
	// 1: paths inside macro invocations and a leading `::`.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<(), jemalloc_ctl::Error> {
    println!("allocated {}", jemalloc_ctl::stats::allocated::read()?);
    let s = format!("{:?}", ::jemalloc_ctl::epoch::mib()?);
    assert!(!s.is_empty());
    Ok(())
}
`,
		after: `#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<(), tikv_jemalloc_ctl::Error> {
    println!("allocated {}", tikv_jemalloc_ctl::stats::allocated::read()?);
    let s = format!("{:?}", ::tikv_jemalloc_ctl::epoch::mib()?);
    assert!(!s.is_empty());
    Ok(())
}
`,
	},
	// 2: a doctest, hidden lines included.
	{
		before: "/// Reads the allocated bytes.\n///\n/// ```\n/// # fn main() -> Result<(), jemalloc_ctl::Error> {\n/// jemalloc_ctl::epoch::advance()?;\n/// # Ok(()) }\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> jemalloc_ctl::Result<u64> {\n    jemalloc_ctl::epoch::advance()\n}\n",
		after:  "/// Reads the allocated bytes.\n///\n/// ```\n/// # fn main() -> Result<(), tikv_jemalloc_ctl::Error> {\n/// tikv_jemalloc_ctl::epoch::advance()?;\n/// # Ok(()) }\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> tikv_jemalloc_ctl::Result<u64> {\n    tikv_jemalloc_ctl::epoch::advance()\n}\n",
	},
	// 3: a path in a macro_rules body.
	{
		before: `macro_rules! stat {
    ($n:ident) => {
        jemalloc_ctl::stats::$n::read()
    };
}

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> jemalloc_ctl::Result<usize> {
    stat!(active)
}
`,
		after: `macro_rules! stat {
    ($n:ident) => {
        tikv_jemalloc_ctl::stats::$n::read()
    };
}

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> tikv_jemalloc_ctl::Result<usize> {
    stat!(active)
}
`,
	},
	// 4: only feature names (kept) and a comment (a decoy): nothing changes.
	{
		before: `#[cfg_attr(feature = "jemalloc-ctl", derive(PartialEq))]
pub struct Stats {
    pub bytes: usize,
}

pub fn usage() -> bool {
    // jemalloc_ctl is named in a comment and "jemalloc_ctl" in a string.
    cfg!(feature = "jemalloc-ctl")
}
`,
		after: `#[cfg_attr(feature = "jemalloc-ctl", derive(PartialEq))]
pub struct Stats {
    pub bytes: usize,
}

pub fn usage() -> bool {
    // jemalloc_ctl is named in a comment and "jemalloc_ctl" in a string.
    cfg!(feature = "jemalloc-ctl")
}
`,
	},
	// 5: a use group in rustfmt's order that the rename takes out of it:
	// the renamed item moves below std, with its attribute.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
use jemalloc_ctl::stats::allocated;
use std::sync::atomic::{AtomicUsize, Ordering};

static PEAK: AtomicUsize = AtomicUsize::new(0);

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> jemalloc_ctl::Result<usize> {
    PEAK.fetch_max(allocated::read()?, Ordering::Relaxed);
    Ok(peak())
}

pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
`,
		after: `use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(feature = "jemalloc-ctl")]
use tikv_jemalloc_ctl::stats::allocated;

static PEAK: AtomicUsize = AtomicUsize::new(0);

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> tikv_jemalloc_ctl::Result<usize> {
    PEAK.fetch_max(allocated::read()?, Ordering::Relaxed);
    Ok(peak())
}

pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
`,
	},
	// 6: extern crate with an alias (the alias's paths stay), and paths
	// followed by comments naming the crate on the same line.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
extern crate jemalloc_ctl as ctl;

#[cfg(all(feature = "jemalloc-ctl", not(test)))]
pub fn usage() -> Option<ctl::stats::allocated::Mib> {
    ctl::epoch::advance().ok()?; // ctl is jemalloc_ctl, by its alias
    jemalloc_ctl::stats::allocated::mib().ok() /* jemalloc_ctl::x */
}
`,
		after: `#[cfg(feature = "jemalloc-ctl")]
extern crate tikv_jemalloc_ctl as ctl;

#[cfg(all(feature = "jemalloc-ctl", not(test)))]
pub fn usage() -> Option<ctl::stats::allocated::Mib> {
    ctl::epoch::advance().ok()?; // ctl is jemalloc_ctl, by its alias
    tikv_jemalloc_ctl::stats::allocated::mib().ok() /* jemalloc_ctl::x */
}
`,
	},
	// 7: use … as, a turbofish in unsafe code, a qualified path, and
	// strings before paths on the same line.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
use jemalloc_ctl as stats_ctl;

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<Vec<usize>, jemalloc_ctl::Error> {
    let mut v: Vec<usize> = Vec::with_capacity(4);
    v.push(unsafe { jemalloc_ctl::raw::read::<usize>(b"stats.allocated\0")? });
    v.push(<stats_ctl::stats::active::Mib as Clone>::clone(&stats_ctl::stats::active::mib()?).read()?);
    let q = '"';
    v.push(format!("\"{q}jemalloc_ctl\"").len() + jemalloc_ctl::stats::resident::read()?);
    v.push(r#"jemalloc_ctl::"#.len() + jemalloc_ctl::stats::metadata::read()?);
    Ok(v)
}
`,
		after: `#[cfg(feature = "jemalloc-ctl")]
use tikv_jemalloc_ctl as stats_ctl;

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<Vec<usize>, tikv_jemalloc_ctl::Error> {
    let mut v: Vec<usize> = Vec::with_capacity(4);
    v.push(unsafe { tikv_jemalloc_ctl::raw::read::<usize>(b"stats.allocated\0")? });
    v.push(<stats_ctl::stats::active::Mib as Clone>::clone(&stats_ctl::stats::active::mib()?).read()?);
    let q = '"';
    v.push(format!("\"{q}jemalloc_ctl\"").len() + tikv_jemalloc_ctl::stats::resident::read()?);
    v.push(r#"jemalloc_ctl::"#.len() + tikv_jemalloc_ctl::stats::metadata::read()?);
    Ok(v)
}
`,
	},
	// 8: a one-line use list whose items the rename reorders.
	{
		before: `#[cfg(feature = "jemalloc-ctl")]
use {jemalloc_ctl::epoch, std::fmt::Write};

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<String, jemalloc_ctl::Error> {
    let mut s = String::new();
    let _ = write!(s, "{}", epoch::advance()?);
    Ok(s)
}
`,
		after: `#[cfg(feature = "jemalloc-ctl")]
use {std::fmt::Write, tikv_jemalloc_ctl::epoch};

#[cfg(feature = "jemalloc-ctl")]
pub fn usage() -> Result<String, tikv_jemalloc_ctl::Error> {
    let mut s = String::new();
    let _ = write!(s, "{}", epoch::advance()?);
    Ok(s)
}
`,
	},
	// 9: a field named like the crate next to type and expression paths,
	// a closure parameter type, and a doc comment naming the crate in prose
	// around a doctest.
	{
		before: "/// Samples `jemalloc_ctl` statistics; see jemalloc_ctl::stats.\n///\n/// ```no_run\n/// use jemalloc_ctl::stats::resident;\n/// let _ = resident::read();\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub struct Sampler {\n    mib: jemalloc_ctl::stats::resident::Mib,\n    jemalloc_ctl: usize,\n}\n\n#[cfg(feature = \"jemalloc-ctl\")]\nimpl Sampler {\n    pub fn new() -> jemalloc_ctl::Result<Self> {\n        Ok(Sampler { mib: jemalloc_ctl::stats::resident::mib()?, jemalloc_ctl: 0 })\n    }\n\n    pub fn usage(&mut self) -> jemalloc_ctl::Result<usize> {\n        self.jemalloc_ctl += 1;\n        let f = |e: jemalloc_ctl::Error| e;\n        self.mib.read().map_err(f)\n    }\n}\n",
		after:  "/// Samples `jemalloc_ctl` statistics; see jemalloc_ctl::stats.\n///\n/// ```no_run\n/// use tikv_jemalloc_ctl::stats::resident;\n/// let _ = resident::read();\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub struct Sampler {\n    mib: tikv_jemalloc_ctl::stats::resident::Mib,\n    jemalloc_ctl: usize,\n}\n\n#[cfg(feature = \"jemalloc-ctl\")]\nimpl Sampler {\n    pub fn new() -> tikv_jemalloc_ctl::Result<Self> {\n        Ok(Sampler { mib: tikv_jemalloc_ctl::stats::resident::mib()?, jemalloc_ctl: 0 })\n    }\n\n    pub fn usage(&mut self) -> tikv_jemalloc_ctl::Result<usize> {\n        self.jemalloc_ctl += 1;\n        let f = |e: tikv_jemalloc_ctl::Error| e;\n        self.mib.read().map_err(f)\n    }\n}\n",
	},
	// 10: a use group with self and aliases, a glob re-export, and doc
	// comments: a doctest in a block doc comment and an ignore fence change,
	// a text fence and a doc attribute stay.
	{
		before: "#[cfg(feature = \"jemalloc-ctl\")]\nuse jemalloc_ctl::{self as ctl2, epoch as ep};\n\n#[cfg(feature = \"jemalloc-ctl\")]\npub use jemalloc_ctl::stats::*;\n\n/** Advances the epoch twice.\n *\n * ```\n * jemalloc_ctl::epoch::advance().unwrap();\n * ```\n *\n * ```text\n * jemalloc_ctl::epoch::advance() in a text block stays\n * ```\n */\n#[doc = \"jemalloc_ctl named in a doc attribute.\"]\n///\n/// ```ignore\n/// jemalloc_ctl::epoch::advance()\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> u64 {\n    ep::advance().unwrap_or(0) + ctl2::epoch::advance().unwrap_or(0)\n}\n",
		after:  "#[cfg(feature = \"jemalloc-ctl\")]\nuse tikv_jemalloc_ctl::{self as ctl2, epoch as ep};\n\n#[cfg(feature = \"jemalloc-ctl\")]\npub use tikv_jemalloc_ctl::stats::*;\n\n/** Advances the epoch twice.\n *\n * ```\n * tikv_jemalloc_ctl::epoch::advance().unwrap();\n * ```\n *\n * ```text\n * jemalloc_ctl::epoch::advance() in a text block stays\n * ```\n */\n#[doc = \"jemalloc_ctl named in a doc attribute.\"]\n///\n/// ```ignore\n/// tikv_jemalloc_ctl::epoch::advance()\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> u64 {\n    ep::advance().unwrap_or(0) + ctl2::epoch::advance().unwrap_or(0)\n}\n",
	},
	// 11: a parameter and locals named like the crate (they stay), an
	// inline module, a generic bound, a turbofish, and lines a naive lexer
	// misreads: "/*" in a string, '\'' and raw byte strings before paths.
	{
		before: `pub fn usage(jemalloc_ctl: usize) -> usize {
    let shadow = { let jemalloc_ctl = jemalloc_ctl + 1; jemalloc_ctl * 2 };
    shadow + local_ctl()
}

#[cfg(not(feature = "jemalloc-ctl"))]
fn local_ctl() -> usize {
    0
}

#[cfg(feature = "jemalloc-ctl")]
mod inner {
    use jemalloc_ctl::epoch;

    pub type Ctl = jemalloc_ctl::Error;

    pub fn f<E: Into<jemalloc_ctl::Error>>(e: E) -> Ctl {
        let _ = epoch::advance();
        e.into()
    }
}

#[cfg(feature = "jemalloc-ctl")]
fn local_ctl() -> usize {
    let s = "/*"; let n = jemalloc_ctl::stats::active::read().unwrap_or(0); // */
    let c = '\''; let m = jemalloc_ctl::stats::mapped::read().unwrap_or(0);
    let r = r"jemalloc_ctl"; let b = br#"jemalloc_ctl"#;
    let e = jemalloc_ctl::stats::retained::read().err().map(inner::f::<jemalloc_ctl::Error>);
    s.len() + n + usize::from(c == '\'') + m + r.len() + b.len() + usize::from(e.is_some())
}
`,
		after: `pub fn usage(jemalloc_ctl: usize) -> usize {
    let shadow = { let jemalloc_ctl = jemalloc_ctl + 1; jemalloc_ctl * 2 };
    shadow + local_ctl()
}

#[cfg(not(feature = "jemalloc-ctl"))]
fn local_ctl() -> usize {
    0
}

#[cfg(feature = "jemalloc-ctl")]
mod inner {
    use tikv_jemalloc_ctl::epoch;

    pub type Ctl = tikv_jemalloc_ctl::Error;

    pub fn f<E: Into<tikv_jemalloc_ctl::Error>>(e: E) -> Ctl {
        let _ = epoch::advance();
        e.into()
    }
}

#[cfg(feature = "jemalloc-ctl")]
fn local_ctl() -> usize {
    let s = "/*"; let n = tikv_jemalloc_ctl::stats::active::read().unwrap_or(0); // */
    let c = '\''; let m = tikv_jemalloc_ctl::stats::mapped::read().unwrap_or(0);
    let r = r"jemalloc_ctl"; let b = br#"jemalloc_ctl"#;
    let e = tikv_jemalloc_ctl::stats::retained::read().err().map(inner::f::<tikv_jemalloc_ctl::Error>);
    s.len() + n + usize::from(c == '\'') + m + r.len() + b.len() + usize::from(e.is_some())
}
`,
	},
}

// scaleDecoys goes before the form in every file that names jemalloc_ctl:
// the crate named in line, block (nested, multi-line) and trailing
// comments, string, escaped-string, raw-string (multi-line), byte-string
// literals, and in an identifier. None of it may change.
const scaleDecoys = `// Decoy: jemalloc_ctl::epoch::advance() named in a line comment.
/* Decoy: jemalloc_ctl::stats::allocated::read() in a block comment. */
/*
 * use jemalloc_ctl::{epoch, stats};
 * A nested /* jemalloc_ctl::raw::read */ comment, still a comment.
 */
pub const DECOY_STR: &str = "jemalloc_ctl::epoch::advance()";
pub const DECOY_ESC: &str = "say \"jemalloc_ctl::stats\" // not a comment";
pub const DECOY_RAW: &str = r#"use jemalloc_ctl::{epoch, stats}; "quoted""#;
pub const DECOY_RAW_LINES: &str = r##"
jemalloc_ctl::epoch::advance()?;
"# jemalloc_ctl stays"
"##;
pub const DECOY_BYTES: &[u8] = b"jemalloc_ctl::raw";

pub fn decoy_len() -> usize {
    let my_jemalloc_ctl = DECOY_STR.len(); // jemalloc_ctl in a trailing comment
    my_jemalloc_ctl + DECOY_ESC.len() + DECOY_RAW.len() + DECOY_RAW_LINES.len() + DECOY_BYTES.len()
}

`
