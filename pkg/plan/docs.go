package plan

import (
	"slices"

	"jemfix/pkg/docs"
	"jemfix/pkg/workspace"
)

// RewriteDocs extends an Option 1 plan with the ```rust code blocks of the
// workspace's Markdown files (apply --docs): their mentions become edits
// instead of reports.
func RewriteDocs(ws *workspace.Workspace, p *Plan) {
	if p.text == nil {
		return
	}
	p.Skipped = slices.DeleteFunc(p.Skipped, func(s Skipped) bool { return s.Kind == KindMention })
	rewrites, notes := p.text.Scan(ws, true)
	for _, r := range rewrites {
		p.Changes = append(p.Changes, Change{Path: r.Path, Old: r.Old, New: r.New})
	}
	p.Skipped = append(p.Skipped, skipsOf(notes)...)
	p.sort()
}

// SetupDocs adds to the plan the jemalloc setup document and the marked
// README section (docs.Setup), both describing the workspace as the plan
// leaves it.
func SetupDocs(ws *workspace.Workspace, p *Plan) error {
	if err := p.LoadAll(ws); err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, c := range p.Changes {
		files[c.Path] = c.New
	}
	fixed, err := workspace.Load(workspace.Overlay(ws.FS, files), ws.Display)
	if err != nil {
		return err
	}
	doc, readme, err := docs.Setup(fixed)
	if err != nil {
		return err
	}
	if err := refresh(ws, p, docs.SetupPath, func([]byte) []byte { return []byte(doc) }); err != nil {
		return err
	}
	return refresh(ws, p, "README.md", readme)
}

// refresh updates the plan's content of a file that may not exist yet.
func refresh(ws *workspace.Workspace, p *Plan, name string, fn func([]byte) []byte) error {
	old, err := readOptional(ws, name)
	if err != nil {
		return err
	}
	if err := p.update(name, old, fn); err != nil {
		return err
	}
	p.sort()
	return nil
}
