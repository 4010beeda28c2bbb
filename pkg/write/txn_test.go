package write

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/plan"
)

// tree reads every file under dir, keyed by slash path, directories too
// (as "dir/"), so that a leftover temporary file, backup, journal or
// directory shows.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = ""
			return nil
		}
		b, _ := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

// fixture writes four files and returns the changes that rewrite three of
// them and create two more, one in new directories.
func fixture(t *testing.T) (string, []plan.Change) {
	dir := t.TempDir()
	var changes []plan.Change
	for i, p := range []string{"Cargo.toml", "crates/a/Cargo.toml", "crates/a/src/lib.rs", "README.md"} {
		writeFile(t, filepath.Join(dir, p), fmt.Sprintf("old %d\n", i), 0o644)
		if p != "README.md" {
			changes = append(changes, plan.Change{Path: p, Old: []byte(fmt.Sprintf("old %d\n", i)), New: []byte(fmt.Sprintf("new %d\n", i))})
		}
	}
	changes = append(changes,
		plan.Change{Path: "docs/technical/SETUP.md", New: []byte("new doc\n")},
		plan.Change{Path: "crates/a/NOTES.md", New: []byte("new notes\n")})
	return dir, changes
}

// linkedFixture is fixture with a second hard link, outside the root, to
// each file it rewrites: they are replaced by rename, not written in place.
func linkedFixture(t *testing.T) (string, []plan.Change) {
	dir, changes := fixture(t)
	outside := t.TempDir()
	for i, c := range changes {
		if c.Old != nil {
			if err := os.Link(filepath.Join(dir, c.Path), filepath.Join(outside, fmt.Sprint(i))); err != nil {
				t.Skip("no hard links here:", err)
			}
		}
	}
	return dir, changes
}

// fixtures are the two ways a target is written.
var fixtures = []struct {
	name string
	make func(*testing.T) (string, []plan.Change)
}{{"in place", fixture}, {"by rename", linkedFixture}}

// after returns the tree as a successful write leaves it.
func after(before map[string]string, changes []plan.Change) map[string]string {
	out := map[string]string{}
	for k, v := range before {
		out[k] = v
	}
	for _, c := range changes {
		out[c.Path] = string(c.New)
		for d := filepath.ToSlash(filepath.Dir(c.Path)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
			out[d+"/"] = ""
		}
	}
	return out
}

func withFault(t *testing.T, f func(step string, i int) error) {
	Fault = f
	t.Cleanup(func() { Fault = nil })
}

// steps lists every step the transaction of changes goes through, in
// order, as Fault sees them.
func steps(t *testing.T, changes []plan.Change) []string {
	dir, _ := fixture(t)
	var out []string
	withFault(t, func(step string, i int) error {
		out = append(out, fmt.Sprintf("%s %d", step, i))
		return nil
	})
	if err := Changes(dir, changes); err != nil {
		t.Fatal(err)
	}
	Fault = nil
	return out
}

// A failure at any step before the journal says done leaves every file
// old, and nothing behind: an error while staging, a rename that fails
// (EIO), a full disk (ENOSPC).
func TestFailAtEveryStep(t *testing.T) {
	_, changes := fixture(t)
	for _, fx := range fixtures {
		for _, at := range steps(t, changes) {
			for _, errno := range []error{syscall.EIO, syscall.ENOSPC} {
				t.Run(fmt.Sprintf("%s/%s/%v", fx.name, at, errno), func(t *testing.T) {
					failAt(t, fx.make, at, errno)
				})
			}
		}
	}
}

