package plan

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"jemfix/internal/par"
	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// Options tune a fix.
type Options struct {
	Series    string // the tikv series to move to; "" lets the planner choose
	KeepNames bool   // Option 1: keep dependency keys, set package = "tikv-…" instead
	Into      string // Option 3: the member that will own jemalloc; "" lets the planner choose
	// RenameFeatures lets Option 1 rename the implicit feature of a moved
	// optional dependency with it ("jemallocator" -> "tikv-jemallocator").
	// By default the old feature name stays, enabling the new crate.
	RenameFeatures bool
}

// manifestEdit collects what Option 1 does to one manifest.
type manifestEdit struct {
	m        *workspace.Manifest
	edits    []textedit.Edit
	crates   map[string]string // old Rust crate name -> new, for this package's sources
	features map[string]string // implicit features renamed with their dependency
	keys     map[string]string // dependency keys renamed in this manifest
	adjust   adjustFunc        // changes the source edits of this package, or nil
	stale    staleNames        // renames of a half-migrated package's sources (Option 1)
	kept     []string          // implicit features kept under their old name (Option 1)
	lacking  []string          // notes on feature references dropped for a feature the series lacks
	dropped  []*tomledit.Dep   // entries to remove, all at once (Option 3): an emptied target table goes too
	slot     *tomledit.Dep     // a dropped entry whose line the dependency on the owner takes instead (Option 3)
	// newFeatures are features to add to [features] (renameFeatureRefs'
	// kept ones), in one edit with any others: addNewFeatures.
	newFeatures []tomledit.FeatureEntry
	// fields are the features and fields that steps apart (a merge, a
	// use's "stats") add to or drop from one entry, made one edit by
	// flushFields: two edits that each make a plain version string an
	// inline table would nest one in the other.
	// An entry is known by its first byte: steps may hold copies of it.
	fields     map[int]*tomledit.FieldEdit
	fieldOrder []*tomledit.Dep
}

// editDependency records fe for the entry dep of me's manifest, with what
// the other steps asked of that entry.
func (me *manifestEdit) editDependency(dep *tomledit.Dep, fe tomledit.FieldEdit) {
	if me.fields == nil {
		me.fields = map[int]*tomledit.FieldEdit{}
	}
	cur := me.fields[dep.Start]
	if cur == nil {
		me.fields[dep.Start] = &fe
		me.fieldOrder = append(me.fieldOrder, dep)
		return
	}
	cur.Features = append(cur.Features, fe.Features...)
	cur.Drop = append(cur.Drop, fe.Drop...)
	cur.Unfeature = append(cur.Unfeature, fe.Unfeature...)
	cur.Key = cmp.Or(cur.Key, fe.Key)
}

// flushFields makes the edits editDependency recorded, one an entry.
func (me *manifestEdit) flushFields() {
	for _, dep := range me.fieldOrder {
		me.edits = append(me.edits, me.m.Doc.EditDependency(dep, *me.fields[dep.Start])...)
	}
	me.fields, me.fieldOrder = nil, nil
}

// editFor returns the edits of m, made empty on first use. Its tables
// (crates, features, keys) are nil until set, and may be another
// manifest's: change them only through put.
func editFor(edits map[*workspace.Manifest]*manifestEdit, m *workspace.Manifest) *manifestEdit {
	me := edits[m]
	if me == nil {
		me = &manifestEdit{m: m}
		edits[m] = me
	}
	return me
}

// nothingToDo says why Option 1 changes nothing.
func nothingToDo(uses []conflict.Use, series string) string {
	for _, u := range uses {
		if u.Crate.Lineage == family.Original && (u.Dep.Path != "" || u.Git != "") && !u.Unused {
			return "nothing jemfix can move: the original-name crates here are local copies (path dependencies) or come from git, and keep their own names; move them to the tikv crates by hand"
		}
	}
	if series == "" {
		return "nothing to do: no jemalloc crate in the graph"
	}
	return "nothing to do: every jemalloc dependency is already a tikv crate on the " + series + " series"
}

