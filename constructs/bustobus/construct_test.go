package bustobus_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/constructs/bustobus"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"
	org       = "o-a1b2c3d4e5"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// halves is one link synthesized once: the receiver half in the receiver account's
// stack and a sender half in each sender account's stack, all in one app with
// cdk-nag's AwsSolutions checks.
type halves struct {
	link       bustobus.Link
	receiver   *bustobus.Receiver
	recvStack  awscdk.Stack
	recvTmpl   cdktest.Tmpl
	senders    map[string]*bustobus.Sender
	sendStacks map[string]awscdk.Stack
	sendTmpls  map[string]cdktest.Tmpl
}

func retries(n int) *int { return &n }

// scenarios are the links the tests share; each is synthesized once, on first use.
var scenarios = map[string]bustobus.Link{
	// Two senders forward to a custom bus whose rule feeds the logger and a queue,
	// with an archive and tightened retries.
	"bus": {
		Name: "ec2-state", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders, analytics},
		Options: bustobus.Options{
			EventPattern:  `{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}`,
			Targets:       []bustobus.Target{bustobus.TargetLambda, bustobus.TargetQueue},
			RetryAttempts: retries(3), MaxEventAge: 2 * time.Hour,
			Archive: true, ArchiveRetentionDays: 7,
		},
	},
	// The organization may forward from a named sender bus to the receiver's default
	// bus; every other option is left to its default.
	"bus-default": {
		Name: "audit", NamePrefix: "acme-", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		OrganizationID: org,
		Options: bustobus.Options{
			EventPattern: `{"source": ["acme.audit"]}`, SenderBus: "app-events",
			ReceiverBus: bustobus.ReceiverBusDefault, Allow: bustobus.AllowOrganization,
		},
	},
	"direct-queue": {
		Name: "orders-direct", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders, analytics},
		Options: bustobus.Options{
			Mode: bustobus.ModeDirect, EventPattern: `{"source": ["acme.orders"]}`,
			Targets: []bustobus.Target{bustobus.TargetQueue}, RetryAttempts: retries(0), MaxEventAge: time.Minute,
		},
	},
	"direct-lambda": {
		Name: "orders-log", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders, analytics},
		Options: bustobus.Options{
			Mode: bustobus.ModeDirect, EventPattern: `{"source": ["acme.orders"]}`,
			Targets: []bustobus.Target{bustobus.TargetLambda},
		},
	},
	"direct-topic": {
		Name: "orders-fanout", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		OrganizationID: org,
		Options: bustobus.Options{
			Mode: bustobus.ModeDirect, EventPattern: `{"source": ["acme.orders"]}`,
			Targets: []bustobus.Target{bustobus.TargetTopic}, Allow: bustobus.AllowOrganization,
		},
	},
}

var built = map[string]*halves{}

func scenario(t *testing.T, name string) *halves {
	t.Helper()
	if h := built[name]; h != nil {
		return h
	}
	l, ok := scenarios[name]
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	app := cdktest.NewApp(t, "")
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	stack := func(account string) awscdk.Stack {
		return awscdk.NewStack(app, jsii.String("S"+account), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
	}
	h := &halves{link: l, senders: map[string]*bustobus.Sender{}, sendStacks: map[string]awscdk.Stack{}, sendTmpls: map[string]cdktest.Tmpl{}}
	h.recvStack = stack(l.ReceiverAccount)
	h.receiver = bustobus.NewReceiver(h.recvStack, l.Name, &bustobus.ReceiverProps{Link: l})
	for _, a := range l.SenderAccounts {
		h.sendStacks[a] = stack(a)
		h.senders[a] = bustobus.NewSender(h.sendStacks[a], l.Name, &bustobus.SenderProps{Link: l, Account: a})
	}
	h.recvTmpl = cdktest.Template(t, h.recvStack)
	for a, s := range h.sendStacks {
		h.sendTmpls[a] = cdktest.Template(t, s)
	}
	built[name] = h
	return h
}

func strs(v any) []string {
	var out []string
	for _, x := range cdktest.List(v) {
		out = append(out, cdktest.JSON(x))
	}
	slices.Sort(out)
	return out
}

// equalSet fails unless got, as a list, holds exactly want, in any order.
func equalSet(t *testing.T, what string, got any, want ...any) {
	t.Helper()
	if g, w := strs(got), strs(want); !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v", what, g, w)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := cdktest.JSON(got), cdktest.JSON(want); g != w {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

func getAtt(r cdktest.Resource, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{r.LogicalID, attr}}
}

// queuePolicyOf returns the policy document of the one queue policy of queue q.
func queuePolicyOf(t *testing.T, tpl cdktest.Tmpl, q cdktest.Resource) any {
	t.Helper()
	return tpl.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{map[string]any{"Ref": q.LogicalID}}}).Props()["PolicyDocument"]
}

