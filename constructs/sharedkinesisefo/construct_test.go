package sharedkinesisefo_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"

	streamArn = "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// halves is one link synthesized as the stacks of its accounts would be, in one app
// with cdk-nag's AwsSolutions checks: the producer half in the producer account's
// stack and, in each consumer account, the consumer half, either in one stack or split
// into a role stack and a later stack (as an integrator places them around the
// producer's stack).
type halves struct {
	producer   *sharedkinesisefo.Producer
	prodTmpl   cdktest.Tmpl
	consumers  map[string]*sharedkinesisefo.Consumer
	consTmpls  map[string]cdktest.Tmpl
	roleTmpls  map[string]cdktest.Tmpl
	stacks     map[string]awscdk.Stack
	stackNames []string
}

func build(t *testing.T, l sharedkinesisefo.Link, split bool) halves {
	t.Helper()
	app := cdktest.NewApp(t, "")
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	h := halves{consumers: map[string]*sharedkinesisefo.Consumer{}, consTmpls: map[string]cdktest.Tmpl{},
		roleTmpls: map[string]cdktest.Tmpl{}, stacks: map[string]awscdk.Stack{}}
	stack := func(name, account string) awscdk.Stack {
		s := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
		h.stacks[name] = s
		h.stackNames = append(h.stackNames, name)
		return s
	}
	ps := stack("Producer", l.ProducerAccount)
	h.producer = sharedkinesisefo.NewProducer(ps, l.Name, &sharedkinesisefo.ProducerProps{Link: l})
	for _, a := range l.ConsumerAccounts {
		props := &sharedkinesisefo.ConsumerProps{Link: l}
		if split {
			rs := stack("Role"+a, a)
			sharedkinesisefo.NewConsumerRole(rs, "ClickstreamRole", &sharedkinesisefo.ConsumerRoleProps{Link: l})
			cs := stack("Consumer"+a, a)
			cs.AddStackDependency(rs, jsii.String("the execution role is created first"))
			props.Role = sharedkinesisefo.ImportConsumerRole(cs, "ClickstreamRole", l, a)
			h.consumers[a] = sharedkinesisefo.NewConsumer(cs, l.Name, props)
		} else {
			h.consumers[a] = sharedkinesisefo.NewConsumer(stack("Consumer"+a, a), l.Name, props)
		}
	}
	h.prodTmpl = cdktest.Template(t, ps)
	for _, a := range l.ConsumerAccounts {
		h.consTmpls[a] = cdktest.Template(t, h.stacks["Consumer"+a])
		if split {
			h.roleTmpls[a] = cdktest.Template(t, h.stacks["Role"+a])
		}
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

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := cdktest.JSON(got), cdktest.JSON(want); g != w {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

func getAtt(id, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, attr}}
}

func root(account string) map[string]any {
	return map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}
}

func roles(names ...string) map[string]any {
	return map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": anys(names)}}
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = s[i]
	}
	return out
}

var (
	streamRead   = []any{"kinesis:DescribeStreamSummary", "kinesis:DescribeStream", "kinesis:ListShards", "kinesis:GetRecords", "kinesis:GetShardIterator"}
	consumerRead = []any{"kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"}
	viaKinesis   = map[string]any{"StringEquals": map[string]any{
		"kms:ViaService": "kinesis.ap-northeast-1.amazonaws.com", "kms:EncryptionContext:aws:kinesis:arn": streamArn,
	}}
)

// only returns the one statement of a policy document, failing when there are more.
func only(t *testing.T, doc any) map[string]any {
	t.Helper()
	st := cdktest.Statements(doc)
	if len(st) != 1 {
		t.Fatalf("policy has %d statements, want 1: %s", len(st), cdktest.JSON(doc))
	}
	return st[0]
}

// inline returns the document of the inline policy name of a role.
func inline(t *testing.T, role cdktest.Resource, name string) any {
	t.Helper()
	for _, p := range cdktest.List(role.Props()["Policies"]) {
		m := p.(map[string]any)
		if m["PolicyName"] == name {
			return m["PolicyDocument"]
		}
	}
	t.Fatalf("role %s has no inline policy %q: %s", role.LogicalID, name, cdktest.JSON(role.Props()["Policies"]))
	return nil
}

