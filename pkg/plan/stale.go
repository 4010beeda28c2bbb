package plan

import (
	"bytes"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"jemfix/internal/par"
	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// Half-migrated packages: a manifest already names tikv-jemallocator while
// its sources still say jemallocator::, or the other way round after a
// keep-names move. The rule Option 1 enforces: every family crate path in a
// package's sources names a family crate the package depends on, by that
// dependency's Rust name (its key), whether or not this run changed the
// manifest. A path whose crate the package does not depend on, while it
// depends on exactly one crate of the same role (allocator, control, sys),
// is renamed to that one. Normal and dev dependencies count for the
// package's code, build dependencies for its build script.

// staleNames holds the renames of one package's stale family paths.
type staleNames struct {
	normal, build map[string]string // old Rust name -> the Rust name of the dependency
	features      map[string]string // a feature that does not exist -> the dependency's
}

// findStale records in edits, for every member of members with family
// dependencies, the stale names its sources may hold after the plan's
// moves. The members are looked at in parallel, one worker per CPU (each
// reads only its own manifest and edits), and recorded in order.
func findStale(ws *workspace.Workspace, members []*workspace.Manifest, edits map[*workspace.Manifest]*manifestEdit) {
	found := make([]staleNames, len(members))
	var same tables // the members of a large workspace mostly have the same stale names
	par.PerCPU(len(members), func(i int) {
		var keys map[string]string
		if me := edits[members[i]]; me != nil {
			keys = me.keys
		}
		st := staleFor(ws, members[i], keys)
		found[i] = staleNames{normal: same.intern(st.normal), build: same.intern(st.build), features: same.intern(st.features)}
	})
	for i, st := range found {
		if len(st.normal) == 0 && len(st.build) == 0 {
			continue
		}
		editFor(edits, members[i]).stale = st
	}
}

// staleFor computes the stale names of member m; keys are the dependency
// keys the plan renames in m ("" for a dropped entry). It runs for every
// member, so it keeps to slices: a manifest has a handful of entries.
func staleFor(ws *workspace.Workspace, m *workspace.Manifest, keys map[string]string) staleNames {
	type famDep struct {
		role      family.Role
		name, key string // Rust name and dependency key after the plan
	}
	// Per group (normal and dev, then build): the Rust names of m's
	// dependencies after the plan, and its family dependencies.
	var all [2][]string
	var fam [2][]famDep
	for _, d := range m.Doc.Deps() {
		if d.InWorkspace {
			continue
		}
		key := d.Key
		if nk, ok := keys[key]; ok {
			key = nk
		}
		if key == "" {
			continue // dropped by the plan
		}
		g := 0
		if d.Kind == "build" {
			g = 1
		}
		name := workspace.RustName(key)
		all[g] = append(all[g], name)
		if u, ok := conflict.UseOf(ws, m, d); ok {
			fam[g] = append(fam[g], famDep{u.Crate.Role, name, key})
		}
	}
	var st staleNames
	for g, out := range []*map[string]string{&st.normal, &st.build} {
		for i, f := range fam[g] {
			if slices.ContainsFunc(fam[g][:i], func(e famDep) bool { return e.role == f.role }) {
				continue // the role's first dependency answers for it
			}
			if slices.ContainsFunc(fam[g][i+1:], func(e famDep) bool { return e.role == f.role && e.name != f.name }) {
				continue // two crates of one role: no single answer
			}
			for _, c := range family.Crates {
				old := workspace.RustName(c.Name)
				if c.Role == f.role && !slices.Contains(all[g], old) {
					if *out == nil {
						*out = map[string]string{}
					}
					(*out)[old] = f.name
				}
			}
		}
	}
	for old, nu := range st.normal {
		newFeature := ""
		for _, f := range fam[0] {
			if f.name == nu {
				newFeature = f.key // the last entry of that name
			}
		}
		oldFeature := crateKey(old)
		if !hasFeature(m, oldFeature) && hasFeature(m, newFeature) {
			if st.features == nil {
				st.features = map[string]string{}
			}
			st.features[oldFeature] = newFeature
		}
	}
	return st
}

// crateKey returns the family crate name whose Rust name is name.
func crateKey(name string) string {
	for _, c := range family.Crates {
		if workspace.RustName(c.Name) == name {
			return c.Name
		}
	}
	return name
}

// hasFeature reports whether m offers a feature of that name: an explicit
// one, or the implicit feature of an optional dependency.
func hasFeature(m *workspace.Manifest, name string) bool {
	if m.Feature(name) != nil {
		return true
	}
	d := m.Dep(name)
	return d != nil && d.Optional && !m.HasDepRef(name)
}

// withStale adds the stale renames of a group to opt, after the plan's
// own renames, which win.
func withStale(opt rustedit.Options, stale, features map[string]string) rustedit.Options {
	crates := maps.Clone(opt.Crates)
	if crates == nil {
		crates = map[string]string{}
	}
	for old, nu := range stale {
		if _, ok := crates[old]; !ok {
			crates[old] = nu
		}
	}
	opt.Crates = crates
	if len(features) > 0 {
		fs := maps.Clone(opt.Features)
		if fs == nil {
			fs = map[string]string{}
		}
		for old, nu := range features {
			if _, ok := fs[old]; !ok {
				fs[old] = nu
			}
		}
		opt.Features = fs
	}
	return opt
}

// quietStale drops the reports that a stale name alone caused in a file
// whose code names it in no path: a `use tikv_jemallocator as
// jemallocator;` alias is deliberate, and a comment or a generated file
// that mentions the old name is not a broken path.
func quietStale(src []byte, res rustedit.Result, hard map[string]string, stale map[string]string) rustedit.Result {
	// A stale name the file binds to its new crate itself compiles: its
	// paths are no work left.
	var code []byte
	for old, nu := range stale {
		if _, moved := hard[old]; moved || !bytes.Contains(src, []byte(old)) {
			continue
		}
		if code == nil {
			code = rustedit.CodeOnly(src)
		}
		if aliases(code, nu, old) {
			res.Edits = slices.DeleteFunc(slices.Clone(res.Edits), func(e textedit.Edit) bool { return string(src[e.Start:e.End]) == old && e.New == nu })
		}
	}
	var kept []rustedit.Skip
	for _, s := range res.Skipped {
		if s.Kind == rustedit.KindOldAPI || namesAny(s.Reason, hard) || !onlyStale(src, hard, stale, s.Kind) {
			kept = append(kept, s)
		}
	}
	res.Skipped = kept
	return res
}

// onlyStale reports whether a skip of the given kind in src can come from
// the stale names alone: a shadowing declaration of a stale name, or a file
// skipped whole that names no crate of hard and uses no stale name as a
// path.
func onlyStale(src []byte, hard, stale map[string]string, kind string) bool {
	if kind == rustedit.KindShadow {
		return true
	}
	for old := range hard {
		if wordIn(src, old) {
			return false
		}
	}
	for old := range stale {
		if pathUse(old).Match(src) {
			return false
		}
	}
	return true
}

func namesAny(text string, names map[string]string) bool {
	for old := range names {
		if wordIn([]byte(text), old) {
			return true
		}
	}
	return false
}

func wordIn(src []byte, word string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).Match(src)
}

