package snstoremotesqs_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// halves is one topic link synthesized as the topology deploys it, with cdk-nag's
// AwsSolutions checks: the sender half in the sender account's stack, and for each
// receiver account its receiver half in one stack and its subscription in a second
// stack that depends on the sender's stack and on the receiver's own.
type halves struct {
	sender     *snstoremotesqs.Sender
	receivers  map[string]*snstoremotesqs.Receiver
	subs       map[string]*snstoremotesqs.Subscription
	stacks     map[string]awscdk.Stack
	send       cdktest.Tmpl
	recv, subT map[string]cdktest.Tmpl
}

func build(t *testing.T, l snstoremotesqs.Link) halves {
	t.Helper()
	app := cdktest.NewApp(t, "")
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	h := halves{
		receivers: map[string]*snstoremotesqs.Receiver{}, subs: map[string]*snstoremotesqs.Subscription{},
		stacks: map[string]awscdk.Stack{}, recv: map[string]cdktest.Tmpl{}, subT: map[string]cdktest.Tmpl{},
	}
	stack := func(id, account string) awscdk.Stack {
		s := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
		h.stacks[id] = s
		return s
	}
	ss := stack("Sender", l.SenderAccount)
	h.sender = snstoremotesqs.NewSender(ss, l.Name, &snstoremotesqs.SenderProps{Link: l})
	for _, a := range l.ReceiverAccounts {
		rs := stack("Receiver"+a, a)
		h.receivers[a] = snstoremotesqs.NewReceiver(rs, l.Name, &snstoremotesqs.ReceiverProps{Link: l, Account: a})
		ws := stack("Subscription"+a, a)
		ws.AddStackDependency(ss, jsii.String("subscribes to its topic"))
		ws.AddStackDependency(rs, jsii.String("subscribes its queue"))
		h.subs[a] = snstoremotesqs.NewSubscription(ws, l.Name, &snstoremotesqs.SubscriptionProps{Link: l, Account: a})
	}
	h.send = template(t, ss)
	for _, a := range l.ReceiverAccounts {
		h.recv[a] = template(t, h.stacks["Receiver"+a])
		h.subT[a] = template(t, h.stacks["Subscription"+a])
	}
	return h
}

var reportPath = regexp.MustCompile(`found in: (\S+)`)

// template synthesizes st's app (once) and returns st's template. A failed synth (an
// unsuppressed cdk-nag error fails the app's validation) fails the test with the
// validation report, which names the rule and the resource.
func template(t *testing.T, st awscdk.Stack) cdktest.Tmpl {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if m := reportPath.FindStringSubmatch(msg); m != nil {
				report, _ := os.ReadFile(m[1])
				msg += "\n" + string(report)
			}
			t.Fatalf("synth failed: %s", msg)
		}
	}()
	return cdktest.Template(t, st)
}

func strs(v any) []string {
	var out []string
	for _, x := range cdktest.List(v) {
		out = append(out, cdktest.JSON(x))
	}
	slices.Sort(out)
	return out
}

func equalSet(t *testing.T, what string, got any, want ...any) {
	t.Helper()
	if g, w := strs(got), strs(want); !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v", what, g, w)
	}
}

func equalJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := cdktest.JSON(got), cdktest.JSON(want); g != w {
		t.Errorf("%s =\n%s\nwant\n%s", what, g, w)
	}
}

// sids returns the Sids of a policy document's statements, sorted; "" for none.
func sids(doc any) []string {
	var out []string
	for _, s := range cdktest.Statements(doc) {
		sid, _ := s["Sid"].(string)
		out = append(out, sid)
	}
	slices.Sort(out)
	return out
}

func getAtt(id string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }
func ref(id string) map[string]any    { return map[string]any{"Ref": id} }

// tlsDeny checks the statement that CDK's EnforceSSL adds to a queue policy.
func tlsDeny(t *testing.T, what string, doc any, queueID string) {
	t.Helper()
	for _, s := range cdktest.Statements(doc) {
		if s["Effect"] == "Deny" {
			equalJSON(t, what+" TLS deny", s, map[string]any{
				"Action": "sqs:*", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Resource": getAtt(queueID),
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})
			return
		}
	}
	t.Errorf("%s has no TLS deny: %s", what, cdktest.JSON(doc))
}

