package rustedit

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"jemfix/pkg/textedit"
)

// file is one parsed source. Only the spots where an old name occurs are
// looked up in the tree; the tree is never walked as a whole.
type file struct {
	src   []byte
	root  *sitter.Node
	lines []int // offsets of line starts, built on first use
}

// role is what an identifier spelled like an old crate name turns out to be.
type role int

const (
	roleOther  role = iota // a local, a field, a later path segment, text
	roleCrate              // the first segment of a path naming the crate
	roleShadow             // the declaration of a local item with that name
)

// renameCrate adds the edits for one crate. A local declaration with the
// crate's name (a shadow: `mod jemalloc_ctl`, `use x::jemalloc_ctl`)
// takes its scope from the crate: the paths in the module or block that
// declares it (nested modules included, to be safe) are left alone and the
// declaration is reported; the paths elsewhere in the file are renamed.
func (f *file) renameCrate(old, nu string, opt Options, res *Result) {
	type shadow struct {
		start, end int // the scope
		decl       *sitter.Node
		what       string
	}
	var shadows []shadow
	type hit struct{ start, end int }
	var crates []hit
	for _, span := range f.occurrences([]byte(old)) {
		n := f.nodeAt(span[0], span[1])
		if n == nil {
			continue
		}
		switch r, decl, what := classify(n, f.src); r {
		case roleCrate:
			crates = append(crates, hit{span[0], span[1]})
		case roleShadow:
			if (edition2018(opt.Edition) || f.twoExternCrates(n, nu)) && f.aliasOf(n, nu) {
				continue // `use nu as old`: old still names the crate, renamed
			}
			start, end := shadowScope(decl, len(f.src))
			shadows = append(shadows, shadow{start, end, decl, what})
		}
	}
	var edits []textedit.Edit
	var skips []Skip
	// A file that binds nu to something of its own (`mod nu`, `use x as
	// nu`) would take the renamed paths there: they start at the extern
	// prelude instead (edition 2018 on).
	plain := !strings.Contains(nu, "::") // a crate, not a path through Option 3's owner
	prelude := plain && edition2018(opt.Edition) && BindsLocally(f.src, nu)
	for _, h := range crates {
		if slices.ContainsFunc(shadows, func(s shadow) bool { return h.start >= s.start && h.end <= s.end }) {
			continue
		}
		e := textedit.Edit{Start: h.start, End: h.end, New: nu}
		item, self := f.binding(h.start, h.end)
		if prelude && f.relative(h.start, h.end) {
			e.New = "::" + nu
		}
		if decl := f.crateUse(h.start, h.end); decl != nil && plain && edition2018(opt.Edition) && public(decl) {
			// A re-export of the crate itself (`pub use old as x;`, `pub
			// use old::{self as x};`) beside a private binding of nu: `pub
			// use nu …` would re-export that private item (E0365). `::nu`
			// is the crate, unless the binding is a private `extern crate
			// nu;` of the module or one around it, which `::nu` names
			// too: a re-export of the crate alone then becomes a public
			// extern crate of its own.
			switch {
			case f.externCrateAround(decl, nu):
				if alias, ok := f.loneAlias(decl, f.nodeAt(h.start, h.end)); ok {
					kw, arg := useKeyword(decl), decl.ChildByFieldName("argument")
					edits = append(edits, textedit.Edit{Start: int(kw.StartByte()), End: int(arg.EndByte()), New: "extern crate " + nu + " as " + alias})
					continue // the item is rewritten whole
				}
			case f.bindsBeside(decl, nu) && f.relative(h.start, h.end):
				e.New = "::" + nu
			}
		}
		switch {
		case item == nil || lastSegment(nu) == old:
		case edition2018(opt.Edition) && public(item) && plain && self == nil && f.privateExternCrate(item, nu, old):
			// `pub use old;` beside a private `extern crate nu;`: a
			// re-export of nu would name that private item (E0365), so
			// the item becomes a public extern crate of its own.
			if kw := useKeyword(item); kw != nil {
				e = textedit.Edit{Start: int(kw.StartByte()), End: h.end, New: "extern crate " + nu + " as " + old}
			}
		case edition2018(opt.Edition) && (public(item) || f.pathsThrough(old) || opt.ThroughModules != nil && opt.ThroughModules(old)) ||
			f.bindsBeside(item, nu) || prelude && item.Type() != "extern_crate_declaration":
			// The item binds the name in its module: paths that go
			// through the module (crate::old::…, self::, super::, a
			// dependent's dep::old::…) keep it, as an alias. So does an
			// item beside one that binds nu already, which a second
			// binding of nu would clash with (E0259, E0252).
			if self != nil {
				edits = append(edits, textedit.Edit{Start: int(self.StartByte()), End: int(self.EndByte()), New: "self as " + old})
			} else {
				e.New += " as " + old
			}
		case item.Type() == "extern_crate_declaration" && public(item):
			// Edition 2015: use paths start at the crate root, where the
			// renamed ones need the crate under its new name; a second
			// declaration keeps the old one for dependents' dep::old::….
			edits = append(edits, f.secondExternCrate(item, nu, old, opt.Features))
		}
		if a, itemEnd, ok := oldAPI(f.src, h.start, h.end, old, opt); ok {
			var s Skip
			e, s = oldAPIEdit(a, h.start, itemEnd, nu, opt)
			if s.Reason != "" {
				skips = append(skips, s)
			}
		} else {
			skips = append(skips, groupOldAPIs(f.src, h.end, old, opt)...)
		}
		edits = append(edits, e)
	}
	for _, s := range shadows {
		reason := fmt.Sprintf("`%s` in this file shadows the crate; its paths were not rewritten", s.what)
		if s.start > 0 || s.end < len(f.src) {
			first, _ := textedit.LineCol(f.src, s.start)
			last, _ := textedit.LineCol(f.src, s.end)
			reason = fmt.Sprintf("`%s` shadows the crate in the module or block around it (lines %d-%d); the paths there were not rewritten", s.what, first, last)
		}
		res.Skipped = append(res.Skipped, Skip{Offset: int(s.decl.StartByte()), Kind: KindShadow, Reason: reason})
	}
	res.Edits = append(res.Edits, edits...)
	res.Skipped = append(res.Skipped, skips...)
}

