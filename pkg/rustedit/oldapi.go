package rustedit

import (
	"fmt"
	"strings"

	"jemfix/pkg/family"
	"jemfix/pkg/textedit"
)

// OldAPI is an item that an old release of a crate had and the tikv crate of
// the target series does not. The table is data: add a row, not code.
type OldAPI struct {
	Crate   string // old Rust crate name, e.g. "jemallocator"
	Item    string // the path segment after the crate name, e.g. "ffi"
	Before  string // the item is gone in series Before and later, e.g. "0.3"
	Use     string // the replacement path, e.g. "tikv_jemalloc_sys"
	Needs   string // the Rust crate the replacement lives in; it must be a dependency
	Replace bool   // `crate::Item` can be replaced by Use token for token
	Changed bool   // the item still exists under the new name, with another API
	Note    string // what else changes, for the report
}

// OldAPIs lists the removed items jemfix knows about.
var OldAPIs = []OldAPI{
	{Crate: "jemallocator", Item: "ffi", Before: "0.3", Use: "tikv_jemalloc_sys", Needs: "tikv_jemalloc_sys", Replace: true,
		Note: "the sys crate is a dependency of its own now"},
	{Crate: "jemallocator", Item: "mallctl_fetch", Before: "0.3", Use: "tikv_jemalloc_ctl::raw::read", Needs: "tikv_jemalloc_ctl",
		Note: "raw::read::<T>(name) is unsafe and returns the value instead of filling a &mut T"},
	{Crate: "jemallocator", Item: "mallctl_set", Before: "0.3", Use: "tikv_jemalloc_ctl::raw::write", Needs: "tikv_jemalloc_ctl",
		Note: "raw::write(name, value) is unsafe and returns tikv_jemalloc_ctl::Result"},
	// jemalloc-ctl 0.1 and 0.2 had a function and a handle type for each
	// control (stats::allocated(), stats::Allocated); 0.3 made each control
	// a type of its own with read() (stats::allocated::read()).
	{Crate: "jemalloc_ctl", Item: "Epoch", Before: "0.3", Use: "tikv_jemalloc_ctl::epoch", Needs: "tikv_jemalloc_ctl",
		Note: "epoch::advance() replaces Epoch::new()?.advance(); the thread and stats handles became modules with read() too"},
	{Crate: "jemalloc_ctl", Item: "epoch", Before: "0.3", Use: "tikv_jemalloc_ctl::epoch::advance()", Needs: "tikv_jemalloc_ctl", Changed: true,
		Note: "epoch is a type there; epoch::advance() replaces the function epoch()"},
	ctlModule("stats", "stats::allocated::read() replaces stats::allocated() and stats::Allocated"),
	ctlModule("thread", "thread::allocatedp::read() replaces thread::allocatedp() and thread::AllocatedP"),
	ctlModule("arenas", "arenas::narenas::read() replaces arenas::narenas() and arenas::NArenas"),
	ctlModule("config", "config::malloc_conf::read() replaces the function and the handle type of 0.2"),
	ctlModule("opt", "opt::abort::read() replaces opt::abort() and opt::Abort"),
}

// ctlModule is the row of a jemalloc-ctl 0.2 module whose functions and
// handle types became one type per control, each with read().
func ctlModule(name, note string) OldAPI {
	return OldAPI{Crate: "jemalloc_ctl", Item: name, Before: "0.3", Use: "tikv_jemalloc_ctl::" + name, Needs: "tikv_jemalloc_ctl", Changed: true,
		Note: "each control is a type with read() there: " + note}
}

// Needed reports whether the replacement of an old API lives in the Rust
// crate name: Options.Deps is read for these names only.
func Needed(name string) bool {
	for _, a := range OldAPIs {
		if a.Needs == name {
			return true
		}
	}
	return false
}

// oldAPI returns the table row for the path that starts with the crate
// name at src[start:end], when the crate's old series lacks it under the new
// name. It also returns the end of the item segment.
func oldAPI(src []byte, start, end int, old string, opt Options) (OldAPI, int, bool) {
	series := opt.OldSeries[old]
	item, itemEnd := nextSegment(src, end)
	if item == "" {
		return OldAPI{}, 0, false
	}
	a, ok := removedItem(old, item, series)
	return a, itemEnd, ok
}

