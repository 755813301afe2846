package crossaccountqueue_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// halves synthesizes the receiver half of l in the receiver account's stack and a
// sender half in each sender account's stack, all in one app.
type halves struct {
	receiver  *crossaccountqueue.Receiver
	recvTmpl  cdktest.Tmpl
	senders   map[string]*crossaccountqueue.Sender
	sendTmpls map[string]cdktest.Tmpl
}

func build(t *testing.T, l crossaccountqueue.Link) halves {
	t.Helper()
	app := cdktest.NewApp(t, "")
	stack := func(account string) awscdk.Stack {
		return awscdk.NewStack(app, jsii.String("S"+account), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
	}
	h := halves{senders: map[string]*crossaccountqueue.Sender{}, sendTmpls: map[string]cdktest.Tmpl{}}
	rs := stack(l.ReceiverAccount)
	h.receiver = crossaccountqueue.NewReceiver(rs, l.Name, &crossaccountqueue.ReceiverProps{Link: l})
	senderStacks := map[string]awscdk.Stack{}
	for _, a := range l.SenderAccounts {
		ss := stack(a)
		senderStacks[a] = ss
		h.senders[a] = crossaccountqueue.NewSender(ss, l.Name, &crossaccountqueue.SenderProps{Link: l, Account: a})
	}
	h.recvTmpl = cdktest.Template(t, rs)
	for a, ss := range senderStacks {
		h.sendTmpls[a] = cdktest.Template(t, ss)
	}
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

func equalSet(t *testing.T, what string, got any, want ...any) {
	t.Helper()
	g := strs(got)
	w := strs(want)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v", what, g, w)
	}
}

func TestQueuePolicyAccessDefaults(t *testing.T) {
	// GIVEN a standard queue link from orders to billing with every default
	link := crossaccountqueue.Link{Name: "invoices", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders}}

	// WHEN both halves are synthesized
	h := build(t, link)
	recv := h.recvTmpl
	send := h.sendTmpls[orders]

	t.Run("queue has long polling, SSE-SQS, a redrive to the DLQ and is retained", func(t *testing.T) {
		// THEN
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "invoices"})
		p := q.Props()
		for k, want := range map[string]any{
			"ReceiveMessageWaitTimeSeconds": 20.0, "SqsManagedSseEnabled": true,
			"VisibilityTimeout": 30.0, "MessageRetentionPeriod": 345600.0,
		} {
			if cdktest.JSON(p[k]) != cdktest.JSON(want) {
				t.Errorf("%s = %v, want %v", k, p[k], want)
			}
		}
		dlq := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "invoices-dlq"})
		rp, _ := p["RedrivePolicy"].(map[string]any)
		if cdktest.JSON(rp["maxReceiveCount"]) != "5" || cdktest.JSON(rp["deadLetterTargetArn"]) != cdktest.JSON(map[string]any{"Fn::GetAtt": []any{dlq.LogicalID, "Arn"}}) {
			t.Errorf("RedrivePolicy = %s, want 5 receives then %s", cdktest.JSON(rp), dlq.LogicalID)
		}
		for _, r := range []cdktest.Resource{q, dlq} {
			if r.Raw["DeletionPolicy"] != "Retain" || r.Raw["UpdateReplacePolicy"] != "Retain" {
				t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v, want Retain", r.LogicalID, r.Raw["DeletionPolicy"], r.Raw["UpdateReplacePolicy"])
			}
		}
		if got := cdktest.JSON(dlq.Props()["MessageRetentionPeriod"]); got != "1209600" {
			t.Errorf("DLQ retention = %s, want 14 days", got)
		}
		allow := cdktest.JSON(dlq.Props()["RedriveAllowPolicy"])
		if allow != cdktest.JSON(map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{link.QueueArn()}}) {
			t.Errorf("DLQ RedriveAllowPolicy = %s, want only %s", allow, link.QueueArn())
		}
	})

	t.Run("queue policy lets only the producer role send, and only over TLS", func(t *testing.T) {
		// THEN
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "invoices"})
		qp := recv.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{map[string]any{"Ref": q.LogicalID}}})
		doc := qp.Props()["PolicyDocument"]
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Fatalf("queue policy has %d statements, want 2 (send, deny without TLS): %s", n, cdktest.JSON(doc))
		}
		s := cdktest.Statement(t, doc, "AllowSendFromLinkSenders")
		equalSet(t, "actions", s["Action"], "sqs:SendMessage")
		equalSet(t, "principal", s["Principal"], map[string]any{"AWS": "arn:aws:iam::111111111111:root"})
		equalSet(t, "condition", s["Condition"], map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::111111111111:role/invoices-producer"}}})
		for _, st := range cdktest.Statements(doc) {
			if st["Effect"] == "Deny" {
				equalSet(t, "deny condition", st["Condition"], map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}})
				equalSet(t, "deny action", st["Action"], "sqs:*")
			}
		}
		if n := len(recv.Resources("AWS::IAM::Role")) + len(recv.Resources("AWS::KMS::Key")); n != 0 {
			t.Errorf("receiver has %d roles and keys, want none with queue-policy access and SSE-SQS", n)
		}
	})

	t.Run("sender role gets exactly send on the remote queue, and the halves agree", func(t *testing.T) {
		// THEN
		role := send.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "invoices-producer"})
		pol := send.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": role.LogicalID}}})
		st := cdktest.Statements(pol.Props()["PolicyDocument"])
		if len(st) != 1 {
			t.Fatalf("sender policy has %d statements, want 1: %s", len(st), cdktest.JSON(st))
		}
		equalSet(t, "actions", st[0]["Action"], "sqs:SendMessage")
		// The sender computed the queue's ARN from the link: it must be the queue the
		// receiver created, in the receiver's account.
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "invoices"})
		wantArn := "arn:aws:sqs:" + region + ":" + billing + ":" + q.Props()["QueueName"].(string)
		equalSet(t, "resource", st[0]["Resource"], wantArn)
		// And the receiver admits the role the sender created.
		qp := recv.Resources("AWS::SQS::QueuePolicy")
		found := false
		for _, p := range qp {
			if strings.Contains(cdktest.JSON(p.Props()), "arn:aws:iam::"+orders+":role/"+role.Props()["RoleName"].(string)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no queue policy of the receiver names the sender's role %v", role.Props()["RoleName"])
		}
		if h.senders[orders].ProducerRole == nil || len(h.senders[orders].Roles) != 1 {
			t.Errorf("sender exposes ProducerRole %v and %d roles, want the created role only", h.senders[orders].ProducerRole, len(h.senders[orders].Roles))
		}
	})
}

