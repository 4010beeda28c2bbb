package rustedit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/textedit"
)

func TestOldAPIs(t *testing.T) {
	src := "use jemallocator::ffi::mallocx;\nfn f() {\n    let mut n = 0usize;\n    jemallocator::mallctl_fetch(b\"epoch\\0\", &mut n).unwrap();\n    jemallocator :: mallctl_set(b\"x\\0\", 1).unwrap();\n    let a = jemallocator::Jemalloc;\n}\n"
	tests := []struct {
		name   string
		series string
		deps   map[string]bool
		want   []string // substrings of the output
		skips  []string // reasons, in order
	}{
		{
			name: "old series, sys crate available", series: "0.2",
			deps:  map[string]bool{"tikv_jemalloc_sys": true, "tikv_jemalloc_ctl": true},
			want:  []string{"use tikv_jemalloc_sys::mallocx;", "tikv_jemallocator::mallctl_fetch(", "tikv_jemallocator :: mallctl_set(", "tikv_jemallocator::Jemalloc"},
			skips: []string{"use tikv_jemalloc_ctl::raw::read", "use tikv_jemalloc_ctl::raw::write"},
		},
		{
			name: "old series, nothing available", series: "0.1",
			want:  []string{"use tikv_jemallocator::ffi::mallocx;"},
			skips: []string{"add the tikv-jemalloc-sys dependency first", "add the tikv-jemalloc-ctl dependency first", "raw::write"},
		},
		{name: "current series", series: "0.5", want: []string{"use tikv_jemallocator::ffi::mallocx;", "tikv_jemallocator::mallctl_fetch("}},
		// A crate the package no longer depends on (code left half
		// migrated): the items no release after has are old ones.
		{
			name: "unknown series", series: "",
			deps:  map[string]bool{"tikv_jemalloc_sys": true, "tikv_jemalloc_ctl": true},
			want:  []string{"use tikv_jemalloc_sys::mallocx;", "tikv_jemallocator::mallctl_fetch("},
			skips: []string{"use tikv_jemalloc_ctl::raw::read", "use tikv_jemalloc_ctl::raw::write"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := testOpts
			opt.OldSeries = map[string]string{"jemallocator": tt.series}
			if tt.series == "" {
				opt.OldSeries = nil
			}
			opt.NewSeries = "0.5"
			opt.Deps = tt.deps
			res, err := Rewrite("old.rs", []byte(src), opt)
			if err != nil {
				t.Fatal(err)
			}
			out, err := textedit.Apply([]byte(src), res.Edits)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if len(res.Skipped) != len(tt.skips) {
				t.Fatalf("skips = %+v, want %d", res.Skipped, len(tt.skips))
			}
			for i, s := range res.Skipped {
				if s.Kind != KindOldAPI || !strings.Contains(s.Reason, tt.skips[i]) {
					t.Errorf("skip %d = %+v, want old-api containing %q", i, s, tt.skips[i])
				}
			}
		})
	}
}

