package conflict

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/wstest"
)

func TestScan(t *testing.T) {
	tests := []struct {
		name     string
		fsys     fstest.MapFS
		conflict bool
		sys      []string
		movable  int
	}{
		{
			name: "original and tikv",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dev-dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "jemalloc-sys 0.5"}, movable: 1,
		},
		{
			// Option 1 moves the workspace's entry and renames each
			// inheriting entry's key: four entries move.
			name: "an original crate three members inherit",
			fsys: wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n[workspace.dependencies]\njemallocator = \"0.5\"\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = { workspace = true }\n",
				"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemallocator.workspace = true\n",
				"c/Cargo.toml", "[package]\nname = \"c\"\n[dev-dependencies]\njemallocator = { workspace = true }\n"),
			sys: []string{"jemalloc-sys 0.5"}, movable: 4,
		},
		{
			name: "two tikv series",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[target.'cfg(unix)'.dependencies]\ntikv-jemalloc-ctl = \"0.5.4\"\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.6", "tikv-jemalloc-sys 0.5"},
		},
		{
			name: "renamed tikv only",
			fsys: wstest.Files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { package = \"tikv-jemallocator\", version = \"0.5\" }\ntikv-jemalloc-ctl = \"0.5\"\n"),
			sys:  []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "maintenance",
			fsys: wstest.Files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = \"0.3\"\njemalloc-ctl = \"0.3\"\n"),
			sys:  []string{"jemalloc-sys 0.3"}, movable: 2,
		},
		{
			name: "a range meets the others' series",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"*\"\n",
				"crates/c/Cargo.toml", "[package]\nname = \"c\"\n[dependencies]\nctl = { package = \"tikv-jemalloc-ctl\", version = \">=0.4, <0.6\" }\n"),
			sys: []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "ranges only: the newest series they all admit",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = \">0.4.3\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = \"<0.6\"\n"),
			sys: []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "a range settled by Cargo.lock",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = \"*\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = \"*\"\n",
				"Cargo.lock", "version = 3\n[[package]]\nname = \"tikv-jemalloc-ctl\"\nversion = \"0.5.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"+
					"[[package]]\nname = \"tikv-jemallocator\"\nversion = \"0.5.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"),
			sys: []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "a range that meets none",
			fsys: wstest.Files("Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.4\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \">=0.5\"\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.4", "tikv-jemalloc-sys 0.7"},
		},
		{
			name: "locked external",
			fsys: wstest.Files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"Cargo.lock", "version = 3\n[[package]]\nname = \"librocksdb-sys\"\nversion = \"0.16.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.5.4+5.3.0-patched\"]\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.6", "tikv-jemalloc-sys 0.5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkScan(t, tt.fsys, tt.conflict, tt.movable, tt.sys) })
	}
}

