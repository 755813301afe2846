package sendcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer/fakeaws"
	"github.com/crosswire/crosswire/topology"
)

const (
	ownKey    = "AKIAFAKEOWNKEY000001"
	ownSecret = "fakeOwnSecretAccessKey/0123456789abcdefghij"
	ownToken  = "FakeOwnSessionToken+0123456789"
	// The smoke test runs as orders' deployer, which is no sender role of any link.
	deployer    = "arn:aws:sts::111111111111:assumed-role/deployer/alice"
	producerArn = "arn:aws:sts::111111111111:assumed-role/invoices-producer/ci"
)

const topologyYAML = `region: ap-northeast-1
accounts:
  orders: "111111111111"
  billing: "222222222222"
  analytics: "333333333333"
links:
  - name: invoices
    kind: queue
    from: orders
    to: billing
  - name: refunds
    kind: queue
    from: orders
    to: billing
    options:
      fifo: true
      contentBasedDeduplication: true
      access: assume-role
      externalId: crosswire-test
  - name: reports
    kind: queue
    from: analytics
    to: billing
  - name: audit
    kind: queue
    from: [orders, analytics]
    to: billing
    options:
      allow: accounts
      encryption: kms
`

var (
	invoicesURL = "https://sqs.ap-northeast-1.amazonaws.com/222222222222/invoices"
	refundsURL  = "https://sqs.ap-northeast-1.amazonaws.com/222222222222/refunds.fifo"
	auditURL    = "https://sqs.ap-northeast-1.amazonaws.com/222222222222/audit"
	refundsRole = "arn:aws:iam::222222222222:role/refunds-access"
	clock       = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
)

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// runWith runs the command on topologyYAML against the fake, with the own credentials
// of caller.
func runWith(t *testing.T, f *fakeaws.Fake, caller string, args ...string) result {
	t.Helper()
	return runTopology(t, topologyYAML, f, caller, args...)
}

// runTopology runs the command on the topology file text against the fake, with the
// own credentials of caller, and fails the test when the output holds key material.
func runTopology(t *testing.T, text string, f *fakeaws.Fake, caller string, args ...string) result {
	t.Helper()
	if f.Callers == nil {
		f.Callers = map[string]string{ownKey: caller}
	}
	if f.ContentBasedDeduplication == nil {
		f.ContentBasedDeduplication = map[string]bool{refundsURL: true}
	}
	path := filepath.Join(t.TempDir(), "topology.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	e := env{
		loadConfig: func(ctx context.Context, region, profile string) (aws.Config, error) {
			return aws.Config{
				Region:      region,
				Credentials: credentials.NewStaticCredentialsProvider(ownKey, ownSecret, ownToken),
				HTTPClient:  f.HTTPClient(),
				Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
			}, nil
		},
		now: func() time.Time { return clock },
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"-topology", path}, args...), &out, &errOut, e)
	// The topology's path varies per test; the output names it as topology.yaml.
	r := result{code: code, stdout: strings.ReplaceAll(out.String(), path, "topology.yaml"), stderr: strings.ReplaceAll(errOut.String(), path, "topology.yaml")}
	assertNoKeyMaterial(t, r)
	return r
}

// assertNoKeyMaterial fails the test when the output holds a key, secret or token of
// the own or of assumed credentials.
func assertNoKeyMaterial(t *testing.T, r result) {
	t.Helper()
	for _, s := range []string{ownKey, ownSecret, ownToken, fakeaws.AssumedKeyPrefix, fakeaws.AssumedSecretPrefix, fakeaws.AssumedTokenPrefix} {
		if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
			t.Errorf("output holds key material %q:\n%s\n%s", s, r.stdout, r.stderr)
		}
	}
}

// lines returns the lines of s, leaving out the watch lines under delivered links,
// which TestDeliveredLinksNameTheAlarmsToWatch checks.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !strings.HasPrefix(l, "  watch: ") {
			out = append(out, l)
		}
	}
	return out
}

func assertLines(t *testing.T, got string, want ...string) {
	t.Helper()
	g := lines(got)
	if len(g) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(g), len(want), got)
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g[i], want[i])
		}
	}
}

