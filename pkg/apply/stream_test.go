package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"jemfix/internal/cargotest"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// A streamed dry run hands on the same diff, file by file in path order,
// as a run that keeps every diff, and keeps none itself; so does one whose
// plan is made in runs of one or two manifests, and the plan says the
// same.
func TestStreamMatchesKeptDiffs(t *testing.T) {
	defer func(limit int) { rawLimit = limit }(rawLimit)
	for _, fixture := range []string{"riptide", "half-migrated", "inherited", "rustforms", "two-binaries", "unused-workspace-dep", "stats-bump", "version-split"} {
		for _, size := range []int{0, 1, 2} {
			rawLimit = map[int]int{0: 4 << 20, 1: 0, 2: 600}[size] // kept as they are, compressed at once, compressed later
			dir := cargotest.CopyFixture(t, fixture)
			kept := Root(dir, &Config{Option: "1", DryRun: true, KeepDiffs: true})
			if kept.Err != nil {
				t.Fatal(kept.Err)
			}
			var parts []string
			streamed := Root(dir, &Config{Option: "1", DryRun: true, Diff: func(d string) { parts = append(parts, d) }, runSize: size})
			if streamed.Err != nil {
				t.Fatal(streamed.Err)
			}
			if got := strings.Join(parts, ""); got != kept.Diff || kept.Diff == "" {
				t.Errorf("%s, runs of %d: streamed diff differs from the kept one:\n%s", fixture, size, cmp.Diff(kept.Diff, got))
			}
			if streamed.Diffs != nil || streamed.Diff != "" {
				t.Errorf("%s: a streamed run kept its diffs: %d", fixture, len(streamed.Diffs))
			}
			if diff := cmp.Diff(kept.Files, streamed.Files); diff != "" {
				t.Errorf("%s, runs of %d: files (-kept +streamed):\n%s", fixture, size, diff)
			}
			if diff := cmp.Diff(kept.Plan, streamed.Plan, cmpopts.IgnoreUnexported(plan.Plan{}), cmpopts.IgnoreFields(plan.Plan{}, "Changes")); diff != "" {
				t.Errorf("%s, runs of %d: plan (-kept +streamed):\n%s", fixture, size, diff)
			}
			var paths []string
			for _, f := range streamed.Files {
				paths = append(paths, f.Path)
			}
			if !slices.IsSorted(paths) || len(paths) != len(parts) {
				t.Errorf("%s: files not in path order, or not one diff each: %q, %d diffs", fixture, paths, len(parts))
			}
		}
	}
	dir := cargotest.CopyFixture(t, "riptide")
	streamed := Root(dir, &Config{Option: "1", DryRun: true, Diff: func(string) {}})
	if streamed.Err != nil {
		t.Fatal(streamed.Err)
	}
	// The plan keeps the changes' paths, not their edits.
	handedOn := map[string]int{}
	for _, ch := range streamed.Plan.Changes {
		if ch.HandedOn() {
			handedOn[path.Ext(ch.Path)]++
		}
	}
	if handedOn[".rs"] == 0 || handedOn[".toml"] == 0 || handedOn[".rs"]+handedOn[".toml"] != len(streamed.Plan.Changes) {
		t.Errorf("changes handed on, by extension: %v of %d; the plan should keep no edits", handedOn, len(streamed.Plan.Changes))
	}
}

// A streamed dry run whose re-parse check fails prints nothing, and says
// why, as a run that keeps its diffs does.
func TestStreamCheckFails(t *testing.T) {
	withCheck(t, func(_ fs.FS, changes []plan.Change, _ func(string) string) error {
		for _, c := range changes {
			if c.Path == "crates/riptide-performance/src/heap.rs" {
				return errors.New("ws/crates/riptide-performance/src/heap.rs:1:1: injected")
			}
		}
		return nil
	})
	for _, size := range []int{0, 1} {
		dir := cargotest.CopyFixture(t, "riptide")
		var parts []string
		o := Root(dir, &Config{Option: "1", DryRun: true, Diff: func(d string) { parts = append(parts, d) }, runSize: size})
		if o.Err == nil || !strings.Contains(o.Err.Error(), "an edited file does not parse; nothing was written") || !strings.Contains(o.Err.Error(), "injected") {
			t.Errorf("runs of %d: Err = %v, want the check's failure", size, o.Err)
		}
		if len(parts) > 0 {
			t.Errorf("runs of %d: %d diffs printed before the check failed", size, len(parts))
		}
	}
}

// A Rust file changed after the plan read it is refused when its diff is
// made, and when it is written: nothing is written.
func TestDeferredChangeEditedMeanwhile(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	ws, p, _, err := Build(dir, &Config{Option: "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	i := slices.IndexFunc(p.Changes, func(c plan.Change) bool { return c.Deferred() && path.Ext(c.Path) == ".rs" })
	if i < 0 {
		t.Fatal("no deferred change")
	}
	target := filepath.Join(dir, filepath.FromSlash(p.Changes[i].Path))
	src, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, append(src, "// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	before := cargotest.ReadTree(t, dir)
	if _, err := Stream(ws, p.Changes, nil); err == nil || !strings.Contains(err.Error(), "changed since jemfix read it") {
		t.Errorf("Stream: err = %v, want the file reported as changed", err)
	}
	if err := write.Changes(dir, p.Changes); err == nil || !strings.Contains(err.Error(), "changed since jemfix read it") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("write: err = %v, want the file reported as changed and nothing written", err)
	}
	if diff := cmp.Diff(before, cargotest.ReadTree(t, dir)); diff != "" {
		t.Errorf("the tree changed (-before +after):\n%s", diff)
	}
}

// Stream hands on every diff in order across its windows.
func TestStreamWindows(t *testing.T) {
	var changes []plan.Change
	var want []string
	for i := range 2*window + 5 {
		ch := plan.Change{Path: fmt.Sprintf("f%03d.txt", i), Old: []byte(fmt.Sprintf("a\n%d\n", i)), New: []byte(fmt.Sprintf("b\n%d\n", i))}
		changes = append(changes, ch)
		want = append(want, udiff.Diff(udiff.File{Path: ch.Path, Old: ch.Old, New: ch.New}))
	}
	var got []string
	files, err := Stream(&workspace.Workspace{}, changes, func(d string) { got = append(got, d) })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diffs (-want +got):\n%s", diff)
	}
	if len(files) != len(changes) || files[len(files)-1] != (FileJSON{Path: changes[len(changes)-1].Path, Added: 1, Removed: 1}) {
		t.Errorf("files = %d, last %+v", len(files), files[len(files)-1])
	}
}
