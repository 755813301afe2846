package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/access"

	// Every test package of the module imports policysnap, which defines the -update
	// flag that `go test ./... -update` passes to every test binary.
	_ "github.com/crosswire/crosswire/policysnap"
)

// runCLI runs the command line and returns its exit code and outputs.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// assembly writes a cloud assembly with one stack of account 222222222222 holding a
// queue whose policy has the statements, and returns its directory.
func assembly(t *testing.T, statements ...any) string {
	t.Helper()
	dir := t.TempDir()
	tmpl := map[string]any{"Resources": map[string]any{
		"Jobs": map[string]any{"Type": "AWS::SQS::Queue", "Properties": map[string]any{"QueueName": "jobs"}},
		"JobsPolicy": map[string]any{"Type": "AWS::SQS::QueuePolicy", "Properties": map[string]any{
			"Queues": []any{map[string]any{"Ref": "Jobs"}}, "PolicyDocument": map[string]any{"Statement": statements}}},
	}}
	manifest := map[string]any{"version": "55.0.0", "artifacts": map[string]any{"Recv": map[string]any{
		"type": "aws:cloudformation:stack", "environment": "aws://222222222222/eu-west-1",
		"properties": map[string]any{"templateFile": "Recv.template.json"}}}}
	for name, v := range map[string]any{"Recv.template.json": tmpl, "manifest.json": manifest} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// send is an Allow of sqs:SendMessage to account 111111111111's roles.
func send(roles ...any) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"},
		"Resource":  map[string]any{"Fn::GetAtt": []any{"Jobs", "Arn"}},
		"Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": roles}}}
}

const (
	roleA = "arn:aws:iam::111111111111:role/a"
	roleB = "arn:aws:iam::111111111111:role/b"
)

func TestDoesNotLinkTheCDK(t *testing.T) {
	// GIVEN the crosswire command
	// WHEN its dependencies are listed
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	// THEN neither the CDK, nor jsii, nor the testing package is among them
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %d packages: %s", len(deps), out)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/aws/aws-cdk-go") || strings.HasPrefix(d, "github.com/aws/jsii-runtime-go") || d == "testing" {
			t.Errorf("crosswire links %s", d)
		}
	}
}