func TestAssumeRoleAccessWithKeyAndTwoSenders(t *testing.T) {
	// GIVEN a FIFO link with a customer managed key, assume-role access, an external
	// ID, and two sender accounts, one of which brings its own role
	existing := "arn:aws:iam::333333333333:role/app/payments"
	link := crossaccountqueue.Link{
		Name: "refunds", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders, analytics},
		Options: crossaccountqueue.Options{
			Fifo: true, ContentBasedDeduplication: true, Access: crossaccountqueue.AccessAssumeRole,
			Encryption: crossaccountqueue.EncryptionKMS, ExternalID: "ext-123", MaxSessionDuration: 2 * time.Hour,
			SenderRoleArns: []string{existing}, MaxReceiveCount: 3,
		},
	}

	// WHEN both halves are synthesized
	h := build(t, link)
	recv := h.recvTmpl
	producerArn := "arn:aws:iam::111111111111:role/refunds-producer"

	t.Run("access role trusts exactly the sender roles, with the external ID", func(t *testing.T) {
		// THEN
		role := recv.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "refunds-access"})
		if got := cdktest.JSON(role.Props()["MaxSessionDuration"]); got != "7200" {
			t.Errorf("MaxSessionDuration = %s, want 7200", got)
		}
		st := cdktest.Statements(role.Props()["AssumeRolePolicyDocument"])
		if len(st) != 1 {
			t.Fatalf("trust policy has %d statements, want 1: %s", len(st), cdktest.JSON(st))
		}
		equalSet(t, "trust principals", st[0]["Principal"].(map[string]any)["AWS"], "arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root")
		cond := st[0]["Condition"].(map[string]any)
		equalSet(t, "aws:PrincipalArn", cond["ArnEquals"].(map[string]any)["aws:PrincipalArn"], producerArn, existing)
		equalSet(t, "sts:ExternalId", cond["StringEquals"].(map[string]any)["sts:ExternalId"], "ext-123")
	})

	t.Run("access role may only send to the queue and use its key through SQS", func(t *testing.T) {
		// THEN
		role := recv.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "refunds-access"})
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "refunds.fifo"})
		key := recv.Resources("AWS::KMS::Key")
		if len(key) != 1 {
			t.Fatalf("want one key, got %d", len(key))
		}
		pols := role.Props()["Policies"].([]any)
		doc := pols[0].(map[string]any)["PolicyDocument"]
		send := cdktest.Statement(t, doc, "SendToLinkQueue")
		equalSet(t, "send actions", send["Action"], "sqs:SendMessage")
		equalSet(t, "send resource", send["Resource"], link.QueueArn())
		if q.Props()["QueueName"] != "refunds.fifo" {
			t.Errorf("queue name %v", q.Props()["QueueName"])
		}
		kms := cdktest.Statement(t, doc, "UseLinkQueueKeyThroughSQS")
		equalSet(t, "key actions", kms["Action"], "kms:Decrypt", "kms:GenerateDataKey")
		equalSet(t, "key resource", kms["Resource"], map[string]any{"Fn::GetAtt": []any{key[0].LogicalID, "Arn"}})
		equalSet(t, "key conditions", kms["Condition"], map[string]any{"StringEquals": map[string]any{
			"kms:ViaService": "sqs.ap-northeast-1.amazonaws.com", "kms:EncryptionContext:aws:sqs:arn": link.QueueArn(),
		}})
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Errorf("access role policy has %d statements, want 2", n)
		}
	})

	t.Run("key rotates, is retained, encrypts both queues and admits only the access role", func(t *testing.T) {
		// THEN
		key := recv.Resources("AWS::KMS::Key")[0]
		if key.Props()["EnableKeyRotation"] != true || key.Raw["DeletionPolicy"] != "Retain" {
			t.Errorf("key: rotation %v, DeletionPolicy %v; want rotation and Retain", key.Props()["EnableKeyRotation"], key.Raw["DeletionPolicy"])
		}
		for _, name := range []string{"refunds.fifo", "refunds-dlq.fifo"} {
			q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": name})
			if cdktest.JSON(q.Props()["KmsMasterKeyId"]) != cdktest.JSON(map[string]any{"Fn::GetAtt": []any{key.LogicalID, "Arn"}}) {
				t.Errorf("%s KmsMasterKeyId = %s, want the link key", name, cdktest.JSON(q.Props()["KmsMasterKeyId"]))
			}
		}
		role := recv.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "refunds-access"})
		s := cdktest.Statement(t, key.Props()["KeyPolicy"], "AllowLinkSendersThroughSQS")
		equalSet(t, "key policy principal", s["Principal"], map[string]any{"AWS": "arn:aws:iam::222222222222:root"})
		equalSet(t, "key policy role", s["Condition"].(map[string]any)["ArnEquals"], map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::222222222222:role/" + role.Props()["RoleName"].(string)}})
		equalSet(t, "key policy actions", s["Action"], "kms:Decrypt", "kms:GenerateDataKey")
		if !strings.Contains(cdktest.JSON(s["Condition"]), link.QueueArn()) {
			t.Errorf("key policy statement not pinned to the queue: %s", cdktest.JSON(s["Condition"]))
		}
		recv.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/refunds"})
	})

	t.Run("queue policy grants nobody: senders go through the role", func(t *testing.T) {
		// THEN
		for _, qp := range recv.Resources("AWS::SQS::QueuePolicy") {
			for _, s := range cdktest.Statements(qp.Props()["PolicyDocument"]) {
				if s["Effect"] == "Allow" {
					t.Errorf("%s allows %s", qp.LogicalID, cdktest.JSON(s))
				}
			}
		}
		q := recv.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "refunds.fifo"})
		if q.Props()["FifoQueue"] != true || q.Props()["ContentBasedDeduplication"] != true {
			t.Errorf("queue FifoQueue %v, ContentBasedDeduplication %v; want both", q.Props()["FifoQueue"], q.Props()["ContentBasedDeduplication"])
		}
		if got := cdktest.JSON(q.Props()["RedrivePolicy"].(map[string]any)["maxReceiveCount"]); got != "3" {
			t.Errorf("maxReceiveCount = %s, want 3", got)
		}
	})

	t.Run("each sender may only assume the access role", func(t *testing.T) {
		// THEN
		for account, wantRoles := range map[string]string{orders: "created", analytics: "payments"} {
			tpl := h.sendTmpls[account]
			pols := tpl.Resources("AWS::IAM::Policy")
			if len(pols) != 1 {
				t.Fatalf("%s: %d policies, want 1", account, len(pols))
			}
			st := cdktest.Statements(pols[0].Props()["PolicyDocument"])
			if len(st) != 1 {
				t.Fatalf("%s: %d statements, want 1", account, len(st))
			}
			equalSet(t, account+" actions", st[0]["Action"], "sts:AssumeRole")
			equalSet(t, account+" resource", st[0]["Resource"], "arn:aws:iam::222222222222:role/refunds-access")
			roles := cdktest.JSON(pols[0].Props()["Roles"])
			switch wantRoles {
			case "created":
				role := tpl.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "refunds-producer"})
				if roles != cdktest.JSON([]any{map[string]any{"Ref": role.LogicalID}}) {
					t.Errorf("%s: policy attached to %s, want the producer role", account, roles)
				}
			default:
				if n := len(tpl.Resources("AWS::IAM::Role")); n != 0 {
					t.Errorf("%s: %d roles created, want none: the account brings its own role", account, n)
				}
				if roles != `["payments"]` {
					t.Errorf("%s: policy attached to %s, want [\"payments\"]", account, roles)
				}
			}
		}
	})
}

