package conflict

import (
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/family"
)

// wrapper is a crate outside the family that depends on one of its crates.
// jemfix does not move it; without a Cargo.lock that lists it, an entry on
// it is what shows the family crate, and the series, it brings.
type wrapper struct {
	crate family.Crate // the family crate it depends on
	// series are its own minor series, oldest first, and on maps each to
	// the series of crate it depends on; nil: the same series as crate's.
	series []string
	on     map[string]string
	global bool // it sets jemalloc as the global allocator when linked
}

// wrappers are the crates outside the family that jemfix knows, by name.
var wrappers = map[string]wrapper{
	// The global crates wrap the allocator of their lineage, series for series.
	"jemallocator-global":      {crate: family.Find(family.Original, family.Allocator), global: true},
	"tikv-jemallocator-global": {crate: family.Find(family.Tikv, family.Allocator), global: true},
	// jemalloc_pprof's manifests name tikv-jemalloc-ctl "0.5.0" up to its
	// 0.4.2, and "0.6" from 0.5.0 to 0.8.2.
	"jemalloc_pprof": {crate: family.Find(family.Tikv, family.Control),
		series: []string{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"},
		on:     map[string]string{"0.1": "0.5", "0.2": "0.5", "0.3": "0.5", "0.4": "0.5", "0.5": "0.6", "0.6": "0.6", "0.7": "0.6", "0.8": "0.6"}},
}

// brings returns the series of w's family crate that the versions req
// admits depend on, oldest first; nil when req admits no version jemfix
// knows.
func (w wrapper) brings(req string) []string {
	if w.on == nil {
		return family.Admitted(req, w.crate.Series)
	}
	var out []string
	for _, s := range family.Admitted(req, w.series) {
		if !slices.Contains(out, w.on[s]) {
			out = append(out, w.on[s])
		}
	}
	slices.SortFunc(out, family.CompareSeries)
	return out
}

// versions says which of w's versions depend on which series of its
// family crate: "0.1–0.4 depend on 0.5, 0.5–0.8 on 0.6".
func (w wrapper) versions() string {
	var out []string
	on := " depend on "
	for i := 0; i < len(w.series); {
		j := i
		for j+1 < len(w.series) && w.on[w.series[j+1]] == w.on[w.series[i]] {
			j++
		}
		span := w.series[i]
		if j > i {
			span += "–" + w.series[j]
		}
		out = append(out, span+on+w.on[w.series[i]])
		on, i = " on ", j+1
	}
	return strings.Join(out, ", ")
}

// fix says what makes member's entry on the wrapper name stop bringing
// another sys crate than the rest of the graph.
func (w wrapper) fix(name string) string {
	if w.global {
		return fmt.Sprintf("replace %s with %s (or with %s and a #[global_allocator] static) by hand", name, globalName(family.Tikv), family.Find(family.Tikv, family.Allocator).Name)
	}
	return fmt.Sprintf("move %s by hand to a version on the series of %s that the other jemalloc crates use (its versions %s), or the others to its series (--jemalloc-version)",
		name, w.crate.Name, w.versions())
}

func globalName(l family.Lineage) string {
	for name, w := range wrappers {
		if w.global && w.crate.Lineage == l {
			return name
		}
	}
	return ""
}
