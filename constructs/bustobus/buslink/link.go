// Package bustobus builds the BusToBus construct: events that match a pattern on the
// event bus of each sender account reach targets — a Lambda function, an SQS queue or
// an SNS topic — in a receiver account.
//
// In bus mode a rule on each sender's bus forwards the events to an event bus of the
// receiver, whose own rule delivers them to the targets (the classic two-hop
// cross-account EventBridge set-up). In direct mode the sender's rule delivers straight
// to the target in the receiver account through an execution role (EventBridge
// supports this since January 2025 for SQS, Lambda, SNS, Kinesis and API Gateway in the
// same region; aws-cdk-lib does not offer it, so rules are built at the L1 level).
//
// Both halves compute each other's names and ARNs from the Link alone.
// Package buslink describes a bus link of bustobus in plain Go: the accounts, options,
// defaults, names, ARNs and validation that both halves of the link, the topology
// and the smoke test share. It does not import the CDK.
package buslink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/linkcheck"
	"github.com/crosswire/crosswire/internal/problem"
)

// Mode says how events cross from the sender accounts to the receiver account.
type Mode string

const (
	// ModeBus forwards events to an event bus in the receiver account, whose rule
	// delivers them to the targets. This is the default.
	ModeBus Mode = "bus"
	// ModeDirect delivers events from the sender's rule straight to one target in the
	// receiver account, through an execution role in the sender account and the
	// target's resource policy. There is no event bus in the receiver account.
	ModeDirect Mode = "direct"
)

// ReceiverBus says which event bus of the receiver account the senders forward to
// (ModeBus only).
type ReceiverBus string

const (
	// ReceiverBusCustom creates an event bus named after the link (Link.BusName). This
	// is the default: the link's events stay apart from the account's own.
	ReceiverBusCustom ReceiverBus = "custom"
	// ReceiverBusDefault uses the receiver account's default event bus.
	ReceiverBusDefault ReceiverBus = "default"
)

// Target is a kind of resource in the receiver account that gets the link's events.
type Target string

const (
	// TargetLambda is a Go Lambda function (lambdas/eventlogger) that logs every event
	// as one JSON line.
	TargetLambda Target = "lambda"
	// TargetQueue is an SQS queue with its own dead-letter queue.
	TargetQueue Target = "queue"
	// TargetTopic is an SNS topic encrypted with a customer managed key (ModeDirect
	// only).
	TargetTopic Target = "topic"
)

// Allow says which principals of the sender side the receiver admits.
type Allow string

const (
	// AllowAccounts admits exactly the link's sender accounts: in bus mode only their
	// forwarding rules (aws:SourceArn), in direct mode only their execution roles
	// (aws:PrincipalArn; see the Lambda caveat in the README). This is the default.
	AllowAccounts Allow = "accounts"
	// AllowOrganization admits every account of the AWS Organization
	// (aws:PrincipalOrgID), still only through a rule or execution role with the link's
	// name, so that accounts can join without a change on the receiver side.
	AllowOrganization Allow = "organization"
)

// Defaults of Options, applied by Link.WithDefaults, and fixed settings.
const (
	// DefaultRetryAttempts is the EventBridge maximum, so an event is given up only
	// when it is too old.
	DefaultRetryAttempts = 185
	// DefaultMaxEventAge is the EventBridge maximum.
	DefaultMaxEventAge = 24 * time.Hour
	// DefaultArchiveRetentionDays is how long an archive keeps events for replay.
	DefaultArchiveRetentionDays = 30
	// DeadLetterRetention is the retention of every dead-letter queue: the SQS maximum.
	DeadLetterRetention = 14 * 24 * time.Hour
	// QueueRetention, QueueVisibilityTimeout, QueueReceiveWaitTime and
	// QueueMaxReceiveCount are the settings of the receiver's queue (TargetQueue).
	QueueRetention         = 4 * 24 * time.Hour
	QueueVisibilityTimeout = 30 * time.Second
	QueueReceiveWaitTime   = 20 * time.Second
	QueueMaxReceiveCount   = 5
	// MaxEventPatternLength is the default EventBridge quota on the size of an event
	// pattern (it can be raised to 4,096 on request; Crosswire keeps to the default).
	MaxEventPatternLength = 2048
	// MaxTargetsPerRule is the EventBridge limit of targets on one rule.
	MaxTargetsPerRule = 5
)

