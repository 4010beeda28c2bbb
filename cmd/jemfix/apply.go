package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/family"
	"jemfix/pkg/plan"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// exitWritten is apply's code for files written while a git step asked
// for after the write (--commit, --git-add) failed: not exitError, whose
// promise is that nothing was written (README, "Exit codes").
const exitWritten = 4

func (c *cli) apply(cmd command, args []string) int {
	roots, code := c.parseRoots(cmd, args)
	if code >= 0 {
		return code
	}
	if code := c.checkApplyFlags(cmd); code >= 0 {
		return code
	}
	defer c.watchSignals()()
	cfg := c.applyConfig()
	if c.bulk || len(roots) > 1 {
		cfg.KeepDiffs = true // each root's line in the output carries its diff
		return c.applyMany(roots, cfg)
	}
	// A dry run prints each file's diff as soon as it is made, and keeps
	// none: the outputs that need the whole diff at once keep them all.
	cfg.KeepDiffs = c.json || c.report != ""
	if c.dryRun && !cfg.KeepDiffs {
		color, out := c.useColor(), bufio.NewWriterSize(c.stdout, 64<<10)
		defer out.Flush()
		cfg.Diff = func(d string) { io.WriteString(out, colorDiff(d, color)) }
	}
	o := apply.Root(roots[0], cfg)
	c.recovered(o.Display(), o.Recovered)
	var intr *write.Interrupted
	if errors.As(o.Err, &intr) {
		c.failRoot(o)
		return intr.ExitCode()
	}
	var late *apply.InterruptedAfterWrite
	if errors.As(o.Err, &late) {
		c.reportApply(o)
		return late.ExitCode()
	}
	if o.Err != nil && apply.AfterWrite(o.Err) == "" {
		if o.Written && !c.json {
			c.reportApply(o)
		}
		return c.failRoot(o)
	}
	code = c.reportApply(o)
	if o.Verified != nil && code == exitOK {
		return verifyCode(o.Verified)
	}
	return code
}

// applyConfig turns the flags into what apply needs for every root.
func (c *cli) applyConfig() *apply.Config {
	return &apply.Config{Interrupt: c.interrupts,
		Option: c.option, Plan: plan.Options{Series: c.series, KeepNames: c.keepNames, Into: c.into, RenameFeatures: c.renameFeatures}, Lock: c.lock, Rustfmt: map[bool]string{true: "rustfmt"}[c.rustfmt],
		Docs: c.docs, DryRun: c.dryRun, Force: c.force, AllowDirty: c.allowDirty, GitAdd: c.gitAdd, Commit: c.commit,
		PatchDir: c.patchDir, Verify: c.verifyAfter, VerifyOpt: c.verifyOptions(),
	}
}

// checkApplyFlags rejects flag combinations that make no sense, as usage
// errors.
func (c *cli) checkApplyFlags(cmd command) int {
	switch c.option {
	case "":
		return c.usageError(cmd, "choose a fix with --option=1, 2, 3 or auto (see 'jemfix plan')")
	case "1", "2", "3", "auto":
	default:
		return c.usageError(cmd, "--option=%s: want 1, 2, 3 or auto", c.option)
	}
	if c.keepNames && c.option != "1" && c.option != "auto" {
		return c.usageError(cmd, "--keep-names is a variant of --option=1")
	}
	if c.dryRun { // --dry-run or DRY_RUN
		for _, f := range []struct {
			set  bool
			name string
			what string
		}{{c.verifyAfter, "--verify", "checks written files"}, {c.commit, "--commit", "commits written files"},
			{c.gitAdd, "--git-add", "stages written files"}, {c.lock, "--lock", "refreshes Cargo.lock after the write"}} {
			if f.set {
				return c.usageError(cmd, "%s %s; it cannot go with --dry-run", f.name, f.what)
			}
		}
	}
	return -1
}

