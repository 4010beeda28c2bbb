package workspace

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"jemfix/pkg/tomledit"
)

// A large workspace's manifests are mostly entries such as `serde = "1"`,
// which the planner never looks at: it follows the jemalloc crates, path
// and inherited entries, optional entries (they are features) and entries
// that name a package of the graph (a [patch] may make one of a registry
// entry). Any other entry is a registry crate that no option reads or
// edits, so each manifest lets go of those as it is read
// (tomledit.Doc.Prune). Which names the graph's packages have is known
// only once every manifest is read: a manifest that let go of an entry
// naming one gets its entries back then (restorePruned).

// pruned collects the names of the entries the manifests let go of.
type pruned struct {
	mu    sync.Mutex
	names map[string]bool
}

// prune lets m go of the entries that cannot matter whatever the graph's
// packages are called, and notes their names.
func (p *pruned) prune(m *Manifest) {
	var names []string
	turned := jemallocTurnedOn(m.Doc)
	m.Doc.Prune(func(d *tomledit.Dep) bool {
		if matters(d, nil) || turned[d.Key] {
			return true
		}
		names = append(names, d.Key, d.RealName())
		return false
	})
	if len(names) == 0 {
		return
	}
	for _, n := range names {
		m.pruned.add(n)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil {
		p.names = map[string]bool{}
	}
	for _, n := range names {
		p.names[n] = true
	}
}

// restorePruned gives the entries back to the manifests that let go of an
// entry naming a package of the graph, and prunes them again knowing the
// packages.
func (ws *Workspace) restorePruned() {
	all := append([]*Manifest{ws.Root}, ws.Members...)
	packages := make(map[string]bool, len(all))
	var named [][]byte
	for _, m := range all {
		if m.Name != "" {
			packages[m.Name] = true
			if ws.pruned.names[m.Name] {
				named = append(named, []byte(m.Name))
			}
		}
	}
	if len(named) == 0 {
		return
	}
	for _, m := range all {
		if !slices.ContainsFunc(named, func(n []byte) bool { return m.pruned.has(string(n)) }) || !mentionsAny(m.Doc.Src(), named) {
			continue // it let go of no entry that names a package of the graph
		}
		m.Doc.Restore()
		turned := jemallocTurnedOn(m.Doc)
		m.Doc.Prune(func(d *tomledit.Dep) bool { return matters(d, packages) || turned[d.Key] })
		ws.release(m)
	}
}

// nameFilter is a Bloom filter of the names of the entries a manifest let go
// of: has may say yes for a name never added, never no for one added. It
// tells restorePruned which manifests to read again without keeping their
// bytes or the names.
type nameFilter [4]uint64

var namesSeed = maphash.MakeSeed()

func (b *nameFilter) add(n string) {
	h := maphash.String(namesSeed, n)
	b[h>>6&3] |= 1 << (h & 63)
	b[h>>14&3] |= 1 << (h >> 8 & 63)
}

func (b *nameFilter) has(n string) bool {
	h := maphash.String(namesSeed, n)
	return b[h>>6&3]&(1<<(h&63)) != 0 && b[h>>14&3]&(1<<(h>>8&63)) != 0
}

func mentionsAny(src []byte, names [][]byte) bool {
	for _, n := range names {
		if bytes.Contains(src, n) {
			return true
		}
	}
	return false
}

// matters reports whether jemfix keeps the entry d when the graph's
// packages are named in packages.
func matters(d *tomledit.Dep, packages map[string]bool) bool {
	return d.InWorkspace || d.Path != "" || d.Workspace || d.Optional ||
		mentionsJemalloc(d.Key) || mentionsJemalloc(d.Package) || EnablesJemalloc(d) ||
		packages[d.Key] || packages[d.RealName()]
}

// jemallocTurnedOn returns the dependency keys whose feature that names
// jemalloc a feature of doc turns on ("librocksdb-sys/jemalloc"), as
// EnablesJemalloc tells of an entry's own features.
func jemallocTurnedOn(doc *tomledit.Doc) map[string]bool {
	var out map[string]bool
	for _, f := range doc.Features() {
		for _, r := range f.Refs {
			if k, feat, ok := strings.Cut(r.Value, "/"); ok && mentionsJemalloc(feat) {
				if out == nil {
					out = map[string]bool{}
				}
				out[strings.TrimSuffix(strings.TrimPrefix(k, "dep:"), "?")] = true
			}
		}
	}
	return out
}

// EnablesJemalloc reports whether entry d turns on a feature that names
// jemalloc (librocksdb-sys's "jemalloc"): its crate then brings a jemalloc
// sys crate of its own choosing.
func EnablesJemalloc(d *tomledit.Dep) bool {
	for _, r := range d.FeatureRefs {
		if mentionsJemalloc(r.Value) {
			return true
		}
	}
	return false
}

func mentionsJemalloc(s string) bool {
	return strings.Contains(strings.ToLower(s), "jemalloc")
}
