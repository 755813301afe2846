// Package smoke is what the smoke test (crosswire send) shares with each kind's
// channel: the account and credentials a test message starts from, the settings of
// the run, and the Kind and Channel a kind's smoke package implements. It does not
// import the CDK.
package smoke

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// TestAttribute is the message attribute every test message carries, with the
// link's name as its value, so that consumers can recognise and drop test messages.
const TestAttribute = "crosswire-smoke-test"

// GroupID is the message group of test messages to FIFO queues and topics.
const GroupID = "crosswire-smoke-test"

// Settings are what the run's flags say about how to reach AWS.
type Settings struct {
	// Endpoint is the SQS endpoint override, or "" for the regional one.
	Endpoint string
	// STSEndpoint, SNSEndpoint, EventsEndpoint and KinesisEndpoint are resolved by
	// the command: the override given, or the regional endpoint.
	STSEndpoint     string
	SNSEndpoint     string
	EventsEndpoint  string
	KinesisEndpoint string
	// Timeout bounds each link.
	Timeout time.Duration
	// AssumeSenderRole makes each link send as the account's sender role of the link,
	// assumed with the credentials, the way the account's workloads send.
	AssumeSenderRole bool
}

// Status is the result of one link.
type Status int

const (
	// Delivered: the test message was accepted.
	Delivered Status = iota
	// NotDelivered: it was refused, or could not be sent.
	NotDelivered
	// Skipped: crosswire send cannot send a test message through the link (a bus
	// link whose pattern no event put with PutEvents matches, or a kind it does not
	// know). A Skipped link does not fail the run; its line and the summary say it
	// was not checked.
	Skipped
)

// Sender is the account the credentials act for.
type Sender struct {
	// Alias and ID name the account.
	Alias, ID string
	// Caller is the credentials' identity (sts:GetCallerIdentity); empty with
	// -as-account.
	Caller string
}

// Kind sends test messages through the links of one kind; each kind's smoke package
// exports one, and the command lists them by kind name.
type Kind interface {
	// Open returns the Channel through l for the sender account who, or nil, the
	// line to print and the link's Status (NotDelivered or Skipped) when there is
	// none.
	Open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who Sender, s Settings) (Channel, string, Status)
}

// Channel sends test messages through one link.
type Channel interface {
	// Send sends body and returns a reference to the message, such as its ID.
	Send(ctx context.Context, body string) (string, error)
	// Explain explains an error of Send.
	Explain(err error) producer.Outcome
	// Note adds what the Channel knows beyond the outcome, or "".
	Note(o producer.Outcome) string
	// Route names the endpoint and identity used.
	Route() Route
}

// Route is the endpoint and identity a Channel uses.
type Route struct{ Endpoint, Identity string }

// Origin is where the requests of one link start from: the credentials' own
// identity, or the link's sender role assumed with them (-assume-sender-role).
type Origin struct {
	// Link is the link's name.
	Link string
	// Who is the sender account.
	Who Sender
	// Role is the sender, publisher or producer role assumed with
	// -assume-sender-role, or "".
	Role string
	// What names the role's part in the link: sender role, publisher role or
	// producer role.
	What string
}

// String describes the credentials the link's requests start from.
func (o Origin) String() string {
	switch {
	case o.Role != "":
		return fmt.Sprintf("%s %s (session %s)", o.What, o.Role, SessionName(o.Link))
	case o.Who.Caller != "":
		return fmt.Sprintf("%s (%s)", producer.OwnCredentials, o.Who.Caller)
	default:
		return producer.OwnCredentials
	}
}

// Requester returns the role (or user) whose identity policy applies to the link's
// requests: the assumed sender role, the caller's role, or otherwise when neither
// is known (with -as-account).
func (o Origin) Requester(otherwise string) string {
	if o.Role != "" {
		return o.Role
	}
	if r := producer.RoleOfCaller(o.Who.Caller); r != "" {
		return r
	}
	return otherwise
}

