package rustedit

import (
	"fmt"
	"strings"
	"testing"
)

// benchSource builds a synthetic library of about n bytes in which one
// function in four mentions an old crate.
func benchSource(n int) []byte {
	var b strings.Builder
	b.WriteString("//! Allocator statistics.\nuse jemalloc_ctl::{epoch, stats};\nuse std::collections::HashMap;\n\n")
	for i := 0; b.Len() < n; i++ {
		if i%4 == 0 {
			fmt.Fprintf(&b, "#[cfg(feature = \"jemallocator\")]\npub fn stat%d() -> jemalloc_ctl::Result<usize> {\n"+
				"    epoch::advance()?;\n    println!(\"{{}}\", jemalloc_ctl::stats::allocated::read()?);\n"+
				"    stats::resident::read()\n}\n\n", i)
			continue
		}
		fmt.Fprintf(&b, "/// Counts the entries of map %d.\npub fn count%d(m: &HashMap<String, u64>) -> u64 {\n"+
			"    let mut total = 0;\n    for (k, v) in m.iter() {\n        if k.len() > %d { total += v; }\n    }\n"+
			"    total\n}\n\n", i, i, i%7)
	}
	return []byte(b.String())
}

func BenchmarkRewrite(b *testing.B) {
	src := benchSource(20 << 10)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rewrite("bench.rs", src, testOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteNoMention measures the common case of a file that names
// no old crate: it is never parsed.
func BenchmarkRewriteNoMention(b *testing.B) {
	src := []byte(strings.ReplaceAll(string(benchSource(20<<10)), "jemalloc", "other"))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rewrite("bench.rs", src, testOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	src := benchSource(20 << 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if err := Check("bench.rs", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteLongBlock measures a function of 2,000 statements that
// each name the old crate: finding each spot's statement walks the
// block's children once (childAt), not from the first child each time.
func BenchmarkRewriteLongBlock(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("pub fn long() {\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "    let _x%d = jemalloc_ctl::epoch::advance().unwrap();\n", i)
	}
	sb.WriteString("}\n")
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Rewrite("long.rs", src, testOpts); err != nil {
			b.Fatal(err)
		}
	}
}
