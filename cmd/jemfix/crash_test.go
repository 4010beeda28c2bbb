package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/cargotest"
	"jemfix/internal/gen"
	"jemfix/pkg/write"
)

// jemfixBinary returns a path that runs this test binary as jemfix (see
// TestMain): a link named jemfix.
func jemfixBinary(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "jemfix")
	if err := os.Symlink(self, bin); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	return bin
}

// leftovers lists what a write may leave behind: temporary files and the
// journal.
func leftovers(tree map[string]string) []string {
	var out []string
	for p := range tree {
		if strings.Contains(p, ".jemfix-") {
			out = append(out, p)
		}
	}
	return out
}

// crashTree writes a workspace whose fix rewrites about 120 files, and
// returns it with the tree before and after a complete write.
func crashTree(t *testing.T, bin string) (pristine string, before, after map[string]string) {
	t.Helper()
	pristine = filepath.Join(t.TempDir(), "ws")
	if err := gen.Workspace(pristine, 12, 240, 2); err != nil {
		t.Fatal(err)
	}
	before = cargotest.ReadTree(t, pristine)
	done := copyTree(t, pristine)
	if out, err := exec.Command(bin, "apply", "--option=1", done).CombinedOutput(); err != nil {
		t.Fatalf("a complete write failed: %v\n%s", err, out)
	}
	after = cargotest.ReadTree(t, done)
	if cmp.Equal(before, after) {
		t.Fatal("the fix changes nothing")
	}
	return pristine, before, after
}

func copyTree(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ws")
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// judge checks that dir is entirely old or entirely new, with nothing left
// behind.
func judge(t *testing.T, dir string, before, after map[string]string) string {
	t.Helper()
	got := cargotest.ReadTree(t, dir)
	if l := leftovers(got); len(l) > 0 {
		t.Errorf("left behind: %q", l)
	}
	switch {
	case cmp.Equal(before, got):
		return "old"
	case cmp.Equal(after, got):
		return "new"
	}
	t.Errorf("torn tree:\n%s", cmp.Diff(before, got))
	return "torn"
}

// A real kill -9 at a random moment of many writes: after the next command
// (which recovers), every tree is entirely old or entirely new, and nothing
// is left behind.
func TestKillAtRandomMoments(t *testing.T) {
	bin := jemfixBinary(t)
	pristine, before, after := crashTree(t, bin)
	start := time.Now()
	if out, err := exec.Command(bin, "apply", "--option=1", copyTree(t, pristine)).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	span := time.Since(start)
	rng := rand.New(rand.NewPCG(7, 11))
	runs := 40
	if testing.Short() {
		runs = 8
	}
	seen := map[string]int{}
	for range runs {
		dir := copyTree(t, pristine)
		cmd := exec.Command(bin, "apply", "--option=1", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(span) * 12 / 10)))
		cmd.Process.Kill()
		cmd.Wait()
		out, err := exec.Command(bin, "scan", dir).CombinedOutput()
		if err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitPending && exit.ExitCode() != exitOK {
				t.Fatalf("scan after the kill: %v\n%s", err, out)
			}
		}
		switch {
		case bytes.Contains(out, []byte("was rolled back")):
			seen["rolled back"]++
		case bytes.Contains(out, []byte("its cleanup was completed")):
			seen["completed"]++
		}
		seen[judge(t, dir, before, after)]++
	}
	t.Logf("%d kills: %v (the write takes about %v)", runs, seen, span)
}

// A kill -9 at chosen steps of the write, while the workers write other
// targets in place: the next command rolls back (or, once the journal
// says done, completes) and leaves the tree old (or new).
func TestKillAtWriteSteps(t *testing.T) {
	bin := jemfixBinary(t)
	pristine, before, after := crashTree(t, bin)
	n := 0 // the files the write changes
	for p, content := range after {
		if before[p] != content {
			n++
		}
	}
	steps := []string{"stage:0", fmt.Sprintf("stage:%d", n/2), "cleanup:0"}
	for _, i := range []int{0, 1, 7, n / 2, n - 1} {
		steps = append(steps, fmt.Sprintf("rename:%d", i))
	}
	for _, at := range steps {
		t.Run(at, func(t *testing.T) {
			dir := copyTree(t, pristine)
			cmd := exec.Command(bin, "apply", "--option=1", dir)
			cmd.Env = append(os.Environ(), faultEnv+"=kill:"+at)
			if out, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("jemfix was not killed at %s:\n%s", at, out)
			}
			out, err := exec.Command(bin, "scan", dir).CombinedOutput()
			var exit *exec.ExitError
			if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != exitPending && exit.ExitCode() != exitOK) {
				t.Fatalf("scan after the kill: %v\n%s", err, out)
			}
			want, says := "old", "was rolled back"
			if strings.HasPrefix(at, "cleanup") {
				want, says = "new", "its cleanup was completed"
			}
			if !bytes.Contains(out, []byte(says)) {
				t.Errorf("scan after a kill at %s says:\n%s\nwant %q", at, out, says)
			}
			if got := judge(t, dir, before, after); got != want {
				t.Errorf("tree after a kill at %s and recovery: %s, want %s", at, got, want)
			}
		})
	}
}