func TestEveryLinkDelivered(t *testing.T) {
	// GIVEN orders' producer credentials and links that all accept
	f := &fakeaws.Fake{}

	// WHEN the smoke test runs
	r := runWith(t, f, producerArn)

	// THEN it detected the account, sent through orders' three links (not analytics'
	// reports) and says so, with endpoint and identity
	if r.code != 0 {
		t.Errorf("exit code %d, want 0; stderr: %s", r.code, r.stderr)
	}
	assertLines(t, r.stdout,
		"crosswire send: topology.yaml: sender account orders (111111111111), caller "+producerArn,
		"invoices: delivered (message 00000000-0000-4000-8000-000000000001); endpoint https://sqs.ap-northeast-1.amazonaws.com; identity own credentials ("+producerArn+")",
		"refunds: delivered (message 00000000-0000-4000-8000-000000000002); endpoint https://sqs.ap-northeast-1.amazonaws.com; "+
			"identity assumed role "+refundsRole+" (session crosswire-send-refunds) via https://sts.ap-northeast-1.amazonaws.com, from own credentials ("+producerArn+")",
		"audit: delivered (message 00000000-0000-4000-8000-000000000003); endpoint https://sqs.ap-northeast-1.amazonaws.com; identity own credentials ("+producerArn+")",
		"3 of 3 links delivered",
	)

	// AND each message is recognisable: JSON naming the link, the accounts and the time,
	// with the smoke-test attribute (and a group on the FIFO queue)
	var sent []fakeaws.Request
	for _, req := range f.Requests() {
		if req.Op == fakeaws.SendMessage {
			sent = append(sent, req)
		}
	}
	if len(sent) != 3 {
		t.Fatalf("%d messages sent, want 3", len(sent))
	}
	want := map[string]string{
		invoicesURL: `{"crosswire":"smoke test by crosswire-send","link":"invoices","from":"orders","to":"billing","sentAt":"2026-05-01T12:00:00Z"}`,
		refundsURL:  `{"crosswire":"smoke test by crosswire-send","link":"refunds","from":"orders","to":"billing","sentAt":"2026-05-01T12:00:00Z"}`,
		auditURL:    `{"crosswire":"smoke test by crosswire-send","link":"audit","from":"orders","to":"billing","sentAt":"2026-05-01T12:00:00Z"}`,
	}
	for _, m := range sent {
		q := m.Params["QueueUrl"]
		if m.Params["MessageBody"] != want[q] {
			t.Errorf("%s: body %s, want %s", q, m.Params["MessageBody"], want[q])
		}
		var attrs map[string]map[string]string
		if err := json.Unmarshal([]byte(m.Params["MessageAttributes"]), &attrs); err != nil || attrs[smoke.TestAttribute]["StringValue"] == "" {
			t.Errorf("%s: attributes %s, want %s", q, m.Params["MessageAttributes"], smoke.TestAttribute)
		}
		if q == refundsURL && m.Params["MessageGroupId"] != smoke.GroupID {
			t.Errorf("refunds: MessageGroupId %q, want %q", m.Params["MessageGroupId"], smoke.GroupID)
		}
	}
}

