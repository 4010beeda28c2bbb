package tomledit

import (
	"iter"
	"slices"
	"sync"

	"github.com/pelletier/go-toml/v2/unstable"
)

// builder turns go-toml's parse of one document into a Doc. Its slices are
// scratch space, reused by the next Parse: a Doc gets copies of exactly
// the size it needs.
type builder struct {
	syntax
	d   *Doc
	src []byte // d.bytes()
	bom uint32

	p unstable.Parser
	// base is the first node of the top-level key/value being read, and
	// raw[i] is the go-toml node of the value of node base+i. They are valid
	// until the parser moves on to the next expression.
	base ref
	raw  []*unstable.Node

	path     []part   // scratch key path
	plen     []int    // scratch: the length of the key path of node base+i
	count    []uint32 // scratch for finish
	comments []uint32

	deps   []Dep
	byID   map[depID]int32 // the index of every dep, once there are many
	spans  depLog[Span]    // the KeySpans of every dep
	fields depLog[string]  // the Fields of every dep
	feats  []Feature
	props  []prop
	ws     bool        // the document has a [workspace] table
	lists  [3][]string // [workspace] members, exclude, default-members
	tgts   []Target
	tgt    int // the index in tgts of the table being read, or -1

	seen seen
	// noModel skips noting what the document says (Check, and the syntax
	// parsed again); noChecks skips the checks of the keys, for a document
	// that parsed before (Doc.withSyntax).
	noModel, noChecks bool
	// unsure is set when the syntax walk cannot vouch that toml.Unmarshal
	// accepts the document: a key the seen-tracker rules reject, or a value
	// (number, date, time) whose conversion may fail.
	unsure bool
	// shape is the first dependency field of a type cargo refuses
	// (features = "stats"): Doc.FieldError.
	shape *Error
}

var builders = sync.Pool{New: func() any { return new(builder) }}

// maxPooled is the largest scratch a builder keeps for the next Parse.
const maxPooled = 1 << 14

func getBuilder(d *Doc) *builder {
	b := builders.Get().(*builder)
	b.d, b.src, b.bom = d, d.src, uint32(d.bom)
	b.tgt = -1
	b.seen.reset()
	return b
}

// putBuilder empties b and pools it. Its scratch may still refer to the
// strings of the last document until the next Parse overwrites them.
func putBuilder(b *builder) {
	b.p.Reset(nil)
	b.d, b.src, b.base = nil, nil, 0
	clear(b.byID)
	b.nodes, b.parts, b.kids, b.raw = b.nodes[:0], b.parts[:0], b.kids[:0], b.raw[:0]
	b.comments, b.deps, b.feats = b.comments[:0], b.deps[:0], b.feats[:0]
	b.spans.reset()
	b.fields.reset()
	b.props, b.tgts, b.lists = b.props[:0], b.tgts[:0], [3][]string{}
	b.ws, b.unsure, b.noModel, b.noChecks = false, false, false, false
	b.shape = nil
	if cap(b.nodes) > maxPooled || cap(b.parts) > maxPooled || cap(b.seen.entries) > maxPooled {
		return
	}
	builders.Put(b)
}

func (b *builder) off(o uint32) uint32 { return b.bom + o }

func (b *builder) span(r unstable.Range) Span {
	s := int(b.bom + r.Offset)
	return Span{s, s + int(r.Length)}
}

// add appends n, whose value is v, and returns its ref.
func (b *builder) add(n node, v *unstable.Node) ref {
	n.key = uint32(len(b.parts))
	b.nodes = append(b.nodes, n)
	b.raw = append(b.raw, v)
	return ref(len(b.nodes) - 1)
}

// value returns the go-toml node of r's value; r must belong to the
// top-level key/value being read.
func (b *builder) value(r ref) *unstable.Node { return b.raw[r-b.base] }

// str returns the string value of r.
func (b *builder) str(r ref) string { return intern(b.value(r).Data) }

// build runs go-toml's parser over body (src without its BOM) and records
// tables, key/values and elements with offsets into src.
func (b *builder) build(body []byte) error {
	p := &b.p
	p.KeepComments = true
	p.Reset(body)
	b.add(node{kind: kTable, up: noRef}, nil)
	cur := ref(0)
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			b.base, b.raw = ref(len(b.nodes)), b.raw[:0]
			cur = b.header(n)
		case unstable.Comment:
			b.comments = append(b.comments, b.off(n.Raw.Offset))
		case unstable.KeyValue:
			b.topKeyval(n, cur)
		}
	}
	if err := p.Error(); err != nil {
		return b.d.parserError(body, err)
	}
	return nil
}

func (b *builder) keyParts(it unstable.Iterator) {
	for it.Next() {
		k := it.Node()
		s := b.off(k.Raw.Offset)
		b.parts = append(b.parts, part{name: intern(k.Data), start: s, end: s + k.Raw.Length})
	}
}

