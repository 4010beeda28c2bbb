package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/pkg/apply"
)

// oldName matches jemalloc_ctl or jemallocator as a whole word.
var oldName = regexp.MustCompile(`(^|[^A-Za-z0-9_])(jemalloc_ctl|jemallocator)([^A-Za-z0-9_-]|$)`)

// TestRustFormsOracle lets cargo judge the rewrite of fixtures/rustforms,
// the crate that holds every reference form and decoy: it compiles, and its
// doctests pass, before and after `jemfix apply --option=1`.
func TestRustFormsOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	dir := cargotest.CopyFixture(t, "rustforms")
	cargotest.UseStubRegistry(t, dir)
	cargoPasses(t, dir, "before jemfix")
	decoys := readFile(t, dir, "src/decoys.rs")

	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", "--rename-features", "--json", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("jemfix apply exited %d\n%s", code, stderr.String())
	}
	var out apply.RootJSON
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	cargoPasses(t, dir, "after jemfix")
	if got := cargotest.SysPackages(t, dir); len(got) != 1 || !strings.HasPrefix(got[0], "tikv-jemalloc-sys 0.5") {
		t.Errorf("after jemfix: sys packages %q, want one tikv-jemalloc-sys 0.5", got)
	}

	for _, f := range []string{"src/lib.rs", "src/forms.rs", "src/macros.rs", "src/docs.rs", "tests/forms.rs", "examples/stats.rs", "benches/stats.rs"} {
		for i, line := range strings.Split(readFile(t, dir, f), "\n") {
			if oldName.MatchString(line) && !strings.Contains(line, "feature = \"tikv-jemallocator\"") {
				t.Errorf("%s:%d still names an old crate: %s", f, i+1, line)
			}
		}
	}
	if got := readFile(t, dir, "src/decoys.rs"); got != decoys {
		t.Errorf("src/decoys.rs changed; decoys must stay")
	}
	if !strings.Contains(readFile(t, dir, "src/reexport.rs"), "pub use tikv_jemalloc_ctl as jemalloc_ctl;") {
		t.Errorf("src/reexport.rs: the re-export did not keep its public name:\n%s", readFile(t, dir, "src/reexport.rs"))
	}
	if !strings.Contains(readFile(t, dir, "src/compat.rs"), "    jemalloc_ctl::version()") {
		t.Errorf("src/compat.rs: the local module's path was rewritten")
	}
	kinds := map[string]bool{}
	for _, s := range out.Skipped {
		kinds[s.Kind] = true
	}
	for _, k := range []string{"shadowed", "mention"} {
		if !kinds[k] {
			t.Errorf("skipped has no %q entry: %+v", k, out.Skipped)
		}
	}
}

// cargoPasses runs cargo check on every target and the doctests.
func cargoPasses(t *testing.T, dir, when string) {
	t.Helper()
	for _, args := range [][]string{
		{"check", "--offline", "--all-targets", "--all-features"},
		{"test", "--doc", "--offline", "--all-features"},
	} {
		if out, err := cargotest.Cargo(t, dir, args...); err != nil {
			t.Fatalf("%s: cargo %s failed: %v\n%s", when, strings.Join(args, " "), err, out)
		}
	}
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
