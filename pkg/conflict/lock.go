package conflict

import (
	"fmt"
	"strings"

	"jemfix/pkg/family"
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
			version := l.Version(d)
			out = append(out, ExternalUse{Package: p.Name, Version: p.Version, Crate: c, CrateVersion: version})
		}
	}
	return out
}

// ExternalUse is a non-workspace package of Cargo.lock that depends on a
// family crate.
type ExternalUse struct {
	Package, Version string
	Crate            family.Crate
	CrateVersion     string
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
func Unseen(ws *workspace.Workspace) []string {
	var out []string
	for _, p := range ws.Patches() {
		// A Cargo.lock made before the patch (cargo cannot lock the
		// conflict it brings) does not show it either.
		if c, ok := family.Lookup(p.Crate); ok && c.Role != family.Sys && p.Git != "" && p.Table != "[patch.'"+p.Git+"']" &&
			ws.LockedGitVersion(c.Name, p.Source()) == "" {
			sys := c.SysCrate().Name
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
			if _, ok := family.Lookup(d.RealName()); ok || d.InWorkspace || ws.PathTarget(m, d) != nil {
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

func mentionsJemalloc(s string) bool { return strings.Contains(strings.ToLower(s), "jemalloc") }
