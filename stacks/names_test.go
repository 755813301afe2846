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

func TestCheckNamesComparesTheMemberTemplatesOfOneUnit(t *testing.T) {
	// GIVEN an administrator's stack with two stack sets to one organizational unit,
	// whose member templates both create a role "jobs-producer", and a third to
	// another unit with the same role
	stackSet := func(ou string) map[string]any {
		body, _ := json.Marshal(map[string]any{"Resources": map[string]any{
			"Role": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"RoleName": "jobs-producer"}},
		}})
		return map[string]any{"Type": "AWS::CloudFormation::StackSet", "Properties": map[string]any{
			"StackSetName": "Crosswire-jobs-" + ou,
			"TemplateBody": string(body),
			"StackInstancesGroup": []any{map[string]any{
				"DeploymentTargets": map[string]any{"OrganizationalUnitIds": []any{ou}},
				"Regions":           []any{"eu-west-1"},
			}},
		}}
	}
	dir := writeAssembly(t, map[string]struct {
		env       string
		resources map[string]any
	}{
		"Crosswire-admin-stacksets": {"aws://200000000000/eu-west-1", map[string]any{
			"A": stackSet("ou-ab12-11111111"), "B": stackSet("ou-ab12-11111111"), "C": stackSet("ou-ab12-22222222"),
		}},
	})
	// WHEN the names are checked
	err := CheckNames(dir)
	// THEN the role is reported once, in the accounts of the unit both target, and not
	// for the other unit
	if err == nil {
		t.Fatal("no problem reported for a role two stack sets create in the accounts of one unit")
	}
	msg := err.Error()
	if !strings.Contains(msg, `IAM role "jobs-producer" in account the accounts of organizational unit ou-ab12-11111111`) ||
		!strings.Contains(msg, "Crosswire-admin-stacksets/A/") || !strings.Contains(msg, "Crosswire-admin-stacksets/B/") {
		t.Errorf("role taken twice in one unit not reported with both stack sets: %s", msg)
	}
	if strings.Contains(msg, "ou-ab12-22222222") {
		t.Errorf("the other unit reported: %s", msg)
	}
}
