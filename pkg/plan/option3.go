package plan

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/docs"
	"jemfix/pkg/family"
	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// reexports names, per role, what the owner re-exports and callers' paths
// become: owner::jemallocator::…, owner::jemalloc_ctl::…, owner::jemalloc_sys::….
var reexports = map[family.Role]string{family.Allocator: "jemallocator", family.Control: "jemalloc_ctl", family.Sys: "jemalloc_sys"}

// consolidation is the state of one Option 3 plan.
type consolidation struct {
	ws    *workspace.Workspace
	uses  []conflict.Use // the workspace's family uses, before the plan
	p     *Plan
	owner *workspace.Manifest
	edits map[*workspace.Manifest]*manifestEdit
	roles map[family.Role]*tomledit.Dep // the entry that first brought each role, for its target table
	cfg   map[family.Role]string        // the cfg under which the owner re-exports each role
	feats map[family.Role][]string      // the crate features the dropped entries of each role enabled
	// target is the target table under which the owner has each role
	// (ownerEntries): "" for every target.
	target map[family.Role]string
	keep   bool // the owner keeps the implicit features of its renamed entries (Options.RenameFeatures unset)
	// forwards names the owner feature that forwards each crate feature
	// members enabled through features of their own (planForwards).
	forwards map[forward]string
	existing []string // the forwarding features the owner has already
}

// forward is a crate feature of one family role.
type forward struct {
	role family.Role
	feat string
}

// Option3 consolidates jemalloc in one library member, the owner: it takes
// every family dependency, as tikv crates behind a `jemalloc` feature, and
// re-exports them. Other members lose their family dependencies, depend on
// the owner instead, enable "owner/jemalloc" where they enabled a family
// crate, and name the owner's re-exports in their sources. Each binary keeps
// its own single #[global_allocator], under its cfg; the library declares
// none. A workspace without a conflict is left as it is: consolidation is a
// remedy for the conflict, not a layout to impose.
func Option3(ws *workspace.Workspace, opt Options) (*Plan, error) {
	if r := conflict.Scan(ws); !r.Conflict {
		why := "nothing to do: no links conflict, so nothing to consolidate"
		if r.Movable > 0 {
			why += "; --option=1 moves the original-name crates to the tikv family"
		}
		return &Plan{Option: "3", Resolves: true, Why: []string{why}, Unread: ws.UnreadNotes()}, nil
	}
	uses := conflict.Uses(ws)
	for _, u := range uses {
		if u.Unused || u.Dep.InWorkspace {
			continue
		}
		switch {
		case u.Local != nil:
			return nil, fmt.Errorf("option 3: %s depends on a local copy of %s (path dependency, %s), and jemfix does not consolidate local copies; move the copies to the tikv crates by hand",
				u.Manifest.Name, u.Crate.Name, ws.Position(u.Manifest, u.Dep.Start))
		case u.Git != "":
			return nil, fmt.Errorf("option 3: %s takes %s from git (%s), and jemfix does not consolidate crates from git: the owner would get the registry's crate instead; bring every jemalloc crate to one source by hand",
				u.Manifest.Name, u.Crate.Name, ws.Position(u.Manifest, u.Dep.Start))
		}
	}
	series, why, err := chooseSeries(ws, uses, opt)
	if err != nil {
		return nil, err
	}
	resolves, why := lockedResolves(ws, uses, series, false, why)
	c := &consolidation{ws: ws, uses: uses, p: &Plan{Option: "3", Series: series, Why: why, Resolves: resolves, Unread: ws.UnreadNotes()},
		edits: map[*workspace.Manifest]*manifestEdit{}, roles: map[family.Role]*tomledit.Dep{}, cfg: map[family.Role]string{}, feats: map[family.Role][]string{}, target: map[family.Role]string{}, keep: !opt.RenameFeatures}
	if c.owner, err = c.chooseOwner(opt.Into); err != nil {
		return nil, err
	}
	if err := c.edition2015(); err != nil {
		return nil, err
	}
	if err := c.switchFeature(); err != nil {
		return nil, err
	}
	if err := c.build(); err != nil {
		return nil, err
	}
	c.p.Why = append(c.p.Why, statsWhy(uses, series)...)
	c.finishOwner()
	c.finishMembers()
	profileRenames(ws, c.p, c.edits)
	c.p.Changes = append(c.p.Changes, manifestChanges(editsOf(ws.Manifests(), c.edits))...)
	if err := sourceChanges(ws, c.p, c.edits, c.uses); err != nil {
		return nil, err
	}
	for _, s := range c.p.Skipped {
		if s.Kind == KindExternCrate { // the member would not compile
			return nil, fmt.Errorf("option 3: %s: %s; remove it by hand first, or use option 1", s.At, s.Reason)
		}
	}
	if err := c.reexport(); err != nil {
		return nil, err
	}
	c.p.Why = append(c.p.Why, hakariNotes(c.ws, c.p.Changes)...)
	c.p.sort()
	return c.p, nil
}

// switchFeature refuses an owner whose library has a feature "jemalloc"
// of its own that switches something off (#[cfg(not(feature =
// "jemalloc"))]: the system allocator it exports otherwise, say) when a
// member that used only the control or sys crate would turn it on: that
// member would lose what the feature switches off, not only gain the
// crate it used. A feature that only adds items is left to the owner.
func (c *consolidation) switchFeature() error {
	if c.owner.Feature("jemalloc") == nil {
		return nil
	}
	var controlOnly string
	for _, m := range c.ws.Members {
		uses := c.familyUses(m)
		if m != c.owner && len(uses) > 0 && !slices.ContainsFunc(uses, func(u conflict.Use) bool { return u.Crate.Role == family.Allocator }) {
			controlOnly = m.Name
			break
		}
	}
	if controlOnly == "" {
		return nil
	}
	// The library's sources: what the members build of the owner. A
	// binary of the owner that picks its allocator by the feature builds
	// apart from them.
	f, err := sourceMatching(c.ws, c.owner, notJemallocFeature, c.libraryFiles(c.owner))
	if err != nil || f == "" {
		return err
	}
	return fmt.Errorf("option 3: %s has a feature \"jemalloc\" of its own, and %s switches something off with it (cfg(not(feature = \"jemalloc\"))); %s, which uses only the control or sys crate, would turn that feature on to reach the crate, and with it switch that off in %s: choose another owner with --into, or rename that feature first",
		c.owner.Name, c.ws.Path(f), controlOnly, c.owner.Name)
}

