package blocks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	account = "111111111111"
	region  = "ap-northeast-1"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// newScope returns a construct "Link" in a new stack of a new app, as a link's half
// is built.
func newScope(t *testing.T) (awscdk.Stack, constructs.Construct) {
	t.Helper()
	app := cdktest.NewApp(t, "")
	stack := awscdk.NewStack(app, jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
	})
	return stack, constructs.NewConstruct(stack, jsii.String("Link"))
}

// byPrefix returns the only resource of typ whose logical ID starts with prefix.
func byPrefix(t *testing.T, tpl cdktest.Tmpl, typ, prefix string) cdktest.Resource {
	t.Helper()
	var found []cdktest.Resource
	for _, r := range tpl.Resources(typ) {
		if strings.HasPrefix(r.LogicalID, prefix) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s with a logical ID starting %s, found %d", typ, prefix, len(found))
	}
	return found[0]
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if cdktest.JSON(got) != cdktest.JSON(want) {
		t.Errorf("%s = %s, want %s", what, cdktest.JSON(got), cdktest.JSON(want))
	}
}

// nagSuppressions returns the cdk-nag rules suppressed on r, by ID, with their reasons.
func nagSuppressions(r cdktest.Resource) map[string]string {
	out := map[string]string{}
	meta, _ := r.Raw["Metadata"].(map[string]any)
	nag, _ := meta["cdk_nag"].(map[string]any)
	for _, x := range cdktest.List(nag["rules_to_suppress"]) {
		rule, _ := x.(map[string]any)
		id, _ := rule["id"].(string)
		reason, _ := rule["reason"].(string)
		out[id] = reason
	}
	return out
}

const queueArn = "arn:aws:sqs:ap-northeast-1:111111111111:orders.fifo"

func TestNewQueuePairBuildsTheReceiverDefaults(t *testing.T) {
	// GIVEN a FIFO queue pair encrypted with a key, under the construct IDs of a
	// construct that names its queues itself
	stack, scope := newScope(t)
	key := blocks.NewKey(scope, "Key", blocks.KeyProps{Alias: "alias/orders", Description: "Encrypts the queues of link orders"})
	// WHEN it is built
	blocks.NewQueuePair(scope, blocks.QueuePairProps{
		QueueName: "orders.fifo", DeadLetterQueueName: "orders-dlq.fifo", QueueArn: queueArn,
		Fifo: true, ContentBasedDeduplication: true, Key: key, MaxReceiveCount: 7,
		VisibilityTimeout: time.Minute, RetentionPeriod: 4 * 24 * time.Hour, ReceiveWaitTime: 20 * time.Second,
		QueueID: "Queue", DeadLetterQueueID: "QueueDeadLetterQueue", QueueRefID: "QueueRef",
	})
	tpl := cdktest.Template(t, stack)
	// THEN the queue is encrypted with the key, long-polls, keeps its settings and
	// redrives to its dead-letter queue after MaxReceiveCount receives
	keyRef := map[string]any{"Fn::GetAtt": []any{byPrefix(t, tpl, "AWS::KMS::Key", "LinkKey").LogicalID, "Arn"}}
	q := tpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "orders.fifo"})
	dlq := tpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "orders-dlq.fifo"})
	if !strings.HasPrefix(q.LogicalID, "LinkQueue") || !strings.HasPrefix(dlq.LogicalID, "LinkQueueDeadLetterQueue") {
		t.Errorf("logical IDs %s and %s, want them from IDs Queue and QueueDeadLetterQueue", q.LogicalID, dlq.LogicalID)
	}
	for k, want := range map[string]any{
		"QueueName": "orders.fifo", "FifoQueue": true, "ContentBasedDeduplication": true,
		"KmsMasterKeyId": keyRef, "ReceiveMessageWaitTimeSeconds": 20, "MessageRetentionPeriod": 345600,
		"VisibilityTimeout": 60,
		"RedrivePolicy":     map[string]any{"deadLetterTargetArn": map[string]any{"Fn::GetAtt": []any{dlq.LogicalID, "Arn"}}, "maxReceiveCount": 7},
	} {
		equal(t, "queue "+k, q.Props()[k], want)
	}
	// AND the dead-letter queue keeps messages 14 days and admits only that queue,
	// named by its computed ARN
	for k, want := range map[string]any{
		"QueueName": "orders-dlq.fifo", "FifoQueue": true, "KmsMasterKeyId": keyRef, "MessageRetentionPeriod": 1209600,
		"RedriveAllowPolicy": map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{queueArn}},
	} {
		equal(t, "dead-letter queue "+k, dlq.Props()[k], want)
	}
	// AND both are retained and deny every request without TLS
	for _, r := range []cdktest.Resource{q, dlq} {
		equal(t, r.LogicalID+" DeletionPolicy", r.Raw["DeletionPolicy"], "Retain")
		policy := tpl.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{map[string]any{"Ref": r.LogicalID}}})
		deny := cdktest.Statements(policy.Props()["PolicyDocument"])[0]
		equal(t, r.LogicalID+" TLS statement", []any{deny["Effect"], deny["Condition"]}, []any{"Deny", map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}})
	}
}

