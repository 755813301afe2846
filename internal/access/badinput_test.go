package access

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadInputIsNamed(t *testing.T) {
	policyStack := func(statement any) func(t *testing.T) string {
		return func(t *testing.T) string { return writeAssembly(t, queueStack(statement)) }
	}
	cases := []struct {
		name  string
		setup func(t *testing.T) string // returns the directory to read
		// want are parts of the error; {dir} stands for the directory.
		want []string
	}{
		{"a directory that does not exist", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") },
			[]string{`"{dir}" is not a cloud assembly: no such directory`}},
		{"a file, not a directory", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			return f
		}, []string{`"{dir}" is not a cloud assembly: not a directory`}},
		{"a directory without manifest.json", func(t *testing.T) string { return t.TempDir() },
			[]string{`"{dir}" is not a cloud assembly: it has no manifest.json`}},
		{"a manifest that is not JSON", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{"), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}, []string{"{dir}/manifest.json: not a cloud assembly manifest"}},
		{"a template that is not valid JSON", func(t *testing.T) string {
			dir := writeAssembly(t, queueStack(tlsDeny))
			if err := os.WriteFile(filepath.Join(dir, "Recv.template.json"), []byte(`{"Resources": {`), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}, []string{"{dir}/Recv.template.json: not a valid JSON template"}},
		{"a stack without an account", func(t *testing.T) string {
			dir := writeAssembly(t, queueStack(tlsDeny))
			writeJSON(t, filepath.Join(dir, ManifestFile), map[string]any{"artifacts": map[string]any{"Recv": map[string]any{
				"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
				"properties": map[string]any{"templateFile": "Recv.template.json"}}}})
			return dir
		}, []string{`{dir}/manifest.json: artifacts.Recv.environment: "aws://unknown-account/unknown-region" names no account and region`}},
		{"a Principal of unknown shape", policyStack(allow(42.0, nil)),
			[]string{"{dir}/Recv.template.json: resource JobsPolicy (AWS::SQS::QueuePolicy): PolicyDocument.Statement[0].Principal: unknown shape 42"}},
		{"an unknown principal type", policyStack(allow(map[string]any{"Account": otherAccount}, nil)),
			[]string{`PolicyDocument.Statement[0].Principal: unknown principal type "Account"`}},
		{"an unknown condition operator", policyStack(allow(map[string]any{"AWS": otherAccount}, map[string]any{"StrngEquals": map[string]any{"aws:SourceVpce": "v"}})),
			[]string{`resource JobsPolicy (AWS::SQS::QueuePolicy): PolicyDocument.Statement[0].Condition.StrngEquals: unknown condition operator "StrngEquals"`}},
		{"an unknown statement element", policyStack(map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Principals": "*"}),
			[]string{`PolicyDocument.Statement[0]: unknown element "Principals" of a statement`}},
		{"an Effect that is neither Allow nor Deny", policyStack(map[string]any{"Effect": "Maybe", "Action": "sqs:SendMessage", "Principal": "*"}),
			[]string{`PolicyDocument.Statement[0].Effect: "Maybe", want "Allow" or "Deny"`}},
		{"an Action of unknown shape", policyStack(map[string]any{"Effect": "Allow", "Action": map[string]any{"sqs": "Send"}, "Principal": "*"}),
			[]string{`PolicyDocument.Statement[0].Action: unknown shape an object {"sqs"}`}},
		{"a Statement that is a string", func(t *testing.T) string {
			s := queueStack()
			s.resources["JobsPolicy"].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"] = map[string]any{"Statement": "allow all"}
			return writeAssembly(t, s)
		}, []string{`PolicyDocument.Statement: unknown shape "allow all"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN bad input
			dir := c.setup(t)
			// WHEN it is read and analyzed
			a, err := LoadAssembly(dir)
			if err == nil {
				_, err = Analyze(a)
			}
			// THEN the error names the file and the element
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				w = strings.ReplaceAll(w, "{dir}", dir)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBadReportFilesAreNamed(t *testing.T) {
	cases := []struct {
		name, content, want string
	}{
		{"not JSON", "x", ": not a JSON access report"},
		{"JSON of another format", `{"format": "other/1"}`, `: format "other/1", want "crosswire-access/1" (the output of crosswire access -json)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a file that is not a report of crosswire access -json
			f := filepath.Join(t.TempDir(), "old.json")
			if err := os.WriteFile(f, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			// WHEN it is loaded as a report
			_, err := Load(f)
			// THEN the error names the file and what is wrong
			if err == nil || !strings.Contains(err.Error(), f+c.want) {
				t.Errorf("error %v, want %q", err, f+c.want)
			}
		})
	}
}
