package plan

import (
	"fmt"
	"io"
	"io/fs"
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