// SIGINT and SIGTERM during a write roll it back, leave nothing behind and
// end the process with 130 and 143; a second signal while rolling back
// changes nothing.
func TestSignalsRollBack(t *testing.T) {
	bin := jemfixBinary(t)
	pristine, before, after := crashTree(t, bin)
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			dir := copyTree(t, pristine)
			cmd := exec.Command(bin, "apply", "--option=1", dir)
			cmd.Env = append(os.Environ(), faultEnv+"=pause:rename:3:400ms")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			journal := filepath.Join(dir, write.JournalDir, "journal.json")
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				if b, err := os.ReadFile(journal); err == nil && bytes.Contains(b, []byte(`"renaming"`)) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the write never reached its renames")
				}
			}
			cmd.Process.Signal(tt.sig)
			time.Sleep(5 * time.Millisecond)
			cmd.Process.Signal(tt.sig)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Errorf("exit %v, want %d\n%s", err, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "the write was rolled back, nothing was written") {
				t.Errorf("stderr does not say the write was rolled back:\n%s", stderr.String())
			}
			if got := judge(t, dir, before, after); got != "old" {
				t.Errorf("tree is %s after the signal, want old", got)
			}
		})
	}
}

// A signal once the write has finished cannot undo it: it stops the step
// after it (a slow cargo for --lock, which gets the signal too), the root
// says the files stay written and which step was not done, and the process
// ends with the signal's code.
func TestSignalAfterWrite(t *testing.T) {
	bin := jemfixBinary(t)
	dir := copyTree(t, filepath.Join("..", "..", "fixtures", "locked"))
	before := cargotest.ReadTree(t, dir)
	started := filepath.Join(t.TempDir(), "started")
	cargo := filepath.Join(t.TempDir(), "slowcargo")
	script := "#!/bin/sh\ntrap 'echo ended > " + started + ".ended; kill $!; exit 1' TERM\necho > " + started + "\nsleep 30 &\nwait\n"
	if err := os.WriteFile(cargo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "apply", "--option=1", "--lock", "--json", "--allow-dirty", "--cargo="+cargo, dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	signalWhenExists(t, cmd, started, &stderr)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 143 {
		t.Errorf("exit %v, want 143\n%s", err, stderr.String())
	}
	var doc struct{ Status, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
	if doc.Status != "written-not-locked" || !strings.Contains(doc.Error, "interrupted by SIGTERM after the write: the files stay written; not done: --lock") {
		t.Errorf("status %q, error %q", doc.Status, doc.Error)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(started + ".ended"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cargo jemfix ran did not get the signal")
		}
	}
	if diff := cmp.Diff(before, cargotest.ReadTree(t, dir)); diff == "" {
		t.Error("nothing was written")
	}
}

// A signal to jemfix verify reaches the cargo it runs and what that cargo
// started (a build script), which lead a process group of their own.
func TestSignalDuringVerify(t *testing.T) {
	bin := jemfixBinary(t)
	dir := copyTree(t, filepath.Join("..", "..", "fixtures", "tikv-only"))
	pidfile := filepath.Join(t.TempDir(), "pid")
	cargo := filepath.Join(t.TempDir(), "slowcargo")
	if err := os.WriteFile(cargo, []byte("#!/bin/sh\nsleep 30 &\necho $! > "+pidfile+"\nwait\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "verify", "--cargo="+cargo, dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(20 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("cargo never started its child")
		}
		if b, err := os.ReadFile(pidfile); err == nil && strings.HasSuffix(string(b), "\n") {
			fmt.Sscan(string(b), &pid)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != 143 {
		t.Errorf("exit %v, want 143", err)
	}
	for deadline := time.Now().Add(10 * time.Second); syscall.Kill(pid, 0) == nil && !zombie(pid); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the process cargo started outlived jemfix")
		}
	}
}

// A signal during apply --verify stops the checklist: the step under way
// ends with the cargo it runs, and no later step starts.
func TestSignalStopsVerify(t *testing.T) {
	real := cargotest.RequireCargo(t)
	bin := jemfixBinary(t)
	dir := copyTree(t, filepath.Join("..", "..", "fixtures", "riptide"))
	cargotest.UseStubRegistry(t, dir)
	calls := filepath.Join(t.TempDir(), "calls")
	cargo := filepath.Join(t.TempDir(), "slowcargo")
	// The first step, cargo metadata, runs the real cargo: the checklist
	// goes on past it; every later step sleeps until the signal.
	script := "#!/bin/sh\nif [ \"$1\" = metadata ]; then exec " + real + " \"$@\"; fi\necho \"$1\" >> " + calls + "\nsleep 30 &\nwait\n"
	if err := os.WriteFile(cargo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "apply", "--option=1", "--allow-dirty", "--verify", "--offline", "--cargo="+cargo, dir)
	cmd.Env = append(os.Environ(), "CARGO_TARGET_DIR="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	signalWhenExists(t, cmd, calls, &stderr)
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != 143 {
		t.Errorf("exit %v, want 143\n%s", err, stderr.String())
	}
	if b, _ := os.ReadFile(calls); strings.Count(string(b), "\n") != 1 {
		t.Errorf("cargo ran for %q; want one step, the one the signal stopped", b)
	}
	if !strings.Contains(stderr.String(), "interrupted by SIGTERM after the write: the files stay written; not done: --verify") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// signalWhenExists sends SIGTERM to cmd, a jemfix started by the test,
// once the file at p exists (its fake cargo ran); it fails the test with
// jemfix's stderr when that does not happen.
func signalWhenExists(t *testing.T, cmd *exec.Cmd, p string, stderr *bytes.Buffer) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(p); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("jemfix never ran its cargo\n%s", stderr.String())
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
}

// zombie reports whether /proc says process pid has ended, unreaped.
func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z")
}

// Swapping a member directory for a symbolic link to a copy outside the
// root, again and again while apply runs, never gets a write outside the
// root: each run fails cleanly or writes inside.
func TestSymlinkSwapRace(t *testing.T) {
	runs := 60
	if testing.Short() {
		runs = 10
	}
	outside := copyTree(t, filepath.Join("..", "..", "fixtures", "riptide"))
	pristineOutside := cargotest.ReadTree(t, outside)
	victim := filepath.Join("crates", "riptide-performance")
	results := map[string]int{}
	for range runs {
		dir := copyTree(t, filepath.Join("..", "..", "fixtures", "riptide"))
		member, parked := filepath.Join(dir, victim), filepath.Join(dir, "parked")
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if os.Rename(member, parked) == nil {
					os.Symlink(filepath.Join(outside, victim), member)
					time.Sleep(50 * time.Microsecond)
					os.Remove(member)
					os.Rename(parked, member)
				}
			}
		}()
		code := run([]string{"apply", "--option=1", dir}, io.Discard, io.Discard)
		close(stop)
		<-done
		results[map[int]string{exitOK: "written", exitError: "refused"}[code]]++
	}
	if diff := cmp.Diff(pristineOutside, cargotest.ReadTree(t, outside)); diff != "" {
		t.Errorf("a write landed outside the root (-before +after):\n%s", diff)
	}
	t.Logf("%d runs: %v", runs, results)
}

