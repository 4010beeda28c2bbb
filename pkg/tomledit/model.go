package tomledit

import (
	"slices"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Dep is one dependency entry, from any dependency table. When an entry is
// written in several places (dotted keys, a sub-table), they merge into one
// Dep. Edit verbs find the entry by its table and Key, so a copy works as a
// handle but a Dep with a changed Key does not.
type Dep struct {
	Kind        string // "normal", "dev" or "build"
	Target      string // the decoded <spec> of [target.<spec>.*dependencies]; "" otherwise
	InWorkspace bool   // under [workspace.dependencies]
	Key         string // decoded key, e.g. "jemalloc-ctl"
	// KeySpans lists every place the key is written, quotes included: the
	// key of `key = ...`, each `key.field = ...` dotted line, the key segment
	// of a [dependencies.key] header.
	KeySpans        []Span
	Package         string // package = "..." rename, or ""
	PackageSpan     Span   // the package string token, quotes included; zero when absent
	Version         string
	VersionSpan     Span // the version string token; zero when absent
	Path            string
	Optional        bool
	Workspace       bool // workspace = true
	DefaultFeatures *bool
	Features        []string
	FeatureRefs     []Ref // the features array's string elements, with their spans
	// Fields names every field the entry writes ("version", "git",
	// "default_features", ...), in source order, each once; a plain
	// version string writes none.
	Fields []string
	Start  int // first byte of the entry: the key, or the '[' of its sub-table header
}

// RealName is Package when set, else Key.
func (dep *Dep) RealName() string {
	if dep.Package != "" {
		return dep.Package
	}
	return dep.Key
}

// DepTable names one dependency table: [dependencies], [dev-dependencies],
// [build-dependencies], their [target.<spec>.*] forms, or
// [workspace.dependencies] (Kind "normal", InWorkspace true).
type DepTable struct {
	Kind        string // "normal", "dev" or "build"
	Target      string
	InWorkspace bool
}

// Table returns the table dep belongs to.
func (dep *Dep) Table() DepTable {
	return DepTable{Kind: dep.Kind, Target: dep.Target, InWorkspace: dep.InWorkspace}
}

type depID struct {
	DepTable
	key string
}

func (dep *Dep) id() depID { return depID{dep.Table(), dep.Key} }

// depInfo records where a dependency is written, for the edit verbs.
type depInfo struct {
	dep    *Dep
	whole  *keyval   // key = "0.5" or key = { ... }
	dotted []*keyval // key.field = ...
	subs   []*table  // [dependencies.key] and any deeper header
}

// Feature is one entry of the [features] table.
type Feature struct {
	Name     string
	NameSpan Span
	Refs     []Ref
}

// Ref is one string of a feature's array.
type Ref struct {
	Value string
	Span  Span // the string token, quotes included
}

var depKinds = map[string]string{
	"dependencies":       "normal",
	"dev-dependencies":   "dev",
	"dev_dependencies":   "dev",
	"build-dependencies": "build",
	"build_dependencies": "build",
}

// classify reports whether path starts with a dependency table, which one,
// and how many parts name it.
func classify(path []part) (n int, t DepTable, ok bool) {
	if len(path) >= 1 && depKinds[path[0].name] != "" {
		return 1, DepTable{Kind: depKinds[path[0].name]}, true
	}
	// An empty <spec> names no platform (cargo rejects it), and Target ""
	// means "no target": reading it as a target table would merge it with
	// the plain table.
	if len(path) >= 3 && path[0].name == "target" && path[1].name != "" && depKinds[path[2].name] != "" {
		return 3, DepTable{Kind: depKinds[path[2].name], Target: path[1].name}, true
	}
	if len(path) >= 2 && path[0].name == "workspace" && path[1].name == "dependencies" {
		return 2, DepTable{Kind: "normal", InWorkspace: true}, true
	}
	return 0, DepTable{}, false
}

func (d *Doc) dep(t DepTable, key string, start int) (*Dep, *depInfo) {
	id := depID{t, key}
	if info, ok := d.info[id]; ok {
		return info.dep, info
	}
	dep := &Dep{Kind: t.Kind, Target: t.Target, InWorkspace: t.InWorkspace, Key: key, Start: start}
	d.deps = append(d.deps, dep)
	d.info[id] = &depInfo{dep: dep}
	return dep, d.info[id]
}

func (d *Doc) noteHeader(t *table) {
	n, dt, ok := classify(t.parts)
	if t.array || !ok || len(t.parts) <= n {
		return
	}
	dep, info := d.dep(dt, t.parts[n].name, t.start)
	addSpan(dep, t.parts[n].span)
	info.subs = append(info.subs, t)
	if len(t.parts) > n+1 && !slices.Contains(dep.Fields, t.parts[n+1].name) {
		dep.Fields = append(dep.Fields, t.parts[n+1].name)
	}
}

func (d *Doc) noteKV(kv *keyval) {
	full := append(append([]part(nil), kv.prefix...), kv.parts...)
	if len(full) == 2 && full[0].name == "features" && kv.val.kind == unstable.Array {
		d.noteFeature(kv, full[1])
	}
	n, dt, ok := classify(full)
	if !ok || len(full) <= n {
		return
	}
	idx := n - len(kv.prefix)
	start := kv.start
	if idx >= 0 {
		start = kv.parts[idx].span.Start
	}
	dep, info := d.dep(dt, full[n].name, start)
	switch {
	case idx < 0:
	case idx == len(kv.parts)-1:
		info.whole = kv
		addSpan(dep, kv.parts[idx].span)
	default:
		info.dotted = append(info.dotted, kv)
		addSpan(dep, kv.parts[idx].span)
	}
	setField(dep, full[n+1:], kv.val)
}

func addSpan(dep *Dep, s Span) {
	if !slices.Contains(dep.KeySpans, s) {
		dep.KeySpans = append(dep.KeySpans, s)
	}
}

// setField records one field of a dependency, given its path below the
// dependency key. An empty path is the entry's own value.
func setField(dep *Dep, path []part, v *value) {
	name := ""
	if len(path) > 0 && !slices.Contains(dep.Fields, path[0].name) {
		dep.Fields = append(dep.Fields, path[0].name)
	}
	if len(path) == 1 {
		name = path[0].name
	} else if len(path) > 1 {
		return
	}
	str, isStr := v.str, v.kind == unstable.String
	isTrue := v.kind == unstable.Bool && v.str == "true"
	switch {
	case (name == "" || name == "version") && isStr:
		dep.Version, dep.VersionSpan = str, v.span
	case name == "package" && isStr:
		dep.Package, dep.PackageSpan = str, v.span
	case name == "path" && isStr:
		dep.Path = str
	case name == "optional":
		dep.Optional = isTrue
	case name == "workspace":
		dep.Workspace = isTrue
	case (name == "default-features" || name == "default_features") && v.kind == unstable.Bool:
		dep.DefaultFeatures = &isTrue
	case name == "features" && v.kind == unstable.Array:
		dep.Features, dep.FeatureRefs = nil, nil
		for _, e := range v.elems {
			if e.kind == unstable.String {
				dep.Features = append(dep.Features, e.str)
				dep.FeatureRefs = append(dep.FeatureRefs, Ref{Value: e.str, Span: e.span})
			}
		}
	}
}

func (d *Doc) noteFeature(kv *keyval, name part) {
	f := &Feature{Name: name.name, NameSpan: name.span}
	for _, e := range kv.val.elems {
		if e.kind == unstable.String {
			f.Refs = append(f.Refs, Ref{Value: e.str, Span: e.span})
		}
	}
	d.feats = append(d.feats, f)
	d.featKV[f.Name] = kv
}

// Dependencies returns every dependency entry in source order of first
// appearance, from [dependencies], [dev-dependencies] (also
// dev_dependencies), [build-dependencies] (also build_dependencies), the
// [target.<spec>.*] forms of those, and [workspace.dependencies]. The
// results are copies: changing them does not change d.
func (d *Doc) Dependencies() []*Dep {
	out := make([]*Dep, len(d.deps))
	for i, dep := range d.deps {
		c := *dep
		c.KeySpans = slices.Clone(dep.KeySpans)
		c.Features = slices.Clone(dep.Features)
		c.FeatureRefs = slices.Clone(dep.FeatureRefs)
		c.Fields = slices.Clone(dep.Fields)
		if dep.DefaultFeatures != nil {
			b := *dep.DefaultFeatures
			c.DefaultFeatures = &b
		}
		out[i] = &c
	}
	return out
}

// Features returns the [features] table in source order. The results are
// copies.
func (d *Doc) Features() []*Feature {
	out := make([]*Feature, len(d.feats))
	for i, f := range d.feats {
		c := *f
		c.Refs = slices.Clone(f.Refs)
		out[i] = &c
	}
	return out
}