// failAt makes a fixture, fails the write at step at with errno, and
// checks what is left.
func failAt(t *testing.T, makeFixture func(*testing.T) (string, []plan.Change), at string, errno error) {
	dir, changes := makeFixture(t)
	before := tree(t, dir)
	withFault(t, func(step string, i int) error {
		if fmt.Sprintf("%s %d", step, i) == at {
			return errno
		}
		return nil
	})
	err := Changes(dir, changes)
	Fault = nil
	want := before
	if strings.HasPrefix(at, "cleanup") {
		// Every file was in place and the journal said done: the
		// write succeeded, and the next command (Recover)
		// removes what the cleanup left.
		want = after(before, changes)
		if err != nil {
			t.Errorf("err = %v, want success", err)
		}
		if _, rerr := Recover(dir); rerr != nil {
			t.Fatal(rerr)
		}
	}
	if diff := cmp.Diff(want, tree(t, dir)); diff != "" {
		t.Errorf("tree after a failure at %q (err %v) (-want +got):\n%s", at, err, diff)
	}
	if err != nil && !errors.Is(err, errno) {
		t.Errorf("err = %v, want it to wrap %v", err, errno)
	}
	if err != nil && !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("err = %v, want it to say nothing was written", err)
	}
}

// crash stops the transaction where it stands, as kill -9 would: no
// rollback, no cleanup.
type crash struct{}

// A process that dies at any step leaves a tree that Recover turns
// entirely old or entirely new, with nothing behind; a second Recover has
// nothing to do.
func TestRecoverAfterCrashAtEveryStep(t *testing.T) {
	_, changes := fixture(t)
	for _, fx := range fixtures {
		for _, at := range steps(t, changes) {
			t.Run(fx.name+"/"+at, func(t *testing.T) { crashAt(t, fx.make, at) })
		}
	}
}