func TestOrganizationAndAccountsAllow(t *testing.T) {
	// GIVEN the same queue-policy link with a customer managed key, once admitting the
	// organization and once the sender account as a whole
	base := crossaccountqueue.Link{Name: "ledger", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		OrganizationID: "o-a1b2c3d4e5", Options: crossaccountqueue.Options{Encryption: crossaccountqueue.EncryptionKMS}}
	org, acc := base, base
	org.Allow = crossaccountqueue.AllowOrganization
	acc.Name, acc.Allow = "ledger2", crossaccountqueue.AllowAccounts

	// WHEN both are synthesized
	ho, ha := build(t, org), build(t, acc)

	t.Run("organization: principal * narrowed by aws:PrincipalOrgID in queue and key policy", func(t *testing.T) {
		// THEN
		for _, doc := range []map[string]any{
			firstWith(t, ho.recvTmpl, "AWS::SQS::QueuePolicy", "PolicyDocument", "AllowSendFromLinkSenders"),
			firstWith(t, ho.recvTmpl, "AWS::KMS::Key", "KeyPolicy", "AllowLinkSendersThroughSQS"),
		} {
			equalSet(t, "principal", doc["Principal"], map[string]any{"AWS": "*"})
			cond := doc["Condition"].(map[string]any)["StringEquals"].(map[string]any)
			equalSet(t, "org condition", cond["aws:PrincipalOrgID"], "o-a1b2c3d4e5")
		}
	})

	t.Run("accounts: account principal without a role condition", func(t *testing.T) {
		// THEN
		s := firstWith(t, ha.recvTmpl, "AWS::SQS::QueuePolicy", "PolicyDocument", "AllowSendFromLinkSenders")
		equalSet(t, "principal", s["Principal"], map[string]any{"AWS": "arn:aws:iam::111111111111:root"})
		if s["Condition"] != nil {
			t.Errorf("condition %s, want none", cdktest.JSON(s["Condition"]))
		}
	})

	t.Run("sender may use any key of the receiver only through SQS for this queue", func(t *testing.T) {
		// THEN
		pol := ho.sendTmpls[orders].Resources("AWS::IAM::Policy")[0]
		s := cdktest.Statement(t, pol.Props()["PolicyDocument"], "UseLinkQueueKeyThroughSQS")
		equalSet(t, "resource", s["Resource"], "arn:aws:kms:ap-northeast-1:222222222222:key/*")
		equalSet(t, "conditions", s["Condition"], map[string]any{"StringEquals": map[string]any{
			"kms:ViaService": "sqs.ap-northeast-1.amazonaws.com", "kms:EncryptionContext:aws:sqs:arn": org.QueueArn(),
		}})
	})
}