// checkTLSOnly fails unless doc denies every request without TLS.
func checkTLSOnly(t *testing.T, what string, doc any) {
	t.Helper()
	for _, s := range cdktest.Statements(doc) {
		if s["Effect"] == "Deny" && cdktest.JSON(s["Condition"]) == `{"Bool":{"aws:SecureTransport":"false"}}` {
			return
		}
	}
	t.Errorf("%s has no statement denying requests without TLS: %s", what, cdktest.JSON(doc))
}

// checkDeadLetterQueue checks an EventBridge dead-letter queue: SSE-SQS, 14 days,
// retained, TLS only, and sqs:SendMessage for EventBridge on behalf of ruleArn only.
func checkDeadLetterQueue(t *testing.T, tpl cdktest.Tmpl, name, ruleArn string) cdktest.Resource {
	t.Helper()
	q := tpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": name})
	equal(t, name+" SqsManagedSseEnabled", q.Props()["SqsManagedSseEnabled"], true)
	equal(t, name+" MessageRetentionPeriod", q.Props()["MessageRetentionPeriod"], 1209600)
	equal(t, name+" DeletionPolicy", q.Raw["DeletionPolicy"], "Retain")
	doc := queuePolicyOf(t, tpl, q)
	checkTLSOnly(t, name, doc)
	s := cdktest.Statement(t, doc, "AllowLinkRuleDeadLetters")
	equal(t, name+" principal", s["Principal"], map[string]any{"Service": "events.amazonaws.com"})
	equalSet(t, name+" action", s["Action"], "sqs:SendMessage")
	equal(t, name+" resource", s["Resource"], getAtt(q, "Arn"))
	equal(t, name+" condition", s["Condition"], map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": ruleArn}})
	if n := len(cdktest.Statements(doc)); n != 2 {
		t.Errorf("%s policy has %d statements, want 2 (EventBridge for the rule, deny without TLS)", name, n)
	}
	return q
}

// checkTarget checks one target of a rule: its ARN, role, retry policy and DLQ.
func checkTarget(t *testing.T, what string, target map[string]any, arn, role any, attempts, age float64, dlq cdktest.Resource) {
	t.Helper()
	equal(t, what+" Arn", target["Arn"], arn)
	equal(t, what+" RoleArn", target["RoleArn"], role)
	equal(t, what+" RetryPolicy", target["RetryPolicy"], map[string]any{"MaximumRetryAttempts": attempts, "MaximumEventAgeInSeconds": age})
	equal(t, what+" DeadLetterConfig", target["DeadLetterConfig"], map[string]any{"Arn": getAtt(dlq, "Arn")})
}

func targets(r cdktest.Resource) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, x := range cdktest.List(r.Props()["Targets"]) {
		m := x.(map[string]any)
		out[m["Id"].(string)] = m
	}
	return out
}

// ruleArn computes the ARN CloudFormation gives the rule resource r in account.
func ruleArn(r cdktest.Resource, account string) string {
	p := r.Props()
	prefix := "arn:aws:events:" + region + ":" + account + ":rule/"
	if bus, ok := p["EventBusName"].(string); ok && bus != "default" {
		return prefix + bus + "/" + p["Name"].(string)
	}
	return prefix + p["Name"].(string)
}

