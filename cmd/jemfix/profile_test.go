package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// JEMFIX_PROFILE writes a CPU profile, a heap profile taken when the
// check ends, and the time of each step.
func TestProfileFiles(t *testing.T) {
	bin := jemfixBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "apply", "--option=1", "--dry-run", filepath.Join("..", "..", "fixtures", "riptide"))
	cmd.Env = append(os.Environ(), profileEnv+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != exitPending {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, name := range []string{"cpu.pprof", "heap.pprof"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) { // pprof's profiles are gzipped
			t.Errorf("%s is not a profile: % x", name, b[:min(len(b), 8)])
		}
	}
	live, err := os.ReadFile(filepath.Join(dir, "heap.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^live heap after check: [1-9][0-9]* bytes in [1-9][0-9]* objects\n$`).Match(live) {
		t.Errorf("heap.txt = %q", live)
	}
	phases, err := os.ReadFile(filepath.Join(dir, "phases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"load ", heapStep + " ", "diff ", "total "} {
		if !strings.Contains(string(phases), "\n"+step) && !strings.HasPrefix(string(phases), step) {
			t.Errorf("phases.txt has no step %q:\n%s", step, phases)
		}
	}
}
