package plan

import (
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/workspace"
)

// chooseSeries picks the one tikv series every family crate moves to, and
// says why: the one asked for; else the series a locked non-workspace
// package pins; else the one the workspace's entries choose (usedSeries),
// or the series of a tikv crate a [patch] of the root stands in for, when
// that one is higher.
func chooseSeries(ws *workspace.Workspace, uses []conflict.Use, opt Options) (string, []string, error) {
	tikv := family.Find(family.Tikv, family.Allocator).Series
	if opt.Series != "" {
		if !slices.Contains(tikv, opt.Series) {
			return "", nil, fmt.Errorf("--jemalloc-version=%s: the tikv crates are published in the series %s", opt.Series, strings.Join(tikv, ", "))
		}
		return opt.Series, []string{"series " + opt.Series + ": chosen with --jemalloc-version"}, nil
	}
	if s, why := lockedSeries(ws); s != "" {
		return s, why, nil
	}
	s, why := usedSeries(ws, uses)
	if ps, pwhy := patchedSeries(ws); ps != "" && s != "" && family.CompareSeries(ps, s) > 0 {
		return ps, pwhy, nil // moving up so that cargo uses the patch, as jemfix moves up anyway
	}
	return s, why, nil
}

// usedSeries picks the series from the workspace's own entries: a local
// copy of tikv-jemalloc-sys, else the highest tikv series, else the
// original crates' series moved up to one tikv publishes.
func usedSeries(ws *workspace.Workspace, uses []conflict.Use) (string, []string) {
	if u, ok := localSys(uses, family.Tikv); ok {
		return u.Series, []string{fmt.Sprintf("series %s: the local copy %s %s (%s) is on it, and jemfix does not move local copies", u.Series, u.Crate.Name, u.Req, ws.Position(u.Manifest, u.Dep.Start))}
	}
	best, from := "", ""
	for _, lin := range []family.Lineage{family.Tikv, family.Original} {
		for _, u := range uses {
			if u.Unused {
				continue // not in the graph: it chooses nothing
			}
			if (u.Local != nil && u.Crate.Role != family.Sys) || (u.Git != "" && u.Req == "") {
				continue // a local copy's own version says nothing of its sys crate; nor does an unlocked git entry
			}
			if u.Crate.Lineage == lin && (best == "" || family.CompareSeries(u.Series, best) > 0) {
				best, from = u.Series, fmt.Sprintf("%s %s (%s)", u.Crate.Name, u.Req, ws.Position(u.Manifest, u.Dep.Start))
			}
		}
		if best == "" {
			continue
		}
		s := family.TikvSeries(best)
		why := fmt.Sprintf("series %s: the highest series the workspace's %s crates use, %s", s, lin, from)
		if s != best {
			why = fmt.Sprintf("series %s: tikv publishes no %s series, so %s moves up to %s", s, best, from, s)
		}
		return s, []string{why}
	}
	return "", nil
}

// lockedSeries returns the tikv series that a locked non-workspace package
// requires, when one does: jemfix cannot edit that requirement.
func lockedSeries(ws *workspace.Workspace) (string, []string) {
	best, why := "", []string(nil)
	for _, e := range conflict.Externals(ws) {
		if e.Crate.Lineage != family.Tikv {
			continue
		}
		s := family.SeriesOf(e.CrateVersion)
		if best == "" || family.CompareSeries(s, best) < 0 {
			best = s
			why = []string{fmt.Sprintf("series %s: %s needs %s %s", s, e.Who(), e.Crate.Name, e.CrateVersion)}
		}
	}
	return best, why
}

// localSys returns the first path dependency on a local copy of a sys
// crate of lineage lin that the graph uses.
func localSys(uses []conflict.Use, lin family.Lineage) (conflict.Use, bool) {
	for _, u := range uses {
		if u.Unmovable() && u.Local != nil && u.Crate.Lineage == lin {
			return u, true
		}
	}
	return conflict.Use{}, false
}