// isManifest reports whether the path p names a Cargo.toml.
func isManifest(p string) bool { return path.Base(p) == "Cargo.toml" }

// moveUsed moves every entry of uses in the graph (not Unused). The moves
// are worked out in parallel, one worker per CPU (planMove), and recorded
// in order.
func moveUsed(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit, uses []conflict.Use, keepNames, inheritGit bool, same *tables) error {
	var used []conflict.Use
	patched := conflict.PatchedSys(ws)
	for _, u := range uses {
		// A copy on the plan's tikv sys crate already needs no move; one
		// on another series moves off the copy with the others.
		if sys, ok := conflict.OnTikvCopy(u, patched); ok && sys == family.Find(family.Tikv, family.Sys).Sys(p.Series) {
			p.Skipped = append(p.Skipped, Skipped{At: ws.Position(u.Manifest, u.Dep.Start),
				Reason: fmt.Sprintf("%s is patched to a copy that builds on %s already; jemfix leaves it, as moving it would leave the copy out", u.Dep.Key, sys)})
			continue
		}
		if !u.Unused {
			used = append(used, u)
		}
	}
	planned := make([]plannedMove, len(used))
	par.PerCPU(len(used), func(i int) { planned[i] = planMove(ws, used[i], p.Series, keepNames, true, inheritGit) })
	for i, u := range used {
		if err := planned[i].record(ws, p, edits, u, same); err != nil {
			return err
		}
	}
	return nil
}