// removedItem returns the table row for old::item when old's series lacks
// it. An unknown series ("": a crate the package no longer depends on,
// named by code left half-migrated) lacks the items no later release
// has under that name: code that names one was written before it went.
func removedItem(old, item, series string) (OldAPI, bool) {
	for _, a := range OldAPIs {
		if a.Crate == old && a.Item == item && (series == "" && !a.Changed || series != "" && family.CompareSeries(series, a.Before) < 0) {
			return a, true
		}
	}
	return OldAPI{}, false
}

// groupOldAPIs reports the removed items named at the head of the entries
// of a use group after the crate name ending at end, as in
// `use jemallocator::{ffi, Jemalloc};`. A group is not split by jemfix: the
// crate is renamed and each such entry is reported.
func groupOldAPIs(src []byte, end int, old string, opt Options) []Skip {
	series := opt.OldSeries[old]
	i := skipSpace(src, end)
	if i+1 >= len(src) || src[i] != ':' || src[i+1] != ':' {
		return nil
	}
	i = skipSpace(src, i+2)
	if i >= len(src) || src[i] != '{' {
		return nil
	}
	var skips []Skip
	for _, h := range groupHeads(src, i) {
		if a, ok := removedItem(old, string(src[h[0]:h[1]]), series); ok {
			reason := oldAPIReason(a, opt.Crates[old], opt)
			if !a.Changed {
				reason += "; it is in a use group, which jemfix does not split"
			}
			skips = append(skips, Skip{Offset: h[0], Kind: KindOldAPI, Reason: reason})
		}
	}
	return skips
}

// groupHeads returns the spans of the first identifier of each entry of the
// use group whose `{` is at open: `ffi` and `stats` in `{ffi::x, stats}`.
func groupHeads(src []byte, open int) [][2]int {
	var heads [][2]int
	depth, atHead := 0, true
	for i := open; i < len(src); {
		c := src[i]
		switch {
		case c == '{':
			depth++
			atHead = depth == 1
			i++
		case c == '}':
			if depth--; depth == 0 {
				return heads
			}
			i++
		case c == ',':
			atHead = depth == 1
			i++
		case c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
			if i = skipComment(src, i); i < 0 {
				return heads
			}
		case identByte(c):
			j := identEnd(src, i)
			if atHead {
				heads = append(heads, [2]int{i, j})
				atHead = false
			}
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			atHead = false
			i++
		}
	}
	return heads
}

// nextSegment reads `:: name` after off, spaces allowed around `::`.
func nextSegment(src []byte, off int) (string, int) {
	i := skipSpace(src, off)
	if i+1 >= len(src) || src[i] != ':' || src[i+1] != ':' {
		return "", 0
	}
	i = skipSpace(src, i+2)
	j := identEnd(src, i)
	return string(src[i:j]), j
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// oldAPIEdit handles a crate path that names a removed item: it replaces
// the path when the replacement is mechanical and its crate is available,
// and reports the place otherwise (the crate name is still renamed).
func oldAPIEdit(a OldAPI, start, itemEnd int, nu string, opt Options) (textedit.Edit, Skip) {
	if a.Replace && opt.Deps[a.Needs] {
		return textedit.Edit{Start: start, End: itemEnd, New: a.Use}, Skip{}
	}
	return textedit.Edit{Start: start, End: start + len(a.Crate), New: nu}, Skip{Offset: start, Kind: KindOldAPI, Reason: oldAPIReason(a, nu, opt)}
}

// oldAPIReason says what replaces a removed item, for the report.
func oldAPIReason(a OldAPI, nu string, opt Options) string {
	reason := fmt.Sprintf("%s::%s does not exist in %s %s; use %s (%s)", a.Crate, a.Item, nu, opt.NewSeries, a.Use, a.Note)
	if a.Changed {
		reason = fmt.Sprintf("%s::%s has another API in %s %s (%s)", a.Crate, a.Item, nu, opt.NewSeries, a.Note)
	}
	if !opt.Deps[a.Needs] {
		reason += fmt.Sprintf("; add the %s dependency first", strings.ReplaceAll(a.Needs, "_", "-"))
	}
	return reason
}
