package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"jemfix/pkg/conflict"
	"jemfix/pkg/docs"
	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// Option2Why is why mutually exclusive features cannot remove the conflict
// inside one workspace.
var Option2Why = []string{
	"cargo resolves Cargo.lock as if every feature of every member were enabled, for every target,",
	"so two optional crates with links = \"jemalloc\" conflict even when no feature enables both:",
	"mutually exclusive features leave the conflict in place inside one workspace",
}

// Option2 builds the guide's Option 2 as written: resolver "2", jemalloc
// features out of every default, each feature that mixes jemalloc crates
// split in one feature per crate with a compile_error! guard against
// enabling them together, and a README section on their use. It does not
// remove a conflict, and the plan says so (Resolves is false).
// It takes Options for the shape all options share, and uses none of them.
func Option2(ws *workspace.Workspace, _ Options) (*Plan, error) {
	p := &Plan{Option: "2", Why: slices.Clone(Option2Why), Unread: ws.UnreadNotes()}
	if !conflict.Scan(ws).Conflict {
		p.Resolves, p.Why = true, []string{"no links conflict to remove; option 2 has nothing to do"}
		return p, nil
	}
	r := conflict.NewReach(ws)
	edits := map[*workspace.Manifest][]textedit.Edit{}
	if e := resolver2(ws.Root); e != nil {
		edits[ws.Root] = append(edits[ws.Root], e...)
	}
	var splits []split
	for _, m := range ws.Members {
		edits[m] = append(edits[m], dropDefaults(m, r)...)
		for _, f := range m.Doc.Features() {
			if s, ok := splitFeature(ws, m, f, r); ok {
				splits = append(splits, s)
				edits[m] = append(edits[m], s.edits...)
			}
		}
	}
	for m, es := range edits {
		if err := addChange(ws, p, m.Path, m.Doc.Src(), es); err != nil {
			return nil, err
		}
	}
	if err := sourceChanges(ws, p, splitRenames(splits), nil); err != nil {
		return nil, err
	}
	for _, s := range splits {
		if err := guard(ws, p, s); err != nil {
			return nil, err
		}
	}
	if err := readmeSection(ws, p, splits); err != nil {
		return nil, err
	}
	p.Why = append(p.Why, hakariNotes(ws, p.Changes)...)
	p.sort()
	return p, nil
}

// resolver2 sets [workspace] resolver = "2" unless a resolver is set.
func resolver2(root *workspace.Manifest) []textedit.Edit {
	var m struct {
		Workspace *struct{ Resolver string } `toml:"workspace"`
	}
	if toml.Unmarshal(root.Doc.Src(), &m) != nil || m.Workspace == nil || m.Workspace.Resolver != "" {
		return nil
	}
	return root.Doc.SetTableValue([]string{"workspace"}, "resolver", `"2"`)
}

// dropDefaults removes from `default` every feature that reaches a jemalloc
// sys crate.
func dropDefaults(m *workspace.Manifest, r *conflict.Reach) []textedit.Edit {
	def := m.Feature("default")
	if def == nil {
		return nil
	}
	var drop []tomledit.Ref
	for _, ref := range def.Refs {
		if len(r.Ref(m, ref.Value)) > 0 {
			drop = append(drop, ref)
		}
	}
	return m.Doc.RemoveArrayElements(def, drop)
}

// split is one feature split in parts that each reach one jemalloc crate.
type split struct {
	m     *workspace.Manifest
	old   string   // the feature that was split
	names []string // the new features; the first keeps the member's own dependencies
	edits []textedit.Edit
}