// The dev-dependencies of a package that is in the graph only as a path
// dependency of the root package are not resolved: they make no conflict.
// An optional dependency of a package that is not a member is in the
// graph only when a feature its dependents ask for turns it on.
func TestNonMemberOptionalDependencies(t *testing.T) {
	ext := "[package]\nname = \"ext\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\ndefault = []\nstats = [\"jemalloc-ctl\"]\n"
	// An inheriting entry turns the defaults back on.
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[workspace]\nmembers = [\"a\"]\nexclude = [\"ext\"]\n[workspace.dependencies]\next = { path = \"ext\", default-features = false }\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\next = { workspace = true, default-features = true }\n",
		"ext/Cargo.toml", "[package]\nname = \"ext\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\ndefault = [\"jemalloc-ctl\"]\n"))
	if r := Scan(ws); !r.Conflict {
		t.Errorf("an inheriting entry with default-features = true: no conflict found")
	}
	// A weak reference counts for the lock; a feature of another package
	// outside the members counts only when something asks for it.
	for name, tt := range map[string]struct {
		files    []string
		conflict bool
	}{
		"weak": {[]string{"Cargo.toml", "[package]\nname = \"root\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nl2 = { path = \"l2\" }\n",
			"l2/Cargo.toml", "[package]\nname = \"l2\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\ndefault = [\"mid\"]\nmid = [\"jemallocator?/stats\"]\n"}, true},
		"unasked chain": {[]string{"Cargo.toml", "[package]\nname = \"root\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nl1 = { path = \"l1\" }\n",
			"l1/Cargo.toml", "[package]\nname = \"l1\"\n[dependencies]\nl2 = { path = \"../l2\" }\n[features]\nx = [\"l2/fast\"]\n",
			"l2/Cargo.toml", "[package]\nname = \"l2\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\nfast = [\"jemallocator\"]\n"}, false},
		"asked chain": {[]string{"Cargo.toml", "[package]\nname = \"root\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nl1 = { path = \"l1\", features = [\"x\"] }\n",
			"l1/Cargo.toml", "[package]\nname = \"l1\"\n[dependencies]\nl2 = { path = \"../l2\" }\n[features]\nx = [\"l2/fast\"]\n",
			"l2/Cargo.toml", "[package]\nname = \"l2\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\nfast = [\"jemallocator\"]\n"}, true},
	} {
		if r := Scan(wstest.Load(t, wstest.Files(tt.files...))); r.Conflict != tt.conflict {
			t.Errorf("%s: conflict %v, want %v", name, r.Conflict, tt.conflict)
		}
	}
	for entry, conflict := range map[string]bool{
		`ext = { path = "ext" }`:                                                     false,
		`ext = { path = "ext", features = ["stats"] }`:                               true,
		`ext = { path = "ext", features = ["jemalloc-ctl"] }`:                        true,
		"ext = { path = \"ext\", optional = true }\n[features]\nx = [\"ext/stats\"]": true,
	} {
		ws := wstest.Load(t, wstest.Files(
			"Cargo.toml", "[package]\nname = \"root\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n"+entry+"\n",
			"ext/Cargo.toml", ext))
		if r := Scan(ws); r.Conflict != conflict {
			t.Errorf("%s: conflict %v, want %v", entry, r.Conflict, conflict)
		}
	}
}

func TestNonMemberDevDependencies(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[package]\nname = \"root\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nsys = { path = \"sys\" }\n",
		"sys/Cargo.toml", "[package]\nname = \"sys\"\n[dev-dependencies]\njemalloc-ctl = \"0.5\"\n"))
	if r := Scan(ws); r.Conflict || r.Movable != 0 {
		t.Errorf("Scan: conflict %v, movable %d; want neither", r.Conflict, r.Movable)
	}
}

// jemalloc-ctl 0.2 depends on jemalloc-sys 0.1, as jemallocator 0.1 does:
// one sys package, no conflict.
func TestOldControlCrate(t *testing.T) {
	ws := wstest.Load(t, wstest.Files("Cargo.toml",
		"[package]\nname = \"alloc\"\n[dependencies]\njemallocator = \"0.1.9\"\njemalloc-sys = \"0.1.8\"\njemalloc-ctl = \"0.2.0\"\n"))
	r := Scan(ws)
	if r.Conflict || len(r.Sys) != 1 || r.Sys[0] != "jemalloc-sys 0.1" {
		t.Errorf("Scan: conflict %v, sys %q; want one jemalloc-sys 0.1", r.Conflict, r.Sys)
	}
}

// A path dependency on a local copy of a family crate is that package: a
// copy of jemalloc-sys is on its own version's series, and a copy of
// jemallocator links to what its own manifest names, whatever its version.
func TestVendoredCopies(t *testing.T) {
	for _, version := range []string{"0.3.2", "0.1.0"} {
		ws := wstest.Load(t, wstest.Files(
			"Cargo.toml", "[workspace]\nmembers = [\"app\", \"vendored/jemallocator\"]\n",
			"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = { path = \"../vendored/jemallocator\" }\njemalloc-sys = { path = \"../vendored/jemallocator/jemalloc-sys\" }\n",
			"vendored/jemallocator/Cargo.toml", "[package]\nname = \"jemallocator\"\nversion = \""+version+"\"\n[dependencies.jemalloc-sys]\npath = \"jemalloc-sys\"\nversion = \"0.3.2\"\n",
			"vendored/jemallocator/jemalloc-sys/Cargo.toml", "[package]\nname = \"jemalloc-sys\"\nversion = \"0.3.2\"\nlinks = \"jemalloc\"\n"))
		r := Scan(ws)
		if want := "jemalloc-sys 0.3 (path vendored/jemallocator/jemalloc-sys)"; r.Conflict || len(r.Sys) != 1 || r.Sys[0] != want {
			t.Errorf("jemallocator %s: conflict %v, sys %q; want one %s", version, r.Conflict, r.Sys, want)
		}
		for _, u := range r.Uses {
			if u.Local == nil {
				t.Errorf("jemallocator %s: %s: %s has no local package", version, u.Manifest.Name, u.Dep.Key)
			}
		}
	}
}

