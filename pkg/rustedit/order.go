package rustedit

import (
	"bytes"
	"slices"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"jemfix/pkg/textedit"
)

// A rename can move a `use` item out of rustfmt's order (`jemalloc_ctl`
// sorts before `pprof`, `tikv_jemalloc_ctl` after), and `cargo fmt
// --check` then fails on a file that passed. rustfmt (src/reorder.rs)
// sorts each run of consecutive `use` items of a module, a mod block or a
// function body, cut into groups where an item starts two or more lines
// after the previous one ends (a blank line or a comment line between
// them); an item with #[macro_use] or #[rustfmt::skip] ends the run. Outer
// attributes and doc comments belong to their item, and so does a comment
// after its `;` on the same line. rustfmt also sorts the items of every use
// list. Here a group that was in rustfmt's order before the edits is put
// back in order after them by moving whole items, and one-line use lists
// by moving their items; a group that was not in order is left alone.

// SortUses returns edits with the `use` items they touch kept in
// rustfmt's order for style edition opt.StyleEdition: the edits inside a
// group of use items that must move are replaced by one edit of the moved
// span, whose text holds them. Other edits are returned as they are; an
// edit that replaces part of a path (not a whole path or identifier) keeps
// its group as it is. Pure; edits are sorted on return.
func SortUses(src []byte, edits []textedit.Edit, opt Options) []textedit.Edit {
	var offsets []int
	for _, e := range edits {
		offsets = append(offsets, e.Start)
	}
	cut := &cutFile{src: src}
	tree, err := parseKept("", src, keepCut(cut, offsets))
	if err != nil {
		return sortedEdits(edits)
	}
	defer tree.Close()
	return sortUses(cut, tree.RootNode(), sortedEdits(edits), opt)
}

func sortedEdits(edits []textedit.Edit) []textedit.Edit {
	out := slices.Clone(edits)
	slices.SortStableFunc(out, func(a, b textedit.Edit) int { return a.Start - b.Start })
	return out
}

// sortUses is SortUses of cut.src over root, a tree of at least the
// top-level items that hold an edit. edits are sorted.
func sortUses(cut *cutFile, root *sitter.Node, edits []textedit.Edit, opt Options) []textedit.Edit {
	src := cut.src
	order := orderFor(opt.StyleEdition)
	var spans [][2]int // groups already looked at
	var reorders []textedit.Edit
	for _, e := range edits {
		if slices.ContainsFunc(spans, func(s [2]int) bool { return e.Start >= s[0] && e.Start < s[1] }) {
			continue
		}
		decl := useDeclAt(root, e.Start)
		if decl == nil || skipped(decl, src) {
			continue
		}
		kids, release := siblings(decl, cut)
		for _, g := range useGroups(src, kids) {
			span := [2]int{g[0].start, g[len(g)-1].end}
			if span[0] > e.Start || e.Start >= span[1] {
				continue
			}
			spans = append(spans, span)
			if r, ok := reorderGroup(src, g, edits, order); ok {
				reorders = append(reorders, r)
			}
		}
		release()
	}
	if len(reorders) == 0 {
		return edits
	}
	out := slices.Clone(reorders)
	for _, e := range edits {
		if !slices.ContainsFunc(reorders, func(r textedit.Edit) bool { return overlaps(e, r.Start, r.End) }) {
			out = append(out, e)
		}
	}
	return sortedEdits(out)
}

// overlaps reports whether e touches bytes of lo..hi; an insertion at
// either end does not.
func overlaps(e textedit.Edit, lo, hi int) bool {
	return e.End > lo && e.Start < hi
}

// pathRenames reports whether a rename puts a path in place of a crate
// name (Option 3's `owner::jemalloc_ctl`): its caller finishes those
// edits, and sorts the uses after that with SortUses.
func pathRenames(opt Options) bool {
	for _, nu := range opt.Crates {
		if strings.Contains(nu, "::") {
			return true
		}
	}
	return false
}

// useDeclAt returns the use declaration around offset off, or nil.
func useDeclAt(root *sitter.Node, off int) *sitter.Node {
	n := root
	for {
		switch n.Type() {
		case "use_declaration":
			return n
		case "source_file", "declaration_list", "block", "function_item", "mod_item":
		default:
			if n != root && !strings.HasSuffix(n.Type(), "_item") && n.Type() != "expression_statement" {
				return nil
			}
		}
		next := childAt(n, off)
		if next == nil {
			return nil
		}
		n = next
	}
}

