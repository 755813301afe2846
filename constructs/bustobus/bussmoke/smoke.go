// Package bussmoke puts the smoke test's event, one that matches the link's pattern, on the
// sender's own event bus of bus links (BusToBus).
package bussmoke

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// busKind puts a test event that matches the link's pattern on the sender's own event
// bus (senderBus) of bus links (BusToBus). That is all it can check from the sender:
// the link's rule forwards the event to the receiver through a role that only
// EventBridge assumes, and the receiver's side is in another account.
type busKind struct{}

// Kind is this kind's channel of the smoke test, its entry in the kinds map of `crosswire send` (internal/sendcmd).
var Kind smoke.Kind = busKind{}

func (busKind) Open(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who smoke.Sender, s smoke.Settings) (smoke.Channel, string, smoke.Status) {
	bl0, ok := l.Spec.(buslink.Link)
	if !ok {
		return nil, "failed: the topology holds no bus settings for this bus link", smoke.NotDelivered
	}
	bl := bl0.WithDefaults()
	if !slices.Contains(bl.SenderAccounts, who.ID) {
		return nil, fmt.Sprintf("skipped: account %s is no sender account of the link, not checked", who.ID), smoke.Skipped
	}
	// The event goes on the sender's bus, in the sender's region.
	region := bl.SenderRegion(who.ID)
	e, err := matchingEvent(bl.EventPattern, who.ID, region)
	if err != nil {
		return nil, fmt.Sprintf("skipped: cannot build an event matching the pattern: %v; not checked", err), smoke.Skipped
	}
	// The caller puts the event itself, as the account's workloads do: the link's
	// only role in the sender account is the forwarder, which EventBridge assumes.
	from := smoke.Origin{Link: l.Name, Who: who, What: "sender"}
	cfg.Region = region
	return &busChannel{
		client:   eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(s.EventsEndpoint) }),
		link:     bl,
		event:    e,
		from:     from,
		account:  who.ID,
		receiver: l.To[0],
		endpoint: s.EventsEndpoint,
		sts:      s.STSEndpoint,
		assume:   s.AssumeSenderRole,
	}, "", smoke.Delivered
}

type busChannel struct {
	client   *eventbridge.Client
	link     buslink.Link
	event    event
	from     smoke.Origin
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
	return awsarn.EventBus(c.link.SenderRegion(c.account), c.account, c.link.SenderBus)
}

