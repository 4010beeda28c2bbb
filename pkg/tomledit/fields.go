package tomledit

import (
	"slices"
	"strings"

	"jemfix/pkg/textedit"
)

// FieldEdit is a change to the fields of one dependency entry, made in one
// go by EditDependency so that its parts never overlap.
type FieldEdit struct {
	// Features are enabled in order; those the entry already enables, and
	// repeats, are skipped.
	Features []string
	// Drop lists fields to remove, such as "optional". "default-features"
	// and "default_features" name the same field. Drop must not hold
	// "features" when Features is set.
	Drop []string
	// Unfeature lists features to take out of the entry's features array
	// (RemoveArrayElements' layout rules); it must be empty when Features
	// is set.
	Unfeature []string
	// Key is the key the same change gives the entry (RenameDependency),
	// or "": a field written on a dotted line of its own
	// (`key.features = […]`) is written under it.
	Key string
}

// RemoveDepField removes field from dep, wherever it is written (see
// EditDependency). It returns nil when the entry does not write it.
func (d *Doc) RemoveDepField(dep *Dep, field string) []textedit.Edit {
	return d.EditDependency(dep, FieldEdit{Drop: []string{field}})
}

// EditDependency enables features on dep and removes fields from it.
//
// A removed field goes the way DropDependency removes an entry: a
// `key.field = ...` or sub-table `field = ...` line goes whole, with its
// end-of-line comment and the comment lines directly above it; an item of
// an inline table goes with its separating comma.
//
// New features go at the end of the entry's features array (AddArrayElement's
// layout rules). When the entry has no features array, a `features = [...]`
// field is written:
//   - in the place of the first removed field, when a field is removed, so
//     that no separator moves;
//   - otherwise as the last item of an inline table, as a dotted line after
//     the entry's last dotted line (spelled and spaced like it), or as a line
//     after the last line of a [dependencies.x] table (indented like it);
//   - a plain string `x = "0.5"` becomes `x = { version = "0.5", features = [...] }`,
//     by insertions around the string, so SetVersion's edit still applies.
//
// Feature strings are quoted like the array's last string, else like the
// version string. EditDependency returns nil when there is nothing to do, or
// when the entry's features field is not an array.
func (d *Doc) EditDependency(dep *Dep, fe FieldEdit) []textedit.Edit {
	info := d.lookup(dep) // with the syntax
	if info == nil {
		return nil
	}
	cur := info.dep
	var add []string
	for _, f := range fe.Features {
		if !cur.Enables(f) && !slices.Contains(add, f) {
			add = append(add, f)
		}
	}
	drops := d.fieldWrites(info, fe.Drop)
	var edits []textedit.Edit
	if arr := d.featuresArray(info); arr != noRef && len(fe.Unfeature) > 0 {
		var gone []int
		for i, e := range d.kidsOf(arr) {
			for _, r := range cur.FeatureRefs {
				if d.itemSpan(e) == r.Span && slices.Contains(fe.Unfeature, r.Value) {
					gone = append(gone, i)
				}
			}
		}
		if len(gone) > 0 {
			edits = append(edits, d.removeItems(arr, gone)...)
		}
	}
	if len(add) == 0 && len(drops) == 0 {
		return edits
	}
	if len(add) > 0 {
		arr := d.featuresArray(info)
		switch {
		case arr != noRef:
			style := ""
			if elems := d.kidsOf(arr); len(elems) > 0 {
				style = d.text(d.itemSpan(elems[len(elems)-1]))
			}
			edits = append(edits, d.addItem(arr, d.quoteAll(style, cur, add)...)...)
		case slices.Contains(cur.Fields, "features"):
			return nil
		case len(drops) > 0:
			edits = append(edits, d.replaceField(drops[0], "features = "+d.featureArray(cur, add)))
			drops = drops[1:]
		default:
			e := d.addField(info, "features", d.featureArray(cur, add), fe.Key)
			if e == nil {
				return nil
			}
			edits = append(edits, e...)
		}
	}
	return append(edits, d.removeKVs(drops)...)
}

