//go:build !unix

package child

import (
	"os"
	"os/exec"
)

func setGroup(*exec.Cmd) {}

func groupLeader(*exec.Cmd) bool { return false }

func signalGroup(p *os.Process, s os.Signal) { p.Signal(s) }
