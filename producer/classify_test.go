package producer_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/producer/fakeaws"
)

func TestExplainSendErrors(t *testing.T) {
	kmsInvoices := invoices
	kmsInvoices.Encryption = queuelink.EncryptionKMS
	kmsRefunds := refunds
	kmsRefunds.Encryption = queuelink.EncryptionKMS
	dns := &net.DNSError{Err: "no such host", Name: "sqs.ap-northeast-1.amazonaws.com", IsNotFound: true}
	stsDNS := &net.DNSError{Err: "no such host", Name: "sts.ap-northeast-1.amazonaws.com", IsNotFound: true}
	for _, tc := range []struct {
		name     string
		link     queuelink.Link
		op       string
		fail     fakeaws.Failure
		describe bool // Describe before sending, so that the caller's role is known
		want     producer.Outcome
		hint     string // the hint must contain this
	}{
		{
			name: "queue policy denies", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "AccessDenied", Message: "User: " + ownArn + " is not authorized to perform: sqs:sendmessage"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "AccessDenied"},
			hint: "look at the queue policy of invoices in 222222222222 and the identity policy of arn:aws:iam::111111111111:role/invoices-producer",
		},
		{
			name: "denied, the caller's own role named", link: invoices, op: fakeaws.SendMessage, describe: true,
			fail: fakeaws.Failure{Code: "AccessDenied"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "AccessDenied"},
			hint: "identity policy of arn:aws:iam::111111111111:role/ci-deployer",
		},
		{
			name: "JSON-style AccessDeniedException", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "AccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "AccessDeniedException"},
			hint: "queue policy of invoices",
		},
		{
			name: "key policy denies", link: kmsInvoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "KMS.AccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "KMS.AccessDeniedException"},
			hint: "look at the key policy of alias/invoices in 222222222222 and the identity policy of arn:aws:iam::111111111111:role/invoices-producer",
		},
		{
			name: "trust policy denies AssumeRole", link: refunds, op: fakeaws.AssumeRole,
			fail: fakeaws.Failure{Code: "AccessDenied", Message: "User: x is not authorized to perform: sts:AssumeRole"},
			want: producer.Outcome{Class: producer.Denied, Action: "sts:AssumeRole", Code: "AccessDenied"},
			hint: "look at the trust policy of arn:aws:iam::222222222222:role/refunds-access in 222222222222 (and the external ID the sender gives) " +
				"and at sts:AssumeRole in the identity policy of arn:aws:iam::111111111111:role/refunds-producer",
		},
		{
			name: "access role's identity policy denies", link: refunds, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "AccessDenied"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "AccessDenied"},
			hint: "look at the identity policy of arn:aws:iam::222222222222:role/refunds-access in 222222222222",
		},
		{
			name: "key policy denies the access role", link: kmsRefunds, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "KMS.AccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "KMS.AccessDeniedException"},
			hint: "key policy of alias/refunds in 222222222222 and the identity policy of arn:aws:iam::222222222222:role/refunds-access",
		},
		{
			name: "SQS rejects the own credentials", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "InvalidClientTokenId"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "InvalidClientTokenId"},
			hint: "SQS rejected the sender's credentials",
		},
		{
			name: "STS rejects the own credentials", link: refunds, op: fakeaws.AssumeRole,
			fail: fakeaws.Failure{Code: "InvalidClientTokenId"},
			want: producer.Outcome{Class: producer.Denied, Action: "sts:AssumeRole", Code: "InvalidClientTokenId"},
			hint: "STS rejected the sender's own credentials",
		},
		{
			name: "SQS rejects expired temporary credentials", link: refunds, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "ExpiredToken"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "ExpiredToken"},
			hint: "temporary credentials of arn:aws:iam::222222222222:role/refunds-access",
		},
		{
			name: "a VPC endpoint policy denies", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "AccessDenied", Message: "... because no VPC endpoint policy allows the sqs:SendMessage action"},
			want: producer.Outcome{Class: producer.Denied, Action: "sqs:SendMessage", Code: "AccessDenied"},
			hint: "AWS names the endpoint policy of the VPC endpoint the request went through; otherwise look at the queue policy",
		},
		{
			name: "queue missing", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist."},
			want: producer.Outcome{Class: producer.Missing, Action: "sqs:SendMessage", Code: "AWS.SimpleQueueService.NonExistentQueue"},
			hint: "no queue invoices in account 222222222222; deploy the receiver stack of link invoices there",
		},
		{
			name: "SQS endpoint does not resolve", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Err: dns},
			want: producer.Outcome{Class: producer.Unreachable, Action: "sqs:SendMessage", Host: "sqs.ap-northeast-1.amazonaws.com"},
			hint: "sqs.ap-northeast-1.amazonaws.com does not resolve: in a VPC without internet access SQS needs an interface VPC endpoint with private DNS enabled",
		},
		{
			name: "STS endpoint does not resolve", link: refunds, op: fakeaws.AssumeRole,
			fail: fakeaws.Failure{Err: stsDNS},
			want: producer.Outcome{Class: producer.Unreachable, Action: "sts:AssumeRole", Host: "sts.ap-northeast-1.amazonaws.com"},
			hint: "STS needs an interface VPC endpoint",
		},
		{
			name: "no answer in time", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Hang: true},
			want: producer.Outcome{Class: producer.Unreachable, Action: "sqs:SendMessage", Host: "sqs.ap-northeast-1.amazonaws.com"},
			hint: "no answer from sqs.ap-northeast-1.amazonaws.com in time: in a VPC without internet access the security group of the SQS interface endpoint must admit TCP 443",
		},
		{
			name: "throttled", link: invoices, op: fakeaws.SendMessage,
			fail: fakeaws.Failure{Code: "RequestThrottled", Status: 403},
			want: producer.Outcome{Class: producer.Failed, Action: "sqs:SendMessage", Code: "RequestThrottled"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a link whose operation fails as the row says
			f := &fakeaws.Fake{Callers: map[string]string{ownKey: "arn:aws:sts::111111111111:assumed-role/ci-deployer/alice"}}
			if !tc.describe {
				f.Callers[ownKey] = ownArn
			}
			c := newClient(t, f, tc.link, func(o *producer.Options) {
				if !tc.describe {
					o.SenderAccount = orders
				}
			})
			if tc.describe {
				if _, err := c.Describe(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			f.Fail(tc.op, "", tc.fail)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()

			// WHEN a message is sent and the error explained
			_, err := c.Send(ctx, "hello", producer.GroupID("g"))
			got := c.Explain(err)

			// THEN the outcome has the class, action, code and host, and the hint
			if got.Class != tc.want.Class || got.Action != tc.want.Action || got.Code != tc.want.Code || (tc.want.Host != "" && got.Host != tc.want.Host) {
				t.Errorf("Explain = %+v\nwant     %+v\nerror: %v", got, tc.want, err)
			}
			if !strings.Contains(got.Hint, tc.hint) {
				t.Errorf("hint = %q\nwant it to contain %q", got.Hint, tc.hint)
			}
		})
	}
}

