package tomledit

import "jemfix/pkg/textedit"

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
	s := d.findSlot(tableMatch(path))
	for i, kv := range s.entries {
		if kv.parts[s.idx[i]].name == key && len(kv.parts) == s.idx[i]+1 {
			return []textedit.Edit{{Start: kv.valStart, End: kv.end, New: valueTOML}}
		}
	}
	return d.insertEntry(s, key, valueTOML)
}

// RenameFeature renames the feature f in place; its array stays as written.
func (d *Doc) RenameFeature(f *Feature, name string) textedit.Edit {
	return textedit.Edit{Start: f.NameSpan.Start, End: f.NameSpan.End, New: keyLike(d.text(f.NameSpan), name)}
}

// RemoveArrayElements removes several refs from the array of feature f in
// one go, with the placement rules of RemoveArrayElement; removing them one
// call at a time could leave overlapping edits around shared commas.
func (d *Doc) RemoveArrayElements(f *Feature, refs []Ref) []textedit.Edit {
	kv := d.featKV[f.Name]
	if kv == nil {
		return nil
	}
	var drop []int
	for i, e := range kv.val.elems {
		for _, r := range refs {
			if e.span == r.Span {
				drop = append(drop, i)
			}
		}
	}
	if len(drop) == 0 {
		return nil
	}
	return d.removeItems(kv.val, drop)
}
