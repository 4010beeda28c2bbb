package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"jemfix/pkg/write"
)

// faultEnv names the test seam of the writer in the command: the
// crash-safety tests run jemfix as a process and make it fail, pause or
// die at a given step of a write (see write.Fault). Its value is
// ACTION:STEP:N[:ARG], for example "kill:rename:2" (SIGKILL itself before
// the third rename), "pause:rename:1:500ms" or "fail:stage:0:ENOSPC".
// Unset, it does nothing.
const faultEnv = "JEMFIX_FAULT_INJECT"

// injectFaults installs the fault that faultEnv asks for.
func injectFaults() {
	spec := os.Getenv(faultEnv)
	if spec == "" {
		return
	}
	parts := strings.Split(spec, ":")
	if len(parts) < 3 {
		fmt.Fprintf(os.Stderr, "jemfix: %s=%q: want ACTION:STEP:N[:ARG]\n", faultEnv, spec)
		os.Exit(exitUsage)
	}
	action, step := parts[0], parts[1]
	n, _ := strconv.Atoi(parts[2])
	arg := ""
	if len(parts) > 3 {
		arg = parts[3]
	}
	write.Fault = func(s string, i int) error {
		if s != step || i != n {
			return nil
		}
		switch action {
		case "kill":
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			time.Sleep(time.Minute) // SIGKILL arrives
		case "pause":
			d, _ := time.ParseDuration(arg)
			time.Sleep(d)
		case "fail":
			if arg == "ENOSPC" {
				return syscall.ENOSPC
			}
			return syscall.EIO
		}
		return nil
	}
}
