// Package child runs the programs jemfix starts (cargo, git, rustfmt) so
// that a signal that ends jemfix reaches them too: a runner that stops
// jemfix by its process id must not leave a cargo build running in the
// tree.
package child

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"time"
)

var running sync.Map // *os.Process -> bool (its own process group): the commands started and not yet waited for

// waitDelay bounds the wait for a command's output once it has exited: a
// process it left behind (a build script's child) may hold its pipes.
const waitDelay = 5 * time.Second

// Run is cmd.Run, with the process known to Signal while it runs.
func Run(cmd *exec.Cmd) error {
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = waitDelay
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	running.Store(cmd.Process, groupLeader(cmd))
	defer running.Delete(cmd.Process)
	return cmd.Wait()
}

// OwnGroup makes cmd, once started, lead a process group of its own, so
// that Signal reaches the processes it starts too (cargo's rustc and build
// scripts). Not for a command that may read the terminal (git asking for a
// passphrase): a process group in the background would stop there.
func OwnGroup(cmd *exec.Cmd) *exec.Cmd {
	setGroup(cmd)
	return cmd
}

// Output is cmd.Output run by Run: its standard output, and with a nil
// cmd.Stderr, the standard error in the *exec.ExitError of a failure.
func Output(cmd *exec.Cmd) ([]byte, error) {
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	var stderr *bytes.Buffer
	if cmd.Stderr == nil {
		stderr = &bytes.Buffer{}
		cmd.Stderr = stderr
	}
	err := Run(cmd)
	if exit, ok := err.(*exec.ExitError); ok && stderr != nil {
		exit.Stderr = stderr.Bytes()
	}
	return stdout.Bytes(), err
}

// CombinedOutput is cmd.CombinedOutput run by Run.
func CombinedOutput(cmd *exec.Cmd) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := Run(cmd)
	return out.Bytes(), err
}

// Signal sends s to every command running, and to the process group of
// each that leads one.
func Signal(s os.Signal) {
	running.Range(func(p, group any) bool {
		if group.(bool) {
			signalGroup(p.(*os.Process), s)
		} else {
			p.(*os.Process).Signal(s)
		}
		return true
	})
}
