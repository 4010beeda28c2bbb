package child

import (
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOutput(t *testing.T) {
	out, err := Output(exec.Command("sh", "-c", "echo out; echo err >&2; exit 3"))
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("err = %v, want exit status 3", err)
	}
	if string(out) != "out\n" || string(exit.Stderr) != "err\n" {
		t.Errorf("stdout %q, stderr %q", out, exit.Stderr)
	}
	out, err = CombinedOutput(exec.Command("sh", "-c", "echo out; echo err >&2"))
	if err != nil || !strings.Contains(string(out), "out\n") || !strings.Contains(string(out), "err\n") {
		t.Errorf("CombinedOutput = %q, %v", out, err)
	}
}

// A signal reaches the commands running, and only while they run.
func TestSignal(t *testing.T) {
	done := make(chan error, 1)
	go func() { done <- Run(exec.Command("sleep", "30")) }()
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; n == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the command never showed as running")
		}
		running.Range(func(any, any) bool { n++; return true })
		time.Sleep(10 * time.Millisecond)
	}
	Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
			t.Errorf("err = %v, want the command ended by SIGTERM", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command outlived the signal")
	}
	running.Range(func(p, _ any) bool {
		t.Errorf("%v still listed after it ended", p)
		return true
	})
}
