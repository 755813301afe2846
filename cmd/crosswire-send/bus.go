package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// busKind puts a test event that matches the link's pattern on the sender's own event
// bus (senderBus) of bus links (BusToBus). That is all it can check from the sender:
// the link's rule forwards the event to the receiver through a role that only
// EventBridge assumes, and the receiver's side is in another account.
type busKind struct{}

func (busKind) open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who sender, s settings) (channel, string, status) {
	bl0, ok := l.Spec.(buslink.Link)
	if !ok {
		return nil, "failed: the topology holds no bus settings for this bus link", notDelivered
	}
	bl := bl0.WithDefaults()
	if !slices.Contains(bl.SenderAccounts, who.id) {
		return nil, fmt.Sprintf("skipped: account %s is no sender account of the link, not checked", who.id), skipped
	}
	e, err := matchingEvent(bl.EventPattern, who.id, bl.Region)
	if err != nil {
		return nil, fmt.Sprintf("skipped: cannot build an event matching the pattern: %v; not checked", err), skipped
	}
	// The caller puts the event itself, as the account's workloads do: the link's
	// only role in the sender account is the forwarder, which EventBridge assumes.
	from := origin{link: l.Name, who: who, what: "sender"}
	cfg.Region = bl.Region
	return &busChannel{
		client:   eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(s.eventsEndpoint) }),
		link:     bl,
		event:    e,
		from:     from,
		account:  who.id,
		receiver: l.To[0],
		endpoint: s.eventsEndpoint,
		sts:      s.stsEndpoint,
		assume:   s.assumeSenderRole,
	}, "", delivered
}

type busChannel struct {
	client   *eventbridge.Client
	link     buslink.Link
	event    event
	from     origin
	account  string // the sender account
	receiver string // the receiver account's alias
	endpoint string
	sts      string // the STS endpoint, which renews assumed credentials
	assume   bool   // -assume-sender-role was given, and does not apply
}

// failedEntryError is the event that PutEvents accepted as a request but counted in
// FailedEntryCount, with the entry's error code and message.
type failedEntryError struct {
	count         int32
	code, message string
}

func (e *failedEntryError) Error() string {
	return fmt.Sprintf("FailedEntryCount %d: %s: %s", e.count, e.code, e.message)
}

// ErrorCode, ErrorMessage and ErrorFault make the failed entry a smithy.APIError,
// which producer.Classify classifies by its code.
func (e *failedEntryError) ErrorCode() string             { return e.code }
func (e *failedEntryError) ErrorMessage() string          { return e.message }
func (e *failedEntryError) ErrorFault() smithy.ErrorFault { return smithy.FaultUnknown }

func (c *busChannel) busArn() string {
	return awsarn.EventBus(c.link.Region, c.account, c.link.SenderBus)
}

// send puts one event matching the link's pattern, whose detail is body with the
// fields the pattern requires, on the sender's bus.
func (c *busChannel) send(ctx context.Context, body string) (string, error) {
	l := c.link
	detail, err := c.event.detailJSON(body)
	if err != nil {
		return "", err
	}
	entry := ebtypes.PutEventsRequestEntry{
		EventBusName: aws.String(l.SenderBus),
		Source:       aws.String(c.event.source),
		DetailType:   aws.String(c.event.detailType),
		Detail:       aws.String(detail),
		Resources:    c.event.resources,
	}
	out, err := c.client.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{entry}})
	if err != nil {
		return "", err
	}
	if out.FailedEntryCount > 0 || len(out.Entries) == 0 {
		fe := &failedEntryError{count: out.FailedEntryCount, code: "FailedEntry", message: "PutEvents answered without the entry"}
		if len(out.Entries) > 0 {
			fe.code, fe.message = aws.ToString(out.Entries[0].ErrorCode), aws.ToString(out.Entries[0].ErrorMessage)
		}
		return "", &smithy.OperationError{ServiceID: "EventBridge", OperationName: "PutEvents", Err: fe}
	}
	return fmt.Sprintf("event %s accepted by the sender's event bus %s: only the bus's acceptance is checked; whether rule %s forwards it to %s cannot be seen from here",
		aws.ToString(out.Entries[0].EventId), l.SenderBus, l.SenderRuleName(), c.receiver), nil
}

func (c *busChannel) explain(err error) producer.Outcome {
	l := c.link
	o := producer.ClassifyAt(err, c.endpoints())
	caller := c.from.requester("the caller")
	var fe *failedEntryError
	entry := errors.As(err, &fe)
	switch {
	case o.CredentialsRejected():
		o.Hint = credentialsHint("EventBridge", c.from, l.Region)
	case o.KeyDenied():
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the key policy of the key that encrypts event bus %s and the identity policy of %s (kms:GenerateDataKey)", c.busArn(), caller))
	case o.Class == producer.Denied:
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the identity policy of %s (events:PutEvents on %s); the link's rule %s and its role %s are EventBridge's and cannot be tested from here",
			caller, c.busArn(), l.SenderRuleName(), l.SenderRoleName()))
	case o.Class == producer.Missing:
		o.Hint = fmt.Sprintf("no event bus %s in account %s: senderBus must name an existing bus, which Crosswire does not create", l.SenderBus, c.account)
	case entry:
		o.Hint = fmt.Sprintf("event bus %s took the request but refused the event", l.SenderBus)
	}
	if entry && o.Hint != "" {
		o.Hint = fmt.Sprintf("FailedEntryCount %d: %s", fe.count, o.Hint)
	}
	return o
}

func (c *busChannel) note(producer.Outcome) string { return "" }

func (c *busChannel) route() route {
	id := c.from.String()
	if c.assume {
		id += "; -assume-sender-role does not apply to bus links: the caller puts the event itself"
	}
	return route{endpoint: c.endpoint, identity: id}
}

// endpoints are the endpoints the channel's requests go to, by IAM prefix.
func (c *busChannel) endpoints() map[string]string {
	return map[string]string{"events": c.endpoint, "sts": c.sts}
}
