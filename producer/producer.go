// Package producer sends messages through a link of the topology from a sender
// account, the way the link's two halves expect:
//
//   - with access: queue-policy it sends with the sender's own credentials (the
//     producer role or a listed sender role);
//   - with access: assume-role it assumes the receiver's access role once, with the
//     link's external ID, and reuses the temporary credentials until shortly before
//     they expire;
//   - it always talks to the current regional endpoint https://sqs.<region>.amazonaws.com
//     (amazonaws.com.cn in China), the name the private DNS of an SQS interface VPC
//     endpoint covers, never to the legacy <region>.queue.amazonaws.com; an explicit
//     endpoint (the endpoint-specific DNS name of a VPC endpoint, say) may replace it.
//
// A Client reports the endpoint and identity it uses (Identity, Describe) and explains
// a failed send (Explain): denied, naming the policy to look at; unreachable, naming
// the network cause; or missing, when the receiver stack is not deployed. Nothing it
// returns or prints holds key material.
//
// Classify and ClassifyAt explain an error of any sender-side call of a link, not only
// of a Client: sqs:SendMessage, sns:Publish, events:PutEvents, kinesis:PutRecord and
// sts:AssumeRole, with the error codes of each service (SNS's AuthorizationError, the
// KMS errors of every service, ResourceNotFoundException, ...).
package producer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/awsarn"
)

// Defaults of Options.
const (
	// DefaultSessionDuration is the lifetime of the access role's session: one hour, the
	// longest that role chaining allows (a producer usually runs as a role itself) and
	// within every access role's maxSessionDuration (at least 1h).
	DefaultSessionDuration = time.Hour
	// DefaultExpiryWindow is how long before they expire assumed credentials are
	// renewed, so that no request is signed with credentials about to expire.
	DefaultExpiryWindow = 5 * time.Minute
)

// OwnCredentials describes the credentials of queue-policy links: the sender's own.
const OwnCredentials = "own credentials"

// Options configure a Client. Every field is optional.
type Options struct {
	// Endpoint is the URL of the SQS endpoint to send to, such as the endpoint-specific
	// DNS name of an SQS interface VPC endpoint
	// (https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com).
	// It must be https (http only to a loopback address, for tests) and must not be the
	// legacy <region>.queue.amazonaws.com, which no VPC endpoint covers.
	// Default: the current regional endpoint, https://sqs.<region>.amazonaws.com
	// (amazonaws.com.cn in China).
	Endpoint string
	// STSEndpoint is the URL of the STS endpoint used to assume the access role and to
	// look up the caller, with the same rules as Endpoint.
	// Default: the regional endpoint https://sts.<region>.amazonaws.com, which the
	// private DNS of an STS interface VPC endpoint covers.
	STSEndpoint string
	// SenderAccount is the sender account the credentials belong to, one of the link's
	// SenderAccounts. It lets Explain name the sender role to look at.
	// Default: unknown until Describe has run; Explain names every sender role.
	SenderAccount string
	// SessionName names the access role's session; the receiver account's CloudTrail
	// shows it. Only with access: assume-role. Default: crosswire-<link name>.
	SessionName string
	// SessionDuration is the lifetime of the access role's session, 15m up to the link's
	// maxSessionDuration. Only with access: assume-role. Default: DefaultSessionDuration.
	SessionDuration time.Duration
	// ExpiryWindow is how long before they expire the assumed credentials are renewed;
	// less than SessionDuration. Only with access: assume-role.
	// Default: DefaultExpiryWindow.
	ExpiryWindow time.Duration
}

// Client sends messages through one queue link. It is safe for concurrent use.
type Client struct {
	link      queuelink.Link
	opts      Options
	sqs       *sqs.Client
	callerSTS *sts.Client // with the credentials that send
	ownSTS    *sts.Client // with the caller's own credentials

	mu     sync.Mutex
	caller string // the sending identity's ARN, once Describe has run
	source string // the own credentials' ARN, once Describe has run
}

var sessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// New returns a client that sends through link (its defaults are applied) with the
// credentials and settings of cfg. cfg.Region is replaced by the link's region.
func New(cfg aws.Config, link queuelink.Link, optFns ...func(*Options)) (*Client, error) {
	if err := link.Validate(); err != nil {
		return nil, fmt.Errorf("producer: %w", err)
	}
	l := link.WithDefaults()
	o := Options{
		SessionName:     truncate("crosswire-"+l.NamePrefix+l.Name, 64),
		SessionDuration: DefaultSessionDuration,
		ExpiryWindow:    DefaultExpiryWindow,
	}
	for _, fn := range optFns {
		fn(&o)
	}
	var problems []string
	var err error
	if o.Endpoint, err = Endpoint("sqs", l.Region, o.Endpoint); err != nil {
		problems = append(problems, err.Error())
	}
	if o.STSEndpoint, err = Endpoint("sts", l.Region, o.STSEndpoint); err != nil {
		problems = append(problems, err.Error())
	}
	if o.SenderAccount != "" && !slices.Contains(l.SenderAccounts, o.SenderAccount) {
		problems = append(problems, fmt.Sprintf("sender account %q is not a sender account of link %q (senders: %s)", o.SenderAccount, l.Name, strings.Join(l.SenderAccounts, ", ")))
	}
	if l.Access == queuelink.AccessAssumeRole {
		if !sessionName.MatchString(o.SessionName) {
			problems = append(problems, fmt.Sprintf("session name %q must be 2 to 64 letters, digits and +=,.@_-", o.SessionName))
		}
		if o.SessionDuration < 15*time.Minute || o.SessionDuration > l.MaxSessionDuration {
			problems = append(problems, fmt.Sprintf("session duration %s must be between 15m and the link's maxSessionDuration %s", queuelink.FormatDuration(o.SessionDuration), queuelink.FormatDuration(l.MaxSessionDuration)))
		}
		if o.ExpiryWindow < 0 || o.ExpiryWindow >= o.SessionDuration {
			problems = append(problems, fmt.Sprintf("expiry window %s must be at least 0 and less than the session duration %s", queuelink.FormatDuration(o.ExpiryWindow), queuelink.FormatDuration(o.SessionDuration)))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("producer: link %q: %s", l.Name, strings.Join(problems, "; "))
	}

	cfg = cfg.Copy()
	cfg.Region = l.Region
	c := &Client{link: l, opts: o}
	c.ownSTS = sts.NewFromConfig(cfg, func(so *sts.Options) { so.BaseEndpoint = aws.String(o.STSEndpoint) })
	creds := cfg.Credentials
	if l.Access == queuelink.AccessAssumeRole {
		provider := stscreds.NewAssumeRoleProvider(c.ownSTS, l.AccessRoleArn(), func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = o.SessionName
			ao.Duration = o.SessionDuration
			if l.ExternalID != "" {
				ao.ExternalID = aws.String(l.ExternalID)
			}
		})
		// One AssumeRole for many sends: the cache hands out the same temporary
		// credentials until ExpiryWindow before they expire, and lets one caller
		// renew them while concurrent sends wait.
		creds = aws.NewCredentialsCache(provider, func(co *aws.CredentialsCacheOptions) { co.ExpiryWindow = o.ExpiryWindow })
	}
	c.sqs = sqs.NewFromConfig(cfg, func(so *sqs.Options) {
		so.BaseEndpoint = aws.String(o.Endpoint)
		so.Credentials = creds
	})
	c.callerSTS = sts.NewFromConfig(cfg, func(so *sts.Options) {
		so.BaseEndpoint = aws.String(o.STSEndpoint)
		so.Credentials = creds
	})
	return c, nil
}

