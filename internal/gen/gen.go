// Package gen writes synthetic Cargo workspaces for jemfix's benchmarks:
// many member crates of ordinary Rust files, a fixed share of which name
// jemalloc_ctl in the forms jemfix rewrites (use groups, macros, cfg
// features, doctests, type and expression paths).
package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Workspace writes a workspace of crates member crates with files .rs files
// in all under dir. Every member depends on jemalloc-ctl 0.5 and the first
// also on tikv-jemallocator 0.5, so the workspace has the links conflict;
// one file in every names jemalloc_ctl. It returns the first error.
// Each .rs file holds about 3 KB of Rust; WorkspaceSized writes larger ones.
func Workspace(dir string, crates, files, every int) error {
	return WorkspaceSized(dir, crates, files, every, 0)
}

// WorkspaceSized writes the workspace Workspace writes, with each .rs file
// padded to bytesPerFile bytes with more ordinary Rust (see pad): varied
// structs, impls, enums, traits, functions, tests and comments, none
// naming a jemalloc crate. The files that name jemalloc_ctl are padded
// too, and keep the same forms, at their end. src/lib.rs is larger by its
// module declarations. Files whose code is already bytesPerFile bytes or
// more, and every file when bytesPerFile is 0, are written as Workspace
// writes them.
func WorkspaceSized(dir string, crates, files, every, bytesPerFile int) error {
	if crates < 1 || files < crates || every < 1 || bytesPerFile < 0 {
		return fmt.Errorf("gen: want 1 <= crates <= files, every >= 1 and bytesPerFile >= 0, got %d, %d, %d, %d", crates, files, every, bytesPerFile)
	}
	if err := write(dir, "Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n"); err != nil {
		return err
	}
	k := 0
	for c := range crates {
		n := files / crates
		if c < files%crates {
			n++
		}
		if err := writeCrate(filepath.Join(dir, "crates", fmt.Sprintf("c%04d", c)), c, n, &k, every, bytesPerFile); err != nil {
			return err
		}
	}
	return nil
}

func writeCrate(dir string, c, n int, k *int, every, size int) error {
	manifest := fmt.Sprintf("[package]\nname = \"c%04d\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n", c)
	if c == 0 {
		manifest += "tikv-jemallocator = \"0.5\"\n"
	}
	manifest += "\n[features]\nstats = [\"jemalloc-ctl\"]\n"
	if err := write(dir, "Cargo.toml", manifest); err != nil {
		return err
	}
	var lib strings.Builder
	lib.WriteString("//! Generated member crate for benchmarks.\n\n")
	for i := range n {
		name := fmt.Sprintf("m%03d", i)
		if i > 0 {
			fmt.Fprintf(&lib, "pub mod %s;\n", name)
		}
		body, use := plain(*k), ""
		if *k%every == 0 {
			use = usage(*k / every)
		}
		if size > 0 {
			body += pad(*k, size-len(body)-len(use))
		}
		body += use
		*k++
		file := "src/" + name + ".rs"
		if i == 0 {
			file, body = "src/lib.rs", lib.String()+body
		}
		if err := write(dir, file, body); err != nil {
			return err
		}
	}
	if n > 1 { // lib.rs was written first; rewrite it with every module
		head := lib.String()
		src, err := os.ReadFile(filepath.Join(dir, "src/lib.rs"))
		if err != nil {
			return err
		}
		return write(dir, "src/lib.rs", head+strings.TrimPrefix(string(src), "//! Generated member crate for benchmarks.\n\n"))
	}
	return nil
}

func write(dir, name, text string) error {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}
