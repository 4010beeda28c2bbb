package gen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Scale describes a generated monorepo workspace for scaling benchmarks.
type Scale struct {
	Crates        int // member crates, c00000 …
	FilesPerCrate int // .rs files per crate (src/lib.rs counts as one)
	BytesPerFile  int // every .rs file padded to this size (0: unpadded)
	Every         int // one .rs file in Every names jemalloc_ctl
	// RegistryDeps is the number of registry dependencies each crate has
	// besides those above, as real manifests do (serde = "1", …): entries
	// no option reads or edits.
	RegistryDeps int
}

// MaxScaleCrates is the most crates a Scale may have: crate directories
// are named with five digits.
const MaxScaleCrates = 100000

// MaxScaleFiles is the most files per crate: modules are named m001 … m999.
const MaxScaleFiles = 1000

// Files returns the number of .rs files the workspace has.
func (s Scale) Files() int { return s.Crates * s.FilesPerCrate }

// Using returns the number of .rs files that name jemalloc_ctl: files
// 0, Every, 2*Every … counted across the tree in crate order.
func (s Scale) Using() int {
	if s.Every < 1 {
		return 0
	}
	return (s.Files() + s.Every - 1) / s.Every
}

// ScaleForms returns the number of forms of naming jemalloc_ctl WriteScale
// cycles through: a Scale whose Using() is at least this uses all of them.
func ScaleForms() int { return len(scaleForms) }

func (s Scale) check() error {
	if s.Crates < 1 || s.Crates > MaxScaleCrates || s.FilesPerCrate < 1 || s.FilesPerCrate > MaxScaleFiles || s.BytesPerFile < 0 || s.Every < 1 || s.RegistryDeps < 0 {
		return fmt.Errorf("gen: want 1 <= Crates <= %d, 1 <= FilesPerCrate <= %d, BytesPerFile >= 0, Every >= 1 and RegistryDeps >= 0, got %+v",
			MaxScaleCrates, MaxScaleFiles, s)
	}
	return nil
}

// crateName returns the package and directory name of crate c.
func crateName(c int) string { return fmt.Sprintf("c%05d", c) }

// WriteScale writes the workspace s describes under dir:
//
//   - Cargo.toml: the workspace, members = ["crates/*"], resolver 2, and a
//     [workspace.package] version and edition that the even crates inherit
//     (the odd ones spell them out);
//   - crates/cNNNNN/Cargo.toml: crate c > 0 depends by path on crate c-1
//     and, when c >= 2 and c/2 != c-1, on crate c/2, so the graph is a
//     chain Crates deep and wide too. Every crate has an optional
//     jemalloc-ctl 0.5 and a feature stats = ["jemalloc-ctl"] that also
//     enables c-1's stats. Crate 0 depends on tikv-jemallocator 0.5 and
//     declares the global allocator in its lib.rs, so the workspace has
//     the links conflict that `jemfix apply --option=1` fixes. Before the
//     jemalloc entry come RegistryDeps registry entries (registryDep);
//   - crates/cNNNNN/src/lib.rs (declaring pub mod m001 …) and src/m001.rs …:
//     FilesPerCrate files, each ordinary Rust (plain, then pad up to
//     BytesPerFile bytes for the whole file; a file already longer is
//     not padded). File k of the tree (counted
//     in crate order, lib.rs first) names jemalloc_ctl when k%Every == 0:
//     it ends with the decoys (the crate named in comments and strings)
//     and then form (k/Every)%len(scaleForms).
//
// The output is the same for the same s. Each file is built in memory and
// written once; crates are written in parallel.
func WriteScale(dir string, s Scale) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "crates"), 0o755); err != nil {
		return err
	}
	root := "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\n"
	if err := os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(root), 0o644); err != nil {
		return err
	}
	return eachCrate(s.Crates, func(c int) error { return s.writeCrate(dir, c) })
}

