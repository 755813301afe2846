package stacks

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReplaceWordChangesWholeIDsAndAliasesOnly(t *testing.T) {
	cases := []struct{ in, old, new, want string }{
		// GIVEN an account ID among other digits
		{`"arn:aws:iam::200000000001:role/x" 1200000000001 2000000000012`, "200000000001", "200000000002",
			// THEN only the ID that no digit adjoins changes
			`"arn:aws:iam::200000000002:role/x" 1200000000001 2000000000012`},
		// GIVEN an alias in a stack name, in a longer alias and in a word
		{"Crosswire-spoke1-wiring spoke10 xspoke1 spoke1", "spoke1", "spoke7",
			// THEN hyphens separate it, letters and digits do not
			"Crosswire-spoke7-wiring spoke10 xspoke1 spoke7"},
		// GIVEN nothing to change
		{"Crosswire-hub", "spoke1", "spoke7", "Crosswire-hub"},
	}
	for _, c := range cases {
		in := isAliasChar
		if isDigit(c.old[0]) {
			in = isDigit
		}
		// WHEN the word is replaced
		if got := string(replaceWord([]byte(c.in), c.old, c.new, in)); got != c.want {
			t.Errorf("replaceWord(%q, %q, %q) = %q, want %q", c.in, c.old, c.new, got, c.want)
		}
	}
}

func TestNamesOthersFindsAnotherAccountOfTheShape(t *testing.T) {
	// GIVEN three accounts of one shape
	a := account{"spoke-a", "200000000001", "eu-west-1"}
	b := account{"spoke-b", "200000000002", "eu-west-1"}
	c := account{"spoke-c", "200000000003", "eu-west-1"}
	shape := []account{a, b, c}
	// WHEN a's template names only itself and the hub
	// THEN it names no other account of the shape
	if namesOthers([]byte(`Crosswire-spoke-a 200000000001 Crosswire-hub 100000000000`), a, shape) {
		t.Error("a template naming only its own account and the hub names others")
	}
	// WHEN it names b by ID, or c by alias
	// THEN it does
	for _, tpl := range []string{`arn:aws:iam::200000000002:root`, `account spoke-c`} {
		if !namesOthers([]byte(tpl), a, shape) {
			t.Errorf("%q names another account of the shape, undetected", tpl)
		}
	}
}

func TestCopyTreeKeepsTheModes(t *testing.T) {
	// GIVEN an asset folder with an executable and a plain file, under a strict umask
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "asset.x")
	modes := map[string]os.FileMode{"": 0o755, "bootstrap": 0o755, "data.json": 0o644}
	for name, mode := range modes {
		if name != "" {
			if err := os.WriteFile(filepath.Join(src, name), []byte(name), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(filepath.Join(src, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	// WHEN it is copied
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	// THEN the folder, the executable and the file keep their modes and contents
	for name, want := range modes {
		info, err := os.Stat(filepath.Join(dst, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%q: mode %v, want %v", name, info.Mode().Perm(), want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "bootstrap")); string(b) != "bootstrap" {
		t.Errorf("bootstrap holds %q", b)
	}
}
