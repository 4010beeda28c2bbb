package verify

import (
	"strings"
	"testing"

	"jemfix/internal/wstest"

	"github.com/google/go-cmp/cmp"
)

func TestEvalCfg(t *testing.T) {
	on := map[string]bool{"jemalloc": true}
	for pred, want := range map[string]bool{
		`feature = "jemalloc"`: true,
		`feature = "other"`:    false,
		`all(feature = "jemalloc", not(target_env = "msvc"))`: true,
		`all(feature = "jemalloc", target_env = "msvc")`:      false,
		`any(windows, unix)`:                            true,
		`not(any(feature = "a", feature = "jemalloc"))`: false,
		`all()`: true,
		`all(feature = "jemalloc", not(feature = "jemalloc-x"))`: true,
	} {
		if got := evalCfg(pred, on); got != want {
			t.Errorf("evalCfg(%s) = %v, want %v", pred, got, want)
		}
	}
}

const conflictErr = "error: failed to select a version for `jemalloc-sys`.\n" +
	"    ... required by package `jemalloc-ctl v0.5.4`\n" +
	"    ... which satisfies dependency `jemalloc-ctl = \"^0.5\"` of package `riptide-performance v0.9.2 (/tmp/ws/crates/riptide-performance)`\n" +
	"    ... which satisfies path dependency `riptide-performance` of package `riptide-api v0.9.2 (/tmp/ws/crates/riptide-api)`\n" +
	"versions that meet the requirements `^0.5.4` are: 0.5.4+5.3.0-patched\n\n" +
	"package `jemalloc-sys` links to the native library `jemalloc`, but it conflicts with a previous package which links to `jemalloc` as well:\n" +
	"package `tikv-jemalloc-sys v0.5.4+5.3.0-patched`\n" +
	"    ... which satisfies dependency `tikv-jemalloc-sys = \"^0.5.4\"` of package `tikv-jemallocator v0.5.4`\n" +
	"    ... which satisfies dependency `tikv-jemallocator = \"^0.5\"` of package `riptide-api v0.9.2 (/tmp/ws/crates/riptide-api)`\n" +
	"Only one package in the dependency graph may specify the same links value.\n"

func TestLinksConflict(t *testing.T) {
	chains, ok := LinksConflict(conflictErr)
	want := [][]string{
		{"riptide-api v0.9.2", "riptide-performance v0.9.2", "jemalloc-ctl v0.5.4", "jemalloc-sys"},
		{"riptide-api v0.9.2", "tikv-jemallocator v0.5.4", "tikv-jemalloc-sys v0.5.4+5.3.0-patched"},
	}
	if diff := cmp.Diff(want, chains); !ok || diff != "" {
		t.Errorf("LinksConflict mismatch (-want +got):\n%s", diff)
	}
	if _, ok := LinksConflict("error: could not compile `x`"); ok {
		t.Error("a compile error read as a links conflict")
	}
}

func TestSysPackages(t *testing.T) {
	got, err := SysPackages([]byte(`{"packages":[{"name":"tikv-jemalloc-sys","version":"0.5.4+5.3.0-patched"},{"name":"libc","version":"0.2.1"}]}`))
	if err != nil || !cmp.Equal(got, []string{"tikv-jemalloc-sys 0.5.4+5.3.0-patched"}) {
		t.Errorf("SysPackages = %q, %v", got, err)
	}
	if _, err := SysPackages([]byte("not json")); err == nil {
		t.Error("SysPackages accepted broken JSON")
	}
}

func TestTestResults(t *testing.T) {
	out := "running 1 test\ntest a ... ok\n\ntest result: ok. 1 passed; 0 failed\n   Doc-tests x\ntest result: ok. 0 passed; 0 failed\n"
	if got := TestResults(out); len(got) != 2 || !strings.HasPrefix(got[0], "test result: ok. 1 passed") {
		t.Errorf("TestResults = %q", got)
	}
}

func TestAllocators(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\njemalloc = [\"tikv-jemallocator\"]\nsystem = []\n",
		"src/main.rs", "#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\n"+
			"#[cfg(feature = \"system\")]\n#[global_allocator]\nstatic B: std::alloc::System = std::alloc::System;\nfn main() {}\n"))
	checks, err := Allocators(ws)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Pass || checks[0].Counts["all"] != 2 || checks[0].Counts["feature jemalloc"] != 1 || checks[0].Counts["none"] != 0 {
		t.Errorf("Allocators = %+v; want a failure with two allocators under all features", checks)
	}
}

func TestSteps(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\nstats = [\"jemalloc-ctl\"]\n"))
	var got []string
	for _, s := range Steps(ws, Options{Offline: true, Tests: true}) {
		got = append(got, strings.Join(s.Args, " "))
	}
	want := []string{
		"metadata --format-version 1 --all-features --offline",
		"check -p app --offline",
		"check -p app --no-default-features --offline",
		"check -p app --no-default-features --features stats --offline",
		"check -p app --no-default-features --features jemalloc-ctl --offline", // the implicit feature
		"check -p app --all-features --offline",
		"check --workspace --all-targets --all-features --offline",
		"test --workspace --no-fail-fast --offline",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Steps mismatch (-want +got):\n%s", diff)
	}
}

func TestProbe(t *testing.T) {
	meta := []byte(`{"packages":[{"name":"tikv-jemallocator","version":"0.5.4"},{"name":"tikv-jemalloc-sys","version":"0.5.4+5.3.0-patched"}]}`)
	manifest, main, ok := Probe(meta)
	if !ok || !strings.Contains(manifest, `tikv-jemallocator = "=0.5.4"`) || !strings.Contains(manifest, `tikv-jemalloc-ctl = "0.5"`) ||
		!strings.Contains(main, "#[global_allocator]") || !strings.Contains(main, ProbeMarker) {
		t.Errorf("Probe:\n%s\n%s", manifest, main)
	}
	if _, _, ok := Probe([]byte(`{"packages":[{"name":"jemalloc-sys","version":"0.5.4"}]}`)); ok {
		t.Error("Probe without tikv-jemallocator: want ok = false")
	}
}

func TestRegistryError(t *testing.T) {
	for out, want := range map[string]bool{
		"error: failed to get `tikv-jemallocator` as a dependency of package `app v0.1.0`\n\nCaused by:\n  attempting to make an HTTP request, but --offline was specified\n": true,
		"error: no matching package named `tikv-jemallocator` found\nlocation searched: registry `crates-io`\n":                                                               true,
		conflictErr: false,
		"error: failed to parse manifest at `/w/Cargo.toml`\n": false,
	} {
		if got := RegistryError(out); got != want {
			t.Errorf("RegistryError(%q) = %v, want %v", out, got, want)
		}
	}
}
