// Package conflict analyses a loaded workspace for the jemalloc family:
// every dependency entry on a family crate (Uses), the chains by which the
// graph reaches a links = "jemalloc" crate, the conflict they make (Scan),
// the locked packages that pin a series, and which features switch jemalloc
// on. It reads the model; it changes nothing.
package conflict

import (
	"fmt"
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
	Req      string        // version requirement; the inherited one for `workspace = true`
	Series   string        // the series Req selects; the newest published when Req has no lower bound
	Inherit  *tomledit.Dep // the [workspace.dependencies] entry a `workspace = true` entry inherits

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
			if u, ok := UseOf(ws, m, dep); ok {
				u.Unused = dep.InWorkspace && !ws.IsInherited(dep.Key)
				out = append(out, u)
			}
		}
	}
	return out
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
	if u.Req == "" {
		// A path dependency on a local copy of a family crate: the copy's
		// own version says which series it is.
		if t := ws.PathTarget(m, dep); t != nil {
			u.Req = ws.Version(t)
		}
	}
	u.Series = family.SeriesOf(u.Req)
	if u.Series == "" {
		u.Series = c.Series[len(c.Series)-1]
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
	Movable  int      // entries that name an original-lineage crate
}

// Scan finds the family dependencies and the links conflict.
func Scan(ws *workspace.Workspace) *Report {
	r := &Report{Uses: Uses(ws)}
	for _, u := range r.Uses {
		// A path dependency is a local copy: it keeps its own name, and
		// jemfix does not move it.
		if u.Crate.Lineage == family.Original && u.Inherit == nil && !u.Unused && u.Dep.Path == "" {
			r.Movable++
		}
		if u.Dep.InWorkspace {
			continue // only what members use takes part in resolution
		}
		r.add(chain(ws, u))
	}
	for _, e := range External(ws.Lock) {
		r.add(externalChain(e))
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

func chain(ws *workspace.Workspace, u Use) Chain {
	name := u.Manifest.Name
	step := u.Crate.Name + " " + u.Req
	if u.Req == "" {
		step = u.Crate.Name
	}
	if key := u.Dep.Key; key != u.Crate.Name {
		step += " (as " + key + ")"
	}
	sys := u.Crate.Sys(u.Series)
	steps := []string{name, step}
	if u.Crate.Role != family.Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys, At: Pos(ws, u)}
}

func externalChain(e ExternalUse) Chain {
	sys := e.Crate.Sys(family.SeriesOf(e.CrateVersion))
	steps := []string{"Cargo.lock: " + e.Package + " " + e.Version, e.Crate.Name + " " + e.CrateVersion}
	if e.Crate.Role != family.Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys}
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
