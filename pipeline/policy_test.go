package pipeline_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/pipeline"
)

// input returns the policy input of account 111111111111 with the given resources
// (logical ID to resource) in one stack.
func input(resources map[string]any) pipeline.PolicyInput {
	return pipeline.PolicyInput{
		Account: "111111111111", Region: "eu-west-1", Alias: "orders",
		TagKey: "crosswire:account", TagValue: "orders",
		ExecutionPolicy: "Crosswire-cfn-execution", RoleBoundary: "Crosswire-role-boundary",
		Templates: map[string]map[string]any{"Crosswire-orders": {"Resources": resources}},
	}
}

// statementOf returns the statement sid of doc, or nil.
func statementOf(doc map[string]any, sid string) map[string]any {
	list, _ := doc["Statement"].([]any)
	for _, s := range list {
		if m, _ := s.(map[string]any); m["Sid"] == sid {
			return m
		}
	}
	return nil
}

func asJSON(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

func TestPoliciesOfAQueueAndItsRole(t *testing.T) {
	// GIVEN a template with a queue, a role and its identity policy
	in := input(map[string]any{
		"Queue": map[string]any{"Type": "AWS::SQS::Queue"},
		"Role":  map[string]any{"Type": "AWS::IAM::Role"},
		"Policy": map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{
			"Roles": []any{map[string]any{"Ref": "Role"}},
			"PolicyDocument": map[string]any{"Statement": []any{
				map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
				map[string]any{"Effect": "Deny", "Action": "sqs:DeleteQueue", "Resource": "*"},
			}},
		}},
	})
	// WHEN its policies are generated
	exec, boundary, err := pipeline.Policies(in)
	if err != nil {
		t.Fatal(err)
	}
	// THEN the execution policy allows what CloudFormation does to queues, roles and
	// policies, and no other service
	allow := statementOf(exec, "Deploy")
	actions, _ := allow["Action"].([]string)
	for _, want := range []string{"sqs:CreateQueue", "sqs:Get*", "iam:CreateRole", "iam:PutRolePolicy", "iam:GetRole*"} {
		if !slices.Contains(actions, want) {
			t.Errorf("execution policy lacks %s: %v", want, actions)
		}
	}
	for _, a := range actions {
		if !strings.HasPrefix(a, "sqs:") && !strings.HasPrefix(a, "iam:") {
			t.Errorf("execution policy allows %s, which no resource of the template needs", a)
		}
	}
	// AND it passes no role and reads no asset, since nothing here needs either
	if statementOf(exec, "PassOwnRoles") != nil || statementOf(exec, "ReadLambdaCode") != nil {
		t.Errorf("execution policy passes roles or reads assets: %s", asJSON(exec))
	}
	// AND it creates roles only with the role boundary, changes only the account's own
	// roles, and cannot loosen either policy or remove a boundary
	create := statementOf(exec, "RolesOnlyWithBoundary")
	if create["Effect"] != "Deny" || !strings.Contains(asJSON(create), `"iam:PermissionsBoundary":"arn:aws:iam::111111111111:policy/Crosswire-role-boundary"`) {
		t.Errorf("no denial of roles without the boundary: %s", asJSON(create))
	}
	change := statementOf(exec, "ChangeOnlyOwnRoles")
	if change["Effect"] != "Deny" || change["Resource"] != "*" || !strings.Contains(asJSON(change), `"iam:ResourceTag/crosswire:account":"orders"`) {
		t.Errorf("no denial of changes to other roles: %s", asJSON(change))
	}
	keep := statementOf(exec, "KeepGuardrails")
	if keep["Effect"] != "Deny" || !strings.Contains(asJSON(keep), "policy/Crosswire-cfn-execution") || !strings.Contains(asJSON(keep), "iam:DeleteRolePermissionsBoundary") {
		t.Errorf("the guardrails can be loosened: %s", asJSON(keep))
	}
	// AND the role boundary allows exactly what the role is allowed
	if got := asJSON(boundary["Statement"]); got != `[{"Action":"sqs:SendMessage","Effect":"Allow","Resource":"*","Sid":"WhatRolesAreGiven"}]` {
		t.Errorf("role boundary %s", got)
	}
}

func TestPoliciesPassOnlyTaggedRolesAndReadOnlyLambdaAssets(t *testing.T) {
	// GIVEN a template with a Lambda function
	in := input(map[string]any{"Function": map[string]any{"Type": "AWS::Lambda::Function"}})
	// WHEN its policies are generated
	exec, _, err := pipeline.Policies(in)
	if err != nil {
		t.Fatal(err)
	}
	// THEN CloudFormation may pass only the account's own roles, by their tag, and read
	// the code from the bootstrap stack's asset bucket only
	pass := statementOf(exec, "PassOwnRoles")
	if asJSON(pass) != `{"Action":"iam:PassRole","Condition":{"StringEquals":{"iam:ResourceTag/crosswire:account":"orders"}},"Effect":"Allow","Resource":"arn:aws:iam::111111111111:role/*","Sid":"PassOwnRoles"}` {
		t.Errorf("pass role statement %s", asJSON(pass))
	}
	assets := statementOf(exec, "ReadLambdaCode")
	if r := assets["Resource"]; r != "arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/*" {
		t.Errorf("assets read from %v", r)
	}
}

