package tomledit

import (
	"fmt"
	"slices"
)

// Dep is one dependency entry, from any dependency table. When an entry is
// written in several places (dotted keys, a sub-table), they merge into one
// Dep. Edit verbs find the entry by its table and Key, so a copy works as a
// handle but a Dep with a changed Key does not.
type Dep struct {
	Kind   string // "normal", "dev" or "build"
	Target string // the decoded <spec> of [target.<spec>.*dependencies]; "" otherwise
	Key    string // decoded key, e.g. "jemalloc-ctl"
	// KeySpans lists every place the key is written, quotes included: the
	// key of `key = ...`, each `key.field = ...` dotted line, the key segment
	// of a [dependencies.key] header.
	KeySpans        []Span
	Package         string // package = "..." rename, or ""
	PackageSpan     Span   // the package string token, quotes included; zero when absent
	Version         string
	VersionSpan     Span // the version string token; zero when absent
	Path            string
	DefaultFeatures *bool
	// FeatureRefs are the features array's string elements, with their
	// spans; FeatureNames gives their values.
	FeatureRefs []Ref
	// Fields names every field the entry writes ("version", "git",
	// "default_features", ...), in source order, each once; a plain
	// version string writes none.
	Fields      []string
	Start       int  // first byte of the entry: the key, or the '[' of its sub-table header
	InWorkspace bool // under [workspace.dependencies]
	Optional    bool
	Workspace   bool // workspace = true
	// A Dep is 224 bytes, two to a 448-byte block (builder.finishModel):
	// a workspace holds one for every entry of every manifest.
}

// FeatureNames returns the features the entry enables, in order, or nil.
func (dep *Dep) FeatureNames() []string {
	if len(dep.FeatureRefs) == 0 {
		return nil
	}
	out := make([]string, len(dep.FeatureRefs))
	for i, r := range dep.FeatureRefs {
		out[i] = r.Value
	}
	return out
}

// Enables reports whether the entry's features array names feature.
func (dep *Dep) Enables(feature string) bool {
	for _, r := range dep.FeatureRefs {
		if r.Value == feature {
			return true
		}
	}
	return false
}

// Registry reports whether the entry takes its crate from a registry: it
// names no path and no git repository.
func (dep *Dep) Registry() bool { return dep.Path == "" && !slices.Contains(dep.Fields, "git") }

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
	whole  ref   // key = "0.5" or key = { ... }; noRef when there is none
	dotted []ref // key.field = ...
	subs   []ref // [dependencies.key] and any deeper header
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

// depKind returns the Kind of the dependency table named name, or "".
func depKind(name string) string {
	switch name {
	case "dependencies":
		return "normal"
	case "dev-dependencies", "dev_dependencies":
		return "dev"
	case "build-dependencies", "build_dependencies":
		return "build"
	}
	return ""
}

// classify reports whether path starts with a dependency table, which one,
// and how many parts name it.
func classify(path []part) (n int, t DepTable, ok bool) {
	if len(path) >= 1 {
		if k := depKind(path[0].name); k != "" {
			return 1, DepTable{Kind: k}, true
		}
	}
	// An empty <spec> names no platform (cargo rejects it), and Target ""
	// means "no target": reading it as a target table would merge it with
	// the plain table.
	if len(path) >= 3 && path[0].name == "target" && path[1].name != "" {
		if k := depKind(path[2].name); k != "" {
			return 3, DepTable{Kind: k, Target: path[1].name}, true
		}
	}
	if len(path) >= 2 && path[0].name == "workspace" && path[1].name == "dependencies" {
		return 2, DepTable{Kind: "normal", InWorkspace: true}, true
	}
	return 0, DepTable{}, false
}

// dep returns the index of the entry key of table t, made when it is new.
func (b *builder) dep(t DepTable, key string, start int) int {
	id := depID{t, key}
	if b.byID != nil {
		if i, ok := b.byID[id]; ok {
			return int(i)
		}
	} else {
		for i := range b.deps {
			if dep := &b.deps[i]; dep.Key == key && dep.Table() == t {
				return i
			}
		}
	}
	b.deps = append(b.deps, Dep{Kind: t.Kind, Target: t.Target, InWorkspace: t.InWorkspace, Key: key, Start: start})
	i := len(b.deps) - 1
	switch {
	case b.byID != nil:
		b.byID[id] = int32(i)
	case len(b.deps) >= 32:
		// Many entries, as in a workspace root: look them up by map.
		b.byID = make(map[depID]int32, 2*len(b.deps))
		for j := range b.deps {
			b.byID[b.deps[j].id()] = int32(j)
		}
	}
	return i
}