// childAt returns the named child of n that holds offset off. A cursor
// finds it: NamedChild(i) counts from the first child each time, which
// made a long block's statements cost their number squared.
func childAt(n *sitter.Node, off int) *sitter.Node {
	cur := sitter.NewTreeCursor(n)
	defer cur.Close()
	if cur.GoToFirstChildForByte(uint32(off)) < 0 {
		return nil
	}
	if c := cur.CurrentNode(); c.IsNamed() && int(c.StartByte()) <= off && off < int(c.EndByte()) {
		return c
	}
	return nil
}

// siblings returns the items next to decl. A top-level declaration may
// sit in a tree of only the items that name an old crate, so the run of
// use items around it is cut out of the file and parsed on its own;
// release frees that tree.
func siblings(decl *sitter.Node, c *cutFile) ([]*sitter.Node, func()) {
	parent := decl.Parent()
	if parent.Type() == "source_file" {
		tree, cut := parseUseRun(c, int(decl.StartByte()))
		if tree != nil {
			return namedKids(tree.RootNode()), tree.Close
		}
		if cut {
			return nil, func() {}
		}
		// a file that does not cut into segments was parsed whole
	}
	return namedKids(parent), func() {}
}

// namedKids returns the named children of n, in order, walked with a
// cursor (see childAt).
func namedKids(n *sitter.Node) []*sitter.Node {
	out := make([]*sitter.Node, 0, n.NamedChildCount())
	cur := sitter.NewTreeCursor(n)
	defer cur.Close()
	for ok := cur.GoToFirstChild(); ok; ok = cur.GoToNextSibling() {
		if c := cur.CurrentNode(); c.IsNamed() {
			out = append(out, c)
		}
	}
	return out
}

// parseUseRun parses the run of top-level segments around off that are
// use items. It returns nil when the run does not parse, and cut false
// when the file does not cut into segments.
func parseUseRun(c *cutFile, off int) (tree *sitter.Tree, cut bool) {
	src, ends := c.src, c.segments()
	if ends == nil {
		return nil, false
	}
	k := segmentOf(ends, off)
	first, last := k, k
	for first > 0 && isUseSegment(src, segStart(ends, first-1), ends[first-1]) {
		first--
	}
	for last+1 < len(ends) && isUseSegment(src, ends[last], ends[last+1]) {
		last++
	}
	// the run goes on to the end of its last line, for a comment there
	start, end := segStart(ends, first), ends[last]
	if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
		end += i
	} else {
		end = len(src)
	}
	points := pointsOf(src, []int{start, end})
	tree, err := parseRanges(src, []sitter.Range{{
		StartByte: uint32(start), EndByte: uint32(end), StartPoint: points[0], EndPoint: points[1],
	}})
	if err != nil {
		return nil, true
	}
	if tree.RootNode().HasError() {
		tree.Close()
		return nil, true
	}
	return tree, true
}

func segStart(ends []int, k int) int {
	if k == 0 {
		return 0
	}
	return ends[k-1]
}

// isUseSegment reports whether the segment is a use item: past spaces,
// comments and outer attributes, `use` or `pub … use`.
func isUseSegment(src []byte, i, end int) bool {
	for i < end {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < end && (src[i+1] == '/' || src[i+1] == '*'):
			if i = skipComment(src, i); i < 0 {
				return false
			}
		case c == '#' && i+1 < end && src[i+1] == '[':
			if i = skipBrackets(src, i+1, end); i < 0 {
				return false
			}
		default:
			word := string(src[i:identEnd(src, i)])
			if word == "pub" {
				i = identEnd(src, i)
				for i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
					i++
				}
				if i < end && src[i] == '(' {
					if i = skipBrackets(src, i, end); i < 0 {
						return false
					}
				}
				continue
			}
			return word == "use"
		}
	}
	return false
}

// skipBrackets returns the offset after the bracket at i and its match.
func skipBrackets(src []byte, i, end int) int {
	depth := 0
	for ; i < end; i++ {
		switch src[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth == 0 {
				return i + 1
			}
		case '"':
			if i = skipString(src, i+1); i < 0 {
				return -1
			}
			i--
		}
	}
	return -1
}

