package tomledit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"jemfix/pkg/textedit"
)

// own returns the Doc's own record of dep, found by table and key, so that
// copies returned by Dependencies work as handles; nil when there is none.
// It reads the model only.
func (d *Doc) own(dep *Dep) *Dep {
	if dep == nil {
		return nil
	}
	t := dep.Table()
	for _, own := range d.deps {
		if own.Key == dep.Key && own.Table() == t {
			return own
		}
	}
	return nil
}

// lookup returns the Doc's own record of dep (own) with the syntax that
// writes it, which it parses again when d was compacted (withSyntax).
func (d *Doc) lookup(dep *Dep) *depInfo {
	own := d.own(dep)
	if own == nil {
		return nil
	}
	d.withSyntax()
	// Each key span is the dependency key part of one header or key/value.
	info := &depInfo{dep: own, whole: noRef}
	for _, s := range own.KeySpans {
		r, i := d.partAt(s)
		switch {
		case d.at(r).header():
			info.subs = append(info.subs, r)
		case i == len(d.keys(r))-1:
			info.whole = r
		default:
			info.dotted = append(info.dotted, r)
		}
	}
	return info
}

// RenameDependency rewrites every written occurrence of the key (KeySpans)
// to newKey, in place. The original quoting is kept when newKey allows it:
// a bare key stays bare if newKey is a valid bare key; a quoted key keeps its
// quote character, falling back to a basic "..." string when a literal
// '...' cannot hold newKey. Nothing else moves.
func (d *Doc) RenameDependency(dep *Dep, newKey string) []textedit.Edit {
	own := d.own(dep)
	if own == nil {
		return nil
	}
	var edits []textedit.Edit
	for _, s := range own.KeySpans {
		edits = append(edits, textedit.Edit{Start: s.Start, End: s.End, New: keyLike(d.text(s), newKey)})
	}
	return edits
}

// SetString replaces the string token at span with value. A literal '...'
// token stays literal when value fits in one; otherwise the result is a
// basic "..." string, escaped as needed. Multi-line tokens become one-line
// tokens of the same kind.
func (d *Doc) SetString(span Span, value string) textedit.Edit {
	return textedit.Edit{Start: span.Start, End: span.End, New: quoteLike(d.text(span), value)}
}

// RenameFeatureRef replaces the ref's string with newValue, keeping its
// quote style as SetString does.
func (d *Doc) RenameFeatureRef(ref Ref, newValue string) textedit.Edit {
	return d.SetString(ref.Span, newValue)
}

// SetVersion replaces the version string of dep in place. It returns an
// error when the entry has no version string, e.g. `workspace = true` or a
// path-only dependency.
func (d *Doc) SetVersion(dep *Dep, version string) (textedit.Edit, error) {
	if own := d.own(dep); own != nil {
		dep = own
	}
	if dep.VersionSpan == (Span{}) {
		return textedit.Edit{}, fmt.Errorf("%s: dependency %q has no version string to set", d.Name, dep.Key)
	}
	return d.SetString(dep.VersionSpan, version), nil
}

// SetPackage sets the package = "..." rename of dep. An existing value is
// replaced in place. Otherwise the key is inserted, depending on how the
// entry is written:
//   - inline table: as its first key, `{ package = "pkg", version = ... }`
//     (on its own line when the table's first key is on a line of its own);
//   - plain string: `x = "0.5"` becomes `x = { package = "pkg", version = "0.5" }`;
//   - dotted keys: a new line `x.package = "pkg"` after the last dotted line,
//     with that line's indentation, key spelling and line ending;
//   - [dependencies.x] sub-table: a new line `package = "pkg"` right after
//     the header, indented like the table's first key and ending like the
//     header line.
//
// The new string is quoted like the version string when there is one.
// Cargo refuses package on an inherited (workspace = true) entry; rename
// the [workspace.dependencies] entry instead. SetPackage returns nil when
// the entry has a package key whose value is not a string: cargo rejects
// that manifest, and a second package key would break the TOML.
func (d *Doc) SetPackage(dep *Dep, pkg string) []textedit.Edit {
	info := d.lookup(dep) // with the syntax
	if info == nil {
		return nil
	}
	cur := info.dep
	if cur.PackageSpan != (Span{}) {
		return []textedit.Edit{d.SetString(cur.PackageSpan, pkg)}
	}
	if d.hasField(cur.id(), "package") {
		return nil
	}
	q := basicQuote(pkg)
	if cur.VersionSpan != (Span{}) {
		q = quoteLike(d.text(cur.VersionSpan), pkg)
	}
	if w := info.whole; w != noRef {
		switch d.at(w).kind {
		case kInline:
			return []textedit.Edit{d.packageInline(w, q)}
		case kString:
			v := d.valSpan(w)
			text := "{ package = " + q + ", version = " + d.text(v) + " }"
			return []textedit.Edit{{Start: v.Start, End: v.End, New: text}}
		}
		return nil
	}
	if t := d.sub(info); t != noRef {
		ind := d.indent(d.startOf(t))
		if kids := d.kidsOf(t); len(kids) > 0 {
			ind = d.indent(d.startOf(kids[0]))
		}
		return []textedit.Edit{d.lineAfter(d.startOf(t), ind+"package = "+q)}
	}
	if len(info.dotted) > 0 {
		return d.dottedField(info.dotted[len(info.dotted)-1], "package", q, "")
	}
	return nil
}

