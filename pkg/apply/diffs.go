package apply

import (
	"jemfix/internal/par"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
	"jemfix/pkg/workspace"
)

// window is how many changes a streamed diff loads at once: one batch,
// diffed in parallel, then handed on in path order and dropped. It bounds
// the file contents in memory whatever the size of the plan.
const window = 64

// Stream diffs every change and hands each diff to emit (which may be
// nil) in the order of changes, computing a window of diffs at a time in
// parallel, and returns each file's line counts. It keeps no diff and no
// content; the first error stops it.
func Stream(ws *workspace.Workspace, changes []plan.Change, emit func(diff string)) ([]FileJSON, error) {
	files := make([]FileJSON, 0, len(changes))
	diffs := make([]string, window)
	errs := make([]error, window)
	counts := make([][2]int, window) // the lines each diff adds and removes, counted by the workers
	for lo := 0; lo < len(changes); lo += window {
		n := min(window, len(changes)-lo)
		par.PerCPU(n, func(k int) {
			ch, err := changes[lo+k].Load(ws.FS, ws.Path)
			if err != nil {
				diffs[k], errs[k] = "", err
				return
			}
			diffs[k], errs[k] = udiff.Diff(udiff.File{Path: ch.Path, Old: ch.Old, New: ch.New}), nil
			counts[k][0], counts[k][1] = udiff.Counts(diffs[k])
		})
		for k := range n {
			if errs[k] != nil {
				return files, errs[k]
			}
			added, removed := counts[k][0], counts[k][1]
			files = append(files, FileJSON{Path: changes[lo+k].Path, Added: added, Removed: removed})
			if emit != nil {
				emit(diffs[k])
			}
			diffs[k] = ""
		}
	}
	return files, nil
}