// AsSender returns cfg with the credentials the link's requests use: with
// -assume-sender-role those of role, assumed with cfg's own; otherwise cfg's own. what
// names the role's part in the link (sender role, publisher role, producer role).
// When the role cannot be assumed it returns the line to print instead.
func AsSender(ctx context.Context, cfg aws.Config, s Settings, link string, who Sender, role, what string) (aws.Config, Origin, string) {
	o := Origin{Link: link, Who: who, What: what}
	if !s.AssumeSenderRole {
		return cfg, o, ""
	}
	o.Role = role
	creds, err := assumeSenderRole(ctx, cfg, s, role, SessionName(link))
	if err != nil {
		return cfg, o, fmt.Sprintf("%s; endpoint %s; identity %s", explainSenderRole(err, o), s.STSEndpoint, o)
	}
	cfg = cfg.Copy()
	cfg.Credentials = creds
	return cfg, o, ""
}

// assumeSenderRole assumes role with the credentials of cfg and returns the cached
// credentials of the session, already retrieved once so that a refusal shows here and
// not as a failure of the link's own AssumeRole or send.
func assumeSenderRole(ctx context.Context, cfg aws.Config, s Settings, role, session string) (aws.CredentialsProvider, error) {
	client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.STSEndpoint) })
	creds := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(client, role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
	}))
	if _, err := creds.Retrieve(ctx); err != nil {
		return nil, err
	}
	return creds, nil
}

// explainSenderRole explains why the role of from could not be assumed.
func explainSenderRole(err error, from Origin) string {
	o := producer.Classify(err)
	if o.Class == producer.Denied && o.Code == "AccessDenied" {
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the trust policy of the %s %s in %s and at sts:AssumeRole in the identity policy of %s; if the sender stack is not deployed yet, the role does not exist",
			from.What, from.Role, from.Who.ID, CallerOr(from.Who.Caller, "the credentials")))
	}
	return o.String()
}

// SessionName names the role sessions of the smoke test, so that CloudTrail tells test
// messages from production.
func SessionName(link string) string {
	s := "crosswire-send-" + link
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

func CallerOr(caller, otherwise string) string {
	if caller == "" {
		return otherwise
	}
	return caller
}

// CredentialsHint says what to do when service rejected the credentials of o.
func CredentialsHint(service string, o Origin, region string) string {
	if o.Role != "" {
		return fmt.Sprintf("%s rejected the temporary credentials of %s: they expired or were revoked; run again", service, o.Role)
	}
	return fmt.Sprintf("%s rejected the sender's credentials: renew them, and check they are credentials of the partition of %s", service, region)
}

// NotAdmitted returns a note when the caller runs as a role that is none of roles,
// the only ones the link lets send (admits describes them, such as "which admits
// only %s"), or "" when it is one of them, or unknown, or the sender role was assumed.
func NotAdmitted(o Origin, what, admits string, roles []string) string {
	if o.Role != "" || o.Who.Caller == "" {
		return ""
	}
	role := callerRole(o.Who.Caller)
	if role == "" || slices.ContainsFunc(roles, func(a string) bool { return sameRole(a, role) }) {
		return ""
	}
	return fmt.Sprintf("note: the caller is not a %s of link %s, %s; run as that role or give -assume-sender-role",
		what, o.Link, fmt.Sprintf(admits, strings.Join(roles, " or ")))
}

// callerRole returns the role name of an assumed-role caller ARN, or "".
func callerRole(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "sts" || !strings.HasPrefix(parts[5], "assumed-role/") {
		return ""
	}
	return strings.Split(parts[5], "/")[1]
}

// sameRole reports whether the role ARN arn is named name (an assumed-role session
// names its role without the path).
func sameRole(arn, name string) bool {
	return arn[strings.LastIndex(arn, "/")+1:] == name
}

// RandomID returns 32 random hex digits, a deduplication ID for FIFO topics.
func RandomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
