package plan

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/rustedit"
	"jemfix/pkg/workspace"
)

// dirCounter is a DirFS that counts the directories it opens.
type dirCounter struct {
	fstest.MapFS
	mu     sync.Mutex
	opened []string
}

func (d *dirCounter) OpenDir(dir string) (fs.FS, io.Closer, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.opened = append(d.opened, dir)
	sub, err := fs.Sub(d.MapFS, dir)
	return sub, io.NopCloser(nil), err
}

// runJobs opens each directory once per batch of at most batchSize files,
// and gives the same results as reading every file from the root.
func TestRunJobsByDirectory(t *testing.T) {
	m := fstest.MapFS{}
	var jobs []sourceJob
	cfg := &jobConfig{opt: rustedit.Options{Crates: map[string]string{"jemalloc_ctl": "tikv_jemalloc_ctl"}}}
	add := func(p, src string) {
		m[p] = &fstest.MapFile{Data: []byte(src)}
		jobs = append(jobs, sourceJob{path: p, jobConfig: cfg})
	}
	for i := range batchSize + 8 {
		add(fmt.Sprintf("a/src/f%02d.rs", i), fmt.Sprintf("use jemalloc_ctl::epoch; // %d\n", i))
	}
	add("b/src/lib.rs", "fn f() { jemalloc_ctl::epoch::advance(); }\n")
	add("b/src/main.rs", "fn main() {}\n")
	jobs = append(jobs, sourceJob{path: "b/src/missing.rs", jobConfig: cfg})

	d := &dirCounter{MapFS: m}
	at := func(p string, src []byte, off int) workspace.Position { return workspace.Position{Path: p, Line: off} }
	got := runJobs(d, jobs, nil, at)
	want := runJobs(m, jobs, nil, at)
	if diff := cmp.Diff(comparable(want), comparable(got)); diff != "" {
		t.Errorf("results differ (-root +dirs):\n%s", diff)
	}
	slices.Sort(d.opened)
	if diff := cmp.Diff([]string{"a/src", "a/src", "b/src"}, d.opened); diff != "" {
		t.Errorf("directories opened (-want +got):\n%s", diff)
	}
	if got[len(got)-1].err == nil {
		t.Errorf("missing file gave no error")
	}
	ch, err := got[batchSize+8].change.Load(m, func(s string) string { return s })
	if err != nil || string(ch.New) != "fn f() { tikv_jemalloc_ctl::epoch::advance(); }\n" {
		t.Errorf("b/src/lib.rs = %q, %v", ch.New, err)
	}
}

// comparable prints results with errors as their text.
func comparable(rs []sourceResult) []string {
	var out []string
	for _, r := range rs {
		msg := ""
		if r.err != nil {
			msg = r.err.Error()
		}
		r.err = nil
		if r.change != nil {
			msg += fmt.Sprintf(" change %s %+v", r.change.Path, *r.change.deferred)
			r.change = nil
		}
		out = append(out, fmt.Sprint(r)+msg)
	}
	return out
}

// A file a source pulls in that jemfix does not rewrite (another
// extension, outside the package, outside the root) is reported at the
// include! or #[path] when it names a renamed crate; one that names none,
// or one of the package's own sources, is not.
func TestPulledInFiles(t *testing.T) {
	fsys := files(
		"Cargo.toml", "[workspace]\nmembers = [\"app\"]\n",
		"app/Cargo.toml", "[package]\nname = \"app\"\nedition = \"2021\"\n[dependencies]\njemalloc-ctl = \"0.5\"\ntikv-jemallocator = \"0.5\"\n",
		"app/src/main.rs", "include!(\"../gen/stats.inc\");\ninclude!(\"../gen/plain.inc\");\n#[path = \"../../shared/alloc.rs\"]\nmod alloc;\n#[path = \"inner.rs\"]\nmod inner;\ninclude!(\"../../../outside.rs\");\nfn main() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"app/src/inner.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"app/gen/stats.inc", "fn g() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
		"app/gen/plain.inc", "fn h() {}\n",
		"shared/alloc.rs", "pub use jemalloc_ctl::stats;\n",
	)
	p, err := Option1(load(t, fsys), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Skipped {
		if s.Kind == KindInclude {
			got = append(got, s.At.String()+": "+s.Reason)
		}
	}
	want := []string{
		"ws/app/src/main.rs:1:1: include! pulls in ws/app/gen/stats.inc, which is not among the package's sources jemfix rewrites and names jemalloc_ctl; rename it to tikv_jemalloc_ctl there by hand",
		"ws/app/src/main.rs:3:1: #[path] pulls in ws/shared/alloc.rs, which is not among the package's sources jemfix rewrites and names jemalloc_ctl; rename it to tikv_jemalloc_ctl there by hand",
		"ws/app/src/main.rs:7:1: include! pulls in ../../../outside.rs, outside the workspace root: not read; if it names a renamed crate, rename it by hand",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// A #[path] inside inline modules starts at their directories.
func TestInlineModules(t *testing.T) {
	src := "mod a {\n    // mod fake {\n    pub mod b { fn f() { let s = \"{\"; }\n        #[path = \"x.rs\"] mod x;\n    }\n}\n#[path = \"y.rs\"] mod y;\n"
	var got [][]inlineMod
	for _, pa := range pathAttrs([]byte(src)) {
		got = append(got, pa.mods)
	}
	if want := [][]inlineMod{{{name: "a"}, {name: "b"}}, nil}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("pathAttrs modules = %q, want %q", got, want)
	}
	for p, want := range map[string]bool{"src/lib.rs": true, "src/a/mod.rs": true, "src/bin/tool.rs": true, "src/a.rs": false, "tests/it.rs": true} {
		if modRs(p) != want {
			t.Errorf("modRs(%q) = %v", p, !want)
		}
	}
}

// An inline module's own #[path] names its directory, from the directory
// it stands in (rustc's mod_dir_path): in a file that is not a mod-rs
// file, the file module's directory is not part of it.
func TestInlineModulePath(t *testing.T) {
	src := "#[cfg(unix)]\n#[path = \"../shared\"] // the shared half\npub(crate) mod shared {\n    mod inner {\n        #[path = \"alloc.rs\"] mod alloc;\n    }\n}\n" +
		"mod plain {\n    #[path = \"p.rs\"] mod p;\n}\n" +
		"mod outer {\n    #[path = \"d\"] mod sub {\n        #[path = \"q.rs\"] mod q;\n    }\n}\n"
	pas := pathAttrs([]byte(src))
	var got []string
	for _, file := range []string{"app/src/lib.rs", "app/src/a.rs"} {
		for _, pa := range pas {
			if len(pa.mods) > 0 {
				got = append(got, file+": "+path.Join(path.Join(inlineDirs(sourceJob{path: file, jobConfig: &jobConfig{}}, pa.mods)...), pa.path))
			}
		}
	}
	want := []string{
		"app/src/lib.rs: app/shared/inner/alloc.rs",
		"app/src/lib.rs: app/src/plain/p.rs",
		"app/src/lib.rs: app/src/outer/d/q.rs",
		"app/src/a.rs: app/shared/inner/alloc.rs",
		"app/src/a.rs: app/src/a/plain/p.rs",
		"app/src/a.rs: app/src/a/outer/d/q.rs",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
}
