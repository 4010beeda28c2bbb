package plan

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"jemfix/internal/wstest"
	"jemfix/pkg/textedit"
)

func TestRelPath(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"crates/a", "crates/b", "../b"},
		{"crates/a", "libs/x/y", "../../libs/x/y"},
		{".", "crates/b", "crates/b"},
		{"crates/a", ".", "../.."},
	} {
		if got := relPath(tt.from, tt.to); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestRoleCfg(t *testing.T) {
	for _, tt := range []struct {
		optional bool
		target   string
		want     string
	}{
		{true, `cfg(not(target_env = "msvc"))`, `all(feature = "jemalloc", not(target_env = "msvc"))`},
		{true, "", `feature = "jemalloc"`},
		{false, `cfg(unix)`, `unix`},
		{false, "", ""},
	} {
		if got := roleCfg(tt.optional, tt.target); got != tt.want {
			t.Errorf("roleCfg(%v, %q) = %q, want %q", tt.optional, tt.target, got, tt.want)
		}
	}
}

// The owner has a role wherever one of its entries brings it: the union of
// the entries' cfgs, with what another entry covers left out.
func TestEntriesCfg(t *testing.T) {
	const macos, linux, notLinux = `cfg(target_os = "macos")`, `cfg(target_os = "linux")`, `cfg(not(target_os = "linux"))`
	for _, tt := range []struct {
		optional, always []string
		want             string
	}{
		{[]string{""}, []string{macos}, `any(feature = "jemalloc", target_os = "macos")`},
		{[]string{linux}, []string{macos}, `any(all(feature = "jemalloc", target_os = "linux"), target_os = "macos")`},
		{[]string{macos}, []string{macos}, `target_os = "macos"`},
		{[]string{""}, []string{""}, ""},
		{[]string{macos}, []string{""}, ""},
		{[]string{linux, notLinux}, nil, `feature = "jemalloc"`},
		{nil, []string{linux, notLinux}, ""},
		{nil, []string{macos}, `target_os = "macos"`},
		{[]string{macos}, nil, `all(feature = "jemalloc", target_os = "macos")`},
	} {
		if got := entriesCfg(tt.optional, tt.always); got != tt.want {
			t.Errorf("entriesCfg(%q, %q) = %q, want %q", tt.optional, tt.always, got, tt.want)
		}
	}
}

func TestAllocatorCfg(t *testing.T) {
	const cfg = `all(feature = "jemalloc", not(target_env = "msvc"))`
	const j = "static A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;"
	tests := []struct{ name, src, cfg, want string }{
		{"bare", "#[global_allocator]\n" + j + "\n", cfg,
			"#[cfg(" + cfg + ")]\n#[global_allocator]\n" + j + "\n"},
		{"indented crlf", "mod m {\r\n    #[global_allocator]\r\n    " + j + "\r\n}\r\n", cfg,
			"mod m {\r\n    #[cfg(" + cfg + ")]\r\n    #[global_allocator]\r\n    " + j + "\r\n}\r\n"},
		{"feature cfg kept", "#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\n" + j + "\n", cfg,
			"#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\n" + j + "\n"},
		{"multi-line feature cfg kept", "#[cfg(all(\n    feature = \"alloc\",\n    unix,\n))]\n#[global_allocator]\n" + j + "\n", cfg,
			"#[cfg(all(\n    feature = \"alloc\",\n    unix,\n))]\n#[global_allocator]\n" + j + "\n"},
		{"target cfg kept", "#[cfg(unix)]\n#[global_allocator]\n" + j + "\n", "unix",
			"#[cfg(unix)]\n#[global_allocator]\n" + j + "\n"},
		{"other allocator untouched", "#[global_allocator]\nstatic S: std::alloc::System = std::alloc::System;\n", cfg,
			"#[global_allocator]\nstatic S: std::alloc::System = std::alloc::System;\n"},
		{"no cfg needed", "#[global_allocator]\n" + j + "\n", "", "#[global_allocator]\n" + j + "\n"},
	}
	for _, tt := range tests {
		// The rewrite's edits: the owner's re-export for each allocator path.
		var edits []textedit.Edit
		for off := 0; ; {
			i := strings.Index(tt.src[off:], "tikv_jemallocator::Jemalloc")
			if i < 0 {
				break
			}
			edits = append(edits, textedit.Edit{Start: off + i, End: off + i + len("tikv_jemallocator::Jemalloc"), New: "o::Jemalloc"})
			off += i + 1
		}
		out, err := textedit.Apply([]byte(tt.src), allocatorCfg([]byte(tt.src), tt.cfg, edits, "o"))
		if err != nil || string(out) != tt.want {
			t.Errorf("%s: got %q, %v\nwant %q", tt.name, out, err, tt.want)
		}
	}
}

func TestMergeEdit(t *testing.T) {
	src := []byte(`x = "0.3"`)
	pkg := textedit.Edit{Start: 4, End: 9, New: `{ package = "tikv-x", version = "0.3" }`}
	got := mergeEdit(src, []textedit.Edit{pkg}, textedit.Edit{Start: 4, End: 9, New: `"0.4"`})
	if len(got) != 1 || got[0].New != `{ package = "tikv-x", version = "0.4" }` {
		t.Errorf("mergeEdit = %+v", got)
	}
	apart := mergeEdit(src, []textedit.Edit{{Start: 0, End: 1, New: "y"}}, textedit.Edit{Start: 4, End: 9, New: `"0.4"`})
	if len(apart) != 2 {
		t.Errorf("mergeEdit of disjoint edits = %+v, want both", apart)
	}
}

func TestAfterInnerItems(t *testing.T) {
	src := "//! Docs.\n#![deny(missing_docs)]\n\nuse x;\n"
	if got := afterInnerItems([]byte(src)); !strings.HasPrefix(src[got:], "use x;") {
		t.Errorf("afterInnerItems = %d (%q)", got, src[got:])
	}
}

func TestOption3Refuses(t *testing.T) {
	fsys := files(
		"Cargo.toml", wstest.VirtualRoot,
		"crates/a/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"crates/a/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"crates/b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"crates/b/src/lib.rs", "pub use jemalloc_ctl::epoch;\n",
	)
	_, err := Option3(load(t, fsys), Options{})
	if err == nil || !strings.Contains(err.Error(), "--into=CRATE") {
		t.Errorf("no shared library: err = %v", err)
	}
	_, err = Option3(load(t, fsys), Options{Into: "a"})
	if err == nil || !strings.Contains(err.Error(), "not a library member") {
		t.Errorf("--into a binary: err = %v", err)
	}
	if _, err = Option3(load(t, fsys), Options{Into: "nosuch"}); err == nil || !strings.Contains(err.Error(), "--into=nosuch: no member of the workspace has that name") {
		t.Errorf("--into an unknown name: err = %v", err)
	}
	ws := load(t, fsys)
	p, err := Option3(ws, Options{Into: "b"})
	if err != nil {
		t.Fatalf("--into=b: %v", err)
	}
	if err := p.LoadAll(ws); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range p.Changes {
		got[c.Path] = string(c.New)
	}
	if !strings.Contains(got["crates/a/Cargo.toml"], `b = { path = "../b", features = ["jemalloc"] }`) ||
		!strings.Contains(got["crates/a/src/main.rs"], "static A: b::Jemalloc = b::Jemalloc;") {
		t.Errorf("--into=b changes:\n%s\n%s", got["crates/a/Cargo.toml"], got["crates/a/src/main.rs"])
	}
}

// The owner's entries enable the crate features the dropped entries did,
// their own and inherited ones (an inherited entry has its own): the code that named the crate now names
// the owner's re-export, and needs them (tikv-jemalloc-ctl 0.6 gates stats).
func TestOption3KeepsCrateFeatures(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"metrics\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"stats\"] }\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nmetrics = { path = \"../metrics\" }\ntikv-jemallocator = { version = \"0.6\", features = [\"profiling\"] }\ntikv-jemalloc-ctl = { workspace = true }\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() { tikv_jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"metrics/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"metrics\"\n[dependencies]\njemallocator = \"0.5\"\n",
		"metrics/src/lib.rs", "pub fn touch() -> jemallocator::Jemalloc { jemallocator::Jemalloc }\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	owner := got["metrics/Cargo.toml"]
	for _, want := range []string{
		`tikv-jemallocator = { version = "0.6", features = ["profiling"] }`,
		// the workspace's entry enables stats already
		`tikv-jemalloc-ctl = { workspace = true, optional = true }`,
	} {
		if !strings.Contains(owner, want) {
			t.Errorf("owner manifest lacks %s:\n%s", want, owner)
		}
	}
}

// A member that uses jemalloc always cannot reach it through an optional
// dependency on the owner: option 3 refuses, naming that entry.
func TestOption3OptionalOwnerDependency(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"prof\", \"srv\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nprof = { path = \"../prof\" }\nsrv = { path = \"../srv\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"prof/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"prof\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"prof/src/lib.rs", "pub fn f() { tikv_jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"srv/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"srv\"\n[dependencies]\nprof = { path = \"../prof\", optional = true }\njemalloc-ctl = \"0.5\"\n[features]\nmem-prof = [\"dep:prof\"]\n",
		"srv/src/lib.rs", "pub fn g() -> usize { jemalloc_ctl::stats::resident::read().unwrap() }\n")
	_, err := Option3(load(t, fsys), Options{Into: "prof"})
	if err == nil || !strings.Contains(err.Error(), "srv uses jemalloc always, but depends on prof only optionally (ws/srv/Cargo.toml:5:1)") {
		t.Errorf("err = %v, want a refusal naming srv's optional entry", err)
	}
}

// The owner is chosen among the libraries that can take jemalloc: not a
// cargo-hakari workspace-hack package, and first one whose library declares
// the allocator itself. A dev-dependency of the owner gives its library
// nothing, so the owner gets a dependency of its own.
func TestOption3Owner(t *testing.T) {
	base := []string{
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"alloc\", \"hack\", \"stats\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nmy-alloc = { path = \"../alloc\" }\nhack = { path = \"../hack\" }\nstats = { path = \"../stats\" }\n",
		"app/src/main.rs", "fn main() { stats::f(); }\n",
		"hack/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"hack\"\n### BEGIN HAKARI SECTION\n[dependencies]\nlibc = \"0.2\"\n### END HAKARI SECTION\n",
		"hack/src/lib.rs", "\n",
		"stats/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"stats\"\n[dependencies]\nmy-alloc = { path = \"../alloc\" }\njemalloc-ctl = \"0.5\"\n",
		"stats/src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
	}
	alloc := func(deps string) []string {
		return append(slices.Clone(base),
			"alloc/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"my-alloc\"\n"+deps,
			"alloc/src/lib.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n")
	}
	ws := load(t, files(alloc("[dependencies]\ntikv-jemallocator = \"0.5\"\n")...))
	p, err := Option3(ws, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if why := strings.Join(p.Why, "\n"); !strings.Contains(why, "owner my-alloc:") {
		t.Errorf("owner: why %q, want my-alloc, the library that declares the allocator", why)
	}
	// A dev-dependency of the owner gives its library nothing.
	got, _ := applyWith(t, files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"stats\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nstats = { path = \"../stats\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"stats/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"stats\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n[dev-dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"stats/src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n"), Option3, Options{Into: "stats"})
	if owner := got["stats/Cargo.toml"]; !strings.Contains(owner, "[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\ntikv-jemallocator = { version = \"0.5\", optional = true }\n") {
		t.Errorf("owner with the allocator as a dev-dependency only:\n%s", owner)
	}
	if _, err := Option3(load(t, files(alloc("[dependencies]\ntikv-jemallocator = \"0.5\"\n")...)), Options{Into: "hack"}); err == nil {
		t.Errorf("--into=hack: a workspace-hack package was accepted as owner")
	}
	// A library at the path [lib] names owns it too, its re-exports there.
	got, _ = applyWith(t, files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"stats\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nstats = { path = \"../stats\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"stats/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"stats\"\n[lib]\npath = \"lib.rs\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"stats/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n"), Option3, Options{Into: "stats"})
	if lib := got["stats/lib.rs"]; !strings.Contains(lib, "pub use tikv_jemallocator::{self as jemallocator, Jemalloc};") {
		t.Errorf("owner with [lib] path: lib.rs\n%s", lib)
	}
}

// A package whose binary declares the allocator may own jemalloc when no
// other library is shared: its binaries depend on its library. Any other
// library that every such binary depends on comes first.
func TestOption3OwnerWithBinary(t *testing.T) {
	base := []string{
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"tool\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"app/src/lib.rs", "pub fn run() {}\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() { app::run(); }\n",
		"tool/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"tool\"\n[dependencies]\njemalloc-ctl = \"0.3\"\n",
		"tool/src/lib.rs", "pub fn stats() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
	}
	got, p := applyWith(t, files(base...), Option3, Options{})
	if why := strings.Join(p.Why, "\n"); !strings.Contains(why, "owner app:") {
		t.Errorf("owner: why %q, want app", why)
	}
	if !strings.Contains(got["tool/Cargo.toml"], `app = { path = "../app", features = ["jemalloc"] }`) ||
		!strings.Contains(got["app/Cargo.toml"], "tikv-jemallocator = \"0.5\"\n") {
		t.Errorf("changes:\n%s\n%s", got["tool/Cargo.toml"], got["app/Cargo.toml"])
	}
	// With a library that app depends on, that library owns jemalloc.
	shared := slices.Clone(base)
	shared[3] += "tool = { path = \"../tool\" }\n"
	_, p = applyWith(t, files(shared...), Option3, Options{})
	if why := strings.Join(p.Why, "\n"); !strings.Contains(why, "owner tool:") {
		t.Errorf("owner: why %q, want tool", why)
	}
}

// A member's feature that turned on a crate feature of a dropped entry
// turns it on through an owner feature that forwards it. A weak reference,
// or a name the owner uses already, is not forwarded, and is noted.
func TestOption3ForwardsFeatures(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nlib = { path = \"../lib\" }\ntikv-jemallocator = \"0.5\"\njemalloc-ctl = { version = \"0.5\", optional = true }\n"+
			"[features]\nprofiling = [\"tikv-jemallocator/profiling\", \"jemalloc-ctl?/use_std\"]\ndebug = [\"tikv-jemallocator/debug\"]\nheap = [\"tikv-jemallocator/profiling\"]\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n[dependencies]\njemalloc-ctl = \"0.3\"\n[features]\njemalloc-debug = []\n",
		"lib/src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, p := applyWith(t, fsys, Option3, Options{})
	for _, want := range []string{
		`profiling = ["lib/jemalloc-profiling"]`, // the weak reference goes: it turned nothing on by itself
		`debug = ["lib/jemalloc"]`,
		`heap = ["lib/jemalloc-profiling"]`,
	} {
		if !strings.Contains(got["app/Cargo.toml"], want) {
			t.Errorf("app lacks %s:\n%s", want, got["app/Cargo.toml"])
		}
	}
	if want := `jemalloc-profiling = ["jemalloc", "tikv-jemallocator/profiling"]`; !strings.Contains(got["lib/Cargo.toml"], want) || strings.Count(got["lib/Cargo.toml"], "jemalloc-profiling") != 1 {
		t.Errorf("owner lacks %s once:\n%s", want, got["lib/Cargo.toml"])
	}
	var notes []string
	for _, s := range p.Skipped {
		notes = append(notes, s.At.String()+": "+s.Reason)
	}
	for _, want := range []string{`app/Cargo.toml:9:45: profiling enabled "use_std"`, `app/Cargo.toml:10:10: debug enabled "debug"`} {
		if !strings.Contains(strings.Join(notes, "\n"), want) {
			t.Errorf("notes lack %s:\n%s", want, strings.Join(notes, "\n"))
		}
	}
}

// A weak reference from a feature that turns its entry on itself, or
// through another feature, is as good as a strong one, and is forwarded.
func TestOption3ForwardsWeakFromTheEnablingFeature(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nlib = { path = \"../lib\" }\ntikv-jemallocator = { version = \"0.5\", optional = true }\n"+
			"[features]\njemalloc = [\"dep:tikv-jemallocator\", \"tikv-jemallocator?/stats\"]\nprof = [\"jemalloc\", \"tikv-jemallocator?/profiling\"]\n",
		"app/src/main.rs", "#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"lib/src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	for _, want := range []string{`jemalloc = ["lib/jemalloc", "lib/jemalloc-stats"]`, `prof = ["jemalloc", "lib/jemalloc-profiling"]`} {
		if !strings.Contains(got["app/Cargo.toml"], want) {
			t.Errorf("app lacks %s:\n%s", want, got["app/Cargo.toml"])
		}
	}
	for _, want := range []string{`jemalloc-profiling = ["jemalloc", "tikv-jemallocator/profiling"]`, `jemalloc-stats = ["jemalloc", "tikv-jemallocator/stats"]`} {
		if !strings.Contains(got["lib/Cargo.toml"], want) {
			t.Errorf("owner lacks %s:\n%s", want, got["lib/Cargo.toml"])
		}
	}
}

// A crate feature reference "key/x" of an optional entry turned the
// package's implicit feature key on too: once the feature is kept, it is
// listed beside the forward.
func TestOption3ForwardKeepsImpliedFeature(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nlib = { path = \"../lib\" }\njemallocator = { version = \"0.5\", optional = true }\n"+
			"[features]\ndefault = [\"jemallocator/profiling\"]\n",
		"app/src/main.rs", "#[cfg(feature = \"jemallocator\")]\n#[global_allocator]\nstatic G: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"lib/src/lib.rs", "pub fn f() { tikv_jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	wantIn(t, got, "app/Cargo.toml", `default = ["jemallocator", "lib/jemalloc-profiling"]`, `jemallocator = ["lib/jemalloc"]`)
}

// An owner with [features] and no [dependencies]: the new table goes
// after [package], and the feature into [features].
func TestOption3OwnerWithoutDependencies(t *testing.T) {
	got, _ := applyWith(t, files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"old\", \"own\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"old/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"old\"\n[dependencies]\nown = { path = \"../own\" }\njemallocator = \"0.3\"\n",
		"old/src/main.rs", "#[global_allocator]\nstatic G: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n\n[features]\nextra = []\n",
		"own/src/lib.rs", "pub fn f() {}\n"), Option3, Options{})
	want := "[package]\nedition = \"2021\"\nname = \"own\"\n\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n\n[features]\nextra = []\njemalloc = [\"tikv-jemallocator\"]\n"
	if got["own/Cargo.toml"] != want {
		t.Errorf("owner manifest:\n%s\nwant\n%s", got["own/Cargo.toml"], want)
	}
}

// A crate feature that members enabled only in target tables comes on
// wherever the owner's jemalloc feature is: the plan says so.
func TestOption3WidenedFeatures(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"tool\", \"own\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\n"+
			"[target.'cfg(target_os = \"linux\")'.dependencies]\ntikv-jemallocator = { version = \"0.5\", features = [\"background_threads\"] }\n",
		"app/src/main.rs", "#[cfg(target_os = \"linux\")]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"tool/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"tool\"\n[dependencies]\nown = { path = \"../own\" }\njemallocator = { version = \"0.5\", features = [\"profiling\"] }\n",
		"tool/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n",
		"own/src/lib.rs", "\n")
	_, p := applyWith(t, fsys, Option3, Options{})
	why := strings.Join(p.Why, "\n")
	if !strings.Contains(why, `owner own: tikv-jemallocator's "background_threads" is now on wherever own's jemalloc feature is; before, only app under cfg(target_os = "linux") enabled it`) {
		t.Errorf("no note on background_threads:\n%s", why)
	}
	if strings.Contains(why, `"profiling" is now on`) {
		t.Errorf("profiling was on every target already:\n%s", why)
	}
}

// An owner feature that forwards the crate feature already is used as it
// is: no second one, and the member's feature names it.
func TestOption3ReusesForward(t *testing.T) {
	got, _ := applyWith(t, files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"own\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\njemallocator = \"0.5\"\n[features]\nprofiling = [\"jemallocator/profiling\"]\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\njemalloc-profiling = [\"tikv-jemallocator/profiling\"]\n",
		"own/src/lib.rs", "\n"), Option3, Options{Into: "own"})
	if want := `profiling = ["own/jemalloc-profiling"]`; !strings.Contains(got["app/Cargo.toml"], want) {
		t.Errorf("app lacks %s:\n%s", want, got["app/Cargo.toml"])
	}
	if n := strings.Count(got["own/Cargo.toml"], "jemalloc-profiling ="); n != 1 {
		t.Errorf("owner has %d jemalloc-profiling features:\n%s", n, got["own/Cargo.toml"])
	}
}

func TestUnionTarget(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{[]string{`cfg(unix)`}, `cfg(unix)`},
		{[]string{`cfg(target_os = "linux")`, `cfg(not(target_os = "linux"))`}, ""},
		{[]string{`cfg(unix)`, `cfg(windows)`}, `cfg(any(unix, windows))`},
		{[]string{`cfg(unix)`, ""}, ""},
		{[]string{`x86_64-unknown-linux-gnu`}, ""},
	} {
		if got := unionTarget(tt.in); got != tt.want {
			t.Errorf("unionTarget(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Option 3 refuses an owner that cannot serve every member: its allocator
// entry exists on fewer targets than a member used it on, its library
// declares an allocator that another member's would meet, or it is a
// proc-macro crate. A second new entry for a missing target table goes
// into the table the first one creates.
func TestOption3Refusals(t *testing.T) {
	app := []string{
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"own\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\njemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
	}
	for _, tt := range []struct {
		name, manifest, lib, want string
	}{
		{"narrow target", "[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = \"0.5\"\n", "\n",
			"own has tikv-jemallocator only under cfg(unix), but app uses it on every target"},
		{"library allocator", "[dependencies]\ntikv-jemallocator = \"0.5\"\n", "#[global_allocator]\nstatic B: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
			"own's library declares a #[global_allocator], and so does app"},
		// cfg_attr declares one too, where its predicate holds.
		{"library allocator under cfg_attr", "[dependencies]\ntikv-jemallocator = \"0.5\"\n", "#[cfg_attr(not(miri), global_allocator)]\nstatic B: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
			"own's library declares a #[global_allocator], and so does app"},
		{"owner in a target-triple table", "[target.aarch64-unknown-linux-gnu.dependencies]\ntikv-jemallocator = \"0.5\"\n", "\n",
			"own has tikv-jemallocator only in [target.aarch64-unknown-linux-gnu] tables, a target triple"},
		{"proc-macro", "[lib]\nproc-macro = true\n[dependencies]\ntikv-jemallocator = \"0.5\"\n", "\n",
			"not a library member of the workspace"},
		// A bench of a member that gets the owner links the owner's
		// library, and its allocator with it.
		{"bench allocator", "[dependencies]\ntikv-jemallocator = \"0.5\"\n", "#[global_allocator]\nstatic B: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
			"own's library declares a #[global_allocator], and so does sk's benches/b.rs"},
	} {
		if tt.name == "bench allocator" {
			fsys := files("Cargo.toml", "[workspace]\nmembers = [\"sk\", \"own\"]\n",
				"sk/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"sk\"\n[dev-dependencies]\njemallocator = \"0.5\"\n",
				"sk/src/lib.rs", "\n",
				"sk/benches/b.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
				"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n"+tt.manifest, "own/src/lib.rs", tt.lib)
			if _, err := Option3(load(t, fsys), Options{Into: "own"}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
			}
			continue
		}
		fsys := files(append(slices.Clone(app), "own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n"+tt.manifest, "own/src/lib.rs", tt.lib)...)
		if _, err := Option3(load(t, fsys), Options{Into: "own"}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if tt.name == "library allocator" {
			// Chosen by jemfix, the library is passed over, and the error says why.
			if _, err := Option3(load(t, fsys), Options{}); err == nil || !strings.Contains(err.Error(), "(own's library declares a #[global_allocator], and so does app)") {
				t.Errorf("%s, no --into: err = %v", tt.name, err)
			}
		}
	}
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"own\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\n[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n",
		"app/src/main.rs", "#[cfg(unix)]\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n",
		"own/src/lib.rs", "\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "own"})
	want := "[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\ntikv-jemalloc-ctl = { version = \"0.5\", optional = true }\n"
	if !strings.Contains(got["own/Cargo.toml"], want) || strings.Count(got["own/Cargo.toml"], "[target.") != 1 {
		t.Errorf("owner's new target table:\n%s", got["own/Cargo.toml"])
	}
	// A member with jemalloc in two target tables gets the owner's feature
	// in one table that joins their cfgs; with a target triple among them,
	// or in one table as a table of its own, it cannot, and is refused.
	member := func(tables string) fstest.MapFS {
		return files(
			"Cargo.toml", "[workspace]\nmembers = [\"app\", \"own\"]\n",
			"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nown = { path = \"../own\" }\n"+tables,
			"app/src/main.rs", "#[cfg(unix)]\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
			"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\n[dependencies]\njemalloc-ctl = \"0.3\"\n",
			"own/src/lib.rs", "\n")
	}
	got, _ = applyWith(t, member("[target.'cfg(target_os = \"linux\")'.dependencies]\njemallocator = \"0.5\"\n# macOS\n[target.'cfg(target_os = \"macos\")'.dependencies]\njemallocator = \"0.5\"\n"), Option3, Options{Into: "own"})
	if want := "[dependencies]\nown = { path = \"../own\" }\n\n[target.'cfg(any(target_os = \"linux\", target_os = \"macos\"))'.dependencies]\nown = { path = \"../own\", features = [\"jemalloc\"] }\n"; !strings.HasSuffix(got["app/Cargo.toml"], want) {
		t.Errorf("two target tables:\n%s\nwant it to end with\n%s", got["app/Cargo.toml"], want)
	}
	for name, tables := range map[string]string{
		"a target triple": "[target.'cfg(target_os = \"linux\")'.dependencies]\njemallocator = \"0.5\"\n[target.x86_64-apple-darwin.dependencies]\njemallocator = \"0.5\"\n",
		"sub-table":       "[target.'cfg(unix)'.dependencies.jemallocator]\nversion = \"0.5\"\n",
	} {
		if _, err := Option3(load(t, member(tables)), Options{Into: "own"}); err == nil || !strings.Contains(err.Error(), "app has jemalloc only on some targets ([target.") {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
	}
}

// An owner whose entry lies under a cfg wider than a member's (any(macos,
// linux) against linux) covers that member: Option 3 goes ahead.
func TestOption3OwnerTargetCoversMember(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"obs\"]\n",
		"obs/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"obs\"\n[target.'cfg(any(target_os = \"macos\", target_os = \"linux\"))'.dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
		"obs/src/lib.rs", "pub fn hi() {}\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nobs = { path = \"../obs\" }\n[target.'cfg(target_os = \"linux\")'.dependencies]\ntikv-jemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n",
		"app/src/main.rs", "#[cfg(target_os = \"linux\")]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "obs"})
	if want := "[target.'cfg(target_os = \"linux\")'.dependencies]\nobs = { path = \"../obs\", features = [\"jemalloc\"] }\n"; !strings.HasSuffix(got["app/Cargo.toml"], want) {
		t.Errorf("app manifest:\n%s\nwant it to end with\n%s", got["app/Cargo.toml"], want)
	}
}

// A new owner entry exists wherever a member used the crate: under the
// union of their target tables, not the first member's.
func TestOption3NewEntryTarget(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"core\", \"a\", \"b\"]\n",
		"core/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"core\"\n",
		"core/src/lib.rs", "pub fn hi() {}\n",
		"a/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"a\"\n[dependencies]\ncore = { path = \"../core\" }\n[target.'cfg(all(unix, not(target_os = \"linux\")))'.dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"a/src/main.rs", "#[cfg(all(unix, not(target_os = \"linux\")))]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\ncore = { path = \"../core\" }\n[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\n",
		"b/src/main.rs", "#[cfg(unix)]\n#[global_allocator]\nstatic B: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	want := "[target.'cfg(any(all(unix, not(target_os = \"linux\")), unix))'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n"
	if !strings.Contains(got["core/Cargo.toml"], want) {
		t.Errorf("owner manifest:\n%s\nwant %s", got["core/Cargo.toml"], want)
	}
}

// The owner's new entry inherits the workspace's entry of the same crate
// and series, as the members' entries it replaces did; another series, or
// no such entry, gets a version.
func TestOption3NewEntryInherits(t *testing.T) {
	for _, tt := range []struct {
		wsDep, want string
	}{
		{"tikv-jemallocator = \"0.5.4\"", "tikv-jemallocator = { workspace = true, optional = true }\n"},
		{"tikv-jemallocator = { version = \"0.4\", features = [\"profiling\"] }", "tikv-jemallocator = { version = \"0.5\", optional = true }\n"},
		{"jemallocator = \"0.5\"", "tikv-jemallocator = { version = \"0.5\", optional = true }\n"},
	} {
		fsys := files(
			"Cargo.toml", "[workspace]\nmembers = [\"core\", \"a\", \"b\"]\n[workspace.dependencies]\n"+tt.wsDep+"\n",
			"core/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"core\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
			"core/src/lib.rs", "pub fn hi() {}\n",
			"a/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"a\"\n[dependencies]\ncore = { path = \"../core\" }\ntikv-jemallocator = \"0.5\"\n",
			"a/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
			"b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\ncore = { path = \"../core\" }\n")
		got, _ := applyWith(t, fsys, Option3, Options{})
		if !strings.Contains(got["core/Cargo.toml"], tt.want) {
			t.Errorf("workspace entry %s: owner manifest:\n%s\nwant %s", tt.wsDep, got["core/Cargo.toml"], tt.want)
		}
	}
}

// The owner's own entry gets its features in one edit: those of the
// dropped entries and stats when its move crosses into 0.6, each once.
// Two edits wrote `features` twice, and the manifest did not parse.
func TestOption3OwnerFeaturesOnce(t *testing.T) {
	for _, own := range []string{`{ version = "0.5", optional = true }`, `{ version = "0.5", optional = true, features = ["use_std"] }`} {
		fsys := files(
			"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
			"a/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = "+own+"\n[features]\njemalloc = [\"tikv-jemalloc-ctl\"]\n",
			"a/src/lib.rs", "pub fn hi() {}\n",
			"b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\na = { path = \"../a\" }\ntikv-jemallocator = \"0.6\"\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"use_std\", \"stats\"] }\n",
			"b/src/main.rs", "#[global_allocator]\nstatic B: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n")
		got, _ := applyWith(t, fsys, Option3, Options{})
		want := `tikv-jemalloc-ctl = { version = "0.6", optional = true, features = ["use_std", "stats"] }`
		if !strings.Contains(got["a/Cargo.toml"], want) {
			t.Errorf("owner entry %s: owner manifest:\n%s\nwant %s", own, got["a/Cargo.toml"], want)
		}
	}
}

// A member whose jemalloc entries were all dev-dependencies (a bench's
// allocator) enables the owner's feature in a dev-dependency: its library
// does not pull jemalloc into its dependents. A dependency on the owner
// inherits the workspace's entry when there is one, and writes the owner's
// version where the member's path dependencies do.
func TestOption3OwnerDependencyForms(t *testing.T) {
	for _, tt := range []struct {
		name, root, sk, want string
	}{
		{
			name: "dev-only, normal dependency on the owner",
			sk:   "[dependencies]\nown = { path = \"../own\" }\n\n[dev-dependencies]\njemallocator = \"0.5\"\n",
			want: "[dependencies]\nown = { path = \"../own\" }\n\n[dev-dependencies]\nown = { path = \"../own\", features = [\"jemalloc\"] }\n",
		},
		{
			name: "dev-only, dev-dependency on the owner",
			sk:   "[dev-dependencies]\nown = { path = \"../own\" }\njemallocator = \"0.5\"\n",
			want: "[dev-dependencies]\nown = { path = \"../own\", features = [\"jemalloc\"] }\n",
		},
		{
			name: "inherited owner",
			root: "[workspace.dependencies]\nown = { path = \"own\" }\n",
			sk:   "[dependencies]\njemallocator = \"0.5\"\n",
			want: "[dependencies]\nown = { workspace = true, features = [\"jemalloc\"] }\n",
		},
		{
			// cargo would turn the owner's default features on for sk.
			name: "a normal dependency on the owner without its default features",
			sk:   "[dependencies]\nown = { path = \"../own\", default-features = false }\n\n[dev-dependencies]\njemallocator = \"0.5\"\n",
			want: "[dev-dependencies]\nown = { path = \"../own\", default-features = false, features = [\"jemalloc\"] }\n",
		},
		{
			name: "an inherited owner whose defaults the member turns off",
			root: "[workspace.dependencies]\nown = { path = \"own\", default-features = false }\n",
			sk:   "[dependencies]\nown = { workspace = true }\n\n[dev-dependencies]\njemallocator = \"0.5\"\n",
			want: "[dev-dependencies]\nown = { workspace = true, features = [\"jemalloc\"] }\n",
		},
		{
			// An inheriting entry cannot turn off what the workspace's
			// entry leaves on.
			name: "an inherited owner with its defaults on, the member's off",
			root: "[workspace.dependencies]\nown = { path = \"own\" }\n",
			sk:   "[dependencies]\nown = { path = \"../own\", default-features = false }\n\n[dev-dependencies]\njemallocator = \"0.5\"\n",
			want: "[dev-dependencies]\nown = { path = \"../own\", default-features = false, features = [\"jemalloc\"] }\n",
		},
		{
			name: "versioned path dependencies",
			sk:   "[dependencies]\nutil = { path = \"../util\", version = \"0.1\" }\njemallocator = \"0.5\"\n",
			want: "util = { path = \"../util\", version = \"0.1\" }\nown = { path = \"../own\", version = \"0.3.0\", features = [\"jemalloc\"] }\n",
		},
	} {
		fsys := files("Cargo.toml", "[workspace]\nmembers = [\"sk\", \"own\", \"util\"]\n"+tt.root,
			"sk/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"sk\"\n"+tt.sk,
			"sk/src/lib.rs", "\n",
			"sk/benches/b.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
			"util/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"util\"\nversion = \"0.1.0\"\n",
			"util/src/lib.rs", "\n",
			"own/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"own\"\nversion = \"0.3.0\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
			"own/src/lib.rs", "\n")
		got, _ := applyWith(t, fsys, Option3, Options{Into: "own"})
		if !strings.Contains(got["sk/Cargo.toml"], tt.want) {
			t.Errorf("%s: sk/Cargo.toml:\n%s\nwant %s", tt.name, got["sk/Cargo.toml"], tt.want)
		}
		if strings.Contains(got["sk/benches/b.rs"], "jemallocator::") || !strings.Contains(got["sk/benches/b.rs"], "own::Jemalloc") {
			t.Errorf("%s: bench:\n%s", tt.name, got["sk/benches/b.rs"])
		}
	}
}

// A plain `extern crate` of a dropped crate goes, with its one-line outer
// attributes; an alias, a `pub` re-export, a doc comment or an attribute
// over several lines is reported instead, and so is any in edition 2015.
func TestPlainExternCrate(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"#![allow(unused)]\nextern crate jemallocator;\nfn main() {}\n", "#![allow(unused)]\nfn main() {}\n"},
		{"use std::fmt;\n#[cfg(unix)]\n#[macro_use]\nextern  crate jemallocator ;\nfn main() {}\n", "use std::fmt;\nfn main() {}\n"},
		{"extern crate jemallocator;", ""},
		{"extern crate jemallocator;\n\nfn main() {}\n", "fn main() {}\n"},
		{"use a;\n\nextern crate jemallocator;\n\nfn main() {}\n", "use a;\n\nfn main() {}\n"},
		{"use a;\nextern crate jemallocator;\n\nfn main() {}\n", "use a;\n\nfn main() {}\n"},
		{"extern crate jemallocator as j;\n", "!"},
		{"pub extern crate jemallocator;\n", "!"},
		{"/// The allocator.\nextern crate jemallocator;\n", "!"},
		{"#[cfg(all(\n    unix,\n))]\nextern crate jemallocator;\n", "!"},
		{"extern crate jemallocator; // used below\n", "!"},
	} {
		start := strings.Index(tt.src, "jemallocator")
		e, ok := plainExternCrate([]byte(tt.src), start, start+len("jemallocator"))
		got := "!"
		if ok {
			got = tt.src[:e.Start] + e.New + tt.src[e.End:]
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.src, got, tt.want)
		}
	}
}

// Where the members' entries sat says where they get the owner with
// jemalloc: a build-dependency for a build script, the member's own target
// table for an entry that was only there (jemalloc stays off elsewhere,
// MSVC included), in place of that entry's line.
func TestOption3OwnerDependencyTables(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"base\", \"gen\", \"unixd\", \"all\"]\n",
		"base/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"base\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"base/src/lib.rs", "pub fn n() {}\n",
		"gen/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"gen\"\n[dependencies]\nbase = { path = \"../base\" }\n[build-dependencies]\njemallocator = \"0.5\"\n",
		"gen/build.rs", "fn main() { let _ = jemallocator::Jemalloc; }\n",
		"gen/src/lib.rs", "\n",
		"unixd/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"unixd\"\n[dependencies]\nbase = { path = \"../base\" }\n\n# not on MSVC\n[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = \"0.5\" # the allocator\n",
		"unixd/src/main.rs", "#[cfg(not(target_env = \"msvc\"))]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"all/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"all\"\n[dependencies]\nbase = { path = \"../base\" }\ntikv-jemallocator = \"0.5\"\n",
		"all/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"dot/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"dot\"\n[target.'cfg(unix)'.dependencies]\njemallocator.version = \"0.5\"\n",
		"dot/src/main.rs", "#[cfg(unix)]\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n")
	fsys["Cargo.toml"].Data = []byte("[workspace]\nmembers = [\"base\", \"gen\", \"unixd\", \"all\", \"dot\"]\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "base"})
	for file, want := range map[string]string{
		"gen/Cargo.toml":   "[dependencies]\nbase = { path = \"../base\" }\n[build-dependencies]\nbase = { path = \"../base\", features = [\"jemalloc\"] }\n",
		"gen/build.rs":     "base::Jemalloc",
		"unixd/Cargo.toml": "[dependencies]\nbase = { path = \"../base\" }\n\n# not on MSVC\n[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\nbase = { path = \"../base\", features = [\"jemalloc\"] } # the allocator\n",
		"all/Cargo.toml":   "[dependencies]\nbase = { path = \"../base\", features = [\"jemalloc\"] }\n",
		"dot/Cargo.toml":   "[target.'cfg(unix)'.dependencies]\nbase = { path = \"../base\", features = [\"jemalloc\"] }\n",
	} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s:\n%s\nwant %s", file, got[file], want)
		}
	}
}

// Edition 2015 crates need `extern crate` lines option 3 does not write,
// and an aliased `extern crate` of a dropped crate is not rewritten:
// option 3 refuses both. An owner's own plain `extern crate` of a crate it
// re-exports goes (rustc refuses to re-export a private extern crate).
func TestOption3ExternCrates(t *testing.T) {
	shape := func(edition, member, owner string) fstest.MapFS {
		return files(
			"Cargo.toml", "[workspace]\nmembers = [\"app\", \"own\"]\n",
			"app/Cargo.toml", "[package]\nname = \"app\"\n"+edition+"[dependencies]\nown = { path = \"../own\" }\njemallocator = \"0.5\"\n",
			"app/src/main.rs", member+"#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
			"own/Cargo.toml", "[package]\nname = \"own\"\nedition = \"2021\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
			"own/src/lib.rs", owner+"pub fn n() -> u64 { tikv_jemalloc_ctl::epoch::advance().unwrap() }\n")
	}
	if _, err := Option3(load(t, shape("", "", "")), Options{}); err == nil || !strings.Contains(err.Error(), "app is on edition 2015") {
		t.Errorf("edition 2015: err = %v", err)
	}
	if _, err := Option3(load(t, shape("edition = \"2021\"\n", "extern crate jemallocator as jem;\n", "")), Options{}); err == nil ||
		!strings.Contains(err.Error(), "ws/app/src/main.rs:1:14: `extern crate jemallocator` with an alias") {
		t.Errorf("aliased extern crate: err = %v", err)
	}
	got, _ := applyWith(t, shape("edition = \"2021\"\n", "", "extern crate tikv_jemalloc_ctl;\n\n"), Option3, Options{})
	if lib := got["own/src/lib.rs"]; strings.Contains(lib, "extern crate") || !strings.Contains(lib, "pub use tikv_jemalloc_ctl as jemalloc_ctl;") {
		t.Errorf("owner lib.rs:\n%s", lib)
	}
}

// A workspace entry that a member inherits moves to the plan's series with
// the rest: the owner's new entry inherits it too.
func TestOption3NewEntryInheritsMoved(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"core\", \"a\", \"b\"]\n[workspace.dependencies]\ntikv-jemallocator = \"0.4\"\n",
		"core/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"core\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"core/src/lib.rs", "pub fn hi() {}\n",
		"a/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"a\"\n[dependencies]\ncore = { path = \"../core\" }\ntikv-jemallocator.workspace = true\n",
		"a/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\ncore = { path = \"../core\" }\n")
	got, p := applyWith(t, fsys, Option3, Options{})
	if want := "tikv-jemallocator = { workspace = true, optional = true }\n"; p.Series != "0.5" || !strings.Contains(got["core/Cargo.toml"], want) || !strings.Contains(got["Cargo.toml"], "tikv-jemallocator = \"0.5\"") {
		t.Errorf("series %s; owner manifest:\n%s\nroot:\n%s\nwant %s", p.Series, got["core/Cargo.toml"], got["Cargo.toml"], want)
	}
}

func TestImportsCrateName(t *testing.T) {
	for src, want := range map[string]bool{
		"use tikv_jemalloc_ctl::{self, epoch};\n":        true,
		"use tikv_jemalloc_ctl;\n":                       true,
		"use ::tikv_jemalloc_ctl::{epoch, self as c};\n": true,
		"use tikv_jemalloc_ctl::{epoch, stats};\n":       false,
		"use tikv_jemalloc_ctl::epoch;\n":                false,
		"use my_tikv_jemalloc_ctl;\n":                    false,
	} {
		if got := importsCrateName([]byte(src), "tikv_jemalloc_ctl"); got != want {
			t.Errorf("importsCrateName(%q) = %v, want %v", src, got, want)
		}
	}
}

// rootBinding finds a root item that binds a re-export name, and the cfg
// of the attributes above it.
func TestRootBinding(t *testing.T) {
	for src, want := range map[string]string{
		"pub use jemalloc_ctl;\n": "bound ",
		"#[cfg(feature = \"x\")]\npub use tikv_jemalloc_ctl as jemalloc_ctl;\n":                             "bound feature = \"x\"",
		"#[cfg(unix)]\n#[doc(hidden)]\r\n#[cfg(feature = \"x\")]\npub use jemalloc_ctl;\n":                  "bound all(unix, feature = \"x\")",
		"#[cfg(any(\n    feature = \"a\", // the first\n    feature = \"b\",\n))]\npub use jemalloc_ctl;\n": "bound any(feature = \"a\", feature = \"b\")",
		"#[cfg_attr(docsrs, doc(cfg(feature = \"x\")))]\npub use jemalloc_ctl;\n":                           "bound ",
		"#[cfg_attr(unix, cfg(feature = \"x\"))]\npub use jemalloc_ctl;\n":                                  "bound any(not(unix), feature = \"x\")",
		"#[cfg(feature = \"x\")] pub use jemalloc_ctl;\n":                                                   "bound feature = \"x\"",
		"pub(crate) extern crate jemalloc_ctl;\n":                                                           "",
		"use tikv_jemalloc_ctl as jemalloc_ctl;\n":                                                          "",
		"pub(crate) use jemalloc_ctl;\n":                                                                    "",
		"// pub use jemalloc_ctl;\n":                                                                        "",
		"mod m {\n    pub use jemalloc_ctl;\n}\n":                                                           "",
		"pub use jemalloc_ctl::stats;\n":                                                                    "",
		"pub extern crate tikv_jemalloc_ctl as jemalloc_ctl;\n":                                             "bound ",
	} {
		bound, cfg := rootBinding([]byte(src), "jemalloc_ctl")
		got := ""
		if bound {
			got = "bound " + cfg
		}
		if got != want {
			t.Errorf("rootBinding(%q) = %q, want %q", src, got, want)
		}
	}
}

// A root item that binds a re-export's name to something else is found.
func TestForeignBinding(t *testing.T) {
	for src, want := range map[string]string{
		"pub use std::fmt as jemalloc_ctl;\n":            "pub use std::fmt as jemalloc_ctl;",
		"use self::stats as jemalloc_ctl;\n":             "use self::stats as jemalloc_ctl;",
		"pub use jemalloc_ctl;\n":                        "",
		"pub use ::tikv_jemalloc_ctl as jemalloc_ctl;\n": "",
		"pub use {jemalloc_ctl, std::fmt};\n":            "",
		"pub use ctl as jemalloc_ctl;\n":                 "",
		"mod m { pub use std::fmt as jemalloc_ctl; }\n":  "",
	} {
		if got := foreignBinding([]byte(src), "jemalloc_ctl", []string{"ctl"}); got != want {
			t.Errorf("foreignBinding(%q) = %q, want %q", src, got, want)
		}
	}
	// Jemalloc: the members' allocators would name something else.
	for src, want := range map[string]string{
		"#[cfg(feature = \"jemalloc\")]\npub use jemallocator::Jemalloc;\n": "",
		"pub use tikv_jemallocator::{self as jemallocator, Jemalloc};\n":    "",
		"pub use jem::Jemalloc;\n":                                          "", // the owner's renamed key
		"pub use tikv_jemallocator::Jemalloc as Profiled;\n":                "",
		"pub use crate::alloc::Fast as Jemalloc;\n":                         "pub use crate::alloc::Fast as Jemalloc;",
		"use std::alloc::System as Jemalloc;\n":                             "use std::alloc::System as Jemalloc;",
		"pub mod alloc {\n    pub use std::alloc::System as Jemalloc;\n}\n": "",
	} {
		if got := foreignBinding([]byte(src), "Jemalloc", []string{"jem"}); got != want {
			t.Errorf("foreignBinding(%q, Jemalloc) = %q, want %q", src, got, want)
		}
	}
}

// The re-exports keep rustfmt's order when one takes `::` (the owner
// imports that crate's name itself): `::` paths sort first.
func TestOption3ReexportOrder(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"core\"]\n",
		"core/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"core\"\n[dependencies]\njemalloc-ctl = \"0.5\"\ntikv-jemallocator = \"0.5\"\n",
		"core/src/lib.rs", "use tikv_jemallocator::{self};\n\npub fn f() -> u64 {\n    jemalloc_ctl::epoch::advance().unwrap()\n}\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\ncore = { path = \"../core\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	want := "pub use ::tikv_jemallocator::{self as jemallocator, Jemalloc};\npub use tikv_jemalloc_ctl as jemalloc_ctl;\n"
	if !strings.HasSuffix(got["core/src/lib.rs"], want) {
		t.Errorf("owner lib.rs does not end with %q:\n%s", want, got["core/src/lib.rs"])
	}
}

// A member that depends on the owner under another name in one table
// gets the dependency under that name in the others too, and its code
// names the owner so: cargo rejects two names for one package.
func TestOption3OwnerNamedOnceAcrossTables(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\", \"metrics\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nlib = { path = \"../lib\" }\njemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n",
		"lib/src/lib.rs", "pub fn f() {}\n",
		"metrics/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"metrics\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[dev-dependencies]\nl = { package = \"lib\", path = \"../lib\" }\n",
		"metrics/src/lib.rs", "pub fn f() -> u64 { tikv_jemalloc_ctl::epoch::advance().unwrap() }\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "lib"})
	wantIn(t, got, "metrics/Cargo.toml", "[dependencies]\nl = { path = \"../lib\", package = \"lib\", features = [\"jemalloc\"] }\n")
	wantIn(t, got, "metrics/src/lib.rs", "l::jemalloc_ctl::epoch")
}

// A target's required-features that name a crate feature of a dropped
// entry name the owner feature that forwards it: the target would never
// build again.
func TestOption3RequiredFeatures(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nlib = { path = \"../lib\" }\ntikv-jemallocator = \"0.5\"\n"+
			"[[bin]]\nname = \"app\"\npath = \"src/main.rs\"\nrequired-features = [\"tikv-jemallocator/profiling\", \"x\"]\n[features]\nx = []\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"lib/src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	wantIn(t, got, "app/Cargo.toml", `required-features = ["lib/jemalloc-profiling", "x"]`)
	wantIn(t, got, "lib/Cargo.toml", `jemalloc-profiling = ["jemalloc", "tikv-jemallocator/profiling"]`)
}

// A name the owner's root binds inside a macro (cfg_if! and the like) is
// bound under a cfg jemfix cannot read: Option 3 refuses rather than
// re-export it a second time.
func TestMacroBinding(t *testing.T) {
	src := "macro_rules! pick {\n    ($($i:item)*) => { $($i)* };\n}\n\npick! {\n    #[cfg(feature = \"jemalloc\")]\n    use tikv_jemallocator::Jemalloc;\n}\nfn f() { other! { use x::Jemalloc; } }\n"
	if mac, line, ok := macroBinding([]byte(src), "Jemalloc"); !ok || mac != "pick" || line != 5 {
		t.Errorf("macroBinding = %q, %d, %v; want pick, 5", mac, line, ok)
	}
	if _, _, ok := macroBinding([]byte("macro_rules! m { () => { use x::Jemalloc; } }\nfn f() { m! { use y::Jemalloc; } }\n"), "Jemalloc"); ok {
		t.Errorf("a macro_rules! body, or a macro inside a function, counts")
	}
	for _, src := range []string{
		"macro_rules! m { ($n:ident) => { pub struct $n; } }\nm!(Jemalloc);\n", // an item named by the argument
		"macro_rules! m { () => { pub struct Jemalloc; } }\nm!();\n",           // an item of the rule itself
	} {
		if _, _, ok := macroBinding([]byte(src), "Jemalloc"); !ok {
			t.Errorf("macroBinding(%q) finds nothing", src)
		}
	}
	if _, _, ok := macroBinding([]byte("macro_rules! m { ($n:ident) => { pub struct $n; } }\nm!(Other);\nlog!(\"{}\", Jemalloc);\n"), "Jemalloc"); ok {
		t.Errorf("a macro that only uses the name counts")
	}
}

// A member that needs the owner on every target, and depends on it in one
// target table only, gets an entry for all targets, under the same key.
func TestOption3OwnerOnlyInTargetTable(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\", \"b\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\njemallocator = \"0.5\"\n[target.'cfg(windows)'.dependencies]\nl = { path = \"../lib\", package = \"lib\" }\n",
		"app/src/main.rs", "#[global_allocator]\nstatic G: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"lib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"lib\"\n",
		"lib/src/lib.rs", "pub fn f() {}\n",
		"b/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"b/src/lib.rs", "pub fn f() -> u64 { tikv_jemalloc_ctl::epoch::advance().unwrap() }\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "lib"})
	wantIn(t, got, "app/Cargo.toml", "[dependencies]\nl = { path = \"../lib\", package = \"lib\", features = [\"jemalloc\"] }\n")
}

// wantIn checks that file of the changed files got holds each of wants.
func wantIn(t *testing.T, got map[string]string, file string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s lacks %q:\n%s", file, want, got[file])
		}
	}
}

// A half-migrated owner (its manifest names tikv-jemallocator, its root
// still imports jemallocator::Jemalloc) is finished first: the import
// names the crate the owner depends on and becomes the re-export of
// Jemalloc, never a second binding beside it (E0252).
func TestOption3HalfMigratedOwner(t *testing.T) {
	member := []string{
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"alloc\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nalloc = { path = \"../alloc\" }\njemalloc-ctl = \"0.5\"\n",
		"app/src/main.rs", "fn main() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"alloc/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"alloc\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
	}
	for _, tt := range []struct{ name, lib, want string }{
		{"private import", "use jemallocator::Jemalloc;\n\n#[global_allocator]\nstatic G: Jemalloc = Jemalloc;\n",
			"pub use tikv_jemallocator::Jemalloc;\n\n#[global_allocator]\nstatic G: Jemalloc = Jemalloc;\n\n" +
				"// The jemalloc crates, re-exported for the members that use them through alloc (jemfix option 3).\n" +
				"#[cfg(feature = \"jemalloc\")]\npub use tikv_jemalloc_ctl as jemalloc_ctl;\npub use tikv_jemallocator as jemallocator;\n"},
		{"public import", "pub use jemallocator::{self, Jemalloc};\n",
			"pub use tikv_jemallocator::{self as jemallocator, Jemalloc};\n\n" +
				"// The jemalloc crates, re-exported for the members that use them through alloc (jemfix option 3).\n" +
				"#[cfg(feature = \"jemalloc\")]\npub use tikv_jemalloc_ctl as jemalloc_ctl;\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := applyWith(t, files(append(slices.Clone(member), "alloc/src/lib.rs", tt.lib)...), Option3, Options{})
			if got["alloc/src/lib.rs"] != tt.want {
				t.Errorf("alloc/src/lib.rs:\n%s\nwant\n%s", got["alloc/src/lib.rs"], tt.want)
			}
		})
	}
	// A root that jemfix cannot rewrite keeps the stale import: Option 3
	// refuses rather than bind Jemalloc twice.
	broken := append(slices.Clone(member), "alloc/src/lib.rs", "use jemallocator::Jemalloc;\nfn f() { jemallocator::x( }\n")
	_, err := Option3(load(t, files(broken...)), Options{})
	if err == nil || !strings.Contains(err.Error(), "imports Jemalloc from jemallocator at ws/alloc/src/lib.rs:1") || !strings.Contains(err.Error(), "name tikv_jemallocator by hand") || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("err = %v, want a refusal naming the stale import", err)
	}
}

// A member whose dropped entries surround where the owner's key sorts
// (jemalloc-ctl, kit, tikv-jemallocator) gets the owner's entry where
// they were: the insertion does not fall inside their deleted lines.
func TestOption3OwnerEntryBetweenDropped(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"kit\", \"m\"]\n",
		"kit/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"kit\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"kit/src/lib.rs", "pub use tikv_jemallocator::Jemalloc;\n",
		"m/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"m\"\n[dependencies]\njemalloc-ctl = \"0.5\"\ntikv-jemallocator = \"0.5\"\n",
		"m/src/lib.rs", "pub fn g() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "kit"})
	if want := "[dependencies]\nkit = { path = \"../kit\", features = [\"jemalloc\"] }\n"; !strings.HasSuffix(got["m/Cargo.toml"], want) {
		t.Errorf("m/Cargo.toml:\n%s\nwant it to end with\n%s", got["m/Cargo.toml"], want)
	}
}

// A half-migrated member that is not the owner (its manifest names
// tikv-jemallocator, its code jemallocator::) is finished too: its stale
// paths name the owner's re-export, as its tikv ones do; in place, when
// its entry on the allocator becomes its entry on the owner.
func TestOption3HalfMigratedMember(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"memlib\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[dependencies]\nmemlib = { path = \"../memlib\" }\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"memlib/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"memlib\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"memlib/src/lib.rs", "pub fn epoch() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "memlib"})
	if want := "#[global_allocator]\nstatic A: memlib::Jemalloc = memlib::Jemalloc;\nfn main() {}\n"; got["app/src/main.rs"] != want {
		t.Errorf("app/src/main.rs:\n%s\nwant\n%s", got["app/src/main.rs"], want)
	}
	inPlace := files(
		"Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[workspace]\nexclude = [\"vendor\"]\n[dependencies]\nhelper = { path = \"vendor/helper\" }\n[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"src/main.rs", "use jemallocator;\nfn main() { let _ = crate::jemallocator::Jemalloc; }\n",
		"vendor/helper/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"helper\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"vendor/helper/src/lib.rs", "pub fn epoch() { jemalloc_ctl::epoch::advance().unwrap(); }\n")
	got, _ = applyWith(t, inPlace, Option3, Options{})
	if want := "use helper::jemallocator;\nfn main() { let _ = crate::jemallocator::Jemalloc; }\n"; got["src/main.rs"] != want {
		t.Errorf("src/main.rs:\n%s\nwant\n%s", got["src/main.rs"], want)
	}
}

