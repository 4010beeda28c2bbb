package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/conflict"
)

// A [workspace.dependencies] entry that no member inherits is not in the
// graph: it chooses no series, makes no conflict and no diff of its own.
func TestUnusedWorkspaceDependency(t *testing.T) {
	root := "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\njemallocator = \"0.5\"\n"
	healthy := files("Cargo.toml", root,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n")
	r := conflict.Scan(load(t, healthy))
	if r.Conflict || r.Movable != 0 {
		t.Errorf("scan: conflict %v, movable %d; want neither", r.Conflict, r.Movable)
	}
	if got, _ := apply(t, healthy, Options{}); len(got) != 0 {
		t.Errorf("option 1 changed %v; want nothing", got)
	}

	// With work to do elsewhere, the series comes from the members, and
	// the unused original-name entry is renamed with the rest.
	legacy := files("Cargo.toml", root,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n")
	got, p := apply(t, legacy, Options{})
	want := map[string]string{
		"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\ntikv-jemallocator = \"0.5\"\n",
		"crates/b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if p.Series != "0.5" {
		t.Errorf("series %q, want 0.5 from the members", p.Series)
	}
}

// [patch] and [replace] entries that stop applying after the move are
// reported, with their positions, and left as they are.
func TestPatchesReported(t *testing.T) {
	root := "[package]\nname = \"app\"\n[dependencies]\njemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n\n" +
		"[patch.crates-io]\njemalloc-sys = { path = \"vendor/jemalloc-sys\" }\ntikv-jemalloc-ctl = { git = \"https://example.invalid/ctl\" }\n\n" +
		"[replace]\n\"tikv-jemalloc-sys:0.4.3\" = { path = \"vendor/sys\" }\n"
	got, p := apply(t, files("Cargo.toml", root), Options{})
	if want := strings.Replace(root, "jemallocator = \"0.5\"", "tikv-jemallocator = \"0.5\"", 1); got["Cargo.toml"] != want {
		t.Errorf("Cargo.toml =\n%s\nwant only the dependency renamed", got["Cargo.toml"])
	}
	var at []string
	for _, s := range p.Skipped {
		at = append(at, s.At.String()+" "+s.Reason[:strings.Index(s.Reason, ",")])
	}
	want := []string{
		"ws/Cargo.toml:8:1 [patch.crates-io] jemalloc-sys stands in for jemalloc-sys",
		"ws/Cargo.toml:12:1 [replace] tikv-jemalloc-sys:0.4.3 stands in for tikv-jemalloc-sys 0.4.3",
	}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

// No conflict today, but a locked package pins the original sys crate, so
// moving to the tikv crates would make one: plan recommends nothing.
func TestNoRecommendationWhenMovingMakesAConflict(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"alloc\"\n[dependencies]\njemallocator = \"0.1.9\"\n",
		"Cargo.lock", "version = 3\n[[package]]\nname = \"rocksdb-sys\"\nversion = \"6.1.0\"\nsource = \"git+https://example.invalid/rocksdb\"\ndependencies = [\"jemalloc-sys 0.1.8\"]\n")
	as, rec := Assess(load(t, fsys), Options{})
	if rec != "" {
		t.Errorf("recommended %q, want none", rec)
	}
	if len(as) == 0 || as[0].Feasible || !strings.Contains(strings.Join(as[0].Why, "\n"), "rocksdb-sys 6.1.0 needs jemalloc-sys 0.1.8") {
		t.Errorf("option 1: feasible %v, why %q; want infeasible, naming the lock", as[0].Feasible, as[0].Why)
	}
}
