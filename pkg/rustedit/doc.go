package rustedit

import (
	"bytes"
	"slices"

	sitter "github.com/smacker/go-tree-sitter"

	"jemfix/pkg/textedit"
)

// Doc comments hold doctests: rustdoc compiles every ```rust (or unmarked)
// block of a `///`, `//!`, `/** */` or `/*! */` comment as its own crate, so
// an old crate path there breaks `cargo test --doc`. Each block is turned
// back into the code rustdoc sees, rewritten like a file, and the edits are
// mapped back to the comment, line by line.

// docWrapper is put around a block that is not a complete file, the way
// rustdoc puts statements into a main function.
const docWrapper = "fn __jemfix_doc() {\n"

// rewriteDocs adds the edits for the Rust code blocks of the doc comments.
func (f *file) rewriteDocs(opt Options, res *Result) {
	for _, group := range f.docComments(opt) {
		for _, b := range fencedBlocks(group, true) {
			if b.rust {
				rewriteBlock(b, opt, "doc-test", res)
			}
		}
	}
}

// docComments returns the doc comments that mention a name of opt, each as
// its lines of text: a run of `///` lines, a run of `//!` lines, or one
// block comment. Only the runs of lines that look like doc lines of one
// kind and mention a name are asked of the tree (commentAt): a doc comment
// lies within such a run, and one that mentions no name is dropped.
func (f *file) docComments(opt Options) [][]docLine {
	var groups [][]docLine
	var run []docLine // the lines of one kind, reused from run to run
	for off := 0; off < len(f.src); {
		l, next := lineAt(f.src, off)
		t, at, k := docLineOf(l)
		off = next
		if k == "" {
			if bytes.HasPrefix(t, []byte("/**")) || bytes.HasPrefix(t, []byte("/*!")) {
				if g := f.blockDoc(at); len(g) > 0 && mentions(g, opt) {
					groups = append(groups, g)
				}
			}
			continue
		}
		run = append(run[:0], l)
		for off < len(f.src) {
			l, next := lineAt(f.src, off)
			if docKindOf(l) != k {
				break
			}
			run, off = append(run, l), next
		}
		groups = f.lineDocs(run, opt, groups)
	}
	return groups
}

// lineDocs appends to groups the doc comments among run, lines that look
// like doc lines of one kind, that mention a name of opt: the runs of
// those lines that are comments in the tree (commentAt).
func (f *file) lineDocs(run []docLine, opt Options, groups [][]docLine) [][]docLine {
	docs := make([]docLine, len(run))
	for i, l := range run {
		t, at, _ := docLineOf(l)
		docs[i] = docLine{off: at + 3, text: t[3:]}
	}
	if !mentions(docs, opt) {
		return groups
	}
	var cur []docLine
	flush := func() {
		if len(cur) > 0 && mentions(cur, opt) {
			groups = append(groups, cur)
		}
		cur = nil
	}
	for i, d := range docs {
		if !f.commentAt(d.off-3, "line_comment") {
			flush()
			continue
		}
		cur = append(cur, docs[i])
	}
	flush()
	return groups
}

// docLineOf returns a line's text without its indentation, the offset
// where that starts, and its doc kind (lineDocKind).
func docLineOf(l docLine) (t []byte, at int, kind string) {
	t = bytes.TrimLeft(l.text, " \t")
	return t, l.off + len(l.text) - len(t), lineDocKind(t)
}

// docKindOf is the doc kind of a line (lineDocKind).
func docKindOf(l docLine) string {
	_, _, k := docLineOf(l)
	return k
}

// lineDocKind returns "///" or "//!" when t starts an outer or inner doc
// line comment; `////` is a plain comment.
func lineDocKind(t []byte) string {
	switch {
	case bytes.HasPrefix(t, []byte("////")):
		return ""
	case bytes.HasPrefix(t, []byte("///")):
		return "///"
	case bytes.HasPrefix(t, []byte("//!")):
		return "//!"
	}
	return ""
}

