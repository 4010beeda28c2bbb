package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// Both families in one table (`jemallocator` next to `tikv-jemallocator`)
// cannot be renamed apart: the legacy entry merges into the tikv one. The
// merged entry enables what either enabled, the way Cargo unifies the
// features of one package: the union of the features, default features when
// either had them, and optional only when both were. When that would change
// what the package means, mergeUse refuses and says why.

// clashingEntry returns the entry of u's table keyed key, if there is one.
func clashingEntry(u conflict.Use, key string) *tomledit.Dep {
	for _, other := range u.Manifest.Doc.Deps() { // read only: the entry found is copied
		if other.Key == key && sameTable(other, u.Dep) {
			return other.Clone()
		}
	}
	return nil
}

// mergeUse drops the legacy entry of u and moves what it enables into the
// tikv entry into, of the same table. Feature references and sources follow
// the old key to the tikv one, as for a rename.
func mergeUse(ws *workspace.Workspace, p *Plan, me *manifestEdit, u conflict.Use, into *tomledit.Dep, same *tables) error {
	if err := checkMerge(ws, u, into); err != nil {
		return err
	}
	doc, from := u.Manifest.Doc, u.Dep
	fe := tomledit.FieldEdit{Features: from.FeatureNames()}
	if defaultsOn(from) && !defaultsOn(into) {
		fe.Drop = append(fe.Drop, "default-features")
	}
	if into.Optional && !from.Optional {
		fe.Drop = append(fe.Drop, "optional")
		p.Why = append(p.Why, fmt.Sprintf("%s: feature %q is gone: %s is no longer optional, because %s was not; remove it from any --features flags",
			u.Manifest.Name, into.Key, into.Key, from.Key))
	}
	me.edits = append(me.edits, doc.DropDependency(from)...)
	me.editDependency(into, fe)
	if !from.InWorkspace {
		me.keys = put(same, me.keys, from.Key, into.Key)
		me.crates = put(same, me.crates, workspace.RustName(from.Key), workspace.RustName(into.Key))
		me.edits = append(me.edits, duplicateRefs(doc, from.Key, into.Key)...)
	}
	p.Why = append(p.Why, fmt.Sprintf("%s: %s is merged into %s in %s", ws.Position(u.Manifest, from.Start), from.Key, into.Key, "["+from.Table().Header()+"]"))
	p.Moves = append(p.Moves, move(ws, u, p.Series))
	return nil
}

func defaultsOn(d *tomledit.Dep) bool { return d.DefaultFeatures == nil || *d.DefaultFeatures }

// sourceFields name where a dependency comes from.
var sourceFields = []string{"path", "git", "branch", "tag", "rev", "registry", "registry-index"}

// carriedFields are the fields of a legacy entry that a merge carries over.
var carriedFields = []string{"version", "features", "optional", "default-features", "default_features", "workspace"}

// checkMerge refuses a merge whose result would mean something else.
func checkMerge(ws *workspace.Workspace, u conflict.Use, into *tomledit.Dep) error {
	from := u.Dep
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s and %s are both in %s, and jemfix cannot merge them: %s",
			ws.Position(u.Manifest, from.Start), from.Key, into.Key, "["+from.Table().Header()+"]", fmt.Sprintf(format, args...))
	}
	for _, d := range []*tomledit.Dep{from, into} {
		for _, f := range d.Fields {
			if slices.Contains(sourceFields, f) {
				return fail("%s sets %s, so the two do not come from the same registry; remove one of them, then run jemfix again", d.Key, f)
			}
		}
	}
	for _, f := range from.Fields {
		if !slices.Contains(carriedFields, f) {
			return fail("%s sets %s, which the merged entry would lose; move it to %s or remove it, then run jemfix again", from.Key, f, into.Key)
		}
	}
	if tikv := u.Crate.TikvName(); into.Package != "" && into.Package != tikv {
		return fail("%s renames package %q, not %s; remove one of them, then run jemfix again", into.Key, into.Package, tikv)
	}
	if from.InWorkspace {
		return nil // [workspace.dependencies] has no optional entries
	}
	if from.Workspace != into.Workspace {
		inh, own := from, into
		if into.Workspace {
			inh, own = into, from
		}
		return fail("%s is inherited from [workspace.dependencies] and %s is not; declare both the same way, then run jemfix again", inh.Key, own.Key)
	}
	if from.Workspace && (from.DefaultFeatures != nil || into.DefaultFeatures != nil) {
		return fail("both are inherited and one sets default-features, which [workspace.dependencies] decides; remove it, then run jemfix again")
	}
	return checkOptional(ws, u.Manifest, from, into, fail)
}

