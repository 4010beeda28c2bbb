package apply

import (
	"runtime"

	"jemfix/internal/par"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
	"jemfix/pkg/workspace"
)

// window is how many changes a streamed diff loads at once: one batch,
// diffed in parallel, then handed on in path order and dropped. It bounds
// the file contents in memory whatever the size of the plan.
const window = 64

// Diffs returns the diff of each change, computed in parallel. Deferred
// changes are loaded from the workspace, and not kept.
func Diffs(ws *workspace.Workspace, changes []plan.Change) ([]string, error) {
	diffs := make([]string, 0, len(changes))
	err := eachDiff(ws, changes, func(_ int, d string) error {
		diffs = append(diffs, d)
		return nil
	})
	return diffs, err
}

// Stream diffs every change and hands each diff to emit (which may be
// nil) in the order of changes, with at most a window of files loaded at
// a time, and returns each file's line counts. It keeps no diff.
func Stream(ws *workspace.Workspace, changes []plan.Change, emit func(diff string)) ([]FileJSON, error) {
	files := make([]FileJSON, 0, len(changes))
	err := eachDiff(ws, changes, func(i int, d string) error {
		added, removed := udiff.Counts(d)
		files = append(files, FileJSON{Path: changes[i].Path, Added: added, Removed: removed})
		if emit != nil {
			emit(d)
		}
		return nil
	})
	return files, err
}

// eachDiff calls fn with the diff of each change in order, computing a
// window of diffs at a time in parallel. The first error stops it.
func eachDiff(ws *workspace.Workspace, changes []plan.Change, fn func(i int, diff string) error) error {
	diffs := make([]string, window)
	errs := make([]error, window)
	for lo := 0; lo < len(changes); lo += window {
		n := min(window, len(changes)-lo)
		par.Each(n, runtime.GOMAXPROCS(0), func(k int) {
			ch, err := changes[lo+k].Load(ws.FS, ws.Path)
			if err != nil {
				diffs[k], errs[k] = "", err
				return
			}
			diffs[k], errs[k] = udiff.Diff(udiff.File{Path: ch.Path, Old: ch.Old, New: ch.New}), nil
		})
		for k := range n {
			if errs[k] != nil {
				return errs[k]
			}
			if err := fn(lo+k, diffs[k]); err != nil {
				return err
			}
			diffs[k] = ""
		}
	}
	return nil
}