// binding returns the item around the crate name at start..end when the
// item binds that name in its module: `use old;`, `use ::old;`, `use {old,
// …};`, `extern crate old;` without an alias, and `use old::{self, …}`
// (also inside a root group), for which it also returns the self that
// binds it.
func (f *file) binding(start, end int) (item, self *sitter.Node) {
	n := f.nodeAt(start, end)
	if n == nil || n.Parent() == nil {
		return nil, nil
	}
	p := n.Parent()
	switch {
	case p.Type() == "use_declaration" && isField(p, "argument", n):
		return p, nil
	case p.Type() == "use_list" && rootList(p):
		return useItem(p), nil // use {old, x};
	case p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == nil && p.Parent() != nil &&
		p.Parent().Type() == "use_declaration" && isField(p.Parent(), "argument", p):
		return p.Parent(), nil // use ::old;
	case p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == nil && p.Parent() != nil &&
		p.Parent().Type() == "use_list" && rootList(p.Parent()):
		return useItem(p), nil // use {::old, x};
	case p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == nil && p.Parent() != nil &&
		p.Parent().Type() == "scoped_use_list" && isField(p.Parent(), "path", p):
		return selfBinding(p.Parent()) // use ::old::{self, …};
	case p.Type() == "extern_crate_declaration" && isField(p, "name", n) && p.ChildByFieldName("alias") == nil:
		return p, nil
	case p.Type() == "scoped_use_list" && isField(p, "path", n):
		return selfBinding(p) // use old::{self, …}; use {old::{self, …}, x};
	}
	return nil, nil
}

