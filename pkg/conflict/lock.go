package conflict

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/family"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// External lists locked packages outside the workspace and outside the
// family that depend on a family crate, such as a librocksdb-sys that needs
// tikv-jemalloc-sys ^0.5. Their requirement cannot be edited, so it pins the
// series that a fix may choose.
func External(l *workspace.Lock) []ExternalUse {
	if l == nil {
		return nil
	}
	var out []ExternalUse
	for _, p := range l.Packages {
		if p.Source == "" {
			continue
		}
		if _, ok := family.Lookup(p.Name); ok {
			continue
		}
		for _, d := range p.Dependencies {
			c, ok := family.Lookup(workspace.DepName(d))
			if !ok {
				continue
			}
			e := ExternalUse{Package: p.Name, Version: p.Version, Crate: c, CrateVersion: l.Version(d)}
			if dep, ok := l.Package(d); ok {
				e.Git = workspace.LockGitSource(dep.Source)
			}
			out = append(out, e)
		}
	}
	return out
}

// ExternalUse is a non-workspace package of Cargo.lock that depends on a
// family crate, or an entry of a manifest on a crate known to depend on
// one (a global crate, jemalloc_pprof: wrappers) when no Cargo.lock lists
// that crate (Member set).
type ExternalUse struct {
	Package, Version string
	Crate            family.Crate
	CrateVersion     string

	Member string             // the member whose entry names the global crate; "" for a locked package
	At     workspace.Position // that entry
	// Git is the source (workspace.GitSource's form) of the family crate
	// Cargo.lock gives the package when it comes from git, else "".
	Git string
}

// Sys names the sys package the external use reaches, as SysOf does for
// a use: cargo tells a package from git apart from the registry's.
func (e ExternalUse) Sys() string {
	if e.Git != "" {
		return GitSys(e.Crate, e.Git)
	}
	return e.Crate.Sys(family.SeriesOf(e.CrateVersion))
}

// Who names the package that needs the family crate, for messages:
// "Cargo.lock's rsys 0.1.0", or "a's jemallocator-global 0.3 (a/Cargo.toml:7:1)".
func (e ExternalUse) Who() string {
	if e.Member != "" {
		return fmt.Sprintf("%s's %s %s (%s)", e.Member, e.Package, e.Version, e.At)
	}
	return fmt.Sprintf("Cargo.lock's %s %s", e.Package, e.Version)
}

// Fix says what makes the package stop needing the family crate.
func (e ExternalUse) Fix() string {
	if w, ok := wrappers[e.Package]; ok && e.Member != "" {
		return w.fix(e.Package)
	}
	return fmt.Sprintf("update %s (or drop its jemalloc feature)", e.Package)
}

// Externals returns External(ws.Lock), and the manifests' entries on a
// crate of wrappers that the lock does not list (or all of them, without a
// lock), each as the family crate it depends on, on the series the
// entry's version brings.
func Externals(ws *workspace.Workspace) []ExternalUse { return externals(ws, true) }

// externals is Externals; with ranges, a wrapper's requirement that
// admits versions on several series takes the one the other entries
// reach (else the newest), as cargo would; without (settle, which those
// entries need first), such an entry is left out.
func externals(ws *workspace.Workspace, ranges bool) []ExternalUse {
	uses := wrapperUses(ws)
	stale := staleLocked(ws.Lock, uses)
	out := slices.DeleteFunc(External(ws.Lock), func(e ExternalUse) bool { return stale[e.Package+" "+e.Version] })
	var reached map[string]bool // the sys packages the entries of one series reach, once needed
	for _, u := range uses {
		if lockServes(ws.Lock, u.entry) {
			continue
		}
		r := u.w.brings(u.entry.Version)
		if len(r) == 0 || len(r) > 1 && !ranges {
			continue
		}
		series := r[0]
		if len(r) > 1 {
			if reached == nil {
				reached = fixedSys(Uses(ws))
			}
			series = cmp.Or(newestReached(u.w.crate, r, reached), r[len(r)-1])
		}
		out = append(out, ExternalUse{Package: u.entry.RealName(), Version: u.entry.Version, Crate: u.w.crate, CrateVersion: series,
			Member: u.m.Name, At: ws.Position(u.m, u.d.Start)})
	}
	return out
}

// wrapperUse is an entry d of m, in the graph, on a crate of wrappers
// (entry: the inherited one for `workspace = true`).
type wrapperUse struct {
	m        *workspace.Manifest
	d, entry *tomledit.Dep
	w        wrapper
}

