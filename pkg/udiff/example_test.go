package udiff_test

import (
	"fmt"

	"jemfix/pkg/udiff"
)

func ExampleDiff() {
	old := []byte("[dependencies]\njemalloc-ctl = \"0.5\"\n")
	new := []byte("[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n")
	fmt.Print(udiff.Diff(udiff.File{Path: "Cargo.toml", Old: old, New: new}))
	// Output:
	// diff --git a/Cargo.toml b/Cargo.toml
	// --- a/Cargo.toml
	// +++ b/Cargo.toml
	// @@ -1,2 +1,2 @@
	//  [dependencies]
	// -jemalloc-ctl = "0.5"
	// +tikv-jemalloc-ctl = "0.5"
}
