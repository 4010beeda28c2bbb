package plan

import (
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
