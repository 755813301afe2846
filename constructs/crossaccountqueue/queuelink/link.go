// Package queuelink describes a queue link of crossaccountqueue in plain Go: the
// accounts, options, defaults, names, ARNs and validation that both halves of the link
// and the producer client share. It does not import the CDK, so a workload that sends
// through a link (package producer) does not carry the CDK's jsii runtime.
package queuelink

import (
	"regexp"
	"time"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/durations"
	"github.com/crosswire/crosswire/internal/linkcheck"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// Access says how senders reach the queue.
type Access string

const (
	// AccessQueuePolicy lets the senders' own roles send: the queue policy grants them
	// sqs:SendMessage. This is the default.
	AccessQueuePolicy Access = "queue-policy"
	// AccessAssumeRole creates a role in the receiver account that only the senders may
	// assume and that may only send to the queue.
	AccessAssumeRole Access = "assume-role"
)

// Allow says which principals of the sender side are admitted.
type Allow string

const (
	// AllowRoles admits exactly the link's sender roles (the created producer role of
	// each sender account, or the roles listed in SenderRoleArns). This is the default.
	AllowRoles Allow = "roles"
	// AllowAccounts admits every principal of the sender accounts that its own account
	// allows to send.
	AllowAccounts Allow = "accounts"
	// AllowOrganization admits every principal of the AWS Organization (aws:PrincipalOrgID).
	AllowOrganization Allow = "organization"
)

// Encryption says how the queue is encrypted at rest.
type Encryption string

const (
	// EncryptionSQSManaged uses SQS-managed server-side encryption (SSE-SQS). This is
	// the default: senders need no KMS permission.
	EncryptionSQSManaged Encryption = "sqs-managed"
	// EncryptionKMS uses a customer managed KMS key created for the link, whose key
	// policy admits exactly the senders, only through SQS and only for this queue.
	EncryptionKMS Encryption = "kms"
)

// Defaults of Options, applied by Link.WithDefaults.
const (
	DefaultMaxReceiveCount    = 5
	DefaultVisibilityTimeout  = 30 * time.Second
	DefaultRetentionPeriod    = 4 * 24 * time.Hour
	DefaultReceiveWaitTime    = 20 * time.Second
	DefaultMaxSessionDuration = time.Hour
	// DeadLetterRetention is the retention of every dead-letter queue: the SQS maximum,
	// so a message that failed has the longest time to be looked at.
	DeadLetterRetention = 14 * 24 * time.Hour
)

// AWS limits checked by Validate.
const (
	maxQueueNameLen = 80
	maxRoleNameLen  = 64
)

// Options are the per-link settings of a queue link. In a topology file they are the
// link's `options`, with the YAML names given in the tags.
type Options struct {
	// AlarmOptions turn the link's CloudWatch alarms off (alarms: false) or set the
	// age alarm of its main queues (oldestMessageAlarm).
	linkkind.AlarmOptions
	// Fifo makes the queue and its dead-letter queue FIFO queues (names end in .fifo).
	// Default: a standard queue.
	Fifo bool `yaml:"fifo"`
	// ContentBasedDeduplication deduplicates FIFO messages by a hash of their body.
	// Only with Fifo. Default: off (senders give a deduplication ID).
	ContentBasedDeduplication bool `yaml:"contentBasedDeduplication"`
	// Access says how senders reach the queue. Default: AccessQueuePolicy.
	Access Access `yaml:"access"`
	// Allow says which sender principals are admitted. Default: AllowRoles.
	Allow Allow `yaml:"allow"`
	// SenderRoleArns are existing roles in the sender accounts that send. A sender
	// account with none listed gets a created producer role (see Link.ProducerRoleName).
	// Default: none, a producer role is created in every sender account.
	SenderRoleArns []string `yaml:"senderRoles"`
	// Encryption says how the queue is encrypted at rest. Default: EncryptionSQSManaged.
	Encryption Encryption `yaml:"encryption"`
	// MaxReceiveCount is how many receives a message gets before it moves to the
	// dead-letter queue, 1 to 1000. Default: 5.
	MaxReceiveCount int `yaml:"maxReceiveCount"`
	// ExternalID is required of senders that assume the access role (sts:ExternalId).
	// Only with AccessAssumeRole. Default: none.
	ExternalID string `yaml:"externalId"`
	// MaxSessionDuration of the access role, 1h to 12h. Only with AccessAssumeRole.
	// Default: 1h.
	MaxSessionDuration time.Duration `yaml:"maxSessionDuration"`
	// VisibilityTimeout of the queue, 1s to 12h. Default: 30s.
	VisibilityTimeout time.Duration `yaml:"visibilityTimeout"`
	// RetentionPeriod of the queue, 60s to 336h (14 days). Default: 96h (4 days).
	RetentionPeriod time.Duration `yaml:"retentionPeriod"`
	// ReceiveWaitTime is the long-polling wait of receives, 1s to 20s. Short polling
	// is not offered. Default: 20s.
	ReceiveWaitTime time.Duration `yaml:"receiveWaitTime"`
	// SourceVpce are the interface VPC endpoints (vpce-...) that senders' requests must
	// come through (aws:SourceVpce on the grant to send). A topology fills it from the
	// privateAccess endpoints of the sender accounts. Default: none, any network path.
	SourceVpce []string `yaml:"sourceVpce"`
}

// Link describes one cross-account queue link: who sends to which queue in which
// account. The receiver half (NewReceiver) and every sender half (NewSender) are built
// from the same Link, each in its own account's stack, possibly in different CDK apps
// owned by different teams: each computes the other side's names and ARNs from the
// Link alone.
type Link struct {
	// Name of the link; with NamePrefix it forms every physical name.
	Name string
	// NamePrefix is put in front of every physical name as given: include the
	// separator, for example "acme-". Default: none.
	NamePrefix string
	// Region of the queue and the receiver half, and of every sender half not in
	// SenderRegions.
	Region string
	// SenderRegions are the regions of the sender accounts whose halves are not in
	// Region, by account ID. SQS takes SendMessage from any region on the queue's
	// regional endpoint, so senders may be anywhere in the queue's partition. Default:
	// none, every sender in Region.
	SenderRegions map[string]string
	// ReceiverAccount is the 12-digit ID of the account that owns the queue.
	ReceiverAccount string
	// SenderAccounts are the 12-digit IDs of the accounts that send.
	SenderAccounts []string
	// SenderUnits are organizational units whose member accounts send, each through
	// a producer role created by a service-managed StackSet: the queue policy (and
	// key policy) admit the producer role's name in the units' accounts by
	// aws:PrincipalOrgPaths. Only with AccessQueuePolicy and without SourceVpce.
	// Default: none.
	SenderUnits []linkkind.Unit
	// OrganizationID is the AWS Organization of the accounts (o-...). Required by
	// AllowOrganization. Default: none.
	OrganizationID string
	Options
}

// WithDefaults returns a copy of l with every unset option set to its default.
func (l Link) WithDefaults() Link {
	if l.Access == "" {
		l.Access = AccessQueuePolicy
	}
	if l.Allow == "" {
		l.Allow = AllowRoles
	}
	if l.Encryption == "" {
		l.Encryption = EncryptionSQSManaged
	}
	DefaultQueueSettings(&l.MaxReceiveCount, &l.VisibilityTimeout, &l.RetentionPeriod, &l.ReceiveWaitTime)
	if l.MaxSessionDuration == 0 {
		l.MaxSessionDuration = DefaultMaxSessionDuration
	}
	return l
}

func (l Link) base() string { return l.NamePrefix + l.Name }

func (l Link) fifoSuffix() string {
	if l.Fifo {
		return ".fifo"
	}
	return ""
}

// QueueName is the physical name of the queue: [prefix]name, plus .fifo for FIFO.
func (l Link) QueueName() string { return l.base() + l.fifoSuffix() }

// DeadLetterQueueName is the physical name of the dead-letter queue: [prefix]name-dlq,
// plus .fifo for FIFO.
func (l Link) DeadLetterQueueName() string { return l.base() + "-dlq" + l.fifoSuffix() }

// SenderRegion returns the region of the sender half of account.
func (l Link) SenderRegion(account string) string {
	return linkkind.RegionIn(l.SenderRegions, account, l.Region)
}

// QueueArn is the ARN of the queue in the receiver account.
func (l Link) QueueArn() string { return awsarn.Queue(l.Region, l.ReceiverAccount, l.QueueName()) }

// QueueURL is the URL of the queue on the current regional SQS endpoint.
func (l Link) QueueURL() string {
	return awsarn.QueueURL(l.Region, l.ReceiverAccount, l.QueueName())
}

// KeyAlias is the alias of the queue's customer managed key (EncryptionKMS).
func (l Link) KeyAlias() string { return "alias/" + l.base() }

// AccessRoleName is the name of the role in the receiver account that senders assume
// with AccessAssumeRole: [prefix]name-access.
func (l Link) AccessRoleName() string { return l.base() + "-access" }

// AccessRoleArn is the ARN of the access role (only created with AccessAssumeRole).
func (l Link) AccessRoleArn() string {
	return awsarn.Role(l.Region, l.ReceiverAccount, l.AccessRoleName())
}

// ProducerRoleName is the name of the role created in a sender account that lists no
// role of its own in SenderRoleArns: [prefix]name-producer.
func (l Link) ProducerRoleName() string { return l.base() + "-producer" }

// ExistingSenderRoles returns the roles of SenderRoleArns that belong to account.
func (l Link) ExistingSenderRoles(account string) []string {
	var out []string
	for _, arn := range l.SenderRoleArns {
		if r, err := awsarn.ParseRole(arn); err == nil && r.Account == account {
			out = append(out, arn)
		}
	}
	return out
}

// SenderRolesOf returns the sender roles of account: its roles listed in
// SenderRoleArns, or else the ARN of the producer role the sender half creates there.
func (l Link) SenderRolesOf(account string) []string {
	if existing := l.ExistingSenderRoles(account); len(existing) > 0 {
		return existing
	}
	return []string{awsarn.Role(l.Region, account, l.ProducerRoleName())}
}

// AllSenderRoles returns the sender roles of every sender account, in account order.
func (l Link) AllSenderRoles() []string {
	var out []string
	for _, a := range l.SenderAccounts {
		out = append(out, l.SenderRolesOf(a)...)
	}
	return out
}

var (
	externalID = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
)

// Validate reports every problem of l at once. Problems name the option with its
// topology-file name (for example `options.maxReceiveCount`) and quote the value.
func (l Link) Validate() error { return linkcheck.Report("queue", l.Name, l.validate) }

// Problems adds every problem of l to p.
func (l Link) Problems(p *problem.List) { l.validate(p) }

func (l Link) validate(p *problem.List) {
	l = l.WithDefaults()
	linkcheck.Identity(p, l.Name, l.NamePrefix, l.Region)
	linkcheck.AccountsAndUnits(p, "queue", linkcheck.Side{Field: "to", Role: "receiver"}, l.ReceiverAccount,
		linkcheck.Side{Field: "from", Role: "sender"}, l.SenderAccounts, len(l.SenderUnits))
	linkcheck.Units(p, "from", l.SenderUnits)
	if len(l.SenderUnits) > 0 {
		if l.Access == AccessAssumeRole {
			p.Addf(0, "options.access", "access %q cannot admit organizational units (%s): the access role's trust policy would have to trust every member account; use access: %s", l.Access, unitNames(l.SenderUnits), AccessQueuePolicy)
		}
		if len(l.SourceVpce) > 0 {
			p.Addf(0, "options.sourceVpce", "sourceVpce cannot be required of organizational units (%s): their member accounts have no endpoints of the topology", unitNames(l.SenderUnits))
		}
		if n := len(l.ProducerRoleName()); n > maxRoleNameLen {
			p.Addf(0, "name", "producer role name %q is %d characters; IAM allows at most %d", l.ProducerRoleName(), n, maxRoleNameLen)
		}
	}

	if n := len(l.QueueName()); n > maxQueueNameLen {
		p.Addf(0, "name", "queue name %q is %d characters; SQS allows at most %d (with .fifo)", l.QueueName(), n, maxQueueNameLen)
	}
	if n := len(l.DeadLetterQueueName()); n > maxQueueNameLen {
		p.Addf(0, "name", "dead-letter queue name %q is %d characters; SQS allows at most %d (with .fifo)", l.DeadLetterQueueName(), n, maxQueueNameLen)
	}
	if l.Access == AccessAssumeRole {
		if n := len(l.AccessRoleName()); n > maxRoleNameLen {
			p.Addf(0, "name", "access role name %q is %d characters; IAM allows at most %d", l.AccessRoleName(), n, maxRoleNameLen)
		}
	}
	for _, a := range l.SenderAccounts {
		if len(l.ExistingSenderRoles(a)) == 0 {
			if n := len(l.ProducerRoleName()); n > maxRoleNameLen {
				p.Addf(0, "name", "producer role name %q is %d characters; IAM allows at most %d", l.ProducerRoleName(), n, maxRoleNameLen)
			}
			break
		}
	}

	if l.ContentBasedDeduplication && !l.Fifo {
		p.Addf(0, "options.contentBasedDeduplication", "contentBasedDeduplication %q needs fifo: true; set fifo or drop it", "true")
	}
	switch l.Access {
	case AccessQueuePolicy:
		if l.ExternalID != "" {
			p.Addf(0, "options.externalId", "externalId %q applies only to access: assume-role", l.ExternalID)
		}
	case AccessAssumeRole:
		if n := len(l.ExternalID); n > 0 && (n < 2 || n > 1224 || !externalID.MatchString(l.ExternalID)) {
			p.Addf(0, "options.externalId", "externalId %q must be 2 to 1224 characters of letters, digits and +=,.@:/-", l.ExternalID)
		}
	default:
		p.Addf(0, "options.access", "access %q is unknown; use %q or %q", l.Access, AccessQueuePolicy, AccessAssumeRole)
	}
	linkcheck.Allow(p, string(l.Allow), l.OrganizationID, string(AllowOrganization), string(AllowRoles), string(AllowAccounts))
	linkcheck.Organization(p, l.OrganizationID)
	switch l.Encryption {
	case EncryptionSQSManaged, EncryptionKMS:
	default:
		p.Addf(0, "options.encryption", "encryption %q is unknown; use %q or %q", l.Encryption, EncryptionSQSManaged, EncryptionKMS)
	}
	linkcheck.Roles(p, "options.senderRoles", l.SenderRoleArns, l.SenderAccounts, "a sender account of the link", l.Region)
	seenVpce := map[string]bool{}
	for _, id := range l.SourceVpce {
		switch {
		case !awsarn.IsVPCEndpointID(id):
			p.Addf(0, "options.sourceVpce", "VPC endpoint ID %q must look like vpce-0123456789abcdef0", id)
		case seenVpce[id]:
			p.Addf(0, "options.sourceVpce", "VPC endpoint %q is listed twice", id)
		}
		seenVpce[id] = true
	}
	QueueSettingProblems(p, l.MaxReceiveCount, l.VisibilityTimeout, l.RetentionPeriod, l.ReceiveWaitTime)
	l.AlarmProblems(l.RetentionPeriod, p)
	linkcheck.Duration(p, "options.maxSessionDuration", l.MaxSessionDuration, time.Hour, 12*time.Hour, time.Second)
	if l.Access != AccessAssumeRole && l.MaxSessionDuration != DefaultMaxSessionDuration {
		p.Addf(0, "options.maxSessionDuration", "maxSessionDuration %s applies only to access: assume-role", FormatDuration(l.MaxSessionDuration))
	}
}

// DefaultQueueSettings sets each zero queue setting to its default: the settings
// every queue a link creates shares (here and in other constructs' receiver queues).
func DefaultQueueSettings(maxReceiveCount *int, visibility, retention, wait *time.Duration) {
	if *maxReceiveCount == 0 {
		*maxReceiveCount = DefaultMaxReceiveCount
	}
	if *visibility == 0 {
		*visibility = DefaultVisibilityTimeout
	}
	if *retention == 0 {
		*retention = DefaultRetentionPeriod
	}
	if *wait == 0 {
		*wait = DefaultReceiveWaitTime
	}
}

// QueueSettingProblems adds to p a problem for each queue setting out of the SQS
// ranges (and the long polling this module always uses), named by its option.
func QueueSettingProblems(p *problem.List, maxReceiveCount int, visibility, retention, wait time.Duration) {
	if maxReceiveCount < 1 || maxReceiveCount > 1000 {
		p.Addf(0, "options.maxReceiveCount", "maxReceiveCount %d must be between 1 and 1000", maxReceiveCount)
	}
	linkcheck.Duration(p, "options.visibilityTimeout", visibility, time.Second, 12*time.Hour, time.Second)
	linkcheck.Duration(p, "options.retentionPeriod", retention, time.Minute, 14*24*time.Hour, time.Second)
	linkcheck.Duration(p, "options.receiveWaitTime", wait, time.Second, 20*time.Second, time.Second)
}

// FormatDuration renders d the way a topology file writes it: 2h, 1h30m, 45s. It is
// durations.Format, kept here for the producer client and the constructs.
func FormatDuration(d time.Duration) string { return durations.Format(d) }

func unitNames(units []linkkind.Unit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	return linkkind.QuoteAll(names)
}

// ProducerRolePattern is the ARN pattern of the producer roles of every account:
// arn:<partition>:iam::*:role/[prefix]name-producer. Behind an
// aws:PrincipalOrgPaths condition it admits the producer roles of the member accounts
// of SenderUnits.
func (l Link) ProducerRolePattern() string { return awsarn.Role(l.Region, "*", l.ProducerRoleName()) }
