package quota_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/internal/quota"
	// Every test binary of the module must know policysnap's -update flag.
	_ "github.com/crosswire/crosswire/policysnap"
)

// queueTemplate is a template with one queue policy that admits n sender roles.
func queueTemplate(n int) map[string]any {
	var roles []any
	for i := 0; i < n; i++ {
		roles = append(roles, fmt.Sprintf("arn:aws:iam::%012d:role/ingest-producer", 200000000000+i))
	}
	return map[string]any{"Resources": map[string]any{
		"QueuePolicy": map[string]any{"Type": "AWS::SQS::QueuePolicy", "Properties": map[string]any{
			"Queues": []any{map[string]any{"Ref": "Queue"}},
			"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": map[string]any{"AWS": "*"},
				"Resource":  map[string]any{"Fn::GetAtt": []any{"Queue", "Arn"}},
				"Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": roles}},
			}}},
		}},
	}}
}

func TestQueuePolicyJustUnderAndJustOverItsQuota(t *testing.T) {
	// GIVEN the largest number of sender roles whose queue policy still fits 8,192 bytes
	n := 1
	for quota.Size(queueTemplate(n + 1)["Resources"].(map[string]any)["QueuePolicy"].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"]) <= quota.QueuePolicy.Limit {
		n++
	}
	for _, c := range []struct {
		senders int
		over    bool
	}{{n, false}, {n + 1, true}} {
		// WHEN a policy with that many, and one more, is checked
		err := quota.Check(map[string]map[string]any{"Crosswire-hub": queueTemplate(c.senders)})
		// THEN the first passes and the second fails naming the quota, the size and the fix
		if !c.over {
			if err != nil {
				t.Errorf("%d senders: %v", c.senders, err)
			}
			continue
		}
		var pe *problem.Error
		if !errors.As(err, &pe) || len(pe.Problems) != 1 {
			t.Fatalf("%d senders: error %v, want one problem", c.senders, err)
		}
		msg := pe.Problems[0].Msg
		for _, want := range []string{"SQS queue policy", "over the 8192-byte limit", "allow: organization"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		if pe.Problems[0].Where != "Crosswire-hub QueuePolicy" {
			t.Errorf("where = %q", pe.Problems[0].Where)
		}
	}
}

func TestSizeCountsIntrinsicsAndIgnoresWhiteSpace(t *testing.T) {
	// GIVEN a statement whose resource is an intrinsic
	doc := map[string]any{"Resource": map[string]any{"Fn::GetAtt": []any{"Queue", "Arn"}}}
	// WHEN its size is measured
	got := quota.Size(doc)
	// THEN the intrinsic counts as IntrinsicLength characters plus its quotes
	want := len(`{"Resource":""}`) + quota.IntrinsicLength
	if got != want {
		t.Errorf("Size = %d, want %d", got, want)
	}
}

func TestLimitsOtherThanSize(t *testing.T) {
	// GIVEN an SNS topic policy with 201 principals in one small statement
	var accounts []any
	for i := 0; i < 201; i++ {
		accounts = append(accounts, fmt.Sprintf("%012d", i))
	}
	tpl := map[string]any{"Resources": map[string]any{"TopicPolicy": map[string]any{"Type": "AWS::SNS::TopicPolicy", "Properties": map[string]any{
		"Topics": []any{"t"},
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sns:Subscribe", "Principal": map[string]any{"AWS": accounts}, "Resource": "t",
		}}},
	}}}}
	// WHEN it is checked
	err := quota.Check(map[string]map[string]any{"S": tpl})
	// THEN the principal limit is named
	if err == nil || !strings.Contains(err.Error(), "201 principals, over the limit of 200") {
		t.Errorf("error %v, want the principal limit", err)
	}
	// AND with 200 principals it passes
	tpl["Resources"].(map[string]any)["TopicPolicy"].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Principal"] = map[string]any{"AWS": accounts[:200]}
	if err := quota.Check(map[string]map[string]any{"S": tpl}); err != nil {
		t.Errorf("200 principals: %v", err)
	}
}

func TestInlinePoliciesOfOneRoleAddUp(t *testing.T) {
	// GIVEN a role with an inline policy and two attached policies of 4,000 characters each
	big := strings.Repeat("a", 3900)
	policy := func() map[string]any {
		return map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{
			"Roles":          []any{map[string]any{"Ref": "Role"}},
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": big}}},
		}}
	}
	tpl := map[string]any{"Resources": map[string]any{
		"Role": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{}},
			"Policies":                 []any{map[string]any{"PolicyName": "p", "PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Resource": big}}}}},
		}},
		"P1": policy(), "P2": policy(),
	}}
	// WHEN it is measured
	ms, err := quota.Measure("S", tpl)
	if err != nil {
		t.Fatal(err)
	}
	// THEN the three count together against the role's 10,240 characters
	found := false
	for _, m := range ms {
		if m.Kind.Name == quota.RoleInlinePolicies.Name {
			found = true
			if m.Size < 3*3900 || !m.Over() {
				t.Errorf("role inline size %d, over %v; want the sum, over the limit", m.Size, m.Over())
			}
		}
	}
	if !found {
		t.Error("no measurement of the role's inline policies")
	}
}
