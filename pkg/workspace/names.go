package workspace

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
)

// Position locates a byte offset of a file for messages.
type Position struct {
	Path      string // as the user sees it: the display root joined with the file's path
	Line, Col int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col) }

// Position locates a byte offset of a manifest.
func (ws *Workspace) Position(m *Manifest, off int) Position {
	return ws.At(m.Path, m.Doc.Src(), off)
}

// At locates a byte offset of src, the content of the root-relative file p.
func (ws *Workspace) At(p string, src []byte, off int) Position {
	line, col := textedit.LineCol(src, off)
	return Position{Path: ws.Path(p), Line: line, Col: col}
}

// Manifests returns the root followed by every other member. The slice
// is shared: callers must not change it.
func (ws *Workspace) Manifests() []*Manifest { return ws.idx().manifests }

// IsInherited reports whether a member inherits the
// [workspace.dependencies] entry with the given key; cargo resolves only
// the entries that are inherited.
func (ws *Workspace) IsInherited(key string) bool { return ws.idx().inherits[key] }

// Member returns the member package with the given name.
func (ws *Workspace) Member(name string) *Manifest {
	if name == "" {
		return nil
	}
	return ws.idx().byName[name]
}

// DepOn returns m's normal dependency entry on member target, or nil; an
// inherited entry counts by the package its [workspace.dependencies] entry
// names.
func (ws *Workspace) DepOn(m, target *Manifest) *tomledit.Dep { return ws.depOn(m, target, "normal") }

// DevDepOn is DepOn for m's dev-dependencies.
func (ws *Workspace) DevDepOn(m, target *Manifest) *tomledit.Dep { return ws.depOn(m, target, "dev") }

// BuildDepOn is DepOn for m's build-dependencies.
func (ws *Workspace) BuildDepOn(m, target *Manifest) *tomledit.Dep {
	return ws.depOn(m, target, "build")
}

func (ws *Workspace) depOn(m, target *Manifest, kind string) *tomledit.Dep {
	for _, d := range m.Doc.Deps() {
		if d.InWorkspace || d.Kind != kind {
			continue
		}
		name := d.RealName()
		if inh := ws.Inherited(d.Key); d.Workspace && inh != nil {
			name = inh.RealName()
		}
		if target != nil && name == target.Name {
			return d
		}
	}
	return nil
}

// RustName is the name Rust code uses for a dependency key.
func RustName(key string) string { return strings.ReplaceAll(key, "-", "_") }

// TableName names the table an entry sits in, the way a manifest writes it.
func TableName(d *tomledit.Dep) string {
	if d.InWorkspace {
		return "[workspace.dependencies]"
	}
	name := map[string]string{"normal": "dependencies", "dev": "dev-dependencies", "build": "build-dependencies"}[d.Kind]
	if d.Target != "" {
		return fmt.Sprintf("[target.'%s'.%s]", d.Target, name)
	}
	return "[" + name + "]"
}