// AWS limits checked by Validate.
const (
	maxBusNameLen       = 256
	maxRuleNameLen      = 64
	maxRoleNameLen      = 64
	maxQueueNameLen     = 80
	maxFunctionNameLen  = 64
	maxTopicNameLen     = 256
	maxArchiveNameLen   = 48
	maxStatementIDLen   = 64
	maxRetryAttempts    = 185
	minMaxEventAge      = time.Minute
	maxMaxEventAge      = 24 * time.Hour
	minArchiveRetention = 1
)

// EventPattern is an EventBridge event pattern as JSON text, for example
// {"source":["aws.ec2"]}. In a topology file it is written either as a YAML mapping
// (source: [aws.ec2]) or as a string holding the JSON; both become this JSON text.
type EventPattern string

// UnmarshalYAML reads an event pattern from YAML: a mapping is converted to JSON, a
// string is taken as JSON text. It has the signature that both gopkg.in/yaml.v2 and v3
// call, so this package needs no YAML dependency.
func (p *EventPattern) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		*p = EventPattern(s)
		return nil
	}
	var m map[string]any
	if err := unmarshal(&m); err != nil {
		return fmt.Errorf("an event pattern must be a mapping or a string holding a JSON object")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("event pattern: %v", err)
	}
	*p = EventPattern(b)
	return nil
}

// Object parses the pattern into the value a CloudFormation template holds.
func (p EventPattern) Object() (map[string]any, error) {
	var v any
	if err := json.Unmarshal([]byte(p), &v); err != nil {
		return nil, fmt.Errorf("event pattern is not valid JSON: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("event pattern must be a JSON object, not %s", jsonKind(v))
	}
	return m, nil
}

// Compact returns the pattern as compact JSON, the form whose length EventBridge
// limits. It returns the pattern unchanged when it is not valid JSON.
func (p EventPattern) Compact() string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(p)); err != nil {
		return string(p)
	}
	return b.String()
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// Options are the per-link settings of a bus link. In a topology file they are the
// link's `options`, with the YAML names given in the tags.
type Options struct {
	// Mode says how events cross accounts. Default: ModeBus.
	Mode Mode `yaml:"mode"`
	// EventPattern selects the events of the senders' bus that cross. Required.
	EventPattern EventPattern `yaml:"eventPattern"`
	// SenderBus is the name of the event bus, in every sender account, whose events
	// are matched. It must exist; Crosswire does not create it. Default: "default", the
	// account's default bus (which carries the events of AWS services).
	SenderBus string `yaml:"senderBus"`
	// ReceiverBus says which event bus of the receiver account the senders forward to.
	// ModeBus only. Default: ReceiverBusCustom.
	ReceiverBus ReceiverBus `yaml:"receiverBus"`
	// Targets get the events in the receiver account: TargetLambda, TargetQueue or
	// both in ModeBus; exactly one of TargetQueue, TargetLambda or TargetTopic in
	// ModeDirect. Default: TargetQueue.
	Targets []Target `yaml:"targets"`
	// RetryAttempts is how often EventBridge retries a failed delivery to a target,
	// 0 to 185, before the event goes to the target's dead-letter queue. A pointer, so
	// that 0 (no retries) can be asked for. Default: 185.
	RetryAttempts *int `yaml:"retryAttempts"`
	// MaxEventAge is how long EventBridge keeps retrying an event, 60s to 24h.
	// Default: 24h.
	MaxEventAge time.Duration `yaml:"maxEventAge"`
	// Archive keeps the link's events on the receiver bus for replay. ModeBus only.
	// Default: no archive.
	Archive bool `yaml:"archive"`
	// ArchiveRetentionDays is how many days the archive keeps events, at least 1
	// (EventBridge's "forever" is not offered). Only with Archive. Default: 30.
	ArchiveRetentionDays int `yaml:"archiveRetentionDays"`
	// Allow says which sender principals the receiver admits. Default: AllowAccounts.
	Allow Allow `yaml:"allow"`
}

// Link describes one cross-account event link: which events of which sender accounts
// reach which targets in which receiver account. The receiver half (NewReceiver) and
// every sender half (NewSender) are built from the same Link, each in its own account's
// stack, possibly in different CDK apps: each computes the other side's names and ARNs
// from the Link alone.
type Link struct {
	// Name of the link; with NamePrefix it forms every physical name.
	Name string
	// NamePrefix is put in front of every physical name as given: include the
	// separator, for example "acme-". Default: none.
	NamePrefix string
	// Region of both sides (EventBridge delivers across accounts, not regions, here).
	Region string
	// ReceiverAccount is the 12-digit ID of the account that owns the targets.
	ReceiverAccount string
	// SenderAccounts are the 12-digit IDs of the accounts whose events cross.
	SenderAccounts []string
	// OrganizationID is the AWS Organization of the accounts (o-...). Required by
	// AllowOrganization. Default: none.
	OrganizationID string
	Options
}