func TestBusModeReceiver(t *testing.T) {
	// GIVEN a bus link from orders and analytics to billing with the logger and a
	// queue as targets, three retries within two hours, and an archive
	// WHEN both halves are synthesized
	h := scenario(t, "bus")
	recv := h.recvTmpl
	rule := recv.One(t, "AWS::Events::Rule", map[string]any{"Name": "ec2-state-deliver"})
	wantRuleArn := "arn:aws:events:ap-northeast-1:222222222222:rule/ec2-state/ec2-state-deliver"

	t.Run("custom bus named after the link admits only the senders' forwarding rules", func(t *testing.T) {
		// THEN
		bus := recv.One(t, "AWS::Events::EventBus", map[string]any{"Name": "ec2-state"})
		pol := recv.One(t, "AWS::Events::EventBusPolicy", map[string]any{"EventBusName": "ec2-state", "StatementId": "ec2-state-senders"})
		if !slices.Contains(cdktest.List(pol.Raw["DependsOn"]), any(bus.LogicalID)) {
			t.Errorf("bus policy DependsOn %v, want the bus %s", pol.Raw["DependsOn"], bus.LogicalID)
		}
		s := pol.Props()["Statement"].(map[string]any)
		equal(t, "effect", s["Effect"], "Allow")
		equalSet(t, "action", s["Action"], "events:PutEvents")
		equal(t, "resource", s["Resource"], "arn:aws:events:ap-northeast-1:222222222222:event-bus/ec2-state")
		equalSet(t, "principal", s["Principal"].(map[string]any)["AWS"], "arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root")
		cond := s["Condition"].(map[string]any)
		if len(cond) != 1 {
			t.Errorf("condition %s, want only ArnEquals aws:SourceArn", cdktest.JSON(cond))
		}
		equalSet(t, "aws:SourceArn", cond["ArnEquals"].(map[string]any)["aws:SourceArn"],
			"arn:aws:events:ap-northeast-1:111111111111:rule/ec2-state-forward",
			"arn:aws:events:ap-northeast-1:333333333333:rule/ec2-state-forward")
		if h.receiver.Bus == nil || h.receiver.BusPolicy == nil {
			t.Error("Bus and BusPolicy must be exposed")
		}
	})

	t.Run("rule on the bus matches the pattern from the sender accounts only", func(t *testing.T) {
		// THEN
		equal(t, "EventBusName", rule.Props()["EventBusName"], "ec2-state")
		equal(t, "State", rule.Props()["State"], "ENABLED")
		equal(t, "EventPattern", rule.Props()["EventPattern"], map[string]any{
			"source": []any{"aws.ec2"}, "detail-type": []any{"EC2 Instance State-change Notification"},
			"account": []any{orders, analytics},
		})
		if got := ruleArn(rule, billing); got != wantRuleArn || h.link.ReceiverRuleArn() != wantRuleArn {
			t.Errorf("rule ARN from the template %s, computed %s, want %s", got, h.link.ReceiverRuleArn(), wantRuleArn)
		}
	})

	t.Run("both targets retry three times within two hours, then go to the delivery dead-letter queue", func(t *testing.T) {
		// THEN
		dlq := checkDeadLetterQueue(t, recv, "ec2-state-deliver-dlq", wantRuleArn)
		fn := recv.One(t, "AWS::Lambda::Function", map[string]any{"FunctionName": "ec2-state"})
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "ec2-state"})
		tg := targets(rule)
		if len(tg) != 2 {
			t.Fatalf("rule has targets %v, want Lambda and Queue", cdktest.JSON(rule.Props()["Targets"]))
		}
		checkTarget(t, "Lambda", tg["Lambda"], getAtt(fn, "Arn"), nil, 3, 7200, dlq)
		checkTarget(t, "Queue", tg["Queue"], getAtt(q, "Arn"), nil, 3, 7200, dlq)
	})

	t.Run("only the rule may invoke the logger", func(t *testing.T) {
		// THEN
		fn := recv.One(t, "AWS::Lambda::Function", map[string]any{"FunctionName": "ec2-state"})
		equal(t, "Runtime", fn.Props()["Runtime"], "provided.al2023")
		equal(t, "Environment", fn.Props()["Environment"], map[string]any{"Variables": map[string]any{"CROSSWIRE_LINK": "ec2-state"}})
		perms := recv.Resources("AWS::Lambda::Permission")
		if len(perms) != 1 {
			t.Fatalf("%d Lambda permissions, want 1: %s", len(perms), cdktest.JSON(perms))
		}
		equal(t, "permission", perms[0].Props(), map[string]any{
			"Action": "lambda:InvokeFunction", "FunctionName": getAtt(fn, "Arn"),
			"Principal": "events.amazonaws.com", "SourceArn": wantRuleArn, "SourceAccount": billing,
		})
	})

	t.Run("queue admits EventBridge only for the rule, over TLS, with its own dead-letter queue", func(t *testing.T) {
		// THEN
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "ec2-state"})
		own := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "ec2-state-dlq"})
		equal(t, "SqsManagedSseEnabled", q.Props()["SqsManagedSseEnabled"], true)
		equal(t, "RedrivePolicy", q.Props()["RedrivePolicy"], map[string]any{"deadLetterTargetArn": getAtt(own, "Arn"), "maxReceiveCount": 5})
		equal(t, "DLQ RedriveAllowPolicy", own.Props()["RedriveAllowPolicy"], map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{h.link.QueueArn()}})
		doc := queuePolicyOf(t, recv, q)
		checkTLSOnly(t, "queue policy", doc)
		s := cdktest.Statement(t, doc, "AllowLinkRuleToSend")
		equal(t, "principal", s["Principal"], map[string]any{"Service": "events.amazonaws.com"})
		equalSet(t, "action", s["Action"], "sqs:SendMessage")
		equal(t, "condition", s["Condition"], map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": wantRuleArn}})
	})

	t.Run("archive keeps the link's events for seven days", func(t *testing.T) {
		// THEN
		a := recv.One(t, "AWS::Events::Archive", map[string]any{"ArchiveName": "ec2-state"})
		equal(t, "SourceArn", a.Props()["SourceArn"], "arn:aws:events:ap-northeast-1:222222222222:event-bus/ec2-state")
		equal(t, "RetentionDays", a.Props()["RetentionDays"], 7)
		equal(t, "EventPattern", a.Props()["EventPattern"], rule.Props()["EventPattern"])
	})
}