// checkOptional refuses a merge that would take away a feature the
// package has: the implicit feature of an optional entry, or what the
// [features] table, other members or the sources do with it.
func checkOptional(ws *workspace.Workspace, m *workspace.Manifest, from, into *tomledit.Dep, fail func(string, ...any) error) error {
	switch {
	case from.Optional && into.Optional:
		fromDep, intoDep := m.HasDepRef(from.Key), m.HasDepRef(into.Key)
		if fromDep == intoDep {
			return nil
		}
		implicit, viaDep := from.Key, into.Key
		if fromDep {
			implicit, viaDep = into.Key, from.Key
		}
		return fail("[features] enables %[1]s only as \"dep:%[1]s\", so the merged entry would have no feature %[2]q, which optional %[2]s gives the package now; "+
			"add `%[2]s = [\"dep:%[2]s\"]` to [features] to keep that feature, then run jemfix again", viaDep, implicit)
	case from.Optional:
		what := fmt.Sprintf("the feature %q", from.Key)
		if refs := namingRefs(m, from.Key); len(refs) > 0 {
			what = "the features that name it (" + strings.Join(refs, "; ") + ")"
		}
		return fail("%s is optional and %s is not, so the merged entry is always on and %s would enable nothing; make both optional or both required, then run jemfix again", from.Key, into.Key, what)
	case into.Optional:
		if refs := namingRefs(m, into.Key); len(refs) > 0 {
			return fail("%s is optional and %s is not, so the merged entry must stop being optional, which breaks the features that name it (%s); make both optional or both required, then run jemfix again",
				into.Key, from.Key, strings.Join(refs, "; "))
		}
		if use := featureUse(ws, m, into.Key); use != "" {
			return fail("%s is optional and %s is not, so the merged entry must stop being optional and the feature %q goes away, but %s; make both optional or both required, then run jemfix again",
				into.Key, from.Key, into.Key, use)
		}
	}
	return nil
}

// namingRefs returns the [features] references of m to the optional
// dependency key: "key", "dep:key", "key/f" and "key?/f".
func namingRefs(m *workspace.Manifest, key string) []string {
	var out []string
	explicit := map[string]bool{key: m.Feature(key) != nil}
	for _, f := range m.Doc.Features() {
		for _, r := range f.Refs {
			if _, ok := renameRef(r.Value, map[string]string{key: key}, explicit); ok {
				out = append(out, fmt.Sprintf("%s = [%q]", f.Name, r.Value))
			}
		}
	}
	return out
}

// featureUse finds a use of member m's feature name outside m's [features]:
// another member's "m/name" reference, or a `feature = "name"` in m's Rust
// sources. It returns "" when there is none it can see.
func featureUse(ws *workspace.Workspace, m *workspace.Manifest, name string) string {
	for _, o := range ws.Manifests() {
		for _, d := range o.Doc.Dependencies() {
			if d.RealName() != m.Name || o == m {
				continue
			}
			if d.Enables(name) {
				return fmt.Sprintf("%s enables it on its %s dependency", o.Name, d.Key)
			}
			for _, f := range o.Doc.Features() {
				for _, r := range f.Refs {
					if r.Value == d.Key+"/"+name || r.Value == d.Key+"?/"+name {
						return fmt.Sprintf("%s names it in feature %q", o.Name, f.Name)
					}
				}
			}
		}
	}
	re := regexp.MustCompile(`feature\s*=\s*"` + regexp.QuoteMeta(name) + `"`)
	f, err := sourceMatching(ws, m, re, nil)
	switch {
	case err != nil:
		return err.Error()
	case f != "":
		return fmt.Sprintf("%s tests it with cfg(feature = %q)", ws.Path(f), name)
	}
	return ""
}

// sourceMatching returns the first Rust source of m (of those only
// accepts; nil: all) that re matches, or "".
func sourceMatching(ws *workspace.Workspace, m *workspace.Manifest, re *regexp.Regexp, only func(path string) bool) (string, error) {
	files, err := ws.RustFiles(m)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if only != nil && !only(f) {
			continue
		}
		if src, err := ws.ReadFile(f, workspace.MaxSourceSize); err == nil && re.Match(src) {
			return f, nil
		}
	}
	return "", nil
}