// WithDefaults returns a copy of l with every unset option set to its default.
func (l Link) WithDefaults() Link {
	if l.Mode == "" {
		l.Mode = ModeBus
	}
	if l.SenderBus == "" {
		l.SenderBus = awsarn.DefaultEventBus
	}
	if l.ReceiverBus == "" && l.Mode == ModeBus {
		l.ReceiverBus = ReceiverBusCustom
	}
	if l.Targets == nil {
		l.Targets = []Target{TargetQueue}
	}
	if l.RetryAttempts == nil {
		n := DefaultRetryAttempts
		l.RetryAttempts = &n
	}
	if l.MaxEventAge == 0 {
		l.MaxEventAge = DefaultMaxEventAge
	}
	if l.ArchiveRetentionDays == 0 && l.Archive {
		l.ArchiveRetentionDays = DefaultArchiveRetentionDays
	}
	if l.Allow == "" {
		l.Allow = AllowAccounts
	}
	return l
}

func (l Link) base() string { return l.NamePrefix + l.Name }

// HasTarget reports whether t is among the link's targets (with defaults applied).
func (l Link) HasTarget(t Target) bool { return slices.Contains(l.WithDefaults().Targets, t) }

// BusName is the name of the receiver's event bus (ModeBus): [prefix]name for
// ReceiverBusCustom, "default" for ReceiverBusDefault.
func (l Link) BusName() string {
	if l.WithDefaults().ReceiverBus == ReceiverBusDefault {
		return awsarn.DefaultEventBus
	}
	return l.base()
}

// BusArn is the ARN of the receiver's event bus (ModeBus).
func (l Link) BusArn() string { return awsarn.EventBus(l.Region, l.ReceiverAccount, l.BusName()) }

// BusPolicyStatementID is the statement ID of the receiver bus policy that admits the
// senders: [prefix]name-senders. It is unique on a bus shared by several links.
func (l Link) BusPolicyStatementID() string { return l.base() + "-senders" }

// SenderRuleName is the name of the rule on each sender's bus: [prefix]name-forward.
func (l Link) SenderRuleName() string { return l.base() + "-forward" }

// SenderRuleArn is the ARN of the sender rule in account.
func (l Link) SenderRuleArn(account string) string {
	return awsarn.EventRule(l.Region, account, l.WithDefaults().SenderBus, l.SenderRuleName())
}

// SenderRuleArns are the ARNs of the sender rules of every sender account.
func (l Link) SenderRuleArns() []string {
	out := make([]string, len(l.SenderAccounts))
	for i, a := range l.SenderAccounts {
		out[i] = l.SenderRuleArn(a)
	}
	return out
}

// SenderRoleName is the name of the role EventBridge assumes in each sender account
// to deliver the sender rule's events: [prefix]name-forwarder.
func (l Link) SenderRoleName() string { return l.base() + "-forwarder" }

// SenderRoleArn is the ARN of the sender role in account.
func (l Link) SenderRoleArn(account string) string {
	return awsarn.Role(l.Region, account, l.SenderRoleName())
}

// SenderRoleArns are the ARNs of the sender roles of every sender account.
func (l Link) SenderRoleArns() []string {
	out := make([]string, len(l.SenderAccounts))
	for i, a := range l.SenderAccounts {
		out[i] = l.SenderRoleArn(a)
	}
	return out
}

// SenderDeadLetterQueueName is the name of the dead-letter queue of the sender rule's
// target, in each sender account: [prefix]name-forward-dlq.
func (l Link) SenderDeadLetterQueueName() string { return l.base() + "-forward-dlq" }

// ReceiverRuleName is the name of the rule on the receiver's bus (ModeBus):
// [prefix]name-deliver.
func (l Link) ReceiverRuleName() string { return l.base() + "-deliver" }

// ReceiverRuleArn is the ARN of the receiver's rule (ModeBus).
func (l Link) ReceiverRuleArn() string {
	return awsarn.EventRule(l.Region, l.ReceiverAccount, l.BusName(), l.ReceiverRuleName())
}

// DeliveryDeadLetterQueueName is the name of the dead-letter queue of the receiver
// rule's targets (ModeBus): [prefix]name-deliver-dlq.
func (l Link) DeliveryDeadLetterQueueName() string { return l.base() + "-deliver-dlq" }