func TestBusModeSender(t *testing.T) {
	// GIVEN the bus link of TestBusModeReceiver
	// WHEN both halves are synthesized
	h := scenario(t, "bus")
	for _, account := range []string{orders, analytics} {
		send := h.sendTmpls[account]
		ruleArn := "arn:aws:events:ap-northeast-1:" + account + ":rule/ec2-state-forward"

		t.Run(account+": rule on the default bus forwards the pattern, for its own account's events, to the receiver's bus", func(t *testing.T) {
			// THEN the rule matches only events of its own account: a default bus also
			// carries events relayed from other accounts, which it could not send on
			rule := send.One(t, "AWS::Events::Rule", map[string]any{"Name": "ec2-state-forward"})
			if _, has := rule.Props()["EventBusName"]; has {
				t.Errorf("EventBusName %v, want none: the default bus", rule.Props()["EventBusName"])
			}
			equal(t, "EventPattern", rule.Props()["EventPattern"], map[string]any{"source": []any{"aws.ec2"}, "detail-type": []any{"EC2 Instance State-change Notification"}, "account": []any{account}})
			role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "ec2-state-forwarder"})
			dlq := checkDeadLetterQueue(t, send, "ec2-state-forward-dlq", ruleArn)
			tg := targets(rule)
			checkTarget(t, "ReceiverBus", tg["ReceiverBus"], "arn:aws:events:ap-northeast-1:222222222222:event-bus/ec2-state", getAtt(role, "Arn"), 3, 7200, dlq)
		})

		t.Run(account+": role trusts EventBridge only for this rule and may only put events on that bus", func(t *testing.T) {
			// THEN
			role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "ec2-state-forwarder"})
			trust := cdktest.Statements(role.Props()["AssumeRolePolicyDocument"])
			if len(trust) != 1 {
				t.Fatalf("trust policy has %d statements, want 1", len(trust))
			}
			equal(t, "trust principal", trust[0]["Principal"], map[string]any{"Service": "events.amazonaws.com"})
			equal(t, "trust action", trust[0]["Action"], "sts:AssumeRole")
			equal(t, "trust condition", trust[0]["Condition"], map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": account},
				"ArnEquals":    map[string]any{"aws:SourceArn": ruleArn},
			})
			pols := role.Props()["Policies"].([]any)
			if len(pols) != 1 || role.Props()["ManagedPolicyArns"] != nil {
				t.Fatalf("role policies %s and managed %v, want one inline policy", cdktest.JSON(pols), role.Props()["ManagedPolicyArns"])
			}
			st := cdktest.Statements(pols[0].(map[string]any)["PolicyDocument"])
			if len(st) != 1 {
				t.Fatalf("role policy has %d statements, want 1: %s", len(st), cdktest.JSON(st))
			}
			equal(t, "effect", st[0]["Effect"], "Allow")
			equalSet(t, "action", st[0]["Action"], "events:PutEvents")
			equalSet(t, "resource", st[0]["Resource"], "arn:aws:events:ap-northeast-1:222222222222:event-bus/ec2-state")
			if n := len(send.Resources("AWS::IAM::Policy")); n != 0 {
				t.Errorf("%d separate IAM policies, want none: the role's permission is inline, there when the target is put", n)
			}
		})
	}
}

func TestDefaultBusOrganizationAndDefaults(t *testing.T) {
	// GIVEN a link with a name prefix, from a named sender bus to the receiver's
	// default bus, admitting the organization, with default targets and retries
	// WHEN both halves are synthesized
	h := scenario(t, "bus-default")
	recv, send := h.recvTmpl, h.sendTmpls[orders]

	t.Run("no bus is created; the default bus admits forwarding rules of the link's name from the organization", func(t *testing.T) {
		// THEN
		if n := len(recv.Resources("AWS::Events::EventBus")); n != 0 {
			t.Errorf("%d event buses created, want none", n)
		}
		pol := recv.One(t, "AWS::Events::EventBusPolicy", map[string]any{"EventBusName": "default", "StatementId": "acme-audit-senders"})
		s := pol.Props()["Statement"].(map[string]any)
		equal(t, "principal", s["Principal"], map[string]any{"AWS": "*"})
		equal(t, "resource", s["Resource"], "arn:aws:events:ap-northeast-1:222222222222:event-bus/default")
		equal(t, "condition", s["Condition"], map[string]any{
			"StringEquals": map[string]any{"aws:PrincipalOrgID": org},
			"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:events:ap-northeast-1:*:rule/app-events/acme-audit-forward"},
		})
	})

	t.Run("receiver rule on the default bus leaves out the receiver's own events, delivers to the queue with EventBridge's maximum retries", func(t *testing.T) {
		// THEN
		rule := recv.One(t, "AWS::Events::Rule", map[string]any{"Name": "acme-audit-deliver"})
		if _, has := rule.Props()["EventBusName"]; has {
			t.Errorf("EventBusName %v, want none: the default bus", rule.Props()["EventBusName"])
		}
		// With the organization admitted, accounts beyond the link's may forward; the
		// receiver's own events on its default bus are not the link's.
		equal(t, "EventPattern", rule.Props()["EventPattern"], map[string]any{
			"source":  []any{"acme.audit"},
			"account": []any{map[string]any{"anything-but": []any{"222222222222"}}},
		})
		dlq := checkDeadLetterQueue(t, recv, "acme-audit-deliver-dlq", "arn:aws:events:ap-northeast-1:222222222222:rule/acme-audit-deliver")
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "acme-audit"})
		tg := targets(rule)
		if len(tg) != 1 {
			t.Fatalf("targets %s, want the queue only", cdktest.JSON(rule.Props()["Targets"]))
		}
		checkTarget(t, "Queue", tg["Queue"], getAtt(q, "Arn"), nil, 185, 86400, dlq)
		for _, typ := range []string{"AWS::Lambda::Function", "AWS::Events::Archive"} {
			if n := len(recv.Resources(typ)); n != 0 {
				t.Errorf("%d %s, want none by default", n, typ)
			}
		}
	})

	t.Run("sender rule sits on the named bus", func(t *testing.T) {
		// THEN
		rule := send.One(t, "AWS::Events::Rule", map[string]any{"Name": "acme-audit-forward", "EventBusName": "app-events"})
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "acme-audit-forwarder"})
		trust := cdktest.Statements(role.Props()["AssumeRolePolicyDocument"])[0]
		equal(t, "trust aws:SourceArn", trust["Condition"].(map[string]any)["ArnEquals"], map[string]any{"aws:SourceArn": ruleArn(rule, orders)})
		equal(t, "computed rule ARN", h.link.SenderRuleArn(orders), "arn:aws:events:ap-northeast-1:111111111111:rule/app-events/acme-audit-forward")
	})
}