func noNagErrors(t *testing.T, h halves) {
	t.Helper()
	for name, st := range h.stacks {
		errs, warns := cdktest.NagFindings(st)
		for _, e := range errs {
			t.Errorf("%s: unsuppressed cdk-nag error %s", name, e)
		}
		for _, w := range warns {
			t.Logf("%s: cdk-nag warning %s", name, w)
		}
	}
}

func TestDefaultsFanOutToTwoAccounts(t *testing.T) {
	// GIVEN the order-events link from orders to billing and analytics, every default
	link := snstoremotesqs.Link{Name: "order-events", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing, analytics}}
	topicArn := "arn:aws:sns:ap-northeast-1:111111111111:order-events"

	// WHEN the three halves of every receiver are synthesized
	h := build(t, link)
	send := h.send

	t.Run("topic is standard, named from the link and encrypted with a rotating retained key", func(t *testing.T) {
		// THEN
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "order-events"})
		keys := send.Resources("AWS::KMS::Key")
		if len(keys) != 1 {
			t.Fatalf("sender has %d keys, want 1", len(keys))
		}
		key := keys[0]
		equalJSON(t, "topic properties", topic.Props(), map[string]any{"TopicName": "order-events", "KmsMasterKeyId": getAtt(key.LogicalID)})
		if key.Props()["EnableKeyRotation"] != true || key.Raw["DeletionPolicy"] != "Retain" || key.Raw["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("key: rotation %v, DeletionPolicy %v, UpdateReplacePolicy %v; want rotation and Retain", key.Props()["EnableKeyRotation"], key.Raw["DeletionPolicy"], key.Raw["UpdateReplacePolicy"])
		}
		send.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/order-events", "TargetKeyId": getAtt(key.LogicalID)})
		// Publishers use the key through their identity policy, which the account's
		// root statement enables; SNS and the receivers need nothing on it.
		equalJSON(t, "topic key policy", key.Props()["KeyPolicy"].(map[string]any)["Statement"], []any{map[string]any{
			"Action": "kms:*", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"}, "Resource": "*",
		}})
	})

	t.Run("topic policy admits the publisher, each receiver for its own queue only, and only TLS", func(t *testing.T) {
		// THEN
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "order-events"})
		pol := send.One(t, "AWS::SNS::TopicPolicy", map[string]any{"Topics": []any{ref(topic.LogicalID)}})
		doc := pol.Props()["PolicyDocument"]
		if got, want := sids(doc), []string{"AllowPublishFromLinkPublishers", "AllowSubscribeOwnQueue222222222222", "AllowSubscribeOwnQueue333333333333", "DenyWithoutTLS"}; !slices.Equal(got, want) {
			t.Fatalf("topic policy statements %v, want %v", got, want)
		}
		equalJSON(t, "publish statement", cdktest.Statement(t, doc, "AllowPublishFromLinkPublishers"), map[string]any{
			"Sid": "AllowPublishFromLinkPublishers", "Effect": "Allow", "Action": "sns:Publish", "Resource": topicArn,
			"Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"},
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::111111111111:role/order-events-publisher"}}},
		})
		for _, a := range []string{billing, analytics} {
			equalJSON(t, "subscribe statement of "+a, cdktest.Statement(t, doc, "AllowSubscribeOwnQueue"+a), map[string]any{
				"Sid": "AllowSubscribeOwnQueue" + a, "Effect": "Allow", "Action": "sns:Subscribe", "Resource": topicArn,
				"Principal": map[string]any{"AWS": "arn:aws:iam::" + a + ":root"},
				"Condition": map[string]any{"StringEquals": map[string]any{
					"sns:Protocol": "sqs", "sns:Endpoint": "arn:aws:sqs:ap-northeast-1:" + a + ":order-events",
				}},
			})
		}
		equalJSON(t, "TLS deny", cdktest.Statement(t, doc, "DenyWithoutTLS"), map[string]any{
			"Sid": "DenyWithoutTLS", "Effect": "Deny", "Action": []any{"sns:Publish", "sns:Subscribe"}, "Resource": topicArn,
			"Principal": map[string]any{"AWS": "*"},
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		})
	})

	t.Run("publisher role may publish to the topic and use its key only through SNS for this topic", func(t *testing.T) {
		// THEN
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "order-events-publisher"})
		equalJSON(t, "publisher trust", role.Props()["AssumeRolePolicyDocument"].(map[string]any)["Statement"], []any{map[string]any{
			"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"},
		}})
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "order-events"})
		key := send.Resources("AWS::KMS::Key")[0]
		pol := send.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{ref(role.LogicalID)}})
		doc := pol.Props()["PolicyDocument"]
		if got := sids(doc); !slices.Equal(got, []string{"PublishToLinkTopic", "UseLinkTopicKeyThroughSNS"}) {
			t.Fatalf("publisher policy statements %v", got)
		}
		equalJSON(t, "publish", cdktest.Statement(t, doc, "PublishToLinkTopic"), map[string]any{
			"Sid": "PublishToLinkTopic", "Effect": "Allow", "Action": "sns:Publish", "Resource": ref(topic.LogicalID),
		})
		equalJSON(t, "key use", cdktest.Statement(t, doc, "UseLinkTopicKeyThroughSNS"), map[string]any{
			"Sid": "UseLinkTopicKeyThroughSNS", "Effect": "Allow", "Action": []any{"kms:Decrypt", "kms:GenerateDataKey"},
			"Resource": getAtt(key.LogicalID),
			"Condition": map[string]any{"StringEquals": map[string]any{
				"kms:ViaService": "sns.ap-northeast-1.amazonaws.com", "kms:EncryptionContext:aws:sns:topicArn": topicArn,
			}},
		})
		if h.sender.PublisherRole == nil || len(h.sender.Roles) != 1 || h.sender.Key == nil {
			t.Errorf("sender exposes PublisherRole %v, %d roles, Key %v; want the created role and the key", h.sender.PublisherRole, len(h.sender.Roles), h.sender.Key)
		}
	})

	for _, a := range []string{billing, analytics} {
		recv := h.recv[a]
		queueArn := "arn:aws:sqs:ap-northeast-1:" + a + ":order-events"

		t.Run(a+": queue has CrossAccountQueue's receiver defaults", func(t *testing.T) {
			// THEN
			q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "order-events"})
			dlq := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "order-events-dlq"})
			equalJSON(t, "queue properties", q.Props(), map[string]any{
				"QueueName": "order-events", "SqsManagedSseEnabled": true, "ReceiveMessageWaitTimeSeconds": 20,
				"VisibilityTimeout": 30, "MessageRetentionPeriod": 345600,
				"RedrivePolicy": map[string]any{"deadLetterTargetArn": getAtt(dlq.LogicalID), "maxReceiveCount": 5},
			})
			equalJSON(t, "dead-letter queue properties", dlq.Props(), map[string]any{
				"QueueName": "order-events-dlq", "SqsManagedSseEnabled": true, "MessageRetentionPeriod": 1209600,
				"RedriveAllowPolicy": map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{queueArn}},
			})
			for _, r := range []cdktest.Resource{q, dlq} {
				if r.Raw["DeletionPolicy"] != "Retain" || r.Raw["UpdateReplacePolicy"] != "Retain" {
					t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v, want Retain", r.LogicalID, r.Raw["DeletionPolicy"], r.Raw["UpdateReplacePolicy"])
				}
			}
			if n := len(recv.Resources("AWS::SQS::Queue")) + len(recv.Resources("AWS::KMS::Key")) + len(recv.Resources("AWS::SNS::Subscription")); n != 2 {
				t.Errorf("receiver has %d queues, keys and subscriptions, want the 2 queues only", n)
			}
			if h.receivers[a].SubscriptionDeadLetterQueue != nil || h.receivers[a].Key != nil || h.receivers[a].Account != a {
				t.Errorf("receiver exposes %+v", h.receivers[a])
			}
		})

		t.Run(a+": queue policy admits SNS only for this topic, and only over TLS", func(t *testing.T) {
			// THEN
			q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "order-events"})
			doc := recv.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{ref(q.LogicalID)}}).Props()["PolicyDocument"]
			if got := sids(doc); !slices.Equal(got, []string{"", "AllowSNSFromLinkTopic"}) {
				t.Fatalf("queue policy statements %v, want the TLS deny and AllowSNSFromLinkTopic", got)
			}
			equalJSON(t, "SNS statement", cdktest.Statement(t, doc, "AllowSNSFromLinkTopic"), map[string]any{
				"Sid": "AllowSNSFromLinkTopic", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": getAtt(q.LogicalID),
				"Principal": map[string]any{"Service": "sns.amazonaws.com"},
				"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topicArn}},
			})
			tlsDeny(t, "queue policy", doc, q.LogicalID)
			dlq := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "order-events-dlq"})
			dlqDoc := recv.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{ref(dlq.LogicalID)}}).Props()["PolicyDocument"]
			if n := len(cdktest.Statements(dlqDoc)); n != 1 {
				t.Errorf("dead-letter queue policy has %d statements, want only the TLS deny: %s", n, cdktest.JSON(dlqDoc))
			}
			tlsDeny(t, "dead-letter queue policy", dlqDoc, dlq.LogicalID)
		})

		t.Run(a+": subscription is plain SQS delivery of every message to the own queue", func(t *testing.T) {
			// THEN
			subs := h.subT[a].Resources("AWS::SNS::Subscription")
			if len(subs) != 1 {
				t.Fatalf("%d subscriptions, want 1", len(subs))
			}
			equalJSON(t, "subscription properties", subs[0].Props(), map[string]any{
				"Protocol": "sqs", "TopicArn": topicArn, "Endpoint": queueArn, "Region": region,
			})
			if n := len(h.subT[a]["Resources"].(map[string]any)); n != 1 {
				t.Errorf("subscription stack has %d resources, want only the subscription", n)
			}
			if h.subs[a].Account != a || h.subs[a].Resource == nil {
				t.Errorf("subscription exposes Account %q, Resource %v", h.subs[a].Account, h.subs[a].Resource)
			}
		})
	}

	t.Run("the halves agree on every name and ARN", func(t *testing.T) {
		// THEN the topic the receivers subscribe to and admit is the topic the sender
		// created, in the sender's account
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "order-events"})
		created := "arn:aws:sns:" + region + ":" + orders + ":" + topic.Props()["TopicName"].(string)
		for _, a := range link.ReceiverAccounts {
			sub := h.subT[a].Resources("AWS::SNS::Subscription")[0].Props()
			if sub["TopicArn"] != created {
				t.Errorf("%s subscribes to %v, the sender created %s", a, sub["TopicArn"], created)
			}
			q := h.recv[a].One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "order-events"})
			doc := h.recv[a].One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{ref(q.LogicalID)}}).Props()["PolicyDocument"]
			equalSet(t, a+" queue policy source", cdktest.Statement(t, doc, "AllowSNSFromLinkTopic")["Condition"].(map[string]any)["ArnEquals"].(map[string]any)["aws:SourceArn"], created)
			// And the endpoint the sender admits and the receiver subscribes is the
			// queue the receiver created.
			queue := "arn:aws:sqs:" + region + ":" + a + ":" + q.Props()["QueueName"].(string)
			if sub["Endpoint"] != queue {
				t.Errorf("%s subscribes endpoint %v, its queue is %s", a, sub["Endpoint"], queue)
			}
			pol := send.Resources("AWS::SNS::TopicPolicy")[0].Props()["PolicyDocument"]
			cond := cdktest.Statement(t, pol, "AllowSubscribeOwnQueue"+a)["Condition"].(map[string]any)["StringEquals"].(map[string]any)
			if cond["sns:Endpoint"] != queue {
				t.Errorf("topic policy lets %s subscribe %v, its queue is %s", a, cond["sns:Endpoint"], queue)
			}
		}
		// And the publisher the topic policy admits is the role the sender created.
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "order-events-publisher"})
		pol := send.Resources("AWS::SNS::TopicPolicy")[0].Props()["PolicyDocument"]
		equalSet(t, "admitted publishers", cdktest.Statement(t, pol, "AllowPublishFromLinkPublishers")["Condition"].(map[string]any)["ArnEquals"].(map[string]any)["aws:PrincipalArn"],
			"arn:aws:iam::"+orders+":role/"+role.Props()["RoleName"].(string))
	})

	t.Run("cdk-nag AwsSolutions finds no unsuppressed error", func(t *testing.T) {
		// THEN
		noNagErrors(t, h)
	})
}