// QueueName is the name of the receiver's queue (TargetQueue): [prefix]name.
func (l Link) QueueName() string { return l.base() }

// QueueDeadLetterQueueName is the name of the queue's own dead-letter queue, for
// messages its consumers fail on (TargetQueue): [prefix]name-dlq.
func (l Link) QueueDeadLetterQueueName() string { return l.base() + "-dlq" }

// QueueArn is the ARN of the receiver's queue.
func (l Link) QueueArn() string { return awsarn.Queue(l.Region, l.ReceiverAccount, l.QueueName()) }

// QueueURL is the URL of the receiver's queue.
func (l Link) QueueURL() string {
	return awsarn.QueueURL(l.Region, l.ReceiverAccount, l.QueueName())
}

// FunctionName is the name of the receiver's function (TargetLambda): [prefix]name.
func (l Link) FunctionName() string { return l.base() }

// FunctionArn is the ARN of the receiver's function.
func (l Link) FunctionArn() string {
	return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", awsarn.Partition(l.Region), l.Region, l.ReceiverAccount, l.FunctionName())
}

// TopicName is the name of the receiver's topic (TargetTopic): [prefix]name.
func (l Link) TopicName() string { return l.base() }

// TopicArn is the ARN of the receiver's topic.
func (l Link) TopicArn() string {
	return fmt.Sprintf("arn:%s:sns:%s:%s:%s", awsarn.Partition(l.Region), l.Region, l.ReceiverAccount, l.TopicName())
}

// TopicKeyAlias is the alias of the key that encrypts the receiver's topic:
// alias/[prefix]name-topic.
func (l Link) TopicKeyAlias() string { return "alias/" + l.base() + "-topic" }

// ArchiveName is the name of the archive on the receiver's bus (Archive): [prefix]name.
func (l Link) ArchiveName() string { return l.base() }

// TargetArn is the ARN the sender rule delivers to: the receiver's bus in ModeBus, the
// receiver's queue, function or topic in ModeDirect.
func (l Link) TargetArn() string {
	l = l.WithDefaults()
	if l.Mode == ModeBus {
		return l.BusArn()
	}
	switch l.Targets[0] {
	case TargetLambda:
		return l.FunctionArn()
	case TargetTopic:
		return l.TopicArn()
	default:
		return l.QueueArn()
	}
}

// ReceiverEventPattern is the pattern of the receiver's rule and archive (ModeBus),
// when the pattern does not test the account itself: the link's pattern narrowed to
// events of the sender accounts with AllowAccounts; with AllowOrganization on the
// default bus, to events of any account but the receiver, since a default bus also
// carries the receiver's own events, which must not reach the link's targets.
func (l Link) ReceiverEventPattern() EventPattern {
	l = l.WithDefaults()
	m, err := l.EventPattern.Object()
	if err != nil {
		return l.EventPattern
	}
	if _, tested := m["account"]; tested {
		return l.EventPattern
	}
	switch {
	case l.Allow == AllowAccounts:
		accounts := make([]any, len(l.SenderAccounts))
		for i, a := range l.SenderAccounts {
			accounts[i] = a
		}
		m["account"] = accounts
	case l.ReceiverBus == ReceiverBusDefault:
		// Any organization account may send; the receiver's own default-bus events
		// are not the link's.
		m["account"] = []any{map[string]any{"anything-but": []any{l.ReceiverAccount}}}
	default:
		return l.EventPattern
	}
	b, err := json.Marshal(m)
	if err != nil {
		return l.EventPattern
	}
	return EventPattern(b)
}

// Validate reports every problem of l at once. Problems name the option with its
// topology-file name (for example `options.retryAttempts`) and quote the value.
func (l Link) Validate() error {
	var p problem.List
	l.validate(&p)
	return p.Err(fmt.Sprintf("bus link %q", l.Name))
}

// Problems adds every problem of l to p.
func (l Link) Problems(p *problem.List) { l.validate(p) }