// firstWith returns the statement sid of the document prop of the one resource of typ
// that has it.
func firstWith(t *testing.T, tpl cdktest.Tmpl, typ, prop, sid string) map[string]any {
	t.Helper()
	for _, r := range tpl.Resources(typ) {
		for _, s := range cdktest.Statements(r.Props()[prop]) {
			if s["Sid"] == sid {
				return s
			}
		}
	}
	t.Fatalf("no %s with statement %q", typ, sid)
	return nil
}

func TestGrantConsume(t *testing.T) {
	// GIVEN a receiver with a customer managed key and a consumer role in its account
	app := cdktest.NewApp(t, "")
	stack := awscdk.NewStack(app, jsii.String("R"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(billing), Region: jsii.String(region)}})
	r := crossaccountqueue.NewReceiver(stack, "jobs", &crossaccountqueue.ReceiverProps{Link: crossaccountqueue.Link{
		Name: "jobs", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		Options: crossaccountqueue.Options{Encryption: crossaccountqueue.EncryptionKMS},
	}})
	consumer := awsiam.NewRole(stack, jsii.String("Consumer"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})

	// WHEN the consumer is granted consumption
	r.GrantConsume(consumer)

	// THEN its policy receives and deletes from the queue and decrypts with the key
	tpl := cdktest.Template(t, stack)
	doc := cdktest.JSON(tpl.Resources("AWS::IAM::Policy")[0].Props()["PolicyDocument"])
	for _, want := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "kms:Decrypt"} {
		if !strings.Contains(doc, want) {
			t.Errorf("consumer policy lacks %s: %s", want, doc)
		}
	}
}

