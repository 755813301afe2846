package access

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	// Every test package of the module imports policysnap, which defines the -update
	// flag that `go test ./... -update` passes to every test binary.
	_ "github.com/crosswire/crosswire/policysnap"
)

// Accounts of the fixtures.
const (
	ownAccount   = "222222222222"
	otherAccount = "111111111111"
	thirdAccount = "333333333333"
)

// stackFixture is a stack of a cloud assembly written by a test.
type stackFixture struct {
	name, account string
	// resources is the template's Resources.
	resources map[string]any
}

// writeAssembly writes a cloud assembly of the stacks into a new directory.
func writeAssembly(t *testing.T, stacks ...stackFixture) string {
	t.Helper()
	dir := t.TempDir()
	arts := map[string]any{}
	for _, s := range stacks {
		arts[s.name] = map[string]any{
			"type":        "aws:cloudformation:stack",
			"environment": "aws://" + s.account + "/eu-west-1",
			"properties":  map[string]any{"templateFile": s.name + ".template.json"},
		}
		writeJSON(t, filepath.Join(dir, s.name+".template.json"), map[string]any{"Resources": s.resources})
	}
	writeJSON(t, filepath.Join(dir, ManifestFile), map[string]any{"version": "55.0.0", "artifacts": arts})
	return dir
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// analyze reads and analyzes the assembly in dir.
func analyze(t *testing.T, dir string) *Report {
	t.Helper()
	a, err := LoadAssembly(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// queueStack is a stack of ownAccount with a queue "jobs" whose queue policy holds
// statements.
func queueStack(statements ...any) stackFixture {
	return stackFixture{name: "Recv", account: ownAccount, resources: map[string]any{
		"Jobs": map[string]any{"Type": "AWS::SQS::Queue", "Properties": map[string]any{"QueueName": "jobs"},
			"Metadata": map[string]any{"aws:cdk:path": "Recv/jobs/Queue/Resource"}},
		"JobsPolicy": map[string]any{"Type": "AWS::SQS::QueuePolicy", "Properties": map[string]any{
			"Queues":         []any{map[string]any{"Ref": "Jobs"}},
			"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": statements},
		}},
	}}
}

// queueArn is the ARN of the queue of queueStack.
var queueArn = map[string]any{"Fn::GetAtt": []any{"Jobs", "Arn"}}

// allow is an Allow statement of sqs:SendMessage on the queue of queueStack.
func allow(principal any, condition map[string]any) map[string]any {
	st := map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": principal, "Resource": queueArn}
	if condition != nil {
		st["Condition"] = condition
	}
	return st
}

// tlsDeny is the usual Deny of requests without TLS on the queue of queueStack.
var tlsDeny = map[string]any{"Effect": "Deny", "Action": "sqs:*", "Principal": map[string]any{"AWS": "*"},
	"Resource": queueArn, "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}

func root(account string) string { return "arn:aws:iam::" + account + ":root" }

func role(account, name string) string { return "arn:aws:iam::" + account + ":role/" + name }

// grantKeys renders each grant as "principal-key actions roles", sorted.
func grantKeys(r *Report) []string {
	var out []string
	for _, g := range r.Grants() {
		s := g.Principal.Key() + " " + g.actionSet().String()
		for _, rm := range g.Principal.Roles {
			s += " " + rm.ARN
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func joined(list []string) string { return strings.Join(list, "\n") }

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
