package workspace

import (
	"slices"
	"sync"

	"jemfix/pkg/tomledit"
)

// index holds the lookups of the loaded model that run once per
// dependency of each member: by package name, by directory, the
// [workspace.dependencies] entries by key and the keys members inherit.
// It is built once, after Load, so that a lookup does not scan the
// members: on a workspace of thousands of crates those scans made loading
// and planning quadratic.
type index struct {
	once      sync.Once
	rootOnce  sync.Once
	byName    map[string]*Manifest
	byDir     map[string]*Manifest     // members only: a virtual root is not one
	inherited map[string]*tomledit.Dep // [workspace.dependencies] by key
	inherits  map[string]bool          // keys some member inherits
	manifests []*Manifest              // the root, then the other members
}

// idx returns the index, building it on first use. Members and the root
// do not change after Load.
func (ws *Workspace) idx() *index {
	x := &ws.index
	x.once.Do(func() {
		x.byName = make(map[string]*Manifest, len(ws.Members))
		x.byDir = make(map[string]*Manifest, len(ws.Members))
		x.inherits = map[string]bool{}
		x.manifests = append(make([]*Manifest, 0, len(ws.Members)+1), ws.Root)
		for _, m := range ws.Members {
			if _, ok := x.byName[m.Name]; !ok {
				x.byName[m.Name] = m
			}
			x.byDir[m.Dir] = m
			if m != ws.Root {
				x.manifests = append(x.manifests, m)
			}
			for _, d := range m.Doc.Deps() {
				if d.Workspace && !d.InWorkspace {
					x.inherits[d.Key] = true
				}
			}
		}
		x.manifests = slices.Clip(x.manifests)
	})
	return x
}

// Inherited returns the [workspace.dependencies] entry with the given key.
// It is the root manifest's own: callers must not change it. It reads the
// root alone, so Load may call it while the members are still being read.
func (ws *Workspace) Inherited(key string) *tomledit.Dep {
	x := &ws.index
	x.rootOnce.Do(func() {
		x.inherited = map[string]*tomledit.Dep{}
		for _, d := range ws.Root.Doc.Deps() {
			if _, ok := x.inherited[d.Key]; d.InWorkspace && !ok {
				x.inherited[d.Key] = d
			}
		}
	})
	return x.inherited[key]
}