// refusingClient returns an HTTP client whose every connection is refused, as a
// closed port refuses it, without dialling: a port closed by the test could be
// reused by another test before the client connects.
func refusingClient() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: fakeAddr(addr), Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return &http.Client{Transport: transport}
}

// fakeAddr is the address of a refused connection.
type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

func TestExplainRealNetworkFailuresOnLoopback(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(&fakeaws.Fake{})
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	for _, tc := range []struct {
		name, endpoint, hint string
		client               *http.Client // nil: the SDK's default client
	}{
		{"connection refused", "http://127.0.0.1:9", "no connection to 127.0.0.1", refusingClient()},
		{"certificate not trusted", tlsSrv.URL, "TLS to 127.0.0.1 failed", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN an endpoint on 127.0.0.1 that cannot serve the request, reached
			// through a real HTTP transport
			cfg := config(&fakeaws.Fake{})
			cfg.HTTPClient = nil
			if tc.client != nil {
				cfg.HTTPClient = tc.client
			}
			c, err := producer.New(cfg, invoices, func(o *producer.Options) { o.Endpoint = tc.endpoint })
			if err != nil {
				t.Fatal(err)
			}
			// WHEN a message is sent
			_, err = c.Send(context.Background(), "hello")
			// THEN the link is unreachable, with the reason
			got := c.Explain(err)
			if got.Class != producer.Unreachable || got.Host != "127.0.0.1" || !strings.Contains(got.Hint, tc.hint) {
				t.Errorf("Explain = %+v\nerror: %v", got, err)
			}
		})
	}
}

func TestClassifyWithoutALink(t *testing.T) {
	legacy := &url.Error{Op: "Post", URL: "https://ap-northeast-1.queue.amazonaws.com/", Err: context.DeadlineExceeded}
	for _, tc := range []struct {
		name string
		err  error
		want producer.Class
		hint string
	}{
		{"nil is delivered", nil, producer.Delivered, ""},
		{"the legacy endpoint is named", legacy, producer.Unreachable, "ap-northeast-1.queue.amazonaws.com is the legacy SQS endpoint"},
		{"a cancelled call failed", context.Canceled, producer.Failed, ""},
		{"an unknown error failed", errors.New("boom"), producer.Failed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN an error WHEN it is classified THEN it has the class and hint
			got := producer.Classify(tc.err)
			if got.Class != tc.want || !strings.Contains(got.Hint, tc.hint) {
				t.Errorf("Classify(%v) = %+v, want class %s, hint with %q", tc.err, got, tc.want, tc.hint)
			}
		})
	}
}