func TestDefaultLinkToTwoConsumers(t *testing.T) {
	// GIVEN the clickstream link from orders to analytics and billing, every default
	link := sharedkinesisefo.Link{Name: "clickstream", Region: region, ProducerAccount: orders, ConsumerAccounts: []string{analytics, billing}}

	// WHEN the producer half and each consumer half are synthesized
	h := build(t, link, false)
	prod := h.prodTmpl
	stream := prod.One(t, "AWS::Kinesis::Stream", map[string]any{"Name": "clickstream"})
	key := prod.Resources("AWS::KMS::Key")
	if len(key) != 1 {
		t.Fatalf("want one key, got %d", len(key))
	}
	consumerID := map[string]string{}
	for _, a := range link.ConsumerAccounts {
		consumerID[a] = prod.One(t, "AWS::Kinesis::StreamConsumer", map[string]any{"ConsumerName": "clickstream-" + a}).LogicalID
	}

	t.Run("stream is on-demand, kept a day, encrypted with the link key and retained", func(t *testing.T) {
		// THEN
		p := stream.Props()
		equal(t, "StreamModeDetails", p["StreamModeDetails"], map[string]any{"StreamMode": "ON_DEMAND"})
		equal(t, "RetentionPeriodHours", p["RetentionPeriodHours"], 24)
		equal(t, "StreamEncryption", p["StreamEncryption"], map[string]any{"EncryptionType": "KMS", "KeyId": getAtt(key[0].LogicalID, "Arn")})
		if p["ShardCount"] != nil {
			t.Errorf("ShardCount = %v on an on-demand stream", p["ShardCount"])
		}
		if stream.Raw["DeletionPolicy"] != "Retain" || stream.Raw["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("stream DeletionPolicy %v, UpdateReplacePolicy %v; want Retain", stream.Raw["DeletionPolicy"], stream.Raw["UpdateReplacePolicy"])
		}
	})

	t.Run("key rotates, is retained and lets only the consumer roles decrypt, through Kinesis, for this stream", func(t *testing.T) {
		// THEN
		k := key[0]
		if k.Props()["EnableKeyRotation"] != true || k.Raw["DeletionPolicy"] != "Retain" {
			t.Errorf("key: rotation %v, DeletionPolicy %v; want rotation and Retain", k.Props()["EnableKeyRotation"], k.Raw["DeletionPolicy"])
		}
		prod.One(t, "AWS::KMS::Alias", map[string]any{"AliasName": "alias/clickstream"})
		doc := k.Props()["KeyPolicy"]
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Fatalf("key policy has %d statements, want 2 (account administration, consumers): %s", n, cdktest.JSON(doc))
		}
		s := cdktest.Statement(t, doc, "AllowLinkConsumersToDecryptThroughKinesis")
		equalSet(t, "principals", s["Principal"].(map[string]any)["AWS"], "arn:aws:iam::333333333333:root", "arn:aws:iam::222222222222:root")
		equalSet(t, "actions", s["Action"], "kms:Decrypt")
		equal(t, "conditions", s["Condition"], map[string]any{
			"ArnEquals":    roles("arn:aws:iam::333333333333:role/clickstream-consumer", "arn:aws:iam::222222222222:role/clickstream-consumer")["ArnEquals"],
			"StringEquals": viaKinesis["StringEquals"],
		})
	})

	t.Run("the stream's one resource policy lets exactly the consumer roles read it", func(t *testing.T) {
		// THEN
		pol := prod.One(t, "AWS::Kinesis::ResourcePolicy", map[string]any{"ResourceArn": getAtt(stream.LogicalID, "Arn")})
		s := only(t, pol.Props()["ResourcePolicy"])
		equal(t, "sid", s["Sid"], "AllowLinkConsumersToReadStream")
		equalSet(t, "actions", s["Action"], streamRead...)
		equalSet(t, "principals", s["Principal"].(map[string]any)["AWS"], "arn:aws:iam::333333333333:root", "arn:aws:iam::222222222222:root")
		equal(t, "condition", s["Condition"], roles("arn:aws:iam::333333333333:role/clickstream-consumer", "arn:aws:iam::222222222222:role/clickstream-consumer"))
		equal(t, "resource", s["Resource"], getAtt(stream.LogicalID, "Arn"))
	})

	t.Run("each consumer account has a consumer whose policy admits only its role, created after the consumer", func(t *testing.T) {
		// THEN
		if n := len(prod.Resources("AWS::Kinesis::ResourcePolicy")); n != 3 {
			t.Errorf("%d resource policies, want 3 (stream, two consumers)", n)
		}
		for _, a := range link.ConsumerAccounts {
			id := consumerID[a]
			equal(t, a+" consumer stream", prod.One(t, "AWS::Kinesis::StreamConsumer", map[string]any{"ConsumerName": "clickstream-" + a}).Props()["StreamARN"], getAtt(stream.LogicalID, "Arn"))
			pol := prod.One(t, "AWS::Kinesis::ResourcePolicy", map[string]any{"ResourceArn": getAtt(id, "ConsumerARN")})
			s := only(t, pol.Props()["ResourcePolicy"])
			equalSet(t, a+" actions", s["Action"], consumerRead...)
			equal(t, a+" principal", s["Principal"], root(a))
			equal(t, a+" condition", s["Condition"], roles("arn:aws:iam::"+a+":role/clickstream-consumer"))
			equal(t, a+" resource", s["Resource"], getAtt(id, "ConsumerARN"))
			if deps := cdktest.List(pol.Raw["DependsOn"]); !slices.Contains(deps, any(id)) {
				t.Errorf("%s consumer policy DependsOn %v, want %s", a, deps, id)
			}
		}
	})

	t.Run("producer role may only put records and encrypt with the key through Kinesis", func(t *testing.T) {
		// THEN
		role := prod.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-producer"})
		equal(t, "trust", only(t, role.Props()["AssumeRolePolicyDocument"])["Principal"], root(orders))
		pol := prod.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": role.LogicalID}}})
		doc := pol.Props()["PolicyDocument"]
		if n := len(cdktest.Statements(doc)); n != 2 {
			t.Fatalf("producer policy has %d statements, want 2", n)
		}
		put := cdktest.Statement(t, doc, "PutRecordsIntoLinkStream")
		equalSet(t, "put actions", put["Action"], "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary")
		equal(t, "put resource", put["Resource"], getAtt(stream.LogicalID, "Arn"))
		enc := cdktest.Statement(t, doc, "EncryptWithLinkStreamKeyThroughKinesis")
		equalSet(t, "key actions", enc["Action"], "kms:GenerateDataKey")
		equal(t, "key resource", enc["Resource"], getAtt(key[0].LogicalID, "Arn"))
		equal(t, "key conditions", enc["Condition"], viaKinesis)
	})

	t.Run("each consumer account's look-up role trusts only its look-up function and may only describe its consumer", func(t *testing.T) {
		// THEN
		for _, a := range []string{analytics, billing} {
			role := prod.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-lookup-" + a})
			trust := only(t, role.Props()["AssumeRolePolicyDocument"])
			equalSet(t, "trust principals", trust["Principal"].(map[string]any)["AWS"], "arn:aws:iam::"+a+":root")
			equal(t, "trust condition", trust["Condition"], roles("arn:aws:iam::"+a+":role/clickstream-lookup-fn"))
			equalSet(t, "trust action", trust["Action"], "sts:AssumeRole")
			s := only(t, inline(t, role, "describe-consumers"))
			equalSet(t, "actions", s["Action"], "kinesis:DescribeStreamConsumer")
			equalSet(t, "resources", s["Resource"], streamArn+"/consumer/clickstream-"+a, getAtt(consumerID[a], "ConsumerARN"))
		}
		if n := len(prod.Resources("AWS::IAM::Role")); n != 3 {
			t.Errorf("producer stack has %d roles, want 3 (producer, one look-up role per consumer account)", n)
		}
	})

	t.Run("no resource or key policy admits a wildcard or a service principal", func(t *testing.T) {
		// THEN
		var docs []any
		for _, r := range prod.Resources("AWS::Kinesis::ResourcePolicy") {
			docs = append(docs, r.Props()["ResourcePolicy"])
		}
		docs = append(docs, key[0].Props()["KeyPolicy"])
		for _, doc := range docs {
			for _, s := range cdktest.Statements(doc) {
				p, ok := s["Principal"].(map[string]any)
				if !ok || len(p) != 1 || p["AWS"] == nil {
					t.Errorf("statement %s: principal is not an AWS account", cdktest.JSON(s))
					continue
				}
				for _, x := range cdktest.List(p["AWS"]) {
					if v, _ := x.(string); !strings.HasPrefix(v, "arn:aws:iam::") || !strings.HasSuffix(v, ":root") {
						t.Errorf("statement %s: principal %v is not an account root", cdktest.JSON(s), x)
					}
				}
				if s["Effect"] == "Allow" && s["Sid"] != nil && s["Condition"] == nil {
					t.Errorf("statement %s admits whole accounts, not roles", cdktest.JSON(s))
				}
			}
		}
	})

	for _, a := range link.ConsumerAccounts {
		cons := h.consTmpls[a]
		role := cons.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-consumer"})
		fn := cons.One(t, "AWS::Lambda::Function", map[string]any{"Description": "Consumes Kinesis stream clickstream of account 111111111111 (link clickstream)"})
		lookup := cons.One(t, "Custom::KinesisConsumerArn", map[string]any{})
		queue := cons.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "clickstream-failures"})
		consumerArn := getAtt(lookup.LogicalID, "ConsumerArn")
		policy := cons.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": role.LogicalID}}})

		t.Run(a+": execution role may read the stream and decrypt only through Kinesis for it", func(t *testing.T) {
			// THEN
			equal(t, "trust", only(t, role.Props()["AssumeRolePolicyDocument"])["Principal"], map[string]any{"Service": "lambda.amazonaws.com"})
			doc := inline(t, role, "read-stream")
			if n := len(cdktest.Statements(doc)); n != 2 {
				t.Fatalf("read-stream has %d statements, want 2", n)
			}
			read := cdktest.Statement(t, doc, "ReadLinkStream")
			equalSet(t, "read actions", read["Action"], streamRead...)
			equal(t, "read resource", read["Resource"], streamArn)
			dec := cdktest.Statement(t, doc, "DecryptLinkStreamThroughKinesis")
			equalSet(t, "decrypt actions", dec["Action"], "kms:Decrypt")
			equal(t, "decrypt resource", dec["Resource"], "arn:aws:kms:ap-northeast-1:111111111111:key/*")
			equal(t, "decrypt conditions", dec["Condition"], viaKinesis)
			if role.Props()["ManagedPolicyArns"] != nil {
				t.Errorf("execution role has managed policies %v", role.Props()["ManagedPolicyArns"])
			}
		})

		t.Run(a+": the function may subscribe to its consumer, write its logs and send to its failure queue, nothing else", func(t *testing.T) {
			// THEN
			doc := policy.Props()["PolicyDocument"]
			if n := len(cdktest.Statements(doc)); n != 3 {
				t.Fatalf("function policy has %d statements, want 3: %s", n, cdktest.JSON(doc))
			}
			sub := cdktest.Statement(t, doc, "SubscribeToLinkConsumer")
			equalSet(t, "consumer actions", sub["Action"], consumerRead...)
			equal(t, "consumer resource", sub["Resource"], consumerArn)
			logs := cdktest.Statement(t, doc, "WriteOwnLogs")
			equalSet(t, "log actions", logs["Action"], "logs:CreateLogStream", "logs:PutLogEvents")
			equal(t, "log group", logs["Resource"], getAtt(fn.Props()["LoggingConfig"].(map[string]any)["LogGroup"].(map[string]any)["Ref"].(string), "Arn"))
			send := cdktest.Statement(t, doc, "SendFailedBatchesToFailureQueue")
			equalSet(t, "queue actions", send["Action"], "sqs:SendMessage")
			equal(t, "queue", send["Resource"], getAtt(queue.LogicalID, "Arn"))
		})

		t.Run(a+": the event source mapping reads the looked-up consumer with the defaults and loses nothing", func(t *testing.T) {
			// THEN
			esm := cons.One(t, "AWS::Lambda::EventSourceMapping", map[string]any{})
			p := esm.Props()
			for k, want := range map[string]any{
				"EventSourceArn": consumerArn, "FunctionName": map[string]any{"Ref": fn.LogicalID},
				"StartingPosition": "TRIM_HORIZON", "BatchSize": 100, "ParallelizationFactor": 1,
				"BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": 3600,
				"FunctionResponseTypes": []any{"ReportBatchItemFailures"},
				"DestinationConfig":     map[string]any{"OnFailure": map[string]any{"Destination": getAtt(queue.LogicalID, "Arn")}},
			} {
				equal(t, k, p[k], want)
			}
			deps := cdktest.List(esm.Raw["DependsOn"])
			if !slices.Contains(deps, any(policy.LogicalID)) || !slices.Contains(deps, any(role.LogicalID)) {
				t.Errorf("mapping DependsOn %v, want the function policy %s and the role %s", deps, policy.LogicalID, role.LogicalID)
			}
		})

		t.Run(a+": failure queue is encrypted, TLS only, keeps 14 days and is retained", func(t *testing.T) {
			// THEN
			p := queue.Props()
			if p["SqsManagedSseEnabled"] != true || cdktest.JSON(p["MessageRetentionPeriod"]) != "1209600" || queue.Raw["DeletionPolicy"] != "Retain" {
				t.Errorf("queue %s, DeletionPolicy %v", cdktest.JSON(p), queue.Raw["DeletionPolicy"])
			}
			qp := cons.One(t, "AWS::SQS::QueuePolicy", map[string]any{"Queues": []any{map[string]any{"Ref": queue.LogicalID}}})
			s := only(t, qp.Props()["PolicyDocument"])
			if s["Effect"] != "Deny" || cdktest.JSON(s["Condition"]) != `{"Bool":{"aws:SecureTransport":"false"}}` {
				t.Errorf("queue policy %s, want only a deny without TLS", cdktest.JSON(s))
			}
		})

		t.Run(a+": the look-up finds the consumer through the producer's look-up role, and may do nothing else", func(t *testing.T) {
			// THEN
			p := lookup.Props()
			equal(t, "StreamArn", p["StreamArn"], streamArn)
			equal(t, "ConsumerName", p["ConsumerName"], "clickstream-"+a)
			equal(t, "LookupRoleArn", p["LookupRoleArn"], "arn:aws:iam::111111111111:role/clickstream-lookup-"+a)
			fnRole := cons.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-lookup-fn"})
			doc := inline(t, fnRole, "lookup")
			assume := cdktest.Statement(t, doc, "AssumeProducerLookupRole")
			equalSet(t, "assume action", assume["Action"], "sts:AssumeRole")
			equal(t, "assume resource", assume["Resource"], "arn:aws:iam::111111111111:role/clickstream-lookup-"+a)
			if n := len(cdktest.Statements(doc)); n != 2 {
				t.Errorf("look-up function policy has %d statements, want 2 (assume, logs)", n)
			}
			lookupFn := cons.One(t, "AWS::Lambda::Function", map[string]any{"Role": getAtt(fnRole.LogicalID, "Arn")})
			equal(t, "look-up runtime", lookupFn.Props()["Runtime"], "provided.al2023")
			equal(t, "look-up timeout", lookupFn.Props()["Timeout"], 300)
			// The provider framework's function is the service token, and may only invoke
			// the look-up function.
			token := p["ServiceToken"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
			frameworkFn := cons.Resources("AWS::Lambda::Function")
			var frameworkRole string
			for _, f := range frameworkFn {
				if f.LogicalID == token {
					frameworkRole = f.Props()["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
				}
			}
			fp := cons.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": frameworkRole}}})
			for _, s := range cdktest.Statements(fp.Props()["PolicyDocument"]) {
				js := cdktest.JSON(s)
				switch {
				case strings.Contains(js, "lambda:"):
					if !strings.Contains(js, lookupFn.LogicalID) {
						t.Errorf("framework statement %s is not about the look-up function", js)
					}
				case s["Sid"] == "WriteOwnLogs":
				default:
					t.Errorf("framework role has unexpected statement %s", js)
				}
			}
			fr := cons.Resources("AWS::IAM::Role")
			for _, r := range fr {
				if r.Props()["ManagedPolicyArns"] != nil {
					t.Errorf("role %s has managed policies %v", r.LogicalID, r.Props()["ManagedPolicyArns"])
				}
			}
		})

		t.Run(a+": the function runs the Go stream consumer, requiring JSON", func(t *testing.T) {
			// THEN
			p := fn.Props()
			equal(t, "runtime", p["Runtime"], "provided.al2023")
			equal(t, "architectures", p["Architectures"], []any{"arm64"})
			equal(t, "role", p["Role"], getAtt(role.LogicalID, "Arn"))
			equal(t, "environment", p["Environment"], map[string]any{"Variables": map[string]any{"RECORD_FORMAT": "json"}})
		})
	}

	t.Run("the halves agree on every name", func(t *testing.T) {
		// THEN the names each consumer half computed are the resources the producer created
		for _, a := range link.ConsumerAccounts {
			cons := h.consTmpls[a]
			lookup := cons.One(t, "Custom::KinesisConsumerArn", map[string]any{})
			if got := lookup.Props()["ConsumerName"]; got != prod.One(t, "AWS::Kinesis::StreamConsumer", map[string]any{"ConsumerName": got}).Props()["ConsumerName"] {
				t.Errorf("%s looks up consumer %v", a, got)
			}
			if got, want := lookup.Props()["StreamArn"], "arn:aws:kinesis:"+region+":"+orders+":stream/"+stream.Props()["Name"].(string); got != want {
				t.Errorf("%s looks in stream %v, want %s", a, got, want)
			}
			lr := prod.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-lookup-" + a})
			if got := lookup.Props()["LookupRoleArn"]; got != "arn:aws:iam::"+orders+":role/"+lr.Props()["RoleName"].(string) {
				t.Errorf("%s assumes %v, not the producer's look-up role", a, got)
			}
			for _, name := range []string{"clickstream-consumer", "clickstream-lookup-fn"} {
				r := cons.One(t, "AWS::IAM::Role", map[string]any{"RoleName": name})
				if !strings.Contains(cdktest.JSON(prod), "arn:aws:iam::"+a+":role/"+r.Props()["RoleName"].(string)) {
					t.Errorf("no producer policy names %s's role %s", a, name)
				}
			}
		}
		c := h.consumers[analytics]
		if c.Lookup == nil || c.LookupFunction == nil || c.Function == nil || c.FailureQueue == nil || c.EventSourceMapping == nil || c.Policy == nil {
			t.Errorf("consumer does not expose its resources: %+v", c)
		}
		if len(h.producer.LookupRoles) != 2 || h.producer.ProducerRole == nil || len(h.producer.Consumers) != 2 || len(h.producer.ConsumerPolicies) != 2 {
			t.Errorf("producer does not expose its resources: %+v", h.producer)
		}
	})

	t.Run("cdk-nag AwsSolutions: no unsuppressed error, every suppression explained and narrowed", func(t *testing.T) {
		// THEN
		assertNag(t, h)
	})
}

