package plan

import (
	"testing"

	"jemfix/pkg/rustedit"
)

func TestUsesStats(t *testing.T) {
	for src, want := range map[string]bool{
		"use tikv_jemalloc_ctl::stats;":                                         true,
		"let a = tikv_jemalloc_ctl::stats::allocated::read();":                  true,
		"use tikv_jemalloc_ctl::{epoch, stats};":                                true,
		"use tikv_jemalloc_ctl::{epoch::{self}, stats};":                        true,
		"use tikv_jemalloc_ctl::{epoch::{self, mib}, stats::allocated};":        true,
		"use tikv_jemalloc_ctl::{epoch, raw::stats};":                           false,
		"use tikv_jemalloc_ctl as ctl;\nfn f() { ctl::stats::active::read(); }": true,
		"use tikv_jemalloc_ctl::{self as ctl};\nuse ctl::{epoch, stats};":       true,
		"use tikv_jemalloc_ctl::*;\nfn f() { stats::resident::read(); }":        true,
		"use tikv_jemalloc_ctl::*;\nfn f() { epoch::advance(); }":               false,
		"// tikv_jemalloc_ctl::stats::allocated\nuse tikv_jemalloc_ctl::epoch;": false,
		"const S: &str = \"tikv_jemalloc_ctl::stats\";":                         false,
		"mod stats {}\nuse tikv_jemalloc_ctl::epoch;\nuse self::stats as s;":    false,
		"use my_tikv_jemalloc_ctl::stats;":                                      false,
	} {
		if got := usesStats(rustedit.CodeOnly([]byte(src)), "tikv_jemalloc_ctl"); got != want {
			t.Errorf("usesStats(%q) = %v, want %v", src, got, want)
		}
	}
}