func TestOutcomeString(t *testing.T) {
	// GIVEN a denied AssumeRole
	f := &fakeaws.Fake{}
	c := newClient(t, f, refunds, func(o *producer.Options) { o.SenderAccount = orders })
	f.Fail(fakeaws.AssumeRole, "", fakeaws.Failure{Code: "AccessDenied", Message: "User: " + ownArn + " is not\nauthorized to perform: sts:AssumeRole"})

	// WHEN the outcome of a send is rendered
	_, err := c.Send(context.Background(), "hello", producer.GroupID("g"))
	got := c.Explain(err).String()

	// THEN it says what was denied, what to look at and what AWS said, on one line
	want := "denied at sts:AssumeRole (AccessDenied): look at the trust policy of arn:aws:iam::222222222222:role/refunds-access in 222222222222 " +
		"(and the external ID the sender gives) and at sts:AssumeRole in the identity policy of arn:aws:iam::111111111111:role/refunds-producer; " +
		"if the receiver stack is not deployed yet, the role does not exist; " +
		"AWS says: User: " + ownArn + " is not authorized to perform: sts:AssumeRole"
	if got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	// AND a missing queue says to deploy the receiver stack
	missing := producer.Outcome{Class: producer.Missing, Action: "sqs:SendMessage", Code: "AWS.SimpleQueueService.NonExistentQueue", Hint: "no queue"}
	if s := missing.String(); !strings.HasPrefix(s, "missing (deploy the receiver stack) at sqs:SendMessage") {
		t.Errorf("missing = %q", s)
	}
	if s := (producer.Outcome{Class: producer.Delivered}).String(); s != "delivered" {
		t.Errorf("delivered = %q", s)
	}
}