// assertNag checks cdk-nag's findings and the suppressions of every stack of h.
func assertNag(t *testing.T, h halves) {
	t.Helper()
	n := 0
	for _, name := range h.stackNames {
		errs, _ := cdktest.NagFindings(h.stacks[name])
		for _, e := range errs {
			t.Errorf("%s: unsuppressed cdk-nag error %s", name, e)
		}
		tpl := cdktest.Template(t, h.stacks[name])
		res, _ := tpl["Resources"].(map[string]any)
		for id, r := range res {
			meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
			nag, _ := meta["cdk_nag"].(map[string]any)
			for _, x := range cdktest.List(nag["rules_to_suppress"]) {
				rule := x.(map[string]any)
				n++
				if reason, _ := rule["reason"].(string); len(reason) < 40 {
					t.Errorf("%s/%s: suppression %v has a thin reason %q", name, id, rule["id"], reason)
				}
				if strings.HasPrefix(rule["id"].(string), "AwsSolutions-IAM") && len(cdktest.List(rule["applies_to"])) == 0 {
					t.Errorf("%s/%s: suppression %v is not narrowed with appliesTo", name, id, rule["id"])
				}
			}
		}
	}
	if n == 0 {
		t.Error("found no suppression; the key wildcard of the consumer role needs one")
	}
}