// cargo counts a local copy of a sys crate apart from the registry crate of
// the same name and version: both link to jemalloc, unless a [patch] points
// the registry crate at the copy.
func TestLocalCopyAndRegistryCrate(t *testing.T) {
	files := func(root string) fstest.MapFS {
		return wstest.Files(
			"Cargo.toml", root,
			"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-sys = { path = \"../vendored/sys\" }\n",
			"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
			"vendored/sys/Cargo.toml", "[package]\nname = \"tikv-jemalloc-sys\"\nversion = \"0.5.4\"\nlinks = \"jemalloc\"\n")
	}
	root := "[workspace]\nmembers = [\"app\", \"b\"]\n"
	if r := Scan(wstest.Load(t, files(root))); !r.Conflict {
		t.Errorf("no patch: sys %q, want a conflict", r.Sys)
	}
	root += "[patch.crates-io]\ntikv-jemalloc-sys = { path = \"vendored/sys\" }\n"
	if r := Scan(wstest.Load(t, files(root))); r.Conflict {
		t.Errorf("patched: sys %q, want one", r.Sys)
	}
}

// cargo tells packages from git apart by their source, the repository and
// the reference: entries that name one source reach one sys package,
// whatever version each asks for and however each is written.
func TestGitSources(t *testing.T) {
	const repo = "https://github.com/Example/jemallocator"
	// A package of Cargo.lock from git that names the family crate of the
	// repository a member takes it from, by name alone (the only package
	// of that name) or with its version.
	lockOf := func(ref string) string {
		return "version = 3\n[[package]]\nname = \"rsys\"\nversion = \"0.1.0\"\nsource = \"git+https://example.com/rsys#111\"\ndependencies = [\"" + ref + "\"]\n" +
			"[[package]]\nname = \"tikv-jemalloc-sys\"\nversion = \"0.6.1\"\nsource = \"git+" + repo + "?rev=abc#222\"\n"
	}
	tests := []struct {
		name string
		a, b string // the entries of members a and b
		lock string // Cargo.lock, or ""
		sys  []string
	}{
		{
			name: "a locked git package on the repository's sys crate, by name alone",
			a:    "[dependencies]\ntikv-jemallocator = { git = \"" + repo + "\", rev = \"abc\" }\n",
			lock: lockOf("tikv-jemalloc-sys"),
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator?rev=abc)"},
		},
		{
			name: "a locked git package on the repository's sys crate, by version, beside the registry",
			a:    "[dependencies]\ntikv-jemallocator = \"0.6\"\n",
			lock: lockOf("tikv-jemalloc-sys 0.6.1"),
			sys:  []string{"tikv-jemalloc-sys 0.6", "tikv-jemalloc-sys (git https://github.com/example/jemallocator?rev=abc)"},
		},
		{
			name: "one repository, with and without a version",
			a:    "[dependencies]\ntikv-jemallocator = { git = \"" + repo + "\", rev = \"abc\" }\n",
			b:    "[dependencies.tikv-jemalloc-ctl]\ngit = \"" + repo + ".git/\"\nrev = \"abc\"\nversion = \"0.5\"\n",
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator?rev=abc)"},
		},
		{
			name: "one repository, a target table and the workspace's entry",
			a:    "[target.'cfg(unix)'.dependencies]\ntikv-jemallocator.git = \"" + repo + "\"\n",
			b:    "[dependencies]\ntikv-jemalloc-ctl = { workspace = true }\n",
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator)"},
		},
		{
			name: "two revisions",
			a:    "[dependencies]\ntikv-jemallocator = { git = \"" + repo + "\", rev = \"abc\" }\n",
			b:    "[dev-dependencies]\ntikv-jemalloc-ctl = { git = \"" + repo + "\", rev = \"def\" }\n",
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator?rev=abc)", "tikv-jemalloc-sys (git https://github.com/example/jemallocator?rev=def)"},
		},
		{
			name: "a branch and the default branch",
			a:    "[dependencies]\ntikv-jemallocator = { git = \"" + repo + "\", branch = \"main\" }\n",
			b:    "[dependencies]\ntikv-jemalloc-ctl = { git = \"" + repo + "\" }\n",
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator?branch=main)", "tikv-jemalloc-sys (git https://github.com/example/jemallocator)"},
		},
		{
			name: "git and the registry",
			a:    "[dependencies]\ntikv-jemallocator = { git = \"" + repo + "\", version = \"0.5\" }\n",
			b:    "[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
			sys:  []string{"tikv-jemalloc-sys (git https://github.com/example/jemallocator)", "tikv-jemalloc-sys 0.5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := wstest.Files(
				"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = { git = \""+repo+"/\" }\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n"+tt.a,
				"b/Cargo.toml", "[package]\nname = \"b\"\n"+tt.b)
			if tt.lock != "" {
				fsys["Cargo.lock"] = &fstest.MapFile{Data: []byte(tt.lock)}
			}
			r := Scan(wstest.Load(t, fsys))
			if diff := cmp.Diff(tt.sys, r.Sys); diff != "" {
				t.Errorf("sys (-want +got):\n%s", diff)
			}
			if r.Conflict != (len(tt.sys) > 1) {
				t.Errorf("conflict %v with %d sys packages", r.Conflict, len(tt.sys))
			}
		})
	}
}

