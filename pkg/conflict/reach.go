package conflict

import (
	"slices"
	"strings"

	"jemfix/pkg/workspace"
)

// Reach answers which sys packages a feature switches on, following
// feature references through the member's own dependencies and into other
// members ("member/feat").
type Reach struct {
	ws   *workspace.Workspace
	uses map[*workspace.Manifest]map[string]Use // member -> dependency key -> family use
	list map[*workspace.Manifest][]Use          // member -> its family uses, in manifest order
	memo map[string][]string
}

// NewReach indexes the workspace's family uses for Feature, Ref and
// Features. One Reach answers for every member: make one per workspace,
// not one per member.
func NewReach(ws *workspace.Workspace) *Reach {
	r := &Reach{ws: ws, uses: map[*workspace.Manifest]map[string]Use{}, list: map[*workspace.Manifest][]Use{}, memo: map[string][]string{}}
	for _, u := range Uses(ws) {
		if u.Dep.InWorkspace {
			continue
		}
		if r.uses[u.Manifest] == nil {
			r.uses[u.Manifest] = map[string]Use{}
		}
		r.uses[u.Manifest][u.Dep.Key] = u
		r.list[u.Manifest] = append(r.list[u.Manifest], u)
	}
	return r
}

// Feature returns the sys packages ("tikv-jemalloc-sys 0.5") that feature
// name of m enables, sorted.
func (r *Reach) Feature(m *workspace.Manifest, name string) []string {
	id := m.Path + "#" + name
	if got, ok := r.memo[id]; ok {
		return got
	}
	r.memo[id] = nil // a cycle enables nothing more
	var out []string
	if f := m.Feature(name); f != nil {
		for _, ref := range f.Refs {
			out = union(out, r.Ref(m, ref.Value))
		}
	} else if u, ok := r.uses[m][name]; ok {
		out = []string{SysOf(u, nil)}
	}
	r.memo[id] = out
	return out
}

// Ref returns the sys packages one feature reference of m enables.
func (r *Reach) Ref(m *workspace.Manifest, v string) []string {
	v = strings.TrimPrefix(v, "dep:")
	name, feat, slash := strings.Cut(v, "/")
	name = strings.TrimSuffix(name, "?")
	if u, ok := r.uses[m][name]; ok {
		return []string{SysOf(u, nil)}
	}
	if !slash {
		return r.Feature(m, name)
	}
	if d := m.Dep(name); d != nil {
		if target := r.ws.Member(d.RealName()); target != nil {
			return r.Feature(target, feat)
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

// Features lists the features of member m that switch on a jemalloc
// crate, explicit ones in manifest order, then the implicit features of
// optional jemalloc dependencies. It returns nil when m reaches no jemalloc
// crate at all, and an empty list when it always does (a non-optional
// dependency).
func (r *Reach) Features(m *workspace.Manifest) []string {
	var out []string
	for _, f := range m.Doc.Features() {
		if f.Name != "default" && len(r.Feature(m, f.Name)) > 0 {
			out = append(out, f.Name)
		}
	}
	always := false
	for _, u := range r.list[m] {
		always = always || !u.Dep.Optional
		if u.Dep.Optional && m.Feature(u.Dep.Key) == nil && !m.HasDepRef(u.Dep.Key) && !slices.Contains(out, u.Dep.Key) {
			out = append(out, u.Dep.Key)
		}
	}
	if out == nil && always {
		return []string{}
	}
	return out
}
