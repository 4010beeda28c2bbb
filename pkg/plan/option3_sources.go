package plan

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"jemfix/pkg/docs"
	"jemfix/pkg/family"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// Option 3: the members' sources and the owner's re-exports.

// adjustFor returns how a non-owner member's source edits are finished:
// owner::jemallocator::Jemalloc becomes owner::Jemalloc, and a global
// allocator with no feature cfg gets allocCfg, the cfg under which the
// owner now provides the allocator to this member.
//
// A plain `extern crate jemallocator;` (with its attribute lines) goes:
// every path it served now names the owner (edition 2015 crates are
// refused before, edition2015). One with an alias or `pub` is reported as
// KindExternCrate, which makes Option 3 refuse.
func (c *consolidation) adjustFor(allocCfg, owner string) adjustFunc {
	return func(src []byte, res rustedit.Result) rustedit.Result {
		return c.adjustSources(src, res, allocCfg, owner)
	}
}

// KindExternCrate marks an `extern crate` of a dropped crate that Option 3
// cannot remove; it refuses rather than report it.
const KindExternCrate = "extern-crate"

func (c *consolidation) adjustSources(src []byte, res rustedit.Result, allocCfg, owner string) rustedit.Result {
	alloc := owner + "::" + reexports[family.Allocator]
	var out []textedit.Edit
	for _, e := range res.Edits {
		switch {
		case externCrate(src, e.Start):
			if del, ok := plainExternCrate(src, e.Start, e.End); ok {
				out = append(out, del)
				continue
			}
			res.Skipped = append(res.Skipped, rustedit.Skip{Offset: e.Start, Kind: KindExternCrate,
				Reason: fmt.Sprintf("`extern crate %s` with an alias or `pub` would still name the dropped crate, and jemfix does not rewrite it", src[e.Start:e.End])})
			continue
		case e.New == alloc && bytes.HasPrefix(src[e.End:], []byte("::Jemalloc")) && !bytes.HasPrefix(src[e.End+len("::Jemalloc"):], []byte("::")):
			e = textedit.Edit{Start: e.Start, End: e.End + len("::Jemalloc"), New: owner + "::Jemalloc"}
		}
		out = append(out, e)
	}
	if rustedit.BindsLocally(src, owner) {
		// A module, item or import of the file named like the owner
		// would take owner::… paths: they start at the extern prelude.
		for i, e := range out {
			if strings.HasPrefix(e.New, owner+"::") {
				out[i].New = "::" + e.New
			}
		}
	}
	res.Edits = append(out, allocatorCfg(src, allocCfg, out, owner)...)
	return res
}

// plainExternCrate returns the deletion of the item `extern crate NAME;`
// whose name spans start..end, with the attribute lines above it, when the
// item has a line of its own and no alias.
func plainExternCrate(src []byte, start, end int) (textedit.Edit, bool) {
	text := string(src)
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	if strings.Join(strings.Fields(text[lineStart:start]), " ") != "extern crate" {
		return textedit.Edit{}, false // pub extern crate re-exports it, or the line holds more
	}
	rest := strings.TrimLeft(text[end:], " \t")
	if !strings.HasPrefix(rest, ";") {
		return textedit.Edit{}, false // an alias
	}
	after := len(text) - len(rest) + 1
	lineEnd := len(text)
	if i := strings.IndexByte(text[after:], '\n'); i >= 0 {
		lineEnd = after + i + 1
	}
	if strings.TrimSpace(text[after:lineEnd]) != "" {
		return textedit.Edit{}, false // something else on the line
	}
	// Its outer attributes go with it, each on a line of its own; an
	// attribute over several lines, or a doc comment, is left to a person.
	first := lineStart
	for first > 0 {
		prev := strings.LastIndexByte(text[:first-1], '\n') + 1
		line := strings.TrimSpace(text[prev:first])
		switch {
		case strings.HasPrefix(line, "#[") && strings.HasSuffix(line, "]"):
			first = prev
			continue
		case strings.HasPrefix(line, "///"):
			return textedit.Edit{}, false
		case line == "" || strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#!["),
			strings.HasSuffix(line, ";"), strings.HasSuffix(line, "{"), strings.HasSuffix(line, "}"):
		default:
			return textedit.Edit{}, false
		}
		break
	}
	// Between blank lines (or at the top of the file) it takes one of them
	// along, as a removed manifest entry does.
	if next := strings.IndexByte(text[lineEnd:], '\n'); next >= 0 && strings.TrimSpace(text[lineEnd:lineEnd+next]) == "" &&
		(first == 0 || strings.TrimSpace(text[strings.LastIndexByte(text[:first-1], '\n')+1:first]) == "") {
		lineEnd += next + 1
	}
	return textedit.Edit{Start: first, End: lineEnd}, true
}

