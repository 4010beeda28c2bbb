package textedit_test

import (
	"fmt"

	"jemfix/pkg/textedit"
)

func ExampleApply() {
	src := []byte("use jemalloc_ctl::epoch;\n")
	out, _ := textedit.Apply(src, []textedit.Edit{{Start: 4, End: 16, New: "tikv_jemalloc_ctl"}})
	fmt.Print(string(out))
	// Output: use tikv_jemalloc_ctl::epoch;
}
