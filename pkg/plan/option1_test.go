package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/internal/wstest"
	"jemfix/pkg/workspace"

	"github.com/google/go-cmp/cmp"
)

func TestOption1(t *testing.T) {
	tests := []struct {
		name string
		in   []string // path, content pairs
		opt  Options
		want map[string]string // changed files only
	}{
		{
			// The merge and "stats" each make the version string an
			// inline table: one edit, or the tables nest.
			name: "an unused entry merged into one that gets stats",
			in: []string{"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\njemalloc-ctl = { version = \"0.5\", features = [\"use_std\"] }\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = { workspace = true }\n",
				"a/src/lib.rs", "pub fn f() -> usize { tikv_jemalloc_ctl::stats::allocated::read().unwrap() }\n",
				"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemallocator = \"0.5\"\n",
				"b/src/lib.rs", "use jemallocator::Jemalloc;\n"},
			want: map[string]string{
				"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"stats\", \"use_std\"] }\n",
				"b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"b/src/lib.rs": "use tikv_jemallocator::Jemalloc;\n",
			},
		},
		{
			// cargo builds it as a's example; the walk gives the file to
			// the package nested in a's directory, which names no
			// jemalloc crate.
			name: "a target in a package nested in the package's directory",
			in: []string{"Cargo.toml", "[workspace]\nmembers = [\"a\", \"a/nested\"]\n",
				"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\n[[example]]\nname = \"ex\"\npath = \"nested/src/ex.rs\"\n",
				"a/src/lib.rs", "\n",
				"a/nested/Cargo.toml", "[package]\nname = \"nested\"\n",
				"a/nested/src/lib.rs", "\n",
				"a/nested/src/ex.rs", "use jemallocator::Jemalloc;\nfn main() {}\n"},
			want: map[string]string{
				"a/Cargo.toml":       "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n[[example]]\nname = \"ex\"\npath = \"nested/src/ex.rs\"\n",
				"a/nested/src/ex.rs": "use tikv_jemallocator::Jemalloc;\nfn main() {}\n",
			},
		},
		{
			// The fork's features are its own: profiling_libunwind came
			// to the registry's crate in 0.7 only.
			name: "a feature of a crate from git that the registry's series lacks",
			in: []string{"Cargo.toml", "[workspace]\nmembers = [\"svc\"]\n[workspace.dependencies]\ntikv-jemallocator = { version = \"0.6\", git = \"https://example.invalid/fork\" }\n",
				"svc/Cargo.toml", "[package]\nname = \"svc\"\n[features]\njemalloc = [\"tikv-jemallocator\", \"tikv-jemallocator/profiling_libunwind\"]\n[dependencies]\ntikv-jemallocator = { workspace = true, optional = true }\n"},
			want: map[string]string{},
		},
		{
			name: "renamed entry changes only package",
			in: []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\nctl = { package = \"jemalloc-ctl\", version = \"0.5\" }\n",
				"src/lib.rs", "use ctl::epoch;\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\nctl = { package = \"tikv-jemalloc-ctl\", version = \"0.5\" }\n"},
		},
		{
			name: "stats on a dotted entry is written under the new key",
			opt:  Options{Series: "0.6"},
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\n'jemalloc-ctl'.version = \"0.5\"\n\n[workspace.dependencies]\njemalloc-ctl . version = \"0.5\"\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\n'tikv-jemalloc-ctl'.version = \"0.6\"\n'tikv-jemalloc-ctl'.features = [\"stats\"]\n\n[workspace.dependencies]\ntikv-jemalloc-ctl . version = \"0.6\"\ntikv-jemalloc-ctl.features = [\"stats\"]\n"},
		},
		{
			name: "a crate feature reference turned the implicit feature on too",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\ndefault = ['jemallocator/profiling', \"jemallocator?/stats\"]\nboth = [\"jemallocator\", \"jemallocator/stats\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\ndefault = ['jemallocator', 'tikv-jemallocator/profiling', \"tikv-jemallocator?/stats\"]\nboth = [\"jemallocator\", \"tikv-jemallocator/stats\"]\njemallocator = [\"tikv-jemallocator\"]\n"},
		},
		{
			name: "the new key named dep: elsewhere has no implicit feature",
			opt:  Options{RenameFeatures: true},
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[target.'cfg(unix)'.dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\nfast = [\"dep:tikv-jemallocator\"]\nunixfast = [\"jemallocator\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\nfast = [\"dep:tikv-jemallocator\"]\njemallocator = [\"dep:tikv-jemallocator\"]\nunixfast = [\"jemallocator\"]\n"},
		},
		{
			name: "required-features name the kept feature a crate feature reference implied",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[[bin]]\nname = \"solo\"\nrequired-features = [\"jemallocator/stats\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n\n[features]\njemallocator = [\"tikv-jemallocator\"]\n[[bin]]\nname = \"solo\"\nrequired-features = [\"jemallocator\", \"tikv-jemallocator/stats\"]\n"},
		},
		{
			name: "a feature named like the new key",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\ntikv-jemallocator = [\"jemallocator\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\njemallocator = [\"dep:tikv-jemallocator\"]\ntikv-jemallocator = [\"jemallocator\"]\n"},
		},
		{
			name: "explicit feature of the same name is not a dependency reference",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\njemalloc-ctl = [\"dep:jemalloc-ctl\"]\nall = [\"jemalloc-ctl\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\njemalloc-ctl = [\"dep:tikv-jemalloc-ctl\"]\nall = [\"jemalloc-ctl\"]\n"},
		},
		{
			name: "other member's reference to an implicit feature",
			opt:  Options{RenameFeatures: true},
			in: []string{"Cargo.toml", wstest.VirtualRoot,
				"crates/perf/Cargo.toml", "[package]\nname = \"perf\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
				"crates/perf/src/lib.rs", "#[cfg(feature = \"jemalloc-ctl\")]\npub use jemalloc_ctl::epoch;\n",
				"crates/api/Cargo.toml", "[package]\nname = \"api\"\n[dependencies]\nperf = { path = \"../perf\" }\n[features]\nprof = [\"perf/jemalloc-ctl\", \"perf?/jemalloc-ctl\"]\n",
				"crates/cli/Cargo.toml", "[package]\nname = \"cli\"\n[dependencies]\nperf = { path = \"../perf\", features = [\"jemalloc-ctl\"] }\n"},
			want: map[string]string{
				"crates/perf/Cargo.toml": "[package]\nname = \"perf\"\n[dependencies]\ntikv-jemalloc-ctl = { version = \"0.5\", optional = true }\n",
				"crates/perf/src/lib.rs": "#[cfg(feature = \"tikv-jemalloc-ctl\")]\npub use tikv_jemalloc_ctl::epoch;\n",
				"crates/api/Cargo.toml":  "[package]\nname = \"api\"\n[dependencies]\nperf = { path = \"../perf\" }\n[features]\nprof = [\"perf/tikv-jemalloc-ctl\", \"perf?/tikv-jemalloc-ctl\"]\n",
				"crates/cli/Cargo.toml":  "[package]\nname = \"cli\"\n[dependencies]\nperf = { path = \"../perf\", features = [\"tikv-jemalloc-ctl\"] }\n",
			},
		},
		{
			name: "the implicit feature is kept under its old name",
			in: []string{"Cargo.toml", wstest.VirtualRoot,
				"crates/perf/Cargo.toml", "[package]\nname = \"perf\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\nstats = [\"jemalloc-ctl\", \"jemalloc-ctl?/use_std\"]\n",
				"crates/perf/src/lib.rs", "#[cfg(feature = \"jemalloc-ctl\")]\npub use jemalloc_ctl::epoch;\n",
				"crates/api/Cargo.toml", "[package]\nname = \"api\"\n[dependencies]\nperf = { path = \"../perf\", features = [\"jemalloc-ctl\"] }\n"},
			want: map[string]string{
				"crates/perf/Cargo.toml": "[package]\nname = \"perf\"\n[dependencies]\ntikv-jemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\njemalloc-ctl = [\"tikv-jemalloc-ctl\"]\nstats = [\"jemalloc-ctl\", \"tikv-jemalloc-ctl?/use_std\"]\n",
				"crates/perf/src/lib.rs": "#[cfg(feature = \"jemalloc-ctl\")]\npub use tikv_jemalloc_ctl::epoch;\n",
			},
		},
		{
			name: "chosen series moves tikv crates too",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n"},
			opt:  Options{Series: "0.6"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n"},
		},
		{
			name: "locked external pins the series",
			in: []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"Cargo.lock", "version = 3\n[[package]]\nname = \"librocksdb-sys\"\nversion = \"0.16.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.5.4+5.3.0-patched\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n"},
		},
		{
			name: "nested package sources are not this package's",
			in: []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
				"src/lib.rs", "use jemalloc_ctl::epoch;\n",
				"vendored/other/Cargo.toml", "[package]\nname = \"other\"\n",
				"vendored/other/src/lib.rs", "use jemalloc_ctl::epoch;\n",
				"target/debug/build/x.rs", "use jemalloc_ctl::epoch;\n"},
			want: map[string]string{
				"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
				"src/lib.rs": "use tikv_jemalloc_ctl::epoch;\n",
			},
		},
		{
			name: "two locked pins on one series agree",
			in: []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.7\"\n",
				"Cargo.lock", "version = 3\n[[package]]\nname = \"rocks-a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.6.1\"]\n[[package]]\nname = \"rocks-b\"\nversion = \"2.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemallocator 0.6.0\"]\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n"},
		},
		{
			name: "same key in two target tables is no clash",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[target.'cfg(unix)'.dependencies]\njemallocator = \"0.5\"\n[target.'cfg(windows)'.dependencies]\ntikv-jemallocator = \"0.5\"\n"},
			want: map[string]string{"Cargo.toml": "[package]\nname = \"solo\"\n[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = \"0.5\"\n[target.'cfg(windows)'.dependencies]\ntikv-jemallocator = \"0.5\"\n"},
		},
		{
			name: "build script modules at the package root",
			in: []string{"Cargo.toml", "[package]\nname = \"solo\"\n[build-dependencies]\njemalloc-ctl = \"0.5\"\n[dependencies]\njemallocator = \"0.5\"\n",
				"build.rs", "mod probe;\nfn main() { probe::run(); }\n",
				"probe.rs", "pub fn run() { jemalloc_ctl::epoch::advance().unwrap(); let _ = jemallocator::Jemalloc; }\n",
				"src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); let _ = jemallocator::Jemalloc; }\n"},
			want: map[string]string{
				"Cargo.toml": "[package]\nname = \"solo\"\n[build-dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				// The build script's sibling sees the build-dependency only;
				// the library sees the normal one only.
				"probe.rs":   "pub fn run() { tikv_jemalloc_ctl::epoch::advance().unwrap(); let _ = jemallocator::Jemalloc; }\n",
				"src/lib.rs": "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); let _ = tikv_jemallocator::Jemalloc; }\n",
			},
		},
		{
			name: "nothing to do",
			in:   []string{"Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { package = \"tikv-jemallocator\", version = \"0.5\" }\n"},
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := apply(t, files(tt.in...), tt.opt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOption1Skips(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"src/lib.rs", "use jemalloc_ctl::epoch;\n",
		"src/broken.rs", "fn broken( {\n use jemalloc_ctl::epoch;\n")
	_, p := apply(t, fsys, Options{})
	if len(p.Skipped) != 1 || p.Skipped[0].At.Path != "ws/src/broken.rs" || !strings.Contains(p.Skipped[0].Reason, "syntax error") {
		t.Errorf("Skipped = %+v, want the broken file", p.Skipped)
	}
}

// A Rust source over the size cap is reported, not read, and the other
// files are still rewritten.
func TestOption1SkipsLargeSource(t *testing.T) {
	big := "use jemalloc_ctl::epoch;\n" + strings.Repeat("// padding\n", workspace.MaxSourceSize/11+1)
	fsys := files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"src/lib.rs", "use jemalloc_ctl::epoch;\n",
		"src/big.rs", big)
	_, p := apply(t, fsys, Options{})
	want := fmt.Sprintf("file is %d bytes, larger than the 8 MiB limit for a Rust source; not read", len(big))
	if len(p.Skipped) != 1 || p.Skipped[0].At.String() != "ws/src/big.rs:1:1" || p.Skipped[0].Kind != KindScope || p.Skipped[0].Reason != want {
		t.Errorf("Skipped = %+v, want ws/src/big.rs:1:1 %q", p.Skipped, want)
	}
	var changed []string
	for _, ch := range p.Changes {
		changed = append(changed, ch.Path)
	}
	if diff := cmp.Diff([]string{"Cargo.toml", "src/lib.rs"}, changed); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestOption1LockedOriginal(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"Cargo.lock", "version = 3\n[[package]]\nname = \"old-db-sys\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"jemalloc-sys 0.5.4+5.3.0-patched\"]\n")
	_, p := apply(t, fsys, Options{})
	if p.Resolves || !strings.Contains(strings.Join(p.Why, "\n"), "old-db-sys 1.0.0 needs jemalloc-sys") {
		t.Errorf("Resolves = %v, Why = %q; want the locked original sys crate reported", p.Resolves, p.Why)
	}
}

