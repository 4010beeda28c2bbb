// Package docs owns what jemfix writes or reads in documentation: the
// jemalloc setup document and README sections it generates, the scan of
// non-Rust files (Markdown, scripts, CI files) for mentions of a renamed
// crate, and the rewrite of Rust code blocks in Markdown. It reads through
// the workspace and returns text; it never writes.
package docs

import (
	"bytes"
	"fmt"
	"io/fs"

	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// KindMention is the kind of a Note on a non-Rust file that names an old
// crate.
const KindMention = "mention"

// Rewrite is one documentation file's old and new content.
type Rewrite struct {
	Path     string // root-relative slash path
	Old, New []byte
}

// Note is a place in a documentation file left for a person, and why.
type Note struct {
	At     workspace.Position
	Kind   string // KindMention, or rustedit's kinds for a Markdown Rust block
	Reason string
}

// TextScan is what the report of non-Rust files needs: the files, the old
// names to look for and the renames for Markdown Rust blocks.
type TextScan struct {
	files []workspace.File
	words []string // old names, both as keys ("jemalloc-ctl") and as Rust names
	opt   rustedit.Options
	// Replace gives the new text of each old name, for the reports;
	// Kept marks the names that live on as feature names.
	Replace map[string]string
	Kept    map[string]bool
}

// NewTextScan scans files (the non-Rust files of a walk) for words, the
// old names, and renames Markdown Rust blocks with crates (old Rust name ->
// new path) and features (old feature name -> new).
func NewTextScan(files []workspace.File, words []string, crates, features map[string]string) *TextScan {
	opt := rustedit.Options{Crates: crates, Features: features}
	return &TextScan{files: files, words: words, opt: opt}
}

// now says what an old name became, for a report: ", now NEW", and that a
// kept feature name still works.
func (ts *TextScan) now(word string) string {
	nu, ok := ts.Replace[word]
	if !ok {
		return ""
	}
	if ts.Kept[word] {
		return fmt.Sprintf(", now %s (as a feature name it still works: jemfix kept the feature)", nu)
	}
	return ", now " + nu
}

// Scan reports every mention of an old name in the non-Rust files. With
// rewrite, the ```rust blocks of Markdown files are rewritten instead and
// their changes returned.
func (ts *TextScan) Scan(ws *workspace.Workspace, rewrite bool) ([]Rewrite, []Note) {
	var changes []Rewrite
	var notes []Note
	if len(ts.words) == 0 {
		return nil, nil
	}
	for _, f := range ts.files {
		if f.Size > workspace.MaxSourceSize {
			continue
		}
		src, err := fs.ReadFile(ws.FS, f.Path)
		if err != nil || !containsAny(src, ts.words) {
			continue
		}
		kind := workspace.TextKind(f.Path)
		if kind != "Markdown" {
			for _, m := range rustedit.Mentions(src, ts.words) {
				why := fmt.Sprintf("%s names %s%s; update it by hand", kind, m.Word, ts.now(m.Word))
				if commentLine(src, m.Offset) {
					why = fmt.Sprintf("%s comment names %s%s; update it if it means the crate", kind, m.Word, ts.now(m.Word))
				}
				notes = append(notes, mention(ws, f.Path, src, m.Offset, why))
			}
			continue
		}
		ch, sk := ts.markdown(ws, f.Path, src, rewrite)
		changes = append(changes, ch...)
		notes = append(notes, sk...)
	}
	return changes, notes
}

// markdown reports the mentions of one Markdown file, and with rewrite
// rewrites its Rust code blocks.
func (ts *TextScan) markdown(ws *workspace.Workspace, p string, src []byte, rewrite bool) ([]Rewrite, []Note) {
	var changes []Rewrite
	var skips []Note
	if rewrite {
		res := rustedit.RewriteMarkdown(p, src, ts.opt)
		for _, s := range res.Skipped {
			skips = append(skips, Note{At: ws.At(p, src, s.Offset), Kind: s.Kind, Reason: s.Reason})
		}
		if len(res.Edits) > 0 {
			out, err := textedit.Apply(src, res.Edits)
			if err == nil {
				changes = append(changes, Rewrite{Path: p, Old: src, New: out})
			}
		}
	}
	for _, m := range rustedit.MarkdownMentions(src, ts.words) {
		var why string
		switch {
		case m.Where == rustedit.InRustBlock && rewrite:
			continue // rewritten, or not a crate path
		case m.Where == rustedit.InRustBlock:
			why = fmt.Sprintf("Markdown Rust code block names %s; rerun with --docs to rewrite it", m.Word)
		case m.Where == rustedit.InCodeBlock:
			why = fmt.Sprintf("Markdown code block names %s%s; update it by hand", m.Word, ts.now(m.Word))
		default:
			why = fmt.Sprintf("Markdown text names %s%s; update it by hand if it means the crate", m.Word, ts.now(m.Word))
		}
		skips = append(skips, mention(ws, p, src, m.Offset, why))
	}
	return changes, skips
}

// commentLine reports whether the line holding offset off is a comment:
// its first character other than a space or tab is "#", which starts a
// comment in every kind of file but Markdown that the scan reads (shell,
// Python, TOML, YAML, Makefiles, justfiles, Dockerfiles).
func commentLine(src []byte, off int) bool {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	rest := bytes.TrimLeft(src[start:off], " \t")
	return len(rest) > 0 && rest[0] == '#'
}

func mention(ws *workspace.Workspace, p string, src []byte, off int, why string) Note {
	return Note{At: ws.At(p, src, off), Kind: KindMention, Reason: why}
}

func containsAny(src []byte, words []string) bool {
	for _, w := range words {
		if len(rustedit.Mentions(src, []string{w})) > 0 {
			return true
		}
	}
	return false
}
