package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jemfix/pkg/plan"
)

// outcome is what apply did to one root.
type outcome struct {
	arg      string
	ws       *workspace
	p        *plan.Plan
	diffs    []string // the diff of each change, in order
	diff     string   // all of them
	written  bool
	patch    string      // the --patch-dir file written
	commit   string      // the --commit hash
	verified *verifyJSON // --verify's checklist
	err      error
}

// close releases the root directory; the loaded model stays usable.
func (o *outcome) close() {
	if o.ws != nil {
		o.ws.close()
	}
}

func (o *outcome) display() string {
	if o.ws == nil {
		return ""
	}
	return o.ws.Display
}

// status names the outcome in JSON: "changed" (written, or with --dry-run
// to be written), "nothing-to-do", "conflict-remains" or "error".
func (o *outcome) status() string {
	switch {
	case o.err != nil:
		return "error"
	case o.p.Empty():
		return "nothing-to-do"
	case !o.p.Resolves:
		return "conflict-remains"
	}
	return "changed"
}

// applyRoot plans, checks and, unless --dry-run, writes one root, then runs
// the git, patch and verify steps that were asked for. It prints nothing,
// so that roots can run in parallel.
func (c *cli) applyRoot(arg string) *outcome {
	o := &outcome{arg: arg}
	defer o.close()
	if o.ws, o.p, o.err = c.build(arg); o.err != nil {
		return o
	}
	o.diffs = fileDiffs(o.p.Changes)
	o.diff = strings.Join(o.diffs, "")
	if o.err = c.writePatch(o); o.err != nil || c.dryRun || o.p.Empty() {
		return o
	}
	if !o.p.Resolves && !c.force {
		o.err = fmt.Errorf("option %s does not remove the links conflict:\n%s\nnothing was written; --dry-run shows the change, --force writes it anyway", o.p.Option, strings.Join(o.p.Why, "\n"))
		return o
	}
	g := gitFor(o.ws.dir)
	if o.err = c.refuseDirty(g, o); o.err != nil {
		return o
	}
	if o.err = writeChanges(o.ws.dir, o.p.Changes); o.err != nil {
		return o
	}
	o.written = true
	if o.err = c.gitSteps(g, o); o.err != nil {
		return o
	}
	if c.verifyAfter {
		// The files stay written when verification fails: the diff was
		// shown, and version control holds the originals.
		var after *workspace
		if after, o.err = load(arg); o.err == nil {
			o.verified, o.err = c.checklist(after)
			after.close()
		}
	}
	return o
}

// writePatch writes the root's diff to --patch-dir as <root name>.patch.
func (c *cli) writePatch(o *outcome) error {
	if c.patchDir == "" || o.diff == "" {
		return nil
	}
	if err := os.MkdirAll(c.patchDir, 0o755); err != nil {
		return err
	}
	o.patch = filepath.Join(c.patchDir, c.patchName(o)+".patch")
	return writeAtomic(o.patch, []byte(o.diff))
}
