package plan

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/family"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// profileRenames renames the package overrides of the root's profiles
// ([profile.release.package.jemalloc-sys]) that name an original-name
// crate the plan takes out of the graph: cargo matches them by package
// name, and one that matches no package only draws a warning, so the
// override would silently stop applying. It runs only when the plan
// removes the conflict, that is when no original-name package is left. A
// spec with a version, or one whose new name the profile already
// overrides, is reported instead.
func profileRenames(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit) {
	root := ws.Root
	if !p.Resolves || len(p.Moves) == 0 || !bytes.Contains(root.Doc.Src(), []byte("profile")) {
		return
	}
	specs := root.Doc.ProfilePackages()
	for _, s := range specs {
		name, version := specParts(s.Spec)
		c, ok := family.Lookup(name)
		if !ok || c.Lineage != family.Original {
			continue
		}
		nu := c.TikvName()
		taken := slices.ContainsFunc(specs, func(o tomledit.ProfilePackage) bool {
			n, _ := specParts(o.Spec)
			return o.Profile == s.Profile && n == nu
		})
		if version != "" || taken {
			why := "its version names the old crate's"
			if taken {
				why = "the profile already overrides " + nu
			}
			p.Skipped = append(p.Skipped, Skipped{At: ws.Position(root, s.Span.Start), Kind: KindMention,
				Reason: fmt.Sprintf("[profile.%s.package.%s] overrides %s, which leaves the graph for %s; %s: update it by hand", s.Profile, s.Spec, name, nu, why)})
			continue
		}
		me := editFor(edits, root)
		me.edits = append(me.edits, root.Doc.RenameKeyPart(s.Span, nu))
	}
}

// specParts splits a package spec, "name", "name@1.2" or "name:1.2".
func specParts(spec string) (name, version string) {
	if i := strings.IndexAny(spec, "@:"); i >= 0 {
		return spec[:i], spec[i+1:]
	}
	return spec, ""
}
