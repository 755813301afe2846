package sendcmd

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/eventmatch"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer/fakeaws"
)

// kindsYAML has a link of every kind but queue that orders sends through, and one
// bus link of analytics.
const kindsYAML = `region: ap-northeast-1
accounts:
  orders: "111111111111"
  billing: "222222222222"
  analytics: "333333333333"
links:
  - name: order-events
    kind: topic
    from: orders
    to: [billing, analytics]
    options:
      receivers:
        billing:
          filterPolicy: {eventType: [order_placed]}
  - name: payments
    kind: topic
    from: orders
    to: billing
    options:
      fifo: true
  - name: shipments
    kind: bus
    from: [orders, analytics]
    to: billing
    options:
      eventPattern:
        source: [aws.ec2, orders.shipping]
        detail-type: [Shipment Sent]
        detail: {status: [sent], carrier: {name: [acme, {prefix: ac}]}}
  - name: ec2-state
    kind: bus
    from: orders
    to: billing
    options:
      eventPattern: {source: [aws.ec2]}
  - name: clickstream
    kind: stream
    from: orders
    to: analytics
  - name: audit-events
    kind: bus
    from: analytics
    to: billing
    options:
      eventPattern: {source: [analytics.audit]}
`

var (
	orderEventsArn = "arn:aws:sns:ap-northeast-1:111111111111:order-events"
	paymentsArn    = "arn:aws:sns:ap-northeast-1:111111111111:payments.fifo"
	clickstreamArn = "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream"
	publisherRole  = "arn:aws:iam::111111111111:role/order-events-publisher"
	streamRole     = "arn:aws:iam::111111111111:role/clickstream-producer"
	deployerRole   = "arn:aws:iam::111111111111:role/deployer"
)

const (
	snsEndpoint     = "https://sns.ap-northeast-1.amazonaws.com"
	eventsEndpoint  = "https://events.ap-northeast-1.amazonaws.com"
	kinesisEndpoint = "https://kinesis.ap-northeast-1.amazonaws.com"
	asDeployer      = "identity own credentials (" + deployer + ")"
)

func testBody(link, to string) string {
	return `{"crosswire":"smoke test by crosswire-send","link":"` + link + `","from":"orders","to":"` + to + `","sentAt":"2026-05-01T12:00:00Z"}`
}

