// Package conflict analyses a loaded workspace for the jemalloc family:
// every dependency entry on a family crate (Uses), the chains by which the
// graph reaches a links = "jemalloc" crate, the conflict they make (Scan),
// the locked packages that pin a series, and which features switch jemalloc
// on. It reads the model; it changes nothing.
package conflict

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"jemfix/pkg/family"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// Use is one dependency entry on a family crate, in a member manifest or in
// [workspace.dependencies].
type Use struct {
	Manifest *workspace.Manifest
	Dep      *tomledit.Dep // the manifest's own entry (Doc.Deps): read it, never change it
	Crate    family.Crate
	Req      string // version requirement; the inherited one for `workspace = true`
	Series   string // the series Req selects; the newest published when Req has no lower bound
	// Range lists the series Req admits when there are several ("*",
	// ">=0.5, <0.7"), oldest first, else nil. Uses settles Series on the
	// one the other entries reach, if any, as cargo's resolver would.
	Range   []string
	Inherit *tomledit.Dep // the [workspace.dependencies] entry a `workspace = true` entry inherits
	// Local is the package of the graph a path dependency names: a local
	// copy of the family crate, whose own entries say what it links to.
	Local *workspace.Manifest
	// Git names the source of an entry (or the entry it inherits) that
	// takes the crate from a git repository (workspace.GitSource), "" for
	// the others: cargo counts that package apart from the registry's
	// crate of the same name.
	Git string

	// Unused marks a [workspace.dependencies] entry that no member
	// inherits: cargo does not resolve it, so it takes no part in the
	// graph, the conflict or any choice.
	Unused bool
}

// Uses returns every family dependency of the workspace, in manifest order.
func Uses(ws *workspace.Workspace) []Use {
	var out []Use
	for _, m := range ws.Manifests() {
		for _, dep := range m.Doc.Deps() { // read only, and so are the uses' entries
			if dep.InWorkspace && m != ws.Root {
				continue
			}
			if m.NonMember && dep.Kind == "dev" {
				continue // cargo resolves the dev-dependencies of members only
			}
			if m.NonMember && dep.Optional && !dep.InWorkspace {
				if _, fam := family.Lookup(dep.RealName()); fam && !ws.Enabled(m, dep.Key) {
					continue // and their features only as the packages that depend on them ask
				}
			}
			if u, ok := UseOf(ws, m, dep); ok {
				u.Unused = dep.InWorkspace && !ws.IsInherited(dep.Key)
				out = append(out, u)
			}
		}
	}
	settle(ws, out)
	return slices.Clone(out) // no spare capacity: a workspace of many thousand members keeps them while it is planned
}

// settle gives each use whose requirement admits several series the one
// cargo's resolver would pick, as far as the manifests tell: the series
// Cargo.lock holds for the crate, else the newest of them whose sys
// package an entry of one series (or a locked package) reaches, else the
// newest that every such use of its sys crate admits. cargo picks
// versions that share one links package when some do.
func settle(ws *workspace.Workspace, uses []Use) {
	flexible := false
	for _, u := range uses {
		flexible = flexible || len(u.Range) > 0
	}
	if !flexible {
		return
	}
	fixed := fixedSys(uses)
	for _, e := range externals(ws, false) {
		fixed[e.Sys()] = true
	}
	common := map[string]map[string]bool{} // sys crate -> the sys packages every flexible use of it admits
	for _, u := range uses {
		if len(u.Range) == 0 || u.Unused || u.Dep.InWorkspace {
			continue
		}
		admits := map[string]bool{}
		for _, s := range u.Range {
			admits[u.Crate.Sys(s)] = true
		}
		name := u.Crate.SysCrate().Name
		if prev, ok := common[name]; ok {
			maps.DeleteFunc(prev, func(sys string, _ bool) bool { return !admits[sys] })
		} else {
			common[name] = admits
		}
	}
	for i, u := range uses {
		if len(u.Range) == 0 {
			continue
		}
		if s := lockedSeries(ws.Lock, u); s != "" {
			uses[i].Series = s
			continue
		}
		if s := cmp.Or(newestReached(u.Crate, u.Range, fixed), newestReached(u.Crate, u.Range, common[u.Crate.SysCrate().Name])); s != "" {
			uses[i].Series = s
		}
	}
}

// newestReached returns the newest of series (oldest first) at which c
// reaches a sys package of reached, or "".
func newestReached(c family.Crate, series []string, reached map[string]bool) string {
	for _, s := range slices.Backward(series) {
		if reached[c.Sys(s)] {
			return s
		}
	}
	return ""
}

