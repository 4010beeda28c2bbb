package plan

import (
	"slices"
	"strconv"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/workspace"
)

// Assessment is one option evaluated on a workspace.
type Assessment struct {
	Option   string // "1", "2" or "3"
	Variant  string // "keep-names" for the Option 1 variant
	Title    string
	Feasible bool     // the option can be applied and removes the conflict
	Why      []string // why it is or is not feasible, and the choices it makes
	Risks    []string // what a reviewer should weigh
	Plan     *Plan    // nil when the option cannot be built
}

// Titles names the options the way the remediation guide does.
var Titles = map[string]string{
	"1":            "move every jemalloc crate to the tikv family",
	"1 keep-names": "move to the tikv crates, keeping the dependency names",
	"2":            "make the jemalloc features mutually exclusive",
	"3":            "consolidate jemalloc in one crate",
}

// Assess builds every option and returns them with the recommended one:
// Option 3 when the workspace has a conflict, several members each declare
// their own global allocator and consolidation is possible; else Option 1.
// Option 2 is never recommended: it cannot remove the conflict inside one
// workspace. When no option changes anything, the workspace is healthy:
// Assess returns no options and no recommendation.
func Assess(ws *workspace.Workspace, opt Options) ([]Assessment, string) {
	ws.RememberPlain() // the options read the same files: each plain one once
	keep := opt
	keep.KeepNames = true
	out := []Assessment{
		assess(ws, "1", "", Option1, opt),
		assess(ws, "1", "keep-names", Option1, keep),
		assess(ws, "2", "", Option2, opt),
		assess(ws, "3", "", Option3, opt),
	}
	if !slices.ContainsFunc(out, func(a Assessment) bool { return a.Plan == nil || !a.Plan.Empty() }) {
		return nil, ""
	}
	for i := range out {
		out[i].Risks = append(out[i].Risks, risks(out[i])...)
	}
	// Option 1 is the one to recommend: it changes the least (entries,
	// and paths in the sources), and each member keeps its own layout.
	// Option 3 restructures the workspace around an owner library, whose
	// features, targets and re-exports a reviewer must check: it is
	// recommended only where it resolves the workspace and Option 1 does
	// not, and otherwise pointed out where several members declare their
	// own allocator.
	rec := "1"
	if a := out[0]; a.Plan == nil || !a.Plan.Resolves {
		// Moving leaves a conflict (a local copy keeps its sys crate),
		// makes one (a locked package pins the other lineage), or is
		// refused (two names that cannot be merged).
		rec = ""
	}
	if a := out[3]; a.Feasible && !a.Plan.Empty() {
		switch _, bins, err := allocatorMembers(ws, conflict.Uses(ws)); {
		case rec == "":
			rec = "3"
			out[3].Why = append(out[3].Why, "recommended: option 1 cannot resolve this workspace, and option 3 does")
		case err == nil && len(bins) > 1:
			out[3].Why = append(out[3].Why, "an alternative to option 1: several members declare their own #[global_allocator], and one crate would own jemalloc for all of them; apply it with --option=3 and review the owner")
		}
	}
	return out, rec
}

// Builder builds one option; Option1, Option2 and Option3 are builders.
type Builder func(*workspace.Workspace, Options) (*Plan, error)

func assess(ws *workspace.Workspace, option, variant string, build Builder, opt Options) Assessment {
	title := Titles[strings.TrimSpace(option+" "+variant)]
	a := Assessment{Option: option, Variant: variant, Title: title}
	p, err := build(ws, opt)
	if err != nil {
		a.Why = []string{err.Error()}
		return a
	}
	a.Plan, a.Feasible, a.Why = p, p.Resolves, p.Why
	return a
}

// risks lists what each option leaves for a reviewer to weigh.
func risks(a Assessment) []string {
	if a.Plan == nil || a.Plan.Empty() {
		return nil
	}
	var out []string
	switch {
	case a.Option == "1" && a.Variant == "keep-names" && len(a.Plan.Moves) > 0:
		out = append(out, "sources keep the old crate names (jemalloc_ctl:: now means tikv-jemalloc-ctl); readers and tools such as cargo-deny see the renames")
	case a.Option == "1" && a.Variant == "" && slices.ContainsFunc(a.Plan.Changes, func(c Change) bool { return strings.HasSuffix(c.Path, ".rs") }):
		out = append(out, "a renamed line may grow past rustfmt's width: apply --rustfmt rewraps the files that were rustfmt-clean (use items are kept in rustfmt's order either way)")
	case a.Option == "2" && !a.Plan.Resolves:
		out = append(out, "the links conflict remains: nothing in the workspace builds after this option")
	case a.Option == "3":
		out = append(out, "the owner library becomes a dependency of every member that used jemalloc")
	}
	if n := len(a.Plan.Skipped); n > 0 {
		out = append(out, pluralize(n, "place mentions", "places mention")+" an old crate name but cannot be rewritten (see skipped)")
	}
	return out
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