// notJemallocFeature matches a cfg that holds while the feature "jemalloc"
// is off.
var notJemallocFeature = regexp.MustCompile(`not\s*\(\s*feature\s*=\s*"jemalloc"\s*\)`)

func (c *consolidation) build() error {
	for _, u := range c.uses {
		if u.Unused && u.Crate.Lineage != family.Original {
			continue // not in the graph, and no old name to retire
		}
		if u.Manifest != c.owner && !u.Dep.InWorkspace && u.Dep.Kind != "dev" && dependsOn(c.ws, c.owner, u.Manifest, map[*workspace.Manifest]bool{}) {
			// A dev-dependency back on the owner closes no cycle cargo
			// refuses: it builds only the member's tests and examples.
			if inHakari(u.Manifest, u.Dep.Start) {
				return fmt.Errorf("option 3: %s depends on %s, whose section generated by cargo-hakari lists %s (%s); a dependency back on %s would be a cycle, and so it would be for every library that depends on %s. %s",
					c.owner.Name, u.Manifest.Name, u.Dep.Key, c.ws.Position(u.Manifest, u.Dep.Start), c.owner.Name, u.Manifest.Name, hakariAdvice)
			}
			return fmt.Errorf("option 3: %s depends on %s, which uses jemalloc too; a dependency back on %s would be a cycle. Choose another owner with --into", c.owner.Name, u.Manifest.Name, c.owner.Name)
		}
		if u.Manifest == c.owner || u.Dep.InWorkspace {
			// The owner's own entries get their features, stats included,
			// in one edit (ownerEntries).
			stats := u.Manifest != c.owner || u.Dep.InWorkspace || u.Dep.Kind != "normal"
			if err := moveUse(c.ws, c.p, c.edits, u, false, stats, nil); err != nil {
				return err
			}
			c.noteRole(u)
			continue
		}
		if err := c.dropUse(u); err != nil {
			return err
		}
	}
	for _, m := range c.ws.Manifests() {
		if me := c.edits[m]; me != nil && len(me.dropped) > 0 {
			if me.slot = c.ownerSlot(m); me.slot != nil {
				me.dropped = slices.DeleteFunc(me.dropped, func(d *tomledit.Dep) bool { return d == me.slot })
			}
			me.edits = append(me.edits, m.Doc.DropDependencies(me.dropped)...)
		}
	}
	if me := c.edits[c.owner]; me != nil {
		// Other members enable the owner's features by name ("own/jemalloc-ctl",
		// features = ["jemalloc-ctl"]), as do command lines: the implicit
		// feature of a renamed entry is kept, as Option 1 keeps it.
		me.renameFeatureRefs(c.ws, c.keep, c.p.Series)
		c.p.Why = append(c.p.Why, me.featureNotes()...)
	}
	c.planForwards()
	c.p.Why = append(c.p.Why, c.widenedFeatures()...)
	if err := c.ownerEntries(); err != nil {
		return err
	}
	for _, m := range c.ws.Members {
		if me := c.edits[m]; me != nil && m != c.owner {
			if err := c.rewire(me); err != nil {
				return err
			}
		}
	}
	return nil
}

// finishOwner renames the stale family paths of a half-migrated owner
// (its manifest names tikv-jemallocator, its code jemallocator::) to the
// crates it depends on, as Option 1 does. Its root's `use
// jemallocator::Jemalloc;` then imports from the crate it re-exports, and
// becomes the re-export of Jemalloc (publishRoot) instead of a second
// binding of the name beside it (E0252).
func (c *consolidation) finishOwner() {
	me := editFor(c.edits, c.owner)
	me.stale = staleFor(c.ws, c.owner, me.keys)
}

// finishMembers points the stale family paths of a half-migrated member
// (its manifest names tikv-jemallocator, its code jemallocator::) at what
// the crate it depends on becomes: the owner's re-export, as Option 1
// would point them at that crate.
func (c *consolidation) finishMembers() {
	for _, m := range c.ws.Manifests() {
		me := c.edits[m]
		if m == c.owner || me == nil || len(me.crates) == 0 {
			continue // not a member whose family entries give way to the owner
		}
		st := staleFor(c.ws, m, nil) // the names of the crates m depends on before the plan
		me.stale = staleNames{normal: followed(st.normal, me.crates), build: followed(st.build, me.crates)}
	}
}

// followed maps each stale name of stale to where crates takes the name
// it stands for, leaving out those crates does not rename.
func followed(stale, crates map[string]string) map[string]string {
	var out map[string]string
	for old, nu := range stale {
		if to, ok := crates[nu]; ok {
			out = put(nil, out, old, to)
		}
	}
	return out
}

func (c *consolidation) noteRole(u conflict.Use) {
	if c.roles[u.Crate.Role] == nil && !u.Dep.InWorkspace {
		c.roles[u.Crate.Role] = u.Dep
	}
}

// ownerDep returns m's dependency entry on the owner.
func (c *consolidation) ownerDep(m *workspace.Manifest) *tomledit.Dep { return c.ws.DepOn(m, c.owner) }

func (c *consolidation) familyUses(m *workspace.Manifest) []conflict.Use {
	var out []conflict.Use
	for _, u := range c.uses {
		if u.Manifest == m && !u.Dep.InWorkspace {
			out = append(out, u)
		}
	}
	return out
}