// pathUse matches a name used as a crate: `name::`, `use name`,
// `extern crate name`.
func pathUse(name string) *regexp.Regexp {
	q := regexp.QuoteMeta(name)
	return regexp.MustCompile(`\b` + q + `\s*::|\buse\s+(::)?` + q + `\b|\bcrate\s+` + q + `\b`)
}

// StaleFile is a source file that names a family crate its package does
// not depend on. Broken holds the syntax error that keeps Option 1 from
// rewriting it, at its path:line:col, or "".
type StaleFile struct {
	Path   string // root-relative
	Broken string // "path:line:col: the syntax error" of a file Option 1 cannot rewrite, else ""
	ByHand string // "path:line:col: why" of a file include! or #[path] pulls in, which Option 1 leaves to a person, else ""
}

// StaleSources lists the source files that name a family crate their
// package does not depend on, in a workspace whose manifests need no move
// (no conflict, no original-name crate): the files Option 1 rewrites there,
// those it cannot rewrite for a syntax error (a write that skipped them
// left them so), and those that include! or #[path] pulls in from outside
// the package's sources, which it leaves to a person. Such a workspace
// does not compile, though its manifests look healthy.
func StaleSources(ws *workspace.Workspace) ([]StaleFile, error) {
	p, err := Option1(ws, Options{})
	if err != nil {
		return nil, err
	}
	var out []StaleFile
	for _, c := range p.Changes {
		if path.Base(c.Path) != "Cargo.toml" {
			out = append(out, StaleFile{Path: c.Path})
		}
	}
	for _, s := range p.Skipped {
		if s.Kind == rustedit.KindParse && s.File != "" {
			msg := strings.TrimSuffix(strings.TrimPrefix(s.Reason, "syntax error ("), "); file not rewritten")
			out = append(out, StaleFile{Path: s.File, Broken: s.At.String() + ": " + msg})
		}
	}
	for _, s := range p.Skipped {
		if s.Left != "" && !slices.ContainsFunc(out, func(f StaleFile) bool { return f.Path == s.Left }) {
			out = append(out, StaleFile{Path: s.Left, ByHand: s.At.String() + ": " + s.Reason})
		}
	}
	slices.SortFunc(out, func(a, b StaleFile) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}
