package tomledit

import (
	"cmp"
	"iter"
	"slices"

	"github.com/pelletier/go-toml/v2/unstable"
)

// kind is what a node is: a table header, or a key/value or array element
// by the kind of its value.
type kind uint8

const (
	kOther      kind = iota // a number, a date or a time
	kString                 // a string
	kBool                   // true or false
	kArray                  // an array
	kInline                 // an inline table
	kTable                  // a [header], or the root table
	kArrayTable             // a [[header]]
)

func kindOf(k unstable.Kind) kind {
	switch k {
	case unstable.String:
		return kString
	case unstable.Bool:
		return kBool
	case unstable.Array:
		return kArray
	case unstable.InlineTable:
		return kInline
	case unstable.Table:
		return kTable
	case unstable.ArrayTable:
		return kArrayTable
	}
	return kOther
}

// part is one segment of a dotted key or table header, decoded, with the
// offsets of its written form (quotes included).
type part struct {
	name       string
	start, end uint32
}

func (p part) span() Span { return Span{int(p.start), int(p.end)} }

// ref is the index of a node in syntax.nodes.
type ref int32

const noRef ref = -1

// node is one thing the document writes: a [header] (nodes[0] stands for
// the root table, which has none), a `key = value` at the top level or
// inside an inline table, or an element of an array. Offsets are into Src.
//
// A node's key parts run from its key to the next node's key, and its
// children from its kids to the next node's kids: nodes are stored in
// source order, each before the nodes inside it.
type node struct {
	start uint32 // header: its first '['; key/value: its first key byte; element: its first byte
	end   uint32 // header: the end of its line, line ending included; otherwise the end of the value
	key   uint32 // its first key part in syntax.parts (a header's path)
	kids  uint32 // its first child in syntax.kids: the key/values of a table or inline table, the elements of an array
	up    ref    // a top-level key/value's table (0 before any header); the key/value or element whose inline table or array holds it; noRef for headers
	kind  kind   // the kind of the value; kTable or kArrayTable for a header
	elem  bool   // an element of an array
	visit bool   // a key/value cargo gives a key path: not under a [[header]], not inside an array
}

// syntax is the structure of a document, in slices allocated once.
type syntax struct {
	nodes []node
	parts []part
	kids  []ref
	// comments holds the offset of every comment, in order: those that
	// start their own line or sit between the items of an array or inline
	// table among them.
	comments []uint32
}

func (s *syntax) at(r ref) *node { return &s.nodes[r] }

// startOf and endOf return the offsets of node r (see node).
func (s *syntax) startOf(r ref) int { return int(s.nodes[r].start) }
func (s *syntax) endOf(r ref) int   { return int(s.nodes[r].end) }

// keys returns the key parts of r: a header's path, a key/value's key
// (relative to its table or inline table); none for an element.
func (s *syntax) keys(r ref) []part {
	end := uint32(len(s.parts))
	if int(r)+1 < len(s.nodes) {
		end = s.nodes[r+1].key
	}
	return s.parts[s.nodes[r].key:end]
}

// kidsOf returns the children of r: the key/values of a table or an inline
// table, the elements of an array.
func (s *syntax) kidsOf(r ref) []ref {
	end := uint32(len(s.kids))
	if int(r)+1 < len(s.nodes) {
		end = s.nodes[r+1].kids
	}
	return s.kids[s.nodes[r].kids:end]
}

// full appends to buf the key path of r from the root of the document:
// its header's path, the keys of the key/values enclosing it, its own key.
// Inside an array the path starts over: elements have none.
func (s *syntax) full(r ref, buf []part) []part {
	n := &s.nodes[r]
	if n.elem {
		return buf
	}
	if n.up >= 0 {
		buf = s.full(n.up, buf)
	}
	return append(buf, s.keys(r)...)
}

// depth returns len(s.full(r, nil)) without building the path.
func (s *syntax) depth(r ref) int {
	n := &s.nodes[r]
	if n.elem {
		return 0
	}
	k := len(s.keys(r))
	if n.up >= 0 {
		k += s.depth(n.up)
	}
	return k
}

// prefixLen returns the length of the key path before r's own key.
func (s *syntax) prefixLen(r ref) int {
	if up := s.nodes[r].up; up >= 0 {
		return s.depth(up)
	}
	return 0
}

func (n *node) header() bool { return n.kind == kTable || n.kind == kArrayTable }

// headers iterates over the [header]s in source order.
func (s *syntax) headers() iter.Seq[ref] {
	return func(yield func(ref) bool) {
		for i := 1; i < len(s.nodes); i++ {
			if s.nodes[i].header() && !yield(ref(i)) {
				return
			}
		}
	}
}

// visited iterates over the key/values cargo gives a key path, in source
// order, each before the entries of its inline table.
func (s *syntax) visited() iter.Seq[ref] {
	return func(yield func(ref) bool) {
		for i := 1; i < len(s.nodes); i++ {
			if s.nodes[i].visit && !yield(ref(i)) {
				return
			}
		}
	}
}

