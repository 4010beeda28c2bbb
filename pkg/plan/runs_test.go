package plan

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"jemfix/internal/cargotest"
	"jemfix/internal/gen"
	"jemfix/internal/wstest"
	"jemfix/pkg/workspace"
)

// runLayouts are workspaces whose plan a run at a time takes the paths a
// plan made at once does not: a root package with members before and
// after its sources in path order, a package nested in another, a first
// move after the first run with entries that need "stats", the root's
// inherited entry given it by a later run, an unused inherited entry, a
// profile, a target file of another package, a file another package
// pulls in.
var runLayouts = map[string][]string{
	"root package, nested and dashed members": {
		"Cargo.toml", "[package]\nname = \"root\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\nmembers = [\"crates/*\", \"crates/a/inner\"]\n\n[workspace.dependencies]\njemalloc-ctl = \"0.5\"\njemallocator = \"0.5\"\n\n[dependencies]\njemallocator = \"0.5\"\n\n[profile.release.package.jemalloc-sys]\nopt-level = 3\n",
		"src/main.rs", "use jemallocator::Jemalloc;\n\n#[global_allocator]\nstatic A: Jemalloc = Jemalloc;\n\nfn main() {}\n",
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = { workspace = true }\n",
		"crates/a/src/lib.rs", "pub fn f() {\n    jemalloc_ctl::epoch::advance().unwrap();\n}\n",
		"crates/a/inner/Cargo.toml", "[package]\nname = \"inner\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"crates/a/inner/src/lib.rs", "use jemalloc_ctl::stats;\n\npub fn g() -> usize {\n    stats::allocated::read().unwrap()\n}\n",
		"crates/a-b/Cargo.toml", "[package]\nname = \"a-b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemallocator = { version = \"0.5\", optional = true }\n\n[features]\nfast = [\"jemallocator\"]\n",
		"crates/a-b/src/lib.rs", "#[cfg(feature = \"jemallocator\")]\npub use jemallocator::Jemalloc;\n",
		"crates/b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
		"crates/b/src/lib.rs", "pub use tikv_jemallocator::Jemalloc;\n",
		"README.md", "Build with `--features jemallocator`.\n",
	},
	"first move after the first run": {
		"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\ntikv-jemalloc-ctl = \"0.6\"\n",
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntikv-jemalloc-ctl = { workspace = true }\n",
		"crates/a/src/lib.rs", "use tikv_jemalloc_ctl::stats;\n\npub fn f() -> usize {\n    stats::allocated::read().unwrap()\n}\n",
		"crates/b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntikv-jemalloc-ctl = \"0.6\"\n",
		"crates/b/src/lib.rs", "pub fn g() -> usize {\n    tikv_jemalloc_ctl::stats::resident::read().unwrap()\n}\n",
		"crates/c/Cargo.toml", "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
		"crates/c/src/lib.rs", "pub fn h() {}\n",
		"crates/d/Cargo.toml", "[package]\nname = \"d\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemallocator = \"0.5\"\n",
		"crates/d/src/lib.rs", "pub use jemallocator::Jemalloc;\n",
	},
	"a target file of another package": {
		"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemallocator = \"0.5\"\n\n[[bin]]\nname = \"tool\"\npath = \"../b/src/tool.rs\"\n",
		"a/src/lib.rs", "pub use jemallocator::Jemalloc;\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"b/src/lib.rs", "pub fn f() {\n    jemalloc_ctl::epoch::advance().unwrap();\n}\n",
		"b/src/tool.rs", "use jemallocator::Jemalloc;\n\n#[global_allocator]\nstatic A: Jemalloc = Jemalloc;\n\nfn main() {}\n",
	},
	"a file another package pulls in": {
		"Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"a/src/lib.rs", "include!(\"../../b/src/shared.rs\");\n",
		"b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = \"0.5\"\ntikv-jemallocator = \"0.5\"\n",
		"b/src/lib.rs", "mod shared;\n",
		"b/src/shared.rs", "pub fn g() {\n    jemalloc_ctl::epoch::advance().unwrap();\n}\n",
	},
}

// restartsAtOne says which runLayouts make a plan in runs of one manifest
// start again: the test must take the paths it means to.
var restartsAtOne = map[string]bool{
	"root package, nested and dashed members": false,
	"first move after the first run":          true,
	"a target file of another package":        true,
	"a file another package pulls in":         true,
}

// A plan made a run at a time is the plan made at once, whatever the size
// of the runs: the same reasons, moves and reports, and the same changes,
// handed on run by run. The plan in runs reads its manifests again, as
// apply's does (workspace.LoadLean).
func TestOption1Runs(t *testing.T) {
	type layout struct {
		fsys fs.FS
		opt  Options
	}
	layouts := map[string]layout{}
	for name, files := range runLayouts {
		layouts[name] = layout{fsys: wstest.Files(files...)}
	}
	root := filepath.Join(cargotest.ModuleRoot(t), "fixtures")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "registry" {
			layouts["fixture "+e.Name()] = layout{fsys: os.DirFS(filepath.Join(root, e.Name()))}
		}
	}
	scale := t.TempDir()
	if err := gen.WriteScale(scale, gen.Scale{Crates: 9, FilesPerCrate: 2, Every: 3}); err != nil {
		t.Fatal(err)
	}
	layouts["generated"] = layout{fsys: os.DirFS(scale)}
	layouts["generated, keep names"] = layout{fsys: os.DirFS(scale), opt: Options{KeepNames: true}}
	for name, l := range layouts {
		load := func(lean bool) *workspace.Workspace {
			ws, err := workspace.Load(l.fsys, "ws")
			if lean { // the manifests read again when a run needs them, as apply's are
				ws, err = workspace.LoadLean(l.fsys, "ws")
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return ws
		}
		if _, err := fs.Stat(l.fsys, "Cargo.toml"); err != nil {
			continue // a fixture whose workspace lies deeper
		}
		ws := load(false)
		want, err := Option1(ws, l.opt)
		if err != nil {
			t.Logf("%s: %v", name, err) // a refusal: no plan to compare
			continue
		}
		wantFiles := loadChanges(t, ws, want.Changes)
		for _, size := range []int{1, 2, 3} {
			ws := load(true)
			got, restarts := map[string]string{}, 0
			sink := Sink{Size: size, Restart: func() { clear(got); restarts++ }, Changes: func(cs []Change) error {
				for path, content := range loadChanges(t, ws, cs) {
					if _, dup := got[path]; dup {
						t.Errorf("%s, runs of %d: %s handed on twice", name, size, path)
					}
					got[path] = content
				}
				return nil
			}}
			p, err := Option1Each(ws, l.opt, sink)
			if err != nil {
				t.Errorf("%s, runs of %d: %v", name, size, err)
				continue
			}
			if wantRestart, ok := restartsAtOne[name]; ok && size == 1 && (restarts > 0) != wantRestart {
				t.Errorf("%s, runs of 1: %d restarts, want some: %v", name, restarts, wantRestart)
			}
			if diff := cmp.Diff(want, p, cmpopts.IgnoreUnexported(Plan{}), cmpopts.IgnoreFields(Plan{}, "Changes")); diff != "" {
				t.Errorf("%s, runs of %d: plan differs (-at once +in runs):\n%s", name, size, diff)
			}
			if diff := cmp.Diff(wantFiles, got); diff != "" {
				t.Errorf("%s, runs of %d: changes differ (-at once +in runs):\n%s", name, size, diff)
			}
			for i, c := range p.Changes {
				if i >= len(want.Changes) || c.Path != want.Changes[i].Path || c.Creates() != want.Changes[i].Creates() || !c.Creates() && !c.HandedOn() {
					t.Errorf("%s, runs of %d: change %d is %+v, want the path of %+v, handed on", name, size, i, c, want.Changes[min(i, len(want.Changes)-1)])
				}
			}
		}
	}
}

// loadChanges returns the new content of each change, by path.
func loadChanges(t *testing.T, ws *workspace.Workspace, changes []Change) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range changes {
		loaded, err := c.Load(ws.FS, ws.Path)
		if err != nil {
			t.Fatal(err)
		}
		out[c.Path] = string(loaded.New)
	}
	return out
}
