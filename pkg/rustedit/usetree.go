package rustedit

import (
	"slices"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"jemfix/pkg/textedit"
)

// useRender turns the tree of one `use` item into rustfmt's model of it
// (usetree.go's usePath) and into its new text: the edits applied, and the
// items of every one-line use list put in rustfmt's order.
type useRender struct {
	src   []byte
	edits []textedit.Edit // sorted; nil to read the original
	order useOrder

	failed   bool // a shape this model does not know, or an edit that cuts a node
	unsorted bool // a use list was not in rustfmt's order
	moved    bool // a use list was reordered
}

// render returns the path and new text of the use tree n.
func (r *useRender) render(n *sitter.Node) (usePath, string) {
	start, end := int(n.StartByte()), int(n.EndByte())
	if e, ok := r.exact(start, end); ok {
		return r.pathText(e.New), e.New
	}
	switch n.Type() {
	case "identifier", "metavariable":
		return usePath{{kind: segIdent, name: r.leaf(start, end)}}, r.leaf(start, end)
	case "self":
		return usePath{{kind: segSelf}}, r.leaf(start, end)
	case "super":
		return usePath{{kind: segSuper}}, r.leaf(start, end)
	case "crate":
		return usePath{{kind: segCrate}}, r.leaf(start, end)
	case "scoped_identifier":
		return r.scoped(n)
	case "scoped_use_list":
		path, list := n.ChildByFieldName("path"), n.ChildByFieldName("list")
		if path == nil || list == nil {
			break
		}
		pp, pt := r.render(path)
		lp, lt := r.list(list)
		return append(pp, lp...), r.splice(n, []*sitter.Node{path, list}, []string{pt, lt})
	case "use_list":
		return r.list(n)
	case "use_as_clause":
		return r.alias(n)
	case "use_wildcard":
		if n.NamedChildCount() == 0 {
			return usePath{{kind: segGlob}}, r.leaf(start, end)
		}
		path := n.NamedChild(0)
		pp, pt := r.render(path)
		return append(pp, useSeg{kind: segGlob}), r.splice(n, []*sitter.Node{path}, []string{pt})
	}
	r.failed = true
	return nil, ""
}

// scoped renders `path::name`; `::name` keeps its `::` in the name.
func (r *useRender) scoped(n *sitter.Node) (usePath, string) {
	path, name := n.ChildByFieldName("path"), n.ChildByFieldName("name")
	if name == nil {
		r.failed = true
		return nil, ""
	}
	np, nt := r.render(name)
	if path == nil {
		if len(np) > 0 && np[0].kind == segIdent {
			np[0].name = "::" + np[0].name
		}
		return np, r.splice(n, []*sitter.Node{name}, []string{nt})
	}
	pp, pt := r.render(path)
	return append(pp, np...), r.splice(n, []*sitter.Node{path, name}, []string{pt, nt})
}

// alias renders `path as alias`.
func (r *useRender) alias(n *sitter.Node) (usePath, string) {
	path, alias := n.ChildByFieldName("path"), n.ChildByFieldName("alias")
	if path == nil || alias == nil {
		r.failed = true
		return nil, ""
	}
	pp, pt := r.render(path)
	a := r.leaf(int(alias.StartByte()), int(alias.EndByte()))
	if len(pp) == 0 || pp[len(pp)-1].kind > segIdent {
		r.failed = true
		return nil, ""
	}
	pp[len(pp)-1].alias = &a
	return pp, r.splice(n, []*sitter.Node{path, alias}, []string{pt, a})
}

// list renders `{a, b}`: rustfmt sorts the items of every use list. Items
// are moved between their slots, so the separators stay; a list that
// spans lines is refilled by rustfmt, which this does not imitate, so
// it is only reordered when it holds one line.
func (r *useRender) list(n *sitter.Node) (usePath, string) {
	var items []*sitter.Node
	var paths []usePath
	var texts []string
	for _, c := range namedKids(n) {
		if strings.HasSuffix(c.Type(), "comment") {
			r.failed = true
			return nil, ""
		}
		p, t := r.render(c)
		items, paths, texts = append(items, c), append(paths, p), append(texts, t)
	}
	perm := make([]int, len(items))
	for i := range perm {
		perm[i] = i
		if i > 0 && r.order.paths(paths[i-1], paths[i]) > 0 {
			r.unsorted = true
		}
	}
	slices.SortStableFunc(perm, func(a, b int) int { return r.order.paths(paths[a], paths[b]) })
	sorted := make([]usePath, len(items))
	slotTexts := make([]string, len(items))
	for slot, k := range perm {
		sorted[slot], slotTexts[slot] = paths[k], texts[k]
		if k != slot {
			r.moved = true
			if n.StartPoint().Row != n.EndPoint().Row {
				r.failed = true
			}
		}
	}
	return usePath{{kind: segList, list: sorted}}, r.splice(n, items, slotTexts)
}

// exact returns the edit that replaces exactly start..end.
func (r *useRender) exact(start, end int) (textedit.Edit, bool) {
	for _, e := range r.edits {
		if e.Start == start && e.End == end && start < end {
			return e, true
		}
	}
	return textedit.Edit{}, false
}

// leaf returns the text of a node no edit replaces; an edit inside it
// fails the render.
func (r *useRender) leaf(start, end int) string {
	for _, e := range r.edits {
		if e.Start < end && e.End > start || e.Start == e.End && e.Start > start && e.Start < end {
			r.failed = true
		}
	}
	return string(r.src[start:end])
}

// splice returns the text of n with its children kids replaced by texts;
// an edit between the children fails the render.
func (r *useRender) splice(n *sitter.Node, kids []*sitter.Node, texts []string) string {
	var b strings.Builder
	at := int(n.StartByte())
	for i, k := range kids {
		b.WriteString(r.leaf(at, int(k.StartByte())))
		b.WriteString(texts[i])
		at = int(k.EndByte())
	}
	b.WriteString(r.leaf(at, int(n.EndByte())))
	return b.String()
}

// pathText models the text an edit puts in place of a path: `a`,
// `owner::a`, `::a`.
func (r *useRender) pathText(s string) usePath {
	// An edit that keeps the old name as an alias: `new as old`.
	if path, alias, ok := strings.Cut(s, " as "); ok {
		p := r.pathText(path)
		if len(p) == 0 || p[len(p)-1].kind > segIdent || strings.IndexFunc(alias, func(c rune) bool { return !identByte(byte(min(c, 0x80))) }) >= 0 {
			r.failed = true
			return nil
		}
		p[len(p)-1].alias = &alias
		return p
	}
	lead := ""
	if rest, ok := strings.CutPrefix(s, "::"); ok {
		lead, s = "::", rest
	}
	var p usePath
	for i, part := range strings.Split(s, "::") {
		if part == "" || strings.IndexFunc(part, func(c rune) bool { return !identByte(byte(min(c, 0x80))) }) >= 0 {
			r.failed = true
			return nil
		}
		switch part {
		case "self":
			p = append(p, useSeg{kind: segSelf})
		case "super":
			p = append(p, useSeg{kind: segSuper})
		case "crate":
			p = append(p, useSeg{kind: segCrate})
		default:
			if i == 0 {
				part = lead + part
			}
			p = append(p, useSeg{kind: segIdent, name: part})
		}
	}
	return p
}
