package access

import (
	"strings"
	"testing"
)

// senderStack is a stack of otherAccount with a role "producer" and an identity
// policy on it; policyRoles names the roles the policy attaches to.
func senderStack(action string, resource string, policyRoles ...any) stackFixture {
	return stackFixture{name: "Send", account: otherAccount, resources: map[string]any{
		"Producer": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"RoleName": "producer",
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"AWS": root(otherAccount)}}}}}},
		"SendPolicy": map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{"PolicyName": "send", "Roles": policyRoles,
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Sid": "Send", "Effect": "Allow", "Action": action, "Resource": resource}}}}},
	}}
}

func TestCallerSideOfAGrant(t *testing.T) {
	queue := "arn:aws:sqs:eu-west-1:222222222222:jobs"
	ref := map[string]any{"Ref": "Producer"}
	toRole := func(name string) map[string]any {
		return sendFrom([]string{otherAccount}, arnEquals(role(otherAccount, name)))
	}
	cases := []struct {
		name   string
		grant  map[string]any
		sender stackFixture
		side   string
		// want are parts of the caller side, as the report renders it
		want []string
	}{
		{"the role and its identity policy are in the assembly", toRole("producer"), senderStack("sqs:SendMessage", queue, ref), SideInAssembly,
			[]string{"arn:aws:iam::111111111111:role/producer (Send Producer); SendPolicy (AWS::IAM::Policy) PolicyDocument statement Send in Send allows sqs:SendMessage"}},
		{"the role is in the assembly but nothing allows the action", toRole("producer"), senderStack("sqs:ReceiveMessage", queue, ref), SideOutside,
			[]string{"nothing in the assembly allows sqs:SendMessage", "the call fails unless a policy outside the assembly allows them"}},
		{"the identity policy names another resource", toRole("producer"), senderStack("sqs:SendMessage", "arn:aws:sqs:eu-west-1:222222222222:other", ref), SideOutside,
			[]string{"nothing in the assembly allows sqs:SendMessage"}},
		{"the role is not in the assembly", toRole("someone-else"), senderStack("sqs:SendMessage", queue, ref), SideOutside,
			[]string{"arn:aws:iam::111111111111:role/someone-else: not in the assembly", "that caller side is outside the assembly"}},
		{"an existing role that a policy of the assembly attaches to by name", toRole("team/auditor"), senderStack("sqs:SendMessage", queue, "auditor"), SideInAssembly,
			[]string{"role auditor of account 111111111111 (not created by the assembly; a policy of it attaches to the role by name)"}},
		{"the whole account: the roles the assembly shows, and the rest outside", sendFrom([]string{otherAccount}, nil), senderStack("sqs:*", "*", ref), SidePartly,
			[]string{"any principal of account 111111111111 that its own identity policies allow may use this grant", "SendPolicy (AWS::IAM::Policy) PolicyDocument statement Send in Send allows sqs:SendMessage"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a grant on a queue to another account, and that account's stack
			dir := writeAssembly(t, queueStack(c.grant), c.sender)
			// WHEN it is analyzed
			r := analyze(t, dir)
			// THEN the grant's caller side says what the assembly shows of it
			gs := r.Grants()
			if len(gs) != 1 {
				t.Fatalf("%d grants, want 1", len(gs))
			}
			if gs[0].Caller.Side != c.side {
				t.Errorf("side %q, want %q", gs[0].Caller.Side, c.side)
			}
			var b strings.Builder
			writeGrant(&b, gs[0])
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("caller side lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}

func TestCallerSideOfAServiceGrantIsItsSource(t *testing.T) {
	cases := []struct {
		name   string
		source string
		side   string
		want   string
	}{
		{"a topic of the assembly", "arn:aws:sns:eu-west-1:111111111111:news", SideInAssembly, "source AWS::SNS::Topic news in Send (News)"},
		{"a topic outside the assembly", "arn:aws:sns:eu-west-1:111111111111:gossip", SideOutside, "sns.amazonaws.com acts for resources that are not in the assembly"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a queue that admits SNS for a topic of another account
			grant := allow(map[string]any{"Service": "sns.amazonaws.com"}, map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": c.source}})
			sender := stackFixture{name: "Send", account: otherAccount, resources: map[string]any{
				"News": map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{"TopicName": "news"}},
			}}
			dir := writeAssembly(t, queueStack(grant), sender)
			// WHEN it is analyzed
			r := analyze(t, dir)
			// THEN the caller side names the source when the assembly creates it
			g := r.Grants()[0]
			var b strings.Builder
			writeGrant(&b, g)
			if g.Caller.Side != c.side || !strings.Contains(b.String(), c.want) {
				t.Errorf("side %q, want %q; grant:\n%s\nwant %q", g.Caller.Side, c.side, b.String(), c.want)
			}
		})
	}
}