// fieldKV is one written field of an entry: kv, whose key part idx names
// the field.
type fieldKV struct {
	kv  ref
	idx int
}

// fieldWrites returns where the entry writes any of the fields names: in its
// inline table, as dotted lines, or under its [dependencies.x] header.
func (d *Doc) fieldWrites(info *depInfo, names []string) []fieldKV {
	canon := func(name string) string {
		if name == "default_features" {
			return "default-features"
		}
		return name
	}
	match := func(name string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return canon(n) == canon(name) })
	}
	var out []fieldKV
	for _, kv := range d.fieldKVs(info) {
		if match(d.keys(kv)[0].name) {
			out = append(out, fieldKV{kv, 0})
		}
	}
	for _, kv := range info.dotted {
		if i, ps := d.depIndex(kv)+1, d.keys(kv); i < len(ps) && match(ps[i].name) {
			out = append(out, fieldKV{kv, i})
		}
	}
	return out
}

// featuresArray returns the key/value of the entry's features array, or
// noRef.
func (d *Doc) featuresArray(info *depInfo) ref {
	for _, f := range d.fieldWrites(info, []string{"features"}) {
		if f.idx == len(d.keys(f.kv))-1 && d.at(f.kv).kind == kArray {
			return f.kv
		}
	}
	return noRef
}

// quoteAll quotes each feature like style, else like dep's version string.
func (d *Doc) quoteAll(style string, dep *Dep, feats []string) []string {
	if style == "" && dep.VersionSpan != (Span{}) {
		style = d.text(dep.VersionSpan)
	}
	out := make([]string, len(feats))
	for i, f := range feats {
		out[i] = quoteLike(style, f)
	}
	return out
}

func (d *Doc) featureArray(dep *Dep, feats []string) string {
	return "[" + strings.Join(d.quoteAll("", dep, feats), ", ") + "]"
}

// replaceField writes `field = val` (text, given whole) in the place of the
// written field f, keeping the key path before the field and the spacing
// around '='.
func (d *Doc) replaceField(f fieldKV, text string) textedit.Edit {
	kv, ps := f.kv, d.keys(f.kv)
	name, val, _ := strings.Cut(text, " = ")
	head := d.text(Span{d.startOf(kv), int(ps[f.idx].start)})
	sep := d.text(Span{int(ps[f.idx].end), d.valStart(kv)})
	if f.idx != len(ps)-1 {
		// `optional.x = ...` is no Cargo field; keep the key's own spacing.
		sep = d.text(Span{d.keyEnd(kv), d.valStart(kv)})
	}
	return textedit.Edit{Start: d.startOf(kv), End: d.endOf(kv), New: head + name + sep + val}
}

// addField adds `field = val` to an entry that does not write it, in the
// places EditDependency lists.
func (d *Doc) addField(info *depInfo, field, val, key string) []textedit.Edit {
	if w := info.whole; w != noRef {
		switch d.at(w).kind {
		case kInline:
			return d.addItem(w, field+" = "+val)
		case kString:
			s := d.valSpan(w)
			return []textedit.Edit{
				{Start: s.Start, End: s.Start, New: "{ version = "},
				{Start: s.End, End: s.End, New: ", " + field + " = " + val + " }"},
			}
		}
		return nil
	}
	if t := d.sub(info); t != noRef {
		if kids := d.kidsOf(t); len(kids) > 0 {
			last := kids[len(kids)-1]
			return []textedit.Edit{d.lineAfter(d.endOf(last), d.indent(d.startOf(last))+field+" = "+val)}
		}
		return []textedit.Edit{d.lineAfter(d.startOf(t), d.indent(d.startOf(t))+field+" = "+val)}
	}
	if n := len(info.dotted); n > 0 {
		return d.dottedField(info.dotted[n-1], field, val, key)
	}
	return nil
}

// removeKVs removes written fields: top-level lines whole (dropLines), and
// items of inline tables with their separators.
func (d *Doc) removeKVs(fs []fieldKV) []textedit.Edit {
	kvs := make([]ref, len(fs))
	for i, f := range fs {
		kvs[i] = f.kv
	}
	return d.removeKeyValues(kvs, nil)
}
