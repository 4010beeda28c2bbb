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
// package pins; else the highest series the workspace's tikv crates use;
// else the original crates' series, moved up where tikv has no such series.
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
	best, from := "", ""
	for _, lin := range []family.Lineage{family.Tikv, family.Original} {
		for _, u := range uses {
			if u.Unused {
				continue // not in the graph: it chooses nothing
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
		return s, []string{why}, nil
	}
	return "", nil, nil
}

// lockedSeries returns the tikv series that a locked non-workspace package
// requires, when one does: jemfix cannot edit that requirement.
func lockedSeries(ws *workspace.Workspace) (string, []string) {
	best, why := "", []string(nil)
	for _, e := range conflict.External(ws.Lock) {
		if e.Crate.Lineage != family.Tikv {
			continue
		}
		s := family.SeriesOf(e.CrateVersion)
		if best == "" || family.CompareSeries(s, best) < 0 {
			best = s
			why = []string{fmt.Sprintf("series %s: Cargo.lock's %s %s needs %s %s", s, e.Package, e.Version, e.Crate.Name, e.CrateVersion)}
		}
	}
	return best, why
}

// lockedResolves checks the series against the family crates that locked
// non-workspace packages need: a fix moves only workspace entries, so a
// locked package that needs another sys crate keeps the conflict.
func lockedResolves(ws *workspace.Workspace, series string, why []string) (bool, []string) {
	ok := true
	want := family.Find(family.Tikv, family.Sys).Name + " " + series
	for _, e := range conflict.External(ws.Lock) {
		sys := e.Crate.Sys(family.SeriesOf(e.CrateVersion))
		if series != "" && sys != want {
			ok = false
			why = append(why, fmt.Sprintf("Cargo.lock's %s %s needs %s %s, so the conflict remains until it is updated", e.Package, e.Version, e.Crate.Name, e.CrateVersion))
		}
	}
	return ok, why
}
