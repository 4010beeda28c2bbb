package plan

import (
	"maps"
	"reflect"
	"testing"
)

// put never changes the table it is given, which another manifest may
// share, and hands out one map for equal contents.
func TestPutSharesEqualTables(t *testing.T) {
	var same tables
	a := put(&same, nil, "jemalloc-ctl", "tikv-jemalloc-ctl")
	b := put(&same, nil, "jemalloc-ctl", "tikv-jemalloc-ctl")
	if !sameMap(a, b) {
		t.Errorf("two equal tables are two maps")
	}
	before := maps.Clone(a)
	c := put(&same, a, "jemallocator", "tikv-jemallocator")
	if !maps.Equal(a, before) {
		t.Errorf("put changed the table it was given: %v", a)
	}
	if want := map[string]string{"jemalloc-ctl": "tikv-jemalloc-ctl", "jemallocator": "tikv-jemallocator"}; !maps.Equal(c, want) {
		t.Errorf("put = %v, want %v", c, want)
	}
	// The same contents reached in another order, and through intern.
	d := put(&same, put(&same, nil, "jemallocator", "tikv-jemallocator"), "jemalloc-ctl", "tikv-jemalloc-ctl")
	e := same.intern(map[string]string{"jemallocator": "tikv-jemallocator", "jemalloc-ctl": "tikv-jemalloc-ctl"})
	if !sameMap(c, d) || !sameMap(c, e) {
		t.Errorf("equal tables made in another order are other maps")
	}
	// A value replaced, and a value already set.
	f := put(&same, c, "jemallocator", "")
	if f["jemallocator"] != "" || c["jemallocator"] != "tikv-jemallocator" || len(f) != 2 {
		t.Errorf("replacing a value: got %v from %v", f, c)
	}
	if g := put(&same, c, "jemallocator", "tikv-jemallocator"); !sameMap(g, c) {
		t.Errorf("setting a value already set made a new map")
	}
	// Without tables, every change is a new map.
	h := put(nil, nil, "x", "y")
	if i := put(nil, nil, "x", "y"); sameMap(h, i) || !maps.Equal(h, i) {
		t.Errorf("put without tables: %v %v", h, i)
	}
}

// internSet hands out one map for equal sets, and keeps the others apart.
func TestInternSet(t *testing.T) {
	var same tables
	a := same.internSet(map[string]bool{"tikv_jemalloc_ctl": true, "tikv_jemalloc_sys": true})
	b := same.internSet(map[string]bool{"tikv_jemalloc_sys": true, "tikv_jemalloc_ctl": true})
	c := same.internSet(map[string]bool{"tikv_jemalloc_ctl": true})
	if reflect.ValueOf(a).UnsafePointer() != reflect.ValueOf(b).UnsafePointer() {
		t.Errorf("two equal sets are two maps")
	}
	if len(c) != 1 || !c["tikv_jemalloc_ctl"] || len(a) != 2 {
		t.Errorf("sets of other names were merged: %v %v", a, c)
	}
	if e := same.internSet(map[string]bool{}); e == nil || len(e) != 0 {
		t.Errorf("the empty set: %v", e)
	}
}

func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}
