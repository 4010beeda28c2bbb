package plan

import (
	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// A workspace may take a tikv crate from a git repository for every member
// that inherits it ([workspace.dependencies] tikv-jemalloc-ctl = { git =
// … }). A registry entry moved to that crate must then inherit it too:
// cargo counts the git package apart from the registry's, and a registry
// version would leave two sys packages, the conflict. The move writes
// `tikv-jemalloc-ctl = { workspace = true }`, keeping the entry's features
// and optional.

// gitTarget returns the [workspace.dependencies] entry from git that u's
// move inherits, its source and the series it holds ("" when neither its
// version nor Cargo.lock says); nil when there is none, or when u's entry
// is written in a form the move cannot turn into an inheriting one (a
// table of its own, package =, fields other than version, features and
// optional), or when u is a control crate before statsSeries and the
// series of the git crate is not known: its stats feature would be a
// guess.
func gitTarget(ws *workspace.Workspace, u conflict.Use) (target *tomledit.Dep, src, series string) {
	dep := u.Dep
	if u.Unused || dep.InWorkspace || u.Inherit != nil || u.Git != "" || dep.Path != "" || dep.Package != "" || ws.Root == nil {
		return nil, "", ""
	}
	target = ws.Inherited(u.Crate.TikvName())
	if target == nil || target.Package != "" && target.Package != u.Crate.TikvName() {
		return nil, "", ""
	}
	if src = ws.GitSource(ws.Root, target); src == "" {
		return nil, "", ""
	}
	for _, f := range dep.Fields {
		if f != "version" && f != "features" && f != "optional" {
			return nil, "", ""
		}
	}
	if u.Manifest.Doc.Inherit(dep, nil) == nil {
		return nil, "", "" // a table of its own, dotted keys
	}
	version := target.Version
	if version == "" {
		version = ws.LockedGitVersion(u.Crate.TikvName(), src)
	}
	if version != "" {
		series = family.SeriesOf(version)
	}
	if u.Crate.Role == family.Control && family.CompareSeries(u.Series, statsSeries) < 0 && series == "" {
		return nil, "", ""
	}
	return target, src, series
}

// gitSys is the sys package a move of u that inherits a git entry of
// source src reaches.
func gitSys(u conflict.Use, src string) string {
	return conflict.SysOf(conflict.Use{Crate: family.Find(family.Tikv, u.Crate.Role), Git: src}, nil)
}

// inheritMove is planMove's move of u onto target, the git entry of
// source src in [workspace.dependencies] (gitTarget), which holds series:
// the key takes the tikv name, the version becomes `workspace = true`, and
// a control crate that crosses into statsSeries enables "stats", as
// statsGated's moves do.
func inheritMove(ws *workspace.Workspace, u conflict.Use, target *tomledit.Dep, newKey, series string, src string) plannedMove {
	doc, dep := u.Manifest.Doc, u.Dep
	var pm plannedMove
	var es []textedit.Edit
	if newKey != dep.Key {
		es = append(es, doc.RenameDependency(dep, newKey)...)
		pm.renamed, pm.newKey = true, newKey
	}
	var features []string
	if u.Crate.Role == family.Control && crossesStats(u.Series, series) && !dep.Enables("stats") && !target.Enables("stats") {
		features = []string{"stats"}
	}
	pm.edits = append(es, doc.Inherit(dep, features)...)
	to := u.Crate.TikvName()
	if series != "" {
		to += " " + series
	}
	pm.move = Move{At: ws.Position(u.Manifest, dep.Start), Member: u.Manifest.Name, From: u.Crate.Name + " " + u.Series,
		To: to + " (git " + src + ", inherited from [workspace.dependencies])"}
	return pm
}

// InheritsGit reports whether every entry Option 1 moves can inherit a git
// entry of [workspace.dependencies] (gitTarget), all of one source, which
// is the source of every git entry it leaves: the move then brings the
// workspace to that repository's crates, one sys package.
func InheritsGit(ws *workspace.Workspace, uses []conflict.Use) bool {
	source, moved := "", false
	same := func(src string) bool {
		if source == "" {
			source = src
		}
		return src == source
	}
	for _, u := range uses {
		switch {
		case u.Unused || u.Dep.InWorkspace:
		case u.Git != "":
			if !same(u.Git) {
				return false
			}
		case u.Local != nil:
			return false
		default:
			_, src, _ := gitTarget(ws, u)
			if src == "" || !same(src) {
				return false
			}
			moved = true
		}
	}
	return moved
}
