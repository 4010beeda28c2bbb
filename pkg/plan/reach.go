package plan

import (
	"slices"
	"strings"

	"jemfix/pkg/tomledit"
)

// reach answers which sys packages a feature switches on, following
// feature references through the member's own dependencies and into other
// members ("member/feat").
type reach struct {
	ws   *Workspace
	uses map[*Manifest]map[string]Use // member -> dependency key -> family use
	memo map[string][]string
}

func newReach(ws *Workspace) *reach {
	r := &reach{ws: ws, uses: map[*Manifest]map[string]Use{}, memo: map[string][]string{}}
	for _, u := range ws.Uses() {
		if u.Dep.InWorkspace {
			continue
		}
		if r.uses[u.Manifest] == nil {
			r.uses[u.Manifest] = map[string]Use{}
		}
		r.uses[u.Manifest][u.Dep.Key] = u
	}
	return r
}

// feature returns the sys packages ("tikv-jemalloc-sys 0.5") that feature
// name of m enables, sorted.
func (r *reach) feature(m *Manifest, name string) []string {
	id := m.Path + "#" + name
	if got, ok := r.memo[id]; ok {
		return got
	}
	r.memo[id] = nil // a cycle enables nothing more
	var out []string
	if f := featureNamed(m.Doc, name); f != nil {
		for _, ref := range f.Refs {
			out = union(out, r.ref(m, ref.Value))
		}
	} else if u, ok := r.uses[m][name]; ok {
		out = []string{sysOf(u)}
	}
	r.memo[id] = out
	return out
}

// ref returns the sys packages one feature reference enables.
func (r *reach) ref(m *Manifest, v string) []string {
	v = strings.TrimPrefix(v, "dep:")
	name, feat, slash := strings.Cut(v, "/")
	name = strings.TrimSuffix(name, "?")
	if u, ok := r.uses[m][name]; ok {
		return []string{sysOf(u)}
	}
	if !slash {
		return r.feature(m, name)
	}
	for _, d := range m.Doc.Dependencies() {
		if d.Key == name && !d.InWorkspace {
			if target := r.ws.Member(d.RealName()); target != nil {
				return r.feature(target, feat)
			}
		}
	}
	return nil
}

func sysOf(u Use) string { return u.Crate.SysCrate().Name + " " + u.Series }

func featureNamed(doc *tomledit.Doc, name string) *tomledit.Feature {
	for _, f := range doc.Features() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	slices.Sort(a)
	return a
}

// JemallocFeatures lists the features of m that switch on a jemalloc crate,
// explicit ones in manifest order, then the implicit features of optional
// jemalloc dependencies. It returns nil when m reaches no jemalloc crate at
// all, and an empty list when it always does (a non-optional dependency).
func JemallocFeatures(ws *Workspace, m *Manifest) []string {
	r := newReach(ws)
	var out []string
	for _, f := range m.Doc.Features() {
		if f.Name != "default" && len(r.feature(m, f.Name)) > 0 {
			out = append(out, f.Name)
		}
	}
	always := false
	for _, u := range ws.Uses() {
		if u.Manifest != m || u.Dep.InWorkspace {
			continue
		}
		always = always || !u.Dep.Optional
		if u.Dep.Optional && featureNamed(m.Doc, u.Dep.Key) == nil && !hasDepRef(m.Doc, u.Dep.Key) && !slices.Contains(out, u.Dep.Key) {
			out = append(out, u.Dep.Key)
		}
	}
	if out == nil && always {
		return []string{}
	}
	return out
}