// crateUse returns the use declaration that imports the crate name at
// start..end itself, not a path through it: `use old;`, `use old as x;`,
// `use old::{self, …};`, `use old::{self as x};`, each also in a root
// group (`use {old as x, …};`). Else nil.
func (f *file) crateUse(start, end int) *sitter.Node {
	n := f.nodeAt(start, end)
	if n == nil || n.Parent() == nil {
		return nil
	}
	p := n.Parent()
	switch {
	case p.Type() == "use_declaration" && isField(p, "argument", n):
		return p
	case p.Type() == "use_list" && rootList(p):
		return useItem(p)
	case p.Type() == "use_as_clause" && isField(p, "path", n):
		if up := p.Parent(); up != nil && (up.Type() == "use_declaration" || up.Type() == "use_list" && rootList(up)) {
			return useItem(p)
		}
	case p.Type() == "scoped_use_list" && isField(p, "path", n):
		up, group := p.Parent(), p.ChildByFieldName("list")
		if up == nil || group == nil || !(up.Type() == "use_declaration" || up.Type() == "use_list" && rootList(up)) {
			return nil
		}
		for _, c := range namedKids(group) {
			if c.Type() == "self" || c.Type() == "use_as_clause" && c.ChildByFieldName("path") != nil && c.ChildByFieldName("path").Type() == "self" {
				return useItem(p)
			}
		}
	}
	return nil
}

// bindsBeside reports whether another item of item's module binds nu:
// `extern crate nu;`, `use nu;`, `use ::nu;`, or an alias `… as nu`; or
// another member of item's own root group does (`use {old, nu};`).
func (f *file) bindsBeside(item *sitter.Node, nu string) bool {
	if item == nil || item.Parent() == nil {
		return false
	}
	if list := rootGroup(item); list != nil {
		for _, c := range namedKids(list) {
			if strings.TrimPrefix(c.Content(f.src), "::") == nu || f.selfOf(c, nu) {
				return true
			}
		}
	}
	for _, c := range namedKids(item.Parent()) {
		if c.Equal(item) {
			continue
		}
		switch c.Type() {
		case "mod_item", "struct_item", "enum_item", "union_item", "trait_item", "type_item", "function_item", "const_item", "static_item":
			if name := c.ChildByFieldName("name"); name != nil && name.Content(f.src) == nu {
				return true // an item of that name (E0260 beside a second binding)
			}
		case "extern_crate_declaration":
			if name := c.ChildByFieldName("name"); name != nil && c.ChildByFieldName("alias") == nil && name.Content(f.src) == nu {
				return true
			}
		case "use_declaration":
			arg := c.ChildByFieldName("argument")
			if arg == nil {
				continue
			}
			// use nu; use nu::{self, …}; use x as nu;
			alias := arg.ChildByFieldName("alias")
			if strings.TrimPrefix(arg.Content(f.src), "::") == nu || f.selfOf(arg, nu) ||
				arg.Type() == "use_as_clause" && alias != nil && alias.Content(f.src) == nu {
				return true
			}
		}
	}
	return false
}

// selfOf reports whether n, a use tree, is `nu::{self, …}`, which binds nu.
func (f *file) selfOf(n *sitter.Node, nu string) bool {
	if n.Type() != "scoped_use_list" {
		return false
	}
	path := n.ChildByFieldName("path")
	if path == nil || strings.TrimPrefix(path.Content(f.src), "::") != nu {
		return false
	}
	_, self := selfBinding(n)
	return self != nil
}

// relative reports whether the crate name at start..end starts a path
// that a name of the file could take: not already from the extern prelude
// (`::name`, an item of a `::{…}` group), and not the name of an extern
// crate item, which is no path.
func (f *file) relative(start, end int) bool {
	if bytes.HasSuffix(bytes.TrimRight(f.src[:start], " \t"), []byte("::")) {
		return false
	}
	n := f.nodeAt(start, end)
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "extern_crate_declaration":
			return false
		case "scoped_use_list":
			if p.ChildByFieldName("path") == nil {
				return false // use ::{…}
			}
		case "use_declaration":
			return true
		}
	}
	return true
}

