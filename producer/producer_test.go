package producer_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/producer/fakeaws"
)

const (
	orders  = "111111111111"
	billing = "222222222222"
	region  = "ap-northeast-1"

	// The sender's own credentials; none of them may ever show in output.
	ownKey    = "AKIAFAKEOWNKEY000001"
	ownSecret = "fakeOwnSecretAccessKey/0123456789abcdefghij"
	ownToken  = "FakeOwnSessionToken+0123456789"
	ownArn    = "arn:aws:sts::111111111111:assumed-role/invoices-producer/ci"
)

// invoices is a standard queue link whose queue policy admits the senders' own roles.
var invoices = queuelink.Link{
	Name: "invoices", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
}

// refunds is a FIFO queue link whose senders assume an access role with an external ID.
var refunds = queuelink.Link{
	Name: "refunds", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
	Options: queuelink.Options{
		Fifo: true, ContentBasedDeduplication: true,
		Access: queuelink.AccessAssumeRole, ExternalID: "crosswire-test",
	},
}

// config returns the configuration of a sender whose every request the fake answers:
// nothing leaves the process. Retries are off so that each call is one request.
func config(f *fakeaws.Fake) aws.Config {
	if f.Callers == nil {
		f.Callers = map[string]string{ownKey: ownArn}
	}
	if f.ContentBasedDeduplication == nil {
		f.ContentBasedDeduplication = map[string]bool{refunds.QueueURL(): true}
	}
	return aws.Config{
		Region:      "us-east-1", // replaced by the link's region
		Credentials: credentials.NewStaticCredentialsProvider(ownKey, ownSecret, ownToken),
		HTTPClient:  f.HTTPClient(),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func newClient(t *testing.T, f *fakeaws.Fake, l queuelink.Link, optFns ...func(*producer.Options)) *producer.Client {
	t.Helper()
	c, err := producer.New(config(f), l, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func send(t *testing.T, c *producer.Client, opts ...producer.SendOption) string {
	t.Helper()
	id, err := c.Send(context.Background(), "hello", opts...)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return id
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

func TestEndpointChoice(t *testing.T) {
	china := invoices
	china.Region = "cn-north-1"
	vpce := "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com"
	stsVpce := "https://vpce-0a1b2c3d4e5f67891-abcdefgh.sts.ap-northeast-1.vpce.amazonaws.com"
	for _, tc := range []struct {
		name               string
		link               queuelink.Link
		opts               producer.Options
		wantSQS, wantSTS   string
		wantQueueURL       string
		wantOverride       bool
		wantAssumeRoleHost string
	}{
		{
			name: "default: the current regional endpoint", link: invoices,
			wantSQS: "sqs.ap-northeast-1.amazonaws.com", wantSTS: "sts.ap-northeast-1.amazonaws.com",
			wantQueueURL: "https://sqs.ap-northeast-1.amazonaws.com/222222222222/invoices",
		},
		{
			name: "China: the amazonaws.com.cn endpoint", link: china,
			wantSQS: "sqs.cn-north-1.amazonaws.com.cn", wantSTS: "sts.cn-north-1.amazonaws.com.cn",
			wantQueueURL: "https://sqs.cn-north-1.amazonaws.com.cn/222222222222/invoices",
		},
		{
			name: "override: a VPC endpoint's own DNS name", link: invoices, opts: producer.Options{Endpoint: vpce},
			wantSQS: strings.TrimPrefix(vpce, "https://"), wantSTS: "sts.ap-northeast-1.amazonaws.com",
			wantQueueURL: "https://sqs.ap-northeast-1.amazonaws.com/222222222222/invoices", wantOverride: true,
		},
		{
			name: "assume-role: AssumeRole through the STS override", link: refunds, opts: producer.Options{STSEndpoint: stsVpce},
			wantSQS: "sqs.ap-northeast-1.amazonaws.com", wantSTS: strings.TrimPrefix(stsVpce, "https://"),
			wantQueueURL:       "https://sqs.ap-northeast-1.amazonaws.com/222222222222/refunds.fifo",
			wantAssumeRoleHost: strings.TrimPrefix(stsVpce, "https://"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a client of the link with the options
			f := &fakeaws.Fake{}
			c := newClient(t, f, tc.link, func(o *producer.Options) { *o = merge(*o, tc.opts) })

			// WHEN it sends a message
			send(t, c, producer.GroupID("g"))

			// THEN the request went to the expected host, for the link's queue URL, and
			// the client reports that endpoint
			sent := requestsOf(f, fakeaws.SendMessage)
			if len(sent) != 1 || sent[0].Host != tc.wantSQS {
				t.Fatalf("SendMessage went to %v, want %s", sent, tc.wantSQS)
			}
			if got := sent[0].Params["QueueUrl"]; got != tc.wantQueueURL {
				t.Errorf("QueueUrl = %s, want %s", got, tc.wantQueueURL)
			}
			id := c.Identity()
			if id.Endpoint != "https://"+tc.wantSQS || id.STSEndpoint != "https://"+tc.wantSTS || id.EndpointOverridden != tc.wantOverride {
				t.Errorf("Identity = %+v, want endpoint https://%s (override %v), STS https://%s", id, tc.wantSQS, tc.wantOverride, tc.wantSTS)
			}
			if tc.wantAssumeRoleHost != "" {
				if ar := requestsOf(f, fakeaws.AssumeRole); len(ar) != 1 || ar[0].Host != tc.wantAssumeRoleHost {
					t.Errorf("AssumeRole went to %v, want %s", ar, tc.wantAssumeRoleHost)
				}
			}
		})
	}
}

// merge sets the non-zero fields of b on a.
func merge(a, b producer.Options) producer.Options {
	if b.Endpoint != "" {
		a.Endpoint = b.Endpoint
	}
	if b.STSEndpoint != "" {
		a.STSEndpoint = b.STSEndpoint
	}
	return a
}

func TestEndpointOverridesThatAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, sqs, sts, want string
	}{
		{"legacy regional endpoint", "https://ap-northeast-1.queue.amazonaws.com", "", "legacy endpoint"},
		{"legacy global endpoint", "https://queue.amazonaws.com", "", "legacy endpoint"},
		{"legacy China endpoint", "https://cn-north-1.queue.amazonaws.com.cn", "", "legacy endpoint"},
		{"plain http off the machine", "http://sqs.ap-northeast-1.amazonaws.com", "", "must use https"},
		{"a path", "https://sqs.ap-northeast-1.amazonaws.com/222222222222/invoices", "", "with no path"},
		{"not a URL", "sqs.ap-northeast-1.amazonaws.com", "", "must be a URL"},
		{"the VPC endpoint of another service", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sts.ap-northeast-1.vpce.amazonaws.com", "", "not of sqs in ap-northeast-1"},
		{"the VPC endpoint of another region", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.eu-west-1.vpce.amazonaws.com", "", "not of sqs in ap-northeast-1"},
		{"an STS endpoint over http", "", "http://sts.ap-northeast-1.amazonaws.com", "sts endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN an endpoint override a producer must not use
			// WHEN a client is made with it
			_, err := producer.New(config(&fakeaws.Fake{}), invoices, func(o *producer.Options) {
				o.Endpoint, o.STSEndpoint = tc.sqs, tc.sts
			})
			// THEN it is refused with the reason
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestInvalidOptionsAreReportedTogether(t *testing.T) {
	// GIVEN an assume-role link and several bad options
	_, err := producer.New(config(&fakeaws.Fake{}), refunds, func(o *producer.Options) {
		o.SessionName = "has space"
		o.SessionDuration = 2 * time.Hour
		o.ExpiryWindow = 3 * time.Hour
		o.SenderAccount = billing
	})
	// THEN each is reported in one error
	for _, want := range []string{`session name "has space"`, "session duration 2h must be between 15m and the link's maxSessionDuration 1h",
		"expiry window 3h must be at least 0 and less than the session duration 2h", `sender account "222222222222" is not a sender account`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
	// AND an invalid link is refused before anything else
	bad := invoices
	bad.ReceiverAccount = "2222"
	if _, err := producer.New(config(&fakeaws.Fake{}), bad); err == nil || !strings.Contains(err.Error(), `receiver account "2222" must be 12 digits`) {
		t.Errorf("invalid link: err = %v", err)
	}
}

func TestOverrideToALoopbackServer(t *testing.T) {
	// GIVEN the fake served over HTTP on 127.0.0.1 and named as the endpoint
	f := &fakeaws.Fake{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg := config(f)
	cfg.HTTPClient = srv.Client()
	c, err := producer.New(cfg, invoices, func(o *producer.Options) { o.Endpoint = srv.URL })
	if err != nil {
		t.Fatal(err)
	}

	// WHEN a message is sent
	id := send(t, c)

	// THEN the server received it and the client reports the override
	if id == "" || f.Count(fakeaws.SendMessage) != 1 {
		t.Fatalf("message %q, %d requests to %s", id, f.Count(fakeaws.SendMessage), srv.URL)
	}
	if got := c.Identity(); got.Endpoint != srv.URL || !got.EndpointOverridden {
		t.Errorf("Identity = %+v, want endpoint %s, overridden", got, srv.URL)
	}
}

func TestQueuePolicyLinkSendsWithOwnCredentials(t *testing.T) {
	// GIVEN a queue-policy link
	f := &fakeaws.Fake{}
	c := newClient(t, f, invoices)

	// WHEN two messages are sent
	send(t, c)
	send(t, c)

	// THEN no role is assumed and SQS sees the sender's own key
	if n := f.Count(fakeaws.AssumeRole); n != 0 {
		t.Errorf("AssumeRole called %d times, want 0", n)
	}
	for _, r := range requestsOf(f, fakeaws.SendMessage) {
		if r.AccessKeyID != ownKey || r.SessionToken != ownToken {
			t.Errorf("SendMessage signed by %q, want the own key %q", r.AccessKeyID, ownKey)
		}
	}
	if got := c.Identity(); got.Credentials() != producer.OwnCredentials || got.AssumedRoleArn != "" {
		t.Errorf("Identity credentials = %q, want %q", got.Credentials(), producer.OwnCredentials)
	}
}

func TestAssumeRoleOnceForManySends(t *testing.T) {
	// GIVEN an assume-role link
	f := &fakeaws.Fake{}
	c := newClient(t, f, refunds)

	// WHEN 10 messages are sent one after the other and 20 at the same time
	for i := 0; i < 10; i++ {
		send(t, c, producer.GroupID("g"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Send(context.Background(), "hello", producer.GroupID("g")); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// THEN the role was assumed once, with the own credentials, the link's external ID
	// and a named one-hour session
	assumed := requestsOf(f, fakeaws.AssumeRole)
	if len(assumed) != 1 {
		t.Fatalf("AssumeRole called %d times, want 1", len(assumed))
	}
	want := map[string]string{
		"RoleArn": "arn:aws:iam::222222222222:role/refunds-access", "ExternalId": "crosswire-test",
		"RoleSessionName": "crosswire-refunds", "DurationSeconds": "3600",
	}
	for k, v := range want {
		if got := assumed[0].Params[k]; got != v {
			t.Errorf("AssumeRole %s = %q, want %q", k, got, v)
		}
	}
	if assumed[0].AccessKeyID != ownKey {
		t.Errorf("AssumeRole signed by %q, want the own key", assumed[0].AccessKeyID)
	}
	// AND every send was signed with the temporary credentials
	sent := requestsOf(f, fakeaws.SendMessage)
	if len(sent) != 30 {
		t.Fatalf("%d sends, want 30", len(sent))
	}
	for _, r := range sent {
		if r.AccessKeyID != fakeaws.AssumedKeyPrefix+"00001" || r.SessionToken != fakeaws.AssumedTokenPrefix+"1" {
			t.Fatalf("SendMessage signed by %q, want the assumed credentials", r.AccessKeyID)
		}
	}
}

func TestAssumeRoleAgainAfterExpiry(t *testing.T) {
	// GIVEN an assume-role link whose first credentials STS hands out expire in one
	// minute, already within the client's 5-minute expiry window, and whose later
	// credentials live the hour asked for. The credentials cache compares expiry
	// with the wall clock, so expiry is driven by what STS answers, not by sleeping.
	f := &fakeaws.Fake{CredentialsLifetimes: []time.Duration{time.Minute}}
	c := newClient(t, f, refunds)

	// WHEN one message is sent
	send(t, c, producer.GroupID("g"))
	// THEN the role was assumed once, and the message signed with those credentials
	if n := f.Count(fakeaws.AssumeRole); n != 1 {
		t.Fatalf("AssumeRole called %d times for the first send, want 1", n)
	}

	// WHEN 10 more are sent one after the other and 20 at the same time
	for i := 0; i < 10; i++ {
		send(t, c, producer.GroupID("g"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Send(context.Background(), "hello", producer.GroupID("g")); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// THEN the expiring credentials were renewed once, at the next send, and the
	// renewed ones signed every later send
	if n := f.Count(fakeaws.AssumeRole); n != 2 {
		t.Fatalf("AssumeRole called %d times, want 2: once more after expiry, then never for 30 sends", n)
	}
	sent := requestsOf(f, fakeaws.SendMessage)
	if len(sent) != 31 {
		t.Fatalf("%d sends, want 31", len(sent))
	}
	if first := sent[0].AccessKeyID; first != fakeaws.AssumedKeyPrefix+"00001" {
		t.Errorf("first send signed by %q, want the first credentials", first)
	}
	for _, r := range sent[1:] {
		if r.AccessKeyID != fakeaws.AssumedKeyPrefix+"00002" {
			t.Fatalf("send signed by %q, want the renewed credentials", r.AccessKeyID)
		}
	}
}

func TestExpiryWindowRenewsCredentialsThatExpireWithinIt(t *testing.T) {
	// GIVEN credentials that live 1 minute, less than the default window of 5 minutes
	f := &fakeaws.Fake{CredentialsLifetime: time.Minute}
	c := newClient(t, f, refunds)

	// WHEN three messages are sent
	for i := 0; i < 3; i++ {
		send(t, c, producer.GroupID("g"))
	}

	// THEN each send renewed them: no request is signed with credentials that expire
	// within the window
	if n := f.Count(fakeaws.AssumeRole); n != 3 {
		t.Fatalf("AssumeRole called %d times, want 3", n)
	}
}

func TestMessageProperties(t *testing.T) {
	fifoNoDedup := refunds
	fifoNoDedup.ContentBasedDeduplication = false
	for _, tc := range []struct {
		name    string
		link    queuelink.Link
		opts    []producer.SendOption
		want    map[string]string // params; "*hex" means 32 hex digits, "" absent
		wantErr string
	}{
		{name: "standard queue", link: invoices, opts: []producer.SendOption{producer.Attribute("kind", "test")},
			want: map[string]string{"MessageGroupId": "", "MessageDeduplicationId": "", "MessageAttributes": `{"kind":{"DataType":"String","StringValue":"test"}}`}},
		{name: "FIFO with content-based deduplication", link: refunds, opts: []producer.SendOption{producer.GroupID("orders")},
			want: map[string]string{"MessageGroupId": "orders", "MessageDeduplicationId": ""}},
		{name: "FIFO without content-based deduplication gets a random ID", link: fifoNoDedup, opts: []producer.SendOption{producer.GroupID("orders")},
			want: map[string]string{"MessageGroupId": "orders", "MessageDeduplicationId": "*hex"}},
		{name: "FIFO with a given deduplication ID", link: fifoNoDedup, opts: []producer.SendOption{producer.GroupID("orders"), producer.DeduplicationID("refund-42")},
			want: map[string]string{"MessageDeduplicationId": "refund-42"}},
		{name: "FIFO without a group", link: refunds, wantErr: "refunds.fifo is a FIFO queue; give the message a GroupID"},
		{name: "standard queue with a deduplication ID", link: invoices, opts: []producer.SendOption{producer.DeduplicationID("x")},
			wantErr: "a DeduplicationID applies only to FIFO queues"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a client of the link
			f := &fakeaws.Fake{}
			c := newClient(t, f, tc.link)

			// WHEN a message is sent with the options
			_, err := c.Send(context.Background(), "hello", tc.opts...)

			// THEN it carries the expected properties, or is refused before any request
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if n := f.Count(fakeaws.SendMessage); n != 0 {
					t.Errorf("%d requests sent, want none", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := requestsOf(f, fakeaws.SendMessage)[0].Params
			for k, v := range tc.want {
				switch got := p[k]; {
				case v == "*hex" && !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got):
					t.Errorf("%s = %q, want 32 hex digits", k, got)
				case v != "*hex" && got != v:
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestDescribeLooksUpTheCaller(t *testing.T) {
	t.Run("queue-policy", func(t *testing.T) {
		// GIVEN a queue-policy client
		c := newClient(t, &fakeaws.Fake{}, invoices)
		// WHEN it describes itself
		id, err := c.Describe(context.Background())
		// THEN the caller is the own identity
		if err != nil {
			t.Fatal(err)
		}
		if id.CallerArn != ownArn || id.SourceArn != ownArn {
			t.Errorf("Identity = %+v, want caller %s", id, ownArn)
		}
		want := "link invoices: endpoint https://sqs.ap-northeast-1.amazonaws.com, own credentials, caller " + ownArn
		if id.String() != want {
			t.Errorf("String() = %q\nwant        %q", id.String(), want)
		}
	})
	t.Run("assume-role", func(t *testing.T) {
		// GIVEN an assume-role client
		f := &fakeaws.Fake{}
		c := newClient(t, f, refunds)
		// WHEN it describes itself
		id, err := c.Describe(context.Background())
		// THEN the caller is the access role's session, assumed by the own identity
		if err != nil {
			t.Fatal(err)
		}
		session := "arn:aws:sts::222222222222:assumed-role/refunds-access/crosswire-refunds"
		if id.CallerArn != session || id.SourceArn != ownArn || id.AssumedRoleArn != "arn:aws:iam::222222222222:role/refunds-access" {
			t.Errorf("Identity = %+v", id)
		}
		want := "link refunds: endpoint https://sqs.ap-northeast-1.amazonaws.com, assumed role arn:aws:iam::222222222222:role/refunds-access (session crosswire-refunds) " +
			"via https://sts.ap-northeast-1.amazonaws.com by " + ownArn + ", caller " + session
		if id.String() != want {
			t.Errorf("String() = %q\nwant        %q", id.String(), want)
		}
		// AND a later send reuses the credentials that Describe assumed
		send(t, c, producer.GroupID("g"))
		if n := f.Count(fakeaws.AssumeRole); n != 1 {
			t.Errorf("AssumeRole called %d times, want 1", n)
		}
	})
	t.Run("unknown credentials", func(t *testing.T) {
		// GIVEN credentials STS does not know
		f := &fakeaws.Fake{Callers: map[string]string{}}
		c := newClient(t, f, invoices)
		// WHEN the client describes itself
		id, err := c.Describe(context.Background())
		// THEN the error says so and the static part of the identity is still there
		if err == nil || !strings.Contains(err.Error(), "InvalidClientTokenId") || id.Endpoint == "" || id.CallerArn != "" {
			t.Errorf("Describe = %+v, %v", id, err)
		}
	})
}

func TestNoKeyMaterialInWhatTheClientReports(t *testing.T) {
	// GIVEN clients of both access modes that sent, described themselves and failed
	f := &fakeaws.Fake{}
	var reports []string
	for _, l := range []queuelink.Link{invoices, refunds} {
		c := newClient(t, f, l)
		send(t, c, producer.GroupID("g"))
		id, err := c.Describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		f.Fail(fakeaws.SendMessage, "", fakeaws.Failure{Code: "AccessDenied", Message: "denied"})
		_, sendErr := c.Send(context.Background(), "x", producer.GroupID("g"))
		f.Succeed(fakeaws.SendMessage, "")
		// WHEN everything they report is rendered in every way
		reports = append(reports, id.String(), fmt.Sprintf("%v|%+v|%#v|%s", id, id, id, id),
			fmt.Sprintf("%v|%+v|%#v|%s", c, c, c, c), c.Explain(sendErr).String(), fmt.Sprintf("%+v", c.Explain(sendErr)))
	}
	// THEN no key, secret or token of the own or the assumed credentials shows
	secrets := []string{ownKey, ownSecret, ownToken, fakeaws.AssumedKeyPrefix, fakeaws.AssumedSecretPrefix, fakeaws.AssumedTokenPrefix}
	for _, r := range reports {
		for _, s := range secrets {
			if strings.Contains(r, s) {
				t.Errorf("report holds key material %q: %s", s, r)
			}
		}
	}
	if !strings.Contains(strings.Join(reports, "\n"), "refunds-access") {
		t.Error("the reports name no identity at all; the test looks at nothing")
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Credential=AKIAIOSFODNN7EXAMPLE/20260101/ap-northeast-1/sqs/aws4_request", "Credential=[redacted]/20260101/ap-northeast-1/sqs/aws4_request"},
		{"key ASIAFAKEASSUMED00001 used", "key [redacted] used"},
		{"SecretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and more", "SecretAccessKey=[redacted] and more"},
		{`"SessionToken": "abc+def/ghi"`, `"SessionToken": "[redacted]"`},
		{"token " + strings.Repeat("Ab1+/", 20), "token [redacted]"},
		{"User: arn:aws:sts::111111111111:assumed-role/invoices-producer/ci is not authorized", "User: arn:aws:sts::111111111111:assumed-role/invoices-producer/ci is not authorized"},
	} {
		// GIVEN text that may hold key material WHEN it is redacted THEN only the key material goes
		if got := producer.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEndpointOfEveryService(t *testing.T) {
	for _, tc := range []struct {
		name, service, region, override string
		want, err                       string
	}{
		{name: "SNS by default", service: "sns", region: region, want: "https://sns.ap-northeast-1.amazonaws.com"},
		{name: "EventBridge by default", service: "events", region: region, want: "https://events.ap-northeast-1.amazonaws.com"},
		{name: "Kinesis by default", service: "kinesis", region: region, want: "https://kinesis.ap-northeast-1.amazonaws.com"},
		{name: "Kinesis in China", service: "kinesis", region: "cn-north-1", want: "https://kinesis.cn-north-1.amazonaws.com.cn"},
		{name: "a Kinesis Data Streams VPC endpoint", service: "kinesis", region: region,
			override: "https://vpce-0a1b2c3d4e5f67890-abcdefgh.kinesis-streams.ap-northeast-1.vpce.amazonaws.com/",
			want:     "https://vpce-0a1b2c3d4e5f67890-abcdefgh.kinesis-streams.ap-northeast-1.vpce.amazonaws.com"},
		{name: "the SQS VPC endpoint named for SNS", service: "sns", region: region,
			override: "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com", err: "is a VPC endpoint of sqs in ap-northeast-1, not of sns"},
		{name: "EventBridge over http", service: "events", region: region, override: "http://events.ap-northeast-1.amazonaws.com", err: "must use https"},
		{name: "a loopback server for a test", service: "events", region: region, override: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a service, a region and maybe an override
			// WHEN the endpoint is resolved
			got, err := producer.Endpoint(tc.service, tc.region, tc.override)
			// THEN it is the regional endpoint, the override, or refused with the reason
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Endpoint = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