func (l Link) validate(p *problem.List) {
	raw := l
	l = l.WithDefaults()
	linkcheck.Identity(p, l.Name, l.NamePrefix, l.Region)
	linkcheck.Accounts(p, "bus", linkcheck.Side{Field: "to", Role: "receiver"}, l.ReceiverAccount,
		linkcheck.Side{Field: "from", Role: "sender"}, l.SenderAccounts)
	linkcheck.Organization(p, l.OrganizationID)

	modeKnown := true
	switch l.Mode {
	case ModeBus, ModeDirect:
	default:
		modeKnown = false
		p.Addf(0, "options.mode", "mode %q is unknown; use %q or %q", l.Mode, ModeBus, ModeDirect)
	}
	l.validatePattern(p)
	if !awsarn.IsEventBusName(l.SenderBus) {
		p.Addf(0, "options.senderBus", "senderBus %q must be an event bus name: 1 to 256 letters, digits and . - _ /", l.SenderBus)
	}
	switch {
	case l.Mode == ModeDirect && raw.ReceiverBus != "":
		p.Addf(0, "options.receiverBus", "receiverBus %q applies only to mode: bus; mode: direct has no receiver bus", raw.ReceiverBus)
	case l.Mode == ModeBus && l.ReceiverBus != ReceiverBusCustom && l.ReceiverBus != ReceiverBusDefault:
		p.Addf(0, "options.receiverBus", "receiverBus %q is unknown; use %q or %q", l.ReceiverBus, ReceiverBusCustom, ReceiverBusDefault)
	}
	if modeKnown {
		l.validateTargets(p)
	}
	if n := *l.RetryAttempts; n < 0 || n > maxRetryAttempts {
		p.Addf(0, "options.retryAttempts", "retryAttempts %d must be between 0 and %d", n, maxRetryAttempts)
	}
	switch d := l.MaxEventAge; {
	case d < minMaxEventAge || d > maxMaxEventAge:
		p.Addf(0, "options.maxEventAge", "maxEventAge %s must be between %s and %s", FormatDuration(d), FormatDuration(minMaxEventAge), FormatDuration(maxMaxEventAge))
	case d%time.Second != 0:
		p.Addf(0, "options.maxEventAge", "maxEventAge %s must be whole seconds", FormatDuration(d))
	}
	if l.Archive && l.Mode == ModeDirect {
		p.Addf(0, "options.archive", "archive %q applies only to mode: bus; mode: direct has no receiver bus to archive", "true")
	}
	switch {
	case raw.ArchiveRetentionDays != 0 && !l.Archive:
		p.Addf(0, "options.archiveRetentionDays", "archiveRetentionDays %d applies only with archive: true", raw.ArchiveRetentionDays)
	case l.Archive && l.ArchiveRetentionDays < minArchiveRetention:
		p.Addf(0, "options.archiveRetentionDays", "archiveRetentionDays %d must be at least %d (keeping events forever is not offered)", l.ArchiveRetentionDays, minArchiveRetention)
	}
	switch l.Allow {
	case AllowAccounts:
	case AllowOrganization:
		if l.OrganizationID == "" {
			p.Addf(0, "options.allow", "allow %q needs the topology's organization ID", l.Allow)
		}
	default:
		p.Addf(0, "options.allow", "allow %q is unknown; use %q or %q", l.Allow, AllowAccounts, AllowOrganization)
	}
	if modeKnown {
		l.validateNames(p)
	}
}

func (l Link) validatePattern(p *problem.List) {
	const where = "options.eventPattern"
	if strings.TrimSpace(string(l.EventPattern)) == "" {
		p.Addf(0, where, "eventPattern is missing: give the event pattern that selects the events to send, such as {\"source\": [\"aws.ec2\"]}")
		return
	}
	m, err := l.EventPattern.Object()
	if err != nil {
		p.Addf(0, where, "%v", err)
		return
	}
	if len(m) == 0 {
		p.Addf(0, where, "eventPattern {} matches no field; name at least one, such as \"source\"")
	}
	for _, msg := range patternProblems(m, "") {
		p.Addf(0, where, "%s", msg)
	}
	if n := utf8.RuneCountInString(l.EventPattern.Compact()); n > MaxEventPatternLength {
		p.Addf(0, where, "eventPattern is %d characters as compact JSON; EventBridge allows %d", n, MaxEventPatternLength)
	} else if rp := l.ReceiverEventPattern(); rp != l.EventPattern {
		if n := utf8.RuneCountInString(rp.Compact()); n > MaxEventPatternLength {
			p.Addf(0, where, "eventPattern with the account filter the receiver's rule adds is %d characters; EventBridge allows %d (test \"account\" in the pattern yourself to avoid the filter)", n, MaxEventPatternLength)
		}
	}
}