// A private root import of a re-exported name from a family crate the
// owner does not re-export is found; one from a re-exported crate, a
// public one, or one of another name is not.
func TestStaleBinding(t *testing.T) {
	names, crates := []string{"jemallocator", "Jemalloc"}, []string{"tikv_jemallocator"}
	for src, want := range map[string]string{
		"use jemallocator::Jemalloc;\n":                      "Jemalloc jemallocator",
		"pub(crate) use ::jemallocator::{self, Jemalloc};\n": "jemallocator jemallocator",
		"extern crate jemallocator;\n":                       "jemallocator jemallocator",
		"use tikv_jemallocator::Jemalloc;\n":                 "",
		"pub use jemallocator::Jemalloc;\n":                  "",
		"use jemalloc_ctl::epoch;\n":                         "",
		"use std::alloc::System as Jemalloc;\n":              "",
		"mod m {\n    use jemallocator::Jemalloc;\n}\n":      "",
		"// use jemallocator::Jemalloc;\n":                   "",
		"#[cfg(unix)]\nuse jemallocator::Jemalloc as Jem;\n": "",
	} {
		got := ""
		if _, name, crate, ok := staleBinding([]byte(src), names, crates); ok {
			got = name + " " + crate
		}
		if got != want {
			t.Errorf("staleBinding(%q) = %q, want %q", src, got, want)
		}
	}
}

