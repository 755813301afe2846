package stacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeAssembly writes a cloud assembly of the given stacks (name -> environment
// and resources) into a new directory and returns it.
func writeAssembly(t *testing.T, stacks map[string]struct {
	env       string
	resources map[string]any
}) string {
	t.Helper()
	dir := t.TempDir()
	artifacts := map[string]any{}
	for name, s := range stacks {
		file := name + ".template.json"
		artifacts[name] = map[string]any{"type": "aws:cloudformation:stack", "environment": s.env, "properties": map[string]any{"templateFile": file}}
		raw, _ := json.Marshal(map[string]any{"Resources": s.resources})
		if err := os.WriteFile(filepath.Join(dir, file), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := json.Marshal(map[string]any{"artifacts": artifacts})
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheckNamesPerRegionAndRolesPerAccount(t *testing.T) {
	// GIVEN one account's stacks in two regions, each creating a queue "jobs" and a
	// role "jobs-producer"
	res := func(role string) map[string]any {
		return map[string]any{
			"Queue": map[string]any{"Type": "AWS::SQS::Queue", "Properties": map[string]any{"QueueName": "jobs"}},
			"Role":  map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"RoleName": role}},
		}
	}
	dir := writeAssembly(t, map[string]struct {
		env       string
		resources map[string]any
	}{
		"Crosswire-shop-eu-west-1": {"aws://222222222222/eu-west-1", res("jobs-producer")},
		"Crosswire-shop-us-east-1": {"aws://222222222222/us-east-1", res("Jobs-Producer")},
	})
	// WHEN the names are checked
	err := CheckNames(dir)
	// THEN the queues, one per region, are no problem, and the role, global to the
	// account, is reported once with both stacks
	if err == nil {
		t.Fatal("no problem reported for a role created in two regions of one account")
	}
	msg := err.Error()
	if strings.Contains(msg, "SQS queue") {
		t.Errorf("queues of one name in two regions reported: %s", msg)
	}
	if !strings.Contains(msg, `IAM role "`) || !strings.Contains(msg, "Crosswire-shop-eu-west-1/Role") || !strings.Contains(msg, "Crosswire-shop-us-east-1/Role") {
		t.Errorf("role taken twice not reported with both stacks: %s", msg)
	}
}
