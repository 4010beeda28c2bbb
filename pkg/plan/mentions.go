package plan

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
)

// textScan is what the report of non-Rust files needs: the files, the old
// names to look for and the renames for Markdown Rust blocks.
type textScan struct {
	tree  *tree
	words []string // old names, both as keys ("jemalloc-ctl") and as Rust names
	opt   rustedit.Options
}

// newTextScan collects the renames of every package.
func newTextScan(t *tree, edits map[*Manifest]*manifestEdit) *textScan {
	opt := rustedit.Options{Crates: map[string]string{}, Features: map[string]string{}}
	words := map[string]bool{}
	for _, me := range edits {
		maps.Copy(opt.Crates, me.crates)
		maps.Copy(opt.Features, me.features)
		for old := range me.keys {
			words[old] = true
		}
		for old := range me.crates {
			words[old] = true
		}
	}
	return &textScan{tree: t, words: slices.Sorted(maps.Keys(words)), opt: opt}
}

// scan reports every mention of an old name in the non-Rust files. With
// docs, the ```rust blocks of Markdown files are rewritten instead and
// their changes returned.
func (ws *Workspace) scanText(fsys fs.FS, ts *textScan, docs bool) ([]Change, []Skipped) {
	var changes []Change
	var skips []Skipped
	if len(ts.words) == 0 {
		return nil, nil
	}
	for _, f := range ts.tree.other {
		if f.size > MaxSourceSize {
			continue
		}
		src, err := fs.ReadFile(fsys, f.path)
		if err != nil || !containsAny(src, ts.words) {
			continue
		}
		kind := textKind(f.path)
		if kind != "Markdown" {
			for _, m := range rustedit.Mentions(src, ts.words) {
				skips = append(skips, ws.mention(f.path, src, m.Offset, fmt.Sprintf("%s names %s; update it by hand", kind, m.Word)))
			}
			continue
		}
		ch, sk := ws.markdown(f.path, src, ts, docs)
		changes = append(changes, ch...)
		skips = append(skips, sk...)
	}
	return changes, skips
}

// markdown reports the mentions of one Markdown file, and with docs
// rewrites its Rust code blocks.
func (ws *Workspace) markdown(p string, src []byte, ts *textScan, docs bool) ([]Change, []Skipped) {
	var changes []Change
	var skips []Skipped
	if docs {
		res := rustedit.RewriteMarkdown(p, src, ts.opt)
		for _, s := range res.Skipped {
			skips = append(skips, Skipped{At: ws.at(p, src, s.Offset), Kind: s.Kind, Reason: s.Reason})
		}
		if len(res.Edits) > 0 {
			out, err := textedit.Apply(src, res.Edits)
			if err == nil {
				changes = append(changes, Change{Path: p, Old: src, New: out})
			}
		}
	}
	for _, m := range rustedit.MarkdownMentions(src, ts.words) {
		var why string
		switch {
		case m.Where == rustedit.InRustBlock && docs:
			continue // rewritten, or not a crate path
		case m.Where == rustedit.InRustBlock:
			why = fmt.Sprintf("Markdown Rust code block names %s; rerun with --docs to rewrite it", m.Word)
		case m.Where == rustedit.InCodeBlock:
			why = fmt.Sprintf("Markdown code block names %s; update it by hand", m.Word)
		default:
			why = fmt.Sprintf("Markdown text names %s; update it by hand if it means the crate", m.Word)
		}
		skips = append(skips, ws.mention(p, src, m.Offset, why))
	}
	return changes, skips
}

func (ws *Workspace) mention(p string, src []byte, off int, why string) Skipped {
	return Skipped{At: ws.at(p, src, off), Kind: KindMention, Reason: why}
}

func (ws *Workspace) at(p string, src []byte, off int) Position {
	line, col := textedit.LineCol(src, off)
	return Position{Path: ws.display(p), Line: line, Col: col}
}

func containsAny(src []byte, words []string) bool {
	for _, w := range words {
		if len(rustedit.Mentions(src, []string{w})) > 0 {
			return true
		}
	}
	return false
}

// RewriteDocs extends an Option 1 plan with the ```rust code blocks of the
// workspace's Markdown files (apply --docs): their mentions become edits
// instead of reports. fsys is the workspace root, as for Option1.
func (ws *Workspace) RewriteDocs(p *Plan, fsys fs.FS) {
	if p.text == nil {
		return
	}
	p.Skipped = slices.DeleteFunc(p.Skipped, func(s Skipped) bool { return s.Kind == KindMention })
	changes, skips := ws.scanText(fsys, p.text, true)
	p.Changes = append(p.Changes, changes...)
	p.Skipped = append(p.Skipped, skips...)
	p.sort()
}