// externCrate reports whether the identifier at off follows `extern crate`.
func externCrate(src []byte, off int) bool {
	before := strings.Fields(string(src[max(0, off-64):off]))
	n := len(before)
	return n >= 2 && before[n-2] == "extern" && before[n-1] == "crate"
}

// allocatorCfg adds cfg above each #[global_allocator] static that edits
// make name the owner's allocator (owner is its Rust name) and whose
// attributes test no feature: a System or mimalloc static is not touched.
func allocatorCfg(src []byte, cfg string, edits []textedit.Edit, owner string) []textedit.Edit {
	if cfg == "" {
		return nil
	}
	var out []textedit.Edit
	text := string(src)
	for off := 0; ; {
		i := strings.Index(text[off:], "#[global_allocator]")
		if i < 0 {
			return out
		}
		at := off + i
		off = at + 1
		start := strings.LastIndexByte(text[:at], '\n') + 1
		end := strings.IndexByte(text[at:], ';')
		if end < 0 {
			end = len(text) - at
		}
		named := slices.ContainsFunc(edits, func(e textedit.Edit) bool {
			return e.Start >= at && e.Start < at+end && strings.HasPrefix(e.New, owner+"::")
		})
		attrs := attrsAbove(text, start)
		covered := strings.Contains(attrs, "feature") || (!strings.Contains(cfg, "feature") && strings.Contains(attrs, "cfg("))
		if !named || strings.TrimSpace(text[start:at]) != "" || covered {
			continue
		}
		eol := docs.LineEnding(src)
		line := text[start:at] + cfgAttr(cfg, text[start:at], eol) + eol
		out = append(out, textedit.Edit{Start: start, End: start, New: line})
	}
}

// attrsAbove returns the text of the attributes directly above the line
// starting at start, one-line or spread over several lines
// (#[cfg(all(\n feature = "x",\n))]): the lines up to a blank line, a
// comment or the end of the item before.
func attrsAbove(text string, start int) string {
	first := start
	for first > 0 {
		prev := strings.LastIndexByte(text[:first-1], '\n') + 1
		line := strings.TrimSpace(text[prev : first-1])
		if line == "" || strings.HasPrefix(line, "//") || (!strings.HasPrefix(line, "#[") && strings.HasSuffix(line, ";")) ||
			strings.HasSuffix(line, "{") || (strings.HasSuffix(line, "}") && !strings.HasPrefix(line, "#[")) {
			break
		}
		first = prev
	}
	return text[first:start]
}