// hasField reports whether the entry id writes field, whatever its value.
func (d *Doc) hasField(id depID, field string) bool {
	at := func(path []part) bool {
		n, t, ok := classify(path)
		return ok && len(path) > n+1 && (depID{t, path[n].name}) == id && path[n+1].name == field
	}
	var buf []part
	for kv := range d.visited() {
		if buf = d.full(kv, buf[:0]); at(buf) {
			return true
		}
	}
	for t := range d.headers() {
		if at(d.keys(t)) {
			return true
		}
	}
	return false
}

// sub returns the [dependencies.key] header itself, not a deeper one, or
// noRef.
func (d *Doc) sub(info *depInfo) ref {
	for _, t := range info.subs {
		if ps := d.keys(t); len(ps) == classified(ps)+1 {
			return t
		}
	}
	return noRef
}

// classified returns how many parts of path name its dependency table.
func classified(path []part) int {
	n, _, _ := classify(path)
	return n
}

func (d *Doc) packageInline(v ref, q string) textedit.Edit {
	span := d.valSpan(v)
	open := span.Start + 1
	kids := d.kidsOf(v)
	if len(kids) == 0 {
		if strings.Trim(d.text(Span{open, span.End - 1}), " \t") == "" {
			return textedit.Edit{Start: open, End: span.End - 1, New: " package = " + q + " "}
		}
		return textedit.Edit{Start: open, End: open, New: " package = " + q + ","}
	}
	first := d.startOf(kids[0])
	if strings.Contains(d.text(Span{open, first}), "\n") {
		return textedit.Edit{Start: first, End: first, New: "package = " + q + "," + d.eol(first) + d.indent(first)}
	}
	return textedit.Edit{Start: first, End: first, New: "package = " + q + ", "}
}

// dottedField adds key.field = val after the last dotted line, spelling
// the key path and the spacing around '=' as that line does; when key is
// set (the entry's new key), it takes the place of the key segment.
func (d *Doc) dottedField(last ref, field, val, key string) []textedit.Edit {
	idx := d.depIndex(last)
	seg := d.keys(last)[idx]
	head := d.text(Span{d.startOf(last), int(seg.end)}) + "." + field
	if key != "" { // written as RenameDependency writes the key segment
		head = d.text(Span{d.startOf(last), int(seg.start)}) + keyLike(d.text(Span{int(seg.start), int(seg.end)}), key) + "." + field
	}
	sep := d.text(Span{d.keyEnd(last), d.valStart(last)})
	if list := d.list(last); list != noRef {
		return d.addItem(list, head+sep+val)
	}
	return []textedit.Edit{d.lineAfter(d.endOf(last), d.indent(d.startOf(last))+head+sep+val)}
}

// depIndex returns the index in d.keys(kv) of the dependency key segment.
func (d *Doc) depIndex(kv ref) int {
	return classified(d.full(kv, nil)) - d.prefixLen(kv)
}

// lineAfter inserts line as a new line after the line holding off, ending
// it like that line; a last line without an ending gets one first.
func (d *Doc) lineAfter(off int, line string) textedit.Edit {
	src := d.bytes()
	end := lineEnd(src, off)
	if eol := eolAt(src, off); eol != "" {
		return textedit.Edit{Start: end, End: end, New: line + eol}
	}
	return textedit.Edit{Start: end, End: end, New: d.eol(off) + line}
}

func (d *Doc) text(s Span) string { return string(d.bytes()[s.Start:s.End]) }

// bareKey reports whether s can be written as a bare TOML key.
func bareKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// literalOK reports whether s fits in a one-line literal '...' string.
func literalOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\'' || r == 0x7f || r < 0x20 && r != '\t' {
			return false
		}
	}
	return true
}

// basicQuote writes s as a basic "..." string.
func basicQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// quoteLike writes s as a string token in the style of the token raw.
func quoteLike(raw, s string) string {
	if strings.HasPrefix(raw, "'") && literalOK(s) {
		return "'" + s + "'"
	}
	return basicQuote(s)
}

// keyLike writes key in the style of the written key raw: bare when raw is
// bare (or empty) and key can be bare, else quoted like raw.
func keyLike(raw, key string) string {
	quoted := strings.HasPrefix(raw, "'") || strings.HasPrefix(raw, `"`)
	if !quoted && bareKey(key) {
		return key
	}
	return quoteLike(raw, key)
}

// Inherit turns dep, a plain version string or an inline table with a
// version field, into an entry that inherits its [workspace.dependencies]
// entry, enabling features besides: `x = "0.5"` becomes `x = { workspace =
// true }` (with `features = […]`), and the version field of `x = {
// version = "0.5", … }` becomes `workspace = true`. It returns nil for the
// other forms (a table of its own, dotted keys, no version).
func (d *Doc) Inherit(dep *Dep, features []string) []textedit.Edit {
	info := d.lookup(dep) // with the syntax
	if info == nil || info.whole == noRef {
		return nil
	}
	switch w := info.whole; d.at(w).kind {
	case kString:
		text := "{ workspace = true }"
		if len(features) > 0 {
			q := make([]string, len(features))
			for i, f := range features {
				q[i] = quoteLike(d.text(d.valSpan(w)), f)
			}
			text = "{ workspace = true, features = [" + strings.Join(q, ", ") + "] }"
		}
		v := d.valSpan(w)
		return []textedit.Edit{{Start: v.Start, End: v.End, New: text}}
	case kInline:
		for _, kv := range d.kidsOf(w) {
			if ps := d.keys(kv); len(ps) == 1 && ps[0].name == "version" {
				es := []textedit.Edit{{Start: d.startOf(kv), End: d.endOf(kv), New: "workspace = true"}}
				if len(features) > 0 {
					es = append(es, d.EditDependency(dep, FieldEdit{Features: features})...)
				}
				return es
			}
		}
	}
	return nil
}
