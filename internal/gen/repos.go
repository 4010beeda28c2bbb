package gen

import (
	"fmt"
	"path/filepath"
)

// RepoFiles is the number of .rs files in each repository Repos writes.
const RepoFiles = 8

// RepoUsing is the number of those files that name jemalloc_ctl.
const RepoUsing = 4

// Repos writes n small independent repositories under dir, named r0000,
// r0001 …, and returns their directories in order. Each is a workspace of
// three crates shaped like the remediation guide's: a plain base library,
// an api binary that depends on tikv-jemallocator 0.5 and declares the
// global allocator, and a perf library with an optional jemalloc-ctl 0.5
// dependency whose sources (RepoUsing of them, a test among them) name
// jemalloc_ctl:: paths. Every repository has the links conflict.
func Repos(dir string, n int) ([]string, error) {
	if n < 1 {
		return nil, fmt.Errorf("gen: want n >= 1, got %d", n)
	}
	roots := make([]string, 0, n)
	for r := range n {
		root := filepath.Join(dir, fmt.Sprintf("r%04d", r))
		if err := writeRepo(root, r); err != nil {
			return nil, err
		}
		roots = append(roots, root)
	}
	return roots, nil
}

func writeRepo(root string, r int) error {
	k := r * RepoFiles // distinct item names across repositories
	files := map[string]string{
		"Cargo.toml": "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\n",
		"README.md":  fmt.Sprintf("# Service %d\n\nBuild with `cargo build --features jemalloc`.\n", r),

		"crates/base/Cargo.toml":   "[package]\nname = \"base\"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\n",
		"crates/base/src/lib.rs":   "//! Shared types.\n\npub mod model;\n\n" + plain(k),
		"crates/base/src/model.rs": plain(k + 1),

		"crates/api/Cargo.toml": "[package]\nname = \"api\"\nversion.workspace = true\nedition.workspace = true\n\n[[bin]]\nname = \"api\"\npath = \"src/main.rs\"\n\n" +
			"[dependencies]\nbase = { path = \"../base\" }\nperf = { path = \"../perf\" }\n\n" +
			"[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n\n" +
			"[features]\ndefault = []\njemalloc = [\"perf/jemalloc\", \"tikv-jemallocator\"]\n",
		"crates/api/src/lib.rs": "//! The HTTP front end.\n\n" + plain(k+2),
		"crates/api/src/main.rs": "#[cfg(all(feature = \"jemalloc\", not(target_env = \"msvc\")))]\n#[global_allocator]\nstatic GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\n" +
			"fn main() {\n    #[cfg(feature = \"jemalloc\")]\n    if let Ok(r) = perf::report() {\n        println!(\"{r}\");\n    }\n}\n",

		"crates/perf/Cargo.toml": "[package]\nname = \"perf\"\nversion.workspace = true\nedition.workspace = true\n\n" +
			"[dependencies]\n# allocator statistics for the profiler\njemalloc-ctl = { version = \"0.5\", optional = true }\n\n" +
			"[features]\ndefault = []\njemalloc = [\"jemalloc-ctl\"]\n",
		"crates/perf/src/lib.rs": "//! Allocator statistics.\n\n#[cfg(feature = \"jemalloc\")]\nmod stats;\n#[cfg(feature = \"jemalloc\")]\npub use stats::report;\npub mod util;\n\n" +
			"#[cfg(feature = \"jemalloc\")]\npub type Error = jemalloc_ctl::Error;\n",
		"crates/perf/src/stats.rs": "use jemalloc_ctl::{epoch, stats::{allocated, resident}};\n\n" +
			"/// Reads allocated and resident bytes after advancing the epoch.\npub fn report() -> jemalloc_ctl::Result<String> {\n    epoch::advance()?;\n" +
			"    let mib = ::jemalloc_ctl::stats::active::mib()?;\n    Ok(format!(\"{} {} {}\", allocated::read()?, resident::read()?, mib.read()?))\n}\n",
		"crates/perf/src/util.rs": "//! Helpers; `jemalloc_ctl` is named here in a comment only.\n\n" + plain(k+3) +
			"\n#[cfg(feature = \"jemalloc\")]\npub fn bytes() -> Result<usize, jemalloc_ctl::Error> {\n    jemalloc_ctl::stats::allocated::read()\n}\n",
		"crates/perf/tests/stats.rs": "#![cfg(feature = \"jemalloc\")]\n\n#[test]\nfn reads() {\n    jemalloc_ctl::epoch::advance().unwrap();\n    assert!(jemalloc_ctl::stats::allocated::read().unwrap() > 0);\n}\n",
	}
	for name, text := range files {
		if err := write(root, name, text); err != nil {
			return err
		}
	}
	return nil
}