// An owner entry optional in [dependencies] and always there in a target
// table is re-exported wherever either brings the crate, as a new entry
// is where it exists: the allocator under any(…), the control crate
// under the owner's feature.
func TestOption3ReexportCfgOfMixedEntries(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"core\"]\n",
		"app/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"app\"\n[features]\nstats = [\"jemalloc-ctl\"]\n[dependencies]\ncore = { path = \"../core\" }\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
		"app/src/main.rs", "fn main() {\n    #[cfg(feature = \"stats\")]\n    jemalloc_ctl::epoch::advance().unwrap();\n}\n",
		"core/Cargo.toml", "[package]\nedition = \"2021\"\nname = \"core\"\n[features]\njemalloc = [\"tikv-jemallocator\"]\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n"+
			"[target.'cfg(target_os = \"macos\")'.dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"core/src/lib.rs", "pub fn work() {}\n")
	got, _ := applyWith(t, fsys, Option3, Options{})
	wantIn(t, got, "core/src/lib.rs",
		"#[cfg(feature = \"jemalloc\")]\npub use tikv_jemalloc_ctl as jemalloc_ctl;\n"+
			"#[cfg(any(feature = \"jemalloc\", target_os = \"macos\"))]\npub use tikv_jemallocator::{self as jemallocator, Jemalloc};\n")
}

