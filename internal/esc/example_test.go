package esc_test

import (
	"fmt"

	"jemfix/internal/esc"
)

func ExampleText() {
	fmt.Println(esc.Text("ws/crates/a\x1b[31m/Cargo.toml"))
	fmt.Println(esc.Text("crates/café 日本/Cargo.toml"))
	// Output:
	// ws/crates/a\x1b[31m/Cargo.toml
	// crates/café 日本/Cargo.toml
}