// reexport appends the owner's re-exports to its lib.rs.
func (c *consolidation) reexport() error {
	lib := libRoot(c.owner)
	src, err := c.ws.ReadFile(lib, workspace.MaxSourceSize)
	if err != nil {
		return err
	}
	for _, name := range c.reexportNames() {
		if item := foreignBinding(src, name, c.familyKeys()); item != "" {
			return fmt.Errorf("option 3: %s's library binds %s to something that is not a jemalloc crate (%s), so the members cannot name %s::%s; choose another owner with --into, or rename that item first",
				c.owner.Name, name, item, c.codeName(c.owner), name)
		}
		if bound, _ := rootBinding(src, name); !bound {
			if mac, line, ok := macroBinding(src, name); ok {
				return fmt.Errorf("option 3: %s's library root binds %s inside %s! at %s:%d, under a cfg jemfix cannot read there, so a re-export of %s could bind it twice (E0252); move that binding out of the macro as a `pub use`, or choose another owner with --into",
					c.owner.Name, name, mac, c.ws.Path(lib), line, name)
			}
			for _, inc := range topLevel(src, includeCalls(src)) {
				b, err := c.ws.ReadFile(path.Join(path.Dir(lib), inc.path), workspace.MaxSourceSize)
				if err == nil && (foreignBinding(b, name, nil) != "" || rustedit.BindsLocally(b, name)) {
					line, _ := textedit.LineCol(src, inc.off)
					return fmt.Errorf("option 3: %s's library root pulls in %s with include! at %s:%d, which binds %s, so a re-export of %s would bind it twice; choose another owner with --into",
						c.owner.Name, inc.path, c.ws.Path(lib), line, name, name)
				}
			}
		}
	}
	var stale error
	err = c.p.update(lib, src, func(base []byte) []byte {
		if off, name, crate, ok := staleBinding(base, c.reexportNames(), c.reexported()); ok {
			stale = c.staleRefusal(lib, base, off, name, crate)
			return base
		}
		// The root may bind a name already (`pub use jemalloc_ctl;`,
		// rewritten to `pub use tikv_jemalloc_ctl as jemalloc_ctl;`): the
		// re-export then serves only where that binding's cfg does not.
		base = publishRoot(base, c.reexportNames(), c.reexported())
		// A private `extern crate tikv_jemalloc_ctl;` at the root would
		// make `pub use tikv_jemalloc_ctl as …` re-export a private item,
		// which rustc refuses: in edition 2018 and later it serves
		// nothing, and goes when a re-export is written.
		trimmed := dropPlainExternCrates(base, c.reexported())
		text := c.reexportText(docs.LineEnding(src), trimmed)
		if text == "" || bytes.Contains(base, []byte("jemfix option 3")) {
			return base
		}
		base = trimmed
		sep := ""
		if len(base) > 0 && base[len(base)-1] != '\n' {
			sep = docs.LineEnding(src)
		}
		return append(append(slices.Clone(base), sep...), text...)
	})
	if err != nil {
		return err
	}
	return stale
}

// staleRefusal says why Option 3 stops at a root import of a re-exported
// name from a family crate the owner does not depend on, which the
// finishing rename (finishOwner) left: a file it could not rewrite.
func (c *consolidation) staleRefusal(lib string, base []byte, off int, name, crate string) error {
	nu := crate
	if fc, ok := family.Lookup(strings.ReplaceAll(crate, "_", "-")); ok {
		nu = workspace.RustName(c.ownerKey(fc.Role))
	}
	line, _ := textedit.LineCol(base, off)
	why := ""
	for _, s := range c.p.Skipped {
		if s.File == lib { // the error ends the run: the report of the skip would not be printed
			why = fmt.Sprintf(" (%s: %s)", s.At, s.Reason)
			break
		}
	}
	return fmt.Errorf("option 3: %s's library root imports %s from %s at %s:%d, a crate %s does not depend on, and jemfix could not rename it%s; its re-export of %s would bind the name a second time (E0252). Make that import name %s by hand, or use option 1",
		c.owner.Name, name, crate, c.ws.Path(lib), line, c.owner.Name, why, name, nu)
}

// reexportNames lists the names the owner's re-exports bind:
// jemallocator, jemalloc_ctl, jemalloc_sys, and Jemalloc.
func (c *consolidation) reexportNames() []string {
	var out []string
	for _, role := range []family.Role{family.Allocator, family.Control, family.Sys} {
		if c.roles[role] != nil || c.cfg[role] != "" {
			out = append(out, reexports[role])
		}
	}
	if c.roles[family.Allocator] != nil || c.cfg[family.Allocator] != "" {
		out = append(out, "Jemalloc")
	}
	return out
}

// familyKeys lists the Rust names of the owner's own family entries, as
// its code names them (a renamed key: `ctl = { package = … }`).
func (c *consolidation) familyKeys() []string {
	var out []string
	for _, u := range c.familyUses(c.owner) {
		out = append(out, workspace.RustName(u.Dep.Key))
	}
	return out
}

// reexported lists the Rust names of the crates the owner re-exports.
func (c *consolidation) reexported() []string {
	var out []string
	for _, role := range []family.Role{family.Allocator, family.Control, family.Sys} {
		if c.roles[role] != nil || c.cfg[role] != "" {
			out = append(out, workspace.RustName(c.ownerKey(role)))
		}
	}
	return out
}

