package rustedit

import (
	"bytes"
	"slices"

	"jemfix/pkg/textedit"
)

// RewriteMarkdown returns the edits that rename old crates in the fenced
// ```rust code blocks of a Markdown file, with the same rules and hidden
// `# ` lines as doctests. Unmarked fences are left alone: in a README they
// are as often shell sessions as Rust. A block that does not parse gives a
// Skip. Pure: no I/O.
func RewriteMarkdown(name string, src []byte, opt Options) Result {
	var res Result
	if !mentions([]docLine{{text: src}}, opt) {
		return res
	}
	for _, b := range fencedBlocks(fileLines(src), false) {
		if b.rust {
			rewriteBlock(b, opt, "Markdown", &res)
		}
	}
	slices.SortFunc(res.Edits, func(a, b textedit.Edit) int { return a.Start - b.Start })
	return res
}

// Mention is an occurrence of an old name in a file that is not Rust
// source, for the report of what was left alone.
type Mention struct {
	Offset int
	Word   string
	Where  string // "text", or for Markdown "Rust code block", "code block" or "text"
}

// Mention places, as Where says them.
const (
	InText      = "text"
	InRustBlock = "Rust code block"
	InCodeBlock = "code block"
)

// Mentions returns where any of words occurs in src as a whole word: a
// letter, digit, `_` or `-` next to it makes it part of a longer name, so
// `tikv-jemalloc-ctl` is not a mention of `jemalloc-ctl`.
func Mentions(src []byte, words []string) []Mention {
	var out []Mention
	for _, w := range words {
		if w == "" {
			continue
		}
		for i := 0; ; {
			j := bytes.Index(src[i:], []byte(w))
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(w)
			i = end
			if start > 0 && nameByte(src[start-1]) || end < len(src) && nameByte(src[end]) {
				continue
			}
			if start > 0 && src[start-1] == '/' {
				continue // a path segment: a repository in a URL (tikv/jemallocator), a directory
			}
			out = append(out, Mention{Offset: start, Word: w, Where: InText})
		}
	}
	slices.SortFunc(out, func(a, b Mention) int { return a.Offset - b.Offset })
	return out
}

func nameByte(b byte) bool { return b == '-' || identByte(b) }

// MarkdownMentions is Mentions for a Markdown file, with each mention
// placed in a ```rust block, another code block, or the text.
func MarkdownMentions(src []byte, words []string) []Mention {
	ms := Mentions(src, words)
	if len(ms) == 0 {
		return nil
	}
	blocks := fencedBlocks(fileLines(src), false)
	for i, m := range ms {
		for _, b := range blocks {
			if m.Offset >= b.fence && m.Offset < b.end {
				ms[i].Where = InCodeBlock
				if b.rust {
					ms[i].Where = InRustBlock
				}
			}
		}
	}
	return ms
}
