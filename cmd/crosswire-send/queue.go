package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// queueKind sends through queue links (CrossAccountQueue) with a producer.Client.
type queueKind struct{}

func (queueKind) open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who sender, s settings) (channel, string, status) {
	ql, ok := l.Spec.(queuelink.Link)
	if !ok {
		return nil, "failed: the topology holds no queue settings for this queue link", notDelivered
	}
	cfg, from, line := asSender(ctx, cfg, s, l.Name, who, ql.SenderRolesOf(who.id)[0], "sender role")
	if line != "" {
		return nil, line, notDelivered
	}
	c, err := producer.New(cfg, ql, func(o *producer.Options) {
		o.Endpoint = s.endpoint
		o.STSEndpoint = s.stsEndpoint
		o.SenderAccount = who.id
		o.SessionName = sessionName(l.Name)
	})
	if err != nil {
		return nil, "failed: " + err.Error(), notDelivered
	}
	return &queueChannel{client: c, from: from}, "", delivered
}

type queueChannel struct {
	client *producer.Client
	from   origin
}

func (q *queueChannel) send(ctx context.Context, body string) (string, error) {
	id, err := q.client.Send(ctx, body, producer.GroupID(groupID), producer.Attribute(smokeTestAttribute, q.from.link))
	if err != nil {
		return "", err
	}
	return "message " + id, nil
}

func (q *queueChannel) explain(err error) producer.Outcome { return q.client.Explain(err) }

// note warns when the caller is not one of the roles the link admits: with
// allow: roles only the sender roles of the account may send (or assume the access
// role).
func (q *queueChannel) note(o producer.Outcome) string {
	l := q.client.Link()
	if o.Class != producer.Denied || l.Allow != queuelink.AllowRoles {
		return ""
	}
	return notAdmitted(q.from, "sender role", "which admits only %s", l.SenderRolesOf(q.from.who.id))
}

func (q *queueChannel) route() route {
	id := q.client.Identity()
	if id.AssumedRoleArn == "" {
		return route{endpoint: id.Endpoint, identity: q.from.String()}
	}
	return route{endpoint: id.Endpoint, identity: fmt.Sprintf("%s via %s, from %s", id.Credentials(), id.STSEndpoint, q.from)}
}
