package family

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestLacks(t *testing.T) {
	for _, tt := range []struct {
		name, series, feature string
		lacks                 bool
	}{
		{"tikv-jemalloc-ctl", "0.5", "stats", true},
		{"tikv-jemalloc-ctl", "0.6", "stats", false},
		{"tikv-jemalloc-ctl", "0.4", "disable_initial_exec_tls", true},
		{"tikv-jemalloc-ctl", "0.5", "use_std", false},
		{"tikv-jemallocator", "0.6", "profiling_libunwind", true},
		{"tikv-jemallocator", "0.5", "profiling", false},
		{"serde", "0.1", "derive", false},
	} {
		if _, got := Lacks(tt.name, tt.series, tt.feature); got != tt.lacks {
			t.Errorf("Lacks(%s, %s, %s) = %v", tt.name, tt.series, tt.feature, got)
		}
	}
}

// The series that added each feature (introduced) agree with the stub
// registry, whose crates carry the published crates' features: each stub
// of a tikv crate has the feature exactly from that series on.
func TestIntroducedMatchesStubs(t *testing.T) {
	dirs, err := filepath.Glob("../../fixtures/registry/tikv-*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no stub crates: %v", err)
	}
	checked := 0
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "Cargo.toml"))
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(dir)
		i := strings.IndexFunc(base, func(r rune) bool { return r >= '0' && r <= '9' }) - 1
		name, version := base[:i], base[i+1:]
		if _, ok := Lookup(name); !ok {
			t.Fatalf("%s: not a family crate", base)
		}
		checked++
		_, feats, _ := strings.Cut(string(data), "\n[features]\n")
		feats, _, _ = strings.Cut(feats, "\n[")
		for feature := range introduced[name] {
			_, lacks := Lacks(name, SeriesOf(version), feature)
			has := strings.Contains("\n"+feats, "\n"+feature+" =")
			if has == lacks {
				t.Errorf("%s %s: stub has %q: %v, Lacks says %v", name, version, feature, has, lacks)
			}
		}
	}
	if checked < 12 {
		t.Errorf("checked %d stub crates, want the 12 tikv ones", checked)
	}
}