func TestDirectModeQueue(t *testing.T) {
	// GIVEN a direct link from orders and analytics to a queue in billing, without
	// retries and with a one-minute event age
	// WHEN both halves are synthesized
	h := scenario(t, "direct-queue")
	recv := h.recvTmpl
	roles := []any{"arn:aws:iam::111111111111:role/orders-direct-forwarder", "arn:aws:iam::333333333333:role/orders-direct-forwarder"}

	t.Run("receiver has the queue and no bus, rule or delivery queue", func(t *testing.T) {
		// THEN
		for _, typ := range []string{"AWS::Events::EventBus", "AWS::Events::EventBusPolicy", "AWS::Events::Rule", "AWS::IAM::Role"} {
			if n := len(recv.Resources(typ)); n != 0 {
				t.Errorf("%d %s, want none in direct mode", n, typ)
			}
		}
		if n := len(recv.Resources("AWS::SQS::Queue")); n != 2 {
			t.Errorf("%d queues, want the queue and its dead-letter queue", n)
		}
	})

	t.Run("queue policy admits exactly the senders' execution roles, over TLS", func(t *testing.T) {
		// THEN
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "orders-direct"})
		doc := queuePolicyOf(t, recv, q)
		checkTLSOnly(t, "queue policy", doc)
		s := cdktest.Statement(t, doc, "AllowLinkSenderRoles")
		equalSet(t, "principal", s["Principal"].(map[string]any)["AWS"], "arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root")
		equalSet(t, "action", s["Action"], "sqs:SendMessage")
		equal(t, "resource", s["Resource"], getAtt(q, "Arn"))
		cond := s["Condition"].(map[string]any)
		if len(cond) != 1 {
			t.Errorf("condition %s, want only ArnEquals aws:PrincipalArn", cdktest.JSON(cond))
		}
		equalSet(t, "aws:PrincipalArn", cond["ArnEquals"].(map[string]any)["aws:PrincipalArn"], roles...)
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Errorf("queue policy has %d statements, want 2: %s", n, cdktest.JSON(doc))
		}
	})

	for _, account := range []string{orders, analytics} {
		t.Run(account+": rule targets the remote queue through a role that may only send to it", func(t *testing.T) {
			// THEN
			send := h.sendTmpls[account]
			rule := send.One(t, "AWS::Events::Rule", map[string]any{"Name": "orders-direct-forward"})
			role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "orders-direct-forwarder"})
			ruleArn := "arn:aws:events:ap-northeast-1:" + account + ":rule/orders-direct-forward"
			dlq := checkDeadLetterQueue(t, send, "orders-direct-forward-dlq", ruleArn)
			checkTarget(t, "ReceiverQueue", targets(rule)["ReceiverQueue"], "arn:aws:sqs:ap-northeast-1:222222222222:orders-direct", getAtt(role, "Arn"), 0, 60, dlq)
			equal(t, "trust condition", cdktest.Statements(role.Props()["AssumeRolePolicyDocument"])[0]["Condition"], map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": account},
				"ArnEquals":    map[string]any{"aws:SourceArn": ruleArn},
			})
			st := cdktest.Statements(role.Props()["Policies"].([]any)[0].(map[string]any)["PolicyDocument"])
			if len(st) != 1 {
				t.Fatalf("role policy has %d statements, want 1", len(st))
			}
			equalSet(t, "action", st[0]["Action"], "sqs:SendMessage")
			equalSet(t, "resource", st[0]["Resource"], "arn:aws:sqs:ap-northeast-1:222222222222:orders-direct")
		})
	}
}

