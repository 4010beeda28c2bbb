package apply

import (
	"cmp"
	"errors"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
	"jemfix/pkg/verify"
)

// The JSON documents of apply are part of the command's output contract
// (README, "JSON"); a field is never removed or renamed without raising
// Schema.

// Schema versions every JSON document jemfix prints. A change that removes
// or renames a field bumps it; adding a field does not.
const Schema = 1

// MoveJSON is one moved dependency entry.
type MoveJSON struct {
	Member string `json:"member"`
	From   string `json:"from"`
	To     string `json:"to"`
	At     string `json:"at"`
}

// FileJSON is one changed file with its diff's line counts.
type FileJSON struct {
	Path    string `json:"path"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
}

// SkipJSON is one place left alone.
type SkipJSON struct {
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// Doc is the document of `apply --json` for one root.
type Doc struct {
	Schema   int            `json:"schema"`
	Root     string         `json:"root"`
	Option   string         `json:"option"`
	Variant  string         `json:"variant"`
	Resolves *bool          `json:"resolves"` // null when a package outside the root was not read
	Unread   []string       `json:"unread"`
	DryRun   bool           `json:"dry_run"`
	Status   string         `json:"status"`
	Series   string         `json:"series"`
	Why      []string       `json:"why"`
	Moves    []MoveJSON     `json:"moves"`
	Files    []FileJSON     `json:"files"`
	Skipped  []SkipJSON     `json:"skipped"`
	Diff     string         `json:"diff"`
	Verify   *verify.Result `json:"verify,omitempty"`
	// Recovered says what was done, before this run, to a write that a
	// dead jemfix process left unfinished; omitted when nothing was.
	Recovered string `json:"recovered,omitempty"`
	// Error says why the git step failed, with the status
	// written-not-committed (StatusNotCommitted).
	Error string `json:"error,omitempty"`
}

// Document builds the --json document of a root's plan; diffs holds the
// diff of each of p's changes.
func Document(root string, p *plan.Plan, diffs []string, dryRun bool, status string) Doc {
	out := Doc{
		Schema: Schema, Root: root, Option: p.Option, Variant: p.Variant, Resolves: resolves(p), Unread: NonNil(p.Unread), DryRun: dryRun, Status: status,
		Series: p.Series, Why: NonNil(p.Why), Moves: []MoveJSON{}, Files: Files(p.Changes, diffs), Skipped: []SkipJSON{}, Diff: strings.Join(diffs, ""),
	}
	for _, m := range p.Moves {
		out.Moves = append(out.Moves, MoveJSON{Member: m.Member, From: m.From, To: m.To, At: m.At.String()})
	}
	for _, s := range p.Skipped {
		out.Skipped = append(out.Skipped, SkipJSON{At: s.At.String(), Kind: cmp.Or(s.Kind, "manifest"), Reason: s.Reason})
	}
	return out
}

// resolves is what the document says of the conflict after the plan: nil,
// unknown, while packages outside the root were not read.
func resolves(p *plan.Plan) *bool {
	if len(p.Unread) > 0 {
		return nil
	}
	return &p.Resolves
}

// Files lists the changed files with the line counts of their diffs.
func Files(changes []plan.Change, diffs []string) []FileJSON {
	out := []FileJSON{}
	for i, ch := range changes {
		added, removed := udiff.Counts(diffs[i])
		out = append(out, FileJSON{Path: ch.Path, Added: added, Removed: removed})
	}
	return out
}

// LineJSON is one line of a bulk run's JSON Lines output.
type LineJSON struct {
	Schema  int        `json:"schema"`
	Root    string     `json:"root"`
	Status  string     `json:"status"` // changed, nothing-to-do, conflict-remains, error, written-not-committed or duplicate
	DryRun  bool       `json:"dry_run"`
	Option  string     `json:"option,omitempty"`
	Chains  []string   `json:"chains"`
	Files   []FileJSON `json:"files"`
	Skipped []SkipJSON `json:"skipped"`
	Patch   string     `json:"patch,omitempty"`
	Commit  string     `json:"commit,omitempty"`
	Verify  string     `json:"verify,omitempty"` // pass or fail, with --verify
	Unread  []string   `json:"unread,omitempty"` // packages outside the root: the result is unknown
	// Recovered: what was done to an unfinished write found under the root.
	Recovered string `json:"recovered,omitempty"`
	Error     string `json:"error,omitempty"`
	SameAs    string `json:"same_as,omitempty"` // with StatusDuplicate: the earlier root of the same workspace
}

// TotalsJSON is the last line of a bulk run's JSON Lines output.
type TotalsJSON struct {
	Schema int            `json:"schema"`
	Totals map[string]int `json:"totals"` // roots, and one count per status
}

// The statuses of outcomes whose Err is not a failure to apply: the files
// were written and a git step after the write failed (NotCommittedError),
// or an earlier argument named the same workspace (SameWorkspace).
const (
	StatusNotCommitted = "written-not-committed"
	StatusNotLocked    = "written-not-locked" // --lock failed after the write (LockError)
	StatusDuplicate    = "duplicate"
)

// Line sums up one root of a bulk run.
func (o *Outcome) Line(dryRun bool) LineJSON {
	line := LineJSON{Schema: Schema, Root: o.Arg, Status: o.Status(), DryRun: dryRun,
		Chains: []string{}, Files: []FileJSON{}, Skipped: []SkipJSON{}, Patch: o.Patch, Commit: o.Commit}
	if o.WS != nil {
		line.Root = o.WS.Display
		for _, ch := range conflict.Scan(o.WS).Chains {
			line.Chains = append(line.Chains, ch.String())
		}
	}
	if o.Plan != nil {
		doc := Document(line.Root, o.Plan, o.Diffs, dryRun, line.Status)
		line.Option, line.Files, line.Skipped, line.Unread = doc.Option, doc.Files, doc.Skipped, o.Plan.Unread
	}
	if o.Verified != nil {
		line.Verify = o.Verified.Status
	}
	line.Recovered = o.Recovered.String()
	var same *SameWorkspace
	if errors.As(o.Err, &same) {
		line.SameAs = same.As
	} else if o.Err != nil {
		line.Error = o.Err.Error()
	}
	return line
}

// NonNil gives an empty list for nil, so that JSON shows [] and not null.
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