func ptr[T any](v T) *T { return &v }

func TestProvisionedSplitConsumerWithOverride(t *testing.T) {
	// GIVEN a provisioned stream with every mapping option set, an existing producer
	// role, and a consumer account that gives its consumer's ARN and puts its role in a
	// stack of its own, deployed before the rest of its half
	override := streamArn + "/consumer/clickstream-333333333333:1706616477"
	link := sharedkinesisefo.Link{
		Name: "clickstream", Region: region, ProducerAccount: orders, ConsumerAccounts: []string{analytics},
		Options: sharedkinesisefo.Options{
			StreamMode: sharedkinesisefo.StreamModeProvisioned, ShardCount: 2, Retention: 48 * time.Hour,
			ProducerRoleArns: []string{"arn:aws:iam::111111111111:role/team/app"},
			Format:           sharedkinesisefo.FormatRaw, BatchSize: 500, StartingPosition: sharedkinesisefo.StartingPositionLatest,
			ParallelizationFactor: 4, BisectOnError: ptr(false), MaxRetries: ptr(0), MaxRecordAge: 2 * time.Hour,
			ConsumerArns: map[string]string{analytics: override},
		},
	}

	// WHEN the producer half, the role stack and the consumer stack are synthesized
	h := build(t, link, true)
	prod, roleTmpl, cons := h.prodTmpl, h.roleTmpls[analytics], h.consTmpls[analytics]

	t.Run("stream has the shards and retention asked for", func(t *testing.T) {
		// THEN
		s := prod.One(t, "AWS::Kinesis::Stream", map[string]any{"Name": "clickstream"})
		equal(t, "StreamModeDetails", s.Props()["StreamModeDetails"], map[string]any{"StreamMode": "PROVISIONED"})
		equal(t, "ShardCount", s.Props()["ShardCount"], 2)
		equal(t, "RetentionPeriodHours", s.Props()["RetentionPeriodHours"], 48)
	})

	t.Run("the existing producer role gets the policy, no role is created and nothing is looked up", func(t *testing.T) {
		// THEN
		if n := len(prod.Resources("AWS::IAM::Role")); n != 0 {
			t.Errorf("producer stack has %d roles, want none: the producer role exists and no consumer looks up its ARN", n)
		}
		pol := prod.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{"app"}})
		equalSet(t, "sids", sids(pol.Props()["PolicyDocument"]), "PutRecordsIntoLinkStream", "EncryptWithLinkStreamKeyThroughKinesis")
		if len(h.producer.LookupRoles) != 0 || h.producer.ProducerRole != nil || len(h.producer.ProducerRoles) != 1 {
			t.Errorf("producer LookupRoles %v, ProducerRole %v, %d producer roles; want none, nil, 1", h.producer.LookupRoles, h.producer.ProducerRole, len(h.producer.ProducerRoles))
		}
	})

	t.Run("the role stack holds only the execution role", func(t *testing.T) {
		// THEN
		res, _ := roleTmpl["Resources"].(map[string]any)
		if len(res) != 1 {
			t.Errorf("role stack has %d resources, want the role alone: %v", len(res), keys(res))
		}
		roleTmpl.One(t, "AWS::IAM::Role", map[string]any{"RoleName": "clickstream-consumer"})
	})

	t.Run("the consumer stack uses the given ARN: no look-up, no role of its own, nothing imported", func(t *testing.T) {
		// THEN
		for _, typ := range []string{"Custom::KinesisConsumerArn", "AWS::IAM::Role"} {
			if n := len(cons.Resources(typ)); n != 0 {
				t.Errorf("%d %s, want none", n, typ)
			}
		}
		if n := len(cons.Resources("AWS::Lambda::Function")); n != 1 {
			t.Errorf("%d functions, want only the consumer", n)
		}
		if strings.Contains(cdktest.JSON(cons), "Fn::ImportValue") {
			t.Error("consumer stack imports a value of another stack")
		}
		pol := cons.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{"clickstream-consumer"}})
		sub := cdktest.Statement(t, pol.Props()["PolicyDocument"], "SubscribeToLinkConsumer")
		equal(t, "consumer resource", sub["Resource"], override)
		if c := h.consumers[analytics]; c.Lookup != nil || c.LookupFunction != nil || *c.ConsumerArn != override {
			t.Errorf("consumer Lookup %v, LookupFunction %v, ConsumerArn %v", c.Lookup, c.LookupFunction, *c.ConsumerArn)
		}
	})

	t.Run("the event source mapping has every option asked for, after the function policy", func(t *testing.T) {
		// THEN
		esm := cons.One(t, "AWS::Lambda::EventSourceMapping", map[string]any{})
		p := esm.Props()
		for k, want := range map[string]any{
			"EventSourceArn": override, "StartingPosition": "LATEST", "BatchSize": 500, "ParallelizationFactor": 4,
			"BisectBatchOnFunctionError": false, "MaximumRetryAttempts": 0, "MaximumRecordAgeInSeconds": 7200,
			"FunctionResponseTypes": []any{"ReportBatchItemFailures"},
		} {
			equal(t, k, p[k], want)
		}
		pol := cons.One(t, "AWS::IAM::Policy", map[string]any{"Roles": []any{"clickstream-consumer"}})
		equal(t, "DependsOn", esm.Raw["DependsOn"], []any{pol.LogicalID})
		fn := cons.Resources("AWS::Lambda::Function")[0]
		equal(t, "environment", fn.Props()["Environment"], map[string]any{"Variables": map[string]any{"RECORD_FORMAT": "raw"}})
		equal(t, "role", fn.Props()["Role"], "arn:aws:iam::333333333333:role/clickstream-consumer")
	})

	t.Run("cdk-nag AwsSolutions: no unsuppressed error, every suppression explained and narrowed", func(t *testing.T) {
		// THEN
		assertNag(t, h)
	})
}