func TestPoliciesExemptOnlyTheExistingRolesTheTemplatesGivePoliciesTo(t *testing.T) {
	// GIVEN an identity policy for an existing role, named by its name (senderRoles)
	in := input(map[string]any{"Policy": map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{
		"Roles":          []any{"billing-sender"},
		"PolicyDocument": map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": []any{"sqs:SendMessage"}, "Resource": "*"}},
	}}})
	// WHEN its policies are generated
	exec, _, err := pipeline.Policies(in)
	if err != nil {
		t.Fatal(err)
	}
	// THEN that role, with or without a path, is the only one CloudFormation may
	// change without the account's tag
	change := statementOf(exec, "ChangeOnlyOwnRoles")
	if got := asJSON(change["NotResource"]); got != `["arn:aws:iam::111111111111:role/billing-sender","arn:aws:iam::111111111111:role/*/billing-sender"]` {
		t.Errorf("NotResource %s", got)
	}
	if _, ok := change["Resource"]; ok {
		t.Errorf("statement has both Resource and NotResource: %s", asJSON(change))
	}
}

func TestPoliciesRefuseWhatTheyCannotCover(t *testing.T) {
	cases := []struct {
		name     string
		resource map[string]any
		want     string
	}{
		{"a resource type the table does not know",
			map[string]any{"Type": "AWS::DynamoDB::Table"},
			"resource type AWS::DynamoDB::Table (Crosswire-orders/Thing) is not covered by the execution policy: add it to pipeline.ResourceTypes"},
		{"a managed policy on a role",
			map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/AdministratorAccess"}}},
			`Crosswire-orders/Thing attaches managed policies ["arn:aws:iam::aws:policy/AdministratorAccess"]`},
		{"an identity policy with NotAction",
			map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
				map[string]any{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}}}},
			`Crosswire-orders/Thing: a statement with NotAction "iam:*"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a template with what the policies cannot cover
			in := input(map[string]any{"Thing": c.resource})
			// WHEN its policies are generated
			_, _, err := pipeline.Policies(in)
			// THEN generation fails, naming the resource and what to do
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one holding %q", err, c.want)
			}
		})
	}
}

func TestTheRoleBoundaryOfAnAccountWithoutRolesAllowsNothing(t *testing.T) {
	// GIVEN an account whose stack holds only a placeholder
	in := input(map[string]any{"NoLinksYet": map[string]any{"Type": "AWS::CloudFormation::WaitConditionHandle"}})
	// WHEN its policies are generated
	_, boundary, err := pipeline.Policies(in)
	if err != nil {
		t.Fatal(err)
	}
	// THEN the role boundary denies everything
	if got := asJSON(boundary["Statement"]); got != `[{"Action":"*","Effect":"Deny","Resource":"*","Sid":"NoRolesYet"}]` {
		t.Errorf("role boundary %s", got)
	}
}

func TestAnAccountUsingEveryCoveredTypeStillFitsOneManagedPolicy(t *testing.T) {
	// GIVEN a template with one resource of every type the execution policy covers, a
	// custom resource, and policies for two existing roles
	res := map[string]any{"Custom": map[string]any{"Type": "Custom::Anything"}}
	for typ := range pipeline.ResourceTypes {
		res[strings.ReplaceAll(typ, ":", "")] = map[string]any{"Type": typ}
	}
	for _, role := range []string{"orders-invoice-sender", "orders-refund-sender"} {
		res[role] = map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{"Roles": []any{role}}}
	}
	// WHEN its execution policy is generated
	exec, _, err := pipeline.Policies(input(res))
	// THEN it fits IAM's quota of a managed policy, so no topology can outgrow it
	if err != nil {
		t.Fatal(err)
	}
	if n := pipeline.Size(exec); n > pipeline.ManagedPolicyQuota {
		t.Errorf("%d characters, over %d", n, pipeline.ManagedPolicyQuota)
	}
}

func TestActionPatternsMatchAsIAMDoes(t *testing.T) {
	cases := []struct {
		pattern, action string
		want            bool
	}{
		{"sqs:Get*", "sqs:GetQueueAttributes", true},
		{"sqs:Get*", "SQS:getqueueurl", true},
		{"sqs:Get*", "sqs:SendMessage", false},
		{"sqs:Get*", "sns:GetTopicAttributes", false},
		{"iam:GetRole*", "iam:GetRolePolicy", true},
		{"iam:GetRole*", "iam:GetUser", false},
		{"kms:Re?ncrypt*", "kms:ReEncryptFrom", true},
		{"kms:CreateKey", "kms:CreateKey", true},
		{"kms:CreateKey", "kms:CreateKeys", false},
	}
	for _, c := range cases {
		// GIVEN a pattern and an action
		// WHEN they are compared
		// THEN they match exactly when IAM would match them
		if got := pipeline.Matches(c.pattern, c.action); got != c.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", c.pattern, c.action, got, c.want)
		}
	}
}

func TestTheSelfMutationCLIIsTheProjectsPinnedCLI(t *testing.T) {
	// GIVEN the CDK CLI the project pins for scripts/cdk
	raw, err := os.ReadFile("../tools/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	// WHEN it is compared with the CLI the pipeline installs to update itself
	// THEN they are the same release
	if got := pkg.DevDependencies["aws-cdk"]; got != pipeline.CLIVersion {
		t.Errorf("tools/package.json pins aws-cdk %s, the pipeline installs %s", got, pipeline.CLIVersion)
	}
}
