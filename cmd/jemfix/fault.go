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
// the third rename), "pause:rename:1:500ms" or "fail:stage:0:ENOSPC", or
// several of them separated by commas ("fail:saved done:0,kill:rollback:1":
// a failure, then a crash while it is undone). Unset, it does nothing.
const faultEnv = "JEMFIX_FAULT_INJECT"

// fault is one ACTION:STEP:N[:ARG] of faultEnv.
type fault struct {
	action, step, arg string
	n                 int
}

// injectFaults installs the faults that faultEnv asks for.
func injectFaults() {
	spec := os.Getenv(faultEnv)
	if spec == "" {
		return
	}
	var faults []fault
	for _, one := range strings.Split(spec, ",") {
		parts := strings.Split(one, ":")
		if len(parts) < 3 {
			fmt.Fprintf(os.Stderr, "jemfix: %s=%q: want ACTION:STEP:N[:ARG], separated by commas\n", faultEnv, spec)
			os.Exit(exitUsage)
		}
		f := fault{action: parts[0], step: parts[1]}
		f.n, _ = strconv.Atoi(parts[2])
		if len(parts) > 3 {
			f.arg = parts[3]
		}
		faults = append(faults, f)
	}
	write.Fault = func(s string, i int) error {
		for _, f := range faults {
			if s == f.step && i == f.n {
				if err := f.do(); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// do carries out the fault at its step.
func (f fault) do() error {
	switch f.action {
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute) // SIGKILL arrives
	case "pause":
		d, _ := time.ParseDuration(f.arg)
		time.Sleep(d)
	case "fail":
		if f.arg == "ENOSPC" {
			return syscall.ENOSPC
		}
		return syscall.EIO
	}
	return nil
}