// reportApply prints the outcome of a single-root apply.
func (c *cli) reportApply(o *apply.Outcome) int {
	ws, p := o.WS, o.Plan
	notCommitted := apply.AfterWrite(o.Err) != "" // written; a step after it failed
	var doc apply.RootJSON
	if c.report != "" || c.json { // only they print it; it takes a while to make on a large plan
		doc = o.JSON(c.dryRun)
	}
	if c.report != "" {
		if err := writeReport(c.report, doc, o.Before()); err != nil {
			fmt.Fprintf(c.stderr, "jemfix: --report: %s\n", esc.Lines(err.Error()))
			return exitError
		}
	}
	if o.JournalKept != nil {
		// At every level, --json included: `git add -A` would take it in.
		fmt.Fprintf(c.stderr, "jemfix: warning: the files are written, but %s could not be removed (%s); the next jemfix command here removes it, and until then `git add -A` would add it\n",
			write.JournalDir, esc.Text(o.JournalKept.Error()))
	}
	if c.json {
		writeJSON(c.stdout, doc)
		// The warnings go to stderr at every level, --json included.
		printSummary(c.stderr, ws.Display, p, o.Files, c.dryRun, quiet)
	} else {
		if c.dryRun {
			io.WriteString(c.stdout, colorDiff(o.Diff, c.useColor()))
		}
		if c.verbose {
			c.printRead(ws)
		}
		printSummary(c.stderr, ws.Display, p, o.Files, c.dryRun, c.level())
		if o.WouldRefuse != "" {
			fmt.Fprintf(c.stderr, "jemfix: warning: without --dry-run, the write would stop: %s\n", esc.Text(o.WouldRefuse))
		}
		if sub := apply.GitSubdir(ws.Dir); c.dryRun && !c.quiet && !p.Empty() && sub != "" {
			// git apply run here would skip every file without a word.
			fmt.Fprintf(c.stderr, "jemfix: the diff's paths start at %s; from the top of its git repository, apply it with: git apply --directory=%s\n", esc.Text(ws.Display), esc.Shell(sub))
		}
		if stale := lockStale(ws.Lock, p.Moves); !c.lock && !c.quiet && o.Plan != nil && stale != "" {
			fmt.Fprintf(c.stderr, "jemfix: Cargo.lock %s; refresh it with: %s (or run apply with --lock)\n", stale, apply.LockCommand)
		}
		if c.lock && ws.Lock == nil && o.Written && !c.quiet {
			fmt.Fprintf(c.stderr, "jemfix: --lock: %s has no Cargo.lock, so there was none to refresh\n", esc.Text(ws.Display))
		}
		if o.Commit != "" && !c.quiet {
			fmt.Fprintf(c.stderr, "jemfix: committed %s\n", esc.Text(o.Commit))
		}
		if o.Verified != nil {
			printVerify(c.stdout, o.Verified)
		}
	}
	if notCommitted {
		fmt.Fprintf(c.stderr, "jemfix: %s: %s\n", esc.Text(ws.Display), prefixLines(esc.Message(o.Err.Error(), ws.Display)))
		return exitWritten
	}
	if files := p.Unrewritten(); len(files) > 0 {
		fmt.Fprintf(c.stderr, "jemfix: warning: %d %s not rewritten for a syntax error and still %s an old crate: %s; fix the syntax, then run jemfix again\n",
			len(files), plural(len(files), "source file was", "source files were"), plural(len(files), "names", "name"), shownPaths(ws, files))
		return exitPending
	}
	if files := p.LeftByHand(); len(files) > 0 {
		fmt.Fprintf(c.stderr, "jemfix: warning: %d %s in by include! or #[path] still %s an old crate, and jemfix does not rewrite %s: %s; rename the paths by hand\n",
			len(files), plural(len(files), "file pulled", "files pulled"), plural(len(files), "names", "name"), plural(len(files), "it", "them"), shownPaths(ws, files))
		return exitPending
	}
	if (c.dryRun && !p.Empty()) || !p.Resolves || len(p.Unread) > 0 {
		return exitPending
	}
	return exitOK
}

// shownPaths lists root-relative files as the user named the root, safe
// for a terminal, separated by commas.
func shownPaths(ws *workspace.Workspace, files []string) string {
	shown := make([]string, len(files))
	for i, f := range files {
		shown[i] = esc.Text(ws.Path(f))
	}
	return strings.Join(shown, ", ")
}

