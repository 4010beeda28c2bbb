package rustedit

import (
	"cmp"
	"strconv"
	"strings"
	"unicode"
)

// rustfmt sorts `use` items by a model of their trees (rustfmt's
// src/imports.rs, `impl Ord for UseSegment` and `UseTree`), not by text.
// A path is a list of segments; `a::{b, c}` ends in a list segment that
// holds the sorted subtrees. This file is that model and its order, for
// both style editions: 2015 to 2021 compare identifiers as snake_case <
// CamelCase < UPPER_SNAKE, then by bytes; 2024 uses the style guide's
// version sort (src/sort.rs).

type segKind int

// The order of the kinds is rustfmt's: self, super, crate, an identifier,
// a glob, a list.
const (
	segSelf segKind = iota
	segSuper
	segCrate
	segIdent
	segGlob
	segList
)

// useSeg is one segment of a use path: `name as alias`, `self`, `*` or
// `{…}`. name holds a leading `::` when the path starts with one, as in
// rustfmt.
type useSeg struct {
	kind  segKind
	name  string
	alias *string
	list  []usePath
}

type usePath []useSeg

// useOrder compares use paths the way one rustfmt style edition does.
type useOrder struct {
	version bool // style edition 2024 and later: version sort
}

// orderFor returns the order of the style edition ("2015" … "2024", or ""
// for rustfmt's default, 2015).
func orderFor(style string) useOrder {
	n, _ := strconv.Atoi(style)
	return useOrder{version: n >= 2024}
}

// paths is `impl Ord for UseTree`: segment by segment, where two segments
// that differ only in their alias do not decide; then the shorter first.
func (o useOrder) paths(a, b usePath) int {
	for i := range min(len(a), len(b)) {
		if c := o.segs(a[i], b[i]); c != 0 && o.segs(a[i].bare(), b[i].bare()) != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func (s useSeg) bare() useSeg {
	if s.kind <= segIdent {
		s.alias = nil
	}
	return s
}

// segs is `impl Ord for UseSegment`.
func (o useOrder) segs(a, b useSeg) int {
	if a.kind != b.kind {
		return cmp.Compare(a.kind, b.kind)
	}
	switch a.kind {
	case segSelf, segSuper, segCrate:
		if a.alias != nil && b.alias != nil && o.version {
			return versionSort(trimRaw(*a.alias), trimRaw(*b.alias))
		}
		return compareAlias(a.alias, b.alias)
	case segIdent:
		if c := o.idents(a.name, b.name); c != 0 {
			return c
		}
		if a.alias != nil && b.alias != nil && o.version {
			return versionSort(trimRaw(*a.alias), trimRaw(*b.alias))
		}
		return compareAlias(a.alias, b.alias)
	case segList:
		for i := range min(len(a.list), len(b.list)) {
			if c := o.paths(a.list[i], b.list[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.list), len(b.list))
	}
	return 0 // two globs
}

func (o useOrder) idents(a, b string) int {
	if o.version {
		return versionSort(trimRaw(a), trimRaw(b))
	}
	if c := compareBool(upperSnake(a), upperSnake(b)); c != 0 {
		return c
	}
	if c := compareBool(startsUpper(a), startsUpper(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareAlias orders Rust's Option<String>: None first.
func compareAlias(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return strings.Compare(*a, *b)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func trimRaw(s string) string { return strings.TrimPrefix(s, "r#") }

func upperSnake(s string) bool {
	for _, r := range s {
		if !unicode.IsUpper(r) && r != '_' && !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// versionSort is the style guide's version sort: identifiers are cut into
// chunks (`_`, a run of digits, a run of anything else); `_` comes first,
// numbers compare by value, and of two equal numbers the one with more
// leading zeros first, decided by the first such pair.
func versionSort(a, b string) int {
	zeros := 0
	for {
		ca, ra := versionChunk(a)
		cb, rb := versionChunk(b)
		switch {
		case ca.end && cb.end:
			return zeros
		case ca.end:
			return -1
		case cb.end:
			return 1
		}
		a, b = ra, rb
		switch {
		case ca.underscore && cb.underscore:
			continue
		case ca.underscore:
			return -1
		case cb.underscore:
			return 1
		case ca.number && cb.number:
			if c := cmp.Compare(ca.value, cb.value); c != 0 {
				return c
			}
			if zeros == 0 {
				zeros = cmp.Compare(cb.zeros, ca.zeros)
			}
		default:
			if c := strings.Compare(ca.text, cb.text); c != 0 {
				return c
			}
		}
	}
}

type chunk struct {
	end, underscore, number bool
	text                    string
	value                   uint64
	zeros                   int
}

func versionChunk(s string) (chunk, string) {
	if s == "" {
		return chunk{end: true}, ""
	}
	if s[0] == '_' {
		return chunk{underscore: true}, s[1:]
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	i := 1
	if isDigit(s[0]) {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		v, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			return chunk{end: true}, "" // rustfmt stops at a number too large for usize
		}
		return chunk{number: true, text: s[:i], value: v, zeros: len(s[:i]) - len(strings.TrimLeft(s[:i], "0"))}, s[i:]
	}
	for i < len(s) && s[i] != '_' && !isDigit(s[i]) {
		i++
	}
	return chunk{text: s[:i]}, s[i:]
}
