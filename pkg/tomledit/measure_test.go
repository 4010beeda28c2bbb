package tomledit

import (
	"fmt"
	"os"
	"runtime"
	"testing"
)

// memberManifest returns the Cargo.toml of member crate c of a generated
// monorepo workspace: two path dependencies, an optional registry
// dependency and a feature enabling both. c must be at least 3.
func memberManifest(c int) []byte {
	return fmt.Appendf(nil, `[package]
name = "c%04[1]d"
version = "0.1.0"
edition = "2021"

[dependencies]
c%04[2]d = { path = "../c%04[2]d" }
c%04[3]d = { path = "../c%04[3]d" }
jemalloc-ctl = { version = "0.5", optional = true }

[features]
stats = ["jemalloc-ctl", "c%04[2]d/stats"]
`, c, c-1, c/2)
}

func BenchmarkParseManifest(b *testing.B) {
	src := memberManifest(5)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("Cargo.toml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRetainedHeap reports the heap 8,000 parsed member manifests keep
// alive, sources excluded. Run it with JEMFIX_MEASURE=1 go test -run
// RetainedHeap -v.
func TestRetainedHeap(t *testing.T) {
	if os.Getenv("JEMFIX_MEASURE") != "1" {
		t.Skip("set JEMFIX_MEASURE=1 to measure the retained heap")
	}
	const n = 8000
	srcs := make([][]byte, n)
	for i := range srcs {
		srcs[i] = memberManifest(i + 3)
	}
	docs := make([]*Doc, n)
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	for i, src := range srcs {
		d, err := Parse("Cargo.toml", src)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = d
	}
	after := heap()
	t.Logf("%d docs retain %d bytes: %d bytes per doc (sources of %d bytes excluded)",
		n, after-before, (after-before)/n, len(srcs[n/2]))
	runtime.KeepAlive(docs)
	runtime.KeepAlive(srcs)
}

// TestParseAllocs guards the cost of parsing a typical member manifest: a
// Doc is a handful of exact-size slices, and such a manifest needs no
// toml.Unmarshal (which alone costs some forty allocations).
func TestParseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	src := memberManifest(5)
	n := testing.AllocsPerRun(100, func() {
		if _, err := Parse("Cargo.toml", src); err != nil {
			t.Fatal(err)
		}
	})
	if n > 40 {
		t.Errorf("Parse of a member manifest: %v allocations, want at most 40", n)
	}
}
