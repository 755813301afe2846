package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/crosswire/crosswire/topology"
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

func TestShapeKeyTellsAccountsApartByWhatTheirStacksDependOn(t *testing.T) {
	// GIVEN receivers of two hubs' topics, one with alarm e-mails, one with delivery
	// options of its own
	topo, err := topology.Parse("shapes.yaml", []byte(`
region: eu-west-1
accounts:
  hub-a: "100000000001"
  hub-b: "100000000002"
  s1: "200000000001"
  s2: "200000000002"
  s3: "200000000003"
  s4: "200000000004"
  s5: "200000000005"
links:
  - {name: to-a, kind: topic, from: hub-a, to: [s1, s2, s3, s5], options: {receivers: {s3: {rawMessageDelivery: true}}}}
  - {name: to-b, kind: topic, from: hub-b, to: [s4]}
alarms:
  emails: {s2: [ops@example.com]}
`))
	if err != nil {
		t.Fatal(err)
	}
	key := func(alias string) string {
		var refs []StackRef
		for _, r := range planned(topo) {
			if r.Alias == alias {
				refs = append(refs, r)
			}
		}
		return shapeKey(topo, account{alias, topo.AccountID(alias), "eu-west-1"}, refs)
	}
	// WHEN their shape keys are compared
	// THEN s1 has a shape of its own against each of the others: e-mails (s2), its
	// own delivery options (s3), another hub (s4)
	for _, other := range []string{"s2", "s3", "s4"} {
		if key("s1") == key(other) {
			t.Errorf("s1 and %s have the same shape", other)
		}
	}
	// AND s5, which receives from the same hub in the same way, has s1's shape
	if key("s1") != key("s5") {
		t.Errorf("s1 and s5 have different shapes:\n%s\n%s", key("s1"), key("s5"))
	}
	// AND the key leaves the account's own ID and alias out
	if k := key("s1"); strings.Contains(k, "200000000001") || strings.Contains(k, `s1"`) {
		t.Errorf("the key of s1 names it: %s", k)
	}
}
