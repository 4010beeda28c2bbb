package udiff

import (
	"strings"
	"testing"
)

// BenchmarkDiffManifest diffs a small manifest with one changed line,
// the most common change of a large workspace.
func BenchmarkDiffManifest(b *testing.B) {
	old := "[package]\nname = \"c00005\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nc00004 = { path = \"../c00004\" }\nc00002 = { path = \"../c00002\" }\njemalloc-ctl = { version = \"0.5\", optional = true }\n\n[features]\nstats = [\"jemalloc-ctl\", \"c00004/stats\"]\n"
	nu := strings.Replace(old, "jemalloc-ctl = {", "tikv-jemalloc-ctl = {", 1)
	f := File{Path: "crates/c00005/Cargo.toml", Old: []byte(old), New: []byte(nu)}
	b.ReportAllocs()
	for b.Loop() {
		Diff(f)
	}
}

// BenchmarkDiffSource diffs a 16 KB source with a change near its end.
func BenchmarkDiffSource(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 16000; i++ {
		sb.WriteString("    let value = compute(")
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteString(");\n")
	}
	old := sb.String() + "use jemalloc_ctl::epoch;\n"
	nu := sb.String() + "use tikv_jemalloc_ctl::epoch;\n"
	f := File{Path: "crates/c00005/src/m001.rs", Old: []byte(old), New: []byte(nu)}
	b.ReportAllocs()
	for b.Loop() {
		Diff(f)
	}
}
