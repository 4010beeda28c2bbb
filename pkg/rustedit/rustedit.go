// Package rustedit owns the rewriting of Rust source after a crate rename:
// it finds the paths that name an old crate (`jemalloc_ctl::epoch`) and the
// `feature = "old"` tests in cfg attributes, and returns byte-range edits
// that rename them. It parses with tree-sitter-rust but never re-prints a
// file, and it does no I/O.
package rustedit

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"jemfix/pkg/textedit"
)

// Options says what to rename.
type Options struct {
	Crates   map[string]string // old Rust crate name -> new, e.g. "jemalloc_ctl" -> "tikv_jemalloc_ctl"
	Features map[string]string // old Cargo feature name -> new, for feature = "..." inside cfg(...), cfg_attr(...) and cfg!(...)

	// OldSeries gives, per old Rust crate name, the minor series the code
	// was written against ("0.2"). It turns on the OldAPIs table.
	OldSeries map[string]string
	NewSeries string // the tikv series the crates move to, for messages
	// Deps holds the Rust names the package depends on after the fix;
	// only those an old API's replacement needs (Needed) count.
	Deps map[string]bool

	// StyleEdition is rustfmt's style edition for the order of `use`
	// items (order.go): "2024" and later sort by version, "" and older
	// editions in the 2015 order. cargo fmt takes it from the package's
	// edition unless rustfmt.toml sets style_edition.
	StyleEdition string
	// Edition is the package's Rust edition; "" is cargo's default, 2015.
	// From 2018 on, an import that binds a crate's name in a public
	// module, or in one that paths use (crate::old::…), keeps the old
	// name as an alias (`pub use new as old;`).
	Edition string
	// ThroughModules reports whether another file of the package may
	// reach the crate old through a module path (crate::old, super::old),
	// for a private import that binds old: it keeps the name then. Nil looks at the file being rewritten only. Called only
	// for such imports, and safe for concurrent use.
	ThroughModules func(old string) bool
}

// Skip is a place that mentions an old crate name but was deliberately not rewritten.
type Skip struct {
	Offset int
	Kind   string // one of the Kind constants
	Reason string // e.g. "`mod jemalloc_ctl` in this file shadows the crate", "@generated file"
}

// Skip kinds, stable for JSON output.
const (
	KindParse     = "parse-error" // the file or code block does not parse
	KindShadow    = "shadowed"    // a local item has the crate's name
	KindGenerated = "generated"   // the file says @generated
	KindOldAPI    = "old-api"     // an item the new crate does not have
)

// Result holds the edits for one file, sorted by offset, and the places
// that were left alone on purpose.
type Result struct {
	Edits   []textedit.Edit
	Skipped []Skip
}

// ParseError reports that tree-sitter found a syntax error. Offset is a byte
// offset; Line and Col are 1-based, Col counted in bytes.
type ParseError struct {
	Name      string
	Offset    int
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
}

// generatedLines is how far into a file the @generated marker counts,
// the same window rustfmt uses.
const generatedLines = 5

// Rewrite returns the edits that rename every reference to an old crate in src,
// and every cfg feature test of an old feature. Only the top-level items that
// hold an old name are parsed (see segments.go); a syntax error in them gives
// a *ParseError for the file and no edits, while an error in an item that
// names no old crate does not stop the rewrite. A file that mentions no old
// name is not parsed at all. A file that declares a local item with an old crate's name gets no edits
// for that crate, and a Skip at the declaration; an @generated file gets no
// edits at all. Rust code blocks of doc comments (doctests) are rewritten
// too, each on its own: a local module does not shadow a crate there.
// Pure: no I/O. Safe for concurrent use.
//
// Renames are applied once: when a new name is itself an old name in opt,
// running Rewrite again renames it again.
func Rewrite(name string, src []byte, opt Options) (Result, error) {
	return rewriteParsed(name, src, opt, false)
}

// rewriteParsed is Rewrite; whole parses the whole file instead of the items that
// name an old crate, which must give the same result for a file that parses.
func rewriteParsed(name string, src []byte, opt Options, whole bool) (Result, error) {
	crates := present(src, opt.Crates, false)
	features := present(src, opt.Features, true)
	if len(crates) == 0 && len(features) == 0 {
		return Result{}, nil
	}
	if off, ok := generated(src); ok {
		return Result{Skipped: []Skip{{Offset: off, Kind: KindGenerated, Reason: "@generated file; not rewritten"}}}, nil
	}
	var tree *sitter.Tree
	var err error
	cut := &cutFile{src: src}
	if whole {
		tree, err = parseWhole(name, src)
	} else {
		tree, err = parseNaming(name, cut, crates, features)
	}
	if err != nil {
		return Result{}, err
	}
	defer tree.Close()
	f := &file{src: src, root: tree.RootNode()}
	var res Result
	for _, old := range crates {
		f.renameCrate(old, opt.Crates[old], opt, &res)
	}
	for _, old := range features {
		f.renameFeature(old, opt.Features[old], &res)
	}
	f.rewriteDocs(opt, &res)
	slices.SortFunc(res.Edits, func(a, b textedit.Edit) int { return a.Start - b.Start })
	// Keep renamed use items in rustfmt's order (order.go). Path renames
	// are finished by the caller, who then calls SortUses.
	if !pathRenames(opt) {
		res.Edits = sortUses(cut, f.root, res.Edits, opt)
	}
	slices.SortFunc(res.Skipped, func(a, b Skip) int { return a.Offset - b.Offset })
	return res, nil
}