func TestNewQueuePairDefaultsItsConstructIDs(t *testing.T) {
	// GIVEN a standard queue pair without construct IDs or a key
	stack, scope := newScope(t)
	// WHEN it is built
	blocks.NewQueuePair(scope, blocks.QueuePairProps{
		QueueName: "orders", DeadLetterQueueName: "orders-dlq", QueueArn: "arn:aws:sqs:ap-northeast-1:111111111111:orders",
		MaxReceiveCount: 5, VisibilityTimeout: 30 * time.Second, RetentionPeriod: 4 * 24 * time.Hour, ReceiveWaitTime: 20 * time.Second,
	})
	tpl := cdktest.Template(t, stack)
	// THEN the queue is the construct's "Resource" (its logical ID is the construct's)
	// and the dead-letter queue its "DeadLetterQueue", both SSE-SQS and not FIFO
	q := tpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "orders"})
	dlq := tpl.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "orders-dlq"})
	if !strings.HasPrefix(q.LogicalID, "Link") || strings.HasPrefix(q.LogicalID, "LinkResource") || !strings.HasPrefix(dlq.LogicalID, "LinkDeadLetterQueue") {
		t.Errorf("logical IDs %s and %s", q.LogicalID, dlq.LogicalID)
	}
	for _, r := range []cdktest.Resource{q, dlq} {
		equal(t, r.LogicalID+" SqsManagedSseEnabled", r.Props()["SqsManagedSseEnabled"], true)
		equal(t, r.LogicalID+" FifoQueue", r.Props()["FifoQueue"], nil)
	}
}

func TestNewQueuePairNeedsTheQueueArn(t *testing.T) {
	// GIVEN a queue pair without the queue's computed ARN
	_, scope := newScope(t)
	// WHEN it is built
	msg := cdktest.Panics(t, func() {
		blocks.NewQueuePair(scope, blocks.QueuePairProps{QueueName: "orders", DeadLetterQueueName: "orders-dlq", MaxReceiveCount: 5})
	})
	// THEN it is refused, naming the queue and what it lacks
	if !strings.Contains(msg, `queue "orders" needs its computed ARN`) {
		t.Errorf("panic %q", msg)
	}
}