// patternProblems checks the shape EventBridge requires: every field of a pattern
// object holds a non-empty array of matchers or a nested pattern object.
func patternProblems(m map[string]any, path string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		field := k
		if path != "" {
			field = path + "." + k
		}
		switch v := m[k].(type) {
		case map[string]any:
			if len(v) == 0 {
				out = append(out, fmt.Sprintf("eventPattern field %q is an empty object; give it fields or drop it", field))
			}
			out = append(out, patternProblems(v, field)...)
		case []any:
			if len(v) == 0 {
				out = append(out, fmt.Sprintf("eventPattern field %q is an empty array; EventBridge needs at least one value to match", field))
			}
		default:
			out = append(out, fmt.Sprintf("eventPattern field %q is %s; EventBridge needs an array of values to match, such as [%s]", field, jsonKind(v), compactJSON(v)))
		}
	}
	return out
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (l Link) validateTargets(p *problem.List) {
	const where = "options.targets"
	if len(l.Targets) == 0 {
		p.Addf(0, where, "targets is an empty list; name at least one of %s", targetList(l.Mode))
		return
	}
	if len(l.Targets) > MaxTargetsPerRule {
		p.Addf(0, where, "targets lists %d targets; an EventBridge rule has at most %d", len(l.Targets), MaxTargetsPerRule)
	}
	seen := map[Target]bool{}
	for _, t := range l.Targets {
		switch {
		case seen[t]:
			p.Addf(0, where, "target %q is listed twice", t)
		case t != TargetLambda && t != TargetQueue && t != TargetTopic:
			p.Addf(0, where, "target %q is unknown; use %s", t, targetList(l.Mode))
		case l.Mode == ModeBus && t == TargetTopic:
			p.Addf(0, where, "target %q is not offered in mode: bus; use %s, or mode: direct", t, targetList(l.Mode))
		}
		seen[t] = true
	}
	if l.Mode == ModeDirect && len(l.Targets) > 1 {
		p.Addf(0, where, "mode: direct delivers to exactly one target, but targets lists %d; keep one of %s, or use mode: bus", len(l.Targets), targetList(l.Mode))
	}
	if l.Mode == ModeDirect && l.Allow == AllowOrganization && slices.Contains(l.Targets, TargetLambda) {
		// A function policy cannot test aws:PrincipalArn: it would admit every principal
		// of every organization account, not only the forwarder roles.
		p.Addf(0, "options.allow", "allow %q with a direct lambda target would let every principal of the organization invoke the function; use allow: accounts, or mode: bus", l.Allow)
	}
}

func targetList(m Mode) string {
	if m == ModeDirect {
		return fmt.Sprintf("%q, %q or %q", TargetQueue, TargetLambda, TargetTopic)
	}
	return fmt.Sprintf("%q, %q or both", TargetLambda, TargetQueue)
}

func (l Link) validateNames(p *problem.List) {
	check := func(what, name string, limit int) {
		if n := len(name); n > limit {
			p.Addf(0, "name", "%s %q is %d characters; AWS allows at most %d", what, name, n, limit)
		}
	}
	check("sender rule name", l.SenderRuleName(), maxRuleNameLen)
	check("sender role name", l.SenderRoleName(), maxRoleNameLen)
	check("sender dead-letter queue name", l.SenderDeadLetterQueueName(), maxQueueNameLen)
	if l.Mode == ModeBus {
		if l.ReceiverBus == ReceiverBusCustom {
			check("event bus name", l.BusName(), maxBusNameLen)
			if l.BusName() == awsarn.DefaultEventBus {
				p.Addf(0, "name", "event bus name %q is taken by every account's default bus; rename the link or use receiverBus: default", l.BusName())
			}
		}
		check("receiver rule name", l.ReceiverRuleName(), maxRuleNameLen)
		check("delivery dead-letter queue name", l.DeliveryDeadLetterQueueName(), maxQueueNameLen)
		check("event bus policy statement ID", l.BusPolicyStatementID(), maxStatementIDLen)
		if l.Archive {
			check("archive name", l.ArchiveName(), maxArchiveNameLen)
		}
	}
	for _, t := range l.Targets {
		switch t {
		case TargetQueue:
			check("queue name", l.QueueName(), maxQueueNameLen)
			check("dead-letter queue name", l.QueueDeadLetterQueueName(), maxQueueNameLen)
		case TargetLambda:
			check("function name", l.FunctionName(), maxFunctionNameLen)
		case TargetTopic:
			check("topic name", l.TopicName(), maxTopicNameLen)
		}
	}
}

// FormatDuration renders d the way a topology file writes it: 2h, 1h30m, 45s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
