//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
)

// kernelArg makes the app start the jsii kernel (see directKernel) instead of
// synthesizing.
const kernelArg = "jsii-kernel"

const jsiiRuntimeModule = "github.com/aws/jsii-runtime-go"

// kernelLauncher runs the jsii kernel program (process.argv[1]) with its requests on
// file descriptor 3 and its responses on 4. The kernel reads and writes one socket on
// descriptor 3, which jsii's relay process provides; here descriptor 3 is the pipe
// from the Go side and 4 the pipe back, so its writes are sent to 4.
const kernelLauncher = `const fs = require("fs");
const writeSync = fs.writeSync;
fs.writeSync = function (fd, ...rest) { return writeSync.call(fs, fd === 3 ? 4 : fd, ...rest); };
require(process.argv[1]);
`

// kernelMarkers must all appear in the kernel program for kernelLauncher to fit it:
// it reads and writes descriptor 3, writing with fs.writeSync.
var kernelMarkers = [][]byte{[]byte("readFD:3,writeFD:3"), []byte(".writeSync(")}

// directKernel returns the JSII_RUNTIME command that starts the jsii kernel without
// jsii's relay, and whether it can. jsii-runtime-go normally starts a Node relay that
// starts the kernel as a second Node process and copies every request and response
// between them; each call from Go into the CDK then wakes three processes instead of
// two. The command is this executable with kernelArg, which starts the kernel
// program of the jsii-runtime-go version this app was built with, from the Go module
// cache. When that program cannot be found or does not have the expected shape, the
// relay is used.
func directKernel() (string, bool) {
	exe, err := os.Executable()
	if err != nil || strings.ContainsRune(exe, '\'') {
		return "", false
	}
	if _, ok := kernelProgram(); !ok {
		return "", false
	}
	return "'" + exe + "' " + kernelArg, true
}

// kernelProgram returns the path of the jsii kernel program (lib/program.js) of the
// jsii-runtime-go module this executable was built with, if it is in the module cache
// and fits kernelLauncher.
func kernelProgram() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	version := ""
	for _, d := range info.Deps {
		if d.Path == jsiiRuntimeModule && d.Replace == nil {
			version = d.Version
		}
	}
	if version == "" {
		return "", false
	}
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return "", false
		}
		cache = strings.TrimSpace(string(out))
	}
	path := filepath.Join(cache, jsiiRuntimeModule+"@"+version, "internal", "embedded", "resources", "lib", "program.js")
	src, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	for _, m := range kernelMarkers {
		if !bytes.Contains(src, m) {
			return "", false
		}
	}
	return path, true
}

// runKernel starts the jsii kernel with this process's standard input (the requests
// from the Go side) as its descriptor 3 and standard output (the responses) as 4, and
// returns its exit code. What the kernel prints goes to standard error, which the Go
// side shows.
func runKernel() int {
	program, ok := kernelProgram()
	if !ok {
		fmt.Fprintf(os.Stderr, "%s: the jsii kernel program of %s is not in the Go module cache\n", kernelArg, jsiiRuntimeModule)
		return 1
	}
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = "node"
	}
	args := []string{"--preserve-symlinks"}
	if dir := os.Getenv(profileEnv); dir != "" {
		args = append(args, "--cpu-prof", "--cpu-prof-dir="+dir)
	}
	cmd := exec.Command(node, append(args, "-e", kernelLauncher, program)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.ExtraFiles = []*os.File{os.Stdin, os.Stdout}
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "%s: %v\n", kernelArg, err)
		return 1
	}
	return 0
}

// reexec replaces this process with exe, given the same arguments and the current
// environment. It returns only on failure.
func reexec(exe string) error {
	return syscall.Exec(exe, os.Args, os.Environ())
}
