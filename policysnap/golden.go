package policysnap

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// update is set by "go test ./... -update".
var update = flag.Bool("update", false, "rewrite golden files under testdata/ instead of comparing")

// Update reports whether the -update flag is set, that is whether golden
// files are rewritten instead of compared.
func Update() bool {
	return *update
}

// updateHint tells how to accept a changed snapshot.
const updateHint = `run "go test ./... -update" to accept, then review the diff as a security reviewer`

// AssertGolden compares got with the golden file at path. With -update it
// writes got to path instead, creating missing directories. A missing
// golden file is a fatal error; a mismatch is reported with t.Errorf and a
// line diff (lines starting with "- " are in the golden file, "+ " are
// new). CRLF line endings in the golden file, as left by some Git
// checkouts, are read as LF.
func AssertGolden(t testing.TB, path string, got []byte) {
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
		t.Fatalf(`golden file %s does not exist: run "go test ./... -update" to create it, then review it as a security reviewer`, path)
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
func AssertTemplates(t testing.TB, path string, templates map[string]map[string]any) {
	t.Helper()
	got, err := Snapshot(templates)
	if err != nil {
		t.Fatalf("policy snapshot: %v", err)
		return
	}
	AssertGolden(t, path, got)
}