// Two locked packages that pin different series leave no series that
// satisfies both: the plan takes the lower one and says the conflict
// remains, naming the other package.
func TestOption1LockedPinsDisagree(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
		"Cargo.lock", "version = 3\n[[package]]\nname = \"rocks-a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7\"]\n[[package]]\nname = \"rocks-b\"\nversion = \"2.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.5.4+5.3.0-patched\"]\n")
	p, err := Option1(load(t, fsys), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Series != "0.5" || p.Resolves {
		t.Errorf("series %q, resolves %v; want 0.5 and false", p.Series, p.Resolves)
	}
	if why := strings.Join(p.Why, "\n"); !strings.Contains(why, "rocks-a 1.0.0 needs tikv-jemalloc-sys 0.6.1") || !strings.Contains(why, "rocks-b 2.0.0 needs tikv-jemalloc-sys 0.5.4") {
		t.Errorf("why does not name both pins:\n%s", why)
	}
}

// A [[bin]] whose path is a symbolic link is reported, not rewritten, and
// the file it points at is rewritten once, as the package's own file.
func TestOption1BinThroughLink(t *testing.T) {
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{
		"Cargo.toml":  "[package]\nname = \"solo\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n[[bin]]\nname = \"tool\"\npath = \"bin/tool.rs\"\n",
		"src/lib.rs":  "pub use jemalloc_ctl::epoch;\n",
		"src/real.rs": "fn main() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
	})
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../src/real.rs", filepath.Join(dir, "bin", "tool.rs")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	ws, err := workspace.Load(os.DirFS(dir), "ws")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Option1(ws, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var scope []string
	for _, s := range p.Skipped {
		if s.Kind == KindScope {
			scope = append(scope, s.At.String()+" "+s.Reason)
		}
	}
	want := []string{`ws/Cargo.toml:7:8 [bin] path "bin/tool.rs" leaves the workspace root or goes through a symbolic link; not rewritten`}
	if diff := cmp.Diff(want, scope); diff != "" {
		t.Errorf("scope skips (-want +got):\n%s", diff)
	}
	var changed []string
	for _, c := range p.Changes {
		changed = append(changed, c.Path)
	}
	if diff := cmp.Diff([]string{"Cargo.toml", "src/lib.rs", "src/real.rs"}, changed); diff != "" {
		t.Errorf("changed files (-want +got):\n%s", diff)
	}
}