// dropUse removes a family entry from a non-owner member and records how
// its sources and features must follow.
func (c *consolidation) dropUse(u conflict.Use) error {
	me := editFor(c.edits, u.Manifest)
	me.dropped = append(me.dropped, u.Dep)
	me.keys = put(nil, me.keys, u.Dep.Key, "")
	me.crates = put(nil, me.crates, workspace.RustName(u.Dep.Key), c.codeName(u.Manifest)+"::"+reexports[u.Crate.Role])
	if u.Dep.Optional && !u.Manifest.HasDepRef(u.Dep.Key) && !slices.Contains(me.kept, u.Dep.Key) {
		// Its implicit feature is public (--features jemallocator, a
		// default list, cfg(feature = …) in the code): it stays, as a
		// feature that enables the owner's (rewire).
		me.kept = append(me.kept, u.Dep.Key)
	}
	c.noteRole(u)
	// The owner's entry must enable what this one did (stats, profiling):
	// the code that named the crate now names the owner's re-export.
	feats := u.Dep.FeatureNames()
	if u.Inherit != nil {
		feats = append(feats, u.Inherit.FeatureNames()...)
	}
	if u.Crate.Role == family.Control && crossesStats(u.Series, c.p.Series) {
		feats = append(feats, "stats")
	}
	if file, err := lacksStats(c.ws, u, c.p.Series); err != nil {
		return err
	} else if file != "" {
		feats = append(feats, "stats")
		c.p.Why = append(c.p.Why, statsNote(c.ws, u, file, "the owner's entry enables it"))
	}
	for _, f := range feats {
		if !slices.Contains(c.feats[u.Crate.Role], f) {
			c.feats[u.Crate.Role] = append(c.feats[u.Crate.Role], f)
		}
	}
	c.p.Moves = append(c.p.Moves, Move{At: conflict.Pos(c.ws, u), Member: u.Manifest.Name,
		From: u.Crate.Name + " " + u.Series, To: c.owner.Name + " (" + u.Crate.TikvName() + " " + c.p.Series + ")"})
	return nil
}

// ownerEntries adds to the owner each family role that other members used
// and the owner lacks, optional and behind its `jemalloc` feature, in the
// target table the role came from.
func (c *consolidation) ownerEntries() error {
	have := map[family.Role]string{}
	// The target tables of the owner's entries of each role, optional
	// ones and the others apart.
	optional, always := map[family.Role][]string{}, map[family.Role][]string{}
	me := editFor(c.edits, c.owner)
	for _, u := range c.familyUses(c.owner) {
		if u.Dep.Kind != "normal" {
			continue // a dev- or build-dependency gives the library nothing to re-export
		}
		have[u.Crate.Role] = newKey(c.ws, u)
		if fs := c.ownerFeatures(u); len(fs) > 0 {
			me.edits = append(me.edits, c.owner.Doc.EditDependency(u.Dep, tomledit.FieldEdit{Features: fs, Key: renamedKey(u.Dep, have[u.Crate.Role])})...)
		}
		if u.Dep.Optional {
			optional[u.Crate.Role] = append(optional[u.Crate.Role], u.Dep.Target)
		} else {
			always[u.Crate.Role] = append(always[u.Crate.Role], u.Dep.Target)
		}
	}
	for role := range have {
		// Entries in complementary target tables (linux, not linux) are
		// re-exported under the union of their cfgs.
		ts := append(slices.Clone(optional[role]), always[role]...)
		if i := slices.IndexFunc(ts, func(t string) bool { return t != "" && !strings.HasPrefix(t, "cfg(") }); i >= 0 {
			// A target triple has no cfg jemfix writes: the re-export
			// would be on every target, the crate only on that one.
			return fmt.Errorf("option 3: %s has %s only in [target.%s] tables, a target triple: jemfix cannot gate its re-export to that target; use a cfg(…) table, or choose another owner with --into",
				c.owner.Name, family.Find(family.Tikv, role).Name, ts[i])
		}
		c.target[role] = unionTarget(ts)
		c.cfg[role] = entriesCfg(optional[role], always[role])
		if err := c.covers(role, unionTarget(ts)); err != nil {
			return err
		}
	}
	var refs []string
	created := map[string]int{} // target -> the index in me.edits of the edit that creates its table
	for _, role := range []family.Role{family.Allocator, family.Control, family.Sys} {
		src := c.roles[role]
		if src == nil {
			continue
		}
		key, ok := have[role]
		if !ok {
			// A new entry exists wherever a member used the crate: the
			// union of their target tables.
			c.target[role] = c.usedTarget(role)
			key = family.Find(family.Tikv, role).Name
			t := tomledit.DepTable{Kind: "normal", Target: c.target[role]}
			val := c.newEntry(key, role)
			if i, ok := created[t.Target]; ok {
				// The table is new: a second entry goes into the edit that
				// writes it, not into a second [header] of the same name.
				me.edits[i].New += key + " = " + val + docs.LineEnding(c.owner.Doc.Src())
			} else {
				es := c.owner.Doc.AddDependency(t, key, val)
				if len(es) == 1 && es[0].Start == es[0].End && strings.HasPrefix(strings.TrimLeft(es[0].New, "\r\n"), "[") {
					created[t.Target] = len(me.edits)
				}
				me.edits = append(me.edits, es...)
			}
			c.cfg[role] = roleCfg(true, t.Target)
		}
		if !ok || len(optional[role]) > 0 {
			// A feature may enable only an optional dependency; one the
			// owner always has, under a target cfg or not, needs none.
			refs = append(refs, key)
		}
	}
	return c.jemallocFeature(me, refs)
}

