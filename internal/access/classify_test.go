package access

import (
	"strings"
	"testing"
)

func TestClassifiesQueuePolicyPrincipals(t *testing.T) {
	orgID := map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
	cases := []struct {
		name       string
		statements []any
		want       []string
		// unclassified is the reason of the one unclassified statement, or "".
		unclassified string
	}{
		{"account root narrowed to a role",
			[]any{allow(map[string]any{"AWS": root(otherAccount)}, map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": role(otherAccount, "producer")}})},
			[]string{"account:111111111111 sqs:SendMessage arn:aws:iam::111111111111:role/producer"}, ""},
		{"a role named as the principal",
			[]any{allow(map[string]any{"AWS": role(otherAccount, "producer")}, nil)},
			[]string{"account:111111111111 sqs:SendMessage arn:aws:iam::111111111111:role/producer"}, ""},
		{"a bare account ID",
			[]any{allow(map[string]any{"AWS": otherAccount}, nil)},
			[]string{"account:111111111111 sqs:SendMessage"}, ""},
		{"the own account is not cross-account",
			[]any{allow(map[string]any{"AWS": root(ownAccount)}, nil), tlsDeny},
			nil, ""},
		{"two accounts each keep only their own roles",
			[]any{allow(map[string]any{"AWS": []any{root(otherAccount), root(thirdAccount)}},
				map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": []any{role(otherAccount, "a"), role(thirdAccount, "b")}}})},
			[]string{"account:111111111111 sqs:SendMessage arn:aws:iam::111111111111:role/a", "account:333333333333 sqs:SendMessage arn:aws:iam::333333333333:role/b"}, ""},
		{"a role pattern of any account applies to each account",
			[]any{allow(map[string]any{"AWS": []any{root(otherAccount), root(thirdAccount)}},
				map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": "arn:aws:iam::*:role/consumer"}})},
			[]string{"account:111111111111 sqs:SendMessage arn:aws:iam::*:role/consumer", "account:333333333333 sqs:SendMessage arn:aws:iam::*:role/consumer"}, ""},
		{"anyone narrowed by an organization",
			[]any{allow("*", orgID)},
			[]string{"organization:o-a1b2c3d4e5 sqs:SendMessage"}, ""},
		{"anyone narrowed by organization paths",
			[]any{allow(map[string]any{"AWS": "*"}, map[string]any{"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}})},
			[]string{"org-path:o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/* sqs:SendMessage"}, ""},
		{"anyone narrowed to another account",
			[]any{allow(map[string]any{"AWS": "*"}, map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": otherAccount}})},
			[]string{"account:111111111111 sqs:SendMessage"}, ""},
		{"anyone narrowed to the own account is not cross-account",
			[]any{allow(map[string]any{"AWS": "*"}, map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": ownAccount}})},
			nil, ""},
		{"anyone narrowed to roles of known accounts",
			[]any{allow(map[string]any{"AWS": "*"}, map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": []any{role(otherAccount, "a"), role(ownAccount, "mine")}}})},
			[]string{"account:111111111111 sqs:SendMessage arn:aws:iam::111111111111:role/a"}, ""},
		{"anyone",
			[]any{allow("*", map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": "vpce-1"}})},
			[]string{"any sqs:SendMessage"}, ""},
		{"NotPrincipal in an Allow admits everyone else",
			[]any{map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "NotPrincipal": map[string]any{"AWS": root(otherAccount)}, "Resource": queueArn}},
			[]string{"any sqs:SendMessage"}, ""},
		{"a service for another account's topic",
			[]any{allow(map[string]any{"Service": "sns.amazonaws.com"}, map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": "arn:aws:sns:eu-west-1:111111111111:events"}})},
			[]string{"service:sns.amazonaws.com@111111111111 sqs:SendMessage"}, ""},
		{"a service for the own account's rule is not cross-account",
			[]any{allow(map[string]any{"Service": "events.amazonaws.com"}, map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": "arn:aws:events:eu-west-1:222222222222:rule/r"}})},
			nil, ""},
		{"a service with its source account",
			[]any{allow(map[string]any{"Service": "events.amazonaws.com"}, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": thirdAccount}})},
			[]string{"service:events.amazonaws.com@333333333333 sqs:SendMessage"}, ""},
		{"a service with no source in a resource policy acts for any account",
			[]any{allow(map[string]any{"Service": "sns.amazonaws.com"}, nil)},
			[]string{"service:sns.amazonaws.com@* sqs:SendMessage"}, ""},
		{"a service whose source pattern has any account",
			[]any{allow(map[string]any{"Service": "sns.amazonaws.com"}, map[string]any{"ArnLike": map[string]any{"aws:SourceArn": "arn:aws:sns:eu-west-1:*:events"}})},
			[]string{"service:sns.amazonaws.com@* sqs:SendMessage"}, ""},
		{"NotAction",
			[]any{map[string]any{"Effect": "Allow", "NotAction": "sqs:DeleteQueue", "Principal": map[string]any{"AWS": otherAccount}, "Resource": queueArn}},
			[]string{"account:111111111111 every action except sqs:DeleteQueue"}, ""},
		{"a principal built with Fn::Join and pseudo parameters",
			[]any{allow(map[string]any{"AWS": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}}, nil)},
			[]string{"account:111111111111 sqs:SendMessage"}, ""},
		{"a federated principal is unclassified, not dropped",
			[]any{allow(map[string]any{"Federated": "cognito-identity.amazonaws.com"}, nil)},
			nil, "federated principal cognito-identity.amazonaws.com"},
		{"a principal of unknown form is unclassified, not dropped",
			[]any{allow(map[string]any{"AWS": "AIDAEXAMPLEUNIQUEID"}, nil)},
			nil, `principal "AIDAEXAMPLEUNIQUEID" is not an account`},
		{"a principal computed at deploy time is unclassified",
			[]any{allow(map[string]any{"AWS": map[string]any{"Fn::ImportValue": "OtherRole"}}, nil)},
			nil, `principal "${Fn::ImportValue}"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a queue whose policy holds the statements
			dir := writeAssembly(t, queueStack(c.statements...))
			// WHEN the assembly is analyzed
			r := analyze(t, dir)
			// THEN exactly the cross-account grants are listed, and what cannot be
			// classified is listed raw
			if got, want := joined(grantKeys(r)), joined(c.want); got != want {
				t.Errorf("grants:\n%s\nwant:\n%s", got, want)
			}
			switch {
			case c.unclassified == "" && len(r.Unclassified) > 0:
				t.Errorf("unclassified %+v, want none", r.Unclassified)
			case c.unclassified != "" && (len(r.Unclassified) != 1 || !strings.Contains(r.Unclassified[0].Reason, c.unclassified) || r.Unclassified[0].Statement == nil):
				t.Errorf("unclassified %+v, want one with reason %q and its statement", r.Unclassified, c.unclassified)
			}
		})
	}
}

func TestTrustPolicyServicePrincipals(t *testing.T) {
	cases := []struct {
		name      string
		condition map[string]any
		want      []string
	}{
		{"a service with no source condition assumes the role for its own account", nil, nil},
		{"a service for another account's rule", map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/r"}},
			[]string{"service:events.amazonaws.com@111111111111 sts:AssumeRole"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a role trusted by a service
			st := map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "events.amazonaws.com"}}
			if c.condition != nil {
				st["Condition"] = c.condition
			}
			dir := writeAssembly(t, stackFixture{name: "S", account: ownAccount, resources: map[string]any{
				"R": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"RoleName": "r",
					"AssumeRolePolicyDocument": map[string]any{"Statement": []any{st}}}},
			}})
			// WHEN it is analyzed
			r := analyze(t, dir)
			// THEN a grant is listed only when the source is another account's
			if got, want := joined(grantKeys(r)), joined(c.want); got != want {
				t.Errorf("grants:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestReadsEveryResourcePolicyType(t *testing.T) {
	doc := func(action string) map[string]any {
		return map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": action, "Principal": map[string]any{"AWS": root(otherAccount)}, "Resource": "*"}}}
	}
	cases := []struct {
		name      string
		resources map[string]any
		want      string // resource label and grant
	}{
		{"SNS topic policy", map[string]any{
			"T":  map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{"TopicName": "news"}},
			"TP": map[string]any{"Type": "AWS::SNS::TopicPolicy", "Properties": map[string]any{"Topics": []any{map[string]any{"Ref": "T"}}, "PolicyDocument": doc("sns:Subscribe")}},
		}, "AWS::SNS::Topic news arn:aws:sns:eu-west-1:222222222222:news account:111111111111 sns:Subscribe"},
		{"EventBridge bus policy, Statement form", map[string]any{
			"B":  map[string]any{"Type": "AWS::Events::EventBus", "Properties": map[string]any{"Name": "in"}},
			"BP": map[string]any{"Type": "AWS::Events::EventBusPolicy", "Properties": map[string]any{"EventBusName": "in", "StatementId": "s", "Statement": doc("events:PutEvents")["Statement"].([]any)[0]}},
		}, "AWS::Events::EventBus in arn:aws:events:eu-west-1:222222222222:event-bus/in account:111111111111 events:PutEvents"},
		{"EventBridge bus policy, shorthand with an account", map[string]any{
			"BP": map[string]any{"Type": "AWS::Events::EventBusPolicy", "Properties": map[string]any{"StatementId": "s", "Action": "events:PutEvents", "Principal": otherAccount}},
		}, "AWS::Events::EventBus default arn:aws:events:eu-west-1:222222222222:event-bus/default account:111111111111 events:PutEvents"},
		{"EventBridge bus policy, shorthand with an organization", map[string]any{
			"BP": map[string]any{"Type": "AWS::Events::EventBusPolicy", "Properties": map[string]any{"StatementId": "s", "Action": "events:PutEvents", "Principal": "*",
				"Condition": map[string]any{"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": "o-a1b2c3d4e5"}}},
		}, "AWS::Events::EventBus default arn:aws:events:eu-west-1:222222222222:event-bus/default organization:o-a1b2c3d4e5 events:PutEvents"},
		{"Kinesis stream resource policy", map[string]any{
			"S":  map[string]any{"Type": "AWS::Kinesis::Stream", "Properties": map[string]any{"Name": "clicks"}},
			"SP": map[string]any{"Type": "AWS::Kinesis::ResourcePolicy", "Properties": map[string]any{"ResourceArn": map[string]any{"Fn::GetAtt": []any{"S", "Arn"}}, "ResourcePolicy": doc("kinesis:GetRecords")}},
		}, "AWS::Kinesis::Stream clicks arn:aws:kinesis:eu-west-1:222222222222:stream/clicks account:111111111111 kinesis:GetRecords"},
		{"KMS key policy, named by its alias", map[string]any{
			"K": map[string]any{"Type": "AWS::KMS::Key", "Properties": map[string]any{"KeyPolicy": doc("kms:Decrypt")}},
			"A": map[string]any{"Type": "AWS::KMS::Alias", "Properties": map[string]any{"AliasName": "alias/clicks", "TargetKeyId": map[string]any{"Fn::GetAtt": []any{"K", "Arn"}}}},
		}, "AWS::KMS::Key alias/clicks arn:aws:kms:eu-west-1:222222222222:key/${K} account:111111111111 kms:Decrypt"},
		{"Lambda permission for an account", map[string]any{
			"F": map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{"FunctionName": "fn"}},
			"P": map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": map[string]any{"Fn::GetAtt": []any{"F", "Arn"}}, "Principal": otherAccount}},
		}, "AWS::Lambda::Function fn arn:aws:lambda:eu-west-1:222222222222:function:fn account:111111111111 lambda:InvokeFunction"},
		{"Lambda permission for a service of another account", map[string]any{
			"P": map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": "fn",
				"Principal": "events.amazonaws.com", "SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/r"}},
		}, "AWS::Lambda::Function fn arn:aws:lambda:eu-west-1:222222222222:function:fn service:events.amazonaws.com@111111111111 lambda:InvokeFunction"},
		{"role trust policy", map[string]any{
			"R": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"RoleName": "access", "Path": "/team/", "AssumeRolePolicyDocument": doc("sts:AssumeRole")}},
		}, "AWS::IAM::Role access arn:aws:iam::222222222222:role/team/access account:111111111111 sts:AssumeRole"},
		{"VPC endpoint policy", map[string]any{
			"E": map[string]any{"Type": "AWS::EC2::VPCEndpoint", "Properties": map[string]any{"ServiceName": "com.amazonaws.eu-west-1.sqs", "PolicyDocument": doc("sqs:SendMessage")}},
		}, "AWS::EC2::VPCEndpoint com.amazonaws.eu-west-1.sqs arn:aws:ec2:eu-west-1:222222222222:vpc-endpoint/${E} account:111111111111 sqs:SendMessage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a stack with the resource and its policy
			dir := writeAssembly(t, stackFixture{name: "S", account: ownAccount, resources: c.resources})
			// WHEN it is analyzed
			r := analyze(t, dir)
			// THEN the grant is on the resource the policy governs, named and with its ARN
			var got []string
			for _, g := range r.Grants() {
				got = append(got, g.Resource.Label()+" "+g.Resource.ARN+" "+g.Principal.Key()+" "+g.actionSet().String())
			}
			if joined(got) != c.want {
				t.Errorf("grants:\n%s\nwant:\n%s", joined(got), c.want)
			}
		})
	}
}

func TestDenyStatementsNarrowTheGrants(t *testing.T) {
	grant := allow(map[string]any{"AWS": otherAccount}, nil)
	cases := []struct {
		name       string
		deny       map[string]any
		wantNarrow string // the Deny as rendered, or ""
		wantDenied bool
	}{
		{"the TLS-only Deny", tlsDeny, "Deny sqs:* to anyone when Bool aws:SecureTransport = false (TLS only: every request without TLS is denied)", false},
		{"a Deny of other actions does not narrow", map[string]any{"Effect": "Deny", "Action": "sqs:DeleteQueue", "Principal": "*", "Resource": queueArn}, "", false},
		{"a Deny of another account does not narrow", map[string]any{"Effect": "Deny", "Action": "sqs:*", "Principal": map[string]any{"AWS": thirdAccount}, "Resource": queueArn}, "", false},
		{"an unconditional Deny of everyone removes the grant", map[string]any{"Effect": "Deny", "Action": "sqs:*", "Principal": "*", "Resource": queueArn}, "Deny sqs:* to anyone", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a grant to another account and a Deny on the same queue
			dir := writeAssembly(t, queueStack(grant, c.deny))
			// WHEN it is analyzed
			r := analyze(t, dir)
			// THEN the Deny is shown on the grant when it overlaps it
			gs := r.Grants()
			if len(gs) != 1 {
				t.Fatalf("%d grants, want 1", len(gs))
			}
			var got string
			if len(gs[0].NarrowedBy) > 0 {
				got = gs[0].NarrowedBy[0].String()
			}
			if got != c.wantNarrow {
				t.Errorf("narrowed by %q, want %q", got, c.wantNarrow)
			}
			if (gs[0].DeniedBy != "") != c.wantDenied {
				t.Errorf("denied by %q, want denied %v", gs[0].DeniedBy, c.wantDenied)
			}
		})
	}
}

func TestConditionsNamingOtherAccountsVoidAGrant(t *testing.T) {
	// GIVEN an account principal whose aws:PrincipalArn names only another account's role
	dir := writeAssembly(t, queueStack(allow(map[string]any{"AWS": root(otherAccount)},
		map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": role(thirdAccount, "x")}})))
	// WHEN it is analyzed
	r := analyze(t, dir)
	// THEN the grant is listed as admitting nobody
	gs := r.Grants()
	if len(gs) != 1 || !strings.Contains(gs[0].Void, "can be in account 111111111111") {
		t.Fatalf("grants %+v, want one void grant", gs)
	}
}
