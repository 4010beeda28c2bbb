package main

import (
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

type optionJSON struct {
	Option      string           `json:"option"`
	Variant     string           `json:"variant"`
	Title       string           `json:"title"`
	Feasible    bool             `json:"feasible"`
	Series      string           `json:"series"`
	Why         []string         `json:"why"`
	Risks       []string         `json:"risks"`
	Files       []apply.FileJSON `json:"files"`
	Crates      []string         `json:"crates"`
	SourceFiles int              `json:"source_files"`
	Apply       string           `json:"apply"`

	moves   int  // dependency entries the option moves
	refused bool // the option made no plan: its why says what keeps it from this workspace
}

type planJSON struct {
	Schema      int          `json:"schema"`
	Root        string       `json:"root"`
	Status      string       `json:"status"`
	Chains      []chainJSON  `json:"chains"`
	Options     []optionJSON `json:"options"`
	Recommended string       `json:"recommended"`
	Unread      []string     `json:"unread"`
}

func (c *cli) plan(cmd command, args []string) int {
	ws, r, stale, code := c.loadScanned(cmd, args)
	if ws == nil {
		return code
	}
	defer ws.Close()
	as, rec := plan.Assess(ws, plan.Options{Series: c.series, Into: c.into})
	opts := []optionJSON{}
	for _, a := range as {
		opts = append(opts, optionOf(ws, a))
	}
	if c.json {
		writeJSON(c.stdout, planJSON{Schema: apply.Schema, Root: ws.Display, Status: scanStatus(r, stale),
			Chains: chainsJSON(r.Chains), Options: opts, Recommended: rec, Unread: apply.NonNil(ws.UnreadNotes())})
		printUnread(c.stderr, ws.UnreadNotes(), "whether the graph has a links conflict") // warnings at every level
		return exitOK
	}
	printScan(c.stdout, ws, r, stale)
	printUnread(c.stdout, ws.UnreadNotes(), "whether the graph has a links conflict")
	if len(opts) == 0 && scanStatus(r, stale) == "nothing-to-do" {
		return exitOK // healthy: the scan's one line says it all
	}
	if len(opts) == 0 {
		fmt.Fprintf(c.stdout, "\nNo option changes anything.\n")
		return exitOK
	}
	printOptions(c.stdout, opts, rec, r.Conflict)
	return exitOK
}

func optionOf(ws *workspace.Workspace, a plan.Assessment) optionJSON {
	o := optionJSON{Option: a.Option, Variant: a.Variant, Title: a.Title, Feasible: a.Feasible,
		Why: apply.NonNil(a.Why), Risks: apply.NonNil(a.Risks), Files: []apply.FileJSON{}, Crates: []string{}}
	o.Apply = "jemfix apply --option=" + a.Option
	if a.Variant != "" {
		o.Apply += " --" + a.Variant
	}
	if a.Option == "2" || !a.Feasible {
		o.Apply += " --force" // apply writes an option that leaves the conflict only with it
	}
	o.Apply += " " + esc.Shell(ws.Display)
	if a.Plan == nil {
		o.Apply, o.refused = "", true // refused: there is nothing to apply
		return o
	}
	o.Series, o.moves = a.Plan.Series, len(a.Plan.Moves)
	if a.Plan.Empty() {
		o.Apply = "" // nothing to apply, as the text says
	}
	files, err := apply.Stream(ws, a.Plan.Changes, nil)
	if err != nil {
		// Not "nothing to do": apply would stop at the same error.
		o.Apply, o.refused, o.Feasible = "", true, false
		o.Why = append(o.Why, "its changes cannot be made: "+err.Error())
		return o
	}
	o.Files = files
	for _, ch := range a.Plan.Changes {
		if path.Ext(ch.Path) == ".rs" {
			o.SourceFiles++
		}
		if m := memberOf(ws, ch.Path); m != "" && !slices.Contains(o.Crates, m) {
			o.Crates = append(o.Crates, m)
		}
	}
	slices.Sort(o.Crates)
	return o
}

// memberOf names the member package a root-relative path belongs to.
func memberOf(ws *workspace.Workspace, p string) string {
	best, name := -1, ""
	for _, m := range ws.Members {
		dir := m.Dir + "/"
		if m.Dir == "." {
			dir = ""
		}
		if strings.HasPrefix(p, dir) && len(dir) > best {
			best, name = len(dir), m.Name
		}
	}
	return name
}

func printOptions(w io.Writer, opts []optionJSON, rec string, conflict bool) {
	for _, o := range opts {
		label := "Option " + o.Option
		if o.Variant != "" {
			label += " (" + o.Variant + ")"
		}
		fmt.Fprintf(w, "\n%s: %s: %s\n", label, o.Title, optionState(o, conflict))
		for _, why := range o.Why {
			fmt.Fprintf(w, "  %s\n", esc.Text(why))
		}
		if len(o.Files) > 0 {
			where := strings.Join(o.Crates, ", ")
			if where == "" {
				where = "the workspace root" // a virtual manifest belongs to no member
			}
			fmt.Fprintf(w, "  changes %d %s in %s (%d Rust %s):\n", len(o.Files), plural(len(o.Files), "file", "files"),
				esc.Text(where), o.SourceFiles, plural(o.SourceFiles, "source", "sources"))
			for _, f := range o.Files {
				fmt.Fprintf(w, "    %s (+%d -%d)\n", esc.Text(f.Path), f.Added, f.Removed)
			}
		}
		for _, r := range o.Risks {
			fmt.Fprintf(w, "  risk: %s\n", esc.Text(r))
		}
		if len(o.Files) > 0 {
			fmt.Fprintf(w, "  apply: %s\n", esc.Text(o.Apply))
		}
	}
	for _, o := range opts {
		if o.Option == rec && o.Variant == "" {
			fmt.Fprintf(w, "\nRecommended: Option %s, %s (%s)\n", o.Option, o.Title, esc.Text(o.Apply))
		}
	}
	if rec == "" && len(opts) > 0 {
		fmt.Fprintf(w, "\nNo option is recommended: each one above says what keeps it from resolving this workspace.\n")
	}
}

// optionState sums up what an option does to this workspace, in words that
// hold for it: "removes the conflict" only when there is one to remove.
func optionState(o optionJSON, conflict bool) string {
	switch {
	case o.refused:
		return "cannot be applied here"
	case !o.Feasible && conflict:
		return "cannot remove the conflict"
	case !o.Feasible:
		return "cannot be applied"
	case len(o.Files) == 0:
		return "nothing to do"
	case conflict:
		return "removes the conflict"
	case o.moves == 0:
		return "no conflict to remove; finishes the half-migrated sources"
	}
	return "no conflict to remove; moves the original-name crates"
}