// failRoot reports a root whose apply failed: its JSON object (status
// "error") with --json, the message on stderr; exit 1.
func (c *cli) failRoot(o *apply.Outcome) int {
	if !c.json {
		return c.fail(o.Display(), o.Err)
	}
	fmt.Fprintf(c.stderr, "jemfix: %s\n", prefixLines(esc.Message(o.Err.Error(), o.Display())))
	writeJSON(c.stdout, o.JSON(c.dryRun))
	return exitError
}

// printSummary prints what apply did, or would do, to one root. Quiet, it
// prints only the warnings; verbose, it also lists every file with its
// line counts and whether jemfix re-parsed it before the write.
func printSummary(out io.Writer, root string, p *plan.Plan, files []apply.FileJSON, dryRun bool, level verbosity) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	root = esc.Text(root)
	if level == quiet {
		switch {
		case !p.Empty() && !p.Resolves:
			fmt.Fprintf(w, "jemfix: warning: %s: the links conflict remains after option %s\n", root, p.Option)
		case !p.Resolves:
			fmt.Fprintf(w, "jemfix: warning: %s: option %s changes nothing, and the links conflict remains\n", root, p.Option)
		}
		printUnread(w, p.Unread, "whether the links conflict is gone")
		return
	}
	if p.Empty() && !p.Resolves {
		fmt.Fprintf(w, "jemfix: %s: option %s changes nothing, and the links conflict remains:\n", root, p.Option)
		for _, why := range p.Why {
			fmt.Fprintf(w, "  %s\n", esc.Text(why))
		}
		printUnread(w, p.Unread, "whether the links conflict is gone")
		return
	}
	if p.Empty() {
		fmt.Fprintf(w, "jemfix: %s: nothing to do\n", root)
		for _, s := range p.Skipped {
			if s.Kind == rustedit.KindParse || s.Left != "" {
				// A file a syntax error kept from its rewrite, or one that
				// include! pulls in, still names the old crate: jemfix scan
				// lists it until it is fixed.
				fmt.Fprintf(w, "  not rewritten: %s\n", esc.Text(fmt.Sprintf("%s: %s", s.At, s.Reason)))
			}
		}
		printUnread(w, p.Unread, "whether the links conflict is gone")
		return
	}
	title := plan.Titles[strings.TrimSpace(p.Option+" "+p.Variant)]
	series := ""
	if p.Series != "" {
		series = ", series " + esc.Text(p.Series)
	}
	fmt.Fprintf(w, "jemfix: %s: option %s: %s%s\n", root, p.Option, title, series)
	for _, why := range p.Why {
		fmt.Fprintf(w, "  %s\n", esc.Text(why))
	}
	for _, m := range p.Moves {
		fmt.Fprintf(w, "  %s\n", esc.Text(fmt.Sprintf("%s: %s -> %s (%s)", m.Member, m.From, m.To, m.At)))
	}
	for _, s := range p.Skipped {
		label := "not rewritten"
		if s.Kind == rustedit.KindOldAPI {
			label = "renamed, but check by hand" // the crate name moved; the item does not exist there
		}
		fmt.Fprintf(w, "  %s: %s\n", label, esc.Text(fmt.Sprintf("%s: %s", s.At, s.Reason)))
	}
	if !p.Resolves {
		fmt.Fprintf(w, "jemfix: warning: the links conflict remains after option %s\n", p.Option)
	}
	printUnread(w, p.Unread, "whether the links conflict is gone")
	if level == verbose {
		for i, f := range files {
			verb := "changed"
			if p.Changes[i].Creates() {
				verb = "created"
			}
			if dryRun {
				verb = "would " + strings.TrimSuffix(verb, "d")
			}
			fmt.Fprintf(w, "  %s %s (+%d -%d)%s\n", verb, esc.Text(f.Path), f.Added, f.Removed, checkedNote(f.Path))
		}
	}
	verb := "changed"
	if dryRun {
		verb = "would change"
	}
	fmt.Fprintf(w, "jemfix: %d %s %s\n", len(p.Changes), plural(len(p.Changes), "file", "files"), verb)
}