func TestDirectModeLambda(t *testing.T) {
	// GIVEN a direct link from orders and analytics to the logger in billing
	// WHEN both halves are synthesized
	h := scenario(t, "direct-lambda")
	recv := h.recvTmpl

	t.Run("function is named after the link and may be invoked by the sender accounts only", func(t *testing.T) {
		// THEN
		fn := recv.One(t, "AWS::Lambda::Function", map[string]any{"FunctionName": "orders-log"})
		var principals []any
		for _, p := range recv.Resources("AWS::Lambda::Permission") {
			props := p.Props()
			equal(t, "action", props["Action"], "lambda:InvokeFunction")
			equal(t, "function", props["FunctionName"], getAtt(fn, "Arn"))
			for _, k := range []string{"SourceArn", "PrincipalOrgID"} {
				if props[k] != nil {
					t.Errorf("%s = %v, want none", k, props[k])
				}
			}
			principals = append(principals, props["Principal"])
		}
		equalSet(t, "principals", principals, orders, analytics)
	})

	t.Run("sender role may only invoke that function", func(t *testing.T) {
		// THEN
		send := h.sendTmpls[orders]
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "orders-log-forwarder"})
		st := cdktest.Statements(role.Props()["Policies"].([]any)[0].(map[string]any)["PolicyDocument"])
		if len(st) != 1 {
			t.Fatalf("role policy has %d statements, want 1", len(st))
		}
		equalSet(t, "action", st[0]["Action"], "lambda:InvokeFunction")
		equalSet(t, "resource", st[0]["Resource"], "arn:aws:lambda:ap-northeast-1:222222222222:function:orders-log")
		rule := send.One(t, "AWS::Events::Rule", map[string]any{"Name": "orders-log-forward"})
		equal(t, "target", targets(rule)["ReceiverLambda"]["Arn"], "arn:aws:lambda:ap-northeast-1:222222222222:function:orders-log")
	})
}

func TestDirectModeTopic(t *testing.T) {
	// GIVEN a direct link to an SNS topic in billing that admits the organization
	// WHEN both halves are synthesized
	h := scenario(t, "direct-topic")
	recv, send := h.recvTmpl, h.sendTmpls[orders]
	topicArn := "arn:aws:sns:ap-northeast-1:222222222222:orders-fanout"
	keyConditions := map[string]any{"StringEquals": map[string]any{
		"kms:ViaService": "sns.ap-northeast-1.amazonaws.com", "kms:EncryptionContext:aws:sns:topicArn": topicArn,
	}}

	t.Run("topic is encrypted with a rotating key and admits only the link's execution roles of the organization", func(t *testing.T) {
		// THEN
		topic := recv.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "orders-fanout"})
		key := recv.Resources("AWS::KMS::Key")
		if len(key) != 1 {
			t.Fatalf("%d keys, want 1", len(key))
		}
		equal(t, "KmsMasterKeyId", topic.Props()["KmsMasterKeyId"], getAtt(key[0], "Arn"))
		equal(t, "EnableKeyRotation", key[0].Props()["EnableKeyRotation"], true)
		recv.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/orders-fanout-topic"})
		doc := recv.One(t, "AWS::SNS::TopicPolicy", map[string]any{"Topics": []any{map[string]any{"Ref": topic.LogicalID}}}).Props()["PolicyDocument"]
		checkTLSOnly(t, "topic policy", doc)
		s := cdktest.Statement(t, doc, "AllowLinkSenderRoles")
		equal(t, "principal", s["Principal"], map[string]any{"AWS": "*"})
		equalSet(t, "action", s["Action"], "sns:Publish")
		equal(t, "resource", s["Resource"], map[string]any{"Ref": topic.LogicalID})
		equal(t, "condition", s["Condition"], map[string]any{
			"StringEquals": map[string]any{"aws:PrincipalOrgID": org},
			"ArnLike":      map[string]any{"aws:PrincipalArn": "arn:aws:iam::*:role/orders-fanout-forwarder"},
		})
		ks := cdktest.Statement(t, key[0].Props()["KeyPolicy"], "AllowLinkSenderRolesThroughSNS")
		equalSet(t, "key actions", ks["Action"], "kms:Decrypt", "kms:GenerateDataKey")
		equal(t, "key condition", ks["Condition"], map[string]any{
			"StringEquals": map[string]any{
				"aws:PrincipalOrgID": org, "kms:ViaService": "sns.ap-northeast-1.amazonaws.com",
				"kms:EncryptionContext:aws:sns:topicArn": topicArn,
			},
			"ArnLike": map[string]any{"aws:PrincipalArn": "arn:aws:iam::*:role/orders-fanout-forwarder"},
		})
	})

	t.Run("sender role may only publish to the topic and use its key through SNS", func(t *testing.T) {
		// THEN
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "orders-fanout-forwarder"})
		doc := role.Props()["Policies"].([]any)[0].(map[string]any)["PolicyDocument"]
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Errorf("role policy has %d statements, want 2", n)
		}
		pub := cdktest.Statement(t, doc, "DeliverToReceiverTarget")
		equalSet(t, "publish action", pub["Action"], "sns:Publish")
		equalSet(t, "publish resource", pub["Resource"], topicArn)
		kms := cdktest.Statement(t, doc, "UseReceiverTopicKeyThroughSNS")
		equalSet(t, "key actions", kms["Action"], "kms:Decrypt", "kms:GenerateDataKey")
		equalSet(t, "key resource", kms["Resource"], "arn:aws:kms:ap-northeast-1:222222222222:key/*")
		equal(t, "key condition", kms["Condition"], keyConditions)
		rule := send.One(t, "AWS::Events::Rule", map[string]any{"Name": "orders-fanout-forward"})
		equal(t, "target", targets(rule)["ReceiverTopic"]["Arn"], topicArn)
	})
}

