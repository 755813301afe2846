package crossaccountqueue

import (
	"time"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/problem"
)

// The description of a link lives in package queuelink, which does not import the
// CDK; these names let users of the constructs keep to this package.

// Link describes one queue link; see queuelink.Link.
type Link = queuelink.Link

// Options are the options of a queue link; see queuelink.Options.
type Options = queuelink.Options

// Access says how senders reach the queue; see queuelink.Access.
type Access = queuelink.Access

// Allow says which principals of the sender side are admitted; see queuelink.Allow.
type Allow = queuelink.Allow

// Encryption says how the queue is encrypted at rest; see queuelink.Encryption.
type Encryption = queuelink.Encryption

// The values of Access, Allow and Encryption.
const (
	AccessQueuePolicy    = queuelink.AccessQueuePolicy
	AccessAssumeRole     = queuelink.AccessAssumeRole
	AllowRoles           = queuelink.AllowRoles
	AllowAccounts        = queuelink.AllowAccounts
	AllowOrganization    = queuelink.AllowOrganization
	EncryptionSQSManaged = queuelink.EncryptionSQSManaged
	EncryptionKMS        = queuelink.EncryptionKMS
)

// The defaults of a link's queue settings; see queuelink.
const (
	DefaultMaxReceiveCount    = queuelink.DefaultMaxReceiveCount
	DefaultVisibilityTimeout  = queuelink.DefaultVisibilityTimeout
	DefaultRetentionPeriod    = queuelink.DefaultRetentionPeriod
	DefaultReceiveWaitTime    = queuelink.DefaultReceiveWaitTime
	DefaultMaxSessionDuration = queuelink.DefaultMaxSessionDuration
	DeadLetterRetention       = queuelink.DeadLetterRetention
)

// DefaultQueueSettings fills in the defaults of the queue settings that are zero; see
// queuelink.DefaultQueueSettings.
func DefaultQueueSettings(maxReceiveCount *int, visibility, retention, wait *time.Duration) {
	queuelink.DefaultQueueSettings(maxReceiveCount, visibility, retention, wait)
}

// QueueSettingProblems adds the problems of queue settings to p; see
// queuelink.QueueSettingProblems.
func QueueSettingProblems(p *problem.List, maxReceiveCount int, visibility, retention, wait time.Duration) {
	queuelink.QueueSettingProblems(p, maxReceiveCount, visibility, retention, wait)
}

// FormatDuration renders d as the topology file writes durations; see
// queuelink.FormatDuration.
func FormatDuration(d time.Duration) string { return queuelink.FormatDuration(d) }