func TestDeniedMissingAndUnreachableLinks(t *testing.T) {
	// GIVEN links that fail in three different ways
	f := &fakeaws.Fake{}
	f.Fail(fakeaws.SendMessage, invoicesURL, fakeaws.Failure{Code: "AccessDenied", Message: "User: " + producerArn + " is not authorized to perform: sqs:sendmessage"})
	f.Fail(fakeaws.AssumeRole, refundsRole, fakeaws.Failure{Code: "AccessDenied", Message: "not authorized to perform: sts:AssumeRole"})
	f.Fail(fakeaws.SendMessage, auditURL, fakeaws.Failure{Code: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist."})

	// WHEN the smoke test runs
	r := runWith(t, f, producerArn)

	// THEN each line says what happened and what to look at, and the exit code is 1
	if r.code != 1 {
		t.Errorf("exit code %d, want 1", r.code)
	}
	assertLines(t, r.stdout,
		"crosswire send: topology.yaml: sender account orders (111111111111), caller "+producerArn,
		"invoices: denied at sqs:SendMessage (AccessDenied): look at the queue policy of invoices in 222222222222 and the identity policy of arn:aws:iam::111111111111:role/invoices-producer; "+
			"AWS says: User: "+producerArn+" is not authorized to perform: sqs:sendmessage; endpoint https://sqs.ap-northeast-1.amazonaws.com; identity own credentials ("+producerArn+")",
		"refunds: denied at sts:AssumeRole (AccessDenied): look at the trust policy of "+refundsRole+" in 222222222222 (and the external ID the sender gives) "+
			"and at sts:AssumeRole in the identity policy of arn:aws:iam::111111111111:role/refunds-producer; if the receiver stack is not deployed yet, the role does not exist; "+
			"AWS says: not authorized to perform: sts:AssumeRole; "+
			"note: the caller is not a sender role of link refunds, which admits only arn:aws:iam::111111111111:role/refunds-producer; run as that role or give -assume-sender-role; "+
			"endpoint https://sqs.ap-northeast-1.amazonaws.com; "+
			"identity assumed role "+refundsRole+" (session crosswire-send-refunds) via https://sts.ap-northeast-1.amazonaws.com, from own credentials ("+producerArn+")",
		"audit: missing (deploy the receiver stack) at sqs:SendMessage (AWS.SimpleQueueService.NonExistentQueue): no queue audit in account 222222222222; "+
			"deploy the receiver stack of link audit there; AWS says: The specified queue does not exist.; endpoint https://sqs.ap-northeast-1.amazonaws.com; identity own credentials ("+producerArn+")",
		"0 of 3 links delivered",
	)
}

func TestUnreachableLinks(t *testing.T) {
	// GIVEN an SQS endpoint that does not resolve for invoices and never answers for
	// audit
	f := &fakeaws.Fake{}
	f.Fail(fakeaws.SendMessage, invoicesURL, fakeaws.Failure{Err: &net.DNSError{Err: "no such host", Name: "sqs.ap-northeast-1.amazonaws.com", IsNotFound: true}})
	f.Fail(fakeaws.SendMessage, auditURL, fakeaws.Failure{Hang: true})

	// WHEN the smoke test runs with a short timeout
	r := runWith(t, f, producerArn, "-timeout", "100ms")

	// THEN those links are unreachable with the network cause, refunds is delivered
	if r.code != 1 {
		t.Errorf("exit code %d, want 1", r.code)
	}
	l := lines(r.stdout)
	if len(l) != 5 {
		t.Fatalf("want 5 lines:\n%s", r.stdout)
	}
	for _, c := range []struct{ line, want string }{
		{l[1], "invoices: unreachable at sqs:SendMessage: sqs.ap-northeast-1.amazonaws.com does not resolve: in a VPC without internet access SQS needs an interface VPC endpoint with private DNS enabled"},
		{l[2], "refunds: delivered"},
		{l[3], "audit: unreachable at sqs:SendMessage: no answer from sqs.ap-northeast-1.amazonaws.com in time"},
		{l[3], "(-timeout 100ms); endpoint https://sqs.ap-northeast-1.amazonaws.com; identity own credentials"},
		{l[4], "1 of 3 links delivered"},
	} {
		if !strings.Contains(c.line, c.want) {
			t.Errorf("line\n%s\nwant it to contain\n%s", c.line, c.want)
		}
	}
}

func TestCallerThatIsNoSenderRole(t *testing.T) {
	// GIVEN orders' deployer, which the queue policy of invoices does not admit
	f := &fakeaws.Fake{}
	f.Fail(fakeaws.SendMessage, invoicesURL, fakeaws.Failure{Code: "AccessDenied"})

	// WHEN the smoke test runs as the deployer for invoices
	r := runWith(t, f, deployer, "-link", "invoices")

	// THEN the denial says that the deployer is the wrong identity
	want := "; note: the caller is not a sender role of link invoices, which admits only arn:aws:iam::111111111111:role/invoices-producer; run as that role or give -assume-sender-role"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout:\n%s\nwant it to contain\n%s", r.stdout, want)
	}
}

func TestAssumeSenderRole(t *testing.T) {
	t.Run("each link sends as its sender role", func(t *testing.T) {
		// GIVEN orders' deployer
		f := &fakeaws.Fake{}
		// WHEN the smoke test runs with -assume-sender-role
		r := runWith(t, f, deployer, "-assume-sender-role", "-link", "refunds")
		// THEN refunds assumed its producerArn role, which assumed the access role
		if r.code != 0 {
			t.Fatalf("exit code %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		var roles []string
		for _, req := range f.Requests() {
			if req.Op == fakeaws.AssumeRole {
				roles = append(roles, req.Params["RoleArn"])
			}
		}
		if strings.Join(roles, " ") != "arn:aws:iam::111111111111:role/refunds-producer "+refundsRole {
			t.Errorf("assumed %v, want the sender role, then the access role", roles)
		}
		want := "identity assumed role " + refundsRole + " (session crosswire-send-refunds) via https://sts.ap-northeast-1.amazonaws.com, " +
			"from sender role arn:aws:iam::111111111111:role/refunds-producer (session crosswire-send-refunds)"
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout:\n%s\nwant it to contain\n%s", r.stdout, want)
		}
	})
	t.Run("the sender role refuses", func(t *testing.T) {
		// GIVEN a sender role that does not trust the deployer
		f := &fakeaws.Fake{}
		f.Fail(fakeaws.AssumeRole, "arn:aws:iam::111111111111:role/invoices-producer", fakeaws.Failure{Code: "AccessDenied"})
		// WHEN the smoke test runs with -assume-sender-role
		r := runWith(t, f, deployer, "-assume-sender-role", "-link", "invoices")
		// THEN the line names the sender role's trust policy and nothing was sent
		want := "invoices: denied at sts:AssumeRole (AccessDenied): look at the trust policy of the sender role arn:aws:iam::111111111111:role/invoices-producer in 111111111111 " +
			"and at sts:AssumeRole in the identity policy of " + deployer
		if r.code != 1 || !strings.Contains(r.stdout, want) || f.Count(fakeaws.SendMessage) != 0 {
			t.Errorf("exit code %d, %d sends, stdout:\n%s\nwant it to contain\n%s", r.code, f.Count(fakeaws.SendMessage), r.stdout, want)
		}
	})
}

func TestAccountSelection(t *testing.T) {
	for _, tc := range []struct {
		name     string
		caller   string
		args     []string
		code     int
		stdout   string // first line, or "" for none
		stderr   string
		noLookup bool
	}{
		{name: "-as-account skips the lookup", args: []string{"-as-account", "analytics"}, code: 0, noLookup: true,
			stdout: "crosswire send: topology.yaml: sender account analytics (333333333333), as given by -as-account"},
		{name: "-link picks one link", caller: producerArn, args: []string{"-link", "audit"}, code: 0,
			stdout: "crosswire send: topology.yaml: sender account orders (111111111111), caller " + producerArn},
		{name: "unknown -as-account", args: []string{"-as-account", "shipping"}, code: 2,
			stderr: `crosswire send: -as-account "shipping" is not an account of topology.yaml; accounts: orders (111111111111), billing (222222222222), analytics (333333333333)`},
		{name: "credentials of an account not in the topology", caller: "arn:aws:sts::999999999999:assumed-role/x/y", code: 2,
			stderr: "crosswire send: the credentials (arn:aws:sts::999999999999:assumed-role/x/y) belong to account 999999999999, which topology.yaml does not list"},
		{name: "an account that sends nothing", args: []string{"-as-account", "billing"}, code: 2,
			stderr: "crosswire send: account billing sends through no link of topology.yaml: nothing to check"},
		{name: "unknown -link", caller: producerArn, args: []string{"-link", "invoice"}, code: 2,
			stderr: `crosswire send: topology.yaml has no link "invoice"; links: audit, invoices, refunds, reports`},
		{name: "-link of another sender", caller: producerArn, args: []string{"-link", "reports"}, code: 2,
			stderr: "crosswire send: account orders does not send through link reports (from: analytics); run with the credentials of a sender account"},
		{name: "credentials STS rejects", caller: "", code: 2,
			stderr: "crosswire send: cannot tell which account the credentials belong to: denied at sts:GetCallerIdentity (InvalidClientTokenId)"},
		{name: "legacy endpoint", args: []string{"-endpoint", "https://ap-northeast-1.queue.amazonaws.com"}, code: 2,
			stderr: "crosswire send: -endpoint: sqs endpoint \"https://ap-northeast-1.queue.amazonaws.com\" is the legacy endpoint"},
		{name: "stray argument", args: []string{"invoices"}, code: 2, stderr: "unexpected arguments"},
		{name: "an SNS endpoint of another service", args: []string{"-sns-endpoint", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com"}, code: 2,
			stderr: `crosswire send: -sns-endpoint: sns endpoint "https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com" is a VPC endpoint of sqs in ap-northeast-1, not of sns in ap-northeast-1`},
		{name: "a Kinesis endpoint without TLS", args: []string{"-kinesis-endpoint", "http://kinesis.ap-northeast-1.amazonaws.com"}, code: 2,
			stderr: `crosswire send: -kinesis-endpoint: kinesis endpoint "http://kinesis.ap-northeast-1.amazonaws.com" must use https`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN the flags and the credentials' identity
			f := &fakeaws.Fake{Callers: map[string]string{}}
			if tc.caller != "" {
				f.Callers[ownKey] = tc.caller
			}
			// WHEN the smoke test runs
			r := runWith(t, f, tc.caller, tc.args...)
			// THEN it checks the right account or stops with the reason
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if tc.stdout != "" && lines(r.stdout)[0] != tc.stdout {
				t.Errorf("first line %q, want %q", lines(r.stdout)[0], tc.stdout)
			}
			if tc.stdout == "" && r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tc.stderr)
			}
			if tc.noLookup && f.Count(fakeaws.GetCallerIdentity) != 0 {
				t.Errorf("GetCallerIdentity called; -as-account should spare it")
			}
		})
	}
}

