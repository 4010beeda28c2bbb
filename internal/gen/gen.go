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
func Workspace(dir string, crates, files, every int) error {
	if crates < 1 || files < crates || every < 1 {
		return fmt.Errorf("gen: want 1 <= crates <= files and every >= 1, got %d, %d, %d", crates, files, every)
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
		if err := writeCrate(filepath.Join(dir, "crates", fmt.Sprintf("c%04d", c)), c, n, &k, every); err != nil {
			return err
		}
	}
	return nil
}

func writeCrate(dir string, c, n int, k *int, every int) error {
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
		body := plain(*k)
		if *k%every == 0 {
			body += usage(*k / every)
		}
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
