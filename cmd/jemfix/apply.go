package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"runtime"
	"strings"

	"jemfix/internal/par"
	"jemfix/pkg/check"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
)

type moveJSON struct {
	Member string `json:"member"`
	From   string `json:"from"`
	To     string `json:"to"`
	At     string `json:"at"`
}

type fileJSON struct {
	Path    string `json:"path"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
}

type skipJSON struct {
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

type applyJSON struct {
	Schema   int         `json:"schema"`
	Root     string      `json:"root"`
	Option   string      `json:"option"`
	Variant  string      `json:"variant"`
	Resolves bool        `json:"resolves"`
	DryRun   bool        `json:"dry_run"`
	Status   string      `json:"status"`
	Series   string      `json:"series"`
	Why      []string    `json:"why"`
	Moves    []moveJSON  `json:"moves"`
	Files    []fileJSON  `json:"files"`
	Skipped  []skipJSON  `json:"skipped"`
	Diff     string      `json:"diff"`
	Verify   *verifyJSON `json:"verify,omitempty"`
}

func (c *cli) apply(cmd command, args []string) int {
	roots, code := c.parseRoots(cmd, args)
	if code >= 0 {
		return code
	}
	if code := c.checkApplyFlags(); code >= 0 {
		return code
	}
	if c.bulk || len(roots) > 1 {
		return c.applyMany(roots)
	}
	o := c.applyRoot(roots[0])
	if o.err != nil {
		if o.written {
			c.reportApply(o)
		}
		return c.fail(cmp.Or(o.display(), roots[0]), o.err)
	}
	code = c.reportApply(o)
	if o.verified != nil && code == exitOK {
		return verifyCode(o.verified)
	}
	return code
}

// checkApplyFlags rejects flag combinations that make no sense.
func (c *cli) checkApplyFlags() int {
	switch c.option {
	case "":
		fmt.Fprintln(c.stderr, "jemfix apply: choose a fix with --option=1, 2, 3 or auto (see 'jemfix plan')")
		return exitUsage
	case "1", "2", "3", "auto":
	default:
		fmt.Fprintf(c.stderr, "jemfix apply: --option=%s: want 1, 2, 3 or auto\n", c.option)
		return exitUsage
	}
	if c.verifyAfter && c.dryRun {
		fmt.Fprintln(c.stderr, "jemfix apply: --verify checks written files; it cannot go with --dry-run")
		return exitUsage
	}
	if c.keepNames && c.option != "1" && c.option != "auto" {
		fmt.Fprintln(c.stderr, "jemfix apply: --keep-names is a variant of --option=1")
		return exitUsage
	}
	if c.commit && c.dryRun {
		fmt.Fprintln(c.stderr, "jemfix apply: --commit commits written files; it cannot go with --dry-run")
		return exitUsage
	}
	return -1
}

// build loads the workspace, plans Option 1 and checks every new file.
func (c *cli) build(arg string) (*workspace, *plan.Plan, error) {
	ws, err := load(arg)
	if err != nil {
		return nil, nil, err
	}
	p, err := c.option1to3(ws)
	if err != nil {
		return nil, nil, err
	}
	if c.docs {
		ws.RewriteDocs(p, ws.fsys())
		if err := ws.SetupDocs(p, ws.fsys()); err != nil {
			return nil, nil, err
		}
	}
	if err := check.Changes(p.Changes, ws.display); err != nil {
		return nil, nil, fmt.Errorf("an edited file does not parse; nothing was written (please report this):\n%w", err)
	}
	return ws, p, nil
}

// option1to3 builds the plan of the chosen option; auto takes the one
// `jemfix plan` recommends.
func (c *cli) option1to3(ws *workspace) (*plan.Plan, error) {
	opt := plan.Options{Series: c.series, KeepNames: c.keepNames, Into: c.into}
	option := c.option
	if option == "auto" {
		_, option = plan.Assess(ws.Workspace, ws.fsys(), opt)
	}
	var p *plan.Plan
	var err error
	switch option {
	case "2":
		p, err = plan.Option2(ws.Workspace, ws.fsys())
	case "3":
		p, err = plan.Option3(ws.Workspace, ws.fsys(), opt)
	default:
		p, err = plan.Option1(ws.Workspace, ws.fsys(), opt)
	}
	if err == nil && c.option == "auto" {
		p.Why = append([]string{"option " + option + ": recommended by jemfix plan (--option=auto)"}, p.Why...)
	}
	return p, err
}

// fileDiffs returns the diff of each change, computed in parallel.
func fileDiffs(changes []plan.Change) []string {
	diffs := make([]string, len(changes))
	par.Each(len(changes), runtime.GOMAXPROCS(0), func(i int) {
		ch := changes[i]
		diffs[i] = udiff.Diff(udiff.File{Path: ch.Path, Old: ch.Old, New: ch.New})
	})
	return diffs
}

// reportApply prints the outcome of a single-root apply.
func (c *cli) reportApply(o *outcome) int {
	ws, p := o.ws, o.p
	status := "changed"
	switch {
	case p.Empty():
		status = "nothing-to-do"
	case c.dryRun:
		status = "would-change"
	}
	doc := applyJSONOf(ws, p, o.diffs, c.dryRun, status)
	doc.Verify = o.verified
	if c.report != "" {
		if err := writeReport(c.report, doc, plan.Scan(ws.Workspace)); err != nil {
			fmt.Fprintf(c.stderr, "jemfix: --report: %v\n", err)
			return exitError
		}
	}
	if c.json {
		writeJSON(c.stdout, doc)
	} else {
		if c.dryRun {
			io.WriteString(c.stdout, colorDiff(o.diff, c.useColor()))
		}
		printSummary(c.stderr, ws, p, c.dryRun)
		if o.commit != "" {
			fmt.Fprintf(c.stderr, "jemfix: committed %s\n", o.commit)
		}
		if o.verified != nil {
			printVerify(c.stdout, o.verified)
		}
	}
	if (c.dryRun && !p.Empty()) || !p.Resolves {
		return exitPending
	}
	return exitOK
}

// applyJSONOf builds the --json document; diffs holds the diff of each of
// p's changes.
func applyJSONOf(ws *workspace, p *plan.Plan, diffs []string, dryRun bool, status string) applyJSON {
	out := applyJSON{
		Schema: schemaVersion, Root: ws.Display, Option: p.Option, Variant: p.Variant, Resolves: p.Resolves, DryRun: dryRun, Status: status,
		Series: p.Series, Why: nonNil(p.Why), Moves: []moveJSON{}, Files: []fileJSON{}, Skipped: []skipJSON{}, Diff: strings.Join(diffs, ""),
	}
	for _, m := range p.Moves {
		out.Moves = append(out.Moves, moveJSON{Member: m.Member, From: m.From, To: m.To, At: m.At.String()})
	}
	for i, ch := range p.Changes {
		added, removed := lineCounts(diffs[i])
		out.Files = append(out.Files, fileJSON{Path: ch.Path, Added: added, Removed: removed})
	}
	for _, s := range p.Skipped {
		out.Skipped = append(out.Skipped, skipJSON{At: s.At.String(), Kind: cmp.Or(s.Kind, "manifest"), Reason: s.Reason})
	}
	return out
}

// lineCounts counts the added and removed lines of a unified diff.
func lineCounts(diff string) (added, removed int) {
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ "), strings.HasPrefix(l, "--- "):
		case strings.HasPrefix(l, "+"):
			added++
		case strings.HasPrefix(l, "-"):
			removed++
		}
	}
	return added, removed
}

func printSummary(out io.Writer, ws *workspace, p *plan.Plan, dryRun bool) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	if p.Empty() {
		fmt.Fprintf(w, "jemfix: %s: nothing to do\n", ws.Display)
		return
	}
	title := plan.Titles[strings.TrimSpace(p.Option+" "+p.Variant)]
	series := ""
	if p.Series != "" {
		series = ", series " + p.Series
	}
	fmt.Fprintf(w, "jemfix: %s: option %s: %s%s\n", ws.Display, p.Option, title, series)
	for _, why := range p.Why {
		fmt.Fprintf(w, "  %s\n", why)
	}
	for _, m := range p.Moves {
		fmt.Fprintf(w, "  %s: %s -> %s (%s)\n", m.Member, m.From, m.To, m.At)
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(w, "  not rewritten: %s: %s\n", s.At, s.Reason)
	}
	if !p.Resolves {
		fmt.Fprintf(w, "jemfix: warning: the links conflict remains after option %s\n", p.Option)
	}
	verb := "changed"
	if dryRun {
		verb = "would change"
	}
	fmt.Fprintf(w, "jemfix: %d %s %s\n", len(p.Changes), plural(len(p.Changes), "file", "files"), verb)
}