// A build script among the package's sources (build = "src/build.rs")
// does not make the other sources build-script files.
func TestOption1BuildScriptInSrc(t *testing.T) {
	got, _ := apply(t, files(
		"Cargo.toml", "[package]\nname = \"app\"\nbuild = \"src/build.rs\"\n[dependencies]\njemallocator = \"0.3\"\n",
		"src/build.rs", "fn main() {}\n",
		"src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nmod worker;\nfn main() {}\n",
		"src/worker/mod.rs", "use jemallocator::Jemalloc;\n"), Options{})
	want := map[string]string{
		"Cargo.toml":        "[package]\nname = \"app\"\nbuild = \"src/build.rs\"\n[dependencies]\ntikv-jemallocator = \"0.4\"\n",
		"src/main.rs":       "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nmod worker;\nfn main() {}\n",
		"src/worker/mod.rs": "use tikv_jemallocator::Jemalloc;\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// With --rename-features, a build script that reads the old feature's
// CARGO_FEATURE_* variable is reported with the new name; by default the
// feature, and so the variable, stays.
func TestFeatureEnvironment(t *testing.T) {
	in := []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n",
		"build.rs", "fn main() {\n    let on = std::env::var(\"CARGO_FEATURE_JEMALLOCATOR\").is_ok();\n    let _ = std::env::var(\"CARGO_FEATURE_JEMALLOCATOR_EXTRA\");\n    println!(\"cargo:rustc-env=JEMALLOC={on}\");\n}\n"}
	_, p := apply(t, files(in...), Options{RenameFeatures: true})
	var got []string
	for _, s := range p.Skipped {
		got = append(got, s.At.String()+" "+s.Reason)
	}
	want := []string{`ws/build.rs:2:29 CARGO_FEATURE_JEMALLOCATOR reads the feature "jemallocator", which is "tikv-jemallocator" now: use CARGO_FEATURE_TIKV_JEMALLOCATOR`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if _, p := apply(t, files(in...), Options{}); len(p.Skipped) != 0 {
		t.Errorf("kept feature: skipped %+v, want none", p.Skipped)
	}
}

// The root's profile overrides of a crate that leaves the graph follow it
// to its tikv name; one with a version, or whose new name the profile
// overrides already, is reported.
func TestProfileOverridesFollow(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"a\"]\n\n[profile.dev.package.jemalloc-sys]\nopt-level = 2\n\n"+
			"[profile.release.package]\n\"jemalloc-sys\" = { opt-level = 3 }\ntikv-jemalloc-sys.debug = true\n\n"+
			"[profile.bench.package.\"jemalloc-sys@0.5.4\"]\nopt-level = 1\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n",
		"a/src/main.rs", "fn main() {}\n")
	got, p := applyWith(t, fsys, Option1, Options{})
	if !strings.Contains(got["Cargo.toml"], "[profile.dev.package.tikv-jemalloc-sys]\nopt-level = 2\n") ||
		!strings.Contains(got["Cargo.toml"], "\"jemalloc-sys\" = { opt-level = 3 }\n") {
		t.Errorf("root manifest:\n%s", got["Cargo.toml"])
	}
	var notes []string
	for _, s := range p.Skipped {
		notes = append(notes, s.At.String()+": "+s.Reason)
	}
	want := []string{
		"ws/Cargo.toml:8:1: [profile.release.package.jemalloc-sys] overrides jemalloc-sys, which leaves the graph for tikv-jemalloc-sys; the profile already overrides tikv-jemalloc-sys: update it by hand",
		"ws/Cargo.toml:11:24: [profile.bench.package.jemalloc-sys@0.5.4] overrides jemalloc-sys, which leaves the graph for tikv-jemalloc-sys; its version names the old crate's: update it by hand",
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// A move down to a series that lacks a crate feature takes the feature out
// of the entry, and says so: cargo refuses a feature the crate does not have.
func TestMoveDownDropsNewFeatures(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"stats\"] }\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"stats\", \"use_std\", \"profiling\"] }\n"+
			"tikv-jemallocator = { version = \"0.6\", features = [\"profiling_libunwind\", \"profiling\"] }\n"+
			"[features]\nprof = [\"tikv-jemalloc-ctl/profiling\", \"tikv-jemallocator/profiling\"]\n")
	got, p := applyWith(t, fsys, Option1, Options{Series: "0.5"})
	for _, want := range []string{
		`tikv-jemalloc-ctl = { version = "0.5", features = ["use_std"] }`,
		`tikv-jemallocator = { version = "0.5", features = ["profiling"] }`,
		// a [features] reference to what the series lacks goes too
		`prof = ["tikv-jemallocator/profiling"]`,
	} {
		if !strings.Contains(got["b/Cargo.toml"], want) {
			t.Errorf("b/Cargo.toml lacks %s:\n%s", want, got["b/Cargo.toml"])
		}
	}
	// No features = [] left behind.
	if want := `tikv-jemalloc-ctl = { version = "0.5" }`; !strings.Contains(got["a/Cargo.toml"], want) {
		t.Errorf("a/Cargo.toml lacks %s:\n%s", want, got["a/Cargo.toml"])
	}
	notes := strings.Join(p.Why, "\n")
	for _, want := range []string{`b: tikv-jemalloc-ctl 0.5 has no "stats" feature (0.6 added it)`, `b: tikv-jemallocator 0.5 has no "profiling_libunwind" feature (0.7 added it)`,
		`b: feature "prof" no longer asks for "tikv-jemalloc-ctl/profiling": tikv-jemalloc-ctl 0.5 has no such feature (0.6 added it)`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

// An entry keyed by the tikv name on the original package loses its
// package field, in every form it can be written in.
func TestTikvKeyOnOriginalPackage(t *testing.T) {
	for name, tt := range map[string]struct{ deps, want string }{
		"inline":    {"tikv-jemallocator = { package = \"jemallocator\", version = \"0.5\" }\n", "tikv-jemallocator = { version = \"0.5\" }\n"},
		"sub-table": {"[dependencies.tikv-jemallocator]\npackage = \"jemallocator\"\nversion = \"0.5\"\n", "[dependencies.tikv-jemallocator]\nversion = \"0.5\"\n"},
		"dotted":    {"tikv-jemallocator.version = \"0.5\"\ntikv-jemallocator.package = \"jemallocator\"\n", "tikv-jemallocator.version = \"0.5\"\n"},
	} {
		for _, keep := range []bool{false, true} {
			got, _ := applyWith(t, files("Cargo.toml", "[package]\nname = \"app\"\nedition = \"2021\"\n[dependencies]\n"+tt.deps), Option1, Options{KeepNames: keep})
			if !strings.HasSuffix(got["Cargo.toml"], tt.want) {
				t.Errorf("%s, keep-names %v:\n%s\nwant it to end with\n%s", name, keep, got["Cargo.toml"], tt.want)
			}
		}
	}
}

// A private import of a renamed crate that another file of the package
// reaches through crate:: keeps its name; one nothing reaches does not.
func TestPrivateImportReachedFromAnotherFile(t *testing.T) {
	got, _ := applyWith(t, files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"lib\"]\n",
		"app/Cargo.toml", "[package]\nname = \"app\"\nedition = \"2021\"\n[dependencies]\njemallocator = \"0.5\"\n",
		"app/src/main.rs", "use jemallocator;\nmod alloc;\nfn main() {}\n",
		"app/src/alloc.rs", "#[global_allocator]\nstatic G: crate::jemallocator::Jemalloc = crate::jemallocator::Jemalloc;\n",
		"lib/Cargo.toml", "[package]\nname = \"lib\"\nedition = \"2021\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\njemallocator = \"0.5\"\n",
		"lib/src/lib.rs", "use jemallocator;\npub fn f() -> jemallocator::Jemalloc { jemallocator::Jemalloc }\n",
	), Option1, Options{})
	if want := "use tikv_jemallocator as jemallocator;\n"; !strings.HasPrefix(got["app/src/main.rs"], want) {
		t.Errorf("app/src/main.rs:\n%s\nwant it to start with %s", got["app/src/main.rs"], want)
	}
	if want := "use tikv_jemallocator;\n"; !strings.HasPrefix(got["lib/src/lib.rs"], want) {
		t.Errorf("lib/src/lib.rs:\n%s\nwant it to start with %s", got["lib/src/lib.rs"], want)
	}
}

// An original crate patched to a copy on a tikv sys crate stays when that
// is the plan's sys crate, and moves off the copy when it is not.
func TestOption1PatchedCopy(t *testing.T) {
	for _, tt := range []struct{ copySys, want string }{
		{`"0.5"`, "jemallocator = \"0.5\"\n"},
		{`"0.6"`, "tikv-jemallocator = \"0.5\"\n"},
	} {
		got, _ := apply(t, files(
			"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\nexclude = [\"forks\"]\n[patch.crates-io]\njemallocator = { path = \"forks/j\" }\n",
			"forks/j/Cargo.toml", "[package]\nname = \"jemallocator\"\nversion = \"0.5.4\"\n[dependencies]\njemalloc-sys = { package = \"tikv-jemalloc-sys\", version = "+tt.copySys+" }\n",
			"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\n",
			"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n"), Options{})
		a, ok := got["a/Cargo.toml"]
		if !ok {
			a = "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\n"
		}
		if !strings.HasSuffix(a, tt.want) {
			t.Errorf("copy on %s: a/Cargo.toml =\n%s\nwant it to end with %q", tt.copySys, a, tt.want)
		}
	}
}
