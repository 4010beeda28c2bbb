package main

import (
	"fmt"
	"io"

	"jemfix/pkg/plan"
)

type optionJSON struct {
	Option      string   `json:"option"`
	Title       string   `json:"title"`
	Feasible    bool     `json:"feasible"`
	Implemented bool     `json:"implemented"`
	Why         []string `json:"why"`
	Files       []string `json:"files"`
}

type planJSON struct {
	Schema      int          `json:"schema"`
	Root        string       `json:"root"`
	Status      string       `json:"status"`
	Chains      []chainJSON  `json:"chains"`
	Options     []optionJSON `json:"options"`
	Recommended string       `json:"recommended"`
}

// option2Why is why mutually exclusive features cannot remove the conflict.
var option2Why = []string{
	"cargo resolves Cargo.lock as if every feature of every member were enabled, for every target,",
	"so two optional crates with links = \"jemalloc\" conflict even when no feature enables both;",
	"making the features mutually exclusive leaves the conflict in place inside one workspace",
}

func (c *cli) plan(cmd command, args []string) int {
	arg, code := c.parse(cmd, args)
	if code >= 0 {
		return code
	}
	ws, err := load(arg)
	if err != nil {
		return c.fail(arg, err)
	}
	r := plan.Scan(ws.Workspace)
	p, err := plan.Option1(ws.Workspace, ws.fsys(), plan.Options{})
	if err != nil {
		return c.fail(ws.Display, err)
	}
	opts := planOptions(p)
	if c.json {
		writeJSON(c.stdout, planJSON{Schema: schemaVersion, Root: ws.Display, Status: scanStatus(r),
			Chains: chainsJSON(r.Chains), Options: opts, Recommended: "1"})
		return exitOK
	}
	printScan(c.stdout, ws, r)
	printOptions(c.stdout, opts)
	return exitOK
}

func planOptions(p *plan.Plan) []optionJSON {
	files := []string{}
	for _, ch := range p.Changes {
		files = append(files, ch.Path)
	}
	why := append([]string{}, p.Why...)
	for _, m := range p.Moves {
		why = append(why, fmt.Sprintf("%s: %s -> %s", m.Member, m.From, m.To))
	}
	return []optionJSON{
		{Option: "1", Title: "move every jemalloc crate to the tikv family", Feasible: true, Implemented: true, Why: why, Files: files},
		{Option: "2", Title: "make the jemalloc features mutually exclusive", Feasible: false, Implemented: false, Why: option2Why, Files: []string{}},
		{Option: "3", Title: "consolidate jemalloc in one crate", Feasible: true, Implemented: false,
			Why: []string{"not available in this version of jemfix"}, Files: []string{}},
	}
}

func printOptions(w io.Writer, opts []optionJSON) {
	fmt.Fprintln(w)
	for _, o := range opts {
		state := "feasible"
		if !o.Feasible {
			state = "cannot remove the conflict"
		} else if !o.Implemented {
			state = "not implemented yet"
		}
		fmt.Fprintf(w, "Option %s: %s (%s)\n", o.Option, o.Title, state)
		for _, why := range o.Why {
			fmt.Fprintf(w, "  %s\n", why)
		}
		for _, f := range o.Files {
			fmt.Fprintf(w, "  changes %s\n", f)
		}
	}
	fmt.Fprintln(w, "\nRecommended: Option 1 (jemfix apply --option=1)")
}
