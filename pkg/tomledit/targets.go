package tomledit

import "slices"

// Target is one build target a manifest declares in [lib], [[bin]],
// [[example]], [[test]] or [[bench]]. Targets cargo finds by its default
// layout (src/main.rs, tests/*.rs, …) are not listed.
type Target struct {
	Kind     string // "lib", "bin", "example", "test" or "bench"
	Name     string // the name = "…" value, "" when absent
	Path     string // the path = "…" value, "" when absent
	PathSpan Span   // the path string token, quotes included; zero when absent
	Start    int    // offset of the table header's '['
}

var targetKinds = map[string]bool{"lib": true, "bin": true, "example": true, "test": true, "bench": true}

// Targets returns the declared build targets in source order. [lib] is a
// table; the others are arrays of tables ([[bin]]).
func (d *Doc) Targets() []Target {
	if d.rare == nil {
		return nil
	}
	return clone(d.rare.targets)
}

// noteTarget starts a Target when the header r declares one.
func (b *builder) noteTarget(r ref) {
	b.tgt = -1
	ps, t := b.keys(r), b.at(r)
	if len(ps) != 1 || !targetKinds[ps[0].name] || (t.kind == kArrayTable) == (ps[0].name == "lib") {
		return
	}
	b.tgts = append(b.tgts, Target{Kind: ps[0].name, Start: int(t.start)})
	b.tgt = len(b.tgts) - 1
}

// noteTargetField records the name or path the top-level key/value r sets
// on the target being read.
func (b *builder) noteTargetField(r ref) {
	ps := b.keys(r)
	if b.tgt < 0 || len(ps) != 1 || b.at(r).kind != kString {
		return
	}
	b.setTargetField(&b.tgts[b.tgt], ps[0].name, r)
}

// noteLibField records a string the document's top level sets on the
// library without a [lib] header: `lib.name = "…"`, or `lib = { name =
// "…" }`; path is the key/value r's full key path.
func (b *builder) noteLibField(r ref, path []part) {
	if len(path) != 2 || path[0].name != "lib" || b.at(r).kind != kString {
		return
	}
	i := slices.IndexFunc(b.tgts, func(t Target) bool { return t.Kind == "lib" })
	if i < 0 {
		b.tgts = append(b.tgts, Target{Kind: "lib", Start: int(b.at(r).start)})
		i = len(b.tgts) - 1
	}
	b.setTargetField(&b.tgts[i], path[1].name, r)
}

// setTargetField sets the name or path of tg from the string key/value r.
func (b *builder) setTargetField(tg *Target, key string, r ref) {
	switch key {
	case "name":
		tg.Name = b.str(r)
	case "path":
		tg.Path, tg.PathSpan = b.str(r), b.span(b.value(r).Raw)
	}
}

// BuildScript returns [package].build. set is false when the key is absent
// (cargo then uses build.rs when that file exists); `build = false` gives
// ("", true) and `build = true` gives ("build.rs", true).
func (d *Doc) BuildScript() (path string, set bool) {
	for _, p := range d.props {
		if p.ws || d.propKey(p) != "build" {
			continue
		}
		switch {
		case p.kind == kString:
			return p.val, true
		case p.val == "true":
			return "build.rs", true
		}
		return "", true
	}
	return "", false
}
