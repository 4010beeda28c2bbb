package rustedit_test

import (
	"fmt"

	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
)

func ExampleRewrite() {
	src := []byte(`use jemalloc_ctl::{epoch, stats};

#[cfg(feature = "jemallocator")]
fn allocated() -> u64 {
    // jemalloc_ctl in a comment stays as it is
    epoch::advance().unwrap();
    println!("{}", jemalloc_ctl::stats::resident::read().unwrap());
    stats::allocated::read().unwrap() as u64
}
`)
	res, err := rustedit.Rewrite("src/lib.rs", src, rustedit.Options{
		Crates:   map[string]string{"jemalloc_ctl": "tikv_jemalloc_ctl"},
		Features: map[string]string{"jemallocator": "tikv-jemallocator"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := textedit.Apply(src, res.Edits)
	fmt.Print(string(out))
	// Output:
	// use tikv_jemalloc_ctl::{epoch, stats};
	//
	// #[cfg(feature = "tikv-jemallocator")]
	// fn allocated() -> u64 {
	//     // jemalloc_ctl in a comment stays as it is
	//     epoch::advance().unwrap();
	//     println!("{}", tikv_jemalloc_ctl::stats::resident::read().unwrap());
	//     stats::allocated::read().unwrap() as u64
	// }
}

func ExampleCheckChange() {
	old := []byte("use jemalloc_ctl::epoch;\nfn main() {}\n")
	err := rustedit.CheckChange("src/lib.rs", old, []byte("use tikv_jemalloc_ctl::epoch\nfn main() {}\n"))
	fmt.Println(err)
	// Output: src/lib.rs:1:29: syntax error: missing ";"
}