// rootGroup returns the group of a use item that lists crates at its
// root: `use {a, b};`, `use ::{a, b};`; else nil.
func rootGroup(item *sitter.Node) *sitter.Node {
	arg := item.ChildByFieldName("argument")
	switch {
	case item.Type() != "use_declaration" || arg == nil:
		return nil
	case arg.Type() == "use_list":
		return arg
	case arg.Type() == "scoped_use_list" && arg.ChildByFieldName("path") == nil:
		return arg.ChildByFieldName("list")
	}
	return nil
}

// privateExternCrate reports whether item is `pub use old;` (the name
// alone) in a module that declares `extern crate nu;` without pub.
func (f *file) privateExternCrate(item *sitter.Node, nu, old string) bool {
	arg := item.ChildByFieldName("argument")
	return item.Type() == "use_declaration" && arg != nil && arg.Content(f.src) == old && f.externCrateAround(item, nu)
}

// externCrateAround reports whether item's module, or a module around it
// in the file, declares a private `extern crate nu;`.
func (f *file) externCrateAround(item *sitter.Node, nu string) bool {
	for p := item.Parent(); p != nil; p = p.Parent() {
		if p.Type() != "source_file" && p.Type() != "declaration_list" {
			continue
		}
		for _, c := range namedKids(p) {
			if c.Type() == "extern_crate_declaration" && !public(c) && c.ChildByFieldName("alias") == nil {
				if name := c.ChildByFieldName("name"); name != nil && name.Content(f.src) == nu {
					return true
				}
			}
		}
	}
	return false
}

// loneAlias returns the name under which the use declaration decl
// re-exports the crate n names, when that is all it imports: `use old as
// x;`, `use old::{self as x};`, `use {old as x};` (x), `use old::{self};`
// (old). Else false.
func (f *file) loneAlias(decl, n *sitter.Node) (string, bool) {
	arg := decl.ChildByFieldName("argument")
	if arg == nil || n == nil || useKeyword(decl) == nil {
		return "", false
	}
	alias := func(c *sitter.Node) string {
		if a := c.ChildByFieldName("alias"); a != nil {
			return a.Content(f.src)
		}
		return ""
	}
	switch arg.Type() {
	case "use_as_clause":
		if isField(arg, "path", n) {
			return alias(arg), alias(arg) != ""
		}
	case "scoped_use_list":
		list := arg.ChildByFieldName("list")
		if !isField(arg, "path", n) || list == nil || list.NamedChildCount() != 1 {
			return "", false
		}
		switch c := list.NamedChild(0); {
		case c.Type() == "self":
			return n.Content(f.src), true
		case c.Type() == "use_as_clause" && c.ChildByFieldName("path") != nil && c.ChildByFieldName("path").Type() == "self":
			return alias(c), alias(c) != ""
		}
	case "use_list":
		if arg.NamedChildCount() == 1 {
			if c := arg.NamedChild(0); c.Type() == "use_as_clause" && isField(c, "path", n) {
				return alias(c), alias(c) != ""
			}
		}
	}
	return "", false
}

// useKeyword returns the `use` token of a use declaration.
func useKeyword(item *sitter.Node) *sitter.Node {
	for i := range int(item.ChildCount()) {
		if c := item.Child(i); c.Type() == "use" {
			return c
		}
	}
	return nil
}

// BindsLocally reports whether the code of src binds name to something of
// its own: a module or item of that name, an import that ends in it (`use
// a::name;`) or an alias to it (`as name`). Paths that should reach the
// crate of that name then start at the extern prelude (`::name::…`).
func BindsLocally(src []byte, name string) bool {
	if !bytes.Contains(src, []byte(name)) {
		return false
	}
	q := regexp.QuoteMeta(name)
	re := regexp.MustCompile(`\b(mod|struct|enum|union|trait|type|fn|const|static|macro_rules!|as)\s+(r#)?` + q + `\b|::\s*` + q + `\s*[;,}]|\{\s*` + q + `\s*[,}]`)
	return re.Match(CodeOnly(src))
}

