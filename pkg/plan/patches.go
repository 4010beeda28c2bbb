package plan

import (
	"fmt"

	"jemfix/pkg/conflict"

	"jemfix/pkg/family"
	"jemfix/pkg/workspace"
)

// patchSkips reports the [patch] and [replace] entries that stop applying
// once the plan's moves are made. jemfix does not rewrite them: such an
// entry points at another copy of the crate (a path, a git repository),
// and that copy still carries the old name and version, so renaming the
// entry would make cargo reject it.
func patchSkips(ws *workspace.Workspace, series string) []Skipped {
	var out []Skipped
	patched := conflict.PatchedSys(ws)
	for _, pt := range ws.Patches() {
		c, ok := family.Lookup(pt.Crate)
		if !ok {
			continue
		}
		v := patchVersion(ws, pt)
		var why string
		switch {
		case c.Lineage == family.Original && patched[c.Name+" "+family.SeriesOf(v)] == family.Find(family.Tikv, family.Sys).Sys(series):
			continue // a copy on the plan's sys crate: its entries stay on it (moveUses)
		case c.Lineage == family.Original:
			why = fmt.Sprintf("%s %s stands in for %s, which nothing depends on after the move, so cargo will ignore it (\"patch was not used\"); if its change is still needed, make it for %s %s",
				pt.Table, pt.Key, c.Name, c.TikvName(), series)
		case v == "" && series != "":
			why = fmt.Sprintf("%s %s stands in for %s, but jemfix cannot tell which version (no version field, and none in Cargo.lock); if it is not on the %s series, cargo will ignore it: move with --jemalloc-version=SERIES to its series",
				pt.Table, pt.Key, c.Name, series)
		case series != "" && family.SeriesOf(v) != series:
			why = fmt.Sprintf("%s %s stands in for %s %s, but the crates move to the %s series, so cargo will ignore it; update it to %s %s",
				pt.Table, pt.Key, c.Name, v, series, c.Name, series)
		default:
			continue
		}
		out = append(out, Skipped{At: ws.PatchAt(pt), Reason: why})
	}
	return out
}

// patchVersion returns the version of the copy a [patch] or [replace]
// entry of a family crate stands in with: its version field, else the
// version of the local package a path names, else the version Cargo.lock
// took from its git repository; "" when none says.
func patchVersion(ws *workspace.Workspace, pt workspace.Patch) string {
	switch {
	case pt.Version != "":
		return pt.Version
	case pt.Path != "":
		if t := ws.PatchTarget(pt); t != nil {
			return ws.Version(t)
		}
		if doc := ws.PatchManifest(pt); doc != nil {
			return doc.PackageString("version") // a copy outside the graph
		}
	case pt.Git != "":
		return conflict.LockedGit(ws.Lock, pt.Crate)
	}
	return ""
}

// patchedSeries returns the series of a tikv crate that a [patch] or
// [replace] of the root stands in for, when its version is known: the
// move goes there, so that cargo uses the patch.
func patchedSeries(ws *workspace.Workspace) (string, []string) {
	for _, pt := range ws.Patches() {
		c, ok := family.Lookup(pt.Crate)
		if !ok || c.Lineage != family.Tikv {
			continue
		}
		if v := patchVersion(ws, pt); family.SeriesOf(v) != "" {
			s := family.SeriesOf(v)
			return s, []string{fmt.Sprintf("series %s: %s %s (%s) stands in for %s %s", s, pt.Table, pt.Key, ws.PatchAt(pt), c.Name, v)}
		}
	}
	return "", nil
}