// duplicateRefs removes, from each [features] array, the references to the
// tikv key that renaming the legacy key old to key would repeat: of
// ["dep:jemallocator", "dep:tikv-jemallocator"] only the first stays, and it
// is renamed.
func duplicateRefs(doc *tomledit.Doc, old, key string) []textedit.Edit {
	feats := doc.Features()
	explicit := map[string]bool{}
	for _, f := range feats {
		explicit[f.Name] = true
	}
	var edits []textedit.Edit
	for _, f := range feats {
		renamed := map[string]bool{}
		for _, r := range f.Refs {
			if v, ok := renameRef(r.Value, map[string]string{old: key}, explicit); ok {
				renamed[v] = true
			}
		}
		var drop []tomledit.Ref
		for _, r := range f.Refs {
			if _, moved := renameRef(r.Value, map[string]string{old: key}, explicit); !moved && renamed[r.Value] {
				drop = append(drop, r)
			}
		}
		if len(drop) > 0 {
			edits = append(edits, doc.RemoveArrayElements(f, drop)...)
		}
	}
	return edits
}

// checkSecondName refuses to give a legacy entry package = "tikv-…" (the
// keep-names variant) when its table already depends on that package under
// another key: cargo rejects a package that depends on one crate "multiple
// times with different names".
//
// [workspace.dependencies] is only a list for members to inherit from: two
// names for one package there are refused only when a member inherits both
// into one table.
func checkSecondName(ws *workspace.Workspace, u conflict.Use, keepNames bool) error {
	tikv := u.Crate.TikvName()
	advice := "run without --keep-names to merge them"
	if !keepNames {
		advice = fmt.Sprintf("the entry already renames its package (package = %q), so jemfix keeps its key; make the code use one name and remove the other entry by hand", u.Dep.Package)
	}
	// cargo rejects two names for one package across the tables of a
	// package too (normal, dev, build, any target).
	for _, other := range u.Manifest.Doc.Dependencies() {
		if other.Key == u.Dep.Key || other.InWorkspace != u.Dep.InWorkspace || other.RealName() != tikv {
			continue
		}
		if u.Dep.InWorkspace {
			if m, ok := inheritsBoth(ws, u.Dep.Key, other.Key); ok {
				return fmt.Errorf("%s: %s and %s are both in [workspace.dependencies], and %s inherits both; keeping the name %s would give it two names for %s, which cargo rejects; %s",
					ws.Position(u.Manifest, u.Dep.Start), u.Dep.Key, other.Key, m, u.Dep.Key, tikv, advice)
			}
			continue
		}
		where := "are both in [" + u.Dep.Table().Header() + "]"
		if !sameTable(other, u.Dep) {
			where = fmt.Sprintf("are both dependencies of %s ([%s], [%s])", u.Manifest.Name, u.Dep.Table().Header(), other.Table().Header())
			if keepNames {
				advice = "run without --keep-names, which renames the key"
			}
		}
		return fmt.Errorf("%s: %s and %s %s; keeping the name %s would make it a second name for %s, which cargo rejects; %s",
			ws.Position(u.Manifest, u.Dep.Start), u.Dep.Key, other.Key, where, u.Dep.Key, tikv, advice)
	}
	return nil
}

// checkOtherName refuses a move of u to the key newKey when another entry
// of u's package, in any table, names the tikv crate under another key
// (`jem = { package = "tikv-jemallocator" }` in [dev-dependencies]): cargo
// rejects a package that depends on one crate under two names.
func checkOtherName(ws *workspace.Workspace, u conflict.Use, newKey string) error {
	tikv := u.Crate.TikvName()
	for _, other := range u.Manifest.Doc.Dependencies() {
		if other == u.Dep || other.InWorkspace != u.Dep.InWorkspace || other.Key == newKey {
			continue
		}
		real := other.RealName()
		if other.Workspace && !other.InWorkspace {
			if inh := ws.Inherited(other.Key); inh != nil {
				real = inh.RealName()
			}
		}
		if real != tikv || u.Dep.InWorkspace {
			continue
		}
		return fmt.Errorf("%s: %s would become %s, which %s names already as %s ([%s]); cargo rejects a package that depends on one crate under two names; make the code use one name and give both entries that key by hand, then run jemfix again",
			ws.Position(u.Manifest, u.Dep.Start), u.Dep.Key, newKey, u.Manifest.Name, other.Key, other.Table().Header())
	}
	return nil
}

// inheritsBoth returns a member that inherits the [workspace.dependencies]
// entries a and b, into any of its tables.
func inheritsBoth(ws *workspace.Workspace, a, b string) (string, bool) {
	for _, m := range ws.Members {
		deps := m.Doc.Dependencies()
		for _, x := range deps {
			if x.Workspace && x.Key == a && slices.ContainsFunc(deps, func(y *tomledit.Dep) bool { return y.Workspace && y.Key == b }) {
				return m.Name, true
			}
		}
	}
	return "", false
}