// crashAndRecover writes changes under dir until the Fault set crashes
// the write, then recovers the tree as the next command would.
func crashAndRecover(t *testing.T, dir string, changes []plan.Change) Recovery {
	t.Helper()
	func() {
		defer func() {
			if r := recover(); r != nil && r != (crash{}) {
				panic(r)
			}
		}()
		Changes(dir, changes)
	}()
	Fault = nil
	rec, err := Recover(dir)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// crashAt makes a fixture, stops the write at step at as kill -9 would,
// recovers, and checks what is left.
func crashAt(t *testing.T, makeFixture func(*testing.T) (string, []plan.Change), at string) {
	dir, changes := makeFixture(t)
	before := tree(t, dir)
	withFault(t, func(step string, i int) error {
		if fmt.Sprintf("%s %d", step, i) == at {
			panic(crash{})
		}
		return nil
	})
	rec := crashAndRecover(t, dir, changes)
	got := tree(t, dir)
	switch {
	case cmp.Equal(before, got):
	case cmp.Equal(after(before, changes), got):
		if rec.Action == "rolled back" {
			t.Errorf("Recover says %q, but every file is new", rec.Action)
		}
	default:
		t.Errorf("tree after a crash at %q and Recover (%v) is torn:\n%s", at, rec, cmp.Diff(before, got))
	}
	if again, err := Recover(dir); err != nil || again.Action != "" {
		t.Errorf("second Recover = %v, %v; want nothing to do", again, err)
	}
}

// A recovery whose rollback fails does not say it rolled back: its error
// says what state each file is in.
func TestRecoverFailedRollback(t *testing.T) {
	dir, changes := fixture(t)
	withFault(t, func(step string, i int) error {
		if step == "rename" && i == 1 {
			panic(crash{})
		}
		return nil
	})
	func() {
		defer func() {
			if r := recover(); r != nil && r != (crash{}) {
				panic(r)
			}
		}()
		Changes(dir, changes)
	}()
	withFault(t, func(step string, i int) error {
		if step == "rollback" {
			return syscall.EIO
		}
		return nil
	})
	rec, err := Recover(dir)
	var rb *RollbackError
	if !errors.As(err, &rb) || rec.Action != "" || rec.String() != "" {
		t.Errorf("Recover = %q, %v; want no action and a RollbackError", rec, err)
	}
}

// A signal rolls the write back before its next step.
func TestInterrupt(t *testing.T) {
	dir, changes := fixture(t)
	before := tree(t, dir)
	in := NewInterrupter()
	withFault(t, func(step string, i int) error {
		if step == "rename" && i == 2 {
			in.Raise(syscall.SIGINT)
			in.Raise(syscall.SIGTERM) // a second signal changes nothing
		}
		return nil
	})
	err := Changes(dir, changes, Options{Interrupt: in})
	var intr *Interrupted
	if !errors.As(err, &intr) || intr.ExitCode() != 130 {
		t.Fatalf("err = %v, want an interruption with exit code 130", err)
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree after an interrupted write (-want +got):\n%s", diff)
	}
}

// A journal left by another write stops a new one before it touches
// anything.
func TestJournalBlocksWrite(t *testing.T) {
	dir, changes := fixture(t)
	writeFile(t, filepath.Join(dir, journalFile), "{}", 0o644)
	before := tree(t, dir)
	if err := Changes(dir, changes); err == nil || !strings.Contains(err.Error(), "recover") {
		t.Errorf("err = %v, want a refusal that says how to recover", err)
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree changed (-want +got):\n%s", diff)
	}
}

// inPlaceFixture writes three targets whose new contents share a start
// with the old ones, and returns the changes that rewrite them.
func inPlaceFixture(t *testing.T) (string, []plan.Change) {
	dir := t.TempDir()
	var changes []plan.Change
	for i, p := range []string{"Cargo.toml", "a/Cargo.toml", "a/src/lib.rs"} {
		old := fmt.Sprintf("[package]\nname = \"p%d\"\n\n[dependencies]\njemalloc-ctl = \"0.5\"\n", i)
		nu := fmt.Sprintf("[package]\nname = \"p%d\"\n\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n", i)
		if i == 2 {
			nu = old[:20] // a file that only gets shorter
		}
		writeFile(t, filepath.Join(dir, p), old, 0o644)
		changes = append(changes, plan.Change{Path: p, Old: []byte(old), New: []byte(nu)})
	}
	return dir, changes
}

// A target is written where it is: the same file (inode), from its first
// changed byte on.
func TestWriteInPlaceKeepsTheFile(t *testing.T) {
	dir, changes := inPlaceFixture(t)
	before := map[string]os.FileInfo{}
	for _, c := range changes {
		fi, err := os.Stat(filepath.Join(dir, c.Path))
		if err != nil {
			t.Fatal(err)
		}
		before[c.Path] = fi
	}
	if err := Changes(dir, changes); err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		fi, err := os.Stat(filepath.Join(dir, c.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(before[c.Path], fi) {
			t.Errorf("%s was replaced, want it written in place", c.Path)
		}
	}
	if diff := cmp.Diff(after(map[string]string{}, changes), tree(t, dir)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

// A process that dies while writing a target in place leaves it torn:
// whatever bytes it holds from its kept start on, Recover writes the old
// ones back.
func TestRecoverTornInPlace(t *testing.T) {
	_, changes := inPlaceFixture(t)
	for i := range changes {
		for _, torn := range []string{"", "garbage that is longer than anything the file ever held\n", "[pack"} {
			t.Run(fmt.Sprintf("%d/%q", i, torn), func(t *testing.T) {
				dir, changes := inPlaceFixture(t)
				before := tree(t, dir)
				withFault(t, func(step string, n int) error {
					if step == "rename" && n == i {
						// the files before i are new; file i is half
						// written after the start it shares with the old
						c := changes[i]
						keep := commonPrefix(c.Old, c.New)
						half := string(c.New[:keep+(len(c.New)-keep)/2]) + torn
						if err := os.WriteFile(filepath.Join(dir, c.Path), []byte(half), 0o644); err != nil {
							t.Fatal(err)
						}
						panic(crash{})
					}
					return nil
				})
				crashAndRollBack(t, dir, changes, before)
			})
		}
	}
}

// A target with another hard link, or one that cannot be opened for
// writing, is replaced by rename: the other name, perhaps outside the
// root, keeps the old content, and the mode stays.
func TestWriteReplacesLinkedAndReadOnly(t *testing.T) {
	dir, changes := inPlaceFixture(t)
	outside := filepath.Join(t.TempDir(), "other-name")
	if err := os.Link(filepath.Join(dir, "Cargo.toml"), outside); err != nil {
		t.Skip("no hard links here:", err)
	}
	readOnly := filepath.Join(dir, "a", "Cargo.toml")
	if err := os.Chmod(readOnly, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := Changes(dir, changes); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(outside); string(b) != string(changes[0].Old) {
		t.Errorf("the other hard link now holds %q, want the old content", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "Cargo.toml")); string(b) != string(changes[0].New) {
		t.Errorf("Cargo.toml = %q, want the new content", b)
	}
	fi, err := os.Stat(readOnly)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o444 {
		t.Errorf("mode of a/Cargo.toml = %v, want 0444", fi.Mode().Perm())
	}
	want := after(map[string]string{}, changes)
	if diff := cmp.Diff(want, tree(t, dir)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

// A signal that arrives after the last file is written, while the files
// are synced, still rolls the write back: the journal does not say done.
func TestInterruptAfterLastFile(t *testing.T) {
	dir, changes := fixture(t)
	before := tree(t, dir)
	in := NewInterrupter()
	withFault(t, func(step string, i int) error {
		if step == "rename" && i == len(changes)-1 {
			in.Raise(syscall.SIGTERM)
		}
		return nil
	})
	err := Changes(dir, changes, Options{Interrupt: in})
	var intr *Interrupted
	if !errors.As(err, &intr) || intr.ExitCode() != 143 {
		t.Fatalf("err = %v, want an interruption with exit code 143", err)
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree after an interrupted write (-want +got):\n%s", diff)
	}
}

// While a write holds its journal, another command's recovery leaves it
// alone and says why; the write then ends as it would have.
func TestRecoverLeavesLiveWrite(t *testing.T) {
	dir, changes := fixture(t)
	before := tree(t, dir)
	var recErr error
	var rec Recovery
	withFault(t, func(step string, i int) error {
		if step == "rename" && i == 1 {
			rec, recErr = Recover(dir) // as a second jemfix process would
		}
		return nil
	})
	if err := Changes(dir, changes); err != nil {
		t.Fatalf("the write failed: %v", err)
	}
	if !errors.Is(recErr, errBusy) || rec.Action != "" {
		t.Errorf("Recover during a write = %v, %v; want the busy error and nothing done", rec, recErr)
	}
	if diff := cmp.Diff(after(before, changes), tree(t, dir)); diff != "" {
		t.Errorf("tree after the write (-want +got):\n%s", diff)
	}
}

// PendingAbove finds the journal of the workspace around a path, at a
// directory with a Cargo.toml, and no other.
func TestPendingAbove(t *testing.T) {
	top := t.TempDir()
	ws := filepath.Join(top, "ws")
	writeFile(t, filepath.Join(ws, "Cargo.toml"), "[workspace]\n", 0o644)
	writeFile(t, filepath.Join(ws, "crates", "a", "Cargo.toml"), "[package]\n", 0o644)
	if err := os.MkdirAll(filepath.Join(top, JournalDir), 0o755); err != nil { // no Cargo.toml next to it
		t.Fatal(err)
	}
	if dir, ok := PendingAbove(filepath.Join(ws, "crates", "a")); ok {
		t.Errorf("PendingAbove found %s, want none", dir)
	}
	if err := os.MkdirAll(filepath.Join(ws, JournalDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(ws, "crates", "a"), filepath.Join(ws, "crates", "a", "Cargo.toml"), ws} {
		if dir, ok := PendingAbove(p); !ok || dir != ws {
			t.Errorf("PendingAbove(%s) = %s, %v; want %s", p, dir, ok, ws)
		}
	}
}

// Between making the journal directory and locking it, another jemfix may
// have taken it for a dead write's and replaced it, here with the journal
// of a write that died since: the write stops, writes nothing, and leaves
// that journal to the recovery.
func TestJournalReplacedBeforeLock(t *testing.T) {
	dir, changes := fixture(t)
	before := tree(t, dir)
	other := `{"version":1,"id":"x","state":"staging"}`
	withFault(t, func(step string, i int) error {
		if step == "lock" {
			os.RemoveAll(filepath.Join(dir, JournalDir))
			writeFile(t, filepath.Join(dir, journalFile), other, 0o644)
		}
		return nil
	})
	err := Changes(dir, changes)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err = %v, want a stop that wrote nothing", err)
	}
	got := tree(t, dir)
	if got[journalFile] != other {
		t.Errorf("the other journal was changed: %q", got[journalFile])
	}
	delete(got, journalFile)
	delete(got, JournalDir+"/")
	if diff := cmp.Diff(before, got); diff != "" {
		t.Errorf("tree changed (-want +got):\n%s", diff)
	}
}

// A backup that is a copy (where a hard link is refused: EMLINK, or
// protected hard links on a file of another owner) may be cut short by a
// crash while it is written. Until the journal says renaming no target has
// changed, so the recovery of a staging journal removes the backups and
// puts none of them back.
func TestRecoverTornBackupCopy(t *testing.T) {
	dir, changes := linkedFixture(t)
	before := tree(t, dir)
	withFault(t, func(step string, n int) error {
		if step != "saved renaming" {
			return nil
		}
		// Every backup is staged, and no target renamed yet: the crash
		// comes before the journal's move to renaming reaches the disk,
		// while the backups, copies here, are cut short.
		jf := filepath.Join(dir, journalFile)
		j, err := os.ReadFile(jf)
		if err != nil {
			panic(err)
		}
		writeFile(t, jf, strings.Replace(string(j), `"state": "renaming"`, `"state": "staging"`, 1), 0o644)
		entries, err := os.ReadDir(filepath.Join(dir, JournalDir))
		if err != nil {
			panic(err)
		}
		torn := 0
		for _, e := range entries {
			if e.Name() == "journal.json" || e.Name() == "undo" || strings.HasSuffix(e.Name(), ".tmp") {
				continue
			}
			p := filepath.Join(dir, JournalDir, e.Name())
			b, err := os.ReadFile(p)
			if err != nil {
				panic(err)
			}
			if err := os.Remove(p); err != nil { // the link becomes a copy that a crash cut short
				panic(err)
			}
			writeFile(t, p, string(b[:len(b)/2]), 0o644)
			torn++
		}
		if torn != len(changes)-2 { // the two new files have no backup
			panic(fmt.Sprintf("%d backups staged, want %d", torn, len(changes)-2))
		}
		panic(crash{})
	})
	crashAndRollBack(t, dir, changes, before)
}

// crashAndRollBack is crashAndRecover for a crash that the recovery must
// roll back: the tree is as it was, before.
func crashAndRollBack(t *testing.T, dir string, changes []plan.Change, before map[string]string) {
	t.Helper()
	rec := crashAndRecover(t, dir, changes)
	if rec.Action != "rolled back" {
		t.Errorf("Recover = %v, want a rollback", rec)
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree after Recover (-want +got):\n%s", diff)
	}
}

// A rollback that fails for one file reports what each file holds: a file
// replaced by rename and put back from its backup is old, though the
// backup is gone.
func TestRollbackStates(t *testing.T) {
	dir, changes := linkedFixture(t)
	withFault(t, func(step string, n int) error {
		if step == "saved done" || step == "rollback" && n == 0 {
			return syscall.EIO
		}
		return nil
	})
	var rb *RollbackError
	if err := Changes(dir, changes); !errors.As(err, &rb) {
		t.Fatalf("Changes = %v, want a *RollbackError", err)
	}
	last := changes[len(changes)-1].Path // put back first, so failed
	for _, c := range changes {
		want := "old"
		switch {
		case c.Path == last:
			want = "new"
		case c.Creates():
			want = "old (not created)"
		}
		if got := rb.States[c.Path]; got != want {
			t.Errorf("state of %s = %q, want %q", c.Path, got, want)
		}
	}
	Fault = nil
	if _, err := Recover(dir); err != nil {
		t.Fatal(err)
	}
}
