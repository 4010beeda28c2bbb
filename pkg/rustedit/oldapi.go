package rustedit

import (
	"fmt"
	"strconv"
	"strings"

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
}

// oldAPI returns the table row for the path that starts with the crate
// name at src[start:end], when the crate's old series lacks it under the new
// name. It also returns the end of the item segment.
func oldAPI(src []byte, start, end int, old string, opt Options) (OldAPI, int, bool) {
	series, ok := opt.OldSeries[old]
	if !ok {
		return OldAPI{}, 0, false
	}
	item, itemEnd := nextSegment(src, end)
	if item == "" {
		return OldAPI{}, 0, false
	}
	for _, a := range OldAPIs {
		if a.Crate == old && a.Item == item && seriesBefore(series, a.Before) {
			return a, itemEnd, true
		}
	}
	return OldAPI{}, 0, false
}

// nextSegment reads `:: name` after off, spaces allowed around `::`.
func nextSegment(src []byte, off int) (string, int) {
	i := skipSpace(src, off)
	if i+1 >= len(src) || src[i] != ':' || src[i+1] != ':' {
		return "", 0
	}
	i = skipSpace(src, i+2)
	j := i
	for j < len(src) && identByte(src[j]) {
		j++
	}
	return string(src[i:j]), j
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// seriesBefore orders minor series such as "0.2" < "0.3" < "0.10".
func seriesBefore(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// oldAPIEdit handles a crate path that names a removed item: it replaces
// the path when the replacement is mechanical and its crate is available,
// and reports the place otherwise (the crate name is still renamed).
func oldAPIEdit(a OldAPI, start, itemEnd int, nu string, opt Options) (textedit.Edit, Skip) {
	if a.Replace && opt.Deps[a.Needs] {
		return textedit.Edit{Start: start, End: itemEnd, New: a.Use}, Skip{}
	}
	reason := fmt.Sprintf("%s::%s does not exist in %s %s; use %s (%s)", a.Crate, a.Item, nu, opt.NewSeries, a.Use, a.Note)
	if !opt.Deps[a.Needs] {
		reason += fmt.Sprintf("; add the %s dependency first", strings.ReplaceAll(a.Needs, "_", "-"))
	}
	return textedit.Edit{Start: start, End: start + len(a.Crate), New: nu}, Skip{Offset: start, Kind: KindOldAPI, Reason: reason}
}