func (b *builder) header(n *unstable.Node) ref {
	k := kindOf(n.Kind)
	r := b.add(node{kind: k, up: noRef}, nil)
	b.keyParts(n.Key())
	ps := b.keys(r)
	i := int(ps[0].start) - 1
	for b.src[i] != '[' {
		i--
	}
	if k == kArrayTable {
		i--
	}
	end := lineEnd(b.src, skipBlank(b.src, int(ps[len(ps)-1].end)))
	t := b.at(r)
	t.start, t.end = uint32(i), uint32(end)
	if !b.noModel {
		b.noteHeader(r)
	}
	if !b.noChecks && !b.unsure && !b.seen.header(n.Key(), k == kArrayTable) {
		b.unsure = true
	}
	return r
}

// topKeyval reads a key/value under the table cur, notes it (noteModel)
// and checks its keys.
func (b *builder) topKeyval(n *unstable.Node, cur ref) {
	b.base, b.raw = ref(len(b.nodes)), b.raw[:0]
	r := b.keyval(n, cur, b.at(cur).kind != kArrayTable)
	if !b.noModel {
		b.noteModel(r, cur)
	}
	if !b.noChecks && !b.unsure && !b.seen.keyval(n, b.seen.cur) {
		b.unsure = true
	}
}

// noteModel notes the key/value r, read under the table cur, and the
// entries of its inline table, outer first, so that the model lists things
// in source order.
func (b *builder) noteModel(r, cur ref) {
	if b.at(r).visit {
		// The key path of each node: its parent's, then its own key.
		// A visited node's parent is cur, or a visited node after r.
		b.path = append(b.path[:0], b.keys(cur)...)
		b.plen = append(b.plen[:0], len(b.path))
		for i := r; int(i) < len(b.nodes); i++ {
			if n := &b.nodes[i]; n.visit {
				l := b.plen[0]
				if i > r {
					l = b.plen[n.up-r+1]
				}
				b.path = append(b.path[:l], b.keys(i)...)
				b.plen = append(b.plen, len(b.path))
				b.noteKV(i, b.path)
				if cur == 0 {
					b.noteLibField(i, b.path)
				}
			} else {
				b.plen = append(b.plen, 0)
			}
		}
	}
	b.noteTargetField(r)
}

func (b *builder) keyval(n *unstable.Node, up ref, visit bool) ref {
	v := n.Value()
	r := b.add(node{up: up, visit: visit}, v)
	b.keyParts(n.Key())
	raw := b.span(n.Raw)
	valStart := skipBlank(b.src, skipBlank(b.src, int(b.parts[len(b.parts)-1].end))+1) // past '='
	b.valueOf(r, v, valStart, visit)
	kv := b.at(r)
	kv.start, kv.end, kv.kind = uint32(raw.Start), uint32(raw.End), kindOf(v.Kind)
	return r
}

// valueOf reads the children of the value v of node r, which starts at
// offset start, and returns its span. Containers get their span from the
// scanner: go-toml reports no end for them. The entries of an inline table
// are visited when r is.
func (b *builder) valueOf(r ref, v *unstable.Node, start int, visit bool) Span {
	cur := start + 1
	switch v.Kind {
	case unstable.Array:
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				b.noteComments(c)
				continue
			}
			e := b.add(node{up: r, elem: true, kind: kindOf(c.Kind)}, c)
			s := b.valueOf(e, c, skipFill(b.src, cur), false)
			el := b.at(e)
			el.start, el.end = uint32(s.Start), uint32(s.End)
			cur = s.End
		}
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			switch c := it.Node(); c.Kind {
			case unstable.Comment:
				b.noteComments(c)
			case unstable.KeyValue:
				cur = int(b.at(b.keyval(c, r, visit)).end)
			}
		}
	default:
		if v.Kind != unstable.String && v.Kind != unstable.Bool {
			// toml.Unmarshal converts numbers, dates and times, and may
			// find them out of range.
			b.unsure = true
		}
		return b.span(v.Raw)
	}
	return Span{start, skipFill(b.src, cur) + 1}
}

// noteComments records a run of comments inside an array or inline table:
// go-toml hangs the later comments of a run off the first one.
func (b *builder) noteComments(c *unstable.Node) {
	b.comments = append(b.comments, b.off(c.Raw.Offset))
	for it := c.Children(); it.Next(); {
		b.comments = append(b.comments, b.off(it.Node().Raw.Offset))
	}
}

// elems iterates over the elements of the array r, which must belong to the
// top-level key/value being read.
func (b *builder) elems(r ref) iter.Seq[ref] {
	return func(yield func(ref) bool) {
		for i := r + 1; int(i) < len(b.nodes); i++ {
			if b.nodes[i].up == r && !yield(i) {
				return
			}
		}
	}
}

