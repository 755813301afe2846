// Package streamsmoke puts the smoke test's record on the stream of stream links
// (SharedKinesisEFO), from the producer account that owns it, as a producer role would.
package streamsmoke

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// streamKind puts a record on the stream of stream links (SharedKinesisEFO), from the
// producer account that owns it, as a producer role would.
type streamKind struct{}

// Kind is this kind's channel of the smoke test, its entry in the kinds map of `crosswire send` (internal/sendcmd).
var Kind smoke.Kind = streamKind{}

func (streamKind) Open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who smoke.Sender, s smoke.Settings) (smoke.Channel, string, smoke.Status) {
	sl0, ok := l.Spec.(streamlink.Link)
	if !ok {
		return nil, "failed: the topology holds no stream settings for this stream link", smoke.NotDelivered
	}
	sl := sl0.WithDefaults()
	if sl.ProducerAccount != who.ID {
		return nil, fmt.Sprintf("skipped: only the producer account %s puts records on stream %s, not checked", sl.ProducerAccount, sl.StreamName()), smoke.Skipped
	}
	cfg, from, line := smoke.AsSender(ctx, cfg, s, l.Name, who, sl.ProducerRoles()[0], "producer role")
	if line != "" {
		return nil, line, smoke.NotDelivered
	}
	cfg.Region = sl.Region
	return &streamChannel{
		// The regional endpoint, which the private DNS of a Kinesis interface
		// endpoint covers: with a stream ARN and no endpoint the SDK would pick
		// <account>.data-kinesis.<region>.amazonaws.com.
		client:   kinesis.NewFromConfig(cfg, func(o *kinesis.Options) { o.BaseEndpoint = aws.String(s.KinesisEndpoint) }),
		link:     sl,
		to:       strings.Join(l.To, ", "),
		from:     from,
		endpoint: s.KinesisEndpoint,
		sts:      s.STSEndpoint,
	}, "", smoke.Delivered
}

type streamChannel struct {
	client   *kinesis.Client
	link     streamlink.Link
	to       string // the consumer accounts' aliases
	from     smoke.Origin
	endpoint string
	sts      string // the STS endpoint, which renews assumed credentials
}

// send puts body, JSON, as one record with the smoke test's partition key.
func (c *streamChannel) Send(ctx context.Context, body string) (string, error) {
	l := c.link
	out, err := c.client.PutRecord(ctx, &kinesis.PutRecordInput{
		StreamARN:    aws.String(l.StreamArn()),
		Data:         []byte(body),
		PartitionKey: aws.String(smoke.GroupID),
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("record %s in %s of stream %s; reading by the consumers of %s is not checked here",
		aws.ToString(out.SequenceNumber), aws.ToString(out.ShardId), l.StreamName(), c.to), nil
}

func (c *streamChannel) Explain(err error) producer.Outcome {
	l := c.link
	o := producer.ClassifyAt(err, c.endpoints())
	role := c.from.Requester(strings.Join(l.ProducerRoles(), " or "))
	switch {
	case o.CredentialsRejected():
		o.Hint = smoke.CredentialsHint("Kinesis", c.from, l.Region)
	case o.KeyDenied():
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the key policy of %s in %s and the identity policy of %s (kms:GenerateDataKey through Kinesis for this stream)",
			l.KeyAlias(), l.ProducerAccount, role))
	case o.Class == producer.Denied:
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the identity policy of %s (kinesis:PutRecord on %s); the stream's resource policy admits only the consumers and plays no part for producers",
			role, l.StreamArn()))
	case o.Class == producer.Missing:
		o.Hint = fmt.Sprintf("no stream %s in account %s; deploy the producer stack of link %s there", l.StreamName(), l.ProducerAccount, l.Name)
	}
	return o
}

// note warns when the caller is not a producer role: Crosswire grants only those.
func (c *streamChannel) Note(o producer.Outcome) string {
	if o.Class != producer.Denied || o.CredentialsRejected() {
		return ""
	}
	return smoke.NotAdmitted(c.from, "producer role", "and Crosswire grants kinesis:PutRecord only to %s", c.link.ProducerRoles())
}

func (c *streamChannel) Route() smoke.Route {
	return smoke.Route{Endpoint: c.endpoint, Identity: c.from.String()}
}

// endpoints are the endpoints the channel's requests go to, by IAM prefix.
func (c *streamChannel) endpoints() map[string]string {
	return map[string]string{"kinesis": c.endpoint, "sts": c.sts}
}
