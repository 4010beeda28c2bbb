package plan

import "testing"

func TestSeriesOf(t *testing.T) {
	for req, want := range map[string]string{
		"0.5": "0.5", "0.5.4": "0.5", "=0.5.4": "0.5", "^0.6.1": "0.6", "~0.3": "0.3",
		">=0.5, <0.7": "0.5", "0.5.4+5.3.0-patched": "0.5", "=0.5.4+5.3.0-patched.1": "0.5",
		"1.2": "1", "0": "0", "0.*": "0", "*": "", "<0.6": "", "": "",
	} {
		if got := SeriesOf(req); got != want {
			t.Errorf("SeriesOf(%q) = %q, want %q", req, got, want)
		}
	}
}

func TestTikvSeries(t *testing.T) {
	for in, want := range map[string]string{"0.3": "0.4", "0.1": "0.4", "0.5": "0.5", "0.7": "0.7", "0.9": "0.7"} {
		if got := TikvSeries(in); got != want {
			t.Errorf("TikvSeries(%q) = %q, want %q", in, got, want)
		}
	}
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

func TestLookup(t *testing.T) {
	c, ok := Lookup("jemalloc-ctl")
	if !ok || c.TikvName() != "tikv-jemalloc-ctl" || c.SysCrate().Name != "jemalloc-sys" {
		t.Errorf("Lookup(jemalloc-ctl) = %+v, %v", c, ok)
	}
	if _, ok := Lookup("jemalloc-ctl-compat"); ok {
		t.Error("Lookup matched a crate outside the family")
	}
}
