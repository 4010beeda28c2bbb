package gen

import (
	"fmt"
	"strings"
)

// plain returns about 3 KB of ordinary Rust: structs, impls and functions
// with loops, matches, closures and comments, none naming the crate.
func plain(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "use std::collections::HashMap;\nuse std::fmt;\n\n/// Record %d of the store.\n#[derive(Debug, Clone, Default)]\npub struct Record%d {\n    pub id: u64,\n    pub name: String,\n    pub tags: Vec<String>,\n}\n\n", k, k)
	fmt.Fprintf(&b, "impl fmt::Display for Record%d {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        write!(f, \"{}:{} [{}]\", self.id, self.name, self.tags.join(\",\"))\n    }\n}\n\n", k)
	for i := range 6 {
		fmt.Fprintf(&b, "/// Counts the entries of map %d whose key is longer than %d.\npub fn count_%d_%d(m: &HashMap<String, u64>) -> u64 {\n", i, i%7, k, i)
		b.WriteString("    let mut total = 0;\n    for (key, value) in m.iter() {\n")
		fmt.Fprintf(&b, "        if key.len() > %d {\n            total += value;\n        }\n    }\n", i%7)
		b.WriteString("    // Closures and matches keep the parser busy.\n    let f = |x: u64| match x % 3 {\n        0 => x / 3,\n        1 => x * 2,\n        _ => x + 1,\n    };\n    f(total)\n}\n\n")
	}
	return b.String()
}

// usage returns code naming jemalloc_ctl in one of several forms, chosen by n.
func usage(n int) string {
	forms := []string{
		"#[cfg(feature = \"jemalloc-ctl\")]\nuse jemalloc_ctl::{epoch, stats::{allocated, resident}};\n\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> jemalloc_ctl::Result<usize> {\n    epoch::advance()?;\n    Ok(allocated::read()? + resident::read()?)\n}\n",
		"#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> Result<(), jemalloc_ctl::Error> {\n    println!(\"allocated {}\", jemalloc_ctl::stats::allocated::read()?);\n    let s = format!(\"{:?}\", ::jemalloc_ctl::epoch::mib()?);\n    assert!(!s.is_empty());\n    Ok(())\n}\n",
		"/// Reads the allocated bytes.\n///\n/// ```\n/// # fn main() -> Result<(), jemalloc_ctl::Error> {\n/// jemalloc_ctl::epoch::advance()?;\n/// # Ok(()) }\n/// ```\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> jemalloc_ctl::Result<u64> {\n    jemalloc_ctl::epoch::advance()\n}\n",
		"macro_rules! stat {\n    ($n:ident) => {\n        jemalloc_ctl::stats::$n::read()\n    };\n}\n\n#[cfg(feature = \"jemalloc-ctl\")]\npub fn usage() -> jemalloc_ctl::Result<usize> {\n    stat!(active)\n}\n",
		"#[cfg_attr(feature = \"jemalloc-ctl\", derive(PartialEq))]\npub struct Stats {\n    pub bytes: usize,\n}\n\npub fn usage() -> bool {\n    // jemalloc_ctl is named in a comment and \"jemalloc_ctl\" in a string.\n    cfg!(feature = \"jemalloc-ctl\")\n}\n",
	}
	return forms[n%len(forms)]
}
