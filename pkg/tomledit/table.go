package tomledit

import (
	"slices"
	"strings"

	"jemfix/pkg/textedit"
)

// tableMatch matches the table named by path exactly.
func tableMatch(path []string) func([]part) (int, bool) {
	return func(p []part) (int, bool) {
		if len(p) < len(path) {
			return 0, false
		}
		for i, name := range path {
			if p[i].name != name {
				return 0, false
			}
		}
		return len(path), true
	}
}

// SetTableValue sets `key = valueTOML` in the table named by path, such as
// []string{"workspace"}. An existing value is replaced in place, keeping the
// key and the spacing around '='; a new entry goes where AddDependency puts
// one (after the last entry, or in sorted position when the table was
// sorted, or right after the header of an empty table). It returns nil when
// the table is not written in the document.
func (d *Doc) SetTableValue(path []string, key, valueTOML string) []textedit.Edit {
	d.withSyntax()
	s := d.findSlot(tableMatch(path))
	for i, kv := range s.entries {
		if ps := d.keys(kv); ps[s.idx[i]].name == key && len(ps) == s.idx[i]+1 {
			return []textedit.Edit{{Start: d.valStart(kv), End: d.endOf(kv), New: valueTOML}}
		}
	}
	return d.insertEntry(s, key, valueTOML)
}

// RenameFeature renames the feature f in place; its array stays as written.
func (d *Doc) RenameFeature(f *Feature, name string) textedit.Edit {
	return textedit.Edit{Start: f.NameSpan.Start, End: f.NameSpan.End, New: keyLike(d.text(f.NameSpan), name)}
}

// RemoveArrayElements removes refs, found by their spans, from the array
// of feature f, in one go: removing them one call at a time could leave
// overlapping edits around shared commas. An element alone on its line goes
// with its whole line, its end-of-line comment and the comment lines
// directly above it; otherwise it goes with the comma and spaces that
// follow it (or, for the last element, that precede it). The array keeps
// its trailing comma style, and an emptied one-line array becomes [].
func (d *Doc) RemoveArrayElements(f *Feature, refs []Ref) []textedit.Edit {
	d.withSyntax()
	kv := d.featKV(f.Name)
	if kv == noRef {
		return nil
	}
	var drop []int
	for i, e := range d.kidsOf(kv) {
		for _, r := range refs {
			if d.itemSpan(e) == r.Span {
				drop = append(drop, i)
			}
		}
	}
	if len(drop) == 0 {
		return nil
	}
	return d.removeItems(kv, drop)
}

// AddDepFeature makes dependency dep enable feature: the string goes at
// the end of the entry's features array (AddArrayElement's layout rules),
// or a `features = ["feature"]` field is added: last in an inline table,
// as a dotted line after the entry's last one, or after the header of a
// [dependencies.x] table. It returns nil when the entry has neither form
// (a plain version string) or already enables feature.
func (d *Doc) AddDepFeature(dep *Dep, feature string) []textedit.Edit {
	info := d.lookup(dep) // with the syntax
	if info == nil || info.dep.Enables(feature) {
		return nil
	}
	q := basicQuote(feature)
	for _, kv := range append(slices.Clone(info.dotted), d.fieldKVs(info)...) {
		if ps := d.keys(kv); ps[len(ps)-1].name == "features" && d.at(kv).kind == kArray {
			if elems := d.kidsOf(kv); len(elems) > 0 {
				q = quoteLike(d.text(d.itemSpan(elems[len(elems)-1])), feature)
			}
			return d.addItem(kv, q)
		}
	}
	field := "features = [" + q + "]"
	switch {
	case info.whole != noRef && d.at(info.whole).kind == kInline:
		return d.addItem(info.whole, field)
	case d.sub(info) != noRef:
		t := d.sub(info)
		ind := d.indent(d.startOf(t))
		if kids := d.kidsOf(t); len(kids) > 0 {
			ind = d.indent(d.startOf(kids[0]))
		}
		return []textedit.Edit{d.lineAfter(d.startOf(t), ind+field)}
	case len(info.dotted) > 0:
		last := info.dotted[len(info.dotted)-1]
		head := d.text(Span{d.startOf(last), int(d.keys(last)[d.depIndex(last)].end)})
		return []textedit.Edit{d.lineAfter(d.endOf(last), d.indent(d.startOf(last))+head+".features = ["+q+"]")}
	}
	return nil
}

// fieldKVs returns the fields of an entry written inside its inline table
// or under its sub-table.
func (d *Doc) fieldKVs(info *depInfo) []ref {
	var out []ref
	if info.whole != noRef && d.at(info.whole).kind == kInline {
		out = append(out, d.kidsOf(info.whole)...)
	}
	if t := d.sub(info); t != noRef {
		out = append(out, d.kidsOf(t)...)
	}
	return out
}

// FeatureEntry is one feature for AddFeatures.
type FeatureEntry struct {
	Name string
	Refs []string
}

// AddFeatures adds several features with the placement of AddFeature. When
// [features] is missing, it is created once, holding all of them.
func (d *Doc) AddFeatures(entries []FeatureEntry) []textedit.Edit {
	if len(entries) == 0 {
		return nil
	}
	d.withSyntax()
	first := d.AddFeature(entries[0].Name, entries[0].Refs)
	if len(first) != 1 || !strings.Contains(first[0].New, "[features]") {
		for _, e := range entries[1:] {
			first = append(first, d.AddFeature(e.Name, e.Refs)...)
		}
		return first
	}
	eol := d.eol(max(first[0].Start-1, 0))
	for _, e := range entries[1:] {
		// The created table quotes like AddFeature does: basic strings.
		quoted := make([]string, len(e.Refs))
		for i, r := range e.Refs {
			quoted[i] = basicQuote(r)
		}
		first[0].New += keyLike("", e.Name) + " = [" + strings.Join(quoted, ", ") + "]" + eol
	}
	return first
}
