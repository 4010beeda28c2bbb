package tomledit

import (
	"strings"
	"testing"

	"jemfix/pkg/textedit"
)

// matrixTables are the dependency tables of Cargo: {H} in a shape is the
// header path, path the decoded one.
var matrixTables = []struct {
	header string
	path   []string
	table  DepTable
}{
	{"dependencies", []string{"dependencies"}, DepTable{Kind: "normal"}},
	{"dev-dependencies", []string{"dev-dependencies"}, DepTable{Kind: "dev"}},
	{"build-dependencies", []string{"build-dependencies"}, DepTable{Kind: "build"}},
	{"target.'cfg(not(target_env = \"msvc\"))'.dependencies", []string{"target", `cfg(not(target_env = "msvc"))`, "dependencies"},
		DepTable{Kind: "normal", Target: `cfg(not(target_env = "msvc"))`}},
	{"target.\"cfg(unix)\".dev-dependencies", []string{"target", "cfg(unix)", "dev-dependencies"}, DepTable{Kind: "dev", Target: "cfg(unix)"}},
	{"target.x86_64-unknown-linux-gnu.build-dependencies", []string{"target", "x86_64-unknown-linux-gnu", "build-dependencies"},
		DepTable{Kind: "build", Target: "x86_64-unknown-linux-gnu"}},
	{"workspace.dependencies", []string{"workspace", "dependencies"}, DepTable{Kind: "normal", InWorkspace: true}},
}

// matrixShape is one way to write the jemalloc-ctl entry. Option 1's edits
// are applied to it: the key becomes tikv-jemalloc-ctl (or, for a renamed
// entry, its package value does), and the version becomes "0.6".
type matrixShape struct {
	name, in, want string
	key            string // the entry's key
	version        string // "" when the entry has no version string
	optional, ws   bool
}

var matrixShapes = []matrixShape{
	{"plain", "[{H}]\njemalloc-ctl = \"0.5\"\n", "[{H}]\ntikv-jemalloc-ctl = \"0.6\"\n", "jemalloc-ctl", "0.5", false, false},
	{"inline", "[{H}]\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
		"[{H}]\ntikv-jemalloc-ctl = { version = \"0.6\", optional = true }\n", "jemalloc-ctl", "0.5", true, false},
	{"multi-line inline with comments", "[{H}]\njemalloc-ctl = {\n  version = \"0.5\", # pinned\n  # stats only\n  optional = true,\n}\n",
		"[{H}]\ntikv-jemalloc-ctl = {\n  version = \"0.6\", # pinned\n  # stats only\n  optional = true,\n}\n", "jemalloc-ctl", "0.5", true, false},
	{"comments between entries", "[{H}]\n# the allocator statistics\njemalloc-ctl = \"0.5\" # eol\n# next\nlog = \"0.4\"\n",
		"[{H}]\n# the allocator statistics\ntikv-jemalloc-ctl = \"0.6\" # eol\n# next\nlog = \"0.4\"\n", "jemalloc-ctl", "0.5", false, false},
	{"dotted keys", "[{H}]\njemalloc-ctl.version = \"0.5\"\njemalloc-ctl.optional = true\n",
		"[{H}]\ntikv-jemalloc-ctl.version = \"0.6\"\ntikv-jemalloc-ctl.optional = true\n", "jemalloc-ctl", "0.5", true, false},
	{"dotted workspace", "[{H}]\njemalloc-ctl.workspace = true\njemalloc-ctl.optional = true\n",
		"[{H}]\ntikv-jemalloc-ctl.workspace = true\ntikv-jemalloc-ctl.optional = true\n", "jemalloc-ctl", "", true, true},
	{"sub-table", "[{H}.jemalloc-ctl]\nversion = \"0.5\"\noptional = true\n",
		"[{H}.tikv-jemalloc-ctl]\nversion = \"0.6\"\noptional = true\n", "jemalloc-ctl", "0.5", true, false},
	{"sub-table far from its table", "[{H}]\nlog = \"0.4\"\n\n[features]\nx = []\n\n[{H}.jemalloc-ctl]\nversion = \"0.5\"\n",
		"[{H}]\nlog = \"0.4\"\n\n[features]\nx = []\n\n[{H}.tikv-jemalloc-ctl]\nversion = \"0.6\"\n", "jemalloc-ctl", "0.5", false, false},
	{"quoted key", "[{H}]\n\"jemalloc-ctl\" = '0.5'\n", "[{H}]\n\"tikv-jemalloc-ctl\" = '0.6'\n", "jemalloc-ctl", "0.5", false, false},
	{"quoted sub-table", "[{H}.\"jemalloc-ctl\"]\nversion = \"0.5\"\n", "[{H}.\"tikv-jemalloc-ctl\"]\nversion = \"0.6\"\n", "jemalloc-ctl", "0.5", false, false},
	{"renamed", "[{H}]\nctl = { package = \"jemalloc-ctl\", version = \"0.5\" }\n",
		"[{H}]\nctl = { package = \"tikv-jemalloc-ctl\", version = \"0.6\" }\n", "ctl", "0.5", false, false},
	{"inherited with features", "[{H}]\njemalloc-ctl = { workspace = true, optional = true, features = [\"stats\"] }\n",
		"[{H}]\ntikv-jemalloc-ctl = { workspace = true, optional = true, features = [\"stats\"] }\n", "jemalloc-ctl", "", true, true},
}