// lockedResolves checks the series against the family crates that a fix
// does not move: those locked non-workspace packages need, and the local
// copies of a sys crate (path dependencies, which keep their own names and
// versions). Either one on another sys package keeps the conflict. With
// inheritGit, a move that inherits a git entry of [workspace.dependencies]
// (gitTarget) reaches that entry's sys package.
func lockedResolves(ws *workspace.Workspace, uses []conflict.Use, series string, inheritGit bool, why []string) (bool, []string) {
	ok, why := localResolves(ws, uses, series, inheritGit, why)
	want := family.Find(family.Tikv, family.Sys).Name + " " + series
	for _, e := range conflict.Externals(ws) {
		sys := e.Sys()
		if e.Git != "" && slices.ContainsFunc(uses, func(u conflict.Use) bool { return u.Unmovable() && conflict.SysOf(u, nil) == sys }) {
			continue // the crate of a repository the workspace keeps too
		}
		if series != "" && sys != want {
			ok = false
			verb := "the conflict remains"
			if !conflict.Scan(ws).Conflict {
				verb = "moving makes a conflict" // the workspace is on the locked package's crates today
			}
			until := " until it is updated"
			if e.Member != "" {
				until = ": " + e.Fix()
			}
			why = append(why, fmt.Sprintf("%s needs %s %s, so %s%s", e.Who(), e.Crate.Name, e.CrateVersion, verb, until))
		}
	}
	return ok, why
}

// localResolves checks the entries a fix does not move against what a
// move to series leaves: local copies of a sys crate (path dependencies)
// and crates from git. cargo counts either apart from the registry crate of
// the same name, so it and any registry sys crate conflict, unless a
// [patch] of the root points that crate at the copy.
func localResolves(ws *workspace.Workspace, uses []conflict.Use, series string, inheritGit bool, why []string) (bool, []string) {
	patched := conflict.PatchedSys(ws)
	tikv := family.Find(family.Tikv, family.Sys).Sys(series)
	after := map[string]bool{}
	var kept []conflict.Use
	forked := false // a moved entry reaches the sys crate of a patched fork
	for _, u := range uses {
		switch {
		case u.Unmovable():
			if sys := conflict.SysOf(u, nil); !after[sys] {
				after[sys] = true
				kept = append(kept, u)
			}
		case u.Unused || u.Dep.InWorkspace || u.Local != nil:
			// not in the graph, or a copy whose own entries are uses
		case series != "":
			sys := tikv
			if _, src, _ := gitTarget(ws, u); inheritGit && src != "" {
				sys = gitSys(u, src) // the move inherits the workspace's git entry
			} else if fork, ok := patched[u.Crate.TikvName()+" "+series]; ok {
				sys, forked = fork, true
			} else if local, ok := patched[sys]; ok {
				sys = local
			}
			after[sys] = true
		}
	}
	if len(after) < 2 || len(kept) == 0 && !forked {
		return true, why
	}
	if forked {
		for _, f := range conflict.Forks(ws) {
			why = append(why, conflict.ForkAdvice(ws, f))
		}
	}
	for _, u := range kept {
		at := ws.Position(u.Manifest, u.Dep.Start)
		if u.Git != "" {
			why = append(why, fmt.Sprintf("%s at %s comes from git, which jemfix does not move; cargo counts a git package apart from the registry's %s, so the conflict remains until every jemalloc crate comes from that repository (the same git source on each entry, or a [patch.crates-io] entry)",
				u.Crate.Name, at, tikv))
			continue
		}
		why = append(why, fmt.Sprintf("%s %s at %s is a local copy (path dependency, %s), which jemfix does not move; cargo counts it apart from the registry's %s, so the conflict remains until the copy goes, or a [patch.crates-io] entry points %s at it",
			u.Crate.Name, u.Req, u.Local.Dir, at, tikv, family.Find(family.Tikv, family.Sys).Name))
	}
	return false, why
}
