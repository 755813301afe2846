package othermodule_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// snippet is one Go code block of a README.
type snippet struct {
	file string
	line int
	code string
}

// goSnippets returns the ```go blocks of the READMEs under root: the root README and
// each folder's under constructs/.
func goSnippets(t *testing.T, root string) []snippet {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "constructs", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "ARCHITECTURE.md")}, files...)
	var out []snippet
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		var cur *snippet
		for i, line := range strings.Split(string(raw), "\n") {
			switch {
			case cur == nil && strings.TrimSpace(line) == "```go":
				cur = &snippet{file: rel, line: i + 1}
			case cur != nil && strings.TrimSpace(line) == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.code += line + "\n"
			}
		}
	}
	return out
}

var packageClause = regexp.MustCompile(`(?m)^package ([a-z_]+)`)

func TestREADMEGoSnippetsBuildInAnotherModule(t *testing.T) {
	// GIVEN every Go snippet of the READMEs, each a whole file, in a module of its own
	// that depends on this one, as another team's module would
	root := repoRoot(t)
	snippets := goSnippets(t, root)
	if len(snippets) == 0 {
		t.Fatal("no Go snippet found in the READMEs")
	}
	app := t.TempDir()
	goMod := fmt.Sprintf("module example.com/snippets\n\n%s\n\nrequire %s v0.0.0\n\nreplace %s => %s\n",
		goDirective(t, root), modulePath, modulePath, root)
	writeFile(t, filepath.Join(app, "go.mod"), goMod)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(app, "go.sum"), string(sum))
	where := map[string]string{}
	for i, s := range snippets {
		m := packageClause.FindStringSubmatch(s.code)
		if m == nil {
			t.Errorf("%s:%d: a Go snippet must be a whole file, starting with its package clause, so that this test can build it", s.file, s.line)
			continue
		}
		dir := fmt.Sprintf("s%02d", i)
		name := "main.go"
		if strings.HasSuffix(m[1], "_test") || strings.Contains(s.code, "*testing.T") {
			name = "snippet_test.go"
		}
		if err := os.MkdirAll(filepath.Join(app, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(app, dir, name), s.code)
		where[dir] = fmt.Sprintf("%s:%d", s.file, s.line)
	}
	env := appEnv(t, root)
	run(t, app, env, "go", "mod", "tidy")

	// WHEN the module is built and vetted (which compiles test files too)
	// THEN every snippet compiles against the public API
	for dir, at := range where {
		cmdOut, err := runErr(app, env, "go", "vet", "./"+dir)
		if err != nil {
			t.Errorf("the snippet at %s does not build:\n%s", at, cmdOut)
		}
	}
}

// runErr runs name with args in dir and returns its combined output and error.
func runErr(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}
