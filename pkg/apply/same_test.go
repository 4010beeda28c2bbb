package apply

import (
	"os"
	"path/filepath"
	"testing"

	"jemfix/internal/cargotest"
)

// Arguments that name one workspace (twice, with a trailing slash, through
// a member directory, a manifest or a symbolic link) are processed once;
// the others say which root they share it with.
func TestManySameWorkspace(t *testing.T) {
	a := cargotest.CopyFixture(t, "riptide")
	b := filepath.Join(t.TempDir(), "b")
	if err := os.CopyFS(b, os.DirFS(a)); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	roots := []string{a, b, a + "/", filepath.Join(a, "crates/riptide-api"), filepath.Join(a, "crates/riptide-core/Cargo.toml"), link, filepath.Join(link, "crates"), b, "no/such/dir", "no/such/dir"}
	var done []int
	out := Many(roots, 4, &Config{Option: "1"}, func(i int) { done = append(done, i) })
	if len(done) != len(roots) {
		t.Errorf("done called for %v, want every root", done)
	}
	want := []struct{ status, same string }{
		{"changed", ""}, {"changed", ""}, {"duplicate", a}, {"duplicate", a}, {"duplicate", a}, {"duplicate", a}, {"duplicate", a},
		{"duplicate", b}, {"error", ""}, {"error", ""},
	}
	for i, w := range want {
		line := out[i].JSON(false)
		if line.Status != w.status || line.SameAs != w.same {
			t.Errorf("root %d (%s): status %q, same_as %q; want %q, %q (err %v)", i, roots[i], line.Status, line.SameAs, w.status, w.same, out[i].Err)
		}
		if line.Status == "duplicate" && (line.Root != roots[i] || line.Error != "") {
			t.Errorf("root %d: root %q, error %q; want the argument and no error", i, line.Root, line.Error)
		}
	}
	if !out[0].Written || !out[1].Written {
		t.Error("the first root of each workspace was not written")
	}
}

// Without deduplication, `-j 2 A A` raced with itself: the second run
// found the files changed under it.
func TestManySameRootWritesOnce(t *testing.T) {
	a := cargotest.CopyFixture(t, "riptide")
	for range 5 {
		out := Many([]string{a, a, a, a}, 4, &Config{Option: "1", DryRun: false}, nil)
		if out[0].Err != nil {
			t.Fatal(out[0].Err)
		}
		for i, o := range out[1:] {
			if got := o.Status(); got != "duplicate" {
				t.Errorf("root %d: status %q, want duplicate", i+1, got)
			}
		}
	}
}
