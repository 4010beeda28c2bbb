package plan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"jemfix/pkg/conflict"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// RunSize is how many manifests Option1Each plans at a time: the plan
// holds the edits, moves tables and source jobs of one run, not of the
// workspace.
const RunSize = 512

// Sink takes the changes of a plan made a run of manifests at a time
// (Option1Each), as each run is planned.
type Sink struct {
	// Changes takes the changes of one run, in no particular order; the
	// plan keeps their paths only (Change.HandedOn). An error stops the
	// plan.
	Changes func([]Change) error
	// Restart forgets every change taken so far: the plan starts again
	// from the first run, because a run found that the ones before it
	// must be planned again.
	Restart func()
	// Size is the manifests of a run; 0 means RunSize.
	Size int
}

// errLateMove stops a plan made a run at a time whose first move comes
// after the first run: the runs before did not give "stats" to the
// entries that need it once anything moves (statsForUsers), so the plan
// is made again, knowing it moves something.
var errLateMove = errors.New("plan: the first move comes after the first run")

// Option1 moves every original-name family dependency to the tikv crate and
// every family crate to one series, and rewrites the sources to match.
func Option1(ws *workspace.Workspace, opt Options) (*Plan, error) {
	return option1(ws, opt, nil)
}

// Option1Each is Option1 planned RunSize manifests at a time, in the
// order of ws.Manifests(), each run's changes handed to sink as soon as
// they are planned; the root manifest's change comes last. The plan it
// returns has every reason, move and report, and the paths of the
// changes. With RenameFeatures, which renames what other packages'
// features name, the plan is made in one run.
func Option1Each(ws *workspace.Workspace, opt Options, sink Sink) (*Plan, error) {
	return option1(ws, opt, &sink)
}

func option1(ws *workspace.Workspace, opt Options, sink *Sink) (*Plan, error) {
	ws.StartWalk() // the sources' step needs it, after the manifests are planned
	uses := conflict.Uses(ws)
	head := Plan{Option: "1", Resolves: true, Unread: ws.UnreadNotes()}
	if opt.KeepNames {
		head.Variant = "keep-names"
	}
	series, why, err := chooseSeries(ws, uses, opt)
	if err != nil {
		return nil, err
	}
	head.Series, head.Why = series, why
	// Moves inherit the workspace's git entries of the tikv crates only
	// when that brings every jemalloc crate to their source, and the
	// series is not the user's to choose.
	inheritGit := !opt.KeepNames && opt.Series == "" && InheritsGit(ws, uses)
	head.Resolves, head.Why = lockedResolves(ws, uses, series, inheritGit, head.Why)
	r := &option1Runs{ws: ws, opt: opt, uses: uses, inheritGit: inheritGit, head: head, sink: sink, size: len(ws.Manifests())}
	if sink != nil && !opt.RenameFeatures {
		r.size = cmp.Or(sink.Size, RunSize)
	}
	moved := false
	for {
		p, err := r.plan(moved)
		switch {
		case errors.Is(err, errLateMove):
			moved = true
		case errors.Is(err, errOneRun):
			r.size = len(ws.Manifests())
		default:
			return p, err
		}
		sink.Restart()
	}
}

// option1Runs plans Option 1 a run of manifests at a time. What a run
// reads of the others is decided before the first (the uses, the series,
// whether the plan resolves the workspace), or kept for the end (the root
// manifest's change, the scan of the non-Rust files).
type option1Runs struct {
	ws         *workspace.Workspace
	opt        Options
	uses       []conflict.Use
	inheritGit bool
	head       Plan  // the plan before any move: series, reasons, whether it resolves
	sink       *Sink // nil: the plan keeps its changes
	size       int   // the manifests of a run
}