func TestUsage(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		noStdout bool
	}{
		{name: "no subcommand", args: nil, code: 2, stderr: "subcommands:\n  send ", noStdout: true},
		{name: "an unknown subcommand lists them", args: []string{"acces"}, code: 2, stderr: `crosswire: unknown subcommand "acces"; subcommands: send, access, graph, bench`, noStdout: true},
		{name: "-h", args: []string{"-h"}, code: 0, stdout: "  graph    draw the accounts and links"},
		{name: "access -h says what it does", args: []string{"access", "-h"}, code: 0, stderr: "lists every grant that crosses an account boundary", noStdout: true},
		{name: "access diff -h says what it does", args: []string{"access", "diff", "-h"}, code: 0, stderr: "access diff compares the cross-account grants of OLD and NEW", noStdout: true},
		{name: "graph -h says what it does", args: []string{"graph", "-h"}, code: 0, stderr: "graph draws the accounts (alias and ID) and links", noStdout: true},
		{name: "access without a directory", args: []string{"access"}, code: 2, stderr: "want one cloud assembly directory, got 0 arguments", noStdout: true},
		{name: "access with an unknown flag", args: []string{"access", "-yaml", "x"}, code: 2, stderr: "flag provided but not defined: -yaml", noStdout: true},
		{name: "access diff with one argument", args: []string{"access", "diff", "old"}, code: 2, stderr: "want OLD and NEW, got 1 arguments", noStdout: true},
		{name: "graph with two arguments", args: []string{"graph", "a", "b"}, code: 2, stderr: "want at most one", noStdout: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a command line
			// WHEN it runs
			code, stdout, stderr := runCLI(c.args...)
			// THEN the exit code and the message say what is wrong or what it does
			if code != c.code {
				t.Errorf("exit code %d, want %d", code, c.code)
			}
			if !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", stdout, stderr, c.stdout, c.stderr)
			}
			if c.noStdout && stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

func TestDiffHelpWritesDownEveryWideningRule(t *testing.T) {
	// GIVEN the diff's widening rules
	// WHEN its help is shown
	_, _, stderr := runCLI("access", "diff", "-h")
	// THEN it lists every one, and the exit codes
	for _, r := range access.WideningRules {
		if !strings.Contains(stderr, r) {
			t.Errorf("help lacks rule %q", r)
		}
	}
	if !strings.Contains(stderr, "0 nothing widened; 3 something widened; 2 bad usage or bad input (wins\nover 3)") {
		t.Errorf("help lacks the exit codes:\n%s", stderr)
	}
}

func TestAccessReport(t *testing.T) {
	dir := assembly(t, send(roleA))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"Markdown by default", []string{"access", dir}, "- **account 111111111111, only arn:aws:iam::111111111111:role/a (ArnEquals aws:PrincipalArn)**: `sqs:SendMessage`"},
		{"JSON with -json", []string{"access", "-json", dir}, `"format": "crosswire-access/1"`},
		{"a flag after the directory", []string{"access", dir, "-json"}, `"kind": "account"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a cloud assembly with a grant to another account
			// WHEN crosswire access runs on it
			code, stdout, stderr := runCLI(c.args...)
			// THEN it prints the report and exits 0
			if code != 0 || !strings.Contains(stdout, c.want) {
				t.Errorf("exit code %d, stdout:\n%s\nstderr: %s\nwant %q", code, stdout, stderr, c.want)
			}
		})
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	notJSON := assembly(t, send(roleA))
	if err := os.WriteFile(filepath.Join(notJSON, "Recv.template.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	badShape := assembly(t, map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": []any{"*"}})
	empty := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a folder that is not a cloud assembly", []string{"access", empty}, `crosswire access: "` + empty + `" is not a cloud assembly: it has no manifest.json`},
		{"a template that is not JSON", []string{"access", notJSON}, filepath.Join(notJSON, "Recv.template.json") + ": not a valid JSON template"},
		{"a policy element of unknown shape", []string{"access", badShape},
			filepath.Join(badShape, "Recv.template.json") + ": resource JobsPolicy (AWS::SQS::QueuePolicy): PolicyDocument.Statement[0].Principal: unknown shape a list of 1"},
		{"graph of a folder that is not a cloud assembly", []string{"graph", empty}, "is not a cloud assembly"},
		{"graph of a topology file that does not exist", []string{"graph", filepath.Join(empty, "nope.yaml")}, "no such file or directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN bad input
			// WHEN crosswire runs on it
			code, stdout, stderr := runCLI(c.args...)
			// THEN it exits 2 with an error naming the file and the element
			if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Errorf("exit code %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, c.want)
			}
		})
	}
}

func TestAccessDiffExitCodes(t *testing.T) {
	one := assembly(t, send(roleA))
	two := assembly(t, send(roleA, roleB))
	notAssembly := t.TempDir()
	cases := []struct {
		name     string
		old, new string
		code     int
		want     string
	}{
		{"nothing changed", one, one, 0, "Access widened: no."},
		{"a role added widens", one, two, 3, "more principals: arn:aws:iam::111111111111:role/b (ArnEquals aws:PrincipalArn) was not admitted"},
		{"a role removed only narrows", two, one, 0, "fewer principals: arn:aws:iam::111111111111:role/b"},
		{"bad NEW input wins over a widening", one, notAssembly, 2, "is not a cloud assembly"},
		{"bad OLD input", notAssembly, two, 2, "is not a cloud assembly"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN two cloud assemblies
			// WHEN crosswire access diff compares them
			code, stdout, stderr := runCLI("access", "diff", c.old, c.new)
			// THEN the exit code says whether access widened, or that the input is bad
			if code != c.code || !strings.Contains(stdout+stderr, c.want) {
				t.Errorf("exit code %d, want %d; output:\n%s%s\nwant %q", code, c.code, stdout, stderr, c.want)
			}
		})
	}
}

func TestAccessDiffOfAJSONReport(t *testing.T) {
	// GIVEN the JSON report of an assembly, kept from an earlier run
	old := filepath.Join(t.TempDir(), "old.json")
	code, stdout, _ := runCLI("access", "-json", assembly(t, send(roleA)))
	if code != 0 {
		t.Fatalf("access -json exit code %d", code)
	}
	if err := os.WriteFile(old, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	// WHEN it is compared, as JSON, with an assembly that admits one more role
	code, stdout, stderr := runCLI("access", "diff", "-json", old, assembly(t, send(roleA, roleB)))
	// THEN the diff is JSON naming the widened grant, and the exit code is 3
	var d access.Diff
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s%s", err, stdout, stderr)
	}
	if code != 3 || len(d.Widened) != 1 || len(d.Added)+len(d.Removed)+len(d.Narrowed) != 0 {
		t.Errorf("exit code %d, diff %+v; want 3 and one widened grant", code, d)
	}
}

func TestGraph(t *testing.T) {
	cases := []struct {
		name string
		arg  string
		want string
	}{
		{"from a topology file", "../../topology.yaml", `  acct111111111111 -->|"queue invoices (queue-policy)"| acct222222222222`},
		{"from a cloud assembly without links", assembly(t, send(roleA)), "flowchart LR\n  acct222222222222[\"222222222222\"]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a topology file or cloud assembly
			// WHEN crosswire graph draws it
			code, stdout, stderr := runCLI("graph", c.arg)
			// THEN it prints a Mermaid flowchart and exits 0
			if code != 0 || !strings.HasPrefix(stdout, "flowchart LR\n") || !strings.Contains(stdout, c.want) {
				t.Errorf("exit code %d, stdout:\n%s\nstderr: %s\nwant %q", code, stdout, stderr, c.want)
			}
		})
	}
}
