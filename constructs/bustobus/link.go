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
package bustobus

import (
	"time"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
)

// The description of a link lives in package buslink, which does not import the
// CDK; these names let users of the constructs keep to this package.

// Mode is buslink.Mode.
type Mode = buslink.Mode

// ReceiverBus is buslink.ReceiverBus.
type ReceiverBus = buslink.ReceiverBus

// Target is buslink.Target.
type Target = buslink.Target

// Allow is buslink.Allow.
type Allow = buslink.Allow

// EventPattern is buslink.EventPattern.
type EventPattern = buslink.EventPattern

// Options is buslink.Options.
type Options = buslink.Options

// Link is buslink.Link.
type Link = buslink.Link

// The constants of package buslink.
const (
	ModeBus                     = buslink.ModeBus
	ModeDirect                  = buslink.ModeDirect
	ReceiverBusCustom           = buslink.ReceiverBusCustom
	ReceiverBusDefault          = buslink.ReceiverBusDefault
	TargetLambda                = buslink.TargetLambda
	TargetQueue                 = buslink.TargetQueue
	TargetTopic                 = buslink.TargetTopic
	AllowAccounts               = buslink.AllowAccounts
	AllowOrganization           = buslink.AllowOrganization
	DefaultRetryAttempts        = buslink.DefaultRetryAttempts
	DefaultMaxEventAge          = buslink.DefaultMaxEventAge
	DefaultArchiveRetentionDays = buslink.DefaultArchiveRetentionDays
	DeadLetterRetention         = buslink.DeadLetterRetention
	QueueRetention              = buslink.QueueRetention
	QueueVisibilityTimeout      = buslink.QueueVisibilityTimeout
	QueueReceiveWaitTime        = buslink.QueueReceiveWaitTime
	QueueMaxReceiveCount        = buslink.QueueMaxReceiveCount
	MaxEventPatternLength       = buslink.MaxEventPatternLength
	MaxTargetsPerRule           = buslink.MaxTargetsPerRule
)

// FormatDuration is buslink.FormatDuration.
func FormatDuration(d time.Duration) string { return buslink.FormatDuration(d) }
