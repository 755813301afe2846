package policysnap_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/policysnap"
)

// fakeTB records Errorf, Fatalf and Logf calls instead of failing the test.
// Like the real Fatalf it does not stop the caller, so AssertGolden must
// return after Fatalf by itself.
type fakeTB struct {
	testing.TB
	errors, fatals, logs []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

// update is this test binary's own -update flag, which Update honours too.
var update = flag.Bool("update", false, "rewrite golden files (as UPDATE_GOLDEN=1 does)")

// setUpdate sets UPDATE_GOLDEN for the duration of the test.
func setUpdate(t *testing.T, value bool) {
	t.Helper()
	if *update {
		t.Skip("-update given: the comparison cases need it off")
	}
	v := "0"
	if value {
		v = "1"
	}
	t.Setenv(policysnap.UpdateEnv, v)
	if policysnap.Update() != value {
		t.Fatalf("Update() = %v with %s=%s", policysnap.Update(), policysnap.UpdateEnv, v)
	}
}

func TestUpdateHonoursTheEnvironmentAndTheBinarysOwnFlag(t *testing.T) {
	cases := []struct {
		env, flag string
		want      bool
	}{
		{"", "false", false},
		{"1", "false", true},
		{"true", "false", true},
		{"0", "false", false},
		{"", "true", true},
	}
	for _, c := range cases {
		// GIVEN UPDATE_GOLDEN and the binary's -update flag
		t.Setenv(policysnap.UpdateEnv, c.env)
		old := flag.Lookup("update").Value.String()
		if err := flag.Set("update", c.flag); err != nil {
			t.Fatal(err)
		}
		// WHEN Update is asked
		got := policysnap.Update()
		if err := flag.Set("update", old); err != nil {
			t.Fatal(err)
		}
		// THEN either one turns rewriting on
		if got != c.want {
			t.Errorf("UPDATE_GOLDEN=%q -update=%s: Update() = %v, want %v", c.env, c.flag, got, c.want)
		}
	}
}

func TestAssertGolden(t *testing.T) {
	const snapshot = "{\n  \"S\": [\n    \"a\",\n    \"b\"\n  ]\n}\n"
	tests := []struct {
		name       string
		update     bool
		existing   *string // golden file content before the call, nil: none
		wantFile   string  // golden file content after the call
		wantErrors []string
		wantFatals []string
	}{
		{
			name:     "update writes a new file in new directories",
			update:   true,
			wantFile: snapshot,
		},
		{
			name:     "update overwrites an outdated file",
			update:   true,
			existing: ptr("{}\n"),
			wantFile: snapshot,
		},
		{
			name:     "matching file passes",
			existing: ptr(snapshot),
			wantFile: snapshot,
		},
		{
			name:     "CRLF line endings in the golden file match",
			existing: ptr(strings.ReplaceAll(snapshot, "\n", "\r\n")),
			wantFile: strings.ReplaceAll(snapshot, "\n", "\r\n"),
		},
		{
			name:     "mismatch reports path, diff and hint",
			existing: ptr(strings.Replace(snapshot, `"b"`, `"c"`, 1)),
			wantFile: strings.Replace(snapshot, `"b"`, `"c"`, 1),
			wantErrors: []string{
				"golden.json",
				"@@ line 1: S @@\n",
				"\n-     \"c\"\n+     \"b\"\n",
				`run "UPDATE_GOLDEN=1 go test ./..." to accept, then review the diff as a security reviewer`,
			},
		},
		{
			name:       "missing file is fatal",
			wantFatals: []string{"golden.json", `run "UPDATE_GOLDEN=1 go test ./..."`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN UPDATE_GOLDEN and maybe an existing golden file
			setUpdate(t, tt.update)
			path := filepath.Join(t.TempDir(), "testdata", "nested", "golden.json")
			if tt.existing != nil {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(*tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fake := &fakeTB{}

			// WHEN the snapshot is asserted
			policysnap.AssertGolden(fake, path, []byte(snapshot))

			// THEN the expected failures are reported and the file has the
			// expected content
			checkReports(t, "Errorf", fake.errors, tt.wantErrors)
			checkReports(t, "Fatalf", fake.fatals, tt.wantFatals)
			content, err := os.ReadFile(path)
			switch {
			case tt.wantFile == "" && err == nil:
				t.Errorf("golden file was created: %q", content)
			case tt.wantFile != "" && err != nil:
				t.Errorf("read golden file: %v", err)
			case tt.wantFile != "" && string(content) != tt.wantFile:
				t.Errorf("golden file = %q, want %q", content, tt.wantFile)
			}
		})
	}
}

// checkReports checks that there is exactly one report containing all of
// want, or no report when want is empty.
func checkReports(t *testing.T, kind string, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		if len(got) != 0 {
			t.Errorf("unexpected %s: %q", kind, got)
		}
		return
	}
	if len(got) != 1 {
		t.Errorf("got %d %s calls %q, want 1", len(got), kind, got)
		return
	}
	for _, w := range want {
		if !strings.Contains(got[0], w) {
			t.Errorf("%s message does not contain %q:\n%s", kind, w, got[0])
		}
	}
}

func ptr(s string) *string { return &s }

func TestAssertTemplates(t *testing.T) {
	tests := []struct {
		name       string
		templates  map[string]map[string]any
		wantFatals []string
	}{
		{
			name:      "valid templates match the golden file",
			templates: map[string]map[string]any{"S": decodeMap(t, baseTemplate)},
		},
		{
			name: "invalid template is fatal",
			templates: map[string]map[string]any{
				"S": decodeMap(t, `{"Resources":{"K":{"Type":"AWS::KMS::Key","Properties":{"KeyPolicy":"{"}}}}`),
			},
			wantFatals: []string{"policy snapshot: stack S:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a golden file holding the snapshot of the base template
			setUpdate(t, false)
			path := filepath.Join(t.TempDir(), "policies.json")
			golden, err := policysnap.Snapshot(map[string]map[string]any{"S": decodeMap(t, baseTemplate)})
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, golden, 0o644); err != nil {
				t.Fatal(err)
			}
			fake := &fakeTB{}

			// WHEN the templates are asserted against it
			policysnap.AssertTemplates(fake, path, tt.templates)

			// THEN only the expected failures are reported
			checkReports(t, "Errorf", fake.errors, nil)
			checkReports(t, "Fatalf", fake.fatals, tt.wantFatals)
		})
	}
}

func TestAssertTemplates_CheckedInGolden(t *testing.T) {
	// GIVEN a stack with a role, policies and a queue policy
	templates := map[string]map[string]any{"ExampleStack": decodeMap(t, baseTemplate)}

	// WHEN its policies are asserted against the checked-in golden file
	// THEN they match (run "UPDATE_GOLDEN=1 go test ./policysnap" to rewrite it)
	policysnap.AssertTemplates(t, "testdata/example.golden.json", templates)
}