// TestHalvesAgree checks, for every scenario, that what a sender names in the
// receiver account is what the receiver creates there, and that what the receiver
// admits is what the sender creates: each side computed the other from the link alone.
func TestHalvesAgree(t *testing.T) {
	for name := range scenarios {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized halves of the scenario
			h := scenario(t, name)
			recv := cdktest.JSON(h.recvTmpl)
			for account, send := range h.sendTmpls {
				// WHEN the sender's rule, role and target are read from its template
				rule := send.Resources("AWS::Events::Rule")
				role := send.Resources("AWS::IAM::Role")
				if len(rule) != 1 || len(role) != 1 {
					t.Fatalf("%s: %d rules and %d roles, want one each", account, len(rule), len(role))
				}
				var target map[string]any
				for _, tg := range targets(rule[0]) {
					target = tg
				}
				arn := target["Arn"].(string)
				parts := strings.Split(arn, ":")
				// THEN the target is in the receiver account and the region
				if parts[3] != region || parts[4] != h.link.ReceiverAccount {
					t.Errorf("%s: target %s is not in %s/%s", account, arn, region, h.link.ReceiverAccount)
				}
				// AND the receiver creates it under that name (or uses the default bus)
				switch parts[2] {
				case "events":
					bus := strings.TrimPrefix(parts[5], "event-bus/")
					if bus != "default" {
						h.recvTmpl.One(t, "AWS::Events::EventBus", map[string]any{"Name": bus})
					}
					h.recvTmpl.One(t, "AWS::Events::EventBusPolicy", map[string]any{"EventBusName": bus})
				case "sqs":
					h.recvTmpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": parts[5]})
				case "lambda":
					h.recvTmpl.One(t, "AWS::Lambda::Function", map[string]any{"FunctionName": parts[6]})
				case "sns":
					h.recvTmpl.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": parts[5]})
				default:
					t.Errorf("%s: unexpected target service in %s", account, arn)
				}
				// AND the receiver admits this sender by what the sender creates: its rule
				// (bus mode) or its role (direct mode), by exact ARN or, for the organization,
				// by the link's name
				var admitted []string
				if parts[2] == "events" {
					admitted = []string{ruleArn(rule[0], account), h.link.SenderRuleArn("*")}
				} else {
					admitted = []string{"arn:aws:iam::" + account + ":role/" + role[0].Props()["RoleName"].(string), h.link.SenderRoleArn("*"), `"Principal":"` + account + `"`}
				}
				if !slices.ContainsFunc(admitted, func(s string) bool { return strings.Contains(recv, s) }) {
					t.Errorf("%s: the receiver admits none of %v", account, admitted)
				}
				// AND the role's trust names the rule the sender created
				trust := cdktest.JSON(role[0].Props()["AssumeRolePolicyDocument"])
				if !strings.Contains(trust, `"aws:SourceArn":"`+ruleArn(rule[0], account)+`"`) {
					t.Errorf("%s: role trust %s does not pin rule %s", account, trust, ruleArn(rule[0], account))
				}
			}
		})
	}
}

func TestCdkNagAwsSolutions(t *testing.T) {
	for name := range scenarios {
		t.Run(name, func(t *testing.T) {
			// GIVEN the scenario synthesized with cdk-nag's AwsSolutions pack
			h := scenario(t, name)
			all := map[string]awscdk.Stack{"receiver": h.recvStack}
			for a, s := range h.sendStacks {
				all["sender "+a] = s
			}
			for what, st := range all {
				// WHEN the findings of each stack are collected
				errs, warns := cdktest.NagFindings(st)
				// THEN no error is left unsuppressed
				for _, e := range errs {
					t.Errorf("%s: unsuppressed cdk-nag error %s", what, e)
				}
				for _, w := range warns {
					t.Logf("%s: cdk-nag warning %s", what, w)
				}
			}
		})
	}
}