// importsCrateName reports whether src imports the name of crate name
// itself into its scope: `use name;`, `use name::{self, …}`, or a root
// group that holds it (`use {name, std::fmt};`).
func importsCrateName(src []byte, name string) bool {
	q := regexp.QuoteMeta(name)
	if regexp.MustCompile(`\buse\s+(?:::)?` + q + `\s*(?:;|::\s*\{[^}]*\bself\b)`).Match(src) {
		return true
	}
	code := rustedit.CodeOnly(src)
	return slices.ContainsFunc(rootItems(rootPrivateItem, code), func(l []int) bool { return binds(string(code[l[0]:l[1]]), name) })
}

// dropPlainExternCrates removes the items `extern crate NAME;` (plain, see
// plainExternCrate) of src for each name of names.
func dropPlainExternCrates(src []byte, names []string) []byte {
	var dels []textedit.Edit
	for _, name := range names {
		for off := 0; ; {
			i := bytes.Index(src[off:], []byte(name))
			if i < 0 {
				break
			}
			start := off + i
			off = start + len(name)
			if externCrate(src, start) && (off == len(src) || !identByteASCII(src[off])) {
				if del, ok := plainExternCrate(src, start, off); ok {
					dels = append(dels, del)
				}
			}
		}
	}
	out, err := textedit.Apply(src, dels)
	if err != nil {
		return src // overlapping deletions: leave the file as it is
	}
	return out
}

func (c *consolidation) reexportText(eol string, base []byte) string {
	type line struct{ cfg, path, item string }
	var lines []line
	for _, role := range []family.Role{family.Allocator, family.Control, family.Sys} {
		if c.roles[role] == nil && c.cfg[role] == "" {
			continue
		}
		name, own := workspace.RustName(c.ownerKey(role)), c.cfg[role]
		if importsCrateName(base, name) {
			// `use tikv_jemalloc_ctl::{self, …}` made the name a private
			// import of the root, which `pub use` may not re-export; `::`
			// names the crate itself.
			name = "::" + name
		}
		// Each name goes where the root does not bind it already: nowhere
		// when it does everywhere, else where its binding's cfg fails.
		where := func(bound bool, on string) (string, bool) {
			switch {
			case !bound:
				return own, true
			case on == "" || on == own:
				return "", false // bound wherever the re-export would be
			}
			return notWhere(own, on), true
		}
		add := func(cfg, path, item string) { lines = append(lines, line{cfg, path, "pub use " + path + item + ";"}) }
		crateCfg, crate := where(rootBinding(base, reexports[role]))
		if role == family.Allocator {
			jemCfg, jem := where(rootBinding(base, "Jemalloc")) // a Jemalloc in a module is not owner::Jemalloc
			switch {
			case crate && jem && crateCfg == jemCfg:
				add(crateCfg, name, "::{self as "+reexports[role]+", Jemalloc}")
			default:
				if crate {
					add(crateCfg, name, " as "+reexports[role])
				}
				if jem {
					add(jemCfg, name+"::Jemalloc", "")
				}
			}
		} else if crate {
			add(crateCfg, name, " as "+reexports[role])
		}
	}
	// In rustfmt's order of the paths: `::` ones first, then by segment
	// (tikv_jemalloc_ctl, tikv_jemalloc_sys, tikv_jemallocator: '_' sorts
	// before the letters), a path before the longer ones it starts.
	slices.SortStableFunc(lines, func(a, b line) int {
		ga, gb := strings.HasPrefix(a.path, "::"), strings.HasPrefix(b.path, "::")
		if ga != gb {
			if ga {
				return -1
			}
			return 1
		}
		return slices.Compare(strings.Split(strings.TrimPrefix(a.path, "::"), "::"), strings.Split(strings.TrimPrefix(b.path, "::"), "::"))
	})
	var b strings.Builder
	for _, l := range lines {
		if b.Len() == 0 {
			fmt.Fprintf(&b, "%s// The jemalloc crates, re-exported for the members that use them through %s (jemfix option 3).%s", eol, c.owner.Name, eol)
		}
		if l.cfg != "" {
			fmt.Fprintf(&b, "%s%s", cfgAttr(l.cfg, "", eol), eol)
		}
		fmt.Fprintf(&b, "%s%s", l.item, eol)
	}
	return b.String()
}