func TestNewQueueBuildsARetainedTLSOnlyQueue(t *testing.T) {
	// GIVEN a dead-letter queue that says why it has none of its own, and an
	// on-failure queue that does not
	stack, scope := newScope(t)
	// WHEN they are built
	blocks.NewQueue(scope, "DeadLetterQueue", blocks.QueueProps{
		QueueName: "orders-dlq", NoDeadLetterQueueReason: "this queue is itself a dead-letter queue, which cdk-nag does not recognize",
	})
	blocks.NewQueue(scope, "FailureQueue", blocks.QueueProps{QueueName: "orders-failed.fifo", Fifo: true, Retention: time.Hour})
	tpl := cdktest.Template(t, stack)
	// THEN each is SSE-SQS, retained and keeps messages as long as asked (14 days by
	// default)
	dlq := byPrefix(t, tpl, "AWS::SQS::Queue", "LinkDeadLetterQueue")
	failed := byPrefix(t, tpl, "AWS::SQS::Queue", "LinkFailureQueue")
	equal(t, "dead-letter queue", dlq.Props(), map[string]any{"QueueName": "orders-dlq", "SqsManagedSseEnabled": true, "MessageRetentionPeriod": 1209600})
	equal(t, "on-failure queue", failed.Props(), map[string]any{"QueueName": "orders-failed.fifo", "FifoQueue": true, "SqsManagedSseEnabled": true, "MessageRetentionPeriod": 3600})
	for _, r := range []cdktest.Resource{dlq, failed} {
		equal(t, r.LogicalID+" DeletionPolicy", r.Raw["DeletionPolicy"], "Retain")
		tpl.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{map[string]any{"Ref": r.LogicalID}}})
	}
	// AND only the queue with a reason has AwsSolutions-SQS3 suppressed, with it
	equal(t, "dead-letter queue suppressions", nagSuppressions(dlq), map[string]string{"AwsSolutions-SQS3": "this queue is itself a dead-letter queue, which cdk-nag does not recognize"})
	equal(t, "on-failure queue suppressions", nagSuppressions(failed), map[string]string{})
}

func TestNewKeyRotatesAndIsRetained(t *testing.T) {
	// GIVEN the key of a link
	stack, scope := newScope(t)
	// WHEN it is built
	var key awskms.Key = blocks.NewKey(scope, "TopicKey", blocks.KeyProps{Alias: "alias/orders-topic", Description: "Encrypts topic orders (link orders)"})
	tpl := cdktest.Template(t, stack)
	// THEN it rotates, is retained and carries the description and the alias
	k := byPrefix(t, tpl, "AWS::KMS::Key", "LinkTopicKey")
	equal(t, "EnableKeyRotation", k.Props()["EnableKeyRotation"], true)
	equal(t, "Description", k.Props()["Description"], "Encrypts topic orders (link orders)")
	equal(t, "DeletionPolicy", k.Raw["DeletionPolicy"], "Retain")
	alias := tpl.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/orders-topic"})
	equal(t, "alias target", alias.Props()["TargetKeyId"], map[string]any{"Fn::GetAtt": []any{k.LogicalID, "Arn"}})
	if key == nil {
		t.Error("NewKey returned nil")
	}
}

func TestNewWorkloadRolesCreatesARoleOrImportsTheListed(t *testing.T) {
	props := blocks.WorkloadRolesProps{
		RoleID: "ProducerRole", ImportID: "SenderRole", RoleName: "orders-producer",
		Description: "Sends to queue orders", Account: account,
	}

	t.Run("no existing roles", func(t *testing.T) {
		// GIVEN no existing role
		stack, scope := newScope(t)
		// WHEN the workload roles are made
		created, roles := blocks.NewWorkloadRoles(scope, props)
		tpl := cdktest.Template(t, stack)
		// THEN one role is created, named, trusted by its own account only
		if created == nil || len(roles) != 1 {
			t.Fatalf("created %v, roles %d; want one created role", created, len(roles))
		}
		r := byPrefix(t, tpl, "AWS::IAM::Role", "LinkProducerRole")
		equal(t, "RoleName", r.Props()["RoleName"], "orders-producer")
		equal(t, "Description", r.Props()["Description"], "Sends to queue orders")
		st := cdktest.Statements(r.Props()["AssumeRolePolicyDocument"])
		equal(t, "trust", st[0]["Principal"], map[string]any{"AWS": "arn:aws:iam::111111111111:root"})
	})

	t.Run("existing roles", func(t *testing.T) {
		// GIVEN two existing roles of the account
		stack, scope := newScope(t)
		p := props
		p.Existing = []string{"arn:aws:iam::111111111111:role/app-a", "arn:aws:iam::111111111111:role/app-b"}
		// WHEN the workload roles are made
		created, roles := blocks.NewWorkloadRoles(scope, p)
		// THEN none is created, and both are imported, mutable, under numbered IDs
		if created != nil || len(roles) != 2 {
			t.Fatalf("created %v, roles %d; want none created and two imported", created, len(roles))
		}
		for i, id := range []string{"SenderRole0", "SenderRole1"} {
			if got := *roles[i].Node().Id(); got != id {
				t.Errorf("role %d has ID %s, want %s", i, got, id)
			}
			if got := *roles[i].RoleArn(); got != p.Existing[i] {
				t.Errorf("role %d is %s, want %s", i, got, p.Existing[i])
			}
		}
		awsiam.NewPolicy(scope, jsii.String("Policy"), &awsiam.PolicyProps{
			Roles: &roles,
			Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("sqs:SendMessage"), Resources: jsii.Strings(queueArn),
			})},
		})
		tpl := cdktest.Template(t, stack)
		if n := len(tpl.Resources("AWS::IAM::Role")); n != 0 {
			t.Errorf("%d roles created, want none", n)
		}
		equal(t, "policy roles", tpl.Resources("AWS::IAM::Policy")[0].Props()["Roles"], []any{"app-a", "app-b"})
	})
}