// plan makes the plan, the runs in order. moved says the plan moves
// something, known from a plan that stopped (errLateMove); else the first
// run that moves anything must be the first run.
func (r *option1Runs) plan(moved bool) (*Plan, error) {
	ws, uses, ms := r.ws, r.uses, r.ws.Manifests()
	p := r.head
	p.Why = slices.Clone(r.head.Why)
	var moveNotes, statsNotes, featureNotes, hakari []string
	var same tables // the renames each manifest makes
	statsDone := map[*tomledit.Dep]bool{}
	var all renames
	var src *sourcePass
	var root *manifestEdit // the root's edits, changed by later runs' uses too; its change comes last
	rootMember := slices.Contains(ws.Members, ws.Root)
	changed, manifests := 0, 0
	handOn := func(changes []Change) error {
		changed += len(changes)
		for _, c := range changes {
			if isManifest(c.Path) {
				manifests++
			}
		}
		hakari = append(hakari, hakariNotes(ws, changes)...)
		if r.sink == nil {
			p.Changes = append(p.Changes, changes...)
			return nil
		}
		if err := r.sink.Changes(changes); err != nil {
			return err
		}
		p.Changes = append(p.Changes, handedOn(changes)...)
		return nil
	}
	next := 0 // the first use of the run
	for lo := 0; lo < len(ms); lo += r.size {
		run := ms[lo:min(lo+r.size, len(ms))]
		in := make(map[*workspace.Manifest]bool, len(run))
		for _, m := range run {
			in[m] = true
		}
		first := next
		for next < len(uses) && in[uses[next].Manifest] { // conflict.Uses are in the order of ms
			next++
		}
		ru := uses[first:next]
		if err := ws.Load(run); err != nil { // the bytes of the run's manifests, in parallel (workspace.OpenLean)
			return nil, err
		}
		edits := map[*workspace.Manifest]*manifestEdit{}
		if root != nil {
			edits[ws.Root] = root
		}
		rp := &Plan{Series: p.Series, Resolves: p.Resolves} // the run's moves, notes and reports
		if err := moveUsed(ws, rp, edits, ru, r.opt.KeepNames, r.inheritGit, &same); err != nil {
			return nil, err
		}
		if len(rp.Moves) > 0 && !moved {
			if lo > 0 {
				return nil, errLateMove
			}
			moved = true
		}
		moveNotes = append(moveNotes, rp.Why...)
		p.Moves = append(p.Moves, rp.Moves...)
		p.Skipped = append(p.Skipped, rp.Skipped...)
		if moved {
			notes, err := statsForUsers(ws, edits, ru, p.Series, statsDone)
			if err != nil {
				return nil, err
			}
			statsNotes = append(statsNotes, notes...)
		}
		// An edit verb that inserts (package = "tikv-…", a merge) parsed
		// its manifest's syntax again; the renames need none
		// (tomledit.Doc.Compact).
		for _, m := range run {
			m.Doc.Compact()
		}
		featureNotes = append(featureNotes, renameAllFeatureRefs(ws, editsOf(run, edits), !r.opt.RenameFeatures, p.Series)...)
		renameMemberFeatureRefs(ws, run, edits)
		p.Skipped = append(p.Skipped, renameRequiredFeatures(ws, run, edits)...)
		mes := editsOf(run, edits)
		p.Skipped = append(p.Skipped, metadataNotes(ws, mes)...)
		members := run
		if !rootMember && run[0] == ws.Root {
			members = run[1:]
		}
		root = edits[ws.Root]
		changes := manifestChanges(slices.DeleteFunc(mes, func(me *manifestEdit) bool { return me == root }))
		findStale(ws, members, edits)
		pkgs := editsOf(run, edits)
		for _, me := range pkgs {
			all.add(me)
		}
		if src == nil {
			var err error
			if src, err = newSourcePass(ws, uses, r.size >= len(ms)); err != nil {
				return nil, err
			}
		}
		if lo+r.size >= len(ms) {
			src.scanText(&all)
		}
		if src.t.partial {
			// The series of the run's dependencies only.
			src.t.uses, src.t.series = append(make([]conflict.Use, 0, len(ru)), ru...), nil
		}
		sources, err := src.packages(&p, pkgs)
		if err != nil {
			return nil, err
		}
		if err := handOn(append(changes, sources...)); err != nil {
			return nil, err
		}
		for _, m := range run {
			m.Doc.Compact()
		}
		ws.Release(run)
	}
	// The root's manifest: the original-name entries no member inherits
	// move after every other (moveUnused), and its profiles name the new
	// crates once the plan moves anything.
	edits := map[*workspace.Manifest]*manifestEdit{}
	if root != nil {
		edits[ws.Root] = root
	}
	unused := &Plan{Series: p.Series, Resolves: p.Resolves}
	if moved {
		if err := moveUnused(ws, unused, edits, uses, r.opt.KeepNames, &same); err != nil {
			return nil, err
		}
	}
	moveNotes = append(moveNotes, unused.Why...)
	p.Moves = append(p.Moves, unused.Moves...)
	p.Skipped = append(p.Skipped, unused.Skipped...)
	profileRenames(ws, &p, edits)
	if err := handOn(manifestChanges(editsOf([]*workspace.Manifest{ws.Root}, edits))); err != nil {
		return nil, err
	}
	if len(p.Moves) > 0 {
		p.Skipped = append(p.Skipped, patchSkips(ws, p.Series)...)
	}
	p.Why = slices.Concat(p.Why, moveNotes, statsWhy(uses, p.Series), statsNotes, featureNotes)
	src.finish(&p)
	switch stale := changed - manifests; {
	case len(p.Moves) == 0 && stale == 0:
		p.Why = append(p.Why, nothingToDo(uses, p.Series))
	case len(p.Moves) == 0:
		p.Why = append(p.Why, fmt.Sprintf("the manifests are already on the tikv crates, but %s still %s crates the packages do not depend on; the paths are renamed to the crates they do depend on",
			pluralize(stale, "source file", "source files"), map[bool]string{true: "names", false: "name"}[stale == 1]))
	}
	p.Why = append(p.Why, hakari...)
	p.sort()
	return &p, nil
}