// A feature named like the dependency key it turns on ("jemalloc" =
// ["dep:jemalloc"]) is the feature that a bare "jemalloc" names: default
// keeps naming it, and only the feature's own reference moves to the
// owner's feature.
func TestOption3FeatureNamedLikeItsKey(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"server\", \"stats\"]\n",
		"server/Cargo.toml", "[package]\nname = \"server\"\nedition = \"2021\"\n[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"dep:jemalloc\"]\n[dependencies]\nstats = { path = \"../stats\" }\njemalloc = { package = \"tikv-jemallocator\", version = \"0.5\", optional = true }\n",
		"server/src/main.rs", "#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\nstatic A: jemalloc::Jemalloc = jemalloc::Jemalloc;\nfn main() {}\n",
		"stats/Cargo.toml", "[package]\nname = \"stats\"\nedition = \"2021\"\n[dependencies]\nctl = { package = \"jemalloc-ctl\", version = \"0.5\" }\n",
		"stats/src/lib.rs", "pub use ctl::epoch;\n")
	got, _ := applyWith(t, fsys, Option3, Options{Into: "stats"})
	if want := "[features]\ndefault = [\"jemalloc\"]\njemalloc = [\"stats/jemalloc\"]\n"; !strings.Contains(got["server/Cargo.toml"], want) {
		t.Errorf("server/Cargo.toml:\n%s\nwant %s", got["server/Cargo.toml"], want)
	}
}