// wrapperUses returns the entries of the graph on a crate of wrappers, in
// manifest order.
func wrapperUses(ws *workspace.Workspace) []wrapperUse {
	var out []wrapperUse
	for _, m := range ws.Manifests() {
		for _, d := range m.Doc.Deps() {
			if d.InWorkspace || m.NonMember && d.Kind == "dev" {
				continue
			}
			if entry, w, ok := wrapperEntry(ws, m, d); ok {
				out = append(out, wrapperUse{m: m, d: d, entry: entry, w: w})
			}
		}
	}
	return out
}

// lockServes reports whether Cargo.lock holds the crate of entry, a
// wrapper entry, at a version entry admits: the lock then says what it
// brings. A lock made before the entry moved to another version (cargo
// cannot lock the manifests again while the conflict stands) does not.
func lockServes(l *workspace.Lock, entry *tomledit.Dep) bool {
	if l == nil {
		return false
	}
	for _, p := range l.Packages {
		if p.Name == entry.RealName() && (entry.Version == "" || !strings.HasPrefix(p.Source, "registry+") || admits(entry.Version, p.Version)) {
			return true
		}
	}
	return false
}

// admits reports whether requirement req admits version's series.
func admits(req, version string) bool {
	return len(family.Admitted(req, []string{family.SeriesOf(version)})) > 0
}