func TestFifoKmsQueuesAndSubscriptionOptions(t *testing.T) {
	// GIVEN a FIFO link with content-based deduplication, the AWS managed topic key,
	// publisher roles of its own, customer managed queue keys, 3 receives, and per
	// receiver: billing with raw delivery, an attribute filter and a subscription
	// dead-letter queue; analytics with a body filter given as JSON
	pubA, pubB := "arn:aws:iam::111111111111:role/checkout", "arn:aws:iam::111111111111:role/batch/export"
	bodyFilter := `{"order": {"total": [{"numeric": [">=", 100]}], "currency": ["JPY", "USD"]}}`
	link := snstoremotesqs.Link{
		Name: "prices", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing, analytics},
		Options: snstoremotesqs.Options{
			Fifo: true, ContentBasedDeduplication: true, Encryption: snstoremotesqs.TopicEncryptionAWSManaged,
			PublisherRoleArns: []string{pubA, pubB}, QueueEncryption: crossaccountqueue.EncryptionKMS,
			MaxReceiveCount: 3, VisibilityTimeout: time.Minute,
			Receivers: map[string]snstoremotesqs.ReceiverOptions{
				billing: {
					RawMessageDelivery: true, SubscriptionDeadLetterQueue: true,
					FilterPolicy: map[string]any{"eventType": []any{"price_changed", "price_removed"}},
				},
				analytics: {FilterPolicy: bodyFilter, FilterPolicyScope: snstoremotesqs.FilterPolicyScopeMessageBody},
			},
		},
	}
	topicArn := "arn:aws:sns:ap-northeast-1:111111111111:prices.fifo"

	// WHEN the halves are synthesized
	h := build(t, link)
	send := h.send

	t.Run("topic is FIFO with content-based deduplication and the AWS managed key", func(t *testing.T) {
		// THEN
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "prices.fifo"})
		equalJSON(t, "topic properties", topic.Props(), map[string]any{
			"TopicName": "prices.fifo", "FifoTopic": true, "ContentBasedDeduplication": true,
			"KmsMasterKeyId": "arn:aws:kms:ap-northeast-1:111111111111:alias/aws/sns",
		})
		if n := len(send.Resources("AWS::KMS::Key")) + len(send.Resources("AWS::IAM::Role")); n != 0 || h.sender.Key != nil || h.sender.PublisherRole != nil {
			t.Errorf("sender created %d keys and roles (Key %v, PublisherRole %v), want none", n, h.sender.Key, h.sender.PublisherRole)
		}
	})

	t.Run("the listed publisher roles are admitted and may publish, with no key statement", func(t *testing.T) {
		// THEN
		pol := send.Resources("AWS::SNS::TopicPolicy")[0].Props()["PolicyDocument"]
		s := cdktest.Statement(t, pol, "AllowPublishFromLinkPublishers")
		equalSet(t, "admitted publishers", s["Condition"].(map[string]any)["ArnEquals"].(map[string]any)["aws:PrincipalArn"], pubA, pubB)
		equalSet(t, "subscribe endpoints", []any{
			cdktest.Statement(t, pol, "AllowSubscribeOwnQueue"+billing)["Condition"].(map[string]any)["StringEquals"].(map[string]any)["sns:Endpoint"],
			cdktest.Statement(t, pol, "AllowSubscribeOwnQueue"+analytics)["Condition"].(map[string]any)["StringEquals"].(map[string]any)["sns:Endpoint"],
		}, "arn:aws:sqs:ap-northeast-1:222222222222:prices.fifo", "arn:aws:sqs:ap-northeast-1:333333333333:prices.fifo")
		idp := send.Resources("AWS::IAM::Policy")
		if len(idp) != 1 {
			t.Fatalf("%d identity policies, want 1", len(idp))
		}
		topic := send.One(t, "AWS::SNS::Topic", map[string]any{"TopicName": "prices.fifo"})
		equalJSON(t, "publisher policy", idp[0].Props()["PolicyDocument"].(map[string]any)["Statement"], []any{map[string]any{
			"Sid": "PublishToLinkTopic", "Effect": "Allow", "Action": "sns:Publish", "Resource": ref(topic.LogicalID),
		}})
		equalSet(t, "policy roles", idp[0].Props()["Roles"], "checkout", "export")
		if len(h.sender.Roles) != 2 {
			t.Errorf("sender exposes %d roles, want 2", len(h.sender.Roles))
		}
	})

	for _, a := range []string{billing, analytics} {
		recv := h.recv[a]
		t.Run(a+": FIFO queues, encrypted with a key that admits SNS only for this topic", func(t *testing.T) {
			// THEN
			keys := recv.Resources("AWS::KMS::Key")
			if len(keys) != 1 {
				t.Fatalf("%d keys, want 1", len(keys))
			}
			key := keys[0]
			if key.Props()["EnableKeyRotation"] != true || key.Raw["DeletionPolicy"] != "Retain" {
				t.Errorf("key: rotation %v, DeletionPolicy %v; want rotation and Retain", key.Props()["EnableKeyRotation"], key.Raw["DeletionPolicy"])
			}
			recv.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/prices"})
			kp := key.Props()["KeyPolicy"]
			if got := sids(kp); !slices.Equal(got, []string{"", "AllowSNSFromLinkTopic"}) {
				t.Fatalf("key policy statements %v, want the account's and AllowSNSFromLinkTopic", got)
			}
			equalJSON(t, "key SNS statement", cdktest.Statement(t, kp, "AllowSNSFromLinkTopic"), map[string]any{
				"Sid": "AllowSNSFromLinkTopic", "Effect": "Allow", "Action": []any{"kms:Decrypt", "kms:GenerateDataKey"}, "Resource": "*",
				"Principal": map[string]any{"Service": "sns.amazonaws.com"},
				"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topicArn}},
			})
			names := []string{"prices.fifo", "prices-dlq.fifo"}
			if a == billing {
				names = append(names, "prices-sns-dlq.fifo")
			}
			if n := len(recv.Resources("AWS::SQS::Queue")); n != len(names) {
				t.Errorf("%d queues, want %v", n, names)
			}
			for _, name := range names {
				q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": name})
				if q.Props()["FifoQueue"] != true || cdktest.JSON(q.Props()["KmsMasterKeyId"]) != cdktest.JSON(getAtt(key.LogicalID)) {
					t.Errorf("%s: FifoQueue %v, KmsMasterKeyId %s; want FIFO and the link key", name, q.Props()["FifoQueue"], cdktest.JSON(q.Props()["KmsMasterKeyId"]))
				}
			}
			q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "prices.fifo"})
			if got := cdktest.JSON(q.Props()["RedrivePolicy"].(map[string]any)["maxReceiveCount"]); got != "3" || cdktest.JSON(q.Props()["VisibilityTimeout"]) != "60" {
				t.Errorf("maxReceiveCount %s, VisibilityTimeout %v; want 3 and 60", got, q.Props()["VisibilityTimeout"])
			}
		})
	}

	t.Run("billing: subscription dead-letter queue admits SNS only for this topic", func(t *testing.T) {
		// THEN
		recv := h.recv[billing]
		sdlq := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "prices-sns-dlq.fifo"})
		if sdlq.Raw["DeletionPolicy"] != "Retain" || cdktest.JSON(sdlq.Props()["MessageRetentionPeriod"]) != "1209600" {
			t.Errorf("subscription DLQ: DeletionPolicy %v, retention %v; want Retain and 14 days", sdlq.Raw["DeletionPolicy"], sdlq.Props()["MessageRetentionPeriod"])
		}
		doc := recv.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{ref(sdlq.LogicalID)}}).Props()["PolicyDocument"]
		if got := sids(doc); !slices.Equal(got, []string{"", "AllowSNSFromLinkTopic"}) {
			t.Fatalf("subscription DLQ policy statements %v", got)
		}
		equalJSON(t, "SNS statement", cdktest.Statement(t, doc, "AllowSNSFromLinkTopic"), map[string]any{
			"Sid": "AllowSNSFromLinkTopic", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": getAtt(sdlq.LogicalID),
			"Principal": map[string]any{"Service": "sns.amazonaws.com"},
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topicArn}},
		})
		tlsDeny(t, "subscription DLQ policy", doc, sdlq.LogicalID)
		if h.receivers[billing].SubscriptionDeadLetterQueue == nil || h.receivers[analytics].SubscriptionDeadLetterQueue != nil {
			t.Errorf("SubscriptionDeadLetterQueue: billing %v, analytics %v; want billing only", h.receivers[billing].SubscriptionDeadLetterQueue, h.receivers[analytics].SubscriptionDeadLetterQueue)
		}
	})

	t.Run("billing: raw delivery, attribute filter and redrive to its own subscription dead-letter queue", func(t *testing.T) {
		// THEN
		sub := h.subT[billing].Resources("AWS::SNS::Subscription")[0]
		sdlq := h.recv[billing].One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "prices-sns-dlq.fifo"})
		equalJSON(t, "subscription properties", sub.Props(), map[string]any{
			"Protocol": "sqs", "TopicArn": topicArn, "Endpoint": "arn:aws:sqs:ap-northeast-1:222222222222:prices.fifo", "Region": region,
			"RawMessageDelivery": true,
			"FilterPolicy":       map[string]any{"eventType": []any{"price_changed", "price_removed"}},
			"FilterPolicyScope":  "MessageAttributes",
			// The receiver created the queue this ARN names.
			"RedrivePolicy": map[string]any{"deadLetterTargetArn": "arn:aws:sqs:ap-northeast-1:222222222222:" + sdlq.Props()["QueueName"].(string)},
		})
	})

	t.Run("analytics: body filter from a JSON string, no raw delivery, no redrive", func(t *testing.T) {
		// THEN
		sub := h.subT[analytics].Resources("AWS::SNS::Subscription")[0]
		equalJSON(t, "subscription properties", sub.Props(), map[string]any{
			"Protocol": "sqs", "TopicArn": topicArn, "Endpoint": "arn:aws:sqs:ap-northeast-1:333333333333:prices.fifo", "Region": region,
			"FilterPolicy":      map[string]any{"order": map[string]any{"currency": []any{"JPY", "USD"}, "total": []any{map[string]any{"numeric": []any{">=", 100}}}}},
			"FilterPolicyScope": "MessageBody",
		})
	})

	t.Run("cdk-nag AwsSolutions finds no unsuppressed error; the one suppression is on the subscription DLQ", func(t *testing.T) {
		// THEN
		noNagErrors(t, h)
		var found []string
		for name, st := range h.stacks {
			for id, r := range cdktest.Template(t, st)["Resources"].(map[string]any) {
				meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
				if nag, ok := meta["cdk_nag"]; ok {
					found = append(found, name+"/"+id+": "+cdktest.JSON(nag))
				}
			}
		}
		slices.Sort(found)
		if len(found) != 2 || !strings.Contains(found[0], "AwsSolutions-SQS3") || !strings.Contains(found[0], "SubscriptionDeadLetterQueue") ||
			!strings.Contains(found[0], "the one of the SNS subscription (AWS::SNS::Subscription RedrivePolicy)") {
			t.Errorf("suppressions %v, want AwsSolutions-SQS3 with its reason on billing's subscription DLQ and its policy", found)
		}
	})
}