// applyMany applies to every root with -j workers and prints one line (or
// JSON line) per root, in input order.
func (c *cli) applyMany(roots []string, cfg *apply.Config) int {
	show := c.progressShown()
	start, n := time.Now(), 0
	results := apply.Many(roots, c.jobs, cfg, func(i int) {
		n++
		if show {
			fmt.Fprintf(c.stderr, "\r\x1b[K[%d/%d] %s (%s)", n, len(roots), esc.Text(roots[i]), time.Since(start).Round(time.Second))
		}
	})
	if show {
		fmt.Fprint(c.stderr, "\r\x1b[K")
	}
	return c.printMany(results)
}

// progressShown reports whether the bulk progress line goes to stderr: only
// to a terminal that is not dumb (the line redraws itself with escape
// sequences), and not with --json or -q.
func (c *cli) progressShown() bool {
	f, ok := c.stderr.(*os.File)
	return ok && !c.json && !c.quiet && os.Getenv("TERM") != "dumb" && term.IsTerminal(int(f.Fd()))
}

// checkedNote says how jemfix checked a changed file before any write:
// manifests and Rust items are parsed again (pkg/check); other files are
// not.
func checkedNote(p string) string {
	switch {
	case path.Base(p) == "Cargo.toml":
		return ", re-parsed as a manifest"
	case path.Ext(p) == ".rs":
		return ", changed items re-parsed"
	}
	return ""
}

func (c *cli) printMany(results []*apply.Outcome) int {
	totals := map[string]int{"roots": len(results)}
	code := exitOK
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	for _, o := range results {
		line := o.JSON(c.dryRun)
		totals[line.Status]++
		switch {
		case line.Status == "error":
			code = exitError
		case (line.Status == apply.StatusNotCommitted || line.Status == apply.StatusNotLocked) && code != exitError:
			code = exitWritten
		case code == exitOK && (line.Status == "conflict-remains" || line.Status == apply.StatusWouldChange || line.Verify != nil && !line.Verify.Pass() || len(line.Unread) > 0 ||
			o.Plan != nil && len(o.Plan.Unrewritten())+len(o.Plan.LeftByHand()) > 0):
			code = exitPending
		}
		if c.json {
			enc.Encode(line)
			// The failures and warnings go to stderr too, as for one root.
			switch {
			case o.Err != nil:
				fmt.Fprintf(c.stderr, "jemfix: %s: %s\n", esc.Text(o.Display()), prefixLines(esc.Message(o.Err.Error(), o.Display())))
			case o.Plan != nil:
				printSummary(c.stderr, o.WS.Display, o.Plan, o.Files, c.dryRun, quiet)
			}
			continue
		}
		printRootLine(c.stdout, line, c.dryRun)
		if c.verbose && o.Plan != nil && (o.Err == nil || apply.NotCommitted(o.Err)) {
			c.printRead(o.WS)
			printSummary(c.stderr, o.WS.Display, o.Plan, o.Files, c.dryRun, verbose)
		}
	}
	if c.report != "" {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(totals)) {
			if k != "roots" {
				parts = append(parts, fmt.Sprintf("%s: %d", k, totals[k]))
			}
		}
		if err := writeBulkReport(c.report, results, c.dryRun, strings.Join(parts, ", ")); err != nil {
			fmt.Fprintf(c.stderr, "jemfix: --report: %s\n", esc.Lines(err.Error()))
			code = exitError
		}
	}
	if c.json {
		enc.Encode(apply.TotalsJSON{Schema: apply.Schema, Totals: totals})
	} else if !c.quiet {
		changed, key := "changed", "changed"
		if c.dryRun {
			changed, key = "would change", apply.StatusWouldChange
		}
		n := func(status, one, many string) string {
			return fmt.Sprintf("%d %s", totals[status], plural(totals[status], one, many))
		}
		fmt.Fprintf(c.stderr, "jemfix: %s: %s, %s, %s, %s\n", n("roots", "root", "roots"), n(key, changed, changed),
			n("nothing-to-do", "nothing to do", "nothing to do"), n("conflict-remains", "conflict remains", "conflicts remain"), n("error", "error", "errors"))
		if n := totals[apply.StatusNotCommitted]; n > 0 {
			fmt.Fprintf(c.stderr, "jemfix: %d written, not committed\n", n)
		}
		if n := totals[apply.StatusNotLocked]; n > 0 {
			fmt.Fprintf(c.stderr, "jemfix: %d written, Cargo.lock not refreshed\n", n)
		}
		if n := totals[apply.StatusDuplicate]; n > 0 {
			fmt.Fprintf(c.stderr, "jemfix: %d %s the workspace of an earlier root, processed once\n", n, plural(n, "root names", "roots name"))
		}
	}
	if s := c.interrupts.Signal(); s != nil {
		// The roots written before the signal stay written; their lines
		// say so. The others were rolled back or not started.
		return (&write.Interrupted{Signal: s}).ExitCode()
	}
	return code
}