func TestAccountLookupWithoutSTS(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail fakeaws.Failure
		args []string
		want string // the first line of stderr contains this
	}{
		{name: "STS never answers", fail: fakeaws.Failure{Hang: true}, args: []string{"-timeout", "100ms"},
			want: "crosswire send: cannot tell which account the credentials belong to: unreachable at sts:GetCallerIdentity: no answer from sts.ap-northeast-1.amazonaws.com in time"},
		{name: "STS does not resolve", fail: fakeaws.Failure{Err: &net.DNSError{Err: "no such host", Name: "sts.ap-northeast-1.amazonaws.com", IsNotFound: true}},
			want: "crosswire send: cannot tell which account the credentials belong to: unreachable at sts:GetCallerIdentity: sts.ap-northeast-1.amazonaws.com does not resolve"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a host in a VPC whose STS lookup fails on the network
			f := &fakeaws.Fake{}
			f.Fail(fakeaws.GetCallerIdentity, "", tc.fail)

			// WHEN the smoke test runs without -as-account
			r := runWith(t, f, producerArn, tc.args...)

			// THEN it stops with exit code 2, says why, and says to give -as-account
			hint := "crosswire send: hint: give the sender account with -as-account <alias> (one of orders, billing, analytics) to skip this lookup: " +
				"inside a VPC without internet access STS answers only through an STS interface endpoint, which privateAccess creates only for accounts that send through an assume-role link"
			errLines := lines(r.stderr)
			if r.code != 2 || r.stdout != "" || len(errLines) != 2 || !strings.Contains(errLines[0], tc.want) || errLines[1] != hint {
				t.Errorf("exit code %d, stdout %q, stderr:\n%s\nwant the first line to contain\n%s\nand then\n%s", r.code, r.stdout, r.stderr, tc.want, hint)
			}
			if f.Count(fakeaws.SendMessage) != 0 {
				t.Error("messages were sent without knowing the account")
			}
		})
	}
	t.Run("the usage text says so", func(t *testing.T) {
		// GIVEN -h WHEN the usage is printed THEN it tells to give -as-account in a VPC
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"-h"}, &out, &errOut, env{})
		if code != 0 || !strings.Contains(errOut.String(), "Inside a VPC without internet access, give -as-account") {
			t.Errorf("exit code %d, usage:\n%s", code, errOut.String())
		}
	})
}