// rootBinding reports whether a `pub` item at the root of src (no
// indentation) binds name (`pub use x as name;`, `pub use name;`, `pub
// extern crate x as name;`; not `pub(crate)`, which members cannot
// reach), and the cfg predicate of its attributes (all(…) of several),
// "" when it has none. An attribute that may gate it in a way not read
// here (cfg_attr) makes it count as not bound: the re-export is written
// as without it.
func rootBinding(src []byte, name string) (bound bool, cfg string) {
	code := rustedit.CodeOnly(src)
	var loc []int
	for _, l := range rootItems(rootPubItem, code) {
		if binds(string(code[l[0]:l[1]]), name) {
			loc = l
			break
		}
	}
	if loc == nil {
		return false, ""
	}
	var preds []string
	for end := loc[0]; ; {
		end = len(bytes.TrimRight(code[:end], " \t\r\n"))
		if end < 2 || code[end-1] != ']' {
			break
		}
		open := matchingOpen(code, end-1)
		if open < 1 || code[open-1] != '#' {
			break
		}
		attr := formatCfg(withoutComments(src[open+1 : end-1])) // cfg(…), doc(hidden), …
		call, ok := parseCfg(attr)
		switch {
		case ok && call.name == "cfg" && len(call.args) == 1:
			preds = append(preds, call.args[0].line())
		case ok && call.name == "cfg_attr" && len(call.args) > 1:
			if pred, gated := cfgAttrGate(call); gated {
				preds = append(preds, pred)
			}
		case !ok && strings.HasPrefix(attr, "cfg"):
			return false, "" // a gate not read here: as if unbound
		}
		end = open - 1
	}
	switch len(preds) {
	case 0:
		return true, ""
	case 1:
		return true, preds[0]
	}
	slices.Reverse(preds)
	return true, "all(" + strings.Join(preds, ", ") + ")"
}

// cfgAttrGate reads cfg_attr(pred, attrs…): when attrs hold cfg(c), the
// item is there where pred fails or c holds, any(not(pred), c) (all(…) of
// several cfgs).
func cfgAttrGate(call cfgCall) (string, bool) {
	var cfgs []string
	for _, a := range call.args[1:] {
		if a.name == "cfg" && len(a.args) == 1 {
			cfgs = append(cfgs, a.args[0].line())
		}
	}
	switch len(cfgs) {
	case 0:
		return "", false
	case 1:
		return "any(not(" + call.args[0].line() + "), " + cfgs[0] + ")", true
	}
	return "any(not(" + call.args[0].line() + "), all(" + strings.Join(cfgs, ", ") + "))", true
}

// rootItems returns the spans of the items re matches in code, without
// the attributes that may precede them on their line.
func rootItems(re *regexp.Regexp, code []byte) [][]int {
	var out [][]int
	for _, m := range re.FindAllSubmatchIndex(code, -1) {
		out = append(out, m[2:4])
	}
	return out
}

// itemKeyword finds the keyword that starts a use or extern crate item.
var itemKeyword = regexp.MustCompile(`\b(?:use|extern)\b`)

// rootPubItem matches a `pub use` or `pub extern crate` item that starts
// a line: an item of the root module, where the re-exports go.
var rootPubItem = regexp.MustCompile(`(?m)^(?:#\[[^\n]*\][ \t]*)?(pub[ \t]+(?:use|extern[ \t]+crate)\b[^;]*;)`)

// rootPrivateItem matches a `use` item of the root module that is not
// `pub`: private, or `pub(crate)` and the like.
var rootPrivateItem = regexp.MustCompile(`(?m)^(?:#\[[^\n]*\][ \t]*)?((?:pub\([^)]*\)[ \t]+)?(?:use|extern[ \t]+crate)\b[^;]*;)`)

