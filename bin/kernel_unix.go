//go:build unix

package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
)

// kernelArg makes the app start the jsii kernel (see directKernel) instead of
// synthesizing: app jsii-kernel PROGRAM.
const kernelArg = "jsii-kernel"

const jsiiRuntimeModule = "github.com/aws/jsii-runtime-go"

// kernelLauncher runs the jsii kernel program (process.argv[1]) with its requests on
// file descriptor 3 and its responses on 4. The kernel reads and writes one socket on
// descriptor 3, which jsii's relay process provides; here descriptor 3 is the pipe
// from the Go side and 4 the pipe back, so its writes to 3 are sent to 4.
const kernelLauncher = `const fs = require("fs");
const writeSync = fs.writeSync;
fs.writeSync = function (fd, ...rest) { return writeSync.call(fs, fd === 3 ? 4 : fd, ...rest); };
require(process.argv[1]);
`

// knownKernels are the SHA-256 sums of the kernel programs (lib/program.js) that
// kernelLauncher was checked against, by jsii-runtime-go version: their SyncStdio
// reads and writes descriptor 3 with fs.readSync and fs.writeSync. Any other program
// is run through jsii's relay. After upgrading jsii-runtime-go, check the new
// program's SyncStdio and add its sum; TestAppPreparesItsNodeProcess fails until then.
var knownKernels = map[string]string{
	"v1.139.0": "93b9fa5130f1dc3acd7784ed90875079f27aa991271b299e9cfec6407333888c",
}

// directKernel returns the JSII_RUNTIME command that starts the jsii kernel without
// jsii's relay, and whether it can. jsii-runtime-go normally starts a Node relay that
// starts the kernel as a second Node process and copies every request and response
// between them; each call from Go into the CDK then wakes three processes instead of
// two. The command runs this executable with kernelArg and the kernel program of the
// jsii-runtime-go version this app was built with, from the Go module cache. When
// that program cannot be found or is not a known one, the relay is used.
func directKernel() (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	program, ok := kernelProgram()
	if !ok || strings.ContainsRune(exe, '\'') || strings.ContainsRune(program, '\'') {
		return "", false
	}
	return fmt.Sprintf("exec '%s' %s '%s'", exe, kernelArg, program), true
}

// kernelProgram returns the path of the jsii kernel program (lib/program.js) of the
// jsii-runtime-go module this executable was built with, if it is in the module cache
// and is one of knownKernels.
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
	want, known := knownKernels[version]
	if !known {
		return "", false
	}
	rel := filepath.Join(jsiiRuntimeModule+"@"+version, "internal", "embedded", "resources", "lib", "program.js")
	for _, cache := range []func() string{envModuleCache, goEnvModuleCache} {
		dir := cache()
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, rel)
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(src)
		return path, hex.EncodeToString(sum[:]) == want
	}
	return "", false
}

// envModuleCache returns where the Go module cache is by the environment alone:
// GOMODCACHE, or the first GOPATH entry's pkg/mod, or ~/go/pkg/mod.
func envModuleCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if p := filepath.SplitList(os.Getenv("GOPATH")); len(p) > 0 && p[0] != "" {
		return filepath.Join(p[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// goEnvModuleCache asks the go command, which also knows a setting made with go env
// -w; it is asked only when envModuleCache does not hold the program.
func goEnvModuleCache() string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// runKernel starts the jsii kernel program with this process's standard input (the
// requests from the Go side) as its descriptor 3 and standard output (the responses)
// as 4, and returns its exit code. What the kernel prints is passed to the Go side on
// standard error the way jsii's relay passes it, one {"stdout"|"stderr": base64} line
// per line, which the Go side prints to its own stdout and stderr.
func runKernel(program string) int {
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = "node"
	}
	args := []string{"--preserve-symlinks"}
	if dir := os.Getenv(profileEnv); dir != "" {
		args = append(args, "--cpu-prof", "--cpu-prof-dir="+dir)
	}
	cmd := exec.Command(node, append(args, "-e", kernelLauncher, program)...)
	cmd.Env = userEnv(os.Environ(), os.Getenv(preparedEnv))
	cmd.ExtraFiles = []*os.File{os.Stdin, os.Stdout}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return kernelFailed(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return kernelFailed(err)
	}
	if err := cmd.Start(); err != nil {
		return kernelFailed(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for stream, r := range map[string]io.Reader{"stdout": stdout, "stderr": stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			relayLines(stream, r, os.Stderr, &mu)
		}()
	}
	wg.Wait()
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exit.ExitCode()
	}
	if err != nil {
		return kernelFailed(err)
	}
	return 0
}

// relayLines copies r to w line by line, each as the JSON object {stream: base64 of
// the line}, holding mu while it writes.
func relayLines(stream string, r io.Reader, w io.Writer, mu *sync.Mutex) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			msg, _ := json.Marshal(map[string][]byte{stream: line})
			mu.Lock()
			w.Write(append(msg, '\n'))
			mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func kernelFailed(err error) int {
	fmt.Fprintf(os.Stderr, "%s: %v\n", kernelArg, err)
	return 1
}

// reexec replaces this process with exe, given the same arguments and the current
// environment. It returns only on failure.
func reexec(exe string) error {
	return syscall.Exec(exe, os.Args, os.Environ())
}