// fakeLink is a link of a made-up kind: invalid without a name, "fake" by default.
type fakeLink struct{ name, kind string }

func (l fakeLink) Validate() error {
	if l.name == "" {
		return errors.New(`fake link "": 1 problem`)
	}
	return nil
}

func (l fakeLink) WithDefaults() fakeLink {
	if l.kind == "" {
		l.kind = "fake"
	}
	return l
}

func TestValidReturnsTheLinkWithDefaults(t *testing.T) {
	// GIVEN a valid link without its defaults
	// WHEN a half checks it
	got := blocks.Valid(fakeLink{name: "orders"})
	// THEN it gets the link with its defaults
	if got != (fakeLink{name: "orders", kind: "fake"}) {
		t.Errorf("Valid = %+v", got)
	}
}

func TestValidPanicsWithTheLinksProblems(t *testing.T) {
	// GIVEN an invalid link
	// WHEN a half checks it
	msg := cdktest.Panics(t, func() { blocks.Valid(fakeLink{}) })
	// THEN it panics with the link's problems
	if msg != `fake link "": 1 problem` {
		t.Errorf("panic %q", msg)
	}
}

func TestSideAccountIsTheGivenOrTheStacksAccount(t *testing.T) {
	// GIVEN the sender side of a link, whose accounts include the stack's
	_, scope := newScope(t)
	side := blocks.Side{Pkg: "crossaccountqueue", Link: "orders", Region: region, Role: "sender", Accounts: []string{"222222222222", account}}
	// WHEN the account of a sender half is asked for, given and not given
	// THEN it is the given account, or else the stack's
	if got := side.Account(scope, "sender", "", false); got != account {
		t.Errorf("Account without an account = %s, want the stack's %s", got, account)
	}
	if got := side.Account(scope, "sender", account, false); got != account {
		t.Errorf("Account(%s) = %s", account, got)
	}
}

func TestSideAccountRefusesAnotherAccountOrRegion(t *testing.T) {
	// GIVEN the consumer side of a link in another region than the stack, and one
	// whose accounts do not include the stack's
	_, scope := newScope(t)
	elsewhere := blocks.Side{Pkg: "sharedkinesisefo", Link: "clicks", Region: "eu-west-1", Role: "consumer", Accounts: []string{account}}
	others := blocks.Side{Pkg: "sharedkinesisefo", Link: "clicks", Region: region, Role: "consumer", Accounts: []string{"222222222222"}}
	// WHEN the account of a consumer half is asked for
	// THEN it panics, saying what is wrong
	for side, want := range map[*blocks.Side]string{
		&elsewhere: `sharedkinesisefo: the consumer role half of link clicks belongs in region eu-west-1, but stack S is in region ap-northeast-1`,
		&others:    `sharedkinesisefo: account "111111111111" is not a consumer account of link "clicks" (consumers: [222222222222])`,
	} {
		if msg := cdktest.Panics(t, func() { side.Account(scope, "consumer role", "", false) }); msg != want {
			t.Errorf("panic %q, want %q", msg, want)
		}
	}
}