func TestEveryKindDelivered(t *testing.T) {
	// GIVEN orders' deployer and a topic, a FIFO topic, two bus links and a stream
	// that all accept
	f := &fakeaws.Fake{}

	// WHEN the smoke test runs
	r := runTopology(t, kindsYAML, f, deployer)

	// THEN each link orders sends through has one line that says what was checked,
	// the bus link whose pattern only AWS can send is skipped, and analytics' link is
	// left alone
	if r.code != 0 {
		t.Errorf("exit code %d, want 0; stderr: %s", r.code, r.stderr)
	}
	assertLines(t, r.stdout,
		"crosswire send: topology.yaml: sender account orders (111111111111), caller "+deployer,
		"order-events: delivered (message 10000000-0000-4000-8000-000000000001 accepted by topic order-events; delivery to the queues of billing, analytics is not checked here, "+
			"and the filter policy of billing may drop it); endpoint "+snsEndpoint+"; "+asDeployer,
		"payments: delivered (message 10000000-0000-4000-8000-000000000002 accepted by topic payments.fifo; delivery to the queues of billing is not checked here); endpoint "+snsEndpoint+"; "+asDeployer,
		"shipments: delivered (event 20000000-0000-4000-8000-000000000001 accepted by the sender's event bus default: only the bus's acceptance is checked; "+
			"whether rule shipments-forward forwards it to billing cannot be seen from here); endpoint "+eventsEndpoint+"; "+asDeployer,
		"ec2-state: skipped: cannot build an event matching the pattern: source aws.ec2 is reserved for AWS services, whose events PutEvents cannot send; "+
			"only a real event of that service tests this link; not checked",
		"clickstream: delivered (record 49600000000000000000000000000000000000000001 in shardId-000000000000 of stream clickstream; "+
			"reading by the consumers of analytics is not checked here); endpoint "+kinesisEndpoint+"; "+asDeployer,
		"4 of 4 links delivered, 1 skipped",
	)

	// AND the topics got the test message with the smoke-test attribute, the FIFO
	// topic in the smoke test's group with a deduplication ID
	published := requestsOf(f, fakeaws.Publish)
	if len(published) != 2 {
		t.Fatalf("%d publishes, want 2", len(published))
	}
	for i, want := range []struct{ topic, body string }{{orderEventsArn, testBody("order-events", "billing,analytics")}, {paymentsArn, testBody("payments", "billing")}} {
		p := published[i].Params
		if p["TopicArn"] != want.topic || p["Message"] != want.body {
			t.Errorf("publish %d: topic %s, message %s; want %s, %s", i, p["TopicArn"], p["Message"], want.topic, want.body)
		}
		if p["MessageAttributes.entry.1.Name"] != smoke.TestAttribute || p["MessageAttributes.entry.1.Value.StringValue"] == "" {
			t.Errorf("publish %d: attributes %v, want %s", i, p, smoke.TestAttribute)
		}
	}
	if p := published[0].Params; p["MessageGroupId"] != "" || p["MessageDeduplicationId"] != "" {
		t.Errorf("standard topic got group %q, deduplication ID %q", p["MessageGroupId"], p["MessageDeduplicationId"])
	}
	if p := published[1].Params; p["MessageGroupId"] != smoke.GroupID || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(p["MessageDeduplicationId"]) {
		t.Errorf("FIFO topic got group %q, deduplication ID %q", p["MessageGroupId"], p["MessageDeduplicationId"])
	}

	// AND the bus got one event on orders' default bus that the link's pattern
	// matches, with the test message in its detail
	put := requestsOf(f, fakeaws.PutEvents)
	if len(put) != 1 {
		t.Fatalf("%d PutEvents, want 1", len(put))
	}
	var entries []struct {
		EventBusName, Source, DetailType, Detail string
		Resources                                []string
	}
	if err := json.Unmarshal([]byte(put[0].Params["Entries"]), &entries); err != nil || len(entries) != 1 {
		t.Fatalf("entries %s: %v", put[0].Params["Entries"], err)
	}
	e := entries[0]
	var detail map[string]any
	if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{"source": e.Source, "detail-type": e.DetailType, "detail": detail, "account": "111111111111", "region": "ap-northeast-1"}
	pattern := `{"source":["aws.ec2","orders.shipping"],"detail-type":["Shipment Sent"],"detail":{"status":["sent"],"carrier":{"name":["acme",{"prefix":"ac"}]}}}`
	if e.EventBusName != "default" || !eventmatch.Must(t, pattern, got) || detail["link"] != "shipments" {
		t.Errorf("event on bus %q: %+v, detail %s; want one the pattern %s matches, naming the link", e.EventBusName, e, e.Detail, pattern)
	}

	// AND the stream got one JSON record with the smoke test's partition key
	rec := requestsOf(f, fakeaws.PutRecord)
	if len(rec) != 1 {
		t.Fatalf("%d PutRecord, want 1", len(rec))
	}
	data, _ := base64.StdEncoding.DecodeString(rec[0].Params["Data"])
	if rec[0].Params["StreamARN"] != clickstreamArn || rec[0].Params["PartitionKey"] != smoke.GroupID || string(data) != testBody("clickstream", "analytics") {
		t.Errorf("PutRecord %v, data %s", rec[0].Params, data)
	}
	for _, req := range f.Requests() {
		if req.AccessKeyID != ownKey {
			t.Errorf("%s signed by %q, want the own credentials", req.Op, req.AccessKeyID)
		}
	}
}

func requestsOf(f *fakeaws.Fake, op string) []fakeaws.Request {
	var out []fakeaws.Request
	for _, r := range f.Requests() {
		if r.Op == op {
			out = append(out, r)
		}
	}
	return out
}