// eachCrate calls f for crates 0 … n-1 on GOMAXPROCS goroutines and
// returns the error of the lowest crate that failed.
func eachCrate(n int, f func(c int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	errs := make([]error, n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				c := next
				next++
				mu.Unlock()
				if c >= n {
					return
				}
				errs[c] = f(c)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func mkdir(p string) error {
	if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

func (s Scale) writeCrate(dir string, c int) error {
	cdir := filepath.Join(dir, "crates", crateName(c))
	if err := mkdir(cdir); err != nil {
		return err
	}
	if err := mkdir(filepath.Join(cdir, "src")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cdir, "Cargo.toml"), []byte(s.manifest(c)), 0o644); err != nil {
		return err
	}
	var buf []byte
	for i := range s.FilesPerCrate {
		f := s.file(c, i)
		buf = append(append(append(append(buf[:0], f.prefix...), f.pad...), scaleDecoysIf(f.form)...), formBefore(f.form)...)
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.rel)), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// deps returns the crates crate c depends on by path: c-1 first.
func deps(c int) []int {
	switch {
	case c == 0:
		return nil
	case c < 2 || c/2 == c-1:
		return []int{c - 1}
	}
	return []int{c - 1, c / 2}
}

// manifest returns crate c's Cargo.toml.
func (s Scale) manifest(c int) string {
	var b strings.Builder
	name := crateName(c)
	if c%2 == 0 {
		fmt.Fprintf(&b, "[package]\nname = %q\nversion.workspace = true\nedition.workspace = true\n", name)
	} else {
		fmt.Fprintf(&b, "[package]\nname = %q\nversion = \"0.1.0\"\nedition = \"2021\"\n", name)
	}
	b.WriteString("\n[dependencies]\n")
	for _, d := range deps(c) {
		fmt.Fprintf(&b, "%s = { path = \"../%s\" }\n", crateName(d), crateName(d))
	}
	for i := range s.RegistryDeps {
		b.WriteString(registryDep(i))
	}
	b.WriteString("jemalloc-ctl = { version = \"0.5\", optional = true }\n")
	if c == 0 {
		b.WriteString("tikv-jemallocator = \"0.5\"\n")
	}
	b.WriteString("\n[features]\nstats = [\"jemalloc-ctl\"")
	if c > 0 {
		fmt.Fprintf(&b, ", \"%s/stats\"", crateName(c-1))
	}
	b.WriteString("]\n")
	return b.String()
}

// registryNames are the keys of the registry entries, in order; past the
// list's end they repeat with a number.
var registryNames = []string{"serde", "tokio", "anyhow", "thiserror", "tracing", "futures", "bytes", "rand", "regex", "clap",
	"log", "once_cell", "parking_lot", "crossbeam", "itertools", "chrono", "uuid", "hashbrown", "smallvec", "libc",
	"prost", "tonic", "hyper", "http", "url", "base64", "sha2", "hex", "lazy_static", "bitflags"}

// registryDep returns registry entry i of a crate's [dependencies], in one
// of the three forms manifests mostly use.
func registryDep(i int) string {
	key := registryNames[i%len(registryNames)]
	if n := i / len(registryNames); n > 0 {
		key += "-" + strconv.Itoa(n)
	}
	switch i % 3 {
	case 0:
		return fmt.Sprintf("%s = { version = \"1.%d\", features = [\"std\", \"derive\"] }\n", key, i)
	case 1:
		return fmt.Sprintf("%s = \"0.%d\"\n", key, i)
	}
	return fmt.Sprintf("%s = { version = \"0.%d\", default-features = false }\n", key, i)
}

// scaleFile is one generated .rs file: prefix (lib.rs's header and the
// plain code), pad, and, when form is not nil, the decoys and the form's
// before or after text.
type scaleFile struct {
	rel         string // slash path under the tree
	prefix, pad string
	form        *scaleForm
}

func formBefore(f *scaleForm) string {
	if f == nil {
		return ""
	}
	return f.before
}

func formAfter(f *scaleForm) string {
	if f == nil {
		return ""
	}
	return f.after
}

func scaleDecoysIf(f *scaleForm) string {
	if f == nil {
		return ""
	}
	return scaleDecoys
}

// file returns file i of crate c.
func (s Scale) file(c, i int) scaleFile {
	k := c*s.FilesPerCrate + i
	name := crateName(c)
	var f scaleFile
	if k%s.Every == 0 {
		f.form = &scaleForms[(k/s.Every)%len(scaleForms)]
	}
	body := plain(k)
	if i == 0 {
		f.rel = "crates/" + name + "/src/lib.rs"
		var b strings.Builder
		fmt.Fprintf(&b, "//! Generated member crate %s for scaling benchmarks.\n\n", name)
		for m := 1; m < s.FilesPerCrate; m++ {
			fmt.Fprintf(&b, "pub mod m%03d;\n", m)
		}
		if s.FilesPerCrate > 1 {
			b.WriteString("\n")
		}
		if c == 0 {
			b.WriteString("#[global_allocator]\nstatic GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\n")
		}
		b.WriteString(body)
		f.prefix = b.String()
	} else {
		f.rel = fmt.Sprintf("crates/%s/src/m%03d.rs", name, i)
		f.prefix = body
	}
	if s.BytesPerFile > 0 {
		f.pad = pad(k, s.BytesPerFile-len(f.prefix)-len(scaleDecoysIf(f.form))-len(formBefore(f.form)))
	}
	return f
}