// fixedSys returns the sys packages that the entries of one series among
// uses reach: those a requirement admitting several settles on when it can.
func fixedSys(uses []Use) map[string]bool {
	out := map[string]bool{}
	for _, u := range uses {
		if len(u.Range) == 0 && !u.Unused && !u.Dep.InWorkspace {
			out[u.Crate.Sys(u.Series)] = true
		}
	}
	return out
}

// lockedSeries returns the series of u's crate from the registry that
// Cargo.lock holds, when one of them is a series u's requirement admits.
func lockedSeries(l *workspace.Lock, u Use) string {
	if l == nil || u.Git != "" || u.Local != nil {
		return ""
	}
	best := ""
	for _, p := range l.Packages {
		if p.Name != u.Crate.Name || !strings.HasPrefix(p.Source, "registry+") {
			continue
		}
		if s := family.SeriesOf(p.Version); slices.Contains(u.Range, s) && (best == "" || family.CompareSeries(s, best) > 0) {
			best = s
		}
	}
	return best
}

// UseOf returns the use that entry dep of m makes, if it names a family
// crate (for `workspace = true`, through the inherited entry).
func UseOf(ws *workspace.Workspace, m *workspace.Manifest, dep *tomledit.Dep) (Use, bool) {
	u := Use{Manifest: m, Dep: dep, Req: dep.Version}
	real := dep.RealName()
	if dep.Workspace && !dep.InWorkspace {
		u.Inherit = ws.Inherited(dep.Key)
		if u.Inherit == nil {
			return Use{}, false
		}
		real, u.Req = u.Inherit.RealName(), u.Inherit.Version
	}
	c, ok := family.Lookup(real)
	if !ok {
		return Use{}, false
	}
	u.Crate = c
	u.Local = ws.PathTarget(m, dep)
	source := dep
	if u.Inherit != nil {
		source = u.Inherit
	}
	if slices.Contains(source.Fields, "git") {
		at := m
		if u.Inherit != nil {
			at = ws.Root
		}
		if u.Git = ws.GitSource(at, source); u.Git == "" {
			u.Git = "an unread repository" // git = is not a string
		}
	}
	switch {
	case u.Req == "" && u.Local != nil:
		// A path dependency on a local copy of a family crate: the copy's
		// own version says which series it is.
		u.Req = ws.Version(u.Local)
	case u.Req == "" && u.Git != "":
		u.Req = LockedGit(ws.Lock, real) // the version Cargo.lock took from the repository
	}
	u.Series = family.SeriesOf(u.Req)
	if u.Series == "" {
		u.Series = c.Series[len(c.Series)-1]
	}
	if family.MaybeSeveral(u.Req) {
		if r := family.Admitted(u.Req, c.Series); len(r) > 1 {
			u.Range, u.Series = r, r[len(r)-1]
		}
	}
	return u, true
}

// Chain is one way the graph reaches a links = "jemalloc" crate.
type Chain struct {
	Steps []string           // package names with requirements, from a member (or a locked package) to the sys crate
	Sys   string             // the sys crate reached, e.g. "tikv-jemalloc-sys 0.5"
	At    workspace.Position // the dependency entry that starts the chain
}

// String prints the chain the way cargo prints dependency paths.
func (c Chain) String() string {
	return strings.Join(c.Steps, " -> ") + fmt.Sprintf(" (links = %q)", family.Links)
}

// Report is what Scan found.
type Report struct {
	Uses     []Use
	Chains   []Chain
	Sys      []string // distinct sys packages the graph needs, e.g. "jemalloc-sys 0.5"
	Conflict bool     // more than one package links to jemalloc
	Movable  int      // entries that name an original-lineage crate, those that inherit it included
}

// Scan finds the family dependencies and the links conflict.
func Scan(ws *workspace.Workspace) *Report {
	r := &Report{Uses: Uses(ws)}
	patched := PatchedSys(ws)
	for _, u := range r.Uses {
		// A path dependency is a local copy, and a git one a repository's
		// package: each keeps its own name, and jemfix does not move it.
		// A member's entry that inherits the crate counts beside the
		// workspace's: Option 1 moves both.
		if _, copied := OnTikvCopy(u, patched); u.Crate.Lineage == family.Original && !u.Unused && u.Dep.Path == "" && u.Git == "" && !copied {
			r.Movable++
		}
		if u.Dep.InWorkspace {
			continue // only what members use takes part in resolution
		}
		if u.Local != nil && u.Crate.Role != family.Sys {
			// A local copy of jemallocator or jemalloc-ctl links to what
			// its own manifest names, and that manifest's entries are
			// uses of their own: its version says nothing of its sys crate.
			continue
		}
		r.add(chain(ws, u, patched))
	}
	for _, e := range Externals(ws) {
		r.add(externalChain(e, patched))
	}
	r.Conflict = len(r.Sys) > 1
	return r
}

