package main

import "testing"

// BenchmarkApplyLargeSized is BenchmarkApplyLarge on the same workspace
// with every .rs file padded to 10,700 bytes (gen.WorkspaceSized): 20,000
// files, 214 MB, the size of the tree the reference numbers were
// measured on. Writing the tree takes longer than a run; -benchtime=3x is
// enough.
func BenchmarkApplyLargeSized(b *testing.B) { benchApply(b, 10700) }
