// Package queuesmoke sends the smoke test's message through queue links (CrossAccountQueue): with a
// producer.Client, from a sender account, to the queue in the receiver account.
package queuesmoke

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// queueKind sends through queue links (CrossAccountQueue) with a producer.Client.
type queueKind struct{}

// Kind is this kind's channel of the smoke test, its entry in the kinds map of `crosswire send` (internal/sendcmd).
var Kind smoke.Kind = queueKind{}

func (queueKind) Open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who smoke.Sender, s smoke.Settings) (smoke.Channel, string, smoke.Status) {
	ql, ok := l.Spec.(queuelink.Link)
	if !ok {
		return nil, "failed: the topology holds no queue settings for this queue link", smoke.NotDelivered
	}
	cfg, from, line := smoke.AsSender(ctx, cfg, s, l.Name, who, ql.SenderRolesOf(who.ID)[0], "sender role")
	if line != "" {
		return nil, line, smoke.NotDelivered
	}
	c, err := producer.New(cfg, ql, func(o *producer.Options) {
		o.Endpoint = s.Endpoint
		o.STSEndpoint = s.STSEndpoint
		o.SenderAccount = who.ID
		o.SessionName = smoke.SessionName(l.Name)
	})
	if err != nil {
		return nil, "failed: " + err.Error(), smoke.NotDelivered
	}
	return &queueChannel{client: c, from: from}, "", smoke.Delivered
}

type queueChannel struct {
	client *producer.Client
	from   smoke.Origin
}

func (q *queueChannel) Send(ctx context.Context, body string) (string, error) {
	id, err := q.client.Send(ctx, body, producer.GroupID(smoke.GroupID), producer.Attribute(smoke.TestAttribute, q.from.Link))
	if err != nil {
		return "", err
	}
	return "message " + id, nil
}

func (q *queueChannel) Explain(err error) producer.Outcome { return q.client.Explain(err) }

// note warns when the caller is not one of the roles the link admits: with
// allow: roles only the sender roles of the account may send (or assume the access
// role).
func (q *queueChannel) Note(o producer.Outcome) string {
	l := q.client.Link()
	if o.Class != producer.Denied || l.Allow != queuelink.AllowRoles {
		return ""
	}
	return smoke.NotAdmitted(q.from, "sender role", "which admits only %s", l.SenderRolesOf(q.from.Who.ID))
}

func (q *queueChannel) Route() smoke.Route {
	id := q.client.Identity()
	if id.AssumedRoleArn == "" {
		return smoke.Route{Endpoint: id.Endpoint, Identity: q.from.String()}
	}
	return smoke.Route{Endpoint: id.Endpoint, Identity: fmt.Sprintf("%s via %s, from %s", id.Credentials(), id.STSEndpoint, q.from)}
}