func (r *Report) add(c Chain) {
	r.Chains = append(r.Chains, c)
	if !slices.Contains(r.Sys, c.Sys) {
		r.Sys = append(r.Sys, c.Sys)
	}
}

// Unmovable reports whether u is in the graph through a package a fix
// cannot move: a local copy of a sys crate (a path dependency) or a crate
// from git. Its sys package stays what it is.
func (u Use) Unmovable() bool {
	return !u.Unused && !u.Dep.InWorkspace && ((u.Local != nil && u.Crate.Role == family.Sys) || u.Git != "")
}

// LocalSys names the sys package that a path dependency on a local copy of
// a sys crate reaches. cargo tells a local package apart from the registry
// crate of the same name and version, and both link to jemalloc: the copy
// is a sys package of its own.
func LocalSys(u Use) string { return u.Crate.Sys(u.Series) + " (path " + u.Local.Dir + ")" }

// PatchedSys maps each registry sys package ("tikv-jemalloc-sys 0.5") that
// a [patch] or [replace] of the root points at a local copy to that copy's
// name (LocalSys): cargo then resolves the registry crate to the copy.
func PatchedSys(ws *workspace.Workspace) map[string]string {
	out := map[string]string{}
	for _, p := range ws.Patches() {
		c, ok := family.Lookup(p.Crate)
		if !ok {
			continue
		}
		switch doc := ws.PatchManifest(p); {
		case c.Role == family.Sys && doc != nil && p.Table == "[replace]":
			// A [replace] reads the registry's package from the copy, but
			// it stays the registry's package: a path dependency on the
			// same copy is another one, and cargo counts both.
		case c.Role == family.Sys && doc != nil:
			version := doc.PackageString("version")
			if t := ws.PatchTarget(p); t != nil {
				version = ws.Version(t) // inherited from the workspace, perhaps
			}
			series := family.SeriesOf(version)
			out[c.Sys(series)] = LocalSys(Use{Crate: c, Series: series, Local: &workspace.Manifest{Dir: path.Clean(p.Path)}})
		case c.Role == family.Sys && p.Git != "":
			for _, series := range c.Series {
				out[c.Sys(series)] = c.Name + " (git " + p.Source() + ")"
			}
		default:
			if f, ok := forkOf(ws, p); ok {
				out[c.Name+" "+f.series] = f.sys
			}
		}
	}
	return out
}

// fork is a [patch.crates-io] entry that takes the allocator or the
// control crate from a fork whose sys crate is a package of its own.
type fork struct {
	series string // the series of the fork's crate: the requirements it stands in for
	sys    string // the sys package it reaches (LocalSys, or "… (git …)")
	entry  string // the entry that takes the sys crate from the fork too
}

// forkOf reads patch p as a fork (fork). A fork by path names its sys
// crate by path in its own manifest. A fork from git counts only when
// Cargo.lock shows the sys crate taken from the same repository: its
// manifest is not here to read. A patch of another table stands in for
// other sources than the registry's, and [replace] takes versions, not
// forks, in this sense.
func forkOf(ws *workspace.Workspace, p workspace.Patch) (fork, bool) {
	c, ok := family.Lookup(p.Crate)
	if !ok || c.Role == family.Sys || !p.CratesIO() && !replacesRegistry(p) {
		return fork{}, false
	}
	sys := c.SysCrate()
	if doc := ws.PatchManifest(p); doc != nil {
		series := family.SeriesOf(doc.PackageString("version"))
		if t := ws.PatchTarget(p); t != nil {
			series = family.SeriesOf(ws.Version(t)) // inherited from the workspace, perhaps
		}
		for _, d := range doc.Deps() {
			if d.Kind == "dev" || series == "" {
				continue
			}
			switch other, ok := family.Lookup(d.RealName()); {
			case d.RealName() == sys.Name && d.Path != "":
				dir := path.Clean(path.Join(p.Path, d.Path))
				return fork{series: series, sys: LocalSys(Use{Crate: sys, Series: family.SeriesOf(d.Version), Local: &workspace.Manifest{Dir: dir}}),
					entry: fmt.Sprintf("{ path = %q }", dir)}, true
			case ok && other.Role == family.Sys && d.Registry():
				// A copy that builds on another registry sys crate than
				// the crate's own (a fork moved to the other family's,
				// or to another series): the patched crate reaches it.
				if sys := copySys(ws, other, d.Version); sys != "" && sys != c.Sys(series) {
					return fork{series: series, sys: sys}, true
				}
				return fork{}, false
			}
		}
		return fork{}, false
	}
	if p.Git == "" || p.Table == "[replace]" || ws.LockedGitVersion(sys.Name, p.Source()) == "" {
		return fork{}, false
	}
	version := ws.LockedGitVersion(c.Name, p.Source())
	if version == "" {
		return fork{}, false
	}
	return fork{series: family.SeriesOf(version), sys: sys.Name + " (git " + p.Source() + ")", entry: GitEntry(p)}, true
}