func TestClassifyErrorsOfTopicsBusesAndStreams(t *testing.T) {
	topic := "arn:aws:sns:ap-northeast-1:111111111111:order-events"
	stream := "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream"
	dns := func(host string) error { return &net.DNSError{Err: "no such host", Name: host, IsNotFound: true} }
	// Each call goes through the SDK's real serializer and error deserializer.
	calls := map[string]func(ctx context.Context, cfg aws.Config) error{
		fakeaws.Publish: func(ctx context.Context, cfg aws.Config) error {
			_, err := sns.NewFromConfig(cfg).Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("{}")})
			return err
		},
		fakeaws.PutEvents: func(ctx context.Context, cfg aws.Config) error {
			_, err := eventbridge.NewFromConfig(cfg).PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
				{EventBusName: aws.String("default"), Source: aws.String("orders"), DetailType: aws.String("t"), Detail: aws.String("{}")},
			}})
			return err
		},
		fakeaws.PutRecord: func(ctx context.Context, cfg aws.Config) error {
			_, err := kinesis.NewFromConfig(cfg).PutRecord(ctx, &kinesis.PutRecordInput{StreamARN: aws.String(stream), Data: []byte("{}"), PartitionKey: aws.String("k")})
			return err
		},
	}
	for _, tc := range []struct {
		name   string
		op     string
		fail   fakeaws.Failure
		want   producer.Outcome
		key    bool   // KeyDenied
		creds  bool   // CredentialsRejected
		line   string // the outcome's line starts with this
		hint   string // the hint contains this
		noHint bool
	}{
		{name: "SNS: a policy denies", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "AuthorizationError", Message: "User: x is not authorized to perform: SNS:Publish"},
			want: producer.Outcome{Class: producer.Denied, Action: "sns:Publish", Code: "AuthorizationError"}, line: "denied at sns:Publish (AuthorizationError)"},
		{name: "SNS: the key denies", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "KMSAccessDenied"},
			want: producer.Outcome{Class: producer.Denied, Action: "sns:Publish", Code: "KMSAccessDenied"}, key: true},
		{name: "SNS: unknown credentials", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "InvalidClientTokenId"},
			want: producer.Outcome{Class: producer.Denied, Action: "sns:Publish", Code: "InvalidClientTokenId"}, creds: true},
		{name: "SNS: no topic", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "NotFound", Message: "Topic does not exist"},
			want: producer.Outcome{Class: producer.Missing, Action: "sns:Publish", Code: "NotFound"}, line: "missing (deploy the sender stack) at sns:Publish (NotFound)"},
		{name: "SNS: the key is disabled", op: fakeaws.Publish, fail: fakeaws.Failure{Code: "KMSDisabled"},
			want: producer.Outcome{Class: producer.Failed, Action: "sns:Publish", Code: "KMSDisabled"}, hint: "SNS could not use the KMS key that encrypts the resource"},
		{name: "SNS: no endpoint in the VPC", op: fakeaws.Publish, fail: fakeaws.Failure{Err: dns("sns.ap-northeast-1.amazonaws.com")},
			want: producer.Outcome{Class: producer.Unreachable, Action: "sns:Publish", Host: "sns.ap-northeast-1.amazonaws.com"},
			hint: "SNS needs an interface VPC endpoint with private DNS enabled (and DNS support and DNS hostnames on the VPC), or give the endpoint-specific DNS name of the endpoint " +
				"(privateAccess creates only SQS and STS endpoints; create the SNS endpoint yourself)"},
		{name: "EventBridge: a policy denies", op: fakeaws.PutEvents, fail: fakeaws.Failure{Code: "AccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "events:PutEvents", Code: "AccessDeniedException"}, line: "denied at events:PutEvents (AccessDeniedException)"},
		{name: "EventBridge: no bus", op: fakeaws.PutEvents, fail: fakeaws.Failure{Code: "ResourceNotFoundException", Message: "Event bus x does not exist."},
			want: producer.Outcome{Class: producer.Missing, Action: "events:PutEvents", Code: "ResourceNotFoundException"}, line: "missing at events:PutEvents (ResourceNotFoundException)"},
		{name: "EventBridge: no answer", op: fakeaws.PutEvents, fail: fakeaws.Failure{Hang: true},
			want: producer.Outcome{Class: producer.Unreachable, Action: "events:PutEvents", Host: "events.ap-northeast-1.amazonaws.com"},
			hint: "no answer from events.ap-northeast-1.amazonaws.com in time: in a VPC without internet access the security group of the EventBridge interface endpoint must admit TCP 443"},
		{name: "Kinesis: a policy denies", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "AccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "kinesis:PutRecord", Code: "AccessDeniedException"}},
		{name: "Kinesis: the key denies", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "KMSAccessDeniedException"},
			want: producer.Outcome{Class: producer.Denied, Action: "kinesis:PutRecord", Code: "KMSAccessDeniedException"}, key: true},
		{name: "Kinesis: no stream", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "ResourceNotFoundException"},
			want: producer.Outcome{Class: producer.Missing, Action: "kinesis:PutRecord", Code: "ResourceNotFoundException"}, line: "missing (deploy the producer stack) at kinesis:PutRecord"},
		{name: "Kinesis: the key is throttled", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "KMSThrottlingException"},
			want: producer.Outcome{Class: producer.Failed, Action: "kinesis:PutRecord", Code: "KMSThrottlingException"}, noHint: true},
		{name: "Kinesis: throughput exceeded", op: fakeaws.PutRecord, fail: fakeaws.Failure{Code: "ProvisionedThroughputExceededException"},
			want: producer.Outcome{Class: producer.Failed, Action: "kinesis:PutRecord", Code: "ProvisionedThroughputExceededException"}, noHint: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN an operation of a topic, bus or stream link that fails as the row says
			f := &fakeaws.Fake{}
			f.Fail(tc.op, "", tc.fail)
			cfg := config(f)
			cfg.Region = region
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()

			// WHEN the call's error is classified, knowing the endpoints called
			got := producer.ClassifyAt(calls[tc.op](ctx, cfg), map[string]string{
				"sns": "https://sns.ap-northeast-1.amazonaws.com", "events": "https://events.ap-northeast-1.amazonaws.com", "kinesis": "https://kinesis.ap-northeast-1.amazonaws.com",
			})

			// THEN it has the class, action, code and host, and what it says fits
			if got.Class != tc.want.Class || got.Action != tc.want.Action || got.Code != tc.want.Code || (tc.want.Host != "" && got.Host != tc.want.Host) {
				t.Errorf("Classify = %+v\nwant       %+v", got, tc.want)
			}
			if got.KeyDenied() != tc.key || got.CredentialsRejected() != tc.creds {
				t.Errorf("KeyDenied %v, CredentialsRejected %v; want %v, %v", got.KeyDenied(), got.CredentialsRejected(), tc.key, tc.creds)
			}
			if !strings.HasPrefix(got.String(), tc.line) || !strings.Contains(got.Hint, tc.hint) || (tc.noHint && got.Hint != "") {
				t.Errorf("String() = %q\nwant it to start with %q and a hint with %q", got.String(), tc.line, tc.hint)
			}
		})
	}
}
