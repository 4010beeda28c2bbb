package workspace

import (
	"bytes"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlItem is one thing a manifest writes: a [table] header, or a
// `key = value` (at the top level, under a header, or inside an inline
// table).
type tomlItem struct {
	path   []string       // decoded key path from the document root, header included
	start  int            // offset in src of the '[' of a header, or of the first key part
	header bool           // a [table] or [[array]] header; value is nil
	value  *unstable.Node // the value of a key/value; valid only during the callback
	bom    int            // length of the byte order mark the parser did not see
}

// at returns the offset in src of a node of the value.
func (it tomlItem) at(n *unstable.Node) int { return it.bom + int(n.Raw.Offset) }

// walkTOML calls fn for every header and key/value of src in source
// order, outer key/values before the entries of their inline tables.
// Entries inside arrays (of inline tables) are not visited: cargo gives
// them no key path. src must already have parsed (tomledit.Parse); a
// parse error ends the walk and is returned.
func walkTOML(src []byte, fn func(tomlItem)) error {
	bom := 0
	if bytes.HasPrefix(src, utf8BOM) {
		bom = len(utf8BOM)
	}
	body := src[bom:]
	var p unstable.Parser
	p.Reset(body)
	var header []string
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, first := keyPath(n.Key(), bom)
			header = parts
			start := first - 1
			for start > 0 && src[start] != '[' {
				start--
			}
			if n.Kind == unstable.ArrayTable && start > 0 && src[start-1] == '[' {
				start--
			}
			fn(tomlItem{path: header, start: start, header: true, bom: bom})
		case unstable.KeyValue:
			walkKV(n, header, bom, fn)
		}
	}
	return p.Error()
}

var utf8BOM = []byte("\xef\xbb\xbf")

func walkKV(n *unstable.Node, prefix []string, bom int, fn func(tomlItem)) {
	parts, first := keyPath(n.Key(), bom)
	full := append(append([]string(nil), prefix...), parts...)
	v := n.Value()
	fn(tomlItem{path: full, start: first, value: v, bom: bom})
	if v.Kind == unstable.InlineTable {
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				walkKV(c, full, bom, fn)
			}
		}
	}
}

// keyPath decodes the parts of a (dotted) key and returns the offset of
// its first part in the source.
func keyPath(it unstable.Iterator, bom int) ([]string, int) {
	var parts []string
	first := -1
	for it.Next() {
		k := it.Node()
		if first < 0 {
			first = bom + int(k.Raw.Offset)
		}
		parts = append(parts, string(k.Data))
	}
	return parts, first
}

// stringValue returns the decoded string of a value node and whether it
// is a string.
func stringValue(v *unstable.Node) (string, bool) {
	if v == nil || v.Kind != unstable.String {
		return "", false
	}
	return string(v.Data), true
}

// memberOffset returns the offset of the element of [workspace].members
// written as pat in src, or 0 when it is not found.
func memberOffset(src []byte, pat string) int {
	off := 0
	_ = walkTOML(src, func(it tomlItem) {
		if off > 0 || it.header || !slices.Equal(it.path, []string{"workspace", "members"}) || it.value.Kind != unstable.Array {
			return
		}
		for c := it.value.Children(); c.Next(); {
			if s, ok := stringValue(c.Node()); ok && s == pat {
				off = it.at(c.Node())
				return
			}
		}
	})
	return off
}

// workspaceOffset returns the offset of the [workspace] table of src: its
// header, or the first key that writes into it; 0 when there is none.
func workspaceOffset(src []byte) int {
	off := -1
	_ = walkTOML(src, func(it tomlItem) {
		if off < 0 && len(it.path) > 0 && it.path[0] == "workspace" {
			off = it.start
		}
	})
	return max(off, 0)
}

// MetadataString is a string that a manifest's [package.metadata] or
// [workspace.metadata] tables write, alone or in an array: tools keep
// crate names there (cargo-machete's and cargo-shear's ignored lists).
type MetadataString struct {
	Table string // the table path, "package.metadata.cargo-machete.ignored"
	Value string
	Start int // offset in the manifest of the string
}

// MetadataStrings lists the strings of m's metadata tables, in source
// order.
func MetadataStrings(m *Manifest) []MetadataString {
	return tableStrings(m, func(path []string) bool {
		return len(path) >= 3 && path[1] == "metadata" && (path[0] == "package" || path[0] == "workspace")
	})
}

// RequiredFeatures lists the strings of the required-features of m's
// build targets ([[bin]], [[example]], [[test]], [[bench]], [lib]), in
// source order.
func RequiredFeatures(m *Manifest) []MetadataString {
	if !bytes.Contains(m.Doc.Src(), []byte("required-features")) {
		return nil
	}
	return tableStrings(m, func(path []string) bool {
		return len(path) == 2 && path[1] == "required-features" && slices.Contains([]string{"bin", "example", "test", "bench", "lib"}, path[0])
	})
}

// tableStrings lists the strings, alone or in an array, of the key/values
// of m whose key path match accepts, in source order.
func tableStrings(m *Manifest, match func(path []string) bool) []MetadataString {
	var out []MetadataString
	_ = walkTOML(m.Doc.Src(), func(it tomlItem) {
		if it.header || !match(it.path) {
			return
		}
		table := strings.Join(it.path, ".")
		if s, ok := stringValue(it.value); ok {
			out = append(out, MetadataString{table, s, it.at(it.value)})
			return
		}
		if it.value.Kind != unstable.Array {
			return
		}
		for c := it.value.Children(); c.Next(); {
			if s, ok := stringValue(c.Node()); ok {
				out = append(out, MetadataString{table, s, it.at(c.Node())})
			}
		}
	})
	return out
}

// ProcMacro reports whether m's library is a proc-macro crate ([lib]
// proc-macro = true), which can export nothing but its macros.
func ProcMacro(m *Manifest) bool {
	if !bytes.Contains(m.Doc.Src(), []byte("proc")) {
		return false
	}
	yes := false
	_ = walkTOML(m.Doc.Src(), func(it tomlItem) {
		if !it.header && len(it.path) == 2 && it.path[0] == "lib" && (it.path[1] == "proc-macro" || it.path[1] == "proc_macro") {
			yes = it.value.Kind == unstable.Bool && string(it.value.Data) == "true"
		}
	})
	return yes
}