// copySys returns the sys package that a patched copy's requirement req
// on the sys crate sys reaches: its series, or, when req admits several,
// the newest of them that an entry of one series reaches (cargo picks the
// one the others share), else the newest; "" when req admits none.
func copySys(ws *workspace.Workspace, sys family.Crate, req string) string {
	admitted := family.Admitted(req, sys.Series)
	switch len(admitted) {
	case 0:
		return ""
	case 1:
		return sys.Sys(admitted[0])
	}
	return sys.Sys(cmp.Or(newestReached(sys, admitted, fixedSys(Uses(ws))), admitted[len(admitted)-1]))
}

// replacesRegistry reports whether p is a [replace] of a crates.io
// package: a spec with no source, or the crates.io index's.
func replacesRegistry(p workspace.Patch) bool {
	url, _, hasURL := strings.Cut(p.Key, "#")
	return p.Table == "[replace]" && (!hasURL || strings.Contains(url, "github.com/rust-lang/crates.io-index"))
}

// GitEntry writes the inline table that takes a crate from the git
// source of patch p: { git = "…", rev = "…" }.
func GitEntry(p workspace.Patch) string {
	entry := fmt.Sprintf("{ git = %q", p.Git)
	if field, value, ok := strings.Cut(strings.TrimPrefix(p.Ref, "?"), "="); ok {
		entry += fmt.Sprintf(", %s = %q", field, value)
	}
	return entry + " }"
}

// Forks lists the [patch.crates-io] entries that take the allocator or
// the control crate from a fork whose sys crate is a package of its own
// (forkOf), and that an entry of the graph resolves to, while the
// registry's sys crate is not patched to the fork's: that entry reaches
// another sys package than the registry crates beside it.
func Forks(ws *workspace.Workspace) []workspace.Patch {
	patched := PatchedSys(ws)
	uses := Uses(ws)
	var out []workspace.Patch
	for _, p := range ws.Patches() {
		f, ok := forkOf(ws, p)
		if !ok {
			continue
		}
		c, _ := family.Lookup(p.Crate)
		if f.entry == "" && c.Lineage == family.Original {
			continue // a copy of an original crate on another sys crate: Option 1 moves its entries off it
		}
		if patched[c.SysCrate().Sys(f.series)] == f.sys {
			continue // the sys crate comes from the fork too
		}
		if slices.ContainsFunc(uses, func(u Use) bool {
			return !u.Unused && !u.Dep.InWorkspace && u.Crate.Name == c.Name && u.Git == "" && u.Local == nil && u.Series == f.series
		}) {
			out = append(out, p)
		}
	}
	return out
}

