package plan

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"

	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// statsForUsers gives "stats" to the control-crate entries the plan leaves
// on statsSeries or later without it, when their package's code names the
// stats module (lacksStats): a half-done upgrade to 0.6 (the entry bumped,
// the feature forgotten) compiles no better after the fix than before it.
// The caller runs it only when the plan moves something; it reads only
// the packages that have such an entry, and returns the notes for
// Plan.Why. An entry that inherits from [workspace.dependencies] gets the
// feature there, as statsGated's do. done holds the entries given it so
// far, which a plan made a run at a time shares among its runs.
func statsForUsers(ws *workspace.Workspace, edits map[*workspace.Manifest]*manifestEdit, uses []conflict.Use, series string, done map[*tomledit.Dep]bool) ([]string, error) {
	var notes []string
	for _, u := range uses {
		owner, entry := u.Manifest, u.Dep
		if u.Inherit != nil {
			owner, entry = ws.Root, u.Inherit
		}
		if done[entry] {
			continue
		}
		file, err := lacksStats(ws, u, series)
		if err != nil {
			return nil, err
		}
		if file == "" {
			continue
		}
		done[entry] = true
		editFor(edits, owner).editDependency(entry, tomledit.FieldEdit{Features: []string{"stats"}})
		notes = append(notes, statsNote(ws, u, file, "the entry enables it ("+ws.Position(owner, entry.Start).String()+")"))
	}
	return notes, nil
}

// lacksStats returns the Rust file of u's package that names the stats
// module of u's crate, when u is a registry tikv-jemalloc-ctl entry on
// statsSeries or later, the plan's series is too, and neither the entry,
// the one it inherits nor a feature of the package enables "stats"; else
// "". (An entry that crosses into statsSeries gets the feature anyway:
// statsGated.)
func lacksStats(ws *workspace.Workspace, u conflict.Use, series string) (string, error) {
	if u.Unused || u.Dep.InWorkspace || u.Crate.Lineage != family.Tikv || u.Crate.Role != family.Control ||
		u.Dep.Path != "" || u.Git != "" || family.CompareSeries(u.Series, statsSeries) < 0 || family.CompareSeries(series, statsSeries) < 0 {
		return "", nil
	}
	if u.Dep.Enables("stats") || u.Inherit != nil && u.Inherit.Enables("stats") || featureEnables(u.Manifest, u.Dep.Key, "stats") {
		return "", nil
	}
	return namesStats(ws, u.Manifest, workspace.RustName(u.Dep.Key))
}

// statsNote says why an entry gets "stats" that it did not have.
func statsNote(ws *workspace.Workspace, u conflict.Use, file, what string) string {
	return fmt.Sprintf("%s: tikv-jemalloc-ctl %s and later compile the stats module only with the \"stats\" feature, and %s names it: %s",
		u.Manifest.Name, statsSeries, ws.Path(file), what)
}

// featureEnables reports whether a feature of m enables feature of the
// dependency key: code behind that feature may use what it brings.
func featureEnables(m *workspace.Manifest, key, feature string) bool {
	for _, f := range m.Doc.Features() {
		if slices.ContainsFunc(f.Refs, func(r tomledit.Ref) bool { return r.Value == key+"/"+feature || r.Value == key+"?/"+feature }) {
			return true
		}
	}
	return false
}

// namesStats returns the first Rust file of m's package whose code (not
// its comments or literals) names the stats module of the crate named
// name, or "": name::stats, stats in a use group of name, nested groups
// included, or name::* in a file that names stats::; each also through
// an alias (use name as x, {self as x}).
func namesStats(ws *workspace.Workspace, m *workspace.Manifest, name string) (string, error) {
	files, err := ws.Walk()
	if err != nil {
		return "", err
	}
	own, err := files.Package(m.Dir)
	if err != nil {
		return "", nil // reported where the package's sources are planned
	}
	for _, f := range own {
		src, err := ws.ReadFile(f.Path, workspace.MaxSourceSize)
		if err == nil && bytes.Contains(src, []byte(name)) && usesStats(rustedit.CodeOnly(src), name) {
			return f.Path, nil
		}
	}
	return "", nil
}

// usesStats reports whether code names the stats module of the crate
// name (see namesStats).
func usesStats(code []byte, name string) bool {
	names := []string{name}
	alias := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(name) + `\s*(::\s*\{\s*self)?\s+as\s+([A-Za-z_][A-Za-z0-9_]*)`)
	for _, m := range alias.FindAllSubmatch(code, -1) {
		names = append(names, string(m[3]))
	}
	statsPath := regexp.MustCompile(`(^|[^A-Za-z0-9_:])stats\s*::`)
	for _, n := range names {
		path := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(n) + `\s*::\s*`)
		for _, loc := range path.FindAllIndex(code, -1) {
			rest := code[loc[1]:]
			switch {
			case bytes.HasPrefix(rest, []byte("stats")) && (len(rest) == 5 || !identByteASCII(rest[5])):
				return true
			case bytes.HasPrefix(rest, []byte("{")) && groupNames(rest, "stats"):
				return true
			case bytes.HasPrefix(rest, []byte("*")) && statsPath.Match(code):
				return true
			}
		}
	}
	return false
}

// groupNames reports whether the use group that group starts with ("{…}",
// nested groups included) names word at its top level.
func groupNames(group []byte, word string) bool {
	depth := 0
	for i := 0; i < len(group); i++ {
		switch c := group[i]; {
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth == 0 {
				return false
			}
		case depth == 1 && bytes.HasPrefix(group[i:], []byte(word)) && (i == 0 || !identByteASCII(group[i-1]) && group[i-1] != ':') &&
			(i+len(word) == len(group) || !identByteASCII(group[i+len(word)])):
			return true
		}
	}
	return false
}