func TestEveryNagSuppressionHasAReasonAndIsNarrowed(t *testing.T) {
	// GIVEN every template of every scenario
	n := 0
	for name := range scenarios {
		h := scenario(t, name)
		tmpls := map[string]cdktest.Tmpl{"receiver": h.recvTmpl}
		for a, tpl := range h.sendTmpls {
			tmpls["sender "+a] = tpl
		}
		for what, tpl := range tmpls {
			res, _ := tpl["Resources"].(map[string]any)
			for id, r := range res {
				meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
				nag, _ := meta["cdk_nag"].(map[string]any)
				for _, x := range cdktest.List(nag["rules_to_suppress"]) {
					// WHEN a suppression is found
					rule := x.(map[string]any)
					n++
					// THEN it carries a reason a reviewer can check
					if reason, _ := rule["reason"].(string); len(reason) < 60 {
						t.Errorf("%s %s/%s: suppression %v has a thin reason %q", name, what, id, rule["id"], reason)
					}
					// AND a rule with granular findings is narrowed to them
					if rule["id"] == "AwsSolutions-IAM5" && len(cdktest.List(rule["applies_to"])) == 0 {
						t.Errorf("%s %s/%s: IAM5 suppression without applies_to", name, what, id)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("found no suppression at all; the topic link needs one (key wildcard)")
	}
}

func TestGrantConsume(t *testing.T) {
	// GIVEN the receiver of a direct queue link and a consumer role in its account
	app := cdktest.NewApp(t, "")
	stack := awscdk.NewStack(app, jsii.String("R"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(billing), Region: jsii.String(region)}})
	l := scenarios["direct-queue"]
	r := bustobus.NewReceiver(stack, "q", &bustobus.ReceiverProps{Link: l})
	consumer := awsiam.NewRole(stack, jsii.String("Consumer"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})

	// WHEN the consumer is granted consumption
	r.GrantConsume(consumer)

	// THEN its policy receives and deletes from the queue
	tpl := cdktest.Template(t, stack)
	doc := cdktest.JSON(tpl.Resources("AWS::IAM::Policy")[0].Props()["PolicyDocument"])
	for _, want := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage"} {
		if !strings.Contains(doc, want) {
			t.Errorf("consumer policy lacks %s: %s", want, doc)
		}
	}
	// AND a receiver without a queue refuses
	msg := cdktest.Panics(t, func() {
		bustobus.NewReceiver(awscdk.NewStack(app, jsii.String("R2"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(billing), Region: jsii.String(region)}}), "t", &bustobus.ReceiverProps{Link: scenarios["direct-topic"]}).GrantConsume(consumer)
	})
	if !strings.Contains(msg, "no queue target") {
		t.Errorf("panic %q, want it to say there is no queue target", msg)
	}
}

func TestHalvesRejectWrongPlacesAndBadLinks(t *testing.T) {
	link := scenarios["direct-queue"]
	newStack := func(account, rg string) awscdk.Stack {
		return awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(rg)},
		})
	}
	bad := link
	bad.EventPattern = `["aws.ec2"]`
	bad.RetryAttempts = retries(500)
	cases := []struct {
		name string
		f    func()
		want []string
	}{
		{"receiver in a sender's stack", func() {
			bustobus.NewReceiver(newStack(orders, region), "b", &bustobus.ReceiverProps{Link: link})
		}, []string{"account 222222222222", "account 111111111111"}},
		{"receiver in another region", func() {
			bustobus.NewReceiver(newStack(billing, "eu-west-1"), "b", &bustobus.ReceiverProps{Link: link})
		}, []string{"region ap-northeast-1", "region eu-west-1"}},
		{"sender for an account that does not send", func() {
			bustobus.NewSender(newStack(billing, region), "b", &bustobus.SenderProps{Link: link})
		}, []string{`account "222222222222" is not a sender account`}},
		{"invalid link reports every problem", func() {
			bustobus.NewSender(newStack(orders, region), "b", &bustobus.SenderProps{Link: bad})
		}, []string{"2 problems", "must be a JSON object, not an array", "retryAttempts 500"}},
		{"nil props", func() { bustobus.NewReceiver(newStack(billing, region), "b", nil) }, []string{"needs props"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a half asked to build in the wrong place or from a bad link
			// WHEN it is created
			msg := cdktest.Panics(t, c.f)
			// THEN it panics with a message naming the problem
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("panic %q does not mention %q", msg, w)
				}
			}
		})
	}

	t.Run("a sender in its own account builds", func(t *testing.T) {
		// GIVEN the sender account's stack
		// WHEN the sender half is built there without naming the account
		s := bustobus.NewSender(newStack(analytics, region), "b", &bustobus.SenderProps{Link: link})
		// THEN it defaults to the stack's account
		if s.Account != analytics || s.Rule == nil || s.Role == nil || s.DeadLetterQueue == nil {
			t.Errorf("Account = %q, Rule/Role/DeadLetterQueue exposed: %v %v %v", s.Account, s.Rule != nil, s.Role != nil, s.DeadLetterQueue != nil)
		}
	})
}
