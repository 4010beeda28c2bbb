package plan

import (
	"slices"
	"strings"

	"jemfix/pkg/docs"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/workspace"
)

// Plan is a fix as data: what it does, why, and the resulting file contents.
// It has no side effects; the caller prints, diffs, serialises or writes it.
type Plan struct {
	Option   string    // "1", "2" or "3"
	Variant  string    // "keep-names" for Option 1 with package renames; "" otherwise
	Series   string    // the tikv minor series every family crate ends on
	Resolves bool      // whether the workspace resolves after the plan
	Why      []string  // the reasons behind each choice, in order
	Moves    []Move    // dependency entries that change
	Changes  []Change  // changed files, sorted by path
	Skipped  []Skipped // places that mention an old name but were left alone
	// Unread names the packages of the graph outside the root, which jemfix
	// does not read: while there are any, whether the plan resolves the
	// workspace is unknown, whatever Resolves says.
	Unread []string

	text *docs.TextScan // the non-Rust files Option 1 reported on, for RewriteDocs
}

// Move is one dependency entry that changes crate or version.
type Move struct {
	At       workspace.Position
	Member   string // package name, or "[workspace.dependencies]"
	From, To string // "jemalloc-ctl 0.5" -> "tikv-jemalloc-ctl 0.5"
}

// Skipped is a place the fix did not rewrite, and why.
type Skipped struct {
	At     workspace.Position
	Kind   string // rustedit's Kind constants, or KindInclude, KindMention, KindScope; "" for a manifest entry
	Reason string
	File   string // the root-relative Rust file of a source skip, else ""
	// Left is the root-relative file, pulled in by include! or #[path],
	// that still names an old crate and that jemfix leaves to rename by
	// hand (KindInclude), else "".
	Left string
}

// Unrewritten lists the Rust sources the plan could not rewrite because
// they do not parse: they still name an old crate, so their package does
// not build until they are fixed and jemfix runs again.
func (p *Plan) Unrewritten() []string {
	var out []string
	for _, s := range p.Skipped {
		if s.Kind == rustedit.KindParse && strings.HasSuffix(s.File, ".rs") && !slices.Contains(out, s.File) {
			out = append(out, s.File)
		}
	}
	return out
}

// LeftByHand lists the files that include! or #[path] pulls in and that
// still name an old crate: jemfix does not rewrite them, so their package
// does not build until someone renames the paths in them.
func (p *Plan) LeftByHand() []string {
	var out []string
	for _, s := range p.Skipped {
		if s.Left != "" && !slices.Contains(out, s.Left) {
			out = append(out, s.Left)
		}
	}
	return out
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

func (p *Plan) sort() {
	slices.SortFunc(p.Changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(p.Skipped, func(a, b Skipped) int {
		if c := strings.Compare(a.At.Path, b.At.Path); c != 0 {
			return c
		}
		return a.At.Line - b.At.Line
	})
}
