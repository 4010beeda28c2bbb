package main

import (
	"slices"
	"testing"
)

func TestCargoArgs(t *testing.T) {
	tests := []struct{ argv, want []string }{
		{[]string{"/usr/bin/jemfix", "scan", "."}, []string{"scan", "."}},
		{[]string{"/home/u/.cargo/bin/cargo-jemfix", "jemfix", "apply", "--option=1"}, []string{"apply", "--option=1"}},
		{[]string{"cargo-jemfix", "scan"}, []string{"scan"}},
		{[]string{"cargo-jemfix.exe", "jemfix"}, []string{}},
	}
	for _, tt := range tests {
		if got := cargoArgs(tt.argv); !slices.Equal(got, tt.want) {
			t.Errorf("cargoArgs(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}
