package tomledit

import "github.com/pelletier/go-toml/v2/unstable"

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
	var out []Target
	for _, t := range d.tables[1:] {
		if len(t.parts) != 1 || !targetKinds[t.parts[0].name] || t.array == (t.parts[0].name == "lib") {
			continue
		}
		tg := Target{Kind: t.parts[0].name, Start: t.start}
		for _, kv := range t.kvs {
			if len(kv.parts) != 1 || kv.val.kind != unstable.String {
				continue
			}
			switch kv.parts[0].name {
			case "name":
				tg.Name = kv.val.str
			case "path":
				tg.Path, tg.PathSpan = kv.val.str, kv.val.span
			}
		}
		out = append(out, tg)
	}
	return out
}

// BuildScript returns [package].build. set is false when the key is absent
// (cargo then uses build.rs when that file exists); `build = false` gives
// ("", true) and `build = true` gives ("build.rs", true).
func (d *Doc) BuildScript() (path string, set bool) {
	pkg, _ := d.data["package"].(map[string]any)
	switch v := pkg["build"].(type) {
	case string:
		return v, true
	case bool:
		if v {
			return "build.rs", true
		}
		return "", true
	}
	return "", false
}
