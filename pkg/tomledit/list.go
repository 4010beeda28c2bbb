package tomledit

import (
	"bytes"
	"slices"
	"strings"

	"jemfix/pkg/textedit"
)

// AddArrayElement appends values, in order, to the array of feature f,
// each quoted like the array's last string, in one edit: several calls
// for one array would insert at the same place. The array keeps its
// layout:
//   - one line: `, "value"` goes right after the last element, so a
//     trailing comma stays trailing: ["a", "b",] becomes ["a", "b", "value",];
//   - one element per line: a new line after the last element, indented
//     like it, with a trailing comma when the last element had one (else a
//     comma is added after the old last element and the new one has none);
//   - empty: ["value"].
func (d *Doc) AddArrayElement(f *Feature, values ...string) []textedit.Edit {
	d.withSyntax()
	kv := d.featKV(f.Name)
	if kv == noRef || len(values) == 0 {
		return nil
	}
	qs := make([]string, len(values))
	for i, v := range values {
		qs[i] = basicQuote(v)
		if elems := d.kidsOf(kv); len(elems) > 0 {
			qs[i] = quoteLike(d.text(d.itemSpan(elems[len(elems)-1])), v)
		}
	}
	return d.addItem(kv, qs...)
}

// multiLine reports whether the array or inline table v spans lines.
func (d *Doc) multiLine(v ref) bool {
	s := d.valSpan(v)
	return bytes.IndexByte(d.bytes()[s.Start:s.End], '\n') >= 0
}

// trailingComma returns the offset just past the comma that follows an item
// ending at end, or -1 when there is none.
func (d *Doc) trailingComma(end int) int {
	src := d.bytes()
	i := skipBlank(src, end)
	if i < len(src) && src[i] == ',' {
		return i + 1
	}
	return -1
}

// commaBelow returns the offset just past a comma that follows an item
// ending at end on a later line (after line endings and comments), or -1.
// It is the item's separator, so it goes with the item.
func (d *Doc) commaBelow(end int) int {
	src := d.bytes()
	i := skipBlank(src, end)
	if i >= len(src) || (src[i] != '\r' && src[i] != '\n' && src[i] != '#') {
		return -1
	}
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n':
			i++
		case '#':
			i = lineEnd(src, i)
		case ',':
			return i + 1
		default:
			return -1
		}
	}
	return -1
}

// addItem appends texts as the last items of the array or inline table v,
// following its layout (see AddArrayElement): on one line they share the
// separator of the last two items; one per line, each gets its own line.
func (d *Doc) addItem(v ref, texts ...string) []textedit.Edit {
	items := d.items(v)
	if len(items) == 0 {
		return []textedit.Edit{d.addFirstItem(v, texts)}
	}
	last := items[len(items)-1]
	if !d.multiLine(v) || !d.onlyFillAfter(last.End) {
		sep := ", "
		if n := len(items); n > 1 {
			if s := d.text(Span{items[n-2].End, items[n-1].Start}); !strings.ContainsAny(s, "\n#") {
				sep = s
			}
		}
		return []textedit.Edit{{Start: last.End, End: last.End, New: sep + strings.Join(texts, sep)}}
	}
	ind := d.indent(last.Start)
	line := ind + strings.Join(texts, ","+d.eol(last.Start)+ind)
	if d.trailingComma(last.End) >= 0 {
		return []textedit.Edit{d.lineAfter(last.End, line+",")}
	}
	return []textedit.Edit{{Start: last.End, End: last.End, New: ","}, d.lineAfter(last.End, line)}
}

func (d *Doc) addFirstItem(v ref, texts []string) textedit.Edit {
	span := d.valSpan(v)
	open, end := span.Start+1, span.End-1
	pad := ""
	if d.at(v).kind == kInline {
		pad = " "
	}
	if strings.Trim(d.text(Span{open, end}), " \t") == "" {
		return textedit.Edit{Start: open, End: end, New: pad + strings.Join(texts, ", ") + pad}
	}
	// Only comments and line endings inside: start a line after the bracket.
	ind := d.indent(end) + "    "
	return d.lineAfter(open, ind+strings.Join(texts, ","+d.eol(open)+ind)+",")
}

// ownsLine reports whether the item at s sits alone on its line(s) of a
// multi-line list, with its comma (if it needs one) on the same line.
func (d *Doc) ownsLine(s Span, isLast bool) bool {
	return d.firstOnLine(s.Start) && d.onlyFillAfter(s.End) && (isLast || d.trailingComma(s.End) >= 0)
}

// removeItems deletes the items at the given indexes of the array or
// inline table v (see RemoveArrayElement for what goes with each).
func (d *Doc) removeItems(v ref, drop []int) []textedit.Edit {
	items := d.items(v)
	gone := make([]bool, len(items))
	for _, i := range drop {
		gone[i] = true
	}
	keep := -1 // the last item kept
	for i := range items {
		if !gone[i] {
			keep = i
		}
	}
	multi := d.multiLine(v)
	if keep < 0 && !multi {
		span := d.valSpan(v)
		return []textedit.Edit{{Start: span.Start + 1, End: span.End - 1}}
	}
	var dels []Span
	for i, s := range items {
		switch {
		case !gone[i]:
		case multi && d.ownsLine(s, i == len(items)-1):
			dels = append(dels, Span{d.ownedStart(s.Start), lineEnd(d.bytes(), s.End)})
		case i < keep:
			dels = append(dels, Span{s.Start, items[i+1].Start})
		case keep >= 0:
			dels = append(dels, Span{items[keep].End, s.End})
		default:
			dels = append(dels, Span{s.Start, max(s.End, d.trailingComma(s.End))})
			if c := d.commaBelow(s.End); c >= 0 {
				dels = append(dels, Span{c - 1, c})
			}
		}
	}
	if keep < 0 && d.onlySpaceLeft(v, dels) {
		span := d.valSpan(v)
		return []textedit.Edit{{Start: span.Start + 1, End: span.End - 1}}
	}
	n := len(items)
	if keep >= 0 && gone[n-1] && d.trailingComma(items[n-1].End) < 0 {
		if c := d.trailingComma(items[keep].End); c >= 0 {
			dels = append(dels, Span{c - 1, c})
		}
	}
	return deletions(dels)
}

// onlySpaceLeft reports whether deleting dels from the list v leaves
// nothing but spaces and line endings between its brackets: an emptied
// multi-line list then becomes [] rather than a bracket on a line of its
// own. A comment left inside keeps the lines as they are.
func (d *Doc) onlySpaceLeft(v ref, dels []Span) bool {
	src := d.bytes()
	span := d.valSpan(v)
	at := span.Start + 1
	for _, s := range mergeSpans(dels) {
		if strings.TrimSpace(string(src[at:max(at, s.Start)])) != "" {
			return false
		}
		at = max(at, s.End)
	}
	return strings.TrimSpace(string(src[min(at, span.End-1):span.End-1])) == ""
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(spans []Span) []Span {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// deletions turns possibly overlapping ranges into disjoint deleting edits.
func deletions(spans []Span) []textedit.Edit {
	var out []textedit.Edit
	for _, s := range mergeSpans(spans) {
		out = append(out, textedit.Edit{Start: s.Start, End: s.End})
	}
	return out
}
