package plan

import (
	"testing"
	"testing/fstest"

	"jemfix/internal/wstest"
)

var (
	files = wstest.Files
	load  = wstest.Load
)

// apply runs Option 1 and returns the new content of each changed file.
func apply(t *testing.T, fsys fstest.MapFS, opt Options) (map[string]string, *Plan) {
	t.Helper()
	return applyWith(t, fsys, Option1, opt)
}

// applyWith is apply for any option's builder.
func applyWith(t *testing.T, fsys fstest.MapFS, build Builder, opt Options) (map[string]string, *Plan) {
	t.Helper()
	ws := load(t, fsys)
	p, err := build(ws, opt)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if err := p.LoadAll(ws); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range p.Changes {
		out[c.Path] = string(c.New)
	}
	return out, p
}

func TestRenameRef(t *testing.T) {
	keys := map[string]string{"jemalloc-ctl": "tikv-jemalloc-ctl"}
	tests := []struct {
		in, want string
		explicit bool
	}{
		{in: "jemalloc-ctl", want: "tikv-jemalloc-ctl"},
		{in: "dep:jemalloc-ctl", want: "dep:tikv-jemalloc-ctl"},
		{in: "jemalloc-ctl/stats", want: "tikv-jemalloc-ctl/stats"},
		{in: "jemalloc-ctl?/stats", want: "tikv-jemalloc-ctl?/stats"},
		{in: "jemalloc-ctl", explicit: true},
		{in: "jemalloc-ctl/stats", want: "tikv-jemalloc-ctl/stats", explicit: true},
		{in: "pprof"},
		{in: "dep:pprof"},
		{in: "riptide-performance/jemalloc-ctl"},
		{in: "my-jemalloc-ctl"},
	}
	for _, tt := range tests {
		got, ok := renameRef(tt.in, keys, map[string]bool{"jemalloc-ctl": tt.explicit})
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("renameRef(%q, explicit=%v) = %q, %v; want %q", tt.in, tt.explicit, got, ok, tt.want)
		}
	}
}
