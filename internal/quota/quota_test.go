package quota_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/internal/quota"
)

// queuePolicy is a template with one queue policy whose one statement admits the
// root principals of accounts and has a resource of pad characters.
func queuePolicy(accounts int, pad int) map[string]any {
	principals := make([]any, accounts)
	for i := range principals {
		principals[i] = fmt.Sprintf("arn:aws:iam::%012d:root", 200000000000+i)
	}
	stmt := map[string]any{"Resource": strings.Repeat("r", pad)}
	if accounts > 0 {
		stmt["Principal"] = map[string]any{"AWS": principals}
	}
	return map[string]any{"Resources": map[string]any{
		"QueuePolicy": map[string]any{"Type": "AWS::SQS::QueuePolicy", "Properties": map[string]any{
			"Queues":         []any{map[string]any{"Ref": "Queue"}},
			"PolicyDocument": map[string]any{"Statement": []any{stmt}},
		}},
	}}
}

func TestQueuePolicyLimits(t *testing.T) {
	// The compact JSON of queuePolicy(0, pad) is {"Statement":[{"Resource":"<pad>"}]}.
	frame := len(`{"Statement":[{"Resource":""}]}`)
	cases := []struct {
		name     string
		tpl      map[string]any
		overWhat string
	}{
		{"exactly 8,192 bytes", queuePolicy(0, 8192-frame), ""},
		{"8,193 bytes", queuePolicy(0, 8193-frame), "8193 bytes, over the 8192-byte limit"},
		{"50 principals", queuePolicy(50, 1), ""},
		{"51 principals", queuePolicy(51, 1), "51 principals, over the limit of 50"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a queue policy at or just over one of SQS's limits
			// WHEN it is checked
			err := quota.Check(map[string]map[string]any{"Crosswire-hub": c.tpl})
			// THEN one just over fails naming the limit, the size and the fix; one at it passes
			if c.overWhat == "" {
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
				return
			}
			var pe *problem.Error
			if !errors.As(err, &pe) || len(pe.Problems) != 1 {
				t.Fatalf("error %v, want one problem", err)
			}
			msg := pe.Problems[0].Msg
			for _, want := range []string{"SQS queue policy would be rejected", c.overWhat, "allow: organization"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if pe.Problems[0].Where != "Crosswire-hub QueuePolicy" {
				t.Errorf("where = %q", pe.Problems[0].Where)
			}
		})
	}
}

func TestSizeResolvesWhatItCanAndBoundsTheRest(t *testing.T) {
	cases := []struct {
		name string
		doc  any
		want int
	}{
		{"an account root joined with the partition counts the longest partition",
			map[string]any{"AWS": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
			len(`{"AWS":"arn:aws-us-gov:iam::111111111111:root"}`)},
		{"an attribute counts IntrinsicLength",
			map[string]any{"Resource": map[string]any{"Fn::GetAtt": []any{"Queue", "Arn"}}},
			len(`{"Resource":""}`) + quota.IntrinsicLength},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a document with an intrinsic
			// WHEN its size is measured
			got := quota.Size(c.doc)
			// THEN known values are resolved and unknown ones bounded
			if got != c.want {
				t.Errorf("Size = %d, want %d", got, c.want)
			}
		})
	}
}

func TestFunctionPermissionsAddUp(t *testing.T) {
	for _, c := range []struct {
		n    int
		over bool
	}{{20, false}, {120, true}} {
		// GIVEN n invoke permissions, one per sender account, on one function
		res := map[string]any{}
		for i := 0; i < c.n; i++ {
			res[fmt.Sprintf("Invoke%d", i)] = map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
				"Action": "lambda:InvokeFunction", "FunctionName": map[string]any{"Fn::GetAtt": []any{"Fn", "Arn"}},
				"Principal": fmt.Sprintf("%012d", 200000000000+i),
			}}
		}
		// WHEN they are checked
		err := quota.Check(map[string]map[string]any{"S": {"Resources": res}})
		// THEN together they are held against the function policy's 20 KB
		if c.over != (err != nil && strings.Contains(err.Error(), "Lambda function policy")) {
			t.Errorf("%d permissions: error %v, want over %v", c.n, err, c.over)
		}
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