// An owner whose library switches something off with its own feature
// "jemalloc" is refused when a member that used only the control crate
// would turn that feature on; a binary of the owner that does is not what
// the members build.
func TestOption3OwnerFeatureSwitches(t *testing.T) {
	for _, tt := range []struct {
		file, want string
	}{
		{"own/src/lib.rs", `own has a feature "jemalloc" of its own, and ws/own/src/lib.rs switches something off with it (cfg(not(feature = "jemalloc"))); stats, which uses only the control or sys crate, would turn that feature on`},
		{"own/src/main.rs", ""},
	} {
		fsys := files(
			"Cargo.toml", "[workspace]\nmembers = [\"own\", \"stats\"]\n",
			"own/Cargo.toml", "[package]\nname = \"own\"\nedition = \"2021\"\n[features]\njemalloc = [\"dep:tikv-jemallocator\"]\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n",
			"own/src/lib.rs", "pub fn f() {}\n",
			tt.file, "#[cfg(feature = \"jemalloc\")]\npub use tikv_jemallocator::Jemalloc as Alloc;\n#[cfg(not(feature = \"jemalloc\"))]\npub use std::alloc::System as Alloc;\n",
			"stats/Cargo.toml", "[package]\nname = \"stats\"\nedition = \"2021\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
			"stats/src/lib.rs", "pub use jemalloc_ctl::epoch;\n")
		_, err := Option3(load(t, fsys), Options{Into: "own"})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: err = %v, want %q", tt.file, err, tt.want)
		}
	}
}

