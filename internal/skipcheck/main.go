// Command skipcheck reads `go test -json` on stdin, prints what plain
// `go test` prints, and fails when a test that needs cargo or git was
// skipped, by its name or its skip message: CI must not pass by skipping
// its oracles. .ci/run pipes the whole test run through it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

var (
	toolTest = regexp.MustCompile(`Cargo|Git|Oracle`)
	toolText = regexp.MustCompile(`(?i)\b(cargo|git)\b([^.]|$)`) // not Cargo.toml
)

func main() {
	skipped, err := filter(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skipcheck:", err)
		os.Exit(1)
	}
	if len(skipped) > 0 {
		fmt.Fprintf(os.Stderr, ".ci/run: these tests need cargo or git and were skipped; CI must run them:\n\t%s\n",
			strings.Join(skipped, "\n\t"))
		os.Exit(1)
	}
}

// filter copies the test run in r to w as plain `go test` prints it
// (package lines, build errors, the output of failing tests) and returns
// the tests that needed cargo or git and were skipped.
func filter(r io.Reader, w io.Writer) ([]string, error) {
	held := map[string]string{} // output per test until it ends
	var skipped []string
	in := bufio.NewScanner(r)
	in.Buffer(nil, 1<<24)
	for in.Scan() {
		var e struct{ Action, Package, Test, Output string }
		if json.Unmarshal(in.Bytes(), &e) != nil {
			fmt.Fprintln(w, in.Text())
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output" || e.Test == "" && e.Action == "output" && e.Output != "PASS\n":
			fmt.Fprint(w, e.Output)
		case e.Test == "":
		case e.Action == "output":
			held[key] += e.Output
		case e.Action == "fail":
			fmt.Fprint(w, held[key])
		case e.Action == "skip" && (toolTest.MatchString(e.Test) || toolText.MatchString(held[key])):
			fmt.Fprint(w, held[key])
			skipped = append(skipped, key)
		}
		if e.Action == "pass" || e.Action == "fail" || e.Action == "skip" {
			delete(held, key)
		}
	}
	return skipped, in.Err()
}
