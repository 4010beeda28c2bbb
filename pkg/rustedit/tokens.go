package rustedit

import (
	sitter "github.com/smacker/go-tree-sitter"

	"jemfix/pkg/textedit"
)

// Inside a macro invocation or a macro_rules! body tree-sitter gives no
// paths, only a flat token_tree of identifiers and punctuation. These
// helpers read paths from the tokens around a name.

// macroPathHead reports whether the identifier n inside a token tree starts
// a path to the crate: `x::a` not after `.` or a path-continuing `::`,
// `::x::a` with a leading `::`, `use x` and `extern crate x`.
func macroPathHead(n *sitter.Node, src []byte) bool {
	prev := prevToken(n)
	if prev != nil {
		switch prev.Type() {
		case "use":
			return true
		case "crate":
			if ext := prevToken(prev); ext != nil && ext.Content(src) == "extern" {
				return true
			}
		}
	}
	next := nextToken(n)
	if next == nil || next.Type() != "::" {
		return false
	}
	if after := nextToken(next); after != nil && after.Type() == "<" {
		return false // `x::<T>` is a generic function, not a crate path
	}
	if prev == nil {
		return !relativeGroup(n.Parent())
	}
	switch prev.Type() {
	case ".":
		return false
	case "::":
		return !continuesPath(prev)
	case "{", ",":
		return !relativeGroup(n.Parent())
	}
	return true
}

// continuesPath reports whether the `::` token follows a path segment, so
// that what comes after it is not the start of a path.
func continuesPath(colons *sitter.Node) bool {
	p := prevToken(colons)
	if p == nil {
		return false
	}
	switch p.Type() {
	case "identifier", "self", "super", "crate", "metavariable", ">":
		return true
	}
	return false
}

// relativeGroup reports whether the token tree is a `{…}` group after a
// path, as in `use foo::{x::a}`: names in it are relative to that path.
func relativeGroup(tt *sitter.Node) bool {
	if tt == nil || tt.ChildCount() == 0 || tt.Child(0).Type() != "{" {
		return false
	}
	prev := prevToken(tt)
	return prev != nil && prev.Type() == "::" && continuesPath(prev)
}

// prevToken and nextToken step over comments, which tree-sitter keeps as
// extra siblings inside token trees.
func prevToken(n *sitter.Node) *sitter.Node {
	for p := n.PrevSibling(); p != nil; p = p.PrevSibling() {
		if !p.IsExtra() {
			return p
		}
	}
	return nil
}

func nextToken(n *sitter.Node) *sitter.Node {
	for p := n.NextSibling(); p != nil; p = p.NextSibling() {
		if !p.IsExtra() {
			return p
		}
	}
	return nil
}

// renameFeature rewrites the string content of every `feature = "old"`
// that is tested by cfg(...), cfg_attr(...) or cfg!(...).
func (f *file) renameFeature(old, nu string, res *Result) {
	for _, span := range f.quoted(old) {
		n := f.nodeAt(span[0], span[1])
		if n == nil || n.Type() != "string_content" {
			continue
		}
		lit := n.Parent()
		if lit == nil || lit.Type() != "string_literal" || int(lit.StartByte()) != span[0]-1 {
			continue
		}
		if featureTest(lit, f.src) {
			res.Edits = append(res.Edits, textedit.Edit{Start: span[0], End: span[1], New: nu})
		}
	}
}

// quoted returns the spans of the text between the quotes of every "word".
func (f *file) quoted(word string) [][2]int {
	var out [][2]int
	for _, s := range f.occurrences([]byte(`"` + word + `"`)) {
		out = append(out, [2]int{s[0] + 1, s[1] - 1})
	}
	return out
}

// featureTest reports whether the string literal is the value of a
// `feature = "…"` predicate in a cfg.
func featureTest(lit *sitter.Node, src []byte) bool {
	eq := prevToken(lit)
	if eq == nil || eq.Type() != "=" {
		return false
	}
	key := prevToken(eq)
	if key == nil || key.Type() != "identifier" || key.Content(src) != "feature" {
		return false
	}
	return inCfg(lit.Parent(), src)
}

// inCfg reports whether the token tree holds a cfg predicate: it is the
// argument of cfg or cfg_attr (an attribute, a cfg! call, or the tokens
// `cfg(…)` inside another attribute or macro, as in cfg_if! and
// doc(cfg(…))), possibly nested in any(…), all(…) or not(…).
func inCfg(tt *sitter.Node, src []byte) bool {
	for tt != nil && tt.Type() == "token_tree" {
		head := prevToken(tt)
		if head != nil && head.Type() == "!" {
			head = prevToken(head) // cfg!(…)
		}
		if head == nil || head.Type() != "identifier" {
			return false
		}
		switch head.Content(src) {
		case "cfg", "cfg_attr":
			return true
		case "any", "all", "not":
			tt = tt.Parent()
		default:
			return false
		}
	}
	return false
}