func TestEndpointOverrideOnLoopback(t *testing.T) {
	// GIVEN the fake SQS served on 127.0.0.1 and named with -endpoint
	f := &fakeaws.Fake{ContentBasedDeduplication: map[string]bool{refundsURL: true}}
	srv := httptest.NewServer(f)
	defer srv.Close()

	// WHEN the smoke test runs for invoices as orders
	r := runWith(t, f, producerArn, "-as-account", "orders", "-link", "invoices", "-endpoint", srv.URL)

	// THEN the message went to the server and the line names it as the endpoint
	if r.code != 0 || f.Count(fakeaws.SendMessage) != 1 {
		t.Fatalf("exit code %d, %d sends\n%s%s", r.code, f.Count(fakeaws.SendMessage), r.stdout, r.stderr)
	}
	want := "invoices: delivered (message 00000000-0000-4000-8000-000000000001); endpoint " + srv.URL + "; identity own credentials"
	if l := lines(r.stdout); l[1] != want {
		t.Errorf("line\n%s\nwant\n%s", l[1], want)
	}
}

func TestBadTopologyIsReportedWhole(t *testing.T) {
	// GIVEN a topology file with two mistakes
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("region: ap-northeast-1\naccounts:\n  orders: \"1111\"\nlinks: []\n"), 0o600)
	var out, errOut bytes.Buffer

	// WHEN the smoke test reads it
	code := run(context.Background(), []string{"-topology", path}, &out, &errOut, env{})

	// THEN it stops with every problem and sends nothing
	if code != 2 || !strings.Contains(errOut.String(), `account ID "1111" must be exactly 12 digits`) || out.Len() != 0 {
		t.Errorf("exit code %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestLinksOfKindsWithoutSenderAreSkipped(t *testing.T) {
	// GIVEN a link of a kind crosswire send has no sender for
	l := topology.Link{Name: "news", Kind: "carrier-pigeon", From: []string{"orders"}, To: []string{"billing"}}

	// WHEN it is probed
	line, st := probe(context.Background(), aws.Config{}, &topology.Topology{}, l, smoke.Sender{Alias: "orders"}, settings{Settings: smoke.Settings{Timeout: time.Second}}, clock)

	// THEN it is skipped, and the line says it was not checked
	if st != smoke.Skipped || line != "news: skipped: crosswire send cannot send through carrier-pigeon links yet, not checked" {
		t.Errorf("probe = %q, %v", line, st)
	}
}

func TestSummaryAndExitCode(t *testing.T) {
	for _, tc := range []struct {
		count map[smoke.Status]int
		want  string
		code  int
	}{
		{map[smoke.Status]int{smoke.Delivered: 2}, "2 of 2 links delivered", 0},
		{map[smoke.Status]int{smoke.Delivered: 2, smoke.Skipped: 1}, "2 of 2 links delivered, 1 skipped", 0},
		{map[smoke.Status]int{smoke.Delivered: 1, smoke.NotDelivered: 1, smoke.Skipped: 1}, "1 of 2 links delivered, 1 skipped", 1},
		{map[smoke.Status]int{smoke.Skipped: 2}, "0 of 0 links delivered, 2 skipped", 2},
	} {
		// GIVEN the links' results WHEN they are summed up THEN the line and exit code say so:
		// a skipped link fails nothing, but nothing checked cannot pass
		if got, code := summarize(tc.count); got != tc.want || code != tc.code {
			t.Errorf("summarize(%v) = %q, %d; want %q, %d", tc.count, got, code, tc.want, tc.code)
		}
	}
}

func TestDeliveredLinksNameTheAlarmsToWatch(t *testing.T) {
	// GIVEN orders' producer credentials, invoices failing and the other links accepting
	f := &fakeaws.Fake{}
	f.Fail(fakeaws.SendMessage, invoicesURL, fakeaws.Failure{Err: &net.DNSError{Err: "no such host", Name: "sqs.ap-northeast-1.amazonaws.com", IsNotFound: true}})

	// WHEN the smoke test runs
	r := runWith(t, f, producerArn)

	// THEN under each delivered link, and only there, a line names its alarms and the
	// dashboards of its accounts
	all := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	var watch []string
	for i, l := range all {
		if strings.HasPrefix(l, "  watch: ") {
			if i == 0 || !strings.Contains(all[i-1], ": delivered (") {
				t.Errorf("watch line %q is not under a delivered link", l)
			}
			watch = append(watch, l)
		}
	}
	want := []string{
		"  watch: alarms refunds-* in ap-northeast-1 (a message in a dead-letter queue raises one within 5 minutes); dashboards crosswire-orders-ap-northeast-1, crosswire-billing-ap-northeast-1",
		"  watch: alarms audit-* in ap-northeast-1 (a message in a dead-letter queue raises one within 5 minutes); dashboards crosswire-orders-ap-northeast-1, crosswire-analytics-ap-northeast-1, crosswire-billing-ap-northeast-1",
	}
	if !slices.Equal(watch, want) {
		t.Errorf("watch lines\n%s\nwant\n%s", strings.Join(watch, "\n"), strings.Join(want, "\n"))
	}
}