// widenedFeatures says which crate features the owner's entries now turn
// on more widely than before: one that the dropped entries of a role
// enabled only in target tables, while another entry of the role, on
// other targets, did without it (background_threads on Linux, not on
// macOS). The owner has one entry of each role, with every feature, so
// the feature comes on wherever the owner's jemalloc feature is.
func (c *consolidation) widenedFeatures() []string {
	var out []string
	for _, role := range []family.Role{family.Allocator, family.Control, family.Sys} {
		var entries []conflict.Use
		for _, u := range c.uses {
			if u.Crate.Role == role && !u.Unused && !u.Dep.InWorkspace && u.Dep.Kind == "normal" {
				entries = append(entries, u)
			}
		}
		for _, f := range c.feats[role] {
			var on []string
			everywhere, without := false, false
			for _, u := range entries {
				fs := u.Dep.FeatureNames()
				if u.Inherit != nil {
					fs = append(fs, u.Inherit.FeatureNames()...)
				}
				switch {
				case !slices.Contains(fs, f):
					without = true
				case u.Dep.Target == "":
					everywhere = true
				default:
					on = append(on, fmt.Sprintf("%s under %s", u.Manifest.Name, u.Dep.Target))
				}
			}
			if !everywhere && without && len(on) > 0 {
				out = append(out, fmt.Sprintf("owner %s: %s's %q is now on wherever %s's jemalloc feature is; before, only %s enabled it: check that it suits every target",
					c.owner.Name, family.Find(family.Tikv, role).Name, f, c.owner.Name, strings.Join(on, "; ")))
			}
		}
	}
	return out
}

