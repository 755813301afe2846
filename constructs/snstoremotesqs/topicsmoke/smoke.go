// Package topicsmoke publishes the smoke test's message to the topic of topic links
// (SnsToRemoteSqs), from the sender account that owns it, as a publisher role would.
package topicsmoke

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// topicKind publishes to the topic of topic links (SnsToRemoteSqs), from the sender
// account that owns it, as a publisher role would.
type topicKind struct{}

// Kind is this kind's channel of the smoke test, its entry in the kinds map of `crosswire send` (internal/sendcmd).
var Kind smoke.Kind = topicKind{}

func (topicKind) Open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who smoke.Sender, s smoke.Settings) (smoke.Channel, string, smoke.Status) {
	tl0, ok := l.Spec.(topiclink.Link)
	if !ok {
		return nil, "failed: the topology holds no topic settings for this topic link", smoke.NotDelivered
	}
	tl := tl0.WithDefaults()
	if tl.SenderAccount != who.ID {
		return nil, fmt.Sprintf("skipped: only the sender account %s publishes to topic %s, not checked", tl.SenderAccount, tl.TopicName()), smoke.Skipped
	}
	cfg, from, line := smoke.AsSender(ctx, cfg, s, l.Name, who, tl.PublisherRoles()[0], "publisher role")
	if line != "" {
		return nil, line, smoke.NotDelivered
	}
	cfg.Region = tl.Region
	return &topicChannel{
		client:   sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(s.SNSEndpoint) }),
		link:     tl,
		t:        t,
		from:     from,
		endpoint: s.SNSEndpoint,
		sts:      s.STSEndpoint,
	}, "", smoke.Delivered
}

type topicChannel struct {
	client   *sns.Client
	link     topiclink.Link
	t        *topology.Topology
	from     smoke.Origin
	endpoint string
	sts      string // the STS endpoint, which renews assumed credentials
}

// send publishes body with the smoke-test attribute; to a FIFO topic in the smoke
// test's message group, with a random deduplication ID unless the topic
// deduplicates by content.
func (c *topicChannel) Send(ctx context.Context, body string) (string, error) {
	l := c.link
	in := &sns.PublishInput{
		TopicArn: aws.String(l.TopicArn()),
		Message:  aws.String(body),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			smoke.TestAttribute: {DataType: aws.String("String"), StringValue: aws.String(l.Name)},
		},
	}
	if l.Fifo {
		in.MessageGroupId = aws.String(smoke.GroupID)
		if !l.ContentBasedDeduplication {
			in.MessageDeduplicationId = aws.String(smoke.RandomID())
		}
	}
	out, err := c.client.Publish(ctx, in)
	if err != nil {
		return "", err
	}
	ref := fmt.Sprintf("message %s accepted by topic %s; delivery to the queues of %s is not checked here", aws.ToString(out.MessageId), l.TopicName(), c.receivers())
	var filtered []string
	for _, a := range l.ReceiverAccounts {
		if l.ReceiverOptionsOf(a).FilterPolicy != nil {
			filtered = append(filtered, c.alias(a))
		}
	}
	if len(filtered) > 0 {
		ref += fmt.Sprintf(", and the filter policy of %s may drop it", strings.Join(filtered, ", "))
	}
	return ref, nil
}

func (c *topicChannel) receivers() string {
	names := make([]string, len(c.link.ReceiverAccounts))
	for i, a := range c.link.ReceiverAccounts {
		names[i] = c.alias(a)
	}
	return strings.Join(names, ", ")
}

// alias names an account by its alias, or its ID when the topology has none.
func (c *topicChannel) alias(account string) string {
	if a := c.t.Alias(account); a != "" {
		return a
	}
	return account
}

func (c *topicChannel) Explain(err error) producer.Outcome {
	l := c.link
	o := producer.ClassifyAt(err, c.endpoints())
	publisher := c.from.Requester(strings.Join(l.PublisherRoles(), " or "))
	switch {
	case o.CredentialsRejected():
		o.Hint = smoke.CredentialsHint("SNS", c.from, l.Region)
	case o.KeyDenied() && l.Encryption == topiclink.TopicEncryptionAWSManaged:
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("topic %s uses the AWS managed key alias/aws/sns, which admits only principals of account %s: look at the identity policy of %s",
			l.TopicName(), l.SenderAccount, publisher))
	case o.KeyDenied():
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the key policy of %s in %s and the identity policy of %s (kms:GenerateDataKey and kms:Decrypt through SNS for this topic)",
			l.KeyAlias(), l.SenderAccount, publisher))
	case o.Class == producer.Denied:
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the topic policy of %s (sns:Publish only for %s) and the identity policy of %s (sns:Publish on the topic)",
			l.TopicArn(), strings.Join(l.PublisherRoles(), " or "), publisher))
	case o.Class == producer.Missing:
		o.Hint = fmt.Sprintf("no topic %s in account %s; deploy the sender stack of link %s there", l.TopicName(), l.SenderAccount, l.Name)
	}
	return o
}

// note warns when the caller is not a publisher role: the topic policy admits only
// those.
func (c *topicChannel) Note(o producer.Outcome) string {
	if o.Class != producer.Denied || o.CredentialsRejected() {
		return ""
	}
	return smoke.NotAdmitted(c.from, "publisher role", "whose topic policy admits only %s", c.link.PublisherRoles())
}

func (c *topicChannel) Route() smoke.Route {
	return smoke.Route{Endpoint: c.endpoint, Identity: c.from.String()}
}

// endpoints are the endpoints the channel's requests go to, by IAM prefix.
func (c *topicChannel) endpoints() map[string]string {
	return map[string]string{"sns": c.endpoint, "sts": c.sts}
}
