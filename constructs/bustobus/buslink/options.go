package buslink

import (
	"time"

	"github.com/crosswire/crosswire/linkkind"
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

// Options are the per-link settings of a bus link. In a topology file they are the
// link's `options`, with the YAML names given in the tags.
type Options struct {
	// AlarmOptions turn the link's CloudWatch alarms off (alarms: false) or set the
	// age alarm of its main queues (oldestMessageAlarm).
	linkkind.AlarmOptions
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