func TestHalvesRejectWrongPlacesAndBadLinks(t *testing.T) {
	link := crossaccountqueue.Link{Name: "invoices", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders}}
	newStack := func(account, rg string) awscdk.Stack {
		return awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(rg)},
		})
	}
	bad := link
	bad.ContentBasedDeduplication = true
	bad.MaxReceiveCount = 5000
	cases := []struct {
		name string
		f    func()
		want []string
	}{
		{"receiver in a sender's stack", func() {
			crossaccountqueue.NewReceiver(newStack(orders, region), "q", &crossaccountqueue.ReceiverProps{Link: link})
		}, []string{"account 222222222222", "account 111111111111"}},
		{"receiver in another region", func() {
			crossaccountqueue.NewReceiver(newStack(billing, "eu-west-1"), "q", &crossaccountqueue.ReceiverProps{Link: link})
		}, []string{"region ap-northeast-1", "region eu-west-1"}},
		{"sender for an account that does not send", func() {
			crossaccountqueue.NewSender(newStack(analytics, region), "q", &crossaccountqueue.SenderProps{Link: link})
		}, []string{`account "333333333333" is not a sender account`}},
		{"invalid link reports every problem", func() {
			crossaccountqueue.NewReceiver(newStack(billing, region), "q", &crossaccountqueue.ReceiverProps{Link: bad})
		}, []string{"2 problems", "contentBasedDeduplication", "maxReceiveCount 5000"}},
		{"nil props", func() { crossaccountqueue.NewSender(newStack(orders, region), "q", nil) }, []string{"needs props"}},
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

	t.Run("a half in a stack without an environment is refused, unless agnostic on purpose", func(t *testing.T) {
		// GIVEN a stack whose account and region are tokens until deploy time
		app := cdktest.NewApp(t, "")
		stack := awscdk.NewStack(app, jsii.String("Agnostic"), nil)
		// WHEN the receiver half is built there without saying it is on purpose
		msg := cdktest.Panics(t, func() {
			crossaccountqueue.NewReceiver(stack, "q", &crossaccountqueue.ReceiverProps{Link: link})
		})
		// THEN it is refused with a message that says how to set Env
		for _, w := range []string{"has no account or region (its Env is unset)", `Account: jsii.String("222222222222")`, "EnvironmentAgnostic"} {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not mention %q", msg, w)
			}
		}
		// WHEN it is built with EnvironmentAgnostic
		r := crossaccountqueue.NewReceiver(awscdk.NewStack(app, jsii.String("Agnostic2"), nil), "q",
			&crossaccountqueue.ReceiverProps{Link: link, EnvironmentAgnostic: true})
		// THEN it builds, since the account cannot be checked before deploy
		if r.Queue == nil {
			t.Error("no queue")
		}
		// AND an agnostic sender half must be given its account
		msg = cdktest.Panics(t, func() {
			crossaccountqueue.NewSender(awscdk.NewStack(app, jsii.String("Agnostic3"), nil), "q",
				&crossaccountqueue.SenderProps{Link: link, EnvironmentAgnostic: true})
		})
		if !strings.Contains(msg, "give Account") {
			t.Errorf("panic %q does not ask for Account", msg)
		}
	})

	t.Run("a sender in its own account builds", func(t *testing.T) {
		// GIVEN the sender account's stack
		// WHEN the sender half is built there
		s := crossaccountqueue.NewSender(newStack(orders, region), "q", &crossaccountqueue.SenderProps{Link: link})
		// THEN it defaults to the stack's account
		if s.Account != orders {
			t.Errorf("Account = %q, want %q", s.Account, orders)
		}
	})
}
