package apply

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"jemfix/internal/child"
	"jemfix/pkg/verify"
)

// LockCommand is the command that refreshes Cargo.lock after a fix: cargo's
// own minimal update of the workspace's packages. It resolves the graph and
// runs no build script.
const LockCommand = "cargo update --workspace"

// lockArgs are LockCommand's arguments, with --offline when asked.
func lockArgs(offline bool) []string {
	args := strings.Fields(LockCommand)[1:]
	if offline {
		args = append(args, "--offline")
	}
	return args
}

// hasLock reports whether the workspace keeps a Cargo.lock.
func (o *Outcome) hasLock() bool { return o.WS != nil && o.WS.Lock != nil }

// lockStep refreshes Cargo.lock after the write (apply --lock), with the
// user's cargo and its configuration (registry, mirror, --offline). A
// failure leaves the manifests written: it is a *LockError.
func lockStep(o *Outcome, cfg *Config) error {
	if !cfg.Lock || !o.hasLock() {
		return nil
	}
	cargo := cfg.VerifyOpt.Cargo
	if cargo == "" {
		cargo = "cargo"
	}
	cmd := exec.Command(cargo, lockArgs(cfg.VerifyOpt.Offline)...)
	cmd.Dir = o.WS.Dir
	out, err := child.CombinedOutput(child.OwnGroup(cmd))
	if err != nil {
		return &LockError{Err: err, Output: verify.LastLines(string(out), 8)}
	}
	o.Locked = true
	return nil
}

// LockError is a Cargo.lock refresh (--lock) that failed after the
// manifests were written: they stay written, the lock file is as cargo left
// it. Its status is StatusNotLocked.
type LockError struct {
	Err    error
	Output string // the end of cargo's output
}

func (e *LockError) Error() string {
	out := strings.TrimRight(e.Output, "\n")
	if out == "" {
		out = "(cargo printed nothing)"
	}
	return fmt.Sprintf("written, but Cargo.lock was not refreshed: %s failed (%v):\n%s\nthe manifests stay written; fix the cause and run %s", LockCommand, e.Err, out, LockCommand)
}

func (e *LockError) Unwrap() error { return e.Err }

// lockFile is the path of the workspace's Cargo.lock for git.
func (o *Outcome) lockFile() string { return filepath.Join(o.WS.Dir, "Cargo.lock") }