// publishRoot makes `pub` each root `use` item of src that imports from
// one of crates and binds one of names without being `pub` (`use
// tikv_jemalloc_ctl as jemalloc_ctl;`, `pub(crate) use …`): the re-export
// of that name is then that item, where its cfg holds, instead of a
// second binding, which rustc refuses.
func publishRoot(src []byte, names, crates []string) []byte {
	code := rustedit.CodeOnly(src)
	var edits []textedit.Edit
	for _, l := range rootItems(rootPrivateItem, code) {
		item := string(code[l[0]:l[1]])
		if !slices.ContainsFunc(names, func(n string) bool { return binds(item, n) }) {
			continue
		}
		if m := firstSegment.FindStringSubmatch(item); m == nil || !slices.Contains(crates, m[1]) {
			continue // not an import of the crates re-exported (std::alloc::System as Jemalloc)
		}
		kw := itemKeyword.FindStringIndex(item) // after pub(crate) and the like
		edits = append(edits, textedit.Edit{Start: l[0], End: l[0] + kw[0], New: "pub "})
	}
	out, err := textedit.Apply(src, edits)
	if err != nil {
		return src
	}
	return out
}

// staleBinding finds a private root import in src that binds one of
// names from a family crate other than crates (the ones the owner
// re-exports): publishRoot cannot make it the re-export, and a re-export
// beside it binds the name twice. It returns the item's offset, the name
// and the crate.
func staleBinding(src []byte, names, crates []string) (int, string, string, bool) {
	code := rustedit.CodeOnly(src)
	for _, l := range rootItems(rootPrivateItem, code) {
		item := string(code[l[0]:l[1]])
		m := firstSegment.FindStringSubmatch(item)
		if m == nil || slices.Contains(crates, m[1]) {
			continue
		}
		if _, fam := family.Lookup(strings.ReplaceAll(m[1], "_", "-")); !fam {
			continue // not a jemalloc crate: foreignBinding's case
		}
		for _, n := range names {
			if binds(item, n) {
				return l[0], n, m[1], true
			}
		}
	}
	return 0, "", "", false
}

// foreignBinding returns the root use or extern crate item of src that
// binds name (a re-export's: jemalloc_ctl, jemallocator, jemalloc_sys)
// to a path that starts with no jemalloc crate, by a family crate's name
// or one of keys (the owner's Rust names of its family entries), or "".
func foreignBinding(src []byte, name string, keys []string) string {
	code := rustedit.CodeOnly(src)
	for _, re := range []*regexp.Regexp{rootPubItem, rootPrivateItem} {
		for _, l := range rootItems(re, code) {
			item := string(code[l[0]:l[1]])
			if !binds(item, name) {
				continue
			}
			m := firstSegment.FindStringSubmatch(item)
			if m == nil {
				continue
			}
			if _, ok := family.Lookup(strings.ReplaceAll(m[1], "_", "-")); !ok && !slices.Contains(keys, m[1]) {
				return strings.Join(strings.Fields(item), " ")
			}
		}
	}
	return ""
}

// firstSegment finds the first path segment of a use or extern crate
// item, after a leading `::` or `{`.
var firstSegment = regexp.MustCompile(`(?:use|crate)\s+(?:::)?\{?\s*(?:::)?(\w+)`)

// binds reports whether the use or extern crate item binds name: `… as
// name`, a path that ends with it (`use a::name;`, `use {name, x};`), or
// `name::{self, …}`.
func binds(item, name string) bool {
	q := regexp.QuoteMeta(name)
	if regexp.MustCompile(`\bas\s+` + q + `\b`).MatchString(item) {
		return true
	}
	item = regexp.MustCompile(`\b\w+\s+as\s+\w+`).ReplaceAllString(item, "_") // other names for other things
	return regexp.MustCompile(`(^|[\s{,:])`+q+`\s*[;,}]`).MatchString(item) ||
		regexp.MustCompile(`(^|[\s{,:])`+q+`\s*::\s*\{[^}]*\bself\s*[,}]`).MatchString(item)
}