// Endpoint returns the URL of the endpoint of service in region that a Client, or
// the smoke test, uses: override when given, the current regional endpoint
// https://<service>.<region>.amazonaws.com (amazonaws.com.cn in China) otherwise.
// service is the IAM prefix of the service: sqs, sts, sns, events or kinesis. It
// refuses an override that is not an https URL without a path (http only to a
// loopback address), the legacy SQS endpoint, and the DNS name of a VPC endpoint of
// another service or region.
func Endpoint(service, region, override string) (string, error) {
	if override == "" {
		return regionalEndpoint(service, region), nil
	}
	u, err := url.Parse(override)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", fmt.Errorf("%s endpoint %q must be a URL such as %s, with no path", service, override, regionalEndpoint(service, region))
	}
	host := u.Hostname()
	switch {
	case service == "sqs" && awsarn.IsLegacySQSHost(host):
		return "", fmt.Errorf("sqs endpoint %q is the legacy endpoint, which the private DNS of an SQS VPC endpoint does not cover; use %s", override, awsarn.SQSEndpoint(region))
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(host):
	default:
		return "", fmt.Errorf("%s endpoint %q must use https (http only to a loopback address)", service, override)
	}
	if s, r, ok := awsarn.VPCEndpointDNSName(host); ok && (!slices.Contains(vpceServices(service), s) || r != region) {
		return "", fmt.Errorf("%s endpoint %q is a VPC endpoint of %s in %s, not of %s in %s", service, override, s, r, service, region)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// regionalEndpoint is the URL of the regional endpoint of service in region.
func regionalEndpoint(service, region string) string {
	return "https://" + awsarn.ServiceHost(service, region)
}

// vpceServices are the names the endpoint-specific DNS names of the interface VPC
// endpoints of service hold: Kinesis Data Streams' endpoint service is
// kinesis-streams.
func vpceServices(service string) []string {
	if service == "kinesis" {
		return []string{"kinesis", "kinesis-streams"}
	}
	return []string{service}
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Link returns the link the client sends through, with its defaults.
func (c *Client) Link() queuelink.Link { return c.link }

// SendOption sets a property of one message.
type SendOption func(*message)

type message struct {
	groupID, dedupID string
	attrs            map[string]string
}

// Attribute sets the string message attribute name to value.
func Attribute(name, value string) SendOption {
	return func(m *message) {
		if m.attrs == nil {
			m.attrs = map[string]string{}
		}
		m.attrs[name] = value
	}
}

// GroupID sets the message group ID, required by FIFO queues (on a standard queue it
// makes the message part of a fair-queue group).
func GroupID(id string) SendOption { return func(m *message) { m.groupID = id } }

// DeduplicationID sets the deduplication ID of a message to a FIFO queue. Without it
// a FIFO queue without content-based deduplication gets a random ID per Send call
// (the SDK's own retries of that call reuse it); give one to make your own retries
// idempotent.
func DeduplicationID(id string) SendOption { return func(m *message) { m.dedupID = id } }

// Send sends body to the link's queue (Link.QueueURL) and returns the message ID. On a
// FIFO queue it needs GroupID. Pass the error to Explain to learn what it means.
func (c *Client) Send(ctx context.Context, body string, opts ...SendOption) (string, error) {
	var m message
	for _, o := range opts {
		o(&m)
	}
	l := c.link
	if body == "" {
		return "", fmt.Errorf("producer: link %q: the message body is empty; SQS needs at least one character", l.Name)
	}
	in := &sqs.SendMessageInput{QueueUrl: aws.String(l.QueueURL()), MessageBody: aws.String(body)}
	if m.groupID != "" {
		in.MessageGroupId = aws.String(m.groupID)
	}
	switch {
	case l.Fifo && m.groupID == "":
		return "", fmt.Errorf("producer: link %q: queue %s is a FIFO queue; give the message a GroupID", l.Name, l.QueueName())
	case l.Fifo && m.dedupID != "":
		in.MessageDeduplicationId = aws.String(m.dedupID)
	case l.Fifo && !l.ContentBasedDeduplication:
		in.MessageDeduplicationId = aws.String(randomID())
	case !l.Fifo && m.dedupID != "":
		return "", fmt.Errorf("producer: link %q: queue %s is a standard queue; a DeduplicationID applies only to FIFO queues", l.Name, l.QueueName())
	}
	if len(m.attrs) > 0 {
		in.MessageAttributes = map[string]sqstypes.MessageAttributeValue{}
		for k, v := range m.attrs {
			in.MessageAttributes[k] = sqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
		}
	}
	out, err := c.sqs.SendMessage(ctx, in)
	if err != nil {
		return "", fmt.Errorf("producer: link %q: send to %s: %w", l.Name, l.QueueURL(), err)
	}
	return aws.ToString(out.MessageId), nil
}

func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Identity is the endpoint and identity a Client uses. It holds no key material.
type Identity struct {
	// Link is the link's name.
	Link string
	// QueueURL is the queue the client sends to.
	QueueURL string
	// Endpoint is the SQS endpoint URL the client talks to.
	Endpoint string
	// EndpointOverridden is true when Endpoint was given in Options.
	EndpointOverridden bool
	// STSEndpoint is the STS endpoint URL used for AssumeRole and GetCallerIdentity.
	STSEndpoint string
	// Access is how the link admits senders: queue-policy or assume-role.
	Access queuelink.Access
	// AssumedRoleArn is the access role the client assumes; empty with own credentials.
	AssumedRoleArn string
	// SessionName is the assumed role's session name; empty with own credentials.
	SessionName string
	// SourceArn is the identity of the caller's own credentials (sts:GetCallerIdentity);
	// empty until Describe.
	SourceArn string
	// CallerArn is the identity SQS sees: SourceArn with own credentials, the access
	// role's session with assume-role; empty until Describe.
	CallerArn string
}

// Credentials describes the credentials used: "own credentials" or the assumed role.
func (i Identity) Credentials() string {
	if i.AssumedRoleArn == "" {
		return OwnCredentials
	}
	return fmt.Sprintf("assumed role %s (session %s)", i.AssumedRoleArn, i.SessionName)
}

// String renders the identity on one line.
func (i Identity) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "link %s: endpoint %s", i.Link, i.Endpoint)
	if i.EndpointOverridden {
		b.WriteString(" (override)")
	}
	fmt.Fprintf(&b, ", %s", i.Credentials())
	if i.AssumedRoleArn != "" {
		fmt.Fprintf(&b, " via %s", i.STSEndpoint)
		if i.SourceArn != "" {
			fmt.Fprintf(&b, " by %s", i.SourceArn)
		}
	}
	if i.CallerArn != "" {
		fmt.Fprintf(&b, ", caller %s", i.CallerArn)
	}
	return b.String()
}