// moveUnused moves the original-name [workspace.dependencies] entries that
// no member inherits, once the plan moves anything else: not resolved,
// they must not make a diff of their own, but left behind they would
// bring the old crate back with the next member that inherits them.
func moveUnused(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit, uses []conflict.Use, keepNames bool, same *tables) error {
	for _, u := range uses {
		if u.Unused && u.Crate.Lineage == family.Original {
			if err := moveUse(ws, p, edits, u, keepNames, true, same); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveUse moves one entry to its tikv crate and the plan's series. With
// keepNames, the key stays and the entry gets package = "tikv-…", so Rust
// code keeps compiling unchanged. With stats, a control crate that crosses
// into 0.6 gets its stats feature (statsGated); without, the caller adds
// it with the entry's other features, in one edit.
func moveUse(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit, u conflict.Use, keepNames, stats bool, same *tables) error {
	return planMove(ws, u, p.Series, keepNames, stats, false).record(ws, p, edits, u, same)
}

// plannedMove is the move of one entry as planMove works it out, from the
// workspace alone; record adds it to the plan.
type plannedMove struct {
	skip    *Skipped      // a path dependency, not moved
	into    *tomledit.Dep // the tikv entry of the same table to merge into (merge.go)
	renamed bool          // the key changes to newKey, outside [workspace.dependencies]
	newKey  string
	edits   []textedit.Edit // the entry's edits
	move    Move            // the move, when there are edits
	notes   []string        // for Plan.Why
	err     error
}

// planMove works out the move of u to the series: what moveUse records.
// It reads the workspace and changes nothing.
func planMove(ws *workspace.Workspace, u conflict.Use, series string, keepNames, stats, inheritGit bool) plannedMove {
	doc, dep := u.Manifest.Doc, u.Dep
	if dep.Path != "" {
		return plannedMove{skip: &Skipped{At: ws.Position(u.Manifest, dep.Start), Reason: dep.Key + " is a path dependency; jemfix moves only registry dependencies"}}
	}
	if u.Git != "" {
		if u.Crate.Lineage == family.Tikv && (dep.Version == "" || family.SeriesOf(dep.Version) == series) {
			return plannedMove{} // nothing to change
		}
		if nk := newKey(ws, u); nk != dep.Key && !keepNames {
			if into := clashingEntry(u, nk); into != nil {
				return plannedMove{into: into} // both families in one table: the merge refuses, saying why
			}
		}
		return plannedMove{skip: &Skipped{At: ws.Position(u.Manifest, dep.Start), Reason: dep.Key + " comes from git; jemfix moves only registry dependencies"}}
	}
	newKey := newKey(ws, u)
	if keepNames {
		newKey = dep.Key
	}
	var pm plannedMove
	var es []textedit.Edit
	if newKey != dep.Key {
		// Both families in one table: merge (merge.go).
		if into := clashingEntry(u, newKey); into != nil {
			return plannedMove{into: into}
		}
	}
	if target, src, gs := gitTarget(ws, u); target != nil && inheritGit {
		return inheritMove(ws, u, target, newKey, gs, src)
	}
	if newKey != dep.Key {
		if err := checkOtherName(ws, u, newKey); err != nil { // merge.go
			return plannedMove{err: err}
		}
		es = append(es, doc.RenameDependency(dep, newKey)...)
		if !dep.InWorkspace {
			pm.renamed, pm.newKey = true, newKey
		}
	} else if u.Crate.Lineage == family.Original && u.Inherit == nil && (dep.Package != "" || keepNames) {
		if err := checkSecondName(ws, u, keepNames); err != nil { // merge.go
			return plannedMove{err: err}
		}
		if dep.Package != "" && dep.Key == u.Crate.TikvName() {
			// `tikv-jemallocator = { package = "jemallocator" }`: the key
			// is the new name already, which needs no package field.
			es = append(es, doc.EditDependency(dep, tomledit.FieldEdit{Drop: []string{"package"}})...)
		} else {
			es = append(es, doc.SetPackage(dep, u.Crate.TikvName())...)
		}
	}
	if stats && statsGated(u, series) {
		// Before the version: its edit goes inside a table made here.
		es = addFeature(doc, dep, es, "stats", newKey)
	}
	// A feature the target series lacks (a move down from 0.6) goes:
	// cargo refuses a feature the crate does not have.
	var lack []string
	for _, f := range dep.FeatureNames() {
		if since, ok := family.Lacks(u.Crate.TikvName(), series, f); ok {
			lack = append(lack, f)
			member := u.Manifest.Name
			if dep.InWorkspace {
				member = "[workspace.dependencies]"
			}
			note := fmt.Sprintf("%s: %s %s has no %q feature (%s added it), so the entry no longer asks for it", member, u.Crate.TikvName(), series, f, since)
			switch {
			case f == "stats" && u.Crate.Role == family.Control:
				note += "; the stats module is always there before 0.6"
			case f == "profiling" && u.Crate.Role == family.Control:
				note += "; tikv-jemallocator's \"profiling\" feature turns jemalloc's profiling on in " + series
			}
			pm.notes = append(pm.notes, note)
		}
	}
	switch {
	case len(lack) > 0 && len(lack) == len(dep.FeatureRefs):
		es = append(es, doc.EditDependency(dep, tomledit.FieldEdit{Drop: []string{"features"}})...) // no features = [] left behind
	case len(lack) > 0:
		es = append(es, doc.EditDependency(dep, tomledit.FieldEdit{Unfeature: lack})...)
	}
	if dep.Version != "" && family.SeriesOf(dep.Version) != series {
		e, err := doc.SetVersion(dep, series)
		if err != nil {
			return plannedMove{err: err}
		}
		es = mergeEdit(doc.Src(), es, e)
	}
	if len(es) > 0 {
		pm.edits, pm.move = es, move(ws, u, series)
	}
	return pm
}

// record adds the planned move of u to the plan and to the edits of u's
// manifest, as moveUse does.
func (pm plannedMove) record(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit, u conflict.Use, same *tables) error {
	me := editFor(edits, u.Manifest)
	switch {
	case pm.skip != nil:
		p.Skipped = append(p.Skipped, *pm.skip)
		return nil
	case pm.into != nil:
		return mergeUse(ws, p, me, u, pm.into, same)
	case pm.err != nil:
		return pm.err
	}
	if pm.renamed {
		me.keys = put(same, me.keys, u.Dep.Key, pm.newKey)
		me.crates = put(same, me.crates, workspace.RustName(u.Dep.Key), workspace.RustName(pm.newKey))
	}
	if len(pm.edits) > 0 {
		me.edits = append(me.edits, pm.edits...)
		p.Moves = append(p.Moves, pm.move)
	}
	p.Why = append(p.Why, pm.notes...)
	return nil
}

// mergeEdit adds e to es. When an edit of es already rewrites the span of
// e and keeps its old text (SetPackage turning `x = "0.5"` into an inline
// table), e is made inside that edit instead.
func mergeEdit(src []byte, es []textedit.Edit, e textedit.Edit) []textedit.Edit {
	old := string(src[e.Start:e.End])
	for i, o := range es {
		if o.Start <= e.Start && e.End <= o.End && strings.Count(o.New, old) == 1 {
			es[i].New = strings.Replace(o.New, old, e.New, 1)
			return es
		}
	}
	return append(es, e)
}

// newKey is the key an entry ends with: the tikv name for an entry keyed by
// an original crate name, the new key of the inherited entry for
// `workspace = true`, and the same key for renamed entries (`package = …`).
func newKey(ws *workspace.Workspace, u conflict.Use) string {
	if u.Inherit != nil {
		inh, ok := conflict.UseOf(ws, ws.Root, u.Inherit)
		if !ok {
			return u.Dep.Key
		}
		return newKey(ws, inh)
	}
	if u.Crate.Lineage == family.Original && u.Dep.Package == "" {
		return u.Crate.TikvName()
	}
	return u.Dep.Key
}

func sameTable(a, b *tomledit.Dep) bool {
	return a.Kind == b.Kind && a.Target == b.Target && a.InWorkspace == b.InWorkspace
}

func move(ws *workspace.Workspace, u conflict.Use, series string) Move {
	member := u.Manifest.Name
	if u.Dep.InWorkspace {
		member = "[workspace.dependencies]"
	}
	from := u.Crate.Name + " " + u.Series
	return Move{At: ws.Position(u.Manifest, u.Dep.Start), Member: member, From: from, To: u.Crate.TikvName() + " " + series}
}

// renameFeatureRefs rewrites this manifest's [features] references to a
// renamed dependency. The implicit feature of a renamed optional
// dependency is kept when keep is set: the package gets an explicit
// feature of the old name that enables the new dependency's feature (`jemallocator =
// ["tikv-jemallocator"]`), so that every feature name it offered still
// exists with the same meaning, for `--features`, `cfg(feature)`,
// CARGO_FEATURE_* and other packages' "member/feature". Otherwise the
// feature is renamed with its dependency, and recorded in features.
func (me *manifestEdit) renameFeatureRefs(ws *workspace.Workspace, keep bool, series string) {
	feats := me.m.Doc.Features()
	explicit := map[string]bool{}
	for _, f := range feats {
		explicit[f.Name] = true
	}
	var kept []tomledit.FeatureEntry
	for _, old := range slices.Sorted(maps.Keys(me.keys)) {
		nu := me.keys[old]
		if nu == "" || !me.hasImplicitFeature(old, feats) {
			continue
		}
		// A package that names the new key "dep:new" already, or has a
		// feature named new, has no implicit feature new: the old one is
		// kept, enabling "dep:new".
		depNew := noImplicitFeature(me.m, nu)
		if keep || depNew {
			explicit[old] = true // a bare "old" now names the kept feature
			ref := nu
			if depNew {
				ref = "dep:" + nu
			}
			kept = append(kept, tomledit.FeatureEntry{Name: old, Refs: []string{ref}})
			me.kept = append(me.kept, old)
			continue
		}
		me.features = put(nil, me.features, old, nu)
	}
	for _, f := range feats {
		var lacking []tomledit.Ref
		for _, ref := range f.Refs {
			if note, ok := me.lackedRef(ws, f.Name, ref.Value, series); ok {
				// cargo refuses a feature the crate does not have
				lacking = append(lacking, ref)
				me.lacking = append(me.lacking, note)
				continue
			}
			if v, ok := renameRef(ref.Value, me.keys, explicit); ok {
				e := me.m.Doc.RenameFeatureRef(ref, v)
				if old := impliedFeature(ref.Value); slices.Contains(me.kept, old) && !slices.ContainsFunc(f.Refs, func(r tomledit.Ref) bool { return r.Value == old }) {
					// "old/x" turned on the implicit feature old too; the
					// kept feature old is explicit now, and "new/x" does
					// not turn it on.
					e.New = me.m.Doc.RenameFeatureRef(ref, old).New + ", " + e.New
				}
				me.edits = append(me.edits, e)
			}
		}
		me.edits = append(me.edits, me.m.Doc.RemoveArrayElements(f, lacking)...)
	}
	me.newFeatures = append(me.newFeatures, kept...)
}

// noImplicitFeature reports whether an optional entry keyed key would give
// m no feature of its name: m names it "dep:key", or has a feature of
// that name already (which must then name it "dep:key").
func noImplicitFeature(m *workspace.Manifest, key string) bool {
	return m.HasDepRef(key) || m.Feature(key) != nil
}

// impliedFeature returns the dependency key of a reference "key/x", which
// turns on the package's implicit feature key (when it has one) besides
// the dependency; "" for the other forms ("key?/x" does not).
func impliedFeature(v string) string {
	name, _, slash := strings.Cut(v, "/")
	if !slash || strings.HasSuffix(name, "?") || strings.HasPrefix(name, "dep:") {
		return ""
	}
	return name
}

// lackedRef reports whether the reference v of feature feat asks for a
// crate feature ("dep/x", "dep?/x") of a jemalloc crate from the registry
// that the series the plan moves it to lacks, and says so. A crate from
// git or a path has the features of its repository or copy, which may be
// more than the registry's.
func (me *manifestEdit) lackedRef(ws *workspace.Workspace, feat, v, series string) (string, bool) {
	name, x, ok := strings.Cut(strings.TrimPrefix(v, "dep:"), "/")
	if !ok || series == "" {
		return "", false
	}
	key := strings.TrimSuffix(name, "?")
	for _, d := range me.m.Doc.Deps() {
		if d.Key != key || d.InWorkspace {
			continue
		}
		c, ok := family.Lookup(d.RealName())
		if !ok {
			return "", false
		}
		source := d
		if inh := ws.Inherited(d.Key); d.Workspace && inh != nil {
			source = inh
		}
		if !source.Registry() {
			return "", false
		}
		if since, lacks := family.Lacks(c.TikvName(), series, x); lacks {
			return fmt.Sprintf("%s: feature %q no longer asks for %q: %s %s has no such feature (%s added it)", me.m.Name, feat, v, c.TikvName(), series, since), true
		}
		return "", false
	}
	return "", false
}

// addNewFeatures adds the features gathered in newFeatures, in one edit
// (a missing [features] table is created once), and extra after them.
func (me *manifestEdit) addNewFeatures(extra ...tomledit.FeatureEntry) {
	me.edits = append(me.edits, me.m.Doc.AddFeatures(append(me.newFeatures, extra...))...)
	me.newFeatures = nil
}

// renameAllFeatureRefs runs renameFeatureRefs on the manifests of mes
// and returns their featureNotes, in order. The manifests are done in
// parallel, one worker per CPU: each changes only its own manifestEdit,
// and lets go of the syntax its manifest's kept features needed once they
// are added.
func renameAllFeatureRefs(ws *workspace.Workspace, mes []*manifestEdit, keep bool, series string) []string {
	notes := make([][]string, len(mes))
	par.PerCPU(len(mes), func(i int) {
		mes[i].renameFeatureRefs(ws, keep, series)
		mes[i].addNewFeatures()
		mes[i].m.Doc.Compact()
		notes[i] = mes[i].featureNotes()
	})
	return slices.Concat(notes...)
}

// featureNotes tells which public feature names changed with their
// dependency: command lines and CI scripts that name them need updating.
func (me *manifestEdit) featureNotes() []string {
	out := slices.Clone(me.lacking)
	for _, old := range me.kept {
		nu := me.keys[old]
		if noImplicitFeature(me.m, nu) {
			out = append(out, fmt.Sprintf("%s: feature %q kept, now enabling %s (%s = [\"dep:%s\"]): %s has no implicit feature of its name in this package", me.m.Name, old, nu, old, nu, nu))
			continue
		}
		out = append(out, fmt.Sprintf("%s: feature %q kept, now enabling %s (%s = [%q]); --rename-features renames it instead", me.m.Name, old, nu, old, nu))
	}
	for _, old := range slices.Sorted(maps.Keys(me.features)) {
		out = append(out, fmt.Sprintf("%s: feature %q is now %q; update any --features flags that name it", me.m.Name, old, me.features[old]))
	}
	return out
}

// hasImplicitFeature reports whether an optional dependency keyed old gives
// the package a feature of the same name: it does unless a feature refers
// to it as "dep:old".
func (me *manifestEdit) hasImplicitFeature(old string, feats []*tomledit.Feature) bool {
	optional := false
	for _, d := range me.m.Doc.Deps() {
		optional = optional || (d.Key == old && d.Optional && !d.InWorkspace)
	}
	for _, f := range feats {
		for _, ref := range f.Refs {
			if ref.Value == "dep:"+old {
				return false
			}
		}
	}
	return optional
}

// renameRef rewrites one feature reference ("x", "dep:x", "x/f", "x?/f")
// whose dependency part is a renamed key. A bare "x" that names an explicit
// feature is left alone.
func renameRef(v string, keys map[string]string, explicit map[string]bool) (string, bool) {
	if rest, ok := strings.CutPrefix(v, "dep:"); ok {
		if n, ok := keys[rest]; ok {
			return "dep:" + n, true
		}
		return "", false
	}
	name, feat, slash := strings.Cut(v, "/")
	weak := strings.HasSuffix(name, "?")
	name = strings.TrimSuffix(name, "?")
	n, ok := keys[name]
	if !ok || (!slash && explicit[name]) {
		return "", false
	}
	if weak {
		n += "?"
	}
	if slash {
		n += "/" + feat
	}
	return n, true
}

// renameRequiredFeatures renames the required-features of the build
// targets ([[example]], [[bin]], …) of the manifests of ms that name an
// implicit feature renamed with its dependency (--rename-features): cargo
// would no longer build the target. A string jemfix cannot rewrite in place (escapes) is
// reported instead.
func renameRequiredFeatures(ws *workspace.Workspace, ms []*workspace.Manifest, edits map[*workspace.Manifest]*manifestEdit) []Skipped {
	var out []Skipped
	for _, m := range ms {
		reqs := workspace.RequiredFeatures(m)
		if len(reqs) == 0 {
			continue
		}
		me := edits[m]
		for _, s := range reqs {
			nu, ok := requiredRename(ws, m, me, edits, s.Value)
			if !ok {
				continue
			}
			if e, ok := stringEdit(m.Doc.Src(), s, withImplied(me, m.Doc.Src(), s, nu)...); ok {
				me = editFor(edits, m)
				me.edits = append(me.edits, e)
				continue
			}
			out = append(out, Skipped{At: ws.Position(m, s.Start), Kind: KindMention,
				Reason: fmt.Sprintf("%s names the feature %s, now %s; update it by hand", s.Table, s.Value, nu)})
		}
	}
	return out
}

// stringEdit returns the edit that makes s, a string of src, say nu (or,
// in an array, the strings nu, one after the other): when s is written as
// a plain one-line token ("…" or '…') that holds its value as it is,
// without escapes.
func stringEdit(src []byte, s workspace.MetadataString, nu ...string) (textedit.Edit, bool) {
	if end := s.Start + 1 + len(s.Value); end < len(src) && (src[s.Start] == '"' || src[s.Start] == '\'') &&
		string(src[s.Start+1:end]) == s.Value && src[end] == src[s.Start] {
		q := string(src[s.Start])
		return textedit.Edit{Start: s.Start + 1, End: end, New: strings.Join(nu, q+", "+q)}, true
	}
	return textedit.Edit{}, false
}

// withImplied returns the strings a required-features entry s of src
// becomes when it is renamed to nu: "key/x" turned on the implicit feature
// key too, and when me keeps that feature, it is listed before nu (as in
// [features]), unless the array names it already.
func withImplied(me *manifestEdit, src []byte, s workspace.MetadataString, nu string) []string {
	old := impliedFeature(s.Value)
	if me == nil || old == "" || !slices.Contains(me.kept, old) {
		return []string{nu}
	}
	open := bytes.LastIndexByte(src[:s.Start], '[')
	end := bytes.IndexByte(src[s.Start:], ']')
	if open >= 0 && end >= 0 {
		array := src[open : s.Start+end]
		if bytes.Contains(array, []byte(`"`+old+`"`)) || bytes.Contains(array, []byte(`'`+old+`'`)) {
			return []string{nu}
		}
	}
	return []string{old, nu}
}

// requiredRename returns what a required-features string v of m becomes:
// the package's own implicit feature renamed with its dependency
// (--rename-features), a dependency's feature whose key was renamed
// ("jemalloc-ctl/use_std"), or a member's renamed feature ("m/jemallocator").
func requiredRename(ws *workspace.Workspace, m *workspace.Manifest, me *manifestEdit, edits map[*workspace.Manifest]*manifestEdit, v string) (string, bool) {
	name, feat, slash := strings.Cut(v, "/")
	if !slash {
		if me == nil {
			return "", false
		}
		nu, ok := me.features[v]
		return nu, ok
	}
	if me != nil {
		if nu, ok := renameRef(v, me.keys, nil); ok {
			return nu, true
		}
	}
	key := strings.TrimSuffix(name, "?")
	for _, d := range m.Doc.Deps() {
		if d.Key == key && !d.InWorkspace {
			if nf, ok := renamedFeatures(ws, d, edits)[feat]; ok {
				return name + "/" + nf, true
			}
		}
	}
	return "", false
}

// renameMemberFeatureRefs rewrites the references of the manifests of ms
// to a member's implicit feature that Option 1 renamed: "member/feat" and "member?/feat" in
// [features], and "feat" in a dependency entry's features array.
func renameMemberFeatureRefs(ws *workspace.Workspace, ms []*workspace.Manifest, edits map[*workspace.Manifest]*manifestEdit) {
	renamed := func(key string, m *workspace.Manifest) map[string]string {
		for _, d := range m.Doc.Deps() {
			if d.Key == key && !d.InWorkspace {
				return renamedFeatures(ws, d, edits)
			}
		}
		return nil
	}
	for _, m := range ms {
		for _, f := range m.Doc.Features() {
			for _, ref := range f.Refs {
				name, feat, ok := strings.Cut(ref.Value, "/")
				if n, hit := renamed(strings.TrimSuffix(name, "?"), m)[feat]; ok && hit && !strings.HasPrefix(name, "dep:") {
					me := editFor(edits, m)
					me.edits = append(me.edits, m.Doc.RenameFeatureRef(ref, name+"/"+n))
				}
			}
		}
		for _, d := range m.Doc.Deps() {
			for _, ref := range d.FeatureRefs {
				if n, ok := renamedFeatures(ws, d, edits)[ref.Value]; ok {
					me := editFor(edits, m)
					me.edits = append(me.edits, m.Doc.RenameFeatureRef(ref, n))
				}
			}
		}
	}
}

// renamedFeatures returns the implicit features renamed in the member that
// dependency d points at, if it points at one.
func renamedFeatures(ws *workspace.Workspace, d *tomledit.Dep, edits map[*workspace.Manifest]*manifestEdit) map[string]string {
	target := ws.Member(d.RealName())
	if d.Workspace && !d.InWorkspace {
		if inh := ws.Inherited(d.Key); inh != nil {
			target = ws.Member(inh.RealName())
		}
	}
	if target == nil || edits[target] == nil {
		return nil
	}
	return edits[target].features
}

// editsOf returns the edits of the manifests of ms that have any, in the
// order of ms.
func editsOf(ms []*workspace.Manifest, edits map[*workspace.Manifest]*manifestEdit) []*manifestEdit {
	var mes []*manifestEdit
	for _, m := range ms {
		if me := edits[m]; me != nil {
			mes = append(mes, me)
		}
	}
	return mes
}

// manifestChanges returns a deferred change (deferEdits) for each manifest
// of mes with edits: its new content is made when a step loads it.
func manifestChanges(mes []*manifestEdit) []Change {
	var out []Change
	for _, me := range mes {
		me.flushFields()
		if len(me.edits) > 0 {
			out = append(out, deferEdits(me.m.Path, me.m.Doc.Src(), me.edits))
		}
	}
	return out
}

// statsSeries is the first tikv series whose control crate gates its stats
// module behind the "stats" feature; earlier ones always had it.
const statsSeries = "0.6"

// statsGated reports whether moving u to series takes a control crate
// across statsSeries: its entry must then enable "stats" to keep the
// module its code may use (an inheriting entry gets it from the entry it
// inherits).
func statsGated(u conflict.Use, series string) bool {
	return u.Crate.Role == family.Control && u.Inherit == nil && crossesStats(u.Series, series)
}

// statsWhy says, when a control crate of uses crosses statsSeries, that
// the moved entries enable "stats".
func statsWhy(uses []conflict.Use, series string) []string {
	if !slices.ContainsFunc(uses, func(u conflict.Use) bool {
		return !u.Unused && u.Crate.Role == family.Control && crossesStats(u.Series, series)
	}) {
		return nil
	}
	return []string{fmt.Sprintf("tikv-jemalloc-ctl %s and later compile the stats module only with the \"stats\" feature, which earlier series always had: the moved entries enable it", statsSeries)}
}

// crossesStats reports whether a control crate moving from one series to
// another loses the stats module it always had.
func crossesStats(from, to string) bool {
	return to != "" && family.CompareSeries(to, statsSeries) >= 0 && family.CompareSeries(from, statsSeries) < 0
}

// addFeature adds to es, the edits of dep so far, those that make dep
// enable feature. When SetPackage has already made a plain string entry an
// inline table ("{ package = …, version = … }"), the feature goes inside
// that table; EditDependency would wrap the string a second time. key is
// the key the entry ends with: a new dotted line is written under it.
func addFeature(doc *tomledit.Doc, dep *tomledit.Dep, es []textedit.Edit, feature, key string) []textedit.Edit {
	for i, e := range es {
		if body, ok := strings.CutSuffix(e.New, " }"); ok && strings.HasPrefix(e.New, "{ package = ") && !strings.Contains(body, "features") {
			es[i].New = body + ", features = [" + strconv.Quote(feature) + "] }"
			return es
		}
	}
	return append(es, doc.EditDependency(dep, tomledit.FieldEdit{Features: []string{feature}, Key: renamedKey(dep, key)})...)
}

// renamedKey returns key when it renames dep, else "" (FieldEdit.Key).
func renamedKey(dep *tomledit.Dep, key string) string {
	if key == dep.Key {
		return ""
	}
	return key
}

// metadataNotes reports the strings of [package.metadata] and
// [workspace.metadata] tables that name a renamed dependency key: tools
// keep crate names there (cargo-machete's and cargo-shear's ignored
// lists), and what they mean is the tool's, so jemfix leaves them to a
// person.
func metadataNotes(ws *workspace.Workspace, mes []*manifestEdit) []Skipped {
	var out []Skipped
	for _, me := range mes {
		m := me.m
		if len(me.keys) == 0 || !bytes.Contains(m.Doc.Src(), []byte("metadata")) {
			continue
		}
		for _, s := range workspace.MetadataStrings(m) {
			if strings.HasSuffix(s.Table, "features") && slices.Contains(me.kept, s.Value) {
				continue // a feature list (docs.rs features): the feature kept its name
			}
			if nu := me.keys[s.Value]; nu != "" {
				out = append(out, Skipped{At: ws.Position(m, s.Start), Kind: KindMention,
					Reason: fmt.Sprintf("%s names %s, now %s; update it by hand", s.Table, s.Value, nu)})
			}
		}
	}
	return out
}