// macroCall finds a macro invocation whose body is delimited: `name! {`,
// `a::b!(`, `name! [`.
var macroCall = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)!\s*[{(\[]`)

// macroBinding reports whether a macro invoked at the top level of src
// (cfg_if!, a crate's own item macro; not macro_rules!) binds name in its
// body, by an import or an item: jemfix does not expand macros, so it
// cannot tell under which cfg. It returns the macro and its line.
func macroBinding(src []byte, name string) (string, int, bool) {
	if !bytes.Contains(src, []byte(name)) || !bytes.Contains(src, []byte("!")) {
		return "", 0, false
	}
	code := rustedit.CodeOnly(src)
	q := regexp.QuoteMeta(name)
	item := regexp.MustCompile(`\b(?:struct|enum|union|type|static|const|fn|mod|trait)\s+` + q + `\b`)
	word := regexp.MustCompile(`\b` + q + `\b`)
	top := topLevelAt(code)
	for _, m := range macroCall.FindAllSubmatchIndex(code, -1) {
		if !top(m[0]) || string(code[m[2]:m[3]]) == "macro_rules" {
			continue
		}
		open := m[1] - 1
		end := matchingClose(code, open)
		if end < 0 {
			return "", 0, false
		}
		body := code[open+1 : end]
		mac := string(code[m[2]:m[3]])
		bound := item.Match(body) || word.Match(body) && makesItems(code, mac) || definesIn(code, mac, item)
		for _, use := range regexp.MustCompile(`\buse\b[^;]*;`).FindAll(body, -1) {
			bound = bound || binds(string(use), name)
		}
		if bound {
			line, _ := textedit.LineCol(src, m[0])
			return string(code[m[2]:m[3]]), line, true
		}
	}
	return "", 0, false
}

// topLevel keeps the includes that stand at the top of src (an include!
// in a module binds its names there).
func topLevel(src []byte, incs []include) []include {
	top := topLevelAt(rustedit.CodeOnly(src))
	var out []include
	for _, inc := range incs {
		if top(inc.off) {
			out = append(out, inc)
		}
	}
	return out
}

// topLevelAt returns a function that tells whether an offset of code
// (literals and comments blanked) is outside every bracket; it must be
// asked about offsets in increasing order.
func topLevelAt(code []byte) func(off int) bool {
	depth, at := 0, 0
	return func(off int) bool {
		for ; at < off && at < len(code); at++ {
			switch code[at] {
			case '{', '(', '[':
				depth++
			case '}', ')', ']':
				depth--
			}
		}
		return depth == 0
	}
}

// makesItems reports whether code defines macro_rules! mac with a rule
// that writes an item named by a metavariable (`pub struct $n;`): an
// invocation that passes a name may bind it.
func makesItems(code []byte, mac string) bool {
	return definesIn(code, mac, regexp.MustCompile(`\b(?:struct|enum|union|type|static|const|fn|mod|trait|use)\b[^;{}]*\$`))
}

// definesIn reports whether the rules of code's macro_rules! mac match re.
func definesIn(code []byte, mac string, re *regexp.Regexp) bool {
	def := regexp.MustCompile(`\bmacro_rules!\s*` + regexp.QuoteMeta(mac) + `\s*[{(\[]`).FindIndex(code)
	if def == nil {
		return false
	}
	end := matchingClose(code, def[1]-1)
	return end >= 0 && re.Match(code[def[1]:end])
}

// matchingClose returns the offset of the bracket that closes the one at
// open in code (literals and comments blanked), or -1.
func matchingClose(code []byte, open int) int {
	depth := 0
	for i := open; i < len(code); i++ {
		switch code[i] {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// withoutComments returns the text of an attribute without its comments
// (a line break for each), strings kept as they are.
func withoutComments(text []byte) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			j := i + 1
			for j < len(text) && text[j] != '"' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			b.Write(text[i:min(j+1, len(text))])
			i = j
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			for i < len(text) && text[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end := bytes.Index(text[i+2:], []byte("*/"))
			if end < 0 {
				return b.String()
			}
			i += 2 + end + 1
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// matchingOpen returns the offset of the '[' that the ']' at close of
// code closes, or -1.
func matchingOpen(code []byte, close int) int {
	depth := 0
	for i := close; i >= 0; i-- {
		switch code[i] {
		case ']':
			depth++
		case '[':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// notWhere is the cfg predicate of a re-export whose name another binding
// serves where on holds: ours (own, "" for everywhere) where on does not.
func notWhere(own, on string) string {
	if own == "" {
		return "not(" + on + ")"
	}
	return "all(" + own + ", not(" + on + "))"
}
