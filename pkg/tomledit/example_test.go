package tomledit_test

import (
	"fmt"

	"jemfix/pkg/textedit"
	"jemfix/pkg/tomledit"
)

func ExampleDoc_RenameDependency() {
	src := []byte(`[dependencies]
"jemalloc-ctl" = { version = "0.5", optional = true } # stats

[target.'cfg(unix)'.dependencies.jemalloc-ctl]
features = ["use_std"]
`)
	doc, err := tomledit.Parse("Cargo.toml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	var edits []textedit.Edit
	for _, dep := range doc.Dependencies() {
		if dep.Key == "jemalloc-ctl" {
			edits = append(edits, doc.RenameDependency(dep, "tikv-jemalloc-ctl")...)
		}
	}
	out, err := textedit.Apply(src, edits)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// [dependencies]
	// "tikv-jemalloc-ctl" = { version = "0.5", optional = true } # stats
	//
	// [target.'cfg(unix)'.dependencies.tikv-jemalloc-ctl]
	// features = ["use_std"]
}