// selfBinding returns the use item and the self of list, a `path::{…}`
// that starts a use or an item of a root group, when its group binds the
// path's name with a bare self.
func selfBinding(list *sitter.Node) (item, self *sitter.Node) {
	up := list.Parent()
	if up == nil || !(up.Type() == "use_declaration" || up.Type() == "use_list" && rootList(up)) {
		return nil, nil
	}
	if group := list.ChildByFieldName("list"); group != nil {
		for i := range int(group.NamedChildCount()) {
			if c := group.NamedChild(i); c.Type() == "self" {
				return useItem(list), c
			}
		}
	}
	return nil, nil
}

// aliasOf reports whether n, an alias, names the crate nu itself: `use
// nu as old;`, `extern crate nu as old;`, `use nu::{self as old}` (what
// a rename that keeps a binding's name writes).
func (f *file) aliasOf(n *sitter.Node, nu string) bool {
	p := n.Parent()
	if p == nil {
		return false
	}
	switch p.Type() {
	case "use_as_clause":
		path := p.ChildByFieldName("path")
		if path != nil && path.Type() == "self" {
			if list := p.Parent(); list != nil && list.Type() == "use_list" && list.Parent() != nil {
				path = list.Parent().ChildByFieldName("path")
			}
		}
		// `use nu as old`, or `use old as old`, which the rename makes so
		p := ""
		if path != nil {
			p = strings.TrimPrefix(path.Content(f.src), "::")
		}
		return p != "" && (p == nu || p == n.Content(f.src))
	case "extern_crate_declaration":
		name := p.ChildByFieldName("name")
		return name != nil && name.Content(f.src) == nu
	}
	return false
}

// twoExternCrates reports whether n, a name in an extern crate item,
// sits next to `extern crate nu;` in the same file: in edition 2015 the
// pair secondExternCrate writes, where the alias is the crate too.
func (f *file) twoExternCrates(n *sitter.Node, nu string) bool {
	p := n.Parent()
	return p != nil && p.Type() == "extern_crate_declaration" && bytes.Contains(f.src, []byte("extern crate "+nu+";"))
}

// secondExternCrate returns the edit that adds `<visibility> extern crate
// nu as old;` after the extern crate item: on a line of its own, at the
// indentation of the item's line, after the item's end-of-line comment,
// with the file's line ending and the item's cfg attributes (the crate
// may be a dependency of some targets only), their features renamed as
// the item's own are (features: old feature name -> new).
func (f *file) secondExternCrate(item *sitter.Node, nu, old string, features map[string]string) textedit.Edit {
	start, end := int(item.StartByte()), int(item.EndByte())
	line := f.src[bytes.LastIndexByte(f.src[:start], '\n')+1:]
	indent := string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
	var attrs []string
	for a := item.PrevNamedSibling(); a != nil && a.Type() == "attribute_item"; a = a.PrevNamedSibling() {
		if text := a.Content(f.src); strings.HasPrefix(strings.Join(strings.Fields(text), ""), "#[cfg") {
			for of, nf := range features {
				text = strings.ReplaceAll(text, strconv.Quote(of), strconv.Quote(nf))
			}
			attrs = append([]string{text}, attrs...)
		}
	}
	at, eol := end, "\n"
	rest := f.src[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
		if i > 0 && rest[i-1] == '\r' {
			rest, eol = rest[:i-1], "\r\n"
		}
	}
	if trimmed := bytes.TrimSpace(rest); len(trimmed) == 0 || bytes.HasPrefix(trimmed, []byte("//")) {
		at = end + len(rest)
	}
	vis := "pub"
	for i := range int(item.NamedChildCount()) {
		if c := item.NamedChild(i); c.Type() == "visibility_modifier" {
			vis = c.Content(f.src)
		}
	}
	var b strings.Builder
	for _, a := range attrs {
		b.WriteString(eol + indent + a)
	}
	b.WriteString(eol + indent + vis + " extern crate " + nu + " as " + old + ";")
	return textedit.Edit{Start: at, End: at, New: b.String()}
}

// public reports whether an item has a visibility other than private.
func public(item *sitter.Node) bool {
	for i := range int(item.NamedChildCount()) {
		if item.NamedChild(i).Type() == "visibility_modifier" {
			return true
		}
	}
	return false
}

