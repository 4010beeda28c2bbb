package plan

import (
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// Option 3: crate features that members enabled through features of
// their own ("profiling = ["tikv-jemallocator/profiling"]") go on working
// through an owner feature that forwards them: the member's reference
// becomes "owner/jemalloc-profiling", and the owner gets
// `jemalloc-profiling = ["jemalloc", "tikv-jemallocator/profiling"]`.

// forwardPrefix starts the name of the owner feature that forwards a
// crate feature of each role.
var forwardPrefix = map[family.Role]string{family.Allocator: "jemalloc-", family.Control: "jemalloc-ctl-", family.Sys: "jemalloc-sys-"}

// planForwards names the owner feature of every crate feature that a
// member's feature enables on a dropped entry. A weak reference
// ("key?/feat": only when the entry is on) is forwarded only from a
// feature that turns the entry on itself, where it is as good as a strong
// one; neither is a feature the plan's series lacks, nor one whose name
// the owner already uses for something else: rewire notes those. An owner feature of that
// name that turns the crate feature on already is used as it is.
func (c *consolidation) planForwards() {
	c.forwards = map[forward]string{}
	for _, m := range c.ws.Members {
		me := c.edits[m]
		if me == nil || m == c.owner {
			continue
		}
		type ref struct {
			f     *tomledit.Feature // nil for a target's required-features
			value string
		}
		var refs []ref
		for _, f := range m.Doc.Features() {
			for _, r := range f.Refs {
				refs = append(refs, ref{f, r.Value})
			}
		}
		for _, s := range workspace.RequiredFeatures(m) {
			refs = append(refs, ref{nil, s.Value})
		}
		for _, r := range refs {
			fw, ok := c.forwardable(m, r.f, r.value)
			if !ok || c.forwards[fw] != "" {
				continue
			}
			name := forwardPrefix[fw.role] + fw.feat
			if f := c.owner.Feature(name); f != nil {
				// The owner's own feature of that name serves when it
				// turns the crate feature on already.
				if slices.ContainsFunc(f.Refs, func(r tomledit.Ref) bool { return r.Value == c.ownerKey(fw.role)+"/"+fw.feat }) {
					c.forwards[fw], c.existing = name, append(c.existing, name)
				}
				continue
			}
			c.forwards[fw] = name
			what := "required-features"
			if r.f != nil {
				what = fmt.Sprintf("feature %q", r.f.Name)
			}
			c.p.Why = append(c.p.Why, fmt.Sprintf("owner %s: new feature %q turns on %s's %q, for %s's %s",
				c.owner.Name, name, c.ownerKey(fw.role), fw.feat, m.Name, what))
		}
	}
}

// forwardable returns the role and crate feature that reference v of
// member m's feature f enables on one of its dropped entries, if an owner
// feature may forward it.
func (c *consolidation) forwardable(m *workspace.Manifest, f *tomledit.Feature, v string) (forward, bool) {
	key, feat, ok := strings.Cut(strings.TrimPrefix(v, "dep:"), "/")
	if !ok {
		return forward{}, false
	}
	if weak, found := strings.CutSuffix(key, "?"); found {
		if !m.TurnsOn(f, weak) {
			return forward{}, false
		}
		key = weak
	}
	me := c.edits[m]
	if _, dropped := me.keys[key]; !dropped {
		return forward{}, false
	}
	i := slices.IndexFunc(c.familyUses(m), func(u conflict.Use) bool { return u.Dep.Key == key })
	if i < 0 {
		return forward{}, false
	}
	role := c.familyUses(m)[i].Crate.Role
	if _, lacks := family.Lacks(family.Find(family.Tikv, role).Name, c.p.Series, feat); lacks {
		return forward{}, false
	}
	return forward{role, feat}, true
}

// forwardOf returns the owner feature that forwards reference v of m's
// feature f.
func (c *consolidation) forwardOf(m *workspace.Manifest, f *tomledit.Feature, v string) (string, bool) {
	fw, ok := c.forwardable(m, f, v)
	if !ok {
		return "", false
	}
	name, ok := c.forwards[fw]
	return name, ok && name != ""
}

// forwardEntries returns the owner's forwarding features, in the order
// planForwards named them.
func (c *consolidation) forwardEntries() []tomledit.FeatureEntry {
	var out []tomledit.FeatureEntry
	for fw, name := range c.forwards {
		if !slices.Contains(c.existing, name) {
			out = append(out, tomledit.FeatureEntry{Name: name, Refs: []string{"jemalloc", c.ownerKey(fw.role) + "/" + fw.feat}})
		}
	}
	slices.SortFunc(out, func(a, b tomledit.FeatureEntry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// unforwarded says why the member's feature f, whose reference v turned on
// the crate feature feat, now turns on only the owner's jemalloc feature.
func (c *consolidation) unforwarded(f, v, feat string) string {
	why := fmt.Sprintf("%s's jemalloc feature does not forward it", c.owner.Name)
	switch key, _, _ := strings.Cut(v, "/"); {
	case strings.HasSuffix(key, "?"):
		why = "a weak reference (only when the crate is on) from a feature that does not turn the crate on has no owner feature to forward it, and was removed"
	default:
		for _, prefix := range forwardPrefix {
			if c.owner.Feature(prefix+feat) != nil {
				why = fmt.Sprintf("%s's feature %q, which would forward it, does something else", c.owner.Name, prefix+feat)
			}
		}
	}
	return fmt.Sprintf("%s enabled %q of a jemalloc crate; %s: add it to %s if it is needed", f, feat, why, c.owner.Name)
}
