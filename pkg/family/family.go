// Package family is the jemalloc crate family as published: the names,
// lineages, roles and minor series of jemallocator, jemalloc-ctl,
// jemalloc-sys and their tikv twins, and how Cargo version requirements map
// to those series. It is the one place that names these crates, and it
// depends on nothing else of jemfix.
package family

import (
	"slices"
	"strconv"
	"strings"
)

// Links is the native library every sys crate of the family declares.
const Links = "jemalloc"

// Lineage tells which publisher's names a crate carries.
type Lineage string

// Role is what a crate of the family does.
type Role string

const (
	Original Lineage = "original" // jemallocator, jemalloc-ctl, jemalloc-sys
	Tikv     Lineage = "tikv"     // tikv-jemallocator, tikv-jemalloc-ctl, tikv-jemalloc-sys

	Allocator Role = "allocator"
	Control   Role = "control"
	Sys       Role = "sys"
)

// Crate is one published crate of the jemalloc family.
type Crate struct {
	Name    string
	Lineage Lineage
	Role    Role
	Series  []string // published minor series, oldest first
}

// Crates is the jemalloc crate family, as published by 2026-11.
var Crates = []Crate{
	{"jemallocator", Original, Allocator, []string{"0.1", "0.3", "0.5"}},
	{"jemalloc-ctl", Original, Control, []string{"0.1", "0.2", "0.3", "0.5"}},
	{"jemalloc-sys", Original, Sys, []string{"0.1", "0.3", "0.5"}},
	{"tikv-jemallocator", Tikv, Allocator, []string{"0.4", "0.5", "0.6", "0.7"}},
	{"tikv-jemalloc-ctl", Tikv, Control, []string{"0.4", "0.5", "0.6", "0.7"}},
	{"tikv-jemalloc-sys", Tikv, Sys, []string{"0.4", "0.5", "0.6", "0.7"}},
}

// Lookup returns the family crate with the given package name.
func Lookup(name string) (Crate, bool) {
	for _, c := range Crates {
		if c.Name == name {
			return c, true
		}
	}
	return Crate{}, false
}

// Find returns the family crate with the given lineage and role.
func Find(l Lineage, r Role) Crate {
	for _, c := range Crates {
		if c.Lineage == l && c.Role == r {
			return c
		}
	}
	panic("family: table lacks " + string(l) + " " + string(r))
}

// SysCrate returns the sys crate that c reaches (c itself for a sys crate).
func (c Crate) SysCrate() Crate { return Find(c.Lineage, Sys) }

// Sys names the sys package ("jemalloc-sys 0.1") that c at the given
// series depends on: the sys crate of its lineage, on the same series,
// except for the first jemalloc-ctl releases, 0.1 and 0.2, which were
// published apart from jemallocator and depend on jemalloc-sys 0.1.
func (c Crate) Sys(series string) string {
	if c.Lineage == Original && c.Role == Control && (series == "0.1" || series == "0.2") {
		series = "0.1"
	}
	return c.SysCrate().Name + " " + series
}

// TikvName returns the tikv crate with the same role as c.
func (c Crate) TikvName() string { return Find(Tikv, c.Role).Name }

// TikvSeries maps a series of any lineage to the tikv series that carries the
// same API: the same minor when tikv published it, else the next one above
// (tikv has no 0.3, so 0.3 moves to 0.4).
func TikvSeries(series string) string {
	tikv := Find(Tikv, Allocator).Series
	if slices.Contains(tikv, series) || series == "" {
		return series
	}
	for _, s := range tikv {
		if CompareSeries(s, series) > 0 {
			return s
		}
	}
	return tikv[len(tikv)-1]
}

// SeriesOf returns the semver-compatible series ("0.5", "1") that a Cargo
// version requirement selects: the lower bound of its first comparator.
// It returns "" when the requirement has no lower bound ("*", "<0.6").
func SeriesOf(req string) string {
	first, _, _ := strings.Cut(req, ",")
	first = strings.TrimSpace(first)
	first = strings.TrimLeft(first, "^~=> ")
	if first == "" || first[0] == '*' || strings.HasPrefix(strings.TrimSpace(req), "<") {
		return ""
	}
	first, _, _ = strings.Cut(first, "+")
	first, _, _ = strings.Cut(first, "-")
	parts := strings.Split(first, ".")
	if parts[0] != "0" {
		return parts[0]
	}
	if len(parts) < 2 || parts[1] == "*" || parts[1] == "x" {
		return "0"
	}
	return "0." + parts[1]
}

// CompareSeries orders series numerically, part by part: "0.2" < "0.3" <
// "0.10" < "1", and a series before its own extension ("1" < "1.0").
func CompareSeries(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		na, nb := -1, -1
		if i < len(pa) {
			na, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			nb, _ = strconv.Atoi(pb[i])
		}
		if na != nb {
			return na - nb
		}
	}
	return 0
}

// introduced records, for the tikv crates, the series that added a crate
// feature: an entry moved to an earlier series must not ask for it (cargo
// refuses a feature the crate lacks).
var introduced = map[string]map[string]string{
	"tikv-jemalloc-ctl": {"disable_initial_exec_tls": "0.5", "stats": "0.6", "profiling": "0.6"},
	"tikv-jemallocator": {"disable_cache_oblivious": "0.6", "override_allocator_on_supported_platforms": "0.6", "profiling_libunwind": "0.7"},
	"tikv-jemalloc-sys": {"disable_cache_oblivious": "0.5", "override_allocator_on_supported_platforms": "0.6", "profiling_libunwind": "0.7"},
}

// Lacks reports whether crate name on series has no feature feature,
// which a later series added, and which series that is.
func Lacks(name, series, feature string) (since string, lacks bool) {
	since, ok := introduced[name][feature]
	return since, ok && CompareSeries(series, since) < 0
}
