package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"jemfix/internal/par"
	"jemfix/pkg/plan"
)

// rootJSON is one line of a bulk run's JSON Lines output.
type rootJSON struct {
	Schema  int        `json:"schema"`
	Root    string     `json:"root"`
	Status  string     `json:"status"` // changed, nothing-to-do, conflict-remains or error
	DryRun  bool       `json:"dry_run"`
	Option  string     `json:"option,omitempty"`
	Chains  []string   `json:"chains"`
	Files   []fileJSON `json:"files"`
	Skipped []skipJSON `json:"skipped"`
	Patch   string     `json:"patch,omitempty"`
	Commit  string     `json:"commit,omitempty"`
	Verify  string     `json:"verify,omitempty"` // pass or fail, with --verify
	Error   string     `json:"error,omitempty"`
}

// totalsJSON is the last line of a bulk run's JSON Lines output.
type totalsJSON struct {
	Schema int            `json:"schema"`
	Totals map[string]int `json:"totals"` // roots, and one count per status
}

// readRoots reads --repos-from: one path per line, "-" for stdin; blank
// lines and lines starting with # are skipped.
func readRoots(name string, stdin io.Reader) ([]string, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var roots []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			roots = append(roots, line)
		}
	}
	return roots, sc.Err()
}

// applyMany applies to every root with -j workers. Roots are independent:
// an error in one is reported and the others go on. Output keeps the input
// order.
func (c *cli) applyMany(roots []string) int {
	c.patchNames = patchNames(roots)
	results := make([]*outcome, len(roots))
	done := make(chan int)
	go func() {
		par.Each(len(roots), c.jobs, func(i int) {
			results[i] = c.applyRoot(roots[i])
			done <- i
		})
		close(done)
	}()
	c.progress(roots, results, done)
	return c.printMany(results)
}

// progress shows roots done out of the total on a terminal stderr, and
// drains done.
func (c *cli) progress(roots []string, results []*outcome, done <-chan int) {
	f, ok := c.stderr.(*os.File)
	show := ok && !c.json && term.IsTerminal(int(f.Fd()))
	start, n := time.Now(), 0
	for i := range done {
		n++
		if show {
			fmt.Fprintf(f, "\r\x1b[K[%d/%d] %s (%s)", n, len(roots), roots[i], time.Since(start).Round(time.Second))
		}
	}
	if show {
		fmt.Fprint(f, "\r\x1b[K")
	}
}

func (c *cli) printMany(results []*outcome) int {
	totals := map[string]int{"roots": len(results)}
	code := exitOK
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	for _, o := range results {
		line := c.rootLine(o)
		totals[line.Status]++
		switch {
		case line.Status == "error":
			code = exitError
		case code == exitOK && (line.Status == "conflict-remains" || (c.dryRun && line.Status == "changed") || line.Verify == "fail"):
			code = exitPending
		}
		if c.json {
			enc.Encode(line)
			continue
		}
		printRootLine(c.stdout, line)
	}
	if c.json {
		enc.Encode(totalsJSON{Schema: schemaVersion, Totals: totals})
	} else {
		fmt.Fprintf(c.stderr, "jemfix: %d roots: %d changed, %d nothing to do, %d conflict remains, %d errors\n",
			totals["roots"], totals["changed"], totals["nothing-to-do"], totals["conflict-remains"], totals["error"])
	}
	return code
}

func (c *cli) rootLine(o *outcome) rootJSON {
	line := rootJSON{Schema: schemaVersion, Root: o.arg, Status: o.status(), DryRun: c.dryRun,
		Chains: []string{}, Files: []fileJSON{}, Skipped: []skipJSON{}, Patch: o.patch, Commit: o.commit}
	if o.ws != nil {
		line.Root = o.ws.Display
		for _, ch := range scanChains(o) {
			line.Chains = append(line.Chains, ch)
		}
	}
	if o.p != nil {
		doc := applyJSONOf(o.ws, o.p, o.diffs, c.dryRun, line.Status)
		line.Option, line.Files, line.Skipped = doc.Option, doc.Files, doc.Skipped
	}
	if o.verified != nil {
		line.Verify = o.verified.Status
	}
	if o.err != nil {
		line.Error = o.err.Error()
	}
	return line
}

func printRootLine(w io.Writer, line rootJSON) {
	switch line.Status {
	case "error":
		fmt.Fprintf(w, "%s: error: %s\n", line.Root, strings.ReplaceAll(line.Error, "\n", "\n  "))
	case "nothing-to-do":
		fmt.Fprintf(w, "%s: nothing to do\n", line.Root)
	default:
		fmt.Fprintf(w, "%s: %s (%d %s)", line.Root, line.Status, len(line.Files), plural(len(line.Files), "file", "files"))
		if line.Patch != "" {
			fmt.Fprintf(w, ", patch %s", line.Patch)
		}
		if line.Commit != "" {
			fmt.Fprintf(w, ", commit %s", line.Commit)
		}
		fmt.Fprintln(w)
	}
}

// scanChains lists the conflict chains of the root as it was before the fix.
func scanChains(o *outcome) []string {
	var out []string
	for _, ch := range plan.Scan(o.ws.Workspace).Chains {
		out = append(out, ch.String())
	}
	return out
}

// patchNames gives each root a patch file name: its base name, with -2, -3
// … added to repeats, in input order.
func patchNames(roots []string) map[string]string {
	seen := map[string]int{}
	names := map[string]string{}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			abs = r
		}
		base := filepath.Base(abs)
		seen[base]++
		if n := seen[base]; n > 1 {
			base = fmt.Sprintf("%s-%d", base, n)
		}
		names[r] = base
	}
	return names
}

// patchName is the --patch-dir file name of a root.
func (c *cli) patchName(o *outcome) string {
	if n, ok := c.patchNames[o.arg]; ok {
		return n
	}
	return filepath.Base(o.ws.dir)
}
