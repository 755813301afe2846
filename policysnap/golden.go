package policysnap

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
)

// UpdateEnv is the environment variable that makes AssertGolden rewrite golden files
// instead of comparing them: UPDATE_GOLDEN=1 go test ./...
const UpdateEnv = "UPDATE_GOLDEN"

// Update reports whether golden files are rewritten instead of compared: when
// UPDATE_GOLDEN is set to 1 or true, or when the test binary itself defines a flag
// named update and it is set (go test ./pkg -update, for a package that defines it).
// The package registers no flag of its own, so importing it never clashes with a
// program's flags, and "UPDATE_GOLDEN=1 go test ./..." works in every test package.
func Update() bool {
	switch os.Getenv(UpdateEnv) {
	case "1", "true":
		return true
	}
	if f := flag.Lookup("update"); f != nil {
		return f.Value.String() == "true"
	}
	return false
}

// TB is the part of testing.TB that AssertGolden uses; a *testing.T is one. The
// package takes this interface, not testing.TB, so that it does not link the testing
// package into programs that use its other functions.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// updateHint tells how to accept a changed snapshot.
const updateHint = `run "UPDATE_GOLDEN=1 go test ./..." to accept, then review the diff as a security reviewer`

// AssertGolden compares got with the golden file at path. When Update reports true it
// writes got to path instead, creating missing directories. A missing golden file is a
// fatal error; a mismatch is reported with t.Errorf and a line diff (lines starting
// with "- " are in the golden file, "+ " are new). CRLF line endings in the golden
// file, as left by some Git checkouts, are read as LF.
func AssertGolden(t TB, path string, got []byte) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("create directory for golden file: %v", err)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
			return
		}
		t.Logf("updated golden file %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf(`golden file %s does not exist: run "UPDATE_GOLDEN=1 go test ./..." to create it, then review it as a security reviewer`, path)
		return
	}
	if err != nil {
		t.Fatalf("read golden file: %v", err)
		return
	}
	want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
	if bytes.Equal(want, got) {
		return
	}
	t.Errorf("policy snapshot differs from golden file %s (- golden, + current):\n%s\n%s",
		path, Diff(string(want), string(got)), updateHint)
}

// AssertTemplates takes a [Snapshot] of the policies of templates (stack
// name to template) and compares it with the golden file at path, see
// [AssertGolden].
func AssertTemplates(t TB, path string, templates map[string]map[string]any) {
	t.Helper()
	got, err := Snapshot(templates)
	if err != nil {
		t.Fatalf("policy snapshot: %v", err)
		return
	}
	AssertGolden(t, path, got)
}