// Feature returns the [features] entry with the given name, or nil.
func (m *Manifest) Feature(name string) *tomledit.Feature {
	for _, f := range m.Doc.Features() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// TurnsOn reports whether m's feature f turns on its dependency key:
// names dep:key, key/x, or key itself where that is the entry's implicit
// feature (no dep:key anywhere), directly or through other features of m.
func (m *Manifest) TurnsOn(f *tomledit.Feature, key string) bool {
	return m.turnsOn(f, key, false, map[string]bool{})
}

// turnsOn is TurnsOn; with weak, "key?/x" counts too, as it does for
// cargo's dependency resolver, which makes Cargo.lock: it resolves a weak
// dependency feature as a strong one.
func (m *Manifest) turnsOn(f *tomledit.Feature, key string, weak bool, seen map[string]bool) bool {
	if f == nil || seen[f.Name] {
		return false
	}
	seen[f.Name] = true
	for _, r := range f.Refs {
		switch k, _, slash := strings.Cut(r.Value, "/"); {
		case r.Value == "dep:"+key, slash && k == key, weak && slash && k == key+"?":
			return true
		case r.Value == key && !m.HasDepRef(key):
			return true
		}
		if m.turnsOn(m.Feature(r.Value), key, weak, seen) {
			return true
		}
	}
	return false
}

// Enabled reports whether the optional dependency key of m, a package of
// the graph that is not a member, is in the graph cargo resolves: a
// feature that its dependents ask for turns it on (default, unless an
// entry turns the defaults off; an entry's features; a dependent's
// feature "dep/x" that is on itself: every feature of a member, since
// cargo locks members with all of them, and of another package only
// those asked for, in turn). Dev-dependencies of packages that are not
// members are not resolved.
func (ws *Workspace) Enabled(m *Manifest, key string) bool {
	return ws.enables(m, func(feat string) bool {
		return feat == key && !m.HasDepRef(key) || m.turnsOn(m.Feature(feat), key, true, map[string]bool{})
	}, map[*Manifest]bool{})
}

// enables reports whether a feature of m that its dependents ask for
// passes on; seen guards the chains of packages that are not members.
func (ws *Workspace) enables(m *Manifest, on func(feat string) bool, seen map[*Manifest]bool) bool {
	if seen[m] {
		return false
	}
	seen[m] = true
	for _, other := range ws.Manifests() {
		for _, d := range other.Doc.Deps() {
			if d.InWorkspace || other == m || other.NonMember && d.Kind == "dev" || ws.PathTarget(other, d) != m {
				continue
			}
			entry := d
			if d.Workspace {
				if inh := ws.Inherited(d.Key); inh != nil {
					entry = inh
				}
			}
			// An inheriting entry may turn the defaults back on; it
			// cannot turn off those the workspace's entry leaves on.
			asked := slices.Concat(entry.FeatureNames(), d.FeatureNames())
			if entry.DefaultFeatures == nil || *entry.DefaultFeatures || d.DefaultFeatures != nil && *d.DefaultFeatures {
				asked = append(asked, "default")
			}
			if slices.ContainsFunc(asked, on) {
				return true
			}
			// A feature of the dependent that asks "d/x" (or "d?/x"),
			// when that feature is on.
			for _, f := range other.Doc.Features() {
				for _, r := range f.Refs {
					k, feat, ok := strings.Cut(r.Value, "/")
					if !ok || strings.TrimSuffix(k, "?") != d.Key || !on(feat) {
						continue
					}
					if !other.NonMember || ws.enables(other, func(g string) bool { return featureReaches(other, g, f.Name) }, seen) {
						return true
					}
				}
			}
		}
	}
	return false
}

// featureReaches reports whether feature from of m turns feature to on,
// directly or through others.
func featureReaches(m *Manifest, from, to string) bool {
	seen := map[string]bool{}
	var walk func(name string) bool
	walk = func(name string) bool {
		if name == to {
			return true
		}
		if seen[name] {
			return false
		}
		seen[name] = true
		f := m.Feature(name)
		if f == nil {
			return false
		}
		for _, r := range f.Refs {
			if walk(r.Value) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// HasDepRef reports whether a feature refers to the dependency key as
// "dep:key", which takes away its implicit feature.
func (m *Manifest) HasDepRef(key string) bool {
	for _, f := range m.Doc.Features() {
		for _, r := range f.Refs {
			if r.Value == "dep:"+key {
				return true
			}
		}
	}
	return false
}

// Dep returns the member's own dependency entry with the given key, or nil.
func (m *Manifest) Dep(key string) *tomledit.Dep {
	for _, d := range m.Doc.Deps() {
		if d.Key == key && !d.InWorkspace {
			return d.Clone()
		}
	}
	return nil
}

// Version returns the package version of m, [workspace.package].version
// when m inherits it, or "".
func (ws *Workspace) Version(m *Manifest) string { return ws.packageString(m, "version") }

// Edition returns the Rust edition of m ("2021"), inherited or its own,
// or "" when the manifest sets none (cargo then takes 2015).
func (ws *Workspace) Edition(m *Manifest) string { return ws.packageString(m, "edition") }

func (ws *Workspace) packageString(m *Manifest, key string) string {
	if v := m.Doc.PackageString(key); v != "" {
		return v
	}
	return ws.Root.Doc.WorkspacePackageString(key)
}

// PathTarget returns the package of the graph that a path dependency of m
// names, or nil: not a path dependency, or a path jemfix did not read.
func (ws *Workspace) PathTarget(m *Manifest, d *tomledit.Dep) *Manifest {
	p := d.Path
	base := m.Dir
	if d.Workspace && !d.InWorkspace {
		if inh := ws.Inherited(d.Key); inh != nil {
			p, base = inh.Path, "."
		}
	}
	if p == "" {
		return nil
	}
	return ws.idx().byDir[path.Join(base, p)]
}