// ownerFeatures lists the crate features the owner's own entry u must add:
// those the dropped entries of its role enabled, and stats when its move
// crosses into 0.6, less those it enables already, its own or inherited.
func (c *consolidation) ownerFeatures(u conflict.Use) []string {
	fs := slices.Clone(c.feats[u.Crate.Role])
	if statsGated(u, c.p.Series) {
		fs = append(fs, "stats")
	}
	have := u.Dep.FeatureNames()
	if u.Inherit != nil {
		have = append(have, u.Inherit.FeatureNames()...)
	}
	var out []string
	for _, f := range fs {
		if !slices.Contains(have, f) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// newEntry is the value of the owner's new entry key for role: it
// inherits the workspace's entry of that key when that one names the crate
// from the registry on the plan's series, or moves there in this plan, as
// the members' entries did, and names the version otherwise.
func (c *consolidation) newEntry(key string, role family.Role) string {
	fields := fmt.Sprintf("version = %q", c.p.Series)
	fs := c.feats[role]
	// The workspace's entry, when it asks for no feature the entries it
	// replaces did not: inheriting turns its features on.
	if w := c.ws.Inherited(key); w != nil && w.RealName() == key && (family.SeriesOf(w.Version) == c.p.Series || c.moved(w)) &&
		w.Registry() && !slices.ContainsFunc(w.FeatureNames(), func(f string) bool { return !slices.Contains(fs, f) }) {
		fields = "workspace = true"
		fs = slices.DeleteFunc(slices.Clone(fs), func(f string) bool { return slices.Contains(w.FeatureNames(), f) })
	}
	fields += ", optional = true"
	if len(fs) > 0 {
		fields += ", features = [" + quoted(fs) + "]"
	}
	return "{ " + fields + " }"
}

// moved reports whether the plan moves the [workspace.dependencies] entry
// w to its series: every entry some member inherits.
func (c *consolidation) moved(w *tomledit.Dep) bool {
	return slices.ContainsFunc(c.uses, func(u conflict.Use) bool { return u.Dep == w && !u.Unused })
}

// unionTarget is the target table under which one of entries in the
// tables ts exists: "" (every target) when one has none, or when two are
// P and not(P); "cfg(any(…))" otherwise.
func unionTarget(ts []string) string {
	var preds []string
	for _, t := range ts {
		inner, ok := strings.CutPrefix(t, "cfg(")
		if !ok || t == "" {
			return "" // no table, or a target triple: taken as every target, as before
		}
		p := strings.TrimSuffix(inner, ")")
		if !slices.Contains(preds, p) {
			preds = append(preds, p)
		}
	}
	for _, p := range preds {
		if slices.Contains(preds, "not("+p+")") {
			return ""
		}
	}
	switch len(preds) {
	case 0:
		return ""
	case 1:
		return "cfg(" + preds[0] + ")"
	}
	return "cfg(any(" + strings.Join(preds, ", ") + "))"
}

// usedTarget is the union of the target tables of the members' entries of
// role: where the owner must have it.
func (c *consolidation) usedTarget(role family.Role) string {
	var ts []string
	for _, u := range c.uses {
		if !u.Unused && !u.Dep.InWorkspace && u.Crate.Role == role {
			ts = append(ts, u.Dep.Target)
		}
	}
	return unionTarget(ts)
}

// covers refuses an owner whose entries of role exist on fewer targets
// than a member that drops its own entry used it on: that member's code
// would not find the owner's re-export there.
func (c *consolidation) covers(role family.Role, owner string) error {
	if owner == "" {
		return nil
	}
	for _, u := range c.uses {
		if u.Unused || u.Dep.InWorkspace || u.Manifest == c.owner || u.Crate.Role != role || targetWithin(u.Dep.Target, owner) {
			continue
		}
		where := "on every target"
		if u.Dep.Target != "" {
			// targetWithin reads the predicates' form: cfg(unix) holds on
			// linux, but not by its form.
			where = "under " + u.Dep.Target + ", which jemfix cannot tell lies within it"
		}
		return fmt.Errorf("option 3: %s has %s only under %s, but %s uses it %s (%s); widen the owner's entry first, or choose another owner with --into",
			c.owner.Name, u.Crate.TikvName(), owner, u.Manifest.Name, where, conflict.Pos(c.ws, u))
	}
	return nil
}

// roleCfg is the cfg predicate under which an owner entry exists.
func roleCfg(optional bool, target string) string {
	var preds []string
	if optional {
		preds = append(preds, `feature = "jemalloc"`)
	}
	if inner, ok := strings.CutPrefix(target, "cfg("); ok {
		// Rust code: spaced as rustfmt writes it, whatever the manifest's key.
		preds = append(preds, formatCfg(strings.TrimSuffix(inner, ")")))
	}
	return workspace.AllOf(preds)
}

// entriesCfg is the cfg predicate under which the owner has a role whose
// optional entries sit in the target tables optional and the others in
// always ("" for [dependencies]): the union of each entry's (roleCfg).
// Re-exported under one entry's cfg alone, the crate would be missing
// where another brings it, or named where none does (E0432): an entry
// optional in [dependencies] and always there in
// [target.'cfg(unix)'.dependencies] is any(feature = "jemalloc", unix).
func entriesCfg(optional, always []string) string {
	var preds []string
	if len(optional) > 0 {
		if t := unionTarget(optional); len(always) == 0 || t != unionTarget(always) {
			preds = append(preds, roleCfg(true, t))
		} // else an optional entry adds nothing where the crate is always there
	}
	if len(always) > 0 {
		t := unionTarget(always)
		if t == "" {
			return "" // always there, on every target
		}
		preds = append(preds, roleCfg(false, t))
	}
	if len(preds) == 1 {
		return preds[0]
	}
	return "any(" + strings.Join(preds, ", ") + ")"
}

// jemallocFeature makes the owner's `jemalloc` feature enable every
// optional family entry.
func (c *consolidation) jemallocFeature(me *manifestEdit, keys []string) error {
	doc := c.owner.Doc
	optional := map[string]bool{}
	for _, d := range doc.Dependencies() {
		optional[d.Key] = d.Optional
	}
	f := c.owner.Feature("jemalloc")
	var missing []string
	for _, k := range keys {
		if f == nil || !refersTo(f, k, me.keys) {
			if depOnly(doc, k, me.keys) {
				k = "dep:" + k // a dependency that "dep:" names has no implicit feature
			}
			missing = append(missing, k)
		}
	}
	fwd := c.forwardEntries()
	if f == nil {
		me.addNewFeatures(append([]tomledit.FeatureEntry{{Name: "jemalloc", Refs: missing}}, fwd...)...)
		return nil
	}
	me.addNewFeatures(fwd...)
	if len(missing) > 0 {
		// The feature was the owner's own: whatever it did, it now also
		// turns on the jemalloc crates the members enable through it.
		c.p.Why = append(c.p.Why, fmt.Sprintf("owner %s: its existing feature \"jemalloc\" (%s) now also enables %s, for the members that turn it on",
			c.owner.Name, c.ws.Position(c.owner, f.NameSpan.Start), strings.Join(missing, ", ")))
	}
	me.edits = append(me.edits, doc.AddArrayElement(f, missing...)...)
	return nil
}

// depOnly reports whether a feature of doc names key, or its old name, as
// "dep:key": cargo then makes no implicit feature of that dependency, and
// every other feature must name it with "dep:" too.
func depOnly(doc *tomledit.Doc, key string, renamed map[string]string) bool {
	for _, f := range doc.Features() {
		for _, r := range f.Refs {
			if v, ok := strings.CutPrefix(r.Value, "dep:"); ok && (v == key || renamed[v] == key) {
				return true
			}
		}
	}
	return false
}

// refersTo reports whether f enables key, also through a reference to the
// key's old name.
func refersTo(f *tomledit.Feature, key string, renamed map[string]string) bool {
	for _, r := range f.Refs {
		v := strings.TrimPrefix(r.Value, "dep:")
		if v == key || renamed[v] == key {
			return true
		}
	}
	return false
}

// rewire points a non-owner member's features at the owner: references to
// a dropped entry become "owner/jemalloc", a dependency on the owner is
// added when missing, and dropped non-optional entries put jemalloc in the
// defaults.
func (c *consolidation) rewire(me *manifestEdit) error {
	doc := me.m.Doc
	allocCfg := ""
	for _, u := range c.familyUses(me.m) {
		if u.Crate.Role == family.Allocator {
			// feature = "jemalloc" only where the member has that feature.
			allocCfg = roleCfg(u.Dep.Optional && me.m.Feature("jemalloc") != nil, c.target[family.Allocator])
		}
	}
	me.adjust = c.adjustFor(allocCfg, c.codeName(me.m))
	n := c.needs(me.m)
	if err := c.targetOnly(me, n); err != nil {
		return err
	}
	if n.normal && !n.always && (n.target != "" || n.targeted || n.union) && slices.ContainsFunc(c.familyUses(me.m), func(u conflict.Use) bool {
		return u.Dep.Kind == "normal" && c.target[u.Crate.Role] == ""
	}) {
		// Its optional entries sat in target tables, and the owner has the
		// crate everywhere: the feature that turned them on now turns on
		// the owner's jemalloc on every target.
		c.p.Why = append(c.p.Why, fmt.Sprintf("%s: its optional jemalloc entries were only in target tables; the features that turned them on now turn on %s's jemalloc feature on every target: check that it suits them", me.m.Name, c.owner.Name))
	}
	var ownerKey string
	var err error
	if n.normal || n.dev {
		if ownerKey, err = c.ensureOwnerDep(me, n.always, !n.normal, n.target, n.union); err != nil {
			return err
		}
	}
	if n.build {
		key := c.ensureBuildOwnerDep(me)
		if ownerKey == "" {
			ownerKey = key
		}
	}
	if me.slot != nil {
		// Not taken after all: the entry goes like the others.
		me.edits = append(me.edits, doc.DropDependency(me.slot)...)
		me.slot = nil
	}
	target := ownerKey + "/jemalloc"
	for _, f := range doc.Features() {
		var drop []tomledit.Ref
		have := map[string]bool{}
		for _, r := range f.Refs {
			have[r.Value] = true
		}
		for _, r := range f.Refs {
			if _, ok := me.keys[refKey(r.Value)]; !ok || slices.Contains(me.kept, r.Value) {
				continue // a kept implicit feature is still a feature of that name
			}
			if !strings.ContainsAny(r.Value, ":/") && me.m.Feature(r.Value) != nil {
				continue // a bare name is the explicit feature of that name, whose own references change
			}
			nu := target
			if key, feat, ok := strings.Cut(r.Value, "/"); ok {
				if name, ok := c.forwardOf(me.m, f, r.Value); ok {
					nu = ownerKey + "/" + name
				} else {
					line, col := textedit.LineCol(doc.Src(), r.Span.Start)
					c.p.Skipped = append(c.p.Skipped, Skipped{At: workspace.Position{Path: c.ws.Path(me.m.Path), Line: line, Col: col},
						Reason: c.unforwarded(f.Name, r.Value, feat)})
					if strings.HasSuffix(key, "?") {
						// Weak: it turned on nothing by itself, and must not
						// turn the owner's jemalloc on now.
						drop = append(drop, r)
						continue
					}
				}
			}
			implied := impliedFeature(r.Value)
			if !slices.Contains(me.kept, implied) || have[implied] {
				implied = "" // "key/x" turned on the kept feature key too (see renameFeatureRefs)
			}
			if have[nu] && implied == "" {
				drop = append(drop, r)
				continue
			}
			e := doc.RenameFeatureRef(r, nu)
			switch {
			case have[nu]:
				e = doc.RenameFeatureRef(r, implied)
			case implied != "":
				e.New = doc.RenameFeatureRef(r, implied).New + ", " + e.New
			}
			me.edits = append(me.edits, e)
			have[nu], have[implied] = true, true
		}
		me.edits = append(me.edits, doc.RemoveArrayElements(f, drop)...)
	}
	for _, k := range me.kept {
		if me.m.Feature(k) == nil {
			me.edits = append(me.edits, doc.AddFeature(k, []string{target})...)
			c.p.Why = append(c.p.Why, fmt.Sprintf("%s: feature %q kept, now enabling %s (%s = [%q])", me.m.Name, k, target, k, target))
		}
	}
	c.rewireRequired(me, ownerKey)
	return nil
}

// rewireRequired rewrites the required-features of the member's targets
// ([[bin]], [[example]], …) that name a crate feature of a dropped entry
// ("jemallocator/profiling"): they name the owner feature that forwards
// it, else the owner's jemalloc feature, with a note. A target that
// required a dependency the member no longer has would never build.
func (c *consolidation) rewireRequired(me *manifestEdit, ownerKey string) {
	for _, s := range workspace.RequiredFeatures(me.m) {
		key, feat, ok := strings.Cut(s.Value, "/")
		if _, dropped := me.keys[key]; !ok || !dropped || ownerKey == "" {
			continue
		}
		nu := ownerKey + "/jemalloc"
		if name, ok := c.forwardOf(me.m, nil, s.Value); ok {
			nu = ownerKey + "/" + name
		} else {
			c.p.Skipped = append(c.p.Skipped, Skipped{At: c.ws.Position(me.m, s.Start),
				Reason: fmt.Sprintf("%s required %q; it now requires %s, and %s", s.Table, s.Value, nu, c.unforwarded(s.Table, s.Value, feat))})
		}
		if e, ok := stringEdit(me.m.Doc.Src(), s, withImplied(me, me.m.Doc.Src(), s, nu)...); ok {
			me.edits = append(me.edits, e)
			continue
		}
		c.p.Skipped = append(c.p.Skipped, Skipped{At: c.ws.Position(me.m, s.Start), Kind: KindMention,
			Reason: fmt.Sprintf("%s names %s, which is gone; make it %s by hand", s.Table, s.Value, nu)})
	}
}

// refKey returns the dependency key a feature reference names.
func refKey(v string) string {
	v = strings.TrimPrefix(v, "dep:")
	name, _, _ := strings.Cut(v, "/")
	return strings.TrimSuffix(name, "?")
}

// ensureOwnerDep returns the member's key for the owner, adding a
// dependency when it has none. A member that had a non-optional family
// entry always gets jemalloc: its owner dependency enables the feature,
// and must itself be always there, or the code that used the crate would
// compile only with the feature that enables the owner. A member whose
// family entries were all dev-dependencies (a bench's or a test's
// allocator) enables the feature in a dev-dependency on the owner, so its
// library does not pull jemalloc into its dependents.
//
// A member whose normal family entries all sat in one target table gets
// the feature in that table (`[target.'cfg(unix)'.dependencies] owner =
// { …, features = ["jemalloc"] }`): on other targets it did not have
// jemalloc, and must not get it (jemalloc does not build for MSVC).
func (c *consolidation) ensureOwnerDep(me *manifestEdit, always, devOnly bool, target string, union bool) (string, error) {
	d := c.ownerDep(me.m)
	if devOnly {
		if dev := c.ws.DevDepOn(me.m, c.owner); dev != nil {
			me.edits = append(me.edits, me.m.Doc.AddDepFeature(dev, "jemalloc")...)
			return dev.Key, nil
		}
		key := c.ownerName(me.m) // the same name in the code as another dependency on it
		c.addOwnerDep(me, tomledit.DepTable{Kind: "dev"}, key, true)
		return key, nil
	}
	if d != nil {
		if always && d.Optional {
			return "", fmt.Errorf("option 3: %s uses jemalloc always, but depends on %s only optionally (%s), so the code that named a jemalloc crate would compile only with the feature that enables %s; choose another owner with --into, or make that dependency a regular one first",
				me.m.Name, c.owner.Name, c.ws.Position(me.m, d.Start), c.owner.Name)
		}
		switch {
		case always && target != "" && d.Target != target && (me.slot != nil || union):
			c.addOwnerDep(me, tomledit.DepTable{Kind: "normal", Target: target}, d.Key, true)
		case always && target == "" && d.Target != "":
			// The member needs the owner on every target, and has it in
			// one target table only: an entry for all targets, same key.
			c.addOwnerDep(me, tomledit.DepTable{Kind: "normal"}, d.Key, true)
		case always:
			me.edits = append(me.edits, me.m.Doc.AddDepFeature(d, "jemalloc")...)
		}
		return d.Key, nil
	}
	t := tomledit.DepTable{Kind: "normal"}
	if always && (me.slot != nil || union) {
		t.Target = target // on the line of the dropped entry (ownerSlot), or in the table that joins them
	}
	key := c.ownerName(me.m)
	c.addOwnerDep(me, t, key, always)
	return key, nil
}

// ownerName returns the key of m's dependency on the owner in any table
// (normal first, then dev, then build), else the owner's name: cargo
// rejects a package that names one dependency two ways.
func (c *consolidation) ownerName(m *workspace.Manifest) string {
	for _, d := range []*tomledit.Dep{c.ownerDep(m), c.ws.DevDepOn(m, c.owner), c.ws.BuildDepOn(m, c.owner)} {
		if d != nil {
			return d.Key
		}
	}
	return c.owner.Name
}

// edition2015 refuses option 3 when the owner or a member that moves to it
// is on edition 2015: there `pub use` and the members' paths need
// `extern crate` lines that jemfix does not write.
func (c *consolidation) edition2015() error {
	for _, m := range c.ws.Members {
		if m != c.owner && len(c.familyUses(m)) == 0 {
			continue
		}
		if e := c.ws.Edition(m); e == "" || e == "2015" {
			return fmt.Errorf("option 3: %s is on edition 2015 (%s sets no later edition), where the owner's re-exports and the paths to them need `extern crate` lines that jemfix does not write; use option 1, or move the crate to edition 2018 or later first",
				m.Name, c.ws.Path(m.Path))
		}
	}
	return nil
}

// ownerSlot returns the family entry of m whose line m's dependency on the
// owner takes: m's normal entries all sat in one target table, m needs
// jemalloc always, and has no dependency on the owner there yet; the
// first such entry written as one line. nil otherwise.
func (c *consolidation) ownerSlot(m *workspace.Manifest) *tomledit.Dep {
	n := c.needs(m)
	if n.target == "" || !n.always || n.union {
		return nil
	}
	if d := c.ownerDep(m); d != nil && d.Target == n.target {
		return nil
	}
	for _, u := range c.familyUses(m) {
		if u.Dep.Kind == "normal" && m.Doc.OneKeyValue(u.Dep) {
			return u.Dep
		}
	}
	return nil
}

// needs says where member m's family entries were, which is where it needs
// the owner with jemalloc: its code (normal entries; dev ones only for
// tests), its build script (build entries), always or behind a feature
// (always: a normal entry was not optional), on every target or in one
// target table (target: the table all its normal entries sat in, or "").
type needs struct {
	normal, dev, build, always bool
	target                     string
	// targeted: every normal entry sat in a target table, but not all
	// in one, and jemfix cannot write one table for all (a target
	// triple among them); then target is "".
	targeted bool
	// union: the entries sat in several target tables, and target is the
	// cfg that joins them, a table the member gets anew.
	union bool
}

func (c *consolidation) needs(m *workspace.Manifest) needs {
	var n needs
	var normal []conflict.Use
	for _, u := range c.familyUses(m) {
		switch u.Dep.Kind {
		case "build":
			n.build = true
		case "dev":
			n.dev = true
		default:
			normal = append(normal, u)
			n.always = n.always || !u.Dep.Optional
		}
	}
	n.normal, n.target = len(normal) > 0, commonTarget(normal)
	if n.target != "" || len(normal) == 0 || slices.ContainsFunc(normal, func(u conflict.Use) bool { return u.Dep.Target == "" }) {
		return n
	}
	// Several target tables: complementary ones (linux, not(linux)) make
	// every target; others join in one cfg(any(…)) table; a target triple
	// cannot be joined.
	var tables []string
	for _, u := range normal {
		tables = append(tables, u.Dep.Target)
	}
	switch union := unionTarget(tables); {
	case slices.ContainsFunc(tables, func(t string) bool { return !strings.HasPrefix(t, "cfg(") }):
		n.targeted = true
	case union != "":
		n.target, n.union = union, true
	}
	return n
}

// targetOnly refuses a member that uses jemalloc always but only on some
// targets, when its dependency on the owner cannot carry the jemalloc
// feature to those targets alone: its entries sit in several target
// tables, or in one whose entries jemfix cannot turn into the owner's
// (no entry written as one key and value: [target.….dependencies.x]). Enabling the feature everywhere would build
// jemalloc where the member never had it (MSVC, where it does not build).
func (c *consolidation) targetOnly(me *manifestEdit, n needs) error {
	if !n.always || (n.target == "" && !n.targeted) || (n.target != "" && (me.slot != nil || n.union)) {
		return nil
	}
	if d := c.ownerDep(me.m); n.target != "" && d != nil && d.Target == n.target {
		return nil
	}
	var tables []string
	for _, u := range c.familyUses(me.m) {
		if t := "[" + u.Dep.Table().Header() + "]"; u.Dep.Kind == "normal" && !slices.Contains(tables, t) {
			tables = append(tables, t)
		}
	}
	return fmt.Errorf("option 3: %s has jemalloc only on some targets (%s), and jemfix cannot give it %s's jemalloc feature on those targets alone: that would build jemalloc on every target, where it was off on some (and jemalloc does not build for MSVC). Use option 1, or put %s's jemalloc entries in one target table first",
		me.m.Name, strings.Join(tables, ", "), c.owner.Name, me.m.Name)
}

// ensureBuildOwnerDep makes the member's build script, which used a family
// crate, get the owner with jemalloc: a build-dependency, as the dropped
// entry was.
func (c *consolidation) ensureBuildOwnerDep(me *manifestEdit) string {
	if d := c.ws.BuildDepOn(me.m, c.owner); d != nil {
		me.edits = append(me.edits, me.m.Doc.AddDepFeature(d, "jemalloc")...)
		return d.Key
	}
	key := c.ownerName(me.m)
	c.addOwnerDep(me, tomledit.DepTable{Kind: "build"}, key, true)
	return key
}

// commonTarget is the target table all of uses sat in, or "" when one sat
// in none or two in different ones.
func commonTarget(uses []conflict.Use) string {
	if len(uses) == 0 {
		return ""
	}
	t := uses[0].Dep.Target
	for _, u := range uses[1:] {
		if u.Dep.Target != t {
			return ""
		}
	}
	return t
}

// addOwnerDep adds to m a dependency on the owner under key in table t:
// `{ workspace = true }` when [workspace.dependencies] has the owner under
// that key, else a path dependency, with the owner's version when m's
// other path dependencies write one (cargo package needs it).
func (c *consolidation) addOwnerDep(me *manifestEdit, t tomledit.DepTable, key string, feature bool) {
	var fields []string
	existing := slices.DeleteFunc([]*tomledit.Dep{c.ownerDep(me.m), c.ws.DevDepOn(me.m, c.owner), c.ws.BuildDepOn(me.m, c.owner)},
		func(d *tomledit.Dep) bool { return d == nil })
	already := len(existing) > 0
	if already {
		c.p.Why = append(c.p.Why, fmt.Sprintf("%s: gets %s's jemalloc feature in [%s]", me.m.Name, c.owner.Name, t.Header()))
	}
	// cargo turns a dependency's default features on when any entry on
	// it does: one the member keeps off stays off in the new entry.
	off := already && !slices.ContainsFunc(existing, func(d *tomledit.Dep) bool { return c.defaultsOn(d) })
	if w := c.ws.Inherited(key); w != nil && c.ws.PathTarget(c.ws.Root, w) == c.owner && !(off && defaultsOn(w)) {
		fields = append(fields, "workspace = true")
		if !already {
			c.p.Why = append(c.p.Why, fmt.Sprintf("%s: now depends on %s (workspace dependency)", me.m.Name, c.owner.Name))
		}
	} else {
		rel := relPath(me.m.Dir, c.owner.Dir)
		fields = append(fields, fmt.Sprintf("path = %q", rel))
		if v := c.ws.Version(c.owner); v != "" && versionedPaths(me.m) {
			fields = append(fields, fmt.Sprintf("version = %q", v))
		}
		if key != c.owner.Name {
			fields = append(fields, fmt.Sprintf("package = %q", c.owner.Name))
		}
		if off {
			fields = append(fields, "default-features = false")
		}
		if !already {
			c.p.Why = append(c.p.Why, fmt.Sprintf("%s: now depends on %s (path %s)", me.m.Name, c.owner.Name, rel))
		}
	}
	if feature {
		fields = append(fields, `features = ["jemalloc"]`)
	}
	val := "{ " + strings.Join(fields, ", ") + " }"
	if s := me.slot; s != nil && s.Kind == t.Kind && s.Target == t.Target {
		// The dropped entry's line, in its table, becomes this one.
		me.edits = append(me.edits, me.m.Doc.ReplaceDependency(s, key, val)...)
		me.slot = nil
		return
	}
	me.edits = append(me.edits, outsideDrops(me.edits, me.m.Doc.AddDependency(t, key, val))...)
}

// outsideDrops moves each insertion of adds that falls inside a span that
// edits delete to that span's start: AddDependency keeps a table in key
// order, and the place it picks may lie between two dropped entries,
// whose lines are deleted as one span.
func outsideDrops(edits, adds []textedit.Edit) []textedit.Edit {
	for i, a := range adds {
		if a.Start != a.End {
			continue
		}
		for _, e := range edits {
			if e.Start < a.Start && a.Start < e.End {
				adds[i].Start, adds[i].End = e.Start, e.Start
			}
		}
	}
	return adds
}

// defaultsOn reports whether the entry d turns its dependency's default
// features on: an entry that inherits (`workspace = true`) turns them on
// when the workspace's entry does, or when it says so itself.
func (c *consolidation) defaultsOn(d *tomledit.Dep) bool {
	if w := c.ws.Inherited(d.Key); d.Workspace && w != nil {
		return defaultsOn(w) || d.DefaultFeatures != nil && *d.DefaultFeatures
	}
	return defaultsOn(d)
}

// versionedPaths reports whether m's path dependencies write a version,
// as publishable packages' must.
func versionedPaths(m *workspace.Manifest) bool {
	for _, d := range m.Doc.Deps() {
		if d.Path != "" && !d.InWorkspace {
			return d.Version != ""
		}
	}
	return false
}

// relPath returns the slash path from directory from to directory to, both
// relative to the workspace root.
func relPath(from, to string) string {
	f, t := splitDir(from), splitDir(to)
	n := 0
	for n < len(f) && n < len(t) && f[n] == t[n] {
		n++
	}
	parts := slices.Repeat([]string{".."}, len(f)-n)
	return path.Join(append(parts, t[n:]...)...)
}

func splitDir(d string) []string {
	if d == "." {
		return nil
	}
	return strings.Split(d, "/")
}

// ownerKey is the owner's dependency key for a role after the plan.
func (c *consolidation) ownerKey(role family.Role) string {
	for _, u := range c.familyUses(c.owner) {
		if u.Crate.Role == role {
			return newKey(c.ws, u)
		}
	}
	return family.Find(family.Tikv, role).Name
}

// quoted writes names as the items of a TOML array: "a", "b".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