// staleLocked returns the packages of Cargo.lock ("name version") of a
// wrapper crate that an entry names, that no entry on that crate admits,
// and that no other package of the lock depends on: what the lock holds
// of an entry since moved to another version, which the graph no longer
// has.
func staleLocked(l *workspace.Lock, uses []wrapperUse) map[string]bool {
	if l == nil {
		return nil
	}
	reqs := map[string][]string{} // wrapper crate -> the requirements of the entries on it
	for _, u := range uses {
		reqs[u.entry.RealName()] = append(reqs[u.entry.RealName()], u.entry.Version)
	}
	var out map[string]bool
	for _, p := range l.Packages {
		rs, named := reqs[p.Name]
		if !named || !strings.HasPrefix(p.Source, "registry+") ||
			slices.ContainsFunc(rs, func(r string) bool { return r == "" || admits(r, p.Version) }) || neededInLock(l, p) {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[p.Name+" "+p.Version] = true
	}
	return out
}

// neededInLock reports whether a package of l from outside the workspace
// (one with a source) depends on p.
func neededInLock(l *workspace.Lock, p workspace.LockPackage) bool {
	for _, q := range l.Packages {
		if q.Source == "" {
			continue
		}
		for _, d := range q.Dependencies {
			if workspace.DepName(d) == p.Name && (l.Version(d) == p.Version || l.Version(d) == "") {
				return true
			}
		}
	}
	return false
}

// wrapperEntry returns the entry that d of m names a crate of wrappers
// by (the inherited one for `workspace = true`), when it is in the graph.
func wrapperEntry(ws *workspace.Workspace, m *workspace.Manifest, d *tomledit.Dep) (*tomledit.Dep, wrapper, bool) {
	entry := d
	if d.Workspace {
		if entry = ws.Inherited(d.Key); entry == nil {
			return nil, wrapper{}, false
		}
	}
	w, ok := wrappers[entry.RealName()]
	if !ok || d.Optional && m.NonMember && !ws.Enabled(m, d.Key) {
		return nil, wrapper{}, false // not in the graph (Uses)
	}
	return entry, w, true
}

// LockedGit returns the version Cargo.lock holds of the package name taken
// from a git repository, or "".
func LockedGit(l *workspace.Lock, name string) string {
	if l == nil {
		return ""
	}
	for _, p := range l.Packages {
		if p.Name == name && strings.HasPrefix(p.Source, "git+") {
			return p.Version
		}
	}
	return ""
}

// Unseen lists, when the workspace has no Cargo.lock, the entries that
// turn on a jemalloc feature of a crate outside the family (librocksdb-sys's
// "jemalloc"): that crate brings a jemalloc sys crate of its own choosing,
// which only Cargo.lock shows, so a conflict may hide there. Each is
// "path:line:col: key enables \"feature\"". So do the [patch] and
// [replace] entries that take the allocator or the control crate from git
// when Cargo.lock does not hold that package: whether the repository's
// crate builds on a sys crate of its own (forkOf) only the lock shows.
// Without a lock, so do the entries on a crate outside the family whose
// name says jemalloc, and on a known one (wrappers) at a version jemfix
// does not know (unknownJemalloc).
func Unseen(ws *workspace.Workspace) []string {
	var out []string
	for _, p := range ws.Patches() {
		// A Cargo.lock made before the patch (cargo cannot lock the
		// conflict it brings) does not show it either.
		if c, ok := family.Lookup(p.Crate); ok && c.Role != family.Sys && p.Git != "" && p.Table != "[patch.'"+p.Git+"']" &&
			ws.LockedGitVersion(c.Name, p.Source()) == "" {
			sys := c.SysCrate().Name
			if slices.ContainsFunc(ws.Patches(), func(o workspace.Patch) bool { return o.Table == p.Table && o.Crate == sys && o.Source() == p.Source() }) {
				continue // the sys crate comes from that repository already
			}
			advice := fmt.Sprintf("if cargo reports a links conflict, take %s from that repository too: %s = %s in %s", sys, sys, GitEntry(p), ws.PatchTable(p))
			if p.Table == "[replace]" {
				advice = fmt.Sprintf("if cargo reports a links conflict, take %s from that repository too", sys)
			}
			out = append(out, fmt.Sprintf("%s: %s takes %s from git; %s", ws.PatchAt(p), p.Table, p.Crate, advice))
		}
	}
	if ws.Lock != nil {
		return out
	}
	for _, m := range ws.Manifests() {
		for _, d := range m.Doc.Deps() {
			// A package of the graph is read: its own entries are uses.
			if _, ok := family.Lookup(d.RealName()); ok || ws.PathTarget(m, d) != nil {
				continue
			}
			if note := unknownJemalloc(ws, m, d); note != "" {
				out = append(out, note)
				continue
			}
			if workspace.EnablesJemalloc(d) {
				for _, f := range d.FeatureNames() {
					if mentionsJemalloc(f) {
						out = append(out, fmt.Sprintf("%s: %s enables %q", ws.Position(m, d.Start), d.Key, f))
						break
					}
				}
			}
			// A feature of the package may turn it on too ("d/jemalloc").
			for _, f := range m.Doc.Features() {
				for _, r := range f.Refs {
					if k, feat, ok := strings.Cut(r.Value, "/"); ok && strings.TrimSuffix(strings.TrimPrefix(k, "dep:"), "?") == d.Key && mentionsJemalloc(feat) {
						out = append(out, fmt.Sprintf("%s: feature %s enables %q of %s", ws.Position(m, r.Span.Start), f.Name, feat, d.Key))
					}
				}
			}
		}
	}
	return out
}

// UnknownSys returns the packages of Cargo.lock named like a jemalloc sys
// crate (…jemalloc-sys) that are not of the family: a fork published
// under a name of its own, which links to jemalloc as the family's sys
// crates do, and which jemfix neither counts nor moves. With one of the
// family's sys crates in the graph, cargo reports the links conflict.
func UnknownSys(ws *workspace.Workspace) []workspace.LockPackage {
	if ws.Lock == nil {
		return nil
	}
	var out []workspace.LockPackage
	for _, p := range ws.Lock.Packages {
		if _, fam := family.Lookup(p.Name); !fam && strings.HasSuffix(p.Name, "jemalloc-sys") {
			out = append(out, p)
		}
	}
	return out
}

// unknownJemalloc says why entry d of m may bring a jemalloc crate that
// jemfix does not count, or "": the crate is outside the family and says
// jemalloc in its name, and it is not one of wrappers on a version jemfix
// knows. [workspace.dependencies] entries count where members inherit them.
func unknownJemalloc(ws *workspace.Workspace, m *workspace.Manifest, d *tomledit.Dep) string {
	if d.InWorkspace || m.NonMember && d.Kind == "dev" || d.Optional && m.NonMember && !ws.Enabled(m, d.Key) {
		return ""
	}
	entry := d
	if d.Workspace {
		if entry = ws.Inherited(d.Key); entry == nil {
			return ""
		}
	}
	name := entry.RealName()
	if _, fam := family.Lookup(name); fam || !mentionsJemalloc(name) {
		return ""
	}
	at := ws.Position(m, d.Start)
	w, known := wrappers[name]
	switch {
	case !known:
		return fmt.Sprintf("%s: %s %s, a crate jemfix does not know, may depend on a jemalloc crate", at, name, entry.Version)
	case len(w.brings(entry.Version)) == 0:
		return fmt.Sprintf("%s: %s %s depends on %s, on a series jemfix does not know for that version", at, name, entry.Version, w.crate.Name)
	}
	return ""
}

func mentionsJemalloc(s string) bool { return strings.Contains(strings.ToLower(s), "jemalloc") }