// A [patch.crates-io] copy of a crate that builds on another registry sys
// crate than the crate's own: the patched crate reaches that one.
func TestPatchedCopies(t *testing.T) {
	members := func(a, b string, more ...string) fstest.MapFS {
		return wstest.Files(append([]string{
			"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\n" + a + "\n",
			"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\n" + b + "\n"}, more...)...)
	}
	root := func(crate string) string {
		return "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"vendor\"]\n[patch.crates-io]\n" + crate + " = { path = \"vendor/copy\" }\n"
	}
	for _, tt := range []struct {
		name     string
		fsys     fstest.MapFS
		conflict bool
		sys      []string
		movable  int
	}{
		{
			name: "a tikv crate's copy on the original sys crate",
			fsys: members(`tikv-jemallocator = "0.5"`, `tikv-jemalloc-ctl = "0.5"`, "Cargo.toml", root("tikv-jemallocator"),
				"vendor/copy/Cargo.toml", "[package]\nname = \"tikv-jemallocator\"\nversion = \"0.5.4\"\n[dependencies]\njemalloc-sys = \"0.5\"\n"),
			conflict: true, sys: []string{"jemalloc-sys 0.5", "tikv-jemalloc-sys 0.5"},
		},
		{
			name: "an original crate's copy on a range of the tikv sys crate",
			fsys: members(`jemallocator = "0.5"`, `tikv-jemalloc-ctl = "0.5"`, "Cargo.toml", root("jemallocator"),
				"vendor/copy/Cargo.toml", "[package]\nname = \"jemallocator\"\nversion = \"0.5.4\"\n[dependencies]\ntikv-jemalloc-sys = \">=0.5, <0.7\"\n"),
			sys: []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "the crates.io table named by its URL",
			fsys: members(`tikv-jemallocator = "0.5"`, `jemallocator = "0.5"`, "Cargo.toml", strings.Replace(root("tikv-jemallocator"), "[patch.crates-io]", "[patch.\"https://github.com/rust-lang/crates.io-index\"]", 1),
				"vendor/copy/Cargo.toml", "[package]\nname = \"tikv-jemallocator\"\nversion = \"0.5.4\"\n[dependencies]\njemalloc-sys = \"0.5\"\n"),
			sys: []string{"jemalloc-sys 0.5"}, movable: 1,
		},
		{
			name: "an original crate's copy on the tikv sys crate",
			fsys: members(`jemallocator = "0.5"`, `tikv-jemalloc-ctl = "0.5"`, "Cargo.toml", root("jemallocator"),
				"vendor/copy/Cargo.toml", "[package]\nname = \"jemallocator\"\nversion = \"0.5.4\"\n[dependencies]\ntikv-jemalloc-sys = \"0.5\"\n"),
			sys: []string{"tikv-jemalloc-sys 0.5"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { checkScan(t, tt.fsys, tt.conflict, tt.movable, tt.sys) })
	}
}

// Without a Cargo.lock, an entry on a crate known to depend on the family
// (jemallocator-global, tikv-jemallocator-global, jemalloc_pprof) shows
// the family crate it brings; with a lock that lists it at a version the
// entry admits, the lock does, once.
func TestWrapperCrates(t *testing.T) {
	for _, tt := range []struct {
		name     string
		global   string
		lock     string
		conflict bool
		sys      []string
	}{
		{name: "original global beside tikv", global: `jemallocator-global = "0.3"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "jemalloc-sys 0.3"}},
		{name: "tikv global on the same series", global: `tikv-jemallocator-global = "0.5"`, sys: []string{"tikv-jemalloc-sys 0.5"}},
		{name: "tikv global on a range the others reach", global: `tikv-jemallocator-global = "*"`, sys: []string{"tikv-jemalloc-sys 0.5"}},
		{name: "tikv global on a range the others do not reach", global: `tikv-jemallocator-global = ">=0.6"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.7"}},
		{name: "locked", global: `jemallocator-global = "0.3"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "jemalloc-sys 0.3"},
			lock: "version = 3\n[[package]]\nname = \"jemallocator-global\"\nversion = \"0.3.2\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"jemallocator 0.3.2\"]\n"},
		// jemalloc_pprof 0.5 and later depend on tikv-jemalloc-ctl 0.6, earlier ones on 0.5.
		{name: "jemalloc_pprof on the next series", global: `jemalloc_pprof = "0.6"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.6"}},
		{name: "jemalloc_pprof on the same series", global: `jemalloc_pprof = "0.4.2"`, sys: []string{"tikv-jemalloc-sys 0.5"}},
		{name: "jemalloc_pprof inherited", global: `jemalloc_pprof = { workspace = true }`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.6"}},
		{name: "jemalloc_pprof on a range the others reach", global: `jemalloc_pprof = ">=0.3, <0.8"`, sys: []string{"tikv-jemalloc-sys 0.5"}},
		{name: "jemalloc_pprof on a range the others do not reach", global: `jemalloc_pprof = ">=0.5"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.6"}},
		{name: "jemalloc_pprof locked", global: `jemalloc_pprof = "0.6"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.6"},
			lock: "version = 3\n[[package]]\nname = \"jemalloc_pprof\"\nversion = \"0.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-ctl 0.6.1\"]\n[[package]]\nname = \"tikv-jemalloc-ctl\"\nversion = \"0.6.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"},
		// A lock made before the entry moved to 0.6 (cargo cannot lock
		// it again while the conflict stands): the entry says what it
		// brings, not the lock.
		{name: "jemalloc_pprof locked before its entry moved", global: `jemalloc_pprof = "0.6.0"`, conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "tikv-jemalloc-sys 0.6"},
			lock: "version = 3\n[[package]]\nname = \"jemalloc_pprof\"\nversion = \"0.4.2\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-ctl 0.5.4\"]\n[[package]]\nname = \"tikv-jemalloc-ctl\"\nversion = \"0.5.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.dependencies]\njemalloc_pprof = \"0.6\"\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\n"+tt.global+"\n",
				"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n")
			if tt.lock != "" {
				fsys["Cargo.lock"] = &fstest.MapFile{Data: []byte(tt.lock)}
			}
			r := Scan(wstest.Load(t, fsys))
			if r.Conflict != tt.conflict || len(r.Chains) != 2 {
				t.Errorf("conflict %v, want %v; chains %v, want two", r.Conflict, tt.conflict, r.Chains)
			}
			if diff := cmp.Diff(tt.sys, r.Sys); diff != "" {
				t.Errorf("sys (-want +got):\n%s", diff)
			}
		})
	}
}

// A locked version of a wrapper crate that no entry admits is dropped only
// when nothing else in the lock depends on it: a registry crate that
// still needs it keeps it in the graph.
func TestStaleLockedWrapper(t *testing.T) {
	const pkg = "[[package]]\nname = %q\nversion = %q\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [%s]\n"
	pprof := func(v, ctl string) string {
		return fmt.Sprintf(pkg, "jemalloc_pprof", v, `"tikv-jemalloc-ctl `+ctl+`"`)
	}
	ctl := func(v string) string { return fmt.Sprintf(pkg, "tikv-jemalloc-ctl", v, "") }
	for _, tt := range []struct {
		name   string
		lock   string
		chains int
	}{
		// Two versions locked: 0.4.2 from before the entry moved to 0.6.
		{"two versions", "version = 3\n" + pprof("0.4.2", "0.5.4") + pprof("0.6.0", "0.6.1") + ctl("0.5.4") + ctl("0.6.1"), 2},
		// 0.4.2 is what a registry crate needs: it stays.
		{"needed by a registry crate", "version = 3\n" + pprof("0.4.2", "0.5.4") + ctl("0.5.4") + fmt.Sprintf(pkg, "xprof", "0.1.0", `"jemalloc_pprof"`), 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc_pprof = \"0.6\"\n",
				"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
				"Cargo.lock", tt.lock)
			r := Scan(wstest.Load(t, fsys))
			if !r.Conflict || len(r.Chains) != tt.chains {
				t.Errorf("conflict %v, chains %v; want a conflict and %d chains", r.Conflict, r.Chains, tt.chains)
			}
		})
	}
}