// The owner's new entry inherits the workspace's entry only when that
// asks for no feature the entries it replaces did not.
func TestOption3OwnerEntryInheritsNoMoreFeatures(t *testing.T) {
	for _, tt := range []struct{ ws, want string }{
		{`tikv-jemallocator = { version = "0.5", features = ["profiling"] }`, `tikv-jemallocator = { version = "0.5", optional = true }`},
		{`tikv-jemallocator = "0.5"`, `tikv-jemallocator = { workspace = true, optional = true }`},
	} {
		fsys := files(
			"Cargo.toml", "[workspace]\nmembers = [\"server\", \"stats\"]\n[workspace.dependencies]\n"+tt.ws+"\n",
			"server/Cargo.toml", "[package]\nname = \"server\"\nedition = \"2021\"\n[dependencies]\nstats = { path = \"../stats\" }\ntikv-jemallocator = \"0.5\"\n",
			"server/src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n",
			"stats/Cargo.toml", "[package]\nname = \"stats\"\nedition = \"2021\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
			"stats/src/lib.rs", "pub use jemalloc_ctl::epoch;\n")
		got, _ := applyWith(t, fsys, Option3, Options{Into: "stats"})
		if !strings.Contains(got["stats/Cargo.toml"], tt.want) {
			t.Errorf("workspace entry %s: stats/Cargo.toml:\n%s\nwant %s", tt.ws, got["stats/Cargo.toml"], tt.want)
		}
	}
}

// An allocator that a binary of the owner declares in a module of its own
// (mod allocator; in src/main.rs, or a [[bin]] path) is the binary's, not
// the library's: the members that depend on the library do not get it.
func TestOption3BinaryModuleAllocator(t *testing.T) {
	for _, tt := range []struct{ manifest, main string }{
		{"", "server/src/main.rs"},
		{"[[bin]]\nname = \"server\"\npath = \"src/server.rs\"\n", "server/src/server.rs"},
	} {
		fsys := files(
			"Cargo.toml", "[workspace]\nmembers = [\"server\", \"worker\"]\n",
			"server/Cargo.toml", "[package]\nname = \"server\"\nedition = \"2021\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n"+tt.manifest,
			"server/src/lib.rs", "pub fn serve() {}\n",
			tt.main, "mod allocator;\nfn main() { server::serve(); }\n",
			"server/src/allocator.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n",
			"worker/Cargo.toml", "[package]\nname = \"worker\"\nedition = \"2021\"\n[dependencies]\nserver = { path = \"../server\" }\njemallocator = \"0.5\"\n",
			"worker/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n")
		if _, err := Option3(load(t, fsys), Options{Into: "server"}); err != nil {
			t.Errorf("%s: %v", tt.main, err)
		}
	}
}