// send puts one event matching the link's pattern, whose detail is body with the
// fields the pattern requires, on the sender's bus.
func (c *busChannel) Send(ctx context.Context, body string) (string, error) {
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

func (c *busChannel) Explain(err error) producer.Outcome {
	l := c.link
	o := producer.ClassifyAt(err, c.endpoints())
	caller := c.from.Requester("the caller")
	var fe *failedEntryError
	entry := errors.As(err, &fe)
	switch {
	case o.CredentialsRejected():
		o.Hint = smoke.CredentialsHint("EventBridge", c.from, l.Region)
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

func (c *busChannel) Note(producer.Outcome) string { return "" }

func (c *busChannel) Route() smoke.Route {
	id := c.from.String()
	if c.assume {
		id += "; -assume-sender-role does not apply to bus links: the caller puts the event itself"
	}
	return smoke.Route{Endpoint: c.endpoint, Identity: id}
}

// endpoints are the endpoints the channel's requests go to, by IAM prefix.
func (c *busChannel) endpoints() map[string]string {
	return map[string]string{"events": c.endpoint, "sts": c.sts}
}

// Source and detail type of the test event when the pattern does not test them.
const (
	testSource     = "crosswire.smoke-test"
	testDetailType = "Crosswire smoke test"
)

// event is a test event that a link's event pattern matches: the fields PutEvents
// sets. EventBridge sets the others (account, region, version, id, time).
type event struct {
	source, detailType string
	resources          []string
	// detail holds the fields the pattern requires of the detail; nil when it tests
	// none.
	detail map[string]any
}

// matchingEvent returns the simplest event that pattern matches when account puts it
// on its bus in region: the first plain value of each array the pattern tests
// (source, detail-type, resources and the detail's fields, at any depth). It returns
// an error, saying why, when no such event exists: the pattern tests a field only
// with content filters (prefix, numeric, exists, ...) or $or, tests a field that
// PutEvents cannot set (id, time), names other accounts or regions only, or names
// only aws.* sources, which PutEvents refuses because only AWS services send them.
func matchingEvent(pattern buslink.EventPattern, account, region string) (event, error) {
	m, err := decodePattern(pattern)
	if err != nil {
		return event{}, err
	}
	e := event{source: testSource, detailType: testDetailType}
	for _, k := range sortedKeys(m) {
		v := m[k]
		if k == "detail" {
			d, ok := v.(map[string]any)
			if !ok {
				return event{}, fmt.Errorf("detail must be an object of fields to match, not %s", compact(v))
			}
			if e.detail, err = matchingObject(d, "detail"); err != nil {
				return event{}, err
			}
			continue
		}
		values, ok := v.([]any)
		if !ok {
			return event{}, fmt.Errorf("%s is tested as an object, which no field of an event put with PutEvents can match", k)
		}
		switch k {
		case "source":
			sources := plainStrings(values)
			i := slices.IndexFunc(sources, func(s string) bool { return !strings.HasPrefix(s, "aws.") })
			switch {
			case len(sources) == 0:
				return event{}, fmt.Errorf("source is tested only by %s; only a plain value can be sent", compact(values))
			case i < 0:
				return event{}, fmt.Errorf("source %s is reserved for AWS services, whose events PutEvents cannot send; only a real event of that service tests this link", strings.Join(sources, ", "))
			}
			e.source = sources[i]
		case "detail-type":
			s, err := first(values, k)
			if err != nil {
				return event{}, err
			}
			e.detailType = s
		case "resources":
			s, err := first(values, k)
			if err != nil {
				return event{}, err
			}
			e.resources = []string{s}
		case "account", "region", "version":
			set := map[string]string{"account": account, "region": region, "version": "0"}[k]
			if !slices.Contains(plainStrings(values), set) {
				return event{}, fmt.Errorf("%s is tested for %s, but EventBridge sets it to %s for this event", k, compact(values), set)
			}
		default:
			return event{}, fmt.Errorf("%s is tested, which an event put with PutEvents cannot set", k)
		}
	}
	return e, nil
}

// decodePattern parses pattern, keeping numbers as they are written.
func decodePattern(pattern buslink.EventPattern) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(pattern)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("the event pattern is not a JSON object")
	}
	return m, nil
}

// matchingObject returns the fields that the pattern object m, at path, requires.
func matchingObject(m map[string]any, path string) (map[string]any, error) {
	out := map[string]any{}
	for _, k := range sortedKeys(m) {
		field := path + "." + k
		if strings.HasPrefix(k, "$") {
			return nil, fmt.Errorf("%s is tested with %s; only fields of plain values can be satisfied here", path, k)
		}
		switch v := m[k].(type) {
		case map[string]any:
			sub, err := matchingObject(v, field)
			if err != nil {
				return nil, err
			}
			out[k] = sub
		case []any:
			i := slices.IndexFunc(v, isPlain)
			if i < 0 {
				return nil, fmt.Errorf("%s is tested only by %s; only a plain value can be sent", field, compact(v))
			}
			out[k] = v[i]
		default:
			return nil, fmt.Errorf("%s is %s, not an array of values to match", field, compact(v))
		}
	}
	return out, nil
}

// isPlain reports whether a value of a pattern's array is matched by equality: a
// string, number, boolean or null, rather than a content filter object.
func isPlain(v any) bool {
	switch v.(type) {
	case string, json.Number, bool, nil:
		return true
	}
	return false
}

// plainStrings returns the strings among values, in order.
func plainStrings(values []any) []string {
	var out []string
	for _, v := range values {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// first returns the first string among the values the pattern tests field with.
func first(values []any, field string) (string, error) {
	if s := plainStrings(values); len(s) > 0 {
		return s[0], nil
	}
	return "", fmt.Errorf("%s is tested only by %s; only a plain string can be sent", field, compact(values))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compact renders v as compact JSON, as a topology file's author wrote it (">=" not
// "\u003e=").
func compact(v any) string { return jsonx.String(v) }

// detailJSON returns the event's detail: the test message body (a JSON object) with
// the fields the pattern requires put over it.
func (e event) detailJSON(body string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		return "", fmt.Errorf("the test message is not a JSON object: %v", err)
	}
	merge(d, e.detail)
	b, err := jsonx.Marshal(d)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// merge puts the fields of src over dst, merging objects found in both.
func merge(dst, src map[string]any) {
	for k, v := range src {
		sub, isObject := v.(map[string]any)
		if have, ok := dst[k].(map[string]any); ok && isObject {
			merge(have, sub)
			continue
		}
		if isObject {
			fresh := map[string]any{}
			merge(fresh, sub)
			v = fresh
		}
		dst[k] = v
	}
}
