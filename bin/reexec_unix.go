//go:build unix

package main

import (
	"os"
	"syscall"
)

// reexec replaces this process with exe, given the same arguments and the current
// environment. It returns only on failure.
func reexec(exe string) error {
	return syscall.Exec(exe, os.Args, os.Environ())
}
