package apply

import (
	"cmp"
	"errors"

	"jemfix/pkg/plan"
	"jemfix/pkg/verify"
)

// The JSON documents of apply are part of the command's output contract
// (README, "JSON", and docs/jemfix.schema.json); a field is never removed
// or renamed without raising Schema. One root is one RootJSON, in a
// single-root run (an indented document) and in a bulk run (a line of
// JSON Lines) alike.

// Schema versions every JSON document jemfix prints. A change that removes
// or renames a field bumps it; adding a field does not.
const Schema = 2

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

// RootJSON is what apply did to one root. Schema 2: the same object for a
// single root and for each line of a bulk run.
type RootJSON struct {
	Schema    int            `json:"schema"`
	Root      string         `json:"root"`
	Status    string         `json:"status"` // see Outcome.JSON
	DryRun    bool           `json:"dry_run"`
	Option    string         `json:"option"`
	Variant   string         `json:"variant"`
	Resolves  *bool          `json:"resolves"` // null when a package outside the root was not read, or no plan was made
	Series    string         `json:"series"`
	Why       []string       `json:"why"`
	Chains    []string       `json:"chains"` // the conflict chains before the fix
	Moves     []MoveJSON     `json:"moves"`
	Files     []FileJSON     `json:"files"`
	Skipped   []SkipJSON     `json:"skipped"`
	Unread    []string       `json:"unread"`
	Diff      string         `json:"diff"`
	Patch     string         `json:"patch,omitempty"`
	Commit    string         `json:"commit,omitempty"`
	Verify    *verify.Result `json:"verify,omitempty"`
	Recovered string         `json:"recovered,omitempty"` // what was done to an unfinished write found under the root
	SameAs    string         `json:"same_as,omitempty"`   // with StatusDuplicate: the earlier root of the same workspace
	Error     string         `json:"error,omitempty"`
}

// TotalsJSON is the last line of a bulk run's JSON Lines output.
type TotalsJSON struct {
	Schema int            `json:"schema"`
	Totals map[string]int `json:"totals"` // roots, and one count per status
}

// StatusWouldChange is the status of a dry run with a diff.
const StatusWouldChange = "would-change"

// The statuses of outcomes whose Err is not a failure to apply: the files
// were written and a git step after the write failed (NotCommittedError),
// or an earlier argument named the same workspace (SameWorkspace).
const (
	StatusNotCommitted = "written-not-committed"
	StatusNotLocked    = "written-not-locked" // --lock failed after the write (LockError)
	StatusDuplicate    = "duplicate"
)

// JSON describes the outcome of one root. Status is "would-change" (a
// dry run with a diff), "changed" (written), "nothing-to-do",
// "conflict-remains" (an option that leaves the conflict, written with
// --force or shown by a dry run), "written-not-committed",
// "written-not-locked", "duplicate" or "error".
func (o *Outcome) JSON(dryRun bool) RootJSON {
	out := RootJSON{Schema: Schema, Root: o.Display(), Status: o.Status(), DryRun: dryRun,
		Why: []string{}, Chains: []string{}, Moves: []MoveJSON{}, Files: []FileJSON{}, Skipped: []SkipJSON{}, Unread: []string{},
		Patch: o.Patch, Commit: o.Commit, Verify: o.Verified, Recovered: o.Recovered.String()}
	if dryRun && out.Status == "changed" {
		out.Status = StatusWouldChange
	}
	if o.WS != nil {
		for _, ch := range o.Before().Chains {
			out.Chains = append(out.Chains, ch.String())
		}
	}
	if p := o.Plan; p != nil {
		out.Option, out.Variant, out.Resolves, out.Series = p.Option, p.Variant, resolves(p), p.Series
		out.Why, out.Unread, out.Diff = NonNil(p.Why), NonNil(p.Unread), o.Diff
		if o.Files != nil {
			out.Files = o.Files
		}
		for _, m := range p.Moves {
			out.Moves = append(out.Moves, MoveJSON{Member: m.Member, From: m.From, To: m.To, At: m.At.String()})
		}
		for _, s := range p.Skipped {
			out.Skipped = append(out.Skipped, SkipJSON{At: s.At.String(), Kind: cmp.Or(s.Kind, "manifest"), Reason: s.Reason})
		}
	}
	var same *SameWorkspace
	if errors.As(o.Err, &same) {
		out.SameAs = same.As
	} else if o.Err != nil {
		out.Error = o.Err.Error()
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

// NonNil gives an empty list for nil, so that JSON shows [] and not null.
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
