package cdktest_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	// Every test binary of the module must know policysnap's -update flag.
	_ "github.com/crosswire/crosswire/policysnap"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// TestHelperCallsTheCDK is not a test: run as a child process by
// TestTestsRunOnThePinnedNode, it calls into the construct library, which starts
// jsii's Node, and prints the program that Node process runs.
func TestHelperCallsTheCDK(t *testing.T) {
	if os.Getenv("CDKTEST_HELPER") != "1" {
		t.Skip("run as a child process of TestTestsRunOnThePinnedNode")
	}
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Probe"), nil)
	if got := *stack.StackName(); got != "Probe" {
		t.Fatalf("stack name %q", got)
	}
	for _, exe := range childExecutables() {
		fmt.Println("child:", exe)
	}
}

// childExecutables lists the programs that this process's children run, from /proc
// (none where there is no /proc).
func childExecutables() []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The command name may hold spaces: the fields after it follow the last ')'.
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 2 || f[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil {
			out = append(out, exe)
		}
	}
	return out
}

func TestTestsRunOnThePinnedNode(t *testing.T) {
	// GIVEN a PATH whose first node is another one, which records that it was started
	// and fails, no pinned Node folder on PATH, and no JSII_NODE: what plain
	// `go test ./...` meets on a machine with an old Node
	root, err := cdktest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	pinnedDir := filepath.Join(root, filepath.FromSlash(cdktest.PinnedNodeDir))
	fake := t.TempDir()
	started := filepath.Join(fake, "started")
	script := fmt.Sprintf("#!/bin/sh\necho \"$@\" > %q\nexit 1\n", started)
	if err := os.WriteFile(filepath.Join(fake, "node"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := []string{fake}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if filepath.Clean(dir) != pinnedDir {
			path = append(path, dir)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCallsTheCDK$")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "JSII_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+strings.Join(path, string(os.PathListSeparator)), "CDKTEST_HELPER=1")

	// WHEN a CDK test binary (this one) runs a test that calls into the construct
	// library
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()

	// THEN the test passed, the other node was never started, and where /proc tells,
	// jsii's Node was the pinned one
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if raw, err := os.ReadFile(started); err == nil {
		t.Errorf("the node first on PATH was started with %s", raw)
	}
	want, err := filepath.EvalSymlinks(filepath.Join(pinnedDir, "node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/proc/self/exe"); err == nil && !strings.Contains(out.String(), "child: "+want+"\n") {
		t.Errorf("no child of the test binary runs %s:\n%s", want, out.String())
	}
}

func TestTestsStopAtOnceWithoutThePinnedNode(t *testing.T) {
	// GIVEN a checkout (a folder with cdk.json) where scripts/setup has not run
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCallsTheCDK$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CDKTEST_HELPER=1")

	// WHEN a CDK test binary runs there
	out, err := cmd.CombinedOutput()

	// THEN it fails before any test runs, saying to run scripts/setup
	want := "cdktest: the pinned Node (" + filepath.Join(dir, "tools", "node_modules", ".bin", "node") + ") is not installed: run scripts/setup\n"
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || string(out) != want {
		t.Errorf("%v, output:\n%s\nwant exit code 1 and:\n%s", err, out, want)
	}
}