// Identity returns the endpoint and identity the client uses, without a request;
// SourceArn and CallerArn are set once Describe has run.
func (c *Client) Identity() Identity {
	l := c.link
	id := Identity{
		Link:               l.Name,
		QueueURL:           l.QueueURL(),
		Endpoint:           c.opts.Endpoint,
		EndpointOverridden: c.opts.Endpoint != awsarn.SQSEndpoint(l.Region),
		STSEndpoint:        c.opts.STSEndpoint,
		Access:             l.Access,
	}
	if l.Access == queuelink.AccessAssumeRole {
		id.AssumedRoleArn = l.AccessRoleArn()
		id.SessionName = c.opts.SessionName
	}
	c.mu.Lock()
	id.SourceArn, id.CallerArn = c.source, c.caller
	c.mu.Unlock()
	return id
}

// Describe returns Identity with the caller ARNs looked up by sts:GetCallerIdentity:
// the own credentials' identity, and with assume-role the access role's session
// (which assumes the role if the cached credentials are missing or expiring). On error
// it returns what it found.
func (c *Client) Describe(ctx context.Context) (Identity, error) {
	out, err := c.ownSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return c.Identity(), fmt.Errorf("producer: link %q: who am I: %w", c.link.Name, err)
	}
	c.mu.Lock()
	c.source = aws.ToString(out.Arn)
	if c.link.Access != queuelink.AccessAssumeRole {
		c.caller = c.source
	}
	c.mu.Unlock()
	if c.link.Access == queuelink.AccessAssumeRole {
		out, err := c.callerSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return c.Identity(), fmt.Errorf("producer: link %q: who am I as %s: %w", c.link.Name, c.link.AccessRoleArn(), err)
		}
		c.mu.Lock()
		c.caller = aws.ToString(out.Arn)
		c.mu.Unlock()
	}
	return c.Identity(), nil
}

// String describes the client on one line: its link, endpoint and identity, never
// key material.
func (c *Client) String() string { return "producer.Client{" + c.Identity().String() + "}" }

// GoString is String, so that %#v prints no key material either.
func (c *Client) GoString() string { return c.String() }
