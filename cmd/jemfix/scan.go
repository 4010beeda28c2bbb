package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

type chainJSON struct {
	Path []string `json:"path"`
	Sys  string   `json:"sys"`
	At   string   `json:"at,omitempty"`
}

type depJSON struct {
	Member      string `json:"member"`
	Table       string `json:"table"`
	Key         string `json:"key"`
	Crate       string `json:"crate"`
	Lineage     string `json:"lineage"`
	Role        string `json:"role"`
	Requirement string `json:"requirement"`
	Series      string `json:"series"`
	Inherited   bool   `json:"inherited"`
	At          string `json:"at"`
}

type scanJSON struct {
	Schema       int         `json:"schema"`
	Root         string      `json:"root"`
	Status       string      `json:"status"`
	Links        string      `json:"links"`
	Sys          []string    `json:"sys"`
	Chains       []chainJSON `json:"chains"`
	Dependencies []depJSON   `json:"dependencies"`
	Movable      int         `json:"movable"`
	StaleSources []string    `json:"stale_sources"`
	Unread       []string    `json:"unread"` // path dependencies outside the root: the status may miss a conflict there
}

type errorJSON struct {
	Schema int    `json:"schema"`
	Root   string `json:"root"`
	Status string `json:"status"`
	Error  string `json:"error"`
}

// scanStatus names the state of a workspace: "conflict", "migratable" (no
// conflict, but original-name crates can move) or "nothing-to-do".
func scanStatus(r *conflict.Report, stale []plan.StaleFile) string {
	switch {
	case r.Conflict:
		return "conflict"
	case r.Movable > 0:
		return "migratable"
	case len(stale) > 0:
		return "half-migrated"
	}
	return "nothing-to-do"
}

// loadScanned loads the workspace of a command line and scans it (see
// scanWorkspace). A nil workspace comes with the exit code to return;
// errors are printed.
func (c *cli) loadScanned(cmd command, args []string) (*workspace.Workspace, *conflict.Report, []plan.StaleFile, int) {
	ws, code := c.loadArgs(cmd, args)
	if ws == nil {
		return nil, nil, nil, code
	}
	r, stale, err := scanWorkspace(ws)
	if err != nil {
		ws.Close()
		return nil, nil, nil, c.fail(ws.Display, err)
	}
	return ws, r, stale, -1
}

// scanWorkspace reads the facts scan and plan print: the conflict from the
// manifests and, when the manifests need no move, the source files that
// still name crates their packages do not depend on.
func scanWorkspace(ws *workspace.Workspace) (*conflict.Report, []plan.StaleFile, error) {
	r := conflict.Scan(ws)
	if r.Conflict || r.Movable > 0 {
		return r, nil, nil
	}
	stale, err := plan.StaleSources(ws)
	return r, stale, err
}

func chainsJSON(chains []conflict.Chain) []chainJSON {
	out := []chainJSON{}
	for _, c := range chains {
		cj := chainJSON{Path: c.Steps, Sys: c.Sys}
		if c.At.Path != "" {
			cj.At = c.At.String()
		}
		out = append(out, cj)
	}
	return out
}