// splitFeature splits a feature whose references reach more than one sys
// package: the feature keeps the references to the member's own
// dependencies under the name "<f>-<member>", and each other member's
// references move to a new feature "<f>-<other member>".
func splitFeature(ws *workspace.Workspace, m *workspace.Manifest, f *tomledit.Feature, r *conflict.Reach) (split, bool) {
	if f.Name == "default" || len(r.Feature(m, f.Name)) < 2 {
		return split{}, false
	}
	parts := map[string][]tomledit.Ref{}
	var order []string
	for _, ref := range f.Refs {
		owner := m.Name
		if name, _, ok := strings.Cut(ref.Value, "/"); ok && !strings.HasPrefix(name, "dep:") {
			if d := m.Dep(strings.TrimSuffix(name, "?")); d != nil && ws.Member(d.RealName()) != nil {
				owner = d.RealName()
			}
		}
		if !slices.Contains(order, owner) {
			order = append(order, owner)
		}
		parts[owner] = append(parts[owner], ref)
	}
	if len(order) < 2 {
		return split{}, false
	}
	slices.SortStableFunc(order, func(a, b string) int { return boolInt(b == m.Name) - boolInt(a == m.Name) })
	s := split{m: m, old: f.Name}
	for i, owner := range order {
		name := f.Name + "-" + shortName(ws, owner)
		s.names = append(s.names, name)
		if i == 0 {
			s.edits = append(s.edits, m.Doc.RenameFeature(f, name))
			s.edits = append(s.edits, m.Doc.RemoveArrayElements(f, others(f.Refs, parts[owner]))...)
			continue
		}
		var vals []string
		for _, ref := range parts[owner] {
			vals = append(vals, ref.Value)
		}
		s.edits = append(s.edits, m.Doc.AddFeature(name, vals)...)
	}
	return s, true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func others(all, keep []tomledit.Ref) []tomledit.Ref {
	var out []tomledit.Ref
	for _, r := range all {
		if !slices.Contains(keep, r) {
			out = append(out, r)
		}
	}
	return out
}

// shortName drops the prefix that every member name shares
// ("riptide-api" -> "api").
func shortName(ws *workspace.Workspace, name string) string {
	prefix := ""
	for i, m := range ws.Members {
		if i == 0 {
			prefix = m.Name
		}
		for !strings.HasPrefix(m.Name, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if i := strings.LastIndexAny(prefix, "-_"); i >= 0 && len(name) > i+1 {
		return name[i+1:]
	}
	return name
}

// guard adds a compile_error! to the member's crate root that fires when
// the split features are enabled together.
func guard(ws *workspace.Workspace, p *Plan, s split) error {
	root := crateRoot(ws, s.m)
	if root == "" {
		p.Skipped = append(p.Skipped, Skipped{At: workspace.Position{Path: ws.Path(s.m.Path)}, Reason: "no src/main.rs or src/lib.rs for the compile_error! guard"})
		return nil
	}
	src, err := ws.ReadFile(root, workspace.MaxSourceSize)
	if err != nil {
		return err
	}
	var pairs []string
	for i := range s.names {
		for _, b := range s.names[i+1:] {
			pairs = append(pairs, fmt.Sprintf("all(feature = %q, feature = %q)", s.names[i], b))
		}
	}
	cond := pairs[0]
	if len(pairs) > 1 {
		cond = "any(" + strings.Join(pairs, ", ") + ")"
	}
	eol := docs.LineEnding(src)
	text := fmt.Sprintf("#[cfg(%s)]%scompile_error!(\"the features %s are mutually exclusive: enable one of them\");%s%s",
		cond, eol, strings.Join(s.names, ", "), eol, eol)
	return p.update(root, src, func(base []byte) []byte {
		at := afterInnerItems(base)
		return slices.Concat(base[:at], []byte(text), base[at:])
	})
}

// splitRenames makes the sources that test a split feature test its first
// part, the one that keeps the member's own dependencies.
func splitRenames(splits []split) map[*workspace.Manifest]*manifestEdit {
	edits := map[*workspace.Manifest]*manifestEdit{}
	for _, s := range splits {
		me := editFor(edits, s.m)
		me.features = put(nil, me.features, s.old, s.names[0])
	}
	return edits
}

// crateRoot returns src/main.rs or else src/lib.rs of a member, or "".
func crateRoot(ws *workspace.Workspace, m *workspace.Manifest) string {
	for _, f := range []string{"src/main.rs", "src/lib.rs"} {
		p := joinDir(m.Dir, f)
		if ws.IsFile(p) {
			return p
		}
	}
	return ""
}

func joinDir(dir, rel string) string {
	if dir == "." {
		return rel
	}
	return dir + "/" + rel
}

// afterInnerItems returns the offset after the leading inner doc comments,
// inner attributes and blank lines of a Rust file.
func afterInnerItems(src []byte) int {
	off := 0
	for off < len(src) {
		end := off + lineLen(src[off:])
		line := strings.TrimSpace(string(src[off:end]))
		if line != "" && !strings.HasPrefix(line, "//!") && !strings.HasPrefix(line, "#![") {
			break
		}
		off = end
	}
	return off
}

func lineLen(b []byte) int {
	if i := strings.IndexByte(string(b), '\n'); i >= 0 {
		return i + 1
	}
	return len(b)
}

// addChange applies edits to src and adds the result to the plan.
func addChange(ws *workspace.Workspace, p *Plan, path string, src []byte, edits []textedit.Edit) error {
	if len(edits) == 0 {
		return nil
	}
	out, err := textedit.Apply(src, edits)
	if err != nil {
		return fmt.Errorf("%s: internal error: %w", ws.Path(path), err)
	}
	p.Changes = append(p.Changes, Change{Path: path, Old: src, New: out})
	return nil
}
