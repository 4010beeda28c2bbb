package plan

import (
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
)

// Use is one dependency entry on a family crate, in a member manifest or in
// [workspace.dependencies].
type Use struct {
	Manifest *Manifest
	Dep      *tomledit.Dep
	Crate    Crate
	Req      string        // version requirement; the inherited one for `workspace = true`
	Series   string        // the series Req selects; the newest published when Req has no lower bound
	Inherit  *tomledit.Dep // the [workspace.dependencies] entry a `workspace = true` entry inherits
}

// Uses returns every family dependency of the workspace, in manifest order.
func (ws *Workspace) Uses() []Use {
	var out []Use
	for _, m := range ws.manifests() {
		for _, dep := range m.Doc.Dependencies() {
			if dep.InWorkspace && m != ws.Root {
				continue
			}
			if u, ok := ws.use(m, dep); ok {
				out = append(out, u)
			}
		}
	}
	return out
}

// manifests returns the root followed by every other member.
func (ws *Workspace) manifests() []*Manifest {
	out := []*Manifest{ws.Root}
	for _, m := range ws.Members {
		if m != ws.Root {
			out = append(out, m)
		}
	}
	return out
}

func (ws *Workspace) use(m *Manifest, dep *tomledit.Dep) (Use, bool) {
	u := Use{Manifest: m, Dep: dep, Req: dep.Version}
	real := dep.RealName()
	if dep.Workspace && !dep.InWorkspace {
		u.Inherit = ws.inherited(dep.Key)
		if u.Inherit == nil {
			return Use{}, false
		}
		real, u.Req = u.Inherit.RealName(), u.Inherit.Version
	}
	c, ok := Lookup(real)
	if !ok {
		return Use{}, false
	}
	u.Crate = c
	u.Series = SeriesOf(u.Req)
	if u.Series == "" {
		u.Series = c.Series[len(c.Series)-1]
	}
	return u, true
}

// inherited returns the [workspace.dependencies] entry with the given key.
func (ws *Workspace) inherited(key string) *tomledit.Dep {
	for _, dep := range ws.Root.Doc.Dependencies() {
		if dep.InWorkspace && dep.Key == key {
			return dep
		}
	}
	return nil
}

// Position locates a byte offset of a manifest for messages.
type Position struct {
	Path      string // as the user sees it: the display root joined with the manifest path
	Line, Col int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col) }

func (ws *Workspace) position(m *Manifest, off int) Position {
	line, col := textedit.LineCol(m.Doc.Src, off)
	return Position{Path: ws.display(m.Path), Line: line, Col: col}
}

// Chain is one way the graph reaches a links = "jemalloc" crate.
type Chain struct {
	Steps []string // package names with requirements, from a member (or a locked package) to the sys crate
	Sys   string   // the sys crate reached, e.g. "tikv-jemalloc-sys 0.5"
	At    Position // the dependency entry that starts the chain
}

// String prints the chain the way cargo prints dependency paths.
func (c Chain) String() string {
	return strings.Join(c.Steps, " -> ") + fmt.Sprintf(" (links = %q)", Links)
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
func Scan(ws *Workspace) *Report {
	r := &Report{Uses: ws.Uses()}
	for _, u := range r.Uses {
		if u.Crate.Lineage == Original && (u.Inherit == nil) {
			r.Movable++
		}
		if u.Dep.InWorkspace {
			continue // only what members use takes part in resolution
		}
		r.add(ws.chain(u))
	}
	for _, e := range ws.Lock.External() {
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

func (ws *Workspace) chain(u Use) Chain {
	name := u.Manifest.Name
	step := u.Crate.Name + " " + u.Req
	if u.Req == "" {
		step = u.Crate.Name
	}
	if key := u.Dep.Key; key != u.Crate.Name {
		step += " (as " + key + ")"
	}
	sys := u.Crate.SysCrate().Name + " " + u.Series
	steps := []string{name, step}
	if u.Crate.Role != Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys, At: ws.position(u.Manifest, u.Dep.Start)}
}

func externalChain(e ExternalUse) Chain {
	sys := e.Crate.SysCrate().Name + " " + SeriesOf(e.CrateVersion)
	steps := []string{"Cargo.lock: " + e.Package + " " + e.Version, e.Crate.Name + " " + e.CrateVersion}
	if e.Crate.Role != Sys {
		steps = append(steps, sys)
	}
	return Chain{Steps: steps, Sys: sys}
}

// Pos returns where a use is written.
func (ws *Workspace) Pos(u Use) Position { return ws.position(u.Manifest, u.Dep.Start) }
