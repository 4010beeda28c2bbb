package plan

import (
	"fmt"

	"jemfix/pkg/family"
	"jemfix/pkg/workspace"
)

// patchSkips reports the [patch] and [replace] entries that stop applying
// once the plan's moves are made. jemfix does not rewrite them: such an
// entry points at another copy of the crate (a path, a git repository),
// and that copy still carries the old name and version, so renaming the
// entry would make cargo reject it.
func patchSkips(ws *workspace.Workspace, series string) []Skipped {
	var out []Skipped
	for _, pt := range ws.Patches() {
		c, ok := family.Lookup(pt.Crate)
		if !ok {
			continue
		}
		var why string
		switch {
		case c.Lineage == family.Original:
			why = fmt.Sprintf("%s %s stands in for %s, which nothing depends on after the move, so cargo will ignore it (\"patch was not used\"); if its change is still needed, make it for %s %s",
				pt.Table, pt.Key, c.Name, c.TikvName(), series)
		case pt.Version != "" && series != "" && family.SeriesOf(pt.Version) != series:
			why = fmt.Sprintf("%s %s stands in for %s %s, but the crates move to the %s series, so cargo will ignore it; update it to %s %s",
				pt.Table, pt.Key, c.Name, pt.Version, series, c.Name, series)
		default:
			continue
		}
		out = append(out, Skipped{At: ws.Position(ws.Root, pt.Start), Reason: why})
	}
	return out
}
