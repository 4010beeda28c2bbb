package family

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

func TestLookup(t *testing.T) {
	c, ok := Lookup("jemalloc-ctl")
	if !ok || c.TikvName() != "tikv-jemalloc-ctl" || c.SysCrate().Name != "jemalloc-sys" {
		t.Errorf("Lookup(jemalloc-ctl) = %+v, %v", c, ok)
	}
	if _, ok := Lookup("jemalloc-ctl-compat"); ok {
		t.Error("Lookup matched a crate outside the family")
	}
}

func TestCompareSeries(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int // the sign
	}{
		{"0.2", "0.3", -1}, {"0.3", "0.3", 0}, {"0.10", "0.3", 1}, {"0.1", "1", -1},
		{"0.4", "0.5", -1}, {"0.5", "0.10", -1}, {"1", "0.7", 1}, {"1", "1.0", -1},
	} {
		if got := CompareSeries(tt.a, tt.b); sign(got) != tt.want {
			t.Errorf("CompareSeries(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestSys(t *testing.T) {
	for _, tt := range []struct{ crate, series, want string }{
		{"jemalloc-ctl", "0.2", "jemalloc-sys 0.1"},
		{"jemalloc-ctl", "0.1", "jemalloc-sys 0.1"},
		{"jemalloc-ctl", "0.3", "jemalloc-sys 0.3"},
		{"jemallocator", "0.1", "jemalloc-sys 0.1"},
		{"tikv-jemalloc-ctl", "0.6", "tikv-jemalloc-sys 0.6"},
	} {
		c, _ := Lookup(tt.crate)
		if got := c.Sys(tt.series); got != tt.want {
			t.Errorf("%s %s: Sys = %q, want %q", tt.crate, tt.series, got, tt.want)
		}
	}
}