// ForkAdvice says that patch f takes a jemalloc crate from a fork whose
// sys crate is a package apart (Forks), and what removes the conflict.
func ForkAdvice(ws *workspace.Workspace, f workspace.Patch) string {
	c, _ := family.Lookup(f.Crate)
	fk, _ := forkOf(ws, f)
	if fk.entry == "" {
		return fmt.Sprintf("%s at %s takes %s from a copy (path %s) that builds on %s, not on the %s the others reach, so the conflict remains until the copy builds on that one, or the patch goes",
			f.Table, ws.PatchAt(f), f.Crate, path.Clean(f.Path), fk.sys, c.SysCrate().Sys(fk.series))
	}
	sys := c.SysCrate().Name
	what := fmt.Sprintf("add %s = %s to %s", sys, fk.entry, ws.PatchTable(f))
	if f.Table == "[replace]" {
		// A [replace] of the sys crate would leave the fork's path
		// dependency a package apart, and cargo refuses [replace] beside
		// [patch]: the fork moves to [patch.crates-io].
		return fmt.Sprintf("[replace] at %s takes %s from a fork, whose own %s is a package apart from the registry's, so the conflict remains; a [replace] of %s would not make it the same package, and cargo refuses [replace] beside [patch]: replace the entry with %s = { path = %q } and %s = %s in [patch.crates-io] (and any other [replace] entry with its [patch] entry)",
			ws.PatchAt(f), f.Crate, sys, sys, f.Crate, path.Clean(f.Path), sys, fk.entry)
	}
	for _, other := range ws.Patches() {
		if other.Table == f.Table && other.Crate == sys {
			what = fmt.Sprintf("make %s's entry at %s %s", sys, ws.PatchAt(other), fk.entry)
		}
	}
	return fmt.Sprintf("%s at %s takes %s from a fork, whose own %s is a package apart from the registry's, so the conflict remains until the workspace takes it from the fork too: %s",
		f.Table, ws.PatchAt(f), f.Crate, sys, what)
}

// GitSys names the sys package that family crate c from the git source
// src (workspace.GitSource's form) reaches.
func GitSys(c family.Crate, src string) string { return c.SysCrate().Name + " (git " + src + ")" }

// SysOf names the sys package a use reaches, with patched from PatchedSys
// (nil: none). A crate from git reaches the sys crate of its repository.
func SysOf(u Use, patched map[string]string) string {
	switch {
	case u.Local != nil && u.Crate.Role == family.Sys:
		return LocalSys(u)
	case u.Git != "":
		// cargo tells packages from git apart by their source: entries
		// that name one repository and reference reach one sys package,
		// whatever version each asks for.
		return GitSys(u.Crate, u.Git)
	}
	if fork, ok := patched[u.Crate.Name+" "+u.Series]; ok && u.Local == nil {
		return fork // the crate is patched to a fork with a sys crate of its own
	}
	sys := u.Crate.Sys(u.Series)
	if local, ok := patched[sys]; ok {
		return local
	}
	return sys
}

// OnTikvCopy reports whether u, an entry of an original crate from the
// registry, is patched ([patch.crates-io], PatchedSys) to a copy that
// builds on a tikv sys crate already, and returns that sys package: the
// entry needs no move, and a move would leave the copy out.
func OnTikvCopy(u Use, patched map[string]string) (string, bool) {
	if u.Crate.Lineage != family.Original || u.Local != nil || u.Git != "" || u.Unused {
		return "", false
	}
	sys, ok := patched[u.Crate.Name+" "+u.Series]
	name, _, _ := strings.Cut(sys, " ")
	if c, known := family.Lookup(name); ok && known && c.Lineage == family.Tikv {
		return sys, true
	}
	return "", false
}

func chain(ws *workspace.Workspace, u Use, patched map[string]string) Chain {
	name := u.Manifest.Name
	step := u.Crate.Name + " " + u.Req
	if u.Req == "" {
		step = u.Crate.Name
	}
	if key := u.Dep.Key; key != u.Crate.Name {
		step += " (as " + key + ")"
	}
	sys := SysOf(u, patched)
	steps := []string{name, step}
	if u.Crate.Role != family.Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys, At: Pos(ws, u)}
}

func externalChain(e ExternalUse, patched map[string]string) Chain {
	sys := e.Sys()
	if local, ok := patched[sys]; ok {
		sys = local
	}
	steps := []string{"Cargo.lock: " + e.Package + " " + e.Version, e.Crate.Name + " " + e.CrateVersion}
	if e.Member != "" { // a global crate's entry: the path starts at the member
		steps = []string{e.Member, e.Package + " " + e.Version, e.Crate.Name + " " + e.CrateVersion}
	}
	if e.Crate.Role != family.Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys, At: e.At}
}

// Pos returns where a use is written.
func Pos(ws *workspace.Workspace, u Use) workspace.Position {
	return ws.Position(u.Manifest, u.Dep.Start)
}

// MemberUses returns the uses in member manifests, leaving out the
// [workspace.dependencies] entries.
func MemberUses(ws *workspace.Workspace) []Use {
	var out []Use
	for _, u := range Uses(ws) {
		if !u.Dep.InWorkspace {
			out = append(out, u)
		}
	}
	return out
}
