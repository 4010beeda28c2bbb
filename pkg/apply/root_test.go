package apply

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/cargotest"
	"jemfix/pkg/check"
	"jemfix/pkg/plan"
	"jemfix/pkg/write"
)

// withCheck replaces the re-parse check for one test.
func withCheck(t *testing.T, fn func(fs.FS, []plan.Change, func(string) string) error) {
	old := checkChanges
	checkChanges = fn
	t.Cleanup(func() { checkChanges = old })
}

// A failed re-parse check is the root's error, and nothing is written.
func TestRootCheckFails(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	before := cargotest.ReadTree(t, dir)
	withCheck(t, func(fs.FS, []plan.Change, func(string) string) error {
		return errors.New("crates/x/Cargo.toml:1:1: injected")
	})
	o := Root(dir, &Config{Option: "1"})
	if o.Err == nil || !strings.Contains(o.Err.Error(), "an edited file does not parse; nothing was written") || !strings.Contains(o.Err.Error(), "injected") {
		t.Fatalf("Err = %v, want the check's failure", o.Err)
	}
	if o.Written || o.Status() != "error" {
		t.Errorf("written %v, status %q; want false, error", o.Written, o.Status())
	}
	if diff := cmp.Diff(before, cargotest.ReadTree(t, dir)); diff != "" {
		t.Errorf("the tree changed (-before +after):\n%s", diff)
	}
}

// A file another process changed between the plan and the check is not
// reported as an edit of jemfix's that does not parse.
func TestRootCheckFilesChanged(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	withCheck(t, func(fsys fs.FS, changes []plan.Change, display func(string) string) error {
		for _, c := range changes {
			if c.Deferred() && filepath.Ext(c.Path) == ".rs" {
				target := filepath.Join(dir, filepath.FromSlash(c.Path))
				src, err := os.ReadFile(target)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(target, append(src, "// edited\n"...), 0o644); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		return check.Changes(fsys, changes, display)
	})
	o := Root(dir, &Config{Option: "1"})
	if o.Err == nil || !strings.Contains(o.Err.Error(), "files changed while jemfix read them") || strings.Contains(o.Err.Error(), "does not parse") || !strings.Contains(o.Err.Error(), "changed since jemfix read it") {
		t.Fatalf("Err = %v, want the file reported as changed", o.Err)
	}
}

// A panic in one root of a bulk run becomes that root's error; the other
// roots finish.
func TestManyRecoversPanic(t *testing.T) {
	a, b, c := cargotest.CopyFixture(t, "riptide"), filepath.Join(t.TempDir(), "boom"), filepath.Join(t.TempDir(), "c")
	for _, dst := range []string{b, c} { // a third copy: Many runs a workspace named twice once
		if err := os.CopyFS(dst, os.DirFS(a)); err != nil {
			t.Fatal(err)
		}
	}
	withCheck(t, func(_ fs.FS, changes []plan.Change, display func(string) string) error {
		if strings.Contains(display("."), "boom") {
			panic("injected panic")
		}
		return nil
	})
	var done []int
	out := Many([]string{a, b, c}, 2, &Config{Option: "1", DryRun: true}, func(i int) { done = append(done, i) })
	if len(done) != 3 {
		t.Errorf("done called for %v, want every root", done)
	}
	for i, want := range []string{"changed", "error", "changed"} {
		if got := out[i].Status(); got != want {
			t.Errorf("root %d: status %q, want %q (err %v)", i, got, want, out[i].Err)
		}
	}
	if err := out[1].Err; err == nil || !strings.Contains(err.Error(), "internal error") || !strings.Contains(err.Error(), "injected panic") {
		t.Errorf("root 1: Err = %v, want the recovered panic", err)
	}
}

// Roots a signal stopped before they started say so: no write of theirs
// was rolled back, none began.
func TestManyInterruptedBeforeStart(t *testing.T) {
	a, b := cargotest.CopyFixture(t, "riptide"), cargotest.CopyFixture(t, "tikv-only")
	in := write.NewInterrupter()
	in.Raise(syscall.SIGINT)
	out := Many([]string{a, b}, 1, &Config{Option: "1", Interrupt: in}, nil)
	for _, o := range out {
		if o.Err == nil || o.Err.Error() != "interrupted by SIGINT before this root was started; nothing was written" {
			t.Errorf("%s: Err = %v", o.Arg, o.Err)
		}
	}
}