// pathsThrough reports whether the file names old through a module path
// (crate::old, self::old, super::old), which an import of the crate under
// that name serves.
func (f *file) pathsThrough(old string) bool {
	for _, head := range []string{"crate::", "self::", "super::"} {
		for i := 0; ; {
			j := bytes.Index(f.src[i:], []byte(head+old))
			if j < 0 {
				break
			}
			end := i + j + len(head) + len(old)
			if end >= len(f.src) || !identByte(f.src[end]) {
				return true
			}
			i = end
		}
	}
	return false
}

// edition2018 reports whether an edition is 2018 or later, where a path
// may start with any crate of the extern prelude; "" is 2015.
func edition2018(edition string) bool { return edition != "" && edition != "2015" }

// lastSegment returns the last segment of a path: b of a::b.
func lastSegment(path string) string {
	if i := strings.LastIndex(path, "::"); i >= 0 {
		return path[i+2:]
	}
	return path
}

// shadowScope returns the span where a declaration's name shadows the
// crate: the module body or block that holds it, or the whole file.
func shadowScope(decl *sitter.Node, size int) (int, int) {
	for p := decl.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "declaration_list", "block":
			return int(p.StartByte()), int(p.EndByte())
		case "source_file":
			return 0, size
		}
	}
	return 0, size
}

// occurrences returns the spans where word occurs on identifier boundaries,
// so that `tikv_jemalloc_ctl` is not an occurrence of `jemalloc_ctl`.
func (f *file) occurrences(word []byte) [][2]int {
	var out [][2]int
	for i := 0; ; {
		j := bytes.Index(f.src[i:], word)
		if j < 0 {
			return out
		}
		start, end := i+j, i+j+len(word)
		i = end
		if start > 0 && identByte(f.src[start-1]) || end < len(f.src) && identByte(f.src[end]) {
			continue
		}
		out = append(out, [2]int{start, end})
	}
}

// identByte reports whether b can be part of an identifier. Every non-ASCII
// byte counts, since Rust identifiers may be Unicode.
func identByte(b byte) bool { return identBytes[b] }

// identBytes marks the bytes identByte accepts: ASCII letters, digits,
// '_', and every byte of a non-ASCII character. A table, since the lexer
// asks it of nearly every byte of a file.
var identBytes = func() (t [256]bool) {
	for b := range 256 {
		t[b] = b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
	}
	return t
}()

// nodeAt returns the smallest named node spanning exactly start..end, or nil.
func (f *file) nodeAt(start, end int) *sitter.Node {
	if start >= 2 && f.src[start-2] == 'r' && f.src[start-1] == '#' && (start == 2 || !identByte(f.src[start-3])) {
		start -= 2 // a raw identifier, r#name: the node holds the prefix
	}
	n := f.root.NamedDescendantForPointRange(f.point(start), f.point(end))
	if n == nil || int(n.StartByte()) != start || int(n.EndByte()) != end {
		return nil
	}
	return n
}