func TestKindsThatFail(t *testing.T) {
	dns := &net.DNSError{Err: "no such host", Name: "kinesis.ap-northeast-1.amazonaws.com", IsNotFound: true}
	for _, tc := range []struct {
		name   string
		link   string
		op     string
		fail   fakeaws.Failure
		args   []string
		want   string // the link's line, from after "<link>: "
		prefix bool   // want is the start of the line only
	}{
		{
			name: "the topic policy denies", link: "order-events", op: fakeaws.Publish,
			fail: fakeaws.Failure{Code: "AuthorizationError", Message: "User: " + deployer + " is not authorized to perform: SNS:Publish on resource: " + orderEventsArn},
			want: "denied at sns:Publish (AuthorizationError): look at the topic policy of " + orderEventsArn + " (sns:Publish only for " + publisherRole + ") " +
				"and the identity policy of " + deployerRole + " (sns:Publish on the topic); AWS says: User: " + deployer + " is not authorized to perform: SNS:Publish on resource: " + orderEventsArn + "; " +
				"note: the caller is not a publisher role of link order-events, whose topic policy admits only " + publisherRole + "; run as that role or give -assume-sender-role; " +
				"endpoint " + snsEndpoint + "; " + asDeployer,
		},
		{
			name: "the topic's key denies", link: "order-events", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "KMSAccessDenied", Message: "denied"}, prefix: true,
			want: "denied at sns:Publish (KMSAccessDenied): look at the key policy of alias/order-events in 111111111111 and the identity policy of " + deployerRole +
				" (kms:GenerateDataKey and kms:Decrypt through SNS for this topic)",
		},
		{
			name: "no topic", link: "order-events", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "NotFound", Message: "Topic does not exist"},
			want: "missing (deploy the sender stack) at sns:Publish (NotFound): no topic order-events in account 111111111111; deploy the sender stack of link order-events there; " +
				"AWS says: Topic does not exist; endpoint " + snsEndpoint + "; " + asDeployer,
		},
		{
			name: "the caller may not put events on its bus", link: "shipments", op: fakeaws.PutEvents, fail: fakeaws.Failure{Code: "AccessDeniedException", Message: "denied"},
			want: "denied at events:PutEvents (AccessDeniedException): look at the identity policy of " + deployerRole + " (events:PutEvents on arn:aws:events:ap-northeast-1:111111111111:event-bus/default); " +
				"the link's rule shipments-forward and its role shipments-forwarder are EventBridge's and cannot be tested from here; AWS says: denied; endpoint " + eventsEndpoint + "; " + asDeployer,
		},
		{
			name: "the bus refuses the event", link: "shipments", op: fakeaws.PutEvents, fail: fakeaws.Failure{Entry: true, Code: "InternalFailure", Message: "try again"},
			want: "failed at events:PutEvents (InternalFailure): FailedEntryCount 1: event bus default took the request but refused the event; AWS says: try again; endpoint " + eventsEndpoint + "; " + asDeployer,
		},
		{
			name: "the bus refuses the event for its key", link: "shipments", op: fakeaws.PutEvents, fail: fakeaws.Failure{Entry: true, Code: "KMSAccessDeniedException", Message: "denied"}, prefix: true,
			want: "denied at events:PutEvents (KMSAccessDeniedException): FailedEntryCount 1: look at the key policy of the key that encrypts event bus arn:aws:events:ap-northeast-1:111111111111:event-bus/default",
		},
		{
			name: "no sender bus", link: "shipments", op: fakeaws.PutEvents, fail: fakeaws.Failure{Code: "ResourceNotFoundException", Message: "Event bus default does not exist."}, prefix: true,
			want: "missing at events:PutEvents (ResourceNotFoundException): no event bus default in account 111111111111: senderBus must name an existing bus, which Crosswire does not create",
		},
		{
			name: "the producer may not put records", link: "clickstream", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "AccessDeniedException", Message: "denied"},
			want: "denied at kinesis:PutRecord (AccessDeniedException): look at the identity policy of " + deployerRole + " (kinesis:PutRecord on " + clickstreamArn + "); " +
				"the stream's resource policy admits only the consumers and plays no part for producers; AWS says: denied; " +
				"note: the caller is not a producer role of link clickstream, and Crosswire grants kinesis:PutRecord only to " + streamRole + "; run as that role or give -assume-sender-role; " +
				"endpoint " + kinesisEndpoint + "; " + asDeployer,
		},
		{
			name: "the stream's key denies", link: "clickstream", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "KMSAccessDeniedException"}, prefix: true,
			want: "denied at kinesis:PutRecord (KMSAccessDeniedException): look at the key policy of alias/clickstream in 111111111111 and the identity policy of " + deployerRole +
				" (kms:GenerateDataKey through Kinesis for this stream)",
		},
		{
			name: "no stream", link: "clickstream", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "ResourceNotFoundException"}, prefix: true,
			want: "missing (deploy the producer stack) at kinesis:PutRecord (ResourceNotFoundException): no stream clickstream in account 111111111111; deploy the producer stack of link clickstream there",
		},
		{
			name: "no Kinesis endpoint in the VPC", link: "clickstream", op: fakeaws.PutRecord, fail: fakeaws.Failure{Err: dns}, prefix: true,
			want: "unreachable at kinesis:PutRecord: kinesis.ap-northeast-1.amazonaws.com does not resolve: in a VPC without internet access Kinesis needs an interface VPC endpoint with private DNS enabled",
		},
		{
			name: "the topic never answers", link: "order-events", op: fakeaws.Publish, fail: fakeaws.Failure{Hang: true}, args: []string{"-timeout", "100ms"}, prefix: true,
			want: "unreachable at sns:Publish: no answer from sns.ap-northeast-1.amazonaws.com in time: in a VPC without internet access the security group of the SNS interface endpoint must admit TCP 443",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN orders' deployer and a link whose request fails as the row says
			f := &fakeaws.Fake{}
			f.Fail(tc.op, "", tc.fail)

			// WHEN the smoke test runs for that link
			r := runTopology(t, kindsYAML, f, deployer, append([]string{"-link", tc.link}, tc.args...)...)

			// THEN the link's line says what failed and what to look at, and the run fails
			l := lines(r.stdout)
			if r.code != 1 || len(l) != 3 || l[2] != "0 of 1 links delivered" {
				t.Fatalf("exit code %d, stdout:\n%s", r.code, r.stdout)
			}
			got := strings.TrimPrefix(l[1], tc.link+": ")
			if (tc.prefix && !strings.HasPrefix(got, tc.want)) || (!tc.prefix && got != tc.want) {
				t.Errorf("line\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestKindsAsTheirSenderRole(t *testing.T) {
	for _, tc := range []struct {
		name     string
		link     string
		op       string
		assumed  string // the role assumed, or "" for none
		identity string
	}{
		{"a topic publishes as its publisher role", "order-events", fakeaws.Publish, publisherRole,
			"identity publisher role " + publisherRole + " (session crosswire-send-order-events)"},
		{"a stream puts as its producer role", "clickstream", fakeaws.PutRecord, streamRole,
			"identity producer role " + streamRole + " (session crosswire-send-clickstream)"},
		{"a bus puts as the caller", "shipments", fakeaws.PutEvents, "",
			asDeployer + "; -assume-sender-role does not apply to bus links: the caller puts the event itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN orders' deployer
			f := &fakeaws.Fake{}

			// WHEN the smoke test runs with -assume-sender-role for the link
			r := runTopology(t, kindsYAML, f, deployer, "-assume-sender-role", "-link", tc.link)

			// THEN the link's role was assumed (or none, for a bus), the request signed
			// with its credentials, and the line names the identity
			if r.code != 0 {
				t.Fatalf("exit code %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			var roles []string
			for _, req := range requestsOf(f, fakeaws.AssumeRole) {
				roles = append(roles, req.Params["RoleArn"])
			}
			if strings.Join(roles, " ") != tc.assumed {
				t.Errorf("assumed %v, want %q", roles, tc.assumed)
			}
			sent := requestsOf(f, tc.op)
			wantKey := ownKey
			if tc.assumed != "" {
				wantKey = fakeaws.AssumedKeyPrefix + "00001"
			}
			if len(sent) != 1 || sent[0].AccessKeyID != wantKey {
				t.Errorf("%s requests %v, want one signed by %s", tc.op, sent, wantKey)
			}
			if l := lines(r.stdout); !strings.HasSuffix(l[1], tc.identity) {
				t.Errorf("line\n%s\nwant it to end with\n%s", l[1], tc.identity)
			}
		})
	}
	t.Run("the publisher role refuses", func(t *testing.T) {
		// GIVEN a publisher role that does not trust the deployer
		f := &fakeaws.Fake{}
		f.Fail(fakeaws.AssumeRole, publisherRole, fakeaws.Failure{Code: "AccessDenied"})
		// WHEN the smoke test runs with -assume-sender-role
		r := runTopology(t, kindsYAML, f, deployer, "-assume-sender-role", "-link", "order-events")
		// THEN the line names the publisher role's trust policy and nothing was published
		want := "order-events: denied at sts:AssumeRole (AccessDenied): look at the trust policy of the publisher role " + publisherRole + " in 111111111111 " +
			"and at sts:AssumeRole in the identity policy of " + deployer
		if r.code != 1 || !strings.Contains(r.stdout, want) || f.Count(fakeaws.Publish) != 0 {
			t.Errorf("exit code %d, %d publishes, stdout:\n%s\nwant it to contain\n%s", r.code, f.Count(fakeaws.Publish), r.stdout, want)
		}
	})
}

func TestEndpointOverridesOfEveryKind(t *testing.T) {
	// GIVEN the fake served on 127.0.0.1, named as the SNS, EventBridge and Kinesis
	// endpoint
	f := &fakeaws.Fake{}
	srv := httptest.NewServer(f)
	defer srv.Close()

	// WHEN the smoke test runs as orders
	r := runTopology(t, kindsYAML, f, deployer, "-as-account", "orders", "-sns-endpoint", srv.URL, "-events-endpoint", srv.URL+"/", "-kinesis-endpoint", srv.URL)

	// THEN every request went to the server and every line names it as the endpoint
	if r.code != 0 {
		t.Fatalf("exit code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, op := range []string{fakeaws.Publish, fakeaws.PutEvents, fakeaws.PutRecord} {
		for _, req := range requestsOf(f, op) {
			if req.Host != host {
				t.Errorf("%s went to %s, want %s", op, req.Host, host)
			}
		}
	}
	for _, l := range lines(r.stdout)[1:] {
		if strings.Contains(l, "delivered (") && !strings.Contains(l, "; endpoint "+srv.URL+"; identity own credentials") {
			t.Errorf("line does not name %s:\n%s", srv.URL, l)
		}
	}
}

func TestOnlyBusLinksWhosePatternNoEventMatches(t *testing.T) {
	// GIVEN an account whose only link is a bus link for aws.ec2 events
	// WHEN the smoke test runs for it
	r := runTopology(t, kindsYAML, &fakeaws.Fake{}, deployer, "-link", "ec2-state")
	// THEN nothing was checked, and the exit code says so
	if r.code != 2 || !strings.Contains(r.stdout, "0 of 0 links delivered, 1 skipped") || !strings.Contains(r.stderr, "nothing was checked") {
		t.Errorf("exit code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestNoKeyMaterialForEveryKind(t *testing.T) {
	// GIVEN assumed credentials, and AWS error messages that quote the own and the
	// assumed key material
	leak := "request by " + ownKey + " and " + fakeaws.AssumedKeyPrefix + "00001 with X-Amz-Security-Token: " + fakeaws.AssumedTokenPrefix + "1 and SessionToken=" + ownToken + " denied"
	f := &fakeaws.Fake{}
	for _, op := range []string{fakeaws.Publish, fakeaws.PutEvents, fakeaws.PutRecord} {
		f.Fail(op, "", fakeaws.Failure{Code: "AccessDeniedException", Message: leak})
	}

	// WHEN the smoke test runs through every link as each link's role
	r := runTopology(t, kindsYAML, f, deployer, "-assume-sender-role")

	// THEN every failed link quotes AWS, and runTopology found no key material in the
	// output (it fails the test otherwise)
	if r.code != 1 {
		t.Fatalf("exit code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, l := range lines(r.stdout)[1:] {
		if strings.Contains(l, "denied") && !strings.Contains(l, "AWS says: request by [redacted] and [redacted] with X-Amz-Security-Token: [redacted] and SessionToken=[redacted] denied") {
			t.Errorf("line does not quote AWS redacted:\n%s", l)
		}
	}
	if n := strings.Count(r.stdout, "[redacted]"); n != 4*4 {
		t.Errorf("%d redactions, want 16 (4 links):\n%s", n, r.stdout)
	}
}