// A removed item in a use group is reported at the entry; the crate is
// still renamed, and items that exist are not reported.
func TestOldAPIsInUseGroup(t *testing.T) {
	src := "use jemallocator::{Jemalloc, ffi::{mallocx, sdallocx}};\nuse jemallocator::{\n    // the raw API\n    mallctl_set,\n    self,\n};\nuse jemallocator::{Jemalloc as J};\n"
	opt := testOpts
	opt.OldSeries = map[string]string{"jemallocator": "0.2"}
	opt.NewSeries = "0.5"
	opt.Deps = map[string]bool{"tikv_jemalloc_sys": true}
	res, err := Rewrite("group.rs", []byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	out, err := textedit.Apply([]byte(src), res.Edits)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(src, "use jemallocator::", "use tikv_jemallocator::"); string(out) != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	var got []string
	for _, s := range res.Skipped {
		got = append(got, fmt.Sprintf("%d:%s:%s", s.Offset, s.Kind, s.Reason))
	}
	want := []string{
		fmt.Sprintf("%d:old-api:jemallocator::ffi does not exist in tikv_jemallocator 0.5; use tikv_jemalloc_sys (the sys crate is a dependency of its own now); it is in a use group, which jemfix does not split", strings.Index(src, "ffi")),
		fmt.Sprintf("%d:old-api:jemallocator::mallctl_set does not exist in tikv_jemallocator 0.5; use tikv_jemalloc_ctl::raw::write (raw::write(name, value) is unsafe and returns tikv_jemalloc_ctl::Result); add the tikv-jemalloc-ctl dependency first; it is in a use group, which jemfix does not split", strings.Index(src, "mallctl_set")),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skips (-want +got):\n%s", diff)
	}
}

// jemalloc-ctl 0.2 had a function and a handle type for each control;
// every tikv series has one type per control instead. Each path into the
// old API is renamed and reported; under 0.3 nothing is.
func TestOldControlAPI(t *testing.T) {
	src := "use jemalloc_ctl::{stats, Epoch as JeEpoch};\n" +
		"use jemalloc_ctl::thread;\n" +
		"fn f() {\n" +
		"    let e = jemalloc_ctl::Epoch::new().unwrap();\n" +
		"    jemalloc_ctl::epoch().unwrap();\n" +
		"    let a: jemalloc_ctl::thread::AllocatedP = thread::AllocatedP::new().unwrap();\n" +
		"    let n = stats::allocated().unwrap();\n" +
		"    let _ = jemalloc_ctl::Error::from(0);\n" +
		"}\n"
	for _, tt := range []struct {
		series string
		want   []string // "line: item", in order
	}{
		{"0.2", []string{"1: stats (changed)", "1: Epoch", "2: thread (changed)", "4: Epoch", "5: epoch (changed)", "6: thread (changed)"}},
		{"0.1", []string{"1: stats (changed)", "1: Epoch", "2: thread (changed)", "4: Epoch", "5: epoch (changed)", "6: thread (changed)"}},
		{"0.3", nil},
	} {
		opt := Options{Crates: map[string]string{"jemalloc_ctl": "tikv_jemalloc_ctl"}, OldSeries: map[string]string{"jemalloc_ctl": tt.series},
			NewSeries: "0.4", Deps: map[string]bool{"tikv_jemalloc_ctl": true}}
		res, err := Rewrite("lib.rs", []byte(src), opt)
		if err != nil {
			t.Fatal(err)
		}
		out, err := textedit.Apply([]byte(src), res.Edits)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ReplaceAll(src, "jemalloc_ctl::", "tikv_jemalloc_ctl::"); string(out) != want {
			t.Errorf("series %s: output:\n%s\nwant every crate path renamed:\n%s", tt.series, out, want)
		}
		var got []string
		for _, s := range res.Skipped {
			line := strings.Count(src[:s.Offset], "\n") + 1
			item, _, _ := strings.Cut(strings.TrimPrefix(s.Reason, "jemalloc_ctl::"), " ")
			if strings.Contains(s.Reason, "has another API in tikv_jemalloc_ctl 0.4 (each control is a type with read()") ||
				strings.Contains(s.Reason, "has another API in tikv_jemalloc_ctl 0.4 (epoch is a type there") {
				item += " (changed)"
			} else if !strings.Contains(s.Reason, "does not exist in tikv_jemalloc_ctl 0.4") {
				t.Errorf("series %s: reason %q", tt.series, s.Reason)
			}
			if s.Kind != KindOldAPI || strings.Contains(s.Reason, "(changed)") {
				t.Errorf("series %s: skip %+v", tt.series, s)
			}
			if strings.HasSuffix(item, "(changed)") && strings.Contains(s.Reason, "does not split") {
				t.Errorf("series %s: a changed module in a use group needs no split: %q", tt.series, s.Reason)
			}
			got = append(got, fmt.Sprintf("%d: %s", line, item))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("series %s: reports (-want +got):\n%s", tt.series, diff)
		}
	}
}

// Needed names exactly the crates an old API's replacement lives in.
func TestNeeded(t *testing.T) {
	for _, a := range OldAPIs {
		if !Needed(a.Needs) {
			t.Errorf("Needed(%q) = false; %s::%s needs it", a.Needs, a.Crate, a.Item)
		}
	}
	for _, n := range []string{"tikv_jemallocator", "jemalloc_ctl", "serde", ""} {
		if Needed(n) {
			t.Errorf("Needed(%q) = true", n)
		}
	}
}