func (b *builder) noteHeader(r ref) {
	ps := b.keys(r)
	if ps[0].name == "workspace" && (len(ps) > 1 || b.at(r).kind != kArrayTable) {
		b.ws = true // [workspace] and [workspace.*], but not [[workspace]]
	}
	b.noteTarget(r)
	n, dt, ok := classify(ps)
	if b.at(r).kind == kArrayTable || !ok || len(ps) <= n {
		return
	}
	i := b.dep(dt, ps[n].name, int(b.at(r).start))
	b.spans.add(i, ps[n].span())
	if len(ps) > n+1 {
		b.fields.add(i, ps[n+1].name)
	}
}

// noteKV notes the visited key/value r, whose key path is full.
func (b *builder) noteKV(r ref, full []part) {
	kv := b.at(r)
	if len(full) == 2 && full[0].name == "features" && kv.kind == kArray {
		b.noteFeature(r, full[1])
		b.stringsOnly(r, fmt.Sprintf("feature %q", full[1].name))
	} else if len(full) == 2 && full[0].name == "features" {
		b.badShape(r, fmt.Sprintf("feature %q is %s, where cargo takes an array of strings", full[1].name, kindNames[kv.kind]))
	}
	b.noteProp(r, full)
	n, dt, ok := classify(full)
	if !ok || len(full) <= n {
		return
	}
	ps := b.keys(r)
	idx := n - (len(full) - len(ps))
	start := int(kv.start)
	if idx >= 0 {
		start = int(ps[idx].start)
	}
	i := b.dep(dt, full[n].name, start)
	if idx >= 0 {
		// Key/values inside the entry's own inline table (idx < 0) write
		// no key of it.
		b.spans.add(i, ps[idx].span())
	}
	b.setField(i, full[n+1:], r)
}

// setField records one field of dependency i, given its path below the
// dependency key and the key/value r that writes it. An empty path is the
// entry's own value.
func (b *builder) setField(i int, path []part, r ref) {
	dep := &b.deps[i]
	name := ""
	if len(path) > 0 {
		b.fields.add(i, path[0].name)
	}
	if len(path) == 1 {
		name = path[0].name
	} else if len(path) > 1 {
		if want, ok := fieldKind(path[0].name); ok {
			b.badShape(r, fmt.Sprintf("dependency %q: %s is a table, where cargo takes %s", dep.Key, path[0].name, kindNames[want]))
		}
		return
	}
	k := b.at(r).kind
	isStr := k == kString
	isTrue := k == kBool && b.value(r).Data[0] == 't'
	switch want, ok := fieldKind(name); {
	case ok && k != want:
		b.badShape(r, fmt.Sprintf("dependency %q: %s is %s, where cargo takes %s", dep.Key, name, kindNames[k], kindNames[want]))
	case name == "" && k != kString && k != kInline:
		b.badShape(r, fmt.Sprintf("dependency %q is %s, where cargo takes a version string or a table", dep.Key, kindNames[k]))
	case name == "features" && k == kArray:
		b.stringsOnly(r, fmt.Sprintf("dependency %q: features", dep.Key))
	}
	switch {
	case (name == "" || name == "version") && isStr:
		dep.Version, dep.VersionSpan = b.str(r), b.span(b.value(r).Raw)
	case name == "package" && isStr:
		dep.Package, dep.PackageSpan = b.str(r), b.span(b.value(r).Raw)
	case name == "path" && isStr:
		dep.Path = b.str(r)
	case name == "optional":
		dep.Optional = isTrue
	case name == "workspace":
		dep.Workspace = isTrue
	case (name == "default-features" || name == "default_features") && k == kBool:
		dep.DefaultFeatures = &isTrue
	case name == "features" && k == kArray:
		_, dep.FeatureRefs = b.strings(r, false)
	}
}

func (b *builder) noteFeature(r ref, name part) {
	_, refs := b.strings(r, false)
	b.feats = append(b.feats, Feature{Name: name.name, NameSpan: name.span(), Refs: refs})
}

