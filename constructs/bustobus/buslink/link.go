// Package buslink describes a bus link of bustobus in plain Go: the accounts, options,
// defaults, names, ARNs and validation that both halves of the link, the topology
// and the smoke test share. It does not import the CDK.
package buslink

import (
	"slices"

	"github.com/crosswire/crosswire/linkkind"

	"github.com/crosswire/crosswire/internal/awsarn"
)

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
	// Region of the receiver's bus or target and the receiver half, and of every
	// sender half not in SenderRegions.
	Region string
	// SenderRegions are the regions of the sender accounts whose rules are not in
	// Region, by account ID: only with mode bus, since EventBridge targets an event bus
	// in another region and account, but a direct target in another account only in
	// the rule's region. Default: none, every sender in Region.
	SenderRegions map[string]string
	// ReceiverAccount is the 12-digit ID of the account that owns the targets.
	ReceiverAccount string
	// SenderAccounts are the 12-digit IDs of the accounts whose events cross.
	SenderAccounts []string
	// SenderUnits are organizational units whose member accounts forward events,
	// each through a sender half created by a service-managed StackSet: the receiver
	// bus policy admits the sender rule's name in the units' accounts by
	// aws:PrincipalOrgPaths. Only with ModeBus and the default sender bus. Default:
	// none.
	SenderUnits []linkkind.Unit
	// SenderSuffix, when set, ends the name of the sender's dead-letter queue
	// ([prefix]name-forward-dlq-suffix): a member account's template sets it to a
	// token unique to its stack instance, so that a queue kept from an earlier one
	// does not block it. Default: none.
	SenderSuffix string
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