// parseNaming returns a tree of the top-level items of src that hold an
// old name (see segments.go), or of the whole file when those items cannot
// be cut out or do not parse on their own. Only the whole file's errors are
// reported, as a *ParseError.
func parseNaming(name string, cut *cutFile, crates, features []string) (*sitter.Tree, error) {
	src := cut.src
	var offsets []int
	for _, old := range crates {
		offsets = appendIndexes(offsets, src, []byte(old))
	}
	for _, old := range features {
		offsets = appendIndexes(offsets, src, []byte(`"`+old+`"`))
	}
	return parseKept(name, src, keepCut(cut, offsets))
}

// parseKept parses the kept ranges of src and returns the tree when it has
// no error. Otherwise, or when kept is nil, it parses the whole of src: a
// clean whole file gives its tree (the cut was at fault), a broken one the
// first error in the kept ranges, or the whole file's error when kept is
// empty.
func parseKept(name string, src []byte, kept []sitter.Range) (*sitter.Tree, error) {
	if len(kept) == 0 {
		return parseWhole(name, src)
	}
	tree, err := parseRanges(src, kept)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	root := tree.RootNode()
	if !root.HasError() {
		return tree, nil
	}
	keptErr := newParseError(name, src, root)
	tree.Close()
	if whole, err := parseWhole(name, src); err == nil {
		return whole, nil
	}
	return nil, keptErr
}

// appendIndexes appends the offset of every occurrence of word in src.
func appendIndexes(offsets []int, src, word []byte) []int {
	for i := 0; ; {
		j := bytes.Index(src[i:], word)
		if j < 0 {
			return offsets
		}
		offsets = append(offsets, i+j)
		i += j + len(word)
	}
}

// parseWhole parses all of src; a syntax error gives a *ParseError.
func parseWhole(name string, src []byte) (*sitter.Tree, error) {
	tree, err := parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if root := tree.RootNode(); root.HasError() {
		err := newParseError(name, src, root)
		tree.Close()
		return nil, err
	}
	return tree, nil
}

// CheckChange checks the new content of a Rust file that had the content
// old (nil for a new file). When both cut into the same number of
// top-level segments (see segments.go), only the segments whose bytes
// differ are parsed, and a syntax error there is checked against the whole
// new file; a file that does not cut the same way, or a new file, is parsed
// whole. The items jemfix did not touch are not parsed again: an error in
// them was there before.
func CheckChange(name string, old, src []byte) error {
	var kept []sitter.Range
	if old != nil {
		var ok bool
		if kept, ok = changedSegments(old, src); ok && kept == nil {
			return nil
		}
	}
	tree, err := parseKept(name, src, kept)
	if err == nil {
		tree.Close()
	}
	return err
}

// present returns, sorted, the old names of renames that occur in src.
// Feature names are looked for with their quotes. Empty and identity
// renames are dropped.
func present(src []byte, renames map[string]string, quoted bool) []string {
	var out []string
	for old, nu := range renames {
		if old == "" || old == nu {
			continue
		}
		needle := old
		if quoted {
			needle = `"` + old + `"`
		}
		if bytes.Contains(src, []byte(needle)) {
			out = append(out, old)
		}
	}
	slices.Sort(out)
	return out
}

// generated reports the offset of an @generated marker in the first lines.
func generated(src []byte) (int, bool) {
	head := src
	for i, n := 0, 0; i < len(src); i++ {
		if src[i] == '\n' {
			if n++; n == generatedLines {
				head = src[:i]
				break
			}
		}
	}
	off := bytes.Index(head, []byte("@generated"))
	return off, off >= 0
}

var parsers = sync.Pool{New: func() any {
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	return p
}}

// wholeFile is tree-sitter's default included range: all of the input.
var wholeFile = []sitter.Range{{
	EndPoint: sitter.Point{Row: ^uint32(0), Column: ^uint32(0)},
	EndByte:  ^uint32(0),
}}

func parse(src []byte) (*sitter.Tree, error) {
	return parseRanges(src, wholeFile)
}

// parseRanges parses only the given ranges of src, in order and apart;
// the bytes between them are skipped as if they were spaces, and offsets
// and points stay those of src.
func parseRanges(src []byte, ranges []sitter.Range) (*sitter.Tree, error) {
	p := parsers.Get().(*sitter.Parser)
	defer parsers.Put(p)
	p.SetIncludedRanges(ranges)
	return p.ParseCtx(context.Background(), nil, src)
}

func newParseError(name string, src []byte, root *sitter.Node) *ParseError {
	n := firstError(root)
	off := int(n.StartByte())
	var msg string
	if n.IsMissing() {
		msg = fmt.Sprintf("syntax error: missing %q", n.Type())
	} else {
		msg = fmt.Sprintf("syntax error near %q", snippet(src[off:n.EndByte()]))
	}
	line, col := textedit.LineCol(src, off)
	return &ParseError{Name: name, Offset: off, Line: line, Col: col, Msg: msg}
}

// firstError descends to the first ERROR or MISSING node under n.
func firstError(n *sitter.Node) *sitter.Node {
	for i := 0; i < int(n.ChildCount()); i++ {
		c := n.Child(i)
		switch {
		case c.IsMissing() || c.IsError():
			return c
		case c.HasError():
			return firstError(c)
		}
	}
	return n
}

// snippet shortens the text of an error node to its first line.
func snippet(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	r := []rune(strings.TrimSpace(s))
	if len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return string(r)
}