func TestGrantConsume(t *testing.T) {
	// GIVEN a receiver with a customer managed key and a consumer role in its account
	app := cdktest.NewApp(t, "")
	stack := awscdk.NewStack(app, jsii.String("R"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(billing), Region: jsii.String(region)}})
	r := snstoremotesqs.NewReceiver(stack, "jobs", &snstoremotesqs.ReceiverProps{Link: snstoremotesqs.Link{
		Name: "jobs", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing},
		Options: snstoremotesqs.Options{QueueEncryption: crossaccountqueue.EncryptionKMS},
	}})
	consumer := awsiam.NewRole(stack, jsii.String("Consumer"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})

	// WHEN the consumer is granted consumption
	r.GrantConsume(consumer)

	// THEN its policy receives and deletes from the queue and decrypts with the key,
	// and the receiver defaulted to the stack's account
	tpl := cdktest.Template(t, stack)
	doc := cdktest.JSON(tpl.Resources("AWS::IAM::Policy")[0].Props()["PolicyDocument"])
	for _, want := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "kms:Decrypt"} {
		if !strings.Contains(doc, want) {
			t.Errorf("consumer policy lacks %s: %s", want, doc)
		}
	}
	if r.Account != billing {
		t.Errorf("Account = %q, want %q", r.Account, billing)
	}
}

