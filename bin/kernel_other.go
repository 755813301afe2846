//go:build !unix

package main

import (
	"errors"
	"os"
	"os/exec"
)

// kernelArg is only used where the direct kernel is supported.
const kernelArg = "jsii-kernel"

// directKernel reports that the jsii kernel is started through jsii's own relay on
// this platform.
func directKernel() (string, bool) { return "", false }

// runKernel is never reached on this platform.
func runKernel() int { return 1 }

// reexec runs exe as a child with the same arguments, streams and the current
// environment, and exits with its exit code. It returns only when exe cannot run.
func reexec(exe string) error {
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err == nil || errors.As(err, &exit) {
		os.Exit(cmd.ProcessState.ExitCode())
	}
	return err
}
