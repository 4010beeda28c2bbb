package apply

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/cargotest"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// A streamed dry run hands on the same diff, file by file in path order,
// as a run that keeps every diff, and keeps none itself.
func TestStreamMatchesKeptDiffs(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	kept := Root(dir, &Config{Option: "1", DryRun: true, KeepDiffs: true})
	if kept.Err != nil {
		t.Fatal(kept.Err)
	}
	var parts []string
	streamed := Root(dir, &Config{Option: "1", DryRun: true, Diff: func(d string) { parts = append(parts, d) }})
	if streamed.Err != nil {
		t.Fatal(streamed.Err)
	}
	if got := strings.Join(parts, ""); got != kept.Diff || kept.Diff == "" {
		t.Errorf("streamed diff differs from the kept one:\n%s", cmp.Diff(kept.Diff, got))
	}
	if streamed.Diffs != nil || streamed.Diff != "" {
		t.Errorf("a streamed run kept its diffs: %d", len(streamed.Diffs))
	}
	if diff := cmp.Diff(kept.Files, streamed.Files); diff != "" {
		t.Errorf("files (-kept +streamed):\n%s", diff)
	}
	var paths []string
	for _, f := range streamed.Files {
		paths = append(paths, f.Path)
	}
	if !slices.IsSorted(paths) || len(paths) != len(parts) {
		t.Errorf("files not in path order, or not one diff each: %q, %d diffs", paths, len(parts))
	}
	deferred := map[string]int{}
	for _, ch := range streamed.Plan.Changes {
		if ch.Deferred() {
			deferred[path.Ext(ch.Path)]++
		}
	}
	if deferred[".rs"] == 0 || deferred[".toml"] == 0 {
		t.Errorf("deferred changes by extension: %v; the Rust sources and the manifests should be deferred", deferred)
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