func TestHalvesRejectWrongPlacesAndBadLinks(t *testing.T) {
	link := snstoremotesqs.Link{Name: "order-events", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing}}
	newStack := func(account, rg string) awscdk.Stack {
		return awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(rg)},
		})
	}
	bad := link
	bad.ContentBasedDeduplication = true
	bad.Receivers = map[string]snstoremotesqs.ReceiverOptions{billing: {FilterPolicy: "{"}}
	cases := []struct {
		name string
		f    func()
		want []string
	}{
		{"sender in a receiver's stack", func() {
			snstoremotesqs.NewSender(newStack(billing, region), "t", &snstoremotesqs.SenderProps{Link: link})
		}, []string{"sender half", "account 111111111111", "account 222222222222"}},
		{"receiver in the sender's stack", func() {
			snstoremotesqs.NewReceiver(newStack(orders, region), "q", &snstoremotesqs.ReceiverProps{Link: link, Account: billing})
		}, []string{"receiver half", "account 222222222222", "account 111111111111"}},
		{"subscription in another region", func() {
			snstoremotesqs.NewSubscription(newStack(billing, "eu-west-1"), "s", &snstoremotesqs.SubscriptionProps{Link: link})
		}, []string{"region ap-northeast-1", "region eu-west-1"}},
		{"receiver for an account that does not receive", func() {
			snstoremotesqs.NewReceiver(newStack(analytics, region), "q", &snstoremotesqs.ReceiverProps{Link: link})
		}, []string{`account "333333333333" is not a receiver account`}},
		{"subscription for the sender account", func() {
			snstoremotesqs.NewSubscription(newStack(orders, region), "s", &snstoremotesqs.SubscriptionProps{Link: link})
		}, []string{`account "111111111111" is not a receiver account`}},
		{"invalid link reports every problem", func() {
			snstoremotesqs.NewSender(newStack(orders, region), "t", &snstoremotesqs.SenderProps{Link: bad})
		}, []string{`topic link "order-events": 2 problems`, "contentBasedDeduplication", "filter policy is not valid JSON"}},
		{"nil sender props", func() { snstoremotesqs.NewSender(newStack(orders, region), "t", nil) }, []string{`sender "t" needs props`}},
		{"nil receiver props", func() { snstoremotesqs.NewReceiver(newStack(billing, region), "q", nil) }, []string{`receiver "q" needs props`}},
		{"nil subscription props", func() { snstoremotesqs.NewSubscription(newStack(billing, region), "s", nil) }, []string{`subscription "s" needs props`}},
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

	t.Run("a subscription in its own account builds", func(t *testing.T) {
		// GIVEN the receiver account's stack
		// WHEN the subscription is built there without naming the account
		s := snstoremotesqs.NewSubscription(newStack(billing, region), "s", &snstoremotesqs.SubscriptionProps{Link: link})
		// THEN it defaults to the stack's account
		if s.Account != billing {
			t.Errorf("Account = %q, want %q", s.Account, billing)
		}
	})
}
