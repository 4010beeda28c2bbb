package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/conflict"
)

// A [workspace.dependencies] entry that no member inherits is not in the
// graph: it chooses no series, makes no conflict and no diff of its own.
func TestUnusedWorkspaceDependency(t *testing.T) {
	root := "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\njemallocator = \"0.5\"\n"
	healthy := files("Cargo.toml", root,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n")
	r := conflict.Scan(load(t, healthy))
	if r.Conflict || r.Movable != 0 {
		t.Errorf("scan: conflict %v, movable %d; want neither", r.Conflict, r.Movable)
	}
	if got, _ := apply(t, healthy, Options{}); len(got) != 0 {
		t.Errorf("option 1 changed %v; want nothing", got)
	}

	// With work to do elsewhere, the series comes from the members, and
	// the unused original-name entry is renamed with the rest.
	legacy := files("Cargo.toml", root,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n")
	got, p := apply(t, legacy, Options{})
	want := map[string]string{
		"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\ntikv-jemallocator = \"0.5\"\n",
		"crates/b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if p.Series != "0.5" {
		t.Errorf("series %q, want 0.5 from the members", p.Series)
	}
}

// [patch] and [replace] entries that stop applying after the move are
// reported, with their positions, and left as they are.
func TestPatchesReported(t *testing.T) {
	root := "[package]\nname = \"app\"\n[dependencies]\njemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n\n" +
		"[patch.crates-io]\njemalloc-sys = { path = \"vendor/jemalloc-sys\" }\ntikv-jemalloc-ctl = { git = \"https://example.invalid/ctl\" }\n\n" +
		"[replace]\n\"tikv-jemalloc-sys:0.4.3\" = { path = \"vendor/sys\" }\n"
	got, p := apply(t, files("Cargo.toml", root), Options{})
	if want := strings.Replace(root, "jemallocator = \"0.5\"", "tikv-jemallocator = \"0.5\"", 1); got["Cargo.toml"] != want {
		t.Errorf("Cargo.toml =\n%s\nwant only the dependency renamed", got["Cargo.toml"])
	}
	var at []string
	for _, s := range p.Skipped {
		at = append(at, s.At.String()+" "+s.Reason[:strings.Index(s.Reason, ",")])
	}
	want := []string{
		"ws/Cargo.toml:8:1 [patch.crates-io] jemalloc-sys stands in for jemalloc-sys",
		"ws/Cargo.toml:9:1 [patch.crates-io] tikv-jemalloc-ctl stands in for tikv-jemalloc-ctl",
		"ws/Cargo.toml:12:1 [replace] tikv-jemalloc-sys:0.4.3 stands in for tikv-jemalloc-sys 0.4.3",
	}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

// No conflict today, but a locked package pins the original sys crate, so
// moving to the tikv crates would make one: plan recommends nothing.
func TestNoRecommendationWhenMovingMakesAConflict(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"alloc\"\n[dependencies]\njemallocator = \"0.1.9\"\n",
		"Cargo.lock", "version = 3\n[[package]]\nname = \"rocksdb-sys\"\nversion = \"6.1.0\"\nsource = \"git+https://example.invalid/rocksdb\"\ndependencies = [\"jemalloc-sys 0.1.8\"]\n")
	as, rec := Assess(load(t, fsys), Options{})
	if rec != "" {
		t.Errorf("recommended %q, want none", rec)
	}
	if len(as) == 0 || as[0].Feasible || !strings.Contains(strings.Join(as[0].Why, "\n"), "rocksdb-sys 6.1.0 needs jemalloc-sys 0.1.8") {
		t.Errorf("option 1: feasible %v, why %q; want infeasible, naming the lock", as[0].Feasible, as[0].Why)
	}
}

// A local copy of jemalloc-sys keeps its name and series: when the rest of
// the graph is on tikv, option 1 has nothing to move and says that the
// conflict remains, option 3 refuses, and plan recommends nothing.
func TestLocalCopyConflict(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"b\", \"vendored/jemallocator\"]\n",
		"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = { path = \"../vendored/jemallocator\" }\njemalloc-sys = { path = \"../vendored/jemallocator/jemalloc-sys\" }\n",
		"app/src/main.rs", "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"b/src/lib.rs", "pub use tikv_jemalloc_ctl::epoch;\n",
		"vendored/jemallocator/Cargo.toml", "[package]\nname = \"jemallocator\"\nversion = \"0.1.0\"\n[dependencies.jemalloc-sys]\npath = \"jemalloc-sys\"\nversion = \"0.3.2\"\n",
		"vendored/jemallocator/src/lib.rs", "pub struct Jemalloc;\n",
		"vendored/jemallocator/jemalloc-sys/Cargo.toml", "[package]\nname = \"jemalloc-sys\"\nversion = \"0.3.2\"\nlinks = \"jemalloc\"\n")
	ws := load(t, fsys)
	p, err := Option1(ws, Options{})
	if err != nil {
		t.Fatal(err)
	}
	why := strings.Join(p.Why, "\n")
	if p.Resolves || !p.Empty() || !strings.Contains(why, "jemalloc-sys 0.3.2 at vendored/jemallocator/jemalloc-sys is a local copy") {
		t.Errorf("option 1: resolves %v, %d changes, why:\n%s\nwant no change, the conflict remaining, the copy named", p.Resolves, len(p.Changes), why)
	}
	if _, err := Option3(load(t, fsys), Options{}); err == nil || !strings.Contains(err.Error(), "does not consolidate local copies") {
		t.Errorf("option 3: err = %v, want a refusal naming the local copy", err)
	}
	if _, rec := Assess(load(t, fsys), Options{}); rec != "" {
		t.Errorf("recommended %q, want none", rec)
	}
}

// A local copy of tikv-jemalloc-sys pins the series the rest moves to; the
// move resolves the graph only when a [patch] points the registry crate at
// the copy, since cargo counts a path package apart from the registry's.
func TestLocalCopyPinsSeries(t *testing.T) {
	for _, patch := range []bool{false, true} {
		root := "[workspace]\nmembers = [\"app\", \"b\"]\n"
		if patch {
			root += "[patch.crates-io]\ntikv-jemalloc-sys = { path = \"vendored/sys\" }\n"
		}
		fsys := files(
			"Cargo.toml", root,
			"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-sys = { path = \"../vendored/sys\" }\n",
			"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
			"vendored/sys/Cargo.toml", "[package]\nname = \"tikv-jemalloc-sys\"\nversion = \"0.4.3\"\nlinks = \"jemalloc\"\n")
		p, err := Option1(load(t, fsys), Options{})
		if err != nil {
			t.Fatal(err)
		}
		why := strings.Join(p.Why, "\n")
		if p.Series != "0.4" || p.Resolves != patch || !strings.Contains(why, "the local copy tikv-jemalloc-sys 0.4.3") {
			t.Errorf("patch %v: series %q, resolves %v, why:\n%s\nwant 0.4 from the local copy, resolving only with the patch", patch, p.Series, p.Resolves, why)
		}
	}
}

// Outside Rust code an old name is a package, feature or spec name: the
// note on a CI file gives the new key (tikv-jemallocator), not the Rust
// name (tikv_jemallocator), which cargo would not take there.
func TestMentionNamesTheNewKey(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[features]\ndefault = [\"jemallocator\"]\n",
		"src/main.rs", "fn main() {}\n",
		"ci.sh", "cargo build --features jemallocator\n")
	for _, rename := range []bool{false, true} {
		p, err := Option1(load(t, fsys), Options{RenameFeatures: rename})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range p.Skipped {
			if strings.Contains(s.At.Path, "ci.sh") {
				got = append(got, s.Reason)
			}
		}
		if len(got) != 1 || !strings.Contains(got[0], "names jemallocator, now tikv-jemallocator") {
			t.Errorf("rename features %v: notes on ci.sh = %q, want one naming tikv-jemallocator", rename, got)
		}
	}
}

// tikv-jemalloc-ctl 0.6 compiles its stats module only with the "stats"
// feature, which earlier series always had: a control crate moved across
// it enables the feature, in whatever form its entry is written.
func TestStatsFeature(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\", \"c\", \"d\"]\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"c/Cargo.toml", "[package]\nname = \"c\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", features = [\"use_std\"] }\n",
		"d/Cargo.toml", "[package]\nname = \"d\"\n[dependencies.tikv-jemalloc-ctl]\nversion = \"0.5\"\n")
	for _, tt := range []struct {
		keep bool
		want map[string]string
	}{
		{false, map[string]string{
			"b/Cargo.toml": `tikv-jemalloc-ctl = { version = "0.6", features = ["stats"] }`,
			"c/Cargo.toml": `tikv-jemalloc-ctl = { version = "0.6", features = ["use_std", "stats"] }`,
			"d/Cargo.toml": "[dependencies.tikv-jemalloc-ctl]\nversion = \"0.6\"\nfeatures = [\"stats\"]\n",
		}},
		{true, map[string]string{
			"b/Cargo.toml": `jemalloc-ctl = { package = "tikv-jemalloc-ctl", version = "0.6", features = ["stats"] }`,
			"c/Cargo.toml": `jemalloc-ctl = { package = "tikv-jemalloc-ctl", version = "0.6", features = ["use_std", "stats"] }`,
			"d/Cargo.toml": "[dependencies.tikv-jemalloc-ctl]\nversion = \"0.6\"\nfeatures = [\"stats\"]\n",
		}},
	} {
		got, p := apply(t, fsys, Options{KeepNames: tt.keep})
		for path, want := range tt.want {
			if !strings.Contains(got[path], want) {
				t.Errorf("keep-names %v: %s lacks %q:\n%s", tt.keep, path, want, got[path])
			}
		}
		if !strings.Contains(strings.Join(p.Why, "\n"), `only with the "stats" feature`) {
			t.Errorf("keep-names %v: why %q does not say why stats is enabled", tt.keep, p.Why)
		}
	}
}

// A [patch] of a tikv crate on a higher series than the workspace's takes
// the move there, so that cargo uses it; its version comes from Cargo.lock
// when the entry has none.
func TestPatchRaisesSeries(t *testing.T) {
	root := "[package]\nname = \"app\"\n[dependencies]\njemallocator = \"0.5\"\n\n" +
		"[patch.crates-io]\ntikv-jemalloc-sys = { git = \"https://example.invalid/jemallocator\", rev = \"abc\" }\n"
	lock := "version = 3\n[[package]]\nname = \"tikv-jemalloc-sys\"\nversion = \"0.7.1+5.3.1\"\nsource = \"git+https://example.invalid/jemallocator?rev=abc#abc\"\n"
	p, err := Option1(load(t, files("Cargo.toml", root, "Cargo.lock", lock)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Series != "0.7" || !strings.Contains(strings.Join(p.Why, "\n"), "[patch.crates-io] tikv-jemalloc-sys (ws/Cargo.toml:7:1) stands in for tikv-jemalloc-sys 0.7.1+5.3.1") {
		t.Errorf("with the lock: series %q, why %q; want 0.7 from the patch", p.Series, p.Why)
	}
	p, err = Option1(load(t, files("Cargo.toml", root)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, s := range p.Skipped {
		notes = append(notes, s.Reason)
	}
	if p.Series != "0.5" || !strings.Contains(strings.Join(notes, "\n"), "jemfix cannot tell which version") {
		t.Errorf("without the lock: series %q, notes %q; want 0.5 and a note on the patch", p.Series, notes)
	}
}

// A metadata table that names a renamed key (cargo-machete's ignored list)
// gets a note with its position; the manifest's own change stays the move.
func TestMetadataNotes(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = \"0.5\"\n\n[package.metadata.cargo-machete]\nignored = [\"serde\", \"jemallocator\"]\n")
	p, err := Option1(load(t, fsys), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Skipped {
		got = append(got, s.At.String()+": "+s.Reason)
	}
	want := []string{"ws/Cargo.toml:7:21: package.metadata.cargo-machete.ignored names jemallocator, now tikv-jemallocator; update it by hand"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// A feature kept under its old name stays right in a metadata feature list
// (docs.rs): no note. Renamed (--rename-features), it gets one, and the
// required-features of a build target follow it.
func TestFeatureListsFollowRenames(t *testing.T) {
	fsys := files("Cargo.toml", "[package]\nname = \"lib\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n"+
		"[[example]]\nname = \"ex\"\nrequired-features = [\"jemalloc-ctl\", 'std', \"jemalloc-ctl/use_std\"]\n[package.metadata.docs.rs]\nfeatures = [\"jemalloc-ctl\"]\n")
	for _, rename := range []bool{false, true} {
		got, p := applyWith(t, fsys, Option1, Options{RenameFeatures: rename})
		var notes []string
		for _, s := range p.Skipped {
			notes = append(notes, s.At.String()+": "+s.Reason)
		}
		var want []string
		// A dependency's feature follows the key either way.
		required := `required-features = ["jemalloc-ctl", 'std', "tikv-jemalloc-ctl/use_std"]`
		if rename {
			want = []string{"ws/Cargo.toml:9:13: package.metadata.docs.rs.features names jemalloc-ctl, now tikv-jemalloc-ctl; update it by hand"}
			required = `required-features = ["tikv-jemalloc-ctl", 'std', "tikv-jemalloc-ctl/use_std"]`
		}
		if diff := cmp.Diff(want, notes); diff != "" {
			t.Errorf("rename %v: notes (-want +got):\n%s", rename, diff)
		}
		if !strings.Contains(got["Cargo.toml"], required) {
			t.Errorf("rename %v: want %s in\n%s", rename, required, got["Cargo.toml"])
		}
	}
}

// A package of the graph inside a directory the walk does not enter (a
// local copy under vendor/) gets its sources rewritten with its manifest.
func TestVendoredPackageSources(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\", \"stats\"]\nexclude = [\"vendor\"]\n",
		"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\nstats = { path = \"../stats\" }\ntikv-jemallocator = \"0.5\"\n",
		"stats/Cargo.toml", "[package]\nname = \"stats\"\n[dependencies]\njemalloc-ctl = { path = \"../vendor/jemalloc-ctl\" }\n",
		"vendor/jemalloc-ctl/Cargo.toml", "[package]\nname = \"jemalloc-ctl\"\nversion = \"0.5.4\"\n[dependencies]\njemalloc-sys = \"0.5\"\n",
		"vendor/jemalloc-ctl/src/lib.rs", "use jemalloc_sys as ffi;\n")
	got, _ := apply(t, fsys, Options{})
	if !strings.Contains(got["vendor/jemalloc-ctl/Cargo.toml"], "tikv-jemalloc-sys") || got["vendor/jemalloc-ctl/src/lib.rs"] != "use tikv_jemalloc_sys as ffi;\n" {
		t.Errorf("vendored copy: manifest\n%s\nsource %q", got["vendor/jemalloc-ctl/Cargo.toml"], got["vendor/jemalloc-ctl/src/lib.rs"])
	}
}

// An option 1 that is refused (two entries it cannot merge) is not
// recommended either.
func TestRefusedOptionNotRecommended(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n"+
			"tikv-jemalloc-ctl = { version = \"0.5\", optional = true }\n[features]\nx = [\"dep:tikv-jemalloc-ctl\"]\n")
	as, rec := Assess(load(t, fsys), Options{})
	if as[0].Plan != nil || rec != "" {
		t.Errorf("option 1: plan %v, why %q; recommended %q, want none", as[0].Plan != nil, as[0].Why, rec)
	}
}