func depsJSON(ws *workspace.Workspace, uses []conflict.Use) []depJSON {
	out := []depJSON{}
	for _, u := range uses {
		member := u.Manifest.Name
		if u.Dep.InWorkspace {
			member = ""
		}
		out = append(out, depJSON{
			Member: member, Table: workspace.TableName(u.Dep), Key: u.Dep.Key, Crate: u.Crate.Name,
			Lineage: string(u.Crate.Lineage), Role: string(u.Crate.Role), Requirement: u.Req,
			Series: u.Series, Inherited: u.Inherit != nil, At: conflict.Pos(ws, u).String(),
		})
	}
	return out
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// fail reports an error, as JSON too when asked, and returns exitError.
// The message's own lines stay lines; control characters in them are
// escaped (esc.Lines).
func (c *cli) fail(root string, err error) int {
	fmt.Fprintf(c.stderr, "jemfix: %s\n", prefixLines(esc.Message(err.Error(), root)))
	if c.json {
		writeJSON(c.stdout, errorJSON{Schema: apply.Schema, Root: root, Status: "error", Error: err.Error()})
	}
	return exitError
}

// prefixLines puts "jemfix: " before every line of a message after its
// first (which the caller prefixes), but an empty one.
func prefixLines(msg string) string {
	lines := strings.Split(msg, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = "jemfix: " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func (c *cli) scan(cmd command, args []string) int {
	ws, r, stale, code := c.loadScanned(cmd, args)
	if ws == nil {
		return code
	}
	defer ws.Close()
	if c.json {
		writeJSON(c.stdout, scanJSON{
			Schema: apply.Schema, Root: ws.Display, Status: scanStatus(r, stale), Links: family.Links,
			Sys: apply.NonNil(r.Sys), Chains: chainsJSON(r.Chains), Dependencies: depsJSON(ws, r.Uses), Movable: r.Movable,
			StaleSources: stalePaths(stale), Unread: apply.NonNil(ws.UnreadNotes()),
		})
		printUnread(c.stderr, ws.UnreadNotes(), "whether the graph has a links conflict") // warnings at every level
	} else {
		printScan(c.stdout, ws, r, stale)
		printUnread(c.stdout, ws.UnreadNotes(), "whether the graph has a links conflict")
	}
	// A sys crate jemfix does not know, beside the family's: cargo reports
	// the conflict that the chains above cannot show. A warning at every
	// level, --json included.
	unknown := conflict.UnknownSys(ws)
	if len(unknown) > 0 && len(r.Sys) > 0 {
		for _, p := range unknown {
			fmt.Fprintf(c.stderr, "jemfix: warning: Cargo.lock holds %s %s, a jemalloc sys crate jemfix does not know; if it links to jemalloc, as such crates do, it conflicts with %s and nothing builds (cargo tree -i %s shows who needs it); jemfix neither counts nor moves it\n",
				esc.Text(p.Name), esc.Text(p.Version), esc.Text(strings.Join(r.Sys, ", ")), esc.Shell(p.Name))
		}
	}
	if r.Conflict || len(stale) > 0 || len(ws.Unread) > 0 || len(unknown) > 0 && len(r.Sys) > 0 {
		return exitPending
	}
	return exitOK
}

// printScan prints the scan as text. Names from the workspace go through
// esc.Text, here and in every other text printer: they may hold control
// characters.
func printScan(w io.Writer, ws *workspace.Workspace, r *conflict.Report, stale []plan.StaleFile) {
	defer printUnseen(w, conflict.Unseen(ws), ws.Lock != nil)
	root, word := esc.Text(ws.Display), esc.Shell(ws.Display) // word: the root in a command line
	switch scanStatus(r, stale) {
	case "conflict":
		fmt.Fprintf(w, "%s: links conflict: %d packages link to the native library %q\n", root, len(r.Sys), family.Links)
		printChains(w, r)
		fmt.Fprintf(w, "\nCargo allows one package per links value in the whole dependency graph, optional\n"+
			"and target-specific dependencies included, so nothing in this workspace builds.\n")
		if forks := conflict.Forks(ws); len(forks) > 0 {
			for _, f := range forks {
				fmt.Fprintf(w, "Fix: %s\n", esc.Text(conflict.ForkAdvice(ws, f)))
			}
			return
		}
		inherits := plan.InheritsGit(ws, r.Uses)
		if u, ok := unmovable(r); ok && inherits {
			fmt.Fprintf(w, "%s comes from git, as [workspace.dependencies] takes the tikv crates: the moved entries inherit them.\n",
				esc.Text(fmt.Sprintf("%s at %s", u.Crate.Name, conflict.Pos(ws, u))))
		} else if ok {
			if p, err := plan.Option1(ws, plan.Options{}); err == nil && p.Resolves && len(p.Moves) > 0 {
				// A [patch] takes the registry's crates from that
				// repository (or copy): the moves reach its sys crate.
				fmt.Fprintf(w, "Fix: jemfix apply --option=1 %s   (moves every jemalloc crate to the tikv family)\n", word)
				return
			}
			what := fmt.Sprintf("%s at %s comes from git", u.Crate.Name, conflict.Pos(ws, u))
			if u.Local != nil {
				what = fmt.Sprintf("%s %s at %s is a local copy", u.Crate.Name, u.Req, u.Local.Dir)
			}
			fmt.Fprintf(w, "Fix: %s, which jemfix does not move: cargo counts it apart from the registry's crates.\n"+
				"Bring every jemalloc crate to one source by hand; jemfix plan %s says what each option leaves\n", esc.Text(what), word)
			return
		}
		if e, ok := lockedOriginal(ws); ok {
			// No move changes the locked package: Option 1 would leave
			// the conflict, and changes nothing when the rest is tikv.
			fmt.Fprintf(w, "Fix: %s needs %s, which no move changes. First %s,\n"+
				"then scan again; jemfix plan %s says what each option leaves\n",
				esc.Text(e.Who()), esc.Text(needs(e)), esc.Text(e.Fix()), word)
			return
		}
		fmt.Fprintf(w, "Fix: jemfix apply --option=1 %s   (moves every jemalloc crate to the tikv family)\n", word)
	case "migratable":
		verdict := "no conflict"
		if len(ws.Unread) > 0 {
			verdict = "no conflict inside the root"
		}
		fmt.Fprintf(w, "%s: %s; %d %s can move to the tikv family\n", root, verdict, r.Movable, plural(r.Movable, "dependency", "dependencies"))
		printChains(w, r)
		if e, ok := lockedOriginal(ws); ok {
			// Moving would make the conflict: the locked package stays.
			fmt.Fprintf(w, "\nDo not move them yet: %s needs %s, which no move changes, and the tikv crates\n"+
				"would conflict with it. First %s; jemfix plan %s says what each option leaves\n",
				esc.Text(e.Who()), esc.Text(needs(e)), esc.Text(e.Fix()), word)
			return
		}
		fmt.Fprintf(w, "\nMove them before a tikv crate arrives: jemfix apply --option=1 %s\n", word)
	case "half-migrated":
		fmt.Fprintf(w, "%s: no conflict, but %s a jemalloc crate %s package does not depend on, and cannot compile:\n", root,
			plural(len(stale), "this source file names", "these source files name"), plural(len(stale), "its", "their"))
		broken, byHand := false, 0
		for _, f := range stale {
			switch {
			case f.Broken != "":
				broken = true
				fmt.Fprintf(w, "  %s; jemfix cannot rewrite it\n", esc.Text(f.Broken))
			case f.ByHand != "":
				byHand++
				fmt.Fprintf(w, "  %s\n", esc.Text(f.ByHand))
			default:
				fmt.Fprintf(w, "  %s\n", esc.Text(ws.Path(f.Path)))
			}
		}
		if broken {
			fmt.Fprintf(w, "\nFix the syntax errors, then finish the move: jemfix apply --option=1 %s\n", word)
			return
		}
		if byHand == len(stale) {
			fmt.Fprintf(w, "\njemfix does not rewrite files that include! or #[path] pulls in from outside a package's sources; rename the paths in them by hand\n")
			return
		}
		fmt.Fprintf(w, "\nThe manifests already name the tikv crates; finish the move: jemfix apply --option=1 %s\n", word)
	default:
		if len(r.Sys) == 0 {
			fmt.Fprintf(w, "%s: no jemalloc dependencies; nothing to do\n", root)
			return
		}
		verdict := "no conflict; nothing to do"
		if len(ws.Unread) > 0 {
			verdict = "no conflict inside the root"
		}
		fmt.Fprintf(w, "%s: %s (%d jemalloc %s, all on %s)\n", root, verdict,
			len(r.Chains), plural(len(r.Chains), "dependency", "dependencies"), esc.Text(r.Sys[0]))
	}
}

// unmovable returns a use of a package no option of jemfix moves: a local
// copy of a sys crate, or a crate from git.
func unmovable(r *conflict.Report) (conflict.Use, bool) {
	for _, u := range r.Uses {
		if u.Unmovable() {
			return u, true
		}
	}
	return conflict.Use{}, false
}

func printChains(w io.Writer, r *conflict.Report) {
	for _, sys := range r.Sys {
		fmt.Fprintf(w, "  %s:\n", esc.Text(sys))
		for _, ch := range r.Chains {
			if ch.Sys != sys {
				continue
			}
			fmt.Fprintf(w, "    %s\n", esc.Text(ch.String()))
			if ch.At.Path != "" {
				fmt.Fprintf(w, "      at %s\n", esc.Text(ch.At.String()))
			}
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// lockedOriginal returns a package of Cargo.lock outside the workspace that
// needs an original-name jemalloc crate, or a jemalloc crate from git: a
// move to the tikv crates of the registry would conflict with it.
func lockedOriginal(ws *workspace.Workspace) (conflict.ExternalUse, bool) {
	for _, e := range conflict.Externals(ws) {
		if e.Crate.Lineage == family.Original || e.Git != "" {
			return e, true
		}
	}
	return conflict.ExternalUse{}, false
}

// needs names the jemalloc crate an external use needs, and its source
// when it is git.
func needs(e conflict.ExternalUse) string {
	if e.Git != "" {
		return fmt.Sprintf("%s %s from git (%s)", e.Crate.Name, e.CrateVersion, e.Git)
	}
	return e.Crate.Name + " " + e.CrateVersion
}

// stalePaths lists the paths of stale files, for --json.
func stalePaths(stale []plan.StaleFile) []string {
	out := []string{}
	for _, f := range stale {
		out = append(out, f.Path)
	}
	return out
}

// printUnseen names the entries whose jemalloc feature brings a sys crate
// that only a Cargo.lock would show (conflict.Unseen).
func printUnseen(w io.Writer, unseen []string, locked bool) {
	if len(unseen) == 0 {
		return
	}
	why := "No Cargo.lock, so jemfix cannot see"
	if locked {
		why = "Cargo.lock does not show these, so jemfix cannot see"
	}
	fmt.Fprintf(w, "\n%s which jemalloc sys crate these bring (a conflict may hide there);\n"+
		"run `cargo generate-lockfile`, then scan again:\n", why)
	for _, u := range unseen {
		fmt.Fprintf(w, "  %s\n", esc.Text(u))
	}
}