// list returns the inline table holding the key/value r, or noRef at the
// top level.
func (s *syntax) list(r ref) ref {
	if up := s.nodes[r].up; up >= 0 && s.nodes[up].kind == kInline {
		return up
	}
	return noRef
}

// itemSpan is the span of r as an item of its table, inline table or
// array: from the key to the end of the value, or the element.
func (s *syntax) itemSpan(r ref) Span {
	n := &s.nodes[r]
	return Span{int(n.start), int(n.end)}
}

// items returns the spans of the elements of an array or the entries of
// an inline table.
func (s *syntax) items(v ref) []Span {
	kids := s.kidsOf(v)
	if len(kids) == 0 {
		return nil
	}
	out := make([]Span, len(kids))
	for i, k := range kids {
		out[i] = s.itemSpan(k)
	}
	return out
}

// partAt returns the node whose key part i is written at span, a span of
// a key part. Parts are stored in source order.
func (s *syntax) partAt(span Span) (r ref, i int) {
	p, _ := slices.BinarySearchFunc(s.parts, span.Start, func(x part, off int) int { return cmp.Compare(int(x.start), off) })
	// The owner is the last node whose parts start at or before p.
	n, _ := slices.BinarySearchFunc(s.nodes, uint32(p)+1, func(x node, k uint32) int { return cmp.Compare(x.key, k) })
	r = ref(n - 1)
	return r, p - int(s.nodes[r].key)
}

// keyEnd returns the end of the last key part of r.
func (d *Doc) keyEnd(r ref) int {
	ps := d.keys(r)
	return int(ps[len(ps)-1].end)
}

// valStart returns the first byte of the value of r.
func (d *Doc) valStart(r ref) int {
	src := d.bytes()
	if n := d.at(r); n.elem {
		return int(n.start)
	}
	return skipBlank(src, skipBlank(src, d.keyEnd(r))+1) // past '='
}

// valSpan returns the span of the value of r. Arrays and inline tables
// span from their opening to their closing bracket.
func (d *Doc) valSpan(r ref) Span { return Span{d.valStart(r), int(d.at(r).end)} }

// skipBlank skips spaces and tabs.
func skipBlank(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// skipFill skips what may sit between the elements of an array or inline
// table: whitespace, line endings, commas and comments.
func skipFill(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n', ',':
			i++
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// lineStart returns the offset of the start of the line holding off. The
// BOM is never part of a line.
func (d *Doc) lineStart(off int) int {
	i := off
	for i > 0 && d.bytes()[i-1] != '\n' {
		i--
	}
	return max(i, d.bom)
}

// lineEnd returns the offset just past the line ending of the line holding
// off, or len(src) on a last line without one.
func lineEnd(src []byte, off int) int {
	for i := off; i < len(src); i++ {
		if src[i] == '\n' {
			return i + 1
		}
	}
	return len(src)
}

// eolAt returns the line ending of the line holding off: "\n", "\r\n", or ""
// for a last line without one.
func eolAt(src []byte, off int) string {
	end := lineEnd(src, off)
	switch {
	case end == 0 || src[end-1] != '\n':
		return ""
	case end >= 2 && src[end-2] == '\r':
		return "\r\n"
	}
	return "\n"
}

// eol returns the line ending of the line holding off, or the document's
// first line ending when that line has none.
func (d *Doc) eol(off int) string {
	src := d.bytes()
	if e := eolAt(src, off); e != "" {
		return e
	}
	if e := eolAt(src, 0); e != "" {
		return e
	}
	return "\n"
}

// indent returns the blanks that start the line holding off.
func (d *Doc) indent(off int) string {
	src := d.bytes()
	s := d.lineStart(off)
	return string(src[s:skipBlank(src, s)])
}

// isCommentLine reports whether the line starting at s holds only a
// comment. It asks the parser's record, since a line of a multi-line string
// may start with '#' too.
func (d *Doc) isCommentLine(s int) bool {
	_, ok := slices.BinarySearch(d.comments, uint32(skipBlank(d.bytes(), s)))
	return ok
}

// ownedStart returns the start of the line holding off, moved up over the
// comment lines directly above it: they belong to what is on that line.
func (d *Doc) ownedStart(off int) int {
	s := d.lineStart(off)
	for s > d.bom {
		prev := d.lineStart(s - 1)
		if !d.isCommentLine(prev) {
			break
		}
		s = prev
	}
	return s
}

// onlyFillAfter reports whether the rest of the line after off holds only
// blanks, commas and a comment.
func (d *Doc) onlyFillAfter(off int) bool {
	src := d.bytes()
	for i := off; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\r', ',':
		case '\n', '#':
			return true
		default:
			return false
		}
	}
	return true
}

// firstOnLine reports whether only blanks precede off on its line.
func (d *Doc) firstOnLine(off int) bool {
	return skipBlank(d.bytes(), d.lineStart(off)) == off
}