// A manifest that a killed write left torn (here: the tail of its new
// content after the old one, which does not parse) does not stop the next
// command: it recovers the write before it reads any manifest.
func TestRecoverTornManifest(t *testing.T) {
	bin := jemfixBinary(t)
	pristine, before, after := crashTree(t, bin)
	dir := copyTree(t, pristine)
	cmd := exec.Command(bin, "apply", "--option=1", dir)
	cmd.Env = append(os.Environ(), faultEnv+"=kill:rename:3")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("jemfix was not killed:\n%s", out)
	}
	// A manifest the journal names, written before the kill or not: the
	// rollback puts its old bytes back whatever follows its unchanged start.
	data, err := os.ReadFile(filepath.Join(dir, write.JournalDir, "journal.json"))
	if err != nil {
		t.Fatal(err)
	}
	var journal struct {
		State string
		Files []struct{ Target string }
	}
	if err := json.Unmarshal(data, &journal); err != nil || journal.State != "renaming" {
		t.Fatalf("journal %s (%v), want one that says renaming", data, err)
	}
	torn := ""
	for _, f := range journal.Files {
		if strings.HasSuffix(f.Target, "Cargo.toml") {
			torn = f.Target
			break
		}
	}
	if torn == "" {
		t.Fatal("the journal names no manifest")
	}
	f, err := os.OpenFile(filepath.Join(dir, torn), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("[package\n") // what a write torn at its end could leave
	f.Close()
	out, err := exec.Command(bin, "scan", dir).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != exitPending) {
		t.Fatalf("scan after the kill: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("was rolled back")) {
		t.Errorf("scan says:\n%s", out)
	}
	if got := judge(t, dir, before, after); got != "old" {
		t.Errorf("tree after recovery: %s, want old", got)
	}
}

// A second jemfix during a write leaves that write alone: it says another
// process is writing and exits 1, and the write ends new.
func TestSecondCommandDuringWrite(t *testing.T) {
	bin := jemfixBinary(t)
	pristine, before, after := crashTree(t, bin)
	dir := copyTree(t, pristine)
	first := exec.Command(bin, "apply", "--option=1", dir)
	first.Env = append(os.Environ(), faultEnv+"=pause:rename:2:4s")
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, write.JournalDir, "journal.json")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if data, err := os.ReadFile(journal); err == nil && bytes.Contains(data, []byte(`"renaming"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the write never reached its renames")
		}
	}
	for _, args := range [][]string{{"scan", dir}, {"apply", "--option=1", dir}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitError || !bytes.Contains(out, []byte("another jemfix process is writing this workspace now")) {
			t.Errorf("%s during the write: %v\n%s", args[0], err, out)
		}
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("the write: %v\n%s", err, firstOut.String())
	}
	if got := judge(t, dir, before, after); got != "new" {
		t.Errorf("tree after the write: %s, want new", got)
	}
}
