package tomledit

import "jemfix/pkg/textedit"

// ProfilePackage is one place a manifest writes the spec of a package
// override, [profile.<name>.package.<spec>], in any form: its own header,
// a key of [profile.<name>.package], a dotted key, an inline table.
type ProfilePackage struct {
	Profile string // the profile's name, e.g. "release"
	Spec    string // the decoded spec, e.g. "jemalloc-sys" or "jemalloc-sys@0.5.4"
	Span    Span   // the spec's key part, quotes included
}

// ProfilePackages lists, in source order, the package override specs of
// the document's [profile.*] tables. "*" (every dependency) is left out.
func (d *Doc) ProfilePackages() []ProfilePackage {
	d.withSyntax()
	var out []ProfilePackage
	var buf []part
	for r := ref(1); int(r) < len(d.syntax.nodes); r++ {
		n := d.at(r)
		if !n.header() && !n.visit {
			continue
		}
		buf = d.full(r, buf[:0])
		own := d.prefixLen(r)
		if len(buf) < 4 || buf[0].name != "profile" || buf[2].name != "package" || own > 3 || buf[3].name == "*" {
			continue
		}
		out = append(out, ProfilePackage{Profile: buf[1].name, Spec: buf[3].name, Span: buf[3].span()})
	}
	return out
}

// RenameKeyPart writes name in place of the key part at span, keeping its
// quoting when name allows it (as RenameDependency does).
func (d *Doc) RenameKeyPart(span Span, name string) textedit.Edit {
	return textedit.Edit{Start: span.Start, End: span.End, New: keyLike(d.text(span), name)}
}
