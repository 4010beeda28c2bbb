package tomledit

import (
	"github.com/pelletier/go-toml/v2/unstable"
)

// part is one segment of a dotted key or table header, decoded, with the
// span of its written form (quotes included).
type part struct {
	name string
	span Span
}

// table is a [header] and the key/values written directly under it. The
// root table has no header: its start is -1.
type table struct {
	parts   []part
	array   bool // [[header]]
	start   int  // offset of the first '['
	lineEnd int  // end of the header line, line ending included
	kvs     []*keyval
}

// keyval is one `key = value`, at the top level or inside an inline table.
type keyval struct {
	tbl      *table // the table whose header it is under
	prefix   []part // the path before parts: header, then enclosing keys
	parts    []part
	list     *value // the inline table holding it; nil at the top level
	start    int    // first byte of the key
	keyEnd   int    // end of the last key part
	valStart int    // first byte of the value
	end      int    // end of the value
	val      *value
	visit    bool // false inside arrays, where paths mean nothing to Cargo
}

// value is a TOML value with its span. Arrays and inline tables span from
// their opening to their closing bracket.
type value struct {
	kind  unstable.Kind
	span  Span
	str   string    // decoded string, or the literal text of other scalars
	elems []*value  // array elements, comments left out
	kvs   []*keyval // inline table entries
}

// items returns the spans of the elements of an array or inline table.
func (v *value) items() []Span {
	var out []Span
	for _, e := range v.elems {
		out = append(out, e.span)
	}
	for _, kv := range v.kvs {
		out = append(out, Span{kv.start, kv.end})
	}
	return out
}

// build runs go-toml's parser over body (src without its BOM) and records
// tables and key/values with offsets into src.
func (d *Doc) build(body []byte) error {
	p := unstable.Parser{KeepComments: true}
	p.Reset(body)
	root := &table{start: -1}
	d.tables = []*table{root}
	cur := root
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			cur = d.header(n)
			d.tables = append(d.tables, cur)
			d.noteHeader(cur)
		case unstable.Comment:
			d.comments[d.span(n.Raw).Start] = true
		case unstable.KeyValue:
			kv := d.keyval(n, cur, cur.parts, nil)
			kv.visit = !cur.array
			cur.kvs = append(cur.kvs, kv)
			d.visit(kv)
		}
	}
	if err := p.Error(); err != nil {
		return d.parserError(body, err)
	}
	return nil
}

// visit notes kv and then the entries of its inline table, outer first, so
// that the model lists things in source order.
func (d *Doc) visit(kv *keyval) {
	if !kv.visit {
		return
	}
	d.kvs = append(d.kvs, kv)
	d.noteKV(kv)
	for _, in := range kv.val.kvs {
		in.visit = true
		d.visit(in)
	}
}

func (d *Doc) span(r unstable.Range) Span {
	s := d.bom + int(r.Offset)
	return Span{s, s + int(r.Length)}
}

func (d *Doc) keyParts(it unstable.Iterator) []part {
	var ps []part
	for it.Next() {
		k := it.Node()
		ps = append(ps, part{string(k.Data), d.span(k.Raw)})
	}
	return ps
}

func (d *Doc) header(n *unstable.Node) *table {
	t := &table{parts: d.keyParts(n.Key()), array: n.Kind == unstable.ArrayTable}
	i := t.parts[0].span.Start - 1
	for d.Src[i] != '[' {
		i--
	}
	if t.array {
		i--
	}
	t.start = i
	end := skipBlank(d.Src, t.parts[len(t.parts)-1].span.End)
	t.lineEnd = lineEnd(d.Src, end)
	return t
}

func (d *Doc) keyval(n *unstable.Node, tbl *table, prefix []part, list *value) *keyval {
	kv := &keyval{tbl: tbl, prefix: prefix, parts: d.keyParts(n.Key()), list: list}
	raw := d.span(n.Raw)
	kv.start, kv.end = raw.Start, raw.End
	kv.keyEnd = kv.parts[len(kv.parts)-1].span.End
	kv.valStart = skipBlank(d.Src, skipBlank(d.Src, kv.keyEnd)+1) // past '='
	full := append(append([]part(nil), prefix...), kv.parts...)
	kv.val = d.value(n.Value(), kv.valStart, tbl, full)
	return kv
}

// value converts a value node starting at offset start. Containers get
// their span from the scanner: go-toml reports no end for them.
func (d *Doc) value(n *unstable.Node, start int, tbl *table, path []part) *value {
	v := &value{kind: n.Kind}
	cur := start + 1
	switch n.Kind {
	case unstable.Array:
		for it := n.Children(); it.Next(); {
			switch c := it.Node(); c.Kind {
			case unstable.Comment:
				d.noteComments(c)
			default:
				e := d.value(c, skipFill(d.Src, cur), tbl, nil)
				v.elems = append(v.elems, e)
				cur = e.span.End
			}
		}
	case unstable.InlineTable:
		for it := n.Children(); it.Next(); {
			switch c := it.Node(); c.Kind {
			case unstable.Comment:
				d.noteComments(c)
			case unstable.KeyValue:
				kv := d.keyval(c, tbl, path, v)
				v.kvs = append(v.kvs, kv)
				cur = kv.end
			}
		}
	default:
		v.span = d.span(n.Raw)
		v.str = string(n.Data)
		return v
	}
	v.span = Span{start, skipFill(d.Src, cur) + 1}
	return v
}

// noteComments records a run of comments inside an array or inline table:
// go-toml hangs the later comments of a run off the first one.
func (d *Doc) noteComments(c *unstable.Node) {
	d.comments[d.span(c.Raw).Start] = true
	for it := c.Children(); it.Next(); {
		d.comments[d.span(it.Node().Raw).Start] = true
	}
}

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
	for i > 0 && d.Src[i-1] != '\n' {
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
	if e := eolAt(d.Src, off); e != "" {
		return e
	}
	if e := eolAt(d.Src, 0); e != "" {
		return e
	}
	return "\n"
}

// indent returns the blanks that start the line holding off.
func (d *Doc) indent(off int) string {
	s := d.lineStart(off)
	return string(d.Src[s:skipBlank(d.Src, s)])
}

// isCommentLine reports whether the line starting at s holds only a
// comment. It asks the parser's record, since a line of a multi-line string
// may start with '#' too.
func (d *Doc) isCommentLine(s int) bool {
	return d.comments[skipBlank(d.Src, s)]
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
	for i := off; i < len(d.Src); i++ {
		switch d.Src[i] {
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
	return skipBlank(d.Src, d.lineStart(off)) == off
}