// strings returns the string elements of the array r (when withVals) and
// them with their spans.
func (b *builder) strings(r ref, withVals bool) (vals []string, refs []Ref) {
	n := 0
	for e := range b.elems(r) {
		if b.nodes[e].kind == kString {
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	if withVals {
		vals = make([]string, 0, n)
	}
	refs = make([]Ref, 0, n)
	for e := range b.elems(r) {
		if b.nodes[e].kind == kString {
			s := b.str(e)
			if withVals {
				vals = append(vals, s)
			}
			refs = append(refs, Ref{Value: s, Span: b.itemSpan(e)})
		}
	}
	return vals, refs
}

// finish gives d exact copies of what b read: the parts k asks for.
func (b *builder) finish(k keep) {
	if k&keepSyntax != 0 {
		b.finishSyntax()
	}
	if k&keepModel != 0 {
		b.finishModel()
	}
}

// finishSyntax hands the syntax to the Doc: the nodes with their children
// and key parts, and the comments.
func (b *builder) finishSyntax() {
	d := b.d
	// Children: node i's run starts where the runs of the nodes before it
	// end.
	n := len(b.nodes)
	b.count = slices.Grow(b.count[:0], n)[:n]
	clear(b.count)
	for i := 1; i < n; i++ {
		if up := b.nodes[i].up; up >= 0 {
			b.count[up]++
		}
	}
	total := uint32(0)
	for i := range b.nodes {
		c := b.count[i]
		b.nodes[i].kids, b.count[i] = total, total
		total += c
	}
	kids := make([]ref, total)
	for i := 1; i < n; i++ {
		if up := b.nodes[i].up; up >= 0 {
			kids[b.count[up]] = ref(i)
			b.count[up]++
		}
	}
	if !slices.IsSorted(b.comments) {
		slices.Sort(b.comments)
	}
	d.syntax = &syntax{nodes: slices.Clone(b.nodes), parts: slices.Clone(b.parts), kids: kids, comments: clone(b.comments)}
}

// finishModel hands the model, what the document says, to the Doc.
func (b *builder) finishModel() {
	d := b.d
	if len(b.deps) > 0 {
		spans, fields := b.spans.carve(len(b.deps)), b.fields.carve(len(b.deps))
		for i := range b.deps {
			b.deps[i].KeySpans, b.deps[i].Fields = spans[i], fields[i]
		}
		// In pairs, 448 bytes, a size class: an object of more than 512
		// bytes that holds pointers takes a header, which would put three
		// Deps in a 704-byte block.
		d.deps = make([]*Dep, len(b.deps))
		for i := 0; i < len(b.deps); i += 2 {
			pair := slices.Clone(b.deps[i:min(i+2, len(b.deps))])
			for j := range pair {
				d.deps[i+j] = &pair[j]
			}
		}
	}
	d.feats = clone(b.feats)
	d.props = clone(b.props)
	if b.ws || len(b.tgts) > 0 || b.shape != nil {
		d.rare = &rare{targets: clone(b.tgts), field: b.shape}
		if b.ws {
			d.rare.ws = &Workspace{Members: b.lists[0], Exclude: b.lists[1], DefaultMembers: b.lists[2]}
		}
	}
}

// clone copies s into a slice of its length, or returns nil when s is
// empty.
func clone[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// depLog collects values per dependency, each once, in order of addition,
// to hand them out in one allocation.
type depLog[T comparable] struct {
	items []logItem[T]
	last  []int32 // the last item of each dependency, or -1
	out   [][]T   // scratch for carve
}

type logItem[T comparable] struct {
	v    T
	prev int32 // the dependency's item before, or -1
}

func (l *depLog[T]) reset() { l.items, l.last = l.items[:0], l.last[:0] }

// add adds v to the values of dependency dep, unless it is there.
func (l *depLog[T]) add(dep int, v T) bool {
	for len(l.last) <= dep {
		l.last = append(l.last, -1)
	}
	for j := l.last[dep]; j >= 0; j = l.items[j].prev {
		if l.items[j].v == v {
			return false
		}
	}
	l.items = append(l.items, logItem[T]{v, l.last[dep]})
	l.last[dep] = int32(len(l.items) - 1)
	return true
}

// carve returns the values of the dependencies 0 to n-1, nil for those
// with none. The slices share one array but have no spare capacity.
func (l *depLog[T]) carve(n int) [][]T {
	l.out = slices.Grow(l.out[:0], n)[:n]
	clear(l.out)
	if len(l.items) == 0 {
		return l.out
	}
	slab := make([]T, len(l.items))
	at := 0
	for dep := range min(n, len(l.last)) {
		k := 0
		for j := l.last[dep]; j >= 0; j = l.items[j].prev {
			k++
		}
		if k == 0 {
			continue
		}
		s := slab[at : at+k : at+k]
		for j := l.last[dep]; j >= 0; j = l.items[j].prev {
			k--
			s[k] = l.items[j].v
		}
		l.out[dep] = s
		at += len(s)
	}
	return l.out
}