// matrixEdit makes Option 1's edits to the entry keyed key.
func matrixEdit(key string) func(d *Doc) ([]textedit.Edit, error) {
	return func(d *Doc) ([]textedit.Edit, error) {
		dep := find(d, key)
		var edits []textedit.Edit
		if dep.Package != "" {
			edits = d.SetPackage(dep, "tikv-jemalloc-ctl")
		} else {
			edits = d.RenameDependency(dep, "tikv-jemalloc-ctl")
		}
		if dep.Version == "" {
			return edits, nil
		}
		e, err := d.SetVersion(dep, "0.6")
		return append(edits, e), err
	}
}

// matrixSem is matrixEdit on the decoded document.
func matrixSem(key string, path []string) func(map[string]any) {
	return func(m map[string]any) {
		tbl := at(m, path...)
		switch e := tbl[key].(type) {
		case string:
			tbl[key] = "0.6"
		case map[string]any:
			if _, ok := e["version"]; ok {
				e["version"] = "0.6"
			}
			if _, ok := e["package"]; ok {
				e["package"] = "tikv-jemalloc-ctl"
				return
			}
		}
		tbl["tikv-jemalloc-ctl"] = tbl[key]
		delete(tbl, key)
	}
}

// TestShapeMatrix reads and edits every entry shape in every kind of
// dependency table.
func TestShapeMatrix(t *testing.T) {
	for _, tb := range matrixTables {
		for _, sh := range matrixShapes {
			t.Run(tb.header+"/"+sh.name, func(t *testing.T) {
				src := strings.ReplaceAll(sh.in, "{H}", tb.header)
				checkMatrixDep(t, src, tb.table, sh)
				checkEdit(t, editCase{
					src:  src,
					edit: matrixEdit(sh.key),
					want: strings.ReplaceAll(sh.want, "{H}", tb.header),
					sem:  matrixSem(sh.key, tb.path),
				})
			})
		}
	}
}

func checkMatrixDep(t *testing.T, src string, tbl DepTable, sh matrixShape) {
	t.Helper()
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	deps := d.Dependencies()
	dep := find(d, sh.key)
	if dep == nil {
		t.Fatalf("no entry %q among %d dependencies", sh.key, len(deps))
	}
	if dep.Table() != tbl || dep.RealName() != "jemalloc-ctl" || dep.Version != sh.version ||
		dep.Optional != sh.optional || dep.Workspace != sh.ws {
		t.Errorf("read %+v\nwant table %+v, crate jemalloc-ctl, version %q, optional %v, workspace %v",
			*dep, tbl, sh.version, sh.optional, sh.ws)
	}
}

// featureLayouts write one feature array in each layout; {R} is the list
// of references, each written as a string with {Q} as its quote.
var featureLayouts = []struct{ name, src string }{
	{"one line", "[features]\nstats = [{R}]\n"},
	{"one line trailing comma", "[features]\nstats = [{R},]\n"},
	{"one per line", "[features]\nstats = [\n    {R/n}\n]\n"},
	{"one per line trailing comma and comments", "[features]\n# why\nstats = [ # eol\n    # first\n    {R/n},\n    # last\n]\n"},
	{"quoted feature name", "[features]\n\"stats\" = [{R}]\n"},
}

var featureRefForms = []string{"jemalloc-ctl", "dep:jemalloc-ctl", "jemalloc-ctl/stats", "jemalloc-ctl?/stats", "riptide-performance/jemalloc-ctl"}

// TestFeatureRefMatrix renames every form of feature reference in every
// array layout, with both quote styles.
func TestFeatureRefMatrix(t *testing.T) {
	for _, lay := range featureLayouts {
		for _, q := range []string{`"`, `'`} {
			var quoted []string
			for _, r := range featureRefForms {
				quoted = append(quoted, q+r+q)
			}
			src := strings.NewReplacer("{R}", strings.Join(quoted, ", "), "{R/n}", strings.Join(quoted, ",\n    ")).Replace(lay.src)
			t.Run(lay.name+"/"+q, func(t *testing.T) {
				checkEdit(t, editCase{
					src: src,
					edit: func(d *Doc) ([]textedit.Edit, error) {
						var edits []textedit.Edit
						for _, r := range feature(d, "stats").Refs {
							edits = append(edits, d.RenameFeatureRef(r, strings.ReplaceAll(r.Value, "jemalloc-ctl", "tikv-jemalloc-ctl")))
						}
						return edits, nil
					},
					want: strings.ReplaceAll(src, "jemalloc-ctl", "tikv-jemalloc-ctl"),
					sem: func(m map[string]any) {
						var vals []any
						for _, r := range featureRefForms {
							vals = append(vals, strings.ReplaceAll(r, "jemalloc-ctl", "tikv-jemalloc-ctl"))
						}
						at(m, "features")["stats"] = vals
					},
				})
			})
		}
	}
}
