package rustedit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/textedit"
)

// orderCase is a file whose renamed use items must stay in rustfmt's
// order; want "" means the rename alone (no move) is expected, given as
// plain, the src after a plain rename.
type orderCase struct {
	name, src, want string
	style           string // rustfmt style edition; "" is 2015
}

var orderCases = []orderCase{
	{
		name: "riptide heap.rs",
		src: `use std::error::Error;
use std::time::Duration;

use jemalloc_ctl::epoch;
use jemalloc_ctl::stats::allocated::Mib as AllocatedMib;
use pprof::ProfilerGuard;

fn main() {}
`,
		want: `use std::error::Error;
use std::time::Duration;

use pprof::ProfilerGuard;
use tikv_jemalloc_ctl::epoch;
use tikv_jemalloc_ctl::stats::allocated::Mib as AllocatedMib;

fn main() {}
`,
	},
	{
		name: "already in place",
		src:  "use anyhow::Result;\nuse jemalloc_ctl::epoch;\nuse zstd::stream;\n",
	},
	{
		name: "attributes, docs and trailing comments move with their item",
		src: `/// Reads stats.
pub use jemalloc_ctl::stats;
#[cfg(feature = "jemalloc")]
use jemallocator::Jemalloc; // the allocator
use log::info;
use serde::Serialize;
`,
		want: `use log::info;
use serde::Serialize;
/// Reads stats.
pub use tikv_jemalloc_ctl::stats;
#[cfg(feature = "jemalloc")]
use tikv_jemallocator::Jemalloc; // the allocator
`,
	},
	{
		name: "a comment line splits the groups",
		src:  "use jemalloc_ctl::epoch;\n// profiling\nuse pprof::ProfilerGuard;\n",
	},
	{
		name: "a blank line splits the groups",
		src:  "use jemalloc_ctl::epoch;\n\nuse pprof::ProfilerGuard;\n",
	},
	{
		name: "an unsorted group is left alone",
		src:  "use zstd::stream;\nuse jemalloc_ctl::epoch;\nuse pprof::ProfilerGuard;\n",
	},
	{
		name: "macro_use ends the run",
		src:  "use jemalloc_ctl::epoch;\n#[macro_use]\nuse log;\nuse pprof::ProfilerGuard;\n",
	},
	{
		name: "rustfmt::skip on the module",
		src:  "#[rustfmt::skip]\nmod m {\n    use jemalloc_ctl::epoch;\n    use pprof::ProfilerGuard;\n}\n",
	},
	{
		name: "inside a mod block and a function",
		src: `mod stats {
    use super::Config;
    use jemalloc_ctl::epoch;
    use pprof::ProfilerGuard;
}

fn read() {
    use jemalloc_ctl::stats;
    use pprof::Report;
    let x = 1;
}
`,
		want: `mod stats {
    use super::Config;
    use pprof::ProfilerGuard;
    use tikv_jemalloc_ctl::epoch;
}

fn read() {
    use pprof::Report;
    use tikv_jemalloc_ctl::stats;
    let x = 1;
}
`,
	},
	{
		name: "neighbours that name no old crate",
		src:  "use jemalloc_ctl::epoch;\nuse libc::c_int;\nuse pprof::ProfilerGuard;\nuse zstd::stream;\n\nconst X: u8 = 1;\n",
		want: "use libc::c_int;\nuse pprof::ProfilerGuard;\nuse tikv_jemalloc_ctl::epoch;\nuse zstd::stream;\n\nconst X: u8 = 1;\n",
	},
	{
		name: "a root use list",
		src:  "use {jemalloc_ctl::epoch, pprof::ProfilerGuard};\n",
		want: "use {pprof::ProfilerGuard, tikv_jemalloc_ctl::epoch};\n",
	},
	{
		name: "case order of style 2015",
		src:  "use jemalloc_ctl::epoch;\nuse sysinfo::System;\nuse Tokio;\n",
		want: "use sysinfo::System;\nuse tikv_jemalloc_ctl::epoch;\nuse Tokio;\n",
	},
	{
		name:  "version sort of style 2024",
		style: "2024",
		src:   "use Tokio;\nuse jemalloc_ctl::epoch;\nuse sysinfo::System;\nuse tikv2::x;\nuse tikv10::y;\n",
		want:  "use Tokio;\nuse sysinfo::System;\nuse tikv_jemalloc_ctl::epoch;\nuse tikv2::x;\nuse tikv10::y;\n",
	},
	{
		name:  "style 2024 leaves 2015 order alone",
		style: "2024",
		src:   "use jemalloc_ctl::epoch;\nuse sysinfo::System;\nuse Tokio;\n",
	},
	{
		name: "two items on one line",
		src:  "use jemalloc_ctl::epoch; use pprof::ProfilerGuard;\n",
	},
	{
		name: "self, super and crate first",
		src:  "use self::a::b;\nuse super::c;\nuse crate::d;\nuse jemalloc_ctl::epoch;\nuse pprof::Report;\n",
		want: "use self::a::b;\nuse super::c;\nuse crate::d;\nuse pprof::Report;\nuse tikv_jemalloc_ctl::epoch;\n",
	},
}