// point turns a byte offset into a tree-sitter point (columns in bytes).
func (f *file) point(off int) sitter.Point {
	if f.lines == nil {
		f.lines = make([]int, 1, bytes.Count(f.src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(f.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			f.lines = append(f.lines, i)
		}
	}
	row, found := slices.BinarySearch(f.lines, off)
	if !found {
		row--
	}
	return sitter.Point{Row: uint32(row), Column: uint32(off - f.lines[row])}
}

// classify says what the identifier n is. For a shadowing declaration it
// also returns the declaring item and a short description of it.
func classify(n *sitter.Node, src []byte) (role, *sitter.Node, string) {
	p := n.Parent()
	if p == nil {
		return roleOther, nil, ""
	}
	name := n.Content(src)
	switch p.Type() {
	case "struct_item", "enum_item", "union_item", "trait_item", "type_item":
		if isField(p, "name", n) {
			return roleShadow, p, declKeyword(p.Type()) + " " + name
		}
	}
	if n.Type() != "identifier" {
		return roleOther, nil, ""
	}
	switch p.Type() {
	case "token_tree":
		return ifCrate(macroPathHead(n, src))
	case "mod_item":
		if isField(p, "name", n) {
			return roleShadow, p, "mod " + name
		}
	case "extern_crate_declaration":
		return externCrate(p, n, src)
	case "use_as_clause":
		if isField(p, "alias", n) {
			return roleShadow, useItem(p), "use … as " + name
		}
	}
	if importsLocal(p, n) {
		return roleShadow, useItem(p), "use …::" + name
	}
	return ifCrate(pathHead(p, n))
}

func ifCrate(ok bool) (role, *sitter.Node, string) {
	if ok {
		return roleCrate, nil, ""
	}
	return roleOther, nil, ""
}

func declKeyword(kind string) string {
	return kind[:len(kind)-len("_item")]
}

// externCrate classifies a name in `extern crate name as alias;`.
func externCrate(decl, n *sitter.Node, src []byte) (role, *sitter.Node, string) {
	crate := decl.ChildByFieldName("name")
	if isField(decl, "name", n) {
		return roleCrate, nil, ""
	}
	if isField(decl, "alias", n) && crate != nil && crate.Content(src) != n.Content(src) {
		return roleShadow, decl, fmt.Sprintf("extern crate %s as %s", crate.Content(src), n.Content(src))
	}
	return roleOther, nil, ""
}

// useItem returns the use declaration around a use clause.
func useItem(n *sitter.Node) *sitter.Node {
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == "use_declaration" {
			return p
		}
	}
	return n
}

// pathHead reports whether n, a child of p, is the first segment of a path
// that starts at the crate root: `x::a`, `::x::a`, `use x;`, `use {x::a}`,
// but not `foo::x`, `crate::x` or `use foo::{x::a}`.
func pathHead(p, n *sitter.Node) bool {
	switch p.Type() {
	case "use_declaration":
		return isField(p, "argument", n)
	case "use_list":
		return rootList(p)
	case "scoped_identifier":
		// `::x` has no path field: x is the global path's first segment.
		global := p.ChildByFieldName("path") == nil && isField(p, "name", n)
		if !global && !isField(p, "path", n) {
			return false
		}
	case "scoped_type_identifier", "scoped_use_list", "use_as_clause":
		if !isField(p, "path", n) {
			return false
		}
	case "use_wildcard":
		if c := p.NamedChild(0); c == nil || !c.Equal(n) {
			return false
		}
	default:
		return false
	}
	return !inRelativeList(p)
}

// importsLocal reports whether n is the last segment of an imported path
// that starts somewhere else, as in `use super::x;` or `use foo::{x}`:
// that brings a local x into scope just as `use … as x` does.
func importsLocal(p, n *sitter.Node) bool {
	switch p.Type() {
	case "use_list":
		return !rootList(p)
	case "scoped_identifier":
		if !isField(p, "name", n) || p.ChildByFieldName("path") == nil {
			return false
		}
		q := p.Parent()
		return q != nil && (q.Type() == "use_list" || isField(q, "argument", p))
	}
	return false
}

// inRelativeList reports whether the path p sits in a use list that is
// relative to a leading path, as in `use foo::{x::a}`.
func inRelativeList(p *sitter.Node) bool {
	for {
		q := p.Parent()
		if q == nil {
			return false
		}
		switch q.Type() {
		case "scoped_identifier", "scoped_type_identifier", "scoped_use_list", "use_as_clause":
			if !isField(q, "path", p) {
				return false
			}
		case "use_wildcard":
			// its only named child is its path
		case "use_list":
			return !rootList(q)
		default:
			return false
		}
		p = q
	}
}

// rootList reports whether a use list starts at the crate root:
// `use {x::a, y}` or `use ::{x::a}`.
func rootList(list *sitter.Node) bool {
	p := list.Parent()
	if p == nil {
		return false
	}
	switch p.Type() {
	case "use_declaration":
		return true
	case "scoped_use_list":
		return p.ChildByFieldName("path") == nil
	}
	return false
}

func isField(p *sitter.Node, field string, n *sitter.Node) bool {
	c := p.ChildByFieldName(field)
	return c != nil && c.Equal(n)
}
