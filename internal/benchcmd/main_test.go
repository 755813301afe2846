package benchcmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEveryWayOutSaysWhyAndLeavesNoJsiiRuntime(t *testing.T) {
	// GIVEN the crosswire command built as users build it; bench runs the app through
	// the CDK CLI and links no CDK itself, so it never unpacks the jsii runtime
	bin := filepath.Join(t.TempDir(), "crosswire")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/crosswire").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"help", []string{"-h"}, 0, []string{
			"usage: crosswire bench [flags]",
			"Measures synthesis at scale",
			"let the queue, bus and topic links admit it",
		}},
		{"an unknown flag", []string{"-nosuch"}, 2, []string{"flag provided but not defined: -nosuch", "usage: crosswire bench [flags]"}},
		{"a bad flag value", []string{"-runs", "0"}, 2, []string{"crosswire bench: -runs 0: must be at least 1"}},
		{"a stray argument", []string{"500"}, 2, []string{`crosswire bench: unexpected arguments ["500"]; every setting is a flag`}},
		{"a bad list of sizes", []string{"-n", "10,x"}, 1, []string{`crosswire bench: -n "10,x": "x" is not a positive number`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a temporary directory of its own
			tmp := t.TempDir()
			cmd := exec.Command(bin, append([]string{"bench"}, c.args...)...)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr

			// WHEN the command runs and stops without synthesizing
			err := cmd.Run()
			if _, exited := err.(*exec.ExitError); err != nil && !exited {
				t.Fatal(err)
			}

			// THEN it exits with the code for that way out, says why or what it does, and
			// leaves no jsii runtime folder behind
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Errorf("exit code %d, want %d", code, c.code)
			}
			for _, want := range c.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			entries, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "jsii-") {
					t.Errorf("%s left %s in TMPDIR", c.args, e.Name())
				}
			}
		})
	}
}