func TestSortUses(t *testing.T) {
	for _, tc := range orderCases {
		for _, eol := range []string{"\n", "\r\n"} {
			t.Run(tc.name+map[string]string{"\n": "/lf", "\r\n": "/crlf"}[eol], func(t *testing.T) {
				src := strings.ReplaceAll(tc.src, "\n", eol)
				want := strings.ReplaceAll(plainRename(tc.src), "\n", eol)
				if tc.want != "" {
					want = strings.ReplaceAll(tc.want, "\n", eol)
				}
				got := rewriteStyle(t, src, tc.style)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("output mismatch (-want +got):\n%s", diff)
				}
				if err := CheckChange("out.rs", []byte(src), []byte(got)); err != nil {
					t.Errorf("CheckChange: %v", err)
				}
				if again := rewriteStyle(t, got, tc.style); again != got {
					t.Errorf("second run changed the output:\n%s", again)
				}
			})
		}
	}
}

// rewriteStyle runs Rewrite with testOpts in a rustfmt style edition and
// applies the edits.
func rewriteStyle(t *testing.T, src, style string) string {
	t.Helper()
	opt := testOpts
	opt.StyleEdition = style
	res, err := Rewrite("test.rs", []byte(src), opt)
	if err != nil {
		t.Fatalf("Rewrite: %v", err)
	}
	out, err := textedit.Apply([]byte(src), res.Edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return string(out)
}

// plainRename renames the old crates of testOpts wherever they stand
// alone, which is what Rewrite does on the order cases' sources.
func plainRename(src string) string {
	for old, nu := range testOpts.Crates {
		src = strings.ReplaceAll(src, " "+old+"::", " "+nu+"::")
		src = strings.ReplaceAll(src, "{"+old+"::", "{"+nu+"::")
	}
	return src
}

// TestSortUsesPathRenames: Rewrite leaves path renames unsorted for its
// caller, and SortUses sorts them once the caller is done.
func TestSortUsesPathRenames(t *testing.T) {
	src := "use jemalloc_ctl::epoch;\nuse pprof::ProfilerGuard;\nuse zstd::stream;\n"
	opt := Options{Crates: map[string]string{"jemalloc_ctl": "riptide_core::jemalloc_ctl"}}
	res, err := Rewrite("lib.rs", []byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := textedit.Apply([]byte(src), res.Edits)
	if want := "use riptide_core::jemalloc_ctl::epoch;\nuse pprof::ProfilerGuard;\nuse zstd::stream;\n"; string(out) != want {
		t.Errorf("Rewrite = %q, want %q", out, want)
	}
	out, err = textedit.Apply([]byte(src), SortUses([]byte(src), res.Edits, opt))
	if err != nil {
		t.Fatal(err)
	}
	if want := "use pprof::ProfilerGuard;\nuse riptide_core::jemalloc_ctl::epoch;\nuse zstd::stream;\n"; string(out) != want {
		t.Errorf("SortUses = %q, want %q", out, want)
	}
}

func TestVersionSort(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"a", "b", -1}, {"x86_64", "x86_128", -1}, {"_v1", "v1", -1}, {"ZY_WX", "ZYWX", -1},
		{"u8", "u16", -1}, {"w005", "w05", -1}, {"w05", "w5", -1}, {"A", "a", -1}, {"abc", "abc", 0},
		{"tikv_jemalloc_ctl", "tikv_jemallocator", -1}, {"Bar", "bar", -1},
	} {
		if got := versionSort(tt.a, tt.b); got != tt.want {
			t.Errorf("versionSort(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := versionSort(tt.b, tt.a); got != -tt.want {
			t.Errorf("versionSort(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}