// skipped reports whether rustfmt leaves decl's container alone: an
// enclosing item, or the file, is #[rustfmt::skip].
func skipped(decl *sitter.Node, src []byte) bool {
	for n := decl.Parent(); n != nil; n = n.Parent() {
		for p := n.PrevNamedSibling(); p != nil; p = p.PrevNamedSibling() {
			if p.Type() != "attribute_item" && !strings.HasSuffix(p.Type(), "comment") {
				break
			}
			if skipAttr(p.Content(src)) {
				return true
			}
		}
	}
	return bytes.Contains(src, []byte("#![rustfmt::skip]")) || bytes.Contains(src, []byte("#![rustfmt_skip]"))
}

func skipAttr(s string) bool {
	return strings.Contains(s, "rustfmt::skip") || strings.Contains(s, "rustfmt_skip")
}

// useEntry is one use item of a group: start..end covers its outer
// attributes and doc comments, and a comment after its `;` on its line
// unless it is the last item: that comment stays at the end of the group.
type useEntry struct {
	start, end int
	decl       *sitter.Node
}

// useGroups cuts items into rustfmt's groups of use items.
func useGroups(src []byte, items []*sitter.Node) [][]useEntry {
	var out [][]useEntry
	var cur []useEntry
	var attrs []*sitter.Node // outer attributes and doc comments waiting for their item
	lastRow := 0
	barred := false // the next item has #[macro_use] or #[rustfmt::skip], or lost its attributes
	flush := func() {
		if len(cur) > 0 {
			// the last item's comment stays at the end of the group
			last := &cur[len(cur)-1]
			last.end = int(last.decl.EndByte())
			out = append(out, cur)
		}
		cur = nil
	}
	for _, n := range items {
		text, typ := n.Content(src), n.Type()
		comment := strings.HasSuffix(typ, "comment")
		switch {
		case typ == "attribute_item" || comment && outerDoc(text):
			attrs = append(attrs, n)
			barred = barred || strings.Contains(text, "macro_use") || skipAttr(text)
		case comment && !innerDoc(text) && len(attrs) == 0 && len(cur) > 0 && int(n.StartPoint().Row) == lastRow:
			cur[len(cur)-1].end = int(n.StartByte()) + len(strings.TrimRight(text, "\r\n")) // `use a; // why`
		case typ == "use_declaration" && !barred:
			start, row := int(n.StartByte()), int(n.StartPoint().Row)
			if len(attrs) > 0 {
				start, row = int(attrs[0].StartByte()), int(attrs[0].StartPoint().Row)
			}
			if len(cur) > 0 && row >= lastRow+2 {
				flush()
			}
			cur = append(cur, useEntry{start: start, end: int(n.EndByte()), decl: n})
			attrs, lastRow = nil, int(n.EndPoint().Row)
		default:
			// another item, an inner attribute, a comment on its own line,
			// or a use item rustfmt does not move
			flush()
			barred = comment && len(attrs) > 0
			attrs = nil
		}
	}
	flush()
	return out
}

func innerDoc(s string) bool {
	return strings.HasPrefix(s, "//!") || strings.HasPrefix(s, "/*!")
}

// outerDoc reports whether a comment is an outer doc comment.
func outerDoc(s string) bool {
	return strings.HasPrefix(s, "///") && !strings.HasPrefix(s, "////") ||
		strings.HasPrefix(s, "/**") && !strings.HasPrefix(s, "/***") && !strings.HasPrefix(s, "/**/")
}