// printRootLine prints the text line of one root of a bulk run; a dry run
// says "would change" where the JSON status says "would-change".
func printRootLine(w io.Writer, line apply.RootJSON, dryRun bool) {
	root := esc.Text(line.Root)
	switch line.Status {
	case "error":
		fmt.Fprintf(w, "%s: error: %s\n", root, strings.ReplaceAll(esc.Message(line.Error, line.Root), "\n", "\n  "))
	case "nothing-to-do":
		fmt.Fprintf(w, "%s: nothing to do\n", root)
	case apply.StatusDuplicate:
		fmt.Fprintf(w, "%s: duplicate: same workspace as %s, processed once\n", root, esc.Text(line.SameAs))
	case apply.StatusNotCommitted, apply.StatusNotLocked:
		fmt.Fprintf(w, "%s: %s\n", root, strings.ReplaceAll(esc.Message(line.Error, line.Root), "\n", "\n  "))
	default:
		status := line.Status
		switch status {
		case apply.StatusWouldChange:
			status = "would change"
		case "conflict-remains":
			status = "conflict remains"
		}
		fmt.Fprintf(w, "%s: %s (%d %s)", root, status, len(line.Files), plural(len(line.Files), "file", "files"))
		if line.Patch != "" {
			fmt.Fprintf(w, ", patch %s", esc.Text(line.Patch))
		}
		if line.Commit != "" {
			fmt.Fprintf(w, ", commit %s", esc.Text(line.Commit))
		}
		fmt.Fprintln(w)
	}
}

// printUnread says which packages outside the root were not read, and so
// that whether the conflict is gone is unknown.
func printUnread(w io.Writer, unread []string, question string) {
	if len(unread) == 0 {
		return
	}
	fmt.Fprintf(w, "jemfix: warning: %s outside the root %s not read, so %s is unknown; `jemfix verify` proves it with cargo:\n",
		plural(len(unread), "a package", "packages"), plural(len(unread), "was", "were"), question)
	for _, u := range unread {
		fmt.Fprintf(w, "  not read: %s\n", esc.Text(u))
	}
}

// lockStale says how Cargo.lock disagrees with the moves: it still holds
// a crate a move leaves ("jemalloc-ctl" on the series it moves from), or
// it lacks one a move brings. "" when there is no lock or it agrees.
func lockStale(l *workspace.Lock, moves []plan.Move) string {
	if l == nil {
		return ""
	}
	has := func(crate string) bool {
		name, series, _ := strings.Cut(crate, " ")
		return slices.ContainsFunc(l.Packages, func(p workspace.LockPackage) bool {
			return p.Name == name && (series == "" || family.SeriesOf(p.Version) == series)
		})
	}
	missing := false
	for _, m := range moves {
		if has(m.From) {
			return "still names the old crates"
		}
		missing = missing || !has(m.To)
	}
	if missing {
		return "does not list the new crates yet"
	}
	return ""
}