// checkScan scans the workspace fsys and checks the verdict, the count of
// entries that can move and the sys packages.
func checkScan(t *testing.T, fsys fstest.MapFS, conflict bool, movable int, sys []string) {
	t.Helper()
	r := Scan(wstest.Load(t, fsys))
	if r.Conflict != conflict || r.Movable != movable {
		t.Errorf("Scan: conflict %v movable %d, want %v %d", r.Conflict, r.Movable, conflict, movable)
	}
	if diff := cmp.Diff(sys, r.Sys); diff != "" {
		t.Errorf("sys mismatch (-want +got):\n%s", diff)
	}
}

// Without a Cargo.lock, an entry on a crate outside the family that says
// jemalloc in its name, and on a known one at a version jemfix does not
// know, may bring a sys crate scan cannot see: Unseen names them, and not
// the entries it counts (Externals).
func TestUnseenNames(t *testing.T) {
	for _, tt := range []struct{ entry, lock, want string }{
		{entry: `jemalloc-metrics = "0.2"`, want: "ws/a/Cargo.toml:4:1: jemalloc-metrics 0.2, a crate jemfix does not know, may depend on a jemalloc crate"},
		{entry: `stats = { package = "jemalloc_stats", version = "1" }`, want: "ws/a/Cargo.toml:4:1: jemalloc_stats 1, a crate jemfix does not know, may depend on a jemalloc crate"},
		{entry: `jemalloc_pprof = "0.9"`, want: "ws/a/Cargo.toml:4:1: jemalloc_pprof 0.9 depends on tikv-jemalloc-ctl, on a series jemfix does not know for that version"},
		{entry: `jemalloc_pprof = "0.6"`},
		{entry: `tikv-jemallocator-global = "0.5"`},
		{entry: `jemalloc-metrics = "0.2"`, lock: "version = 3\n"},
		{entry: `mimalloc = "0.1"`},
	} {
		fsys := wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n",
			"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\n"+tt.entry+"\n")
		if tt.lock != "" {
			fsys["Cargo.lock"] = &fstest.MapFile{Data: []byte(tt.lock)}
		}
		got := strings.Join(Unseen(wstest.Load(t, fsys)), "\n")
		if got != tt.want {
			t.Errorf("%s (lock %v): Unseen = %q, want %q", tt.entry, tt.lock != "", got, tt.want)
		}
	}
}

// A known crate's fix says which of its versions depend on which series.
func TestWrapperFix(t *testing.T) {
	if got, want := (ExternalUse{Package: "jemalloc_pprof", Member: "a"}).Fix(), "(its versions 0.1–0.4 depend on 0.5, 0.5–0.8 on 0.6)"; !strings.Contains(got, want) {
		t.Errorf("Fix = %q, want it to say %q", got, want)
	}
	if got, want := (ExternalUse{Package: "jemallocator-global", Member: "a"}).Fix(), "replace jemallocator-global with tikv-jemallocator-global"; !strings.HasPrefix(got, want) {
		t.Errorf("Fix = %q, want %q…", got, want)
	}
}
