//go:build linux

package main

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes a `samverkan dev` that a test started end with the test process, however that
// ends. A fuzzing worker is killed when the fuzzing coordinator restarts it; a `samverkan dev` that
// outlived it would keep its ports, and the pipes to the coordinator that it inherited with them,
// so the coordinator would wait for the worker's end for ever.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