func sids(doc any) []any {
	var out []any
	for _, s := range cdktest.Statements(doc) {
		out = append(out, s["Sid"])
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestHalvesRejectWrongPlacesAndBadLinks(t *testing.T) {
	link := sharedkinesisefo.Link{Name: "clickstream", Region: region, ProducerAccount: orders, ConsumerAccounts: []string{analytics}}
	newStack := func(account, rg string) awscdk.Stack {
		return awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(rg)},
		})
	}
	bad := link
	bad.BatchSize, bad.ParallelizationFactor = 20000, 11
	cases := []struct {
		name string
		f    func()
		want []string
	}{
		{"producer in a consumer's stack", func() {
			sharedkinesisefo.NewProducer(newStack(analytics, region), "s", &sharedkinesisefo.ProducerProps{Link: link})
		}, []string{"producer half", "account 111111111111", "account 333333333333"}},
		{"producer in another region", func() {
			sharedkinesisefo.NewProducer(newStack(orders, "eu-west-1"), "s", &sharedkinesisefo.ProducerProps{Link: link})
		}, []string{"region ap-northeast-1", "region eu-west-1"}},
		{"consumer in the producer's stack", func() {
			sharedkinesisefo.NewConsumer(newStack(orders, region), "s", &sharedkinesisefo.ConsumerProps{Link: link})
		}, []string{`account "111111111111" is not a consumer account`}},
		{"consumer role for an account that does not consume", func() {
			sharedkinesisefo.NewConsumerRole(newStack(billing, region), "s", &sharedkinesisefo.ConsumerRoleProps{Link: link})
		}, []string{`account "222222222222" is not a consumer account`}},
		{"consumer for another account than its stack's", func() {
			sharedkinesisefo.NewConsumer(newStack(billing, region), "s", &sharedkinesisefo.ConsumerProps{Link: link, Account: analytics})
		}, []string{"consumer half", "account 333333333333", "account 222222222222"}},
		{"invalid link reports every problem", func() {
			sharedkinesisefo.NewProducer(newStack(orders, region), "s", &sharedkinesisefo.ProducerProps{Link: bad})
		}, []string{"2 problems", "batchSize 20000", "parallelizationFactor 11"}},
		{"nil producer props", func() { sharedkinesisefo.NewProducer(newStack(orders, region), "s", nil) }, []string{"needs props"}},
		{"nil consumer props", func() { sharedkinesisefo.NewConsumer(newStack(analytics, region), "s", nil) }, []string{"needs props"}},
		{"nil consumer role props", func() { sharedkinesisefo.NewConsumerRole(newStack(analytics, region), "s", nil) }, []string{"needs props"}},
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

	t.Run("a consumer role in its own account builds, for the stack's account", func(t *testing.T) {
		// GIVEN the consumer account's stack
		// WHEN the role is built there without an account
		r := sharedkinesisefo.NewConsumerRole(newStack(analytics, region), "r", &sharedkinesisefo.ConsumerRoleProps{Link: link})
		// THEN it defaults to the stack's account and has the computed name
		if r.Account != analytics || *r.Role.RoleName() == "" {
			t.Errorf("Account = %q, want %q", r.Account, analytics)
		}
	})
}