// featKV returns the key/value of the feature named name, or noRef.
func (d *Doc) featKV(name string) ref {
	for i := range d.feats {
		if d.feats[i].Name == name {
			r, _ := d.partAt(d.feats[i].NameSpan)
			return r
		}
	}
	return noRef
}

// Deps returns the dependency entries Dependencies returns, without
// copying them: they are d's own, and callers must not change them. It is
// for lookups that run once per entry of a large workspace.
func (d *Doc) Deps() []*Dep { return d.deps }

// Prune lets go of the dependency entries keep rejects: Deps,
// Dependencies and the verbs no longer see them, though Src still holds
// them. The entries kept are copied, so that the memory of the others
// goes. For a caller that knows which entries can never matter to it, and
// holds many documents.
func (d *Doc) Prune(keep func(*Dep) bool) {
	var keepers []*Dep
	for _, dep := range d.deps {
		if keep(dep) {
			keepers = append(keepers, dep)
		}
	}
	if len(keepers) == len(d.deps) {
		return
	}
	kept := make([]Dep, len(keepers))
	d.deps = make([]*Dep, len(keepers))
	for i, dep := range keepers {
		kept[i] = *dep
		kept[i].KeySpans, kept[i].Fields = clone(dep.KeySpans), clone(dep.Fields)
		d.deps[i] = &kept[i]
	}
	if len(kept) == 0 {
		d.deps = nil
	}
}

// Restore brings back the entries Prune let go of, parsing Src again: the
// entries are then new copies.
func (d *Doc) Restore() {
	full, err := parse(d.Name, d.bytes(), keepModel)
	if err != nil { // Src parsed before and cannot have changed
		panic("tomledit: " + d.Name + " no longer parses: " + err.Error())
	}
	d.deps = full.deps
}

// Dependencies returns every dependency entry in source order of first
// appearance, from [dependencies], [dev-dependencies] (also
// dev_dependencies), [build-dependencies] (also build_dependencies), the
// [target.<spec>.*] forms of those, and [workspace.dependencies]. The
// results are copies: changing them does not change d.
func (d *Doc) Dependencies() []*Dep {
	out := make([]*Dep, len(d.deps))
	for i, dep := range d.deps {
		out[i] = dep.Clone()
	}
	return out
}

// Clone returns a copy of dep that shares nothing with it.
func (dep *Dep) Clone() *Dep {
	c := *dep
	c.KeySpans = slices.Clone(dep.KeySpans)
	c.FeatureRefs = slices.Clone(dep.FeatureRefs)
	c.Fields = slices.Clone(dep.Fields)
	if dep.DefaultFeatures != nil {
		b := *dep.DefaultFeatures
		c.DefaultFeatures = &b
	}
	return &c
}

// Features returns the [features] table in source order. The results are
// copies.
func (d *Doc) Features() []*Feature {
	out := make([]*Feature, len(d.feats))
	for i := range d.feats {
		c := d.feats[i]
		c.Refs = slices.Clone(c.Refs)
		out[i] = &c
	}
	return out
}

// fieldKind returns the type cargo takes for a dependency field jemfix
// reads or writes, and whether it is one: a switch, since every field of
// every entry asks.
func fieldKind(name string) (kind, bool) {
	switch name {
	case "version", "package", "path", "git", "branch", "tag", "rev", "registry":
		return kString, true
	case "optional", "workspace", "default-features", "default_features":
		return kBool, true
	case "features":
		return kArray, true
	}
	return 0, false
}

var kindNames = map[kind]string{
	kOther: "a number or a date", kString: "a string", kBool: "a boolean", kArray: "an array",
	kInline: "an inline table", kTable: "a table", kArrayTable: "an array of tables",
}

// badShape notes the first value of a type cargo refuses, at r's key
// (Doc.FieldError).
func (b *builder) badShape(r ref, msg string) {
	if b.shape == nil {
		b.shape = b.d.errorAt(int(b.at(r).start), msg, nil)
	}
}

// stringsOnly notes an element of array r that is not a string, where
// cargo takes only strings (features, members).
func (b *builder) stringsOnly(r ref, what string) {
	for e := range b.elems(r) {
		if k := b.nodes[e].kind; k != kString {
			b.badShape(e, fmt.Sprintf("%s holds %s, where cargo takes only strings", what, kindNames[k]))
			return
		}
	}
}
