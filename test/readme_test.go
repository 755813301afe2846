package test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeSample is a sample output in the README: the block that follows a comment
// <!-- output: file -->, which names the topology file it is the output for.
type readmeSample struct {
	file string
	line int // of the comment
	text string
}

// readmeSamples returns the README's sample outputs, failing the test when a marker
// is not followed by a fenced block.
func readmeSamples(t *testing.T, path string) []readmeSample {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeSample
	lines := strings.Split(string(raw), "\n")
	for i := 0; i < len(lines); i++ {
		file, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "<!-- output:")
		if !ok {
			continue
		}
		file, ok = strings.CutSuffix(file, "-->")
		if !ok || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			t.Fatalf("%s:%d: a sample marker is <!-- output: file --> on a line of its own, right before a fenced block", path, i+1)
		}
		s := readmeSample{file: strings.TrimSpace(file), line: i + 1}
		var b strings.Builder
		j := i + 2
		for ; j < len(lines) && lines[j] != "```"; j++ {
			b.WriteString(lines[j] + "\n")
		}
		if j == len(lines) {
			t.Fatalf("%s:%d: the sample's block never ends", path, i+1)
		}
		s.text = b.String()
		out = append(out, s)
		i = j
	}
	return out
}

// cdkSynth runs `scripts/cdk synth` on the topology file (relative to the repository
// root) as a user does, and returns what it prints without the lines that `go run` and
// the CDK CLI add after a failed app (exit status 1, Subprocess exited with error 1),
// and whether it failed.
func cdkSynth(t *testing.T, file string) (string, bool) {
	t.Helper()
	outdir := filepath.Join(tmpRoot, "readme-"+strings.ReplaceAll(file, "/", "_")+".out")
	cmd := exec.Command("scripts/cdk", "synth", "--quiet", "-c", "topology="+file, "-o", outdir)
	cmd.Dir = ".."
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CDK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatal(err)
	}
	var kept []string
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(string(out), outdir, "cdk.out")))
	for sc.Scan() {
		l := sc.Text()
		if l != "exit status 1" && !strings.HasSuffix(l, ": Subprocess exited with error 1") {
			kept = append(kept, l+"\n")
		}
	}
	return strings.Join(kept, ""), err != nil
}

func TestReadmeShowsWhatTheAppPrints(t *testing.T) {
	// GIVEN the README's sample outputs of bad input, each marked with its topology file
	samples := readmeSamples(t, "../README.md")
	if len(samples) < 3 {
		t.Fatalf("the README marks %d sample outputs, want at least 3 (five mistakes, tabs, quota)", len(samples))
	}
	for _, s := range samples {
		t.Run(s.file, func(t *testing.T) {
			// WHEN scripts/cdk synth runs on that file
			got, failed := cdkSynth(t, s.file)

			// THEN it fails and prints exactly the sample
			if !failed {
				t.Errorf("scripts/cdk synth -c topology=%s succeeded", s.file)
			}
			if got != s.text {
				t.Errorf("README.md:%d shows\n%s\nbut scripts/cdk synth -c topology=%s prints\n%s", s.line, s.text, s.file, got)
			}
		})
	}
}
