package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// queueKind sends through queue links (CrossAccountQueue) with a producer.Client.
type queueKind struct{}

func (queueKind) open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who sender, s settings) (channel, string) {
	if l.Queue == nil {
		return nil, "failed: the topology holds no queue settings for this queue link"
	}
	q := &queueChannel{link: l.Name, who: who}
	if s.assumeSenderRole {
		q.senderRole = l.Queue.SenderRolesOf(who.id)[0]
		creds, err := assumeSenderRole(ctx, cfg, s, q.senderRole, sessionName(l.Name))
		if err != nil {
			return nil, fmt.Sprintf("%s; endpoint %s; identity %s", q.explainSenderRole(err), s.stsEndpoint, q.base())
		}
		cfg = cfg.Copy()
		cfg.Credentials = creds
	}
	c, err := producer.New(cfg, *l.Queue, func(o *producer.Options) {
		o.Endpoint = s.endpoint
		o.STSEndpoint = s.stsEndpoint
		o.SenderAccount = who.id
		o.SessionName = sessionName(l.Name)
	})
	if err != nil {
		return nil, "failed: " + err.Error()
	}
	q.client = c
	return q, ""
}

// assumeSenderRole assumes role with the credentials of cfg and returns the cached
// credentials of the session, already retrieved once so that a refusal shows here and
// not as a failure of the link's own AssumeRole or send.
func assumeSenderRole(ctx context.Context, cfg aws.Config, s settings, role, session string) (aws.CredentialsProvider, error) {
	client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.stsEndpoint) })
	creds := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(client, role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
	}))
	if _, err := creds.Retrieve(ctx); err != nil {
		return nil, err
	}
	return creds, nil
}

// sessionName names the role sessions of the smoke test, so that CloudTrail tells test
// messages from production.
func sessionName(link string) string {
	s := "crosswire-send-" + link
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

type queueChannel struct {
	client *producer.Client
	link   string
	who    sender
	// senderRole is the sender role assumed with -assume-sender-role, or "".
	senderRole string
}

func (q *queueChannel) send(ctx context.Context, body string) (string, error) {
	id, err := q.client.Send(ctx, body, producer.GroupID(groupID), producer.Attribute(smokeTestAttribute, q.link))
	if err != nil {
		return "", err
	}
	return "message " + id, nil
}

func (q *queueChannel) explain(err error) producer.Outcome { return q.client.Explain(err) }

// explainSenderRole explains why the sender role could not be assumed.
func (q *queueChannel) explainSenderRole(err error) string {
	o := producer.Classify(err)
	if o.Class == producer.Denied && o.Code == "AccessDenied" {
		o.Hint = fmt.Sprintf("look at the trust policy of the sender role %s in %s and at sts:AssumeRole in the identity policy of %s; if the sender stack is not deployed yet, the role does not exist",
			q.senderRole, q.who.id, callerOr(q.who.caller, "the credentials"))
	}
	return o.String()
}

func callerOr(caller, otherwise string) string {
	if caller == "" {
		return otherwise
	}
	return caller
}

// note warns when the caller is not one of the roles the link admits: with
// allow: roles only the sender roles of the account may send (or assume the access
// role).
func (q *queueChannel) note(o producer.Outcome) string {
	l := q.client.Link()
	if o.Class != producer.Denied || l.Allow != crossaccountqueue.AllowRoles || q.who.caller == "" || q.senderRole != "" {
		return ""
	}
	role := callerRole(q.who.caller)
	admitted := l.SenderRolesOf(q.who.id)
	if role == "" || slices.ContainsFunc(admitted, func(a string) bool { return sameRole(a, role) }) {
		return ""
	}
	return fmt.Sprintf("note: the caller is not a sender role of link %s, which admits only %s; run as that role or give -assume-sender-role",
		l.Name, strings.Join(admitted, " or "))
}

// base describes the credentials the link's requests start from.
func (q *queueChannel) base() string {
	switch {
	case q.senderRole != "":
		return fmt.Sprintf("sender role %s (session %s)", q.senderRole, sessionName(q.link))
	case q.who.caller != "":
		return fmt.Sprintf("%s (%s)", producer.OwnCredentials, q.who.caller)
	default:
		return producer.OwnCredentials
	}
}

func (q *queueChannel) route() route {
	id := q.client.Identity()
	if id.AssumedRoleArn == "" {
		return route{endpoint: id.Endpoint, identity: q.base()}
	}
	return route{endpoint: id.Endpoint, identity: fmt.Sprintf("%s via %s, from %s", id.Credentials(), id.STSEndpoint, q.base())}
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
