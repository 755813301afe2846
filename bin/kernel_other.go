//go:build !unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// kernelArg would make the app start the jsii kernel; on this platform the kernel is
// always started through jsii's own relay, so the app never asks for it.
const kernelArg = "jsii-kernel"

// directKernel reports that the jsii kernel is started through jsii's own relay on
// this platform.
func directKernel() (string, bool) { return "", false }

// runKernel refuses: the direct kernel needs Unix file descriptors.
func runKernel(string) int {
	fmt.Fprintf(os.Stderr, "%s: not supported on this platform\n", kernelArg)
	return 1
}

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