// reorderGroup returns the edit that puts group g back in rustfmt's order
// after edits, or false when g needs no move, was not in order before,
// or has a shape this does not handle.
func reorderGroup(src []byte, g []useEntry, edits []textedit.Edit, order useOrder) (textedit.Edit, bool) {
	lo, hi := g[0].start, g[len(g)-1].end
	var inside []textedit.Edit
	for _, e := range edits {
		switch {
		case !overlaps(e, lo, hi):
		case slices.ContainsFunc(g, func(en useEntry) bool { return e.Start >= en.start && e.End <= en.end }):
			inside = append(inside, e)
		default:
			return textedit.Edit{}, false // across items, or between them
		}
	}
	if !ownLines(src, g) {
		return textedit.Edit{}, false
	}
	before := &useRender{src: src, order: order}
	after := &useRender{src: src, edits: inside, order: order}
	paths := make([]usePath, len(g))
	texts := make([]string, len(g))
	var prev usePath
	for i, en := range g {
		p, _ := before.entry(en)
		if i > 0 && order.paths(prev, p) > 0 {
			return textedit.Edit{}, false
		}
		prev = p
		paths[i], texts[i] = after.entry(en)
	}
	if before.failed || before.unsorted || after.failed {
		return textedit.Edit{}, false
	}
	perm := make([]int, len(g))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return order.paths(paths[a], paths[b]) })
	end := len(g) - 1
	if perm[end] != end && commentFollows(src, g[end].end) && (lineComment(src, g[end].end) || g[perm[end]].end > int(g[perm[end]].decl.EndByte())) {
		// rustfmt aligns a comment line under a trailing comment, so the
		// line below would have to change too
		return textedit.Edit{}, false
	}
	first, last := -1, -1
	for slot, k := range perm {
		if k != slot || after.moved && texts[k] != applied(src, g[k], inside) {
			if first < 0 {
				first = slot
			}
			last = slot
		}
	}
	if first < 0 {
		return textedit.Edit{}, false
	}
	var b strings.Builder
	for slot := first; slot <= last; slot++ {
		if slot > first {
			b.Write(src[g[slot-1].end:g[slot].start])
		}
		b.WriteString(texts[perm[slot]])
	}
	return textedit.Edit{Start: g[first].start, End: g[last].end, New: b.String()}, true
}

// entry returns the path and new text of one item, its attributes and
// trailing comment included.
func (r *useRender) entry(en useEntry) (usePath, string) {
	arg := en.decl.ChildByFieldName("argument")
	if arg == nil {
		r.failed = true
		return nil, ""
	}
	p, t := r.render(arg)
	decl := r.splice(en.decl, []*sitter.Node{arg}, []string{t})
	var b strings.Builder
	b.WriteString(r.applied(en.start, int(en.decl.StartByte())))
	b.WriteString(decl)
	b.WriteString(r.applied(int(en.decl.EndByte()), en.end))
	return p, b.String()
}

// applied returns src[start:end] with the edits inside it applied.
func (r *useRender) applied(start, end int) string {
	var in []textedit.Edit
	for _, e := range r.edits {
		if e.Start >= start && e.End <= end {
			in = append(in, textedit.Edit{Start: e.Start - start, End: e.End - start, New: e.New})
		}
	}
	out, err := textedit.Apply(r.src[start:end], in)
	if err != nil {
		r.failed = true
	}
	return string(out)
}

// applied returns the text of en with edits applied and nothing moved.
func applied(src []byte, en useEntry, edits []textedit.Edit) string {
	r := &useRender{src: src, edits: edits}
	return r.applied(en.start, en.end)
}

// lineComment reports whether the rest of the line at off is a comment.
func lineComment(src []byte, off int) bool {
	rest := bytes.TrimLeft(src[off:], " \t")
	return bytes.HasPrefix(rest, []byte("//")) || bytes.HasPrefix(rest, []byte("/*"))
}

// commentFollows reports whether the line after the one at off starts
// with a comment.
func commentFollows(src []byte, off int) bool {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return false
	}
	next := bytes.TrimLeft(src[off+i+1:], " \t")
	return bytes.HasPrefix(next, []byte("//")) || bytes.HasPrefix(next, []byte("/*"))
}

// ownLines reports whether each item of g sits on lines of its own, one
// line break and indentation apart, as rustfmt writes them.
func ownLines(src []byte, g []useEntry) bool {
	lineStart := bytes.LastIndexByte(src[:g[0].start], '\n') + 1
	if len(bytes.Trim(src[lineStart:g[0].start], " \t")) != 0 {
		return false
	}
	end := g[len(g)-1].end
	rest := src[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	if len(bytes.Trim(rest, " \t\r")) != 0 && !lineComment(src, end) {
		return false
	}
	for i := 1; i < len(g); i++ {
		sep := src[g[i-1].end:g[i].start]
		if bytes.Count(sep, []byte("\n")) != 1 || len(bytes.Trim(sep, " \t\r\n")) != 0 {
			return false
		}
	}
	return true
}
