package main

import (
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// mkweird OLD NEW renames OLD to NEW after decoding the Go escapes of both
// (\x1b, \r, \n, \t, \u202e…), so that scripts can make, and name again,
// files and directories holding control characters, which script
// arguments cannot spell.
func mkweird(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkweird OLD NEW")
	}
	var names [2]string
	for i, a := range args {
		name, err := strconv.Unquote(`"` + a + `"`) // a double quote is spelt \"
		ts.Check(err)
		names[i] = ts.MkAbs(name)
	}
	ts.Check(os.Rename(names[0], names[1]))
}