// commentAt reports whether a comment node of the kind starts at off, so
// that `///` inside a string literal does not count.
func (f *file) commentAt(off int, kind string) bool {
	p := f.point(off)
	for n := f.root.NamedDescendantForPointRange(p, p); n != nil; n = n.Parent() {
		if int(n.StartByte()) != off {
			return false
		}
		if n.Type() == kind {
			return true
		}
	}
	return false
}

// blockDoc returns the lines of the `/** */` or `/*! */` comment at off,
// with a leading ` * ` column removed, or nil when there is none.
func (f *file) blockDoc(off int) []docLine {
	if !f.commentAt(off, "block_comment") {
		return nil
	}
	n := f.root.NamedDescendantForPointRange(f.point(off), f.point(off))
	for n != nil && n.Type() != "block_comment" {
		n = n.Parent()
	}
	end := int(n.EndByte()) - len("*/")
	if bytes.HasPrefix(f.src[off:], []byte("/**/")) || end < off+3 {
		return nil
	}
	var out []docLine
	for i, l := range fileLines(f.src[off+3 : end]) {
		l.off += off + 3
		if i > 0 {
			t := bytes.TrimLeft(l.text, " \t")
			if bytes.HasPrefix(t, []byte("*")) {
				t = bytes.TrimPrefix(t[1:], []byte(" "))
			}
			l.off += len(l.text) - len(t)
			l.text = t
		}
		out = append(out, l)
	}
	return out
}

func mentions(lines []docLine, opt Options) bool {
	for _, l := range lines {
		if len(present(l.text, opt.Crates, false)) > 0 || len(present(l.text, opt.Features, true)) > 0 {
			return true
		}
	}
	return false
}

// rewriteBlock rewrites one Rust code block and maps the edits and skips
// back to the file. what names the block in messages.
func rewriteBlock(b codeBlock, opt Options, what string, res *Result) {
	var code []byte
	var starts []int
	for _, l := range b.lines {
		c := codeLine(l)
		starts = append(starts, len(code))
		code = append(append(code, c.text...), '\n')
		b.lines[len(starts)-1] = c
	}
	crates, features := present(code, opt.Crates, false), present(code, opt.Features, true)
	if len(crates) == 0 && len(features) == 0 {
		return
	}
	tree, shift := parseBlock(code)
	if tree == nil {
		res.Skipped = append(res.Skipped, Skip{Offset: b.fence, Kind: KindParse,
			Reason: what + " code block does not parse as Rust; not rewritten"})
		return
	}
	defer tree.Close()
	f := &file{src: tree.src, root: tree.root}
	var sub Result
	for _, old := range crates {
		f.renameCrate(old, opt.Crates[old], opt, &sub)
	}
	for _, old := range features {
		f.renameFeature(old, opt.Features[old], &sub)
	}
	back := func(off int) int {
		off = min(max(off-shift, 0), max(len(code)-1, 0))
		i, found := slices.BinarySearch(starts, off)
		if !found {
			i--
		}
		return b.lines[i].off + off - starts[i]
	}
	for _, e := range sub.Edits {
		res.Edits = append(res.Edits, textedit.Edit{Start: back(e.Start), End: back(e.Start) + e.End - e.Start, New: e.New})
	}
	for _, s := range sub.Skipped {
		s.Offset = back(s.Offset)
		s.Reason = "in a " + what + ": " + s.Reason
		res.Skipped = append(res.Skipped, s)
	}
}

// parsedBlock is a parse tree over the code it was parsed from.
type parsedBlock struct {
	tree *sitter.Tree
	root *sitter.Node
	src  []byte
}

func (p *parsedBlock) Close() { p.tree.Close() }

// parseBlock parses code as a file, or else as the body of a function. It
// returns nil when neither parses, and the offset of code in the parsed text.
func parseBlock(code []byte) (*parsedBlock, int) {
	for _, prefix := range []string{"", docWrapper} {
		src := code
		if prefix != "" {
			src = append(append([]byte(prefix), code...), "}\n"...)
		}
		tree, err := parse(src)
		if err != nil {
			return nil, 0
		}
		if root := tree.RootNode(); !root.HasError() {
			return &parsedBlock{tree: tree, root: root, src: src}, len(prefix)
		}
		tree.Close()
	}
	return nil, 0
}
