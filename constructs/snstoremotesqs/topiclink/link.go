// Package topiclink describes a topic link of snstoremotesqs in plain Go: the accounts, options,
// defaults, names, ARNs and validation that both halves of the link, the topology
// and the smoke test share. It does not import the CDK.
package topiclink

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/linkcheck"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// TopicEncryption says how the topic is encrypted at rest. SNS itself encrypts
// nothing unless a KMS key is set, so every value here encrypts.
type TopicEncryption string

const (
	// TopicEncryptionKMS encrypts the topic with a customer managed key created for
	// the link, in the sender account. This is the default: AWS services can be
	// admitted as publishers later by its key policy, which the AWS managed key does
	// not allow.
	TopicEncryptionKMS TopicEncryption = "kms"
	// TopicEncryptionAWSManaged encrypts the topic with the AWS managed key
	// alias/aws/sns: no key to pay for, but only principals of the sender account can
	// publish (its key policy cannot be changed).
	TopicEncryptionAWSManaged TopicEncryption = "aws-managed"
)

// FilterPolicyScope says what a subscription's filter policy is matched against.
type FilterPolicyScope string

const (
	// FilterPolicyScopeMessageAttributes matches the message attributes. This is the
	// default, as in SNS.
	FilterPolicyScopeMessageAttributes FilterPolicyScope = "MessageAttributes"
	// FilterPolicyScopeMessageBody matches the message body, which must be JSON.
	FilterPolicyScopeMessageBody FilterPolicyScope = "MessageBody"
)

// Defaults of Options, applied by Link.WithDefaults. The queue defaults are those of
// CrossAccountQueue.
const (
	DefaultEncryption        = TopicEncryptionKMS
	DefaultQueueEncryption   = queuelink.EncryptionSQSManaged
	DefaultMaxReceiveCount   = queuelink.DefaultMaxReceiveCount
	DefaultVisibilityTimeout = queuelink.DefaultVisibilityTimeout
	DefaultRetentionPeriod   = queuelink.DefaultRetentionPeriod
	DefaultReceiveWaitTime   = queuelink.DefaultReceiveWaitTime
)

// AWS limits checked by Validate.
const (
	maxTopicNameLen = 256 // with .fifo
	maxQueueNameLen = 80  // with .fifo
	maxRoleNameLen  = 64
	// An SNS topic policy holds at most 100 statements and 30 KB.
	maxTopicPolicyStatements = 100
	maxTopicPolicyBytes      = 30 * 1024
)

// ReceiverOptions are the settings of one receiver account's subscription. In a
// topology file they are the value of one entry of the link's `options.receivers`.
type ReceiverOptions struct {
	// RawMessageDelivery delivers the published message as it is, without the SNS
	// JSON envelope (message attributes become SQS message attributes). Default: off,
	// the queue receives the SNS envelope.
	RawMessageDelivery bool `yaml:"rawMessageDelivery"`
	// FilterPolicy delivers only the messages it matches: a JSON object as a string,
	// or as a map[string]any (a YAML mapping in a topology file). SNS allows at most 5
	// keys, 150 value combinations and 256 KB. Default: none, every message.
	FilterPolicy any `yaml:"filterPolicy"`
	// FilterPolicyScope says what FilterPolicy is matched against. Only with
	// FilterPolicy. Default: FilterPolicyScopeMessageAttributes.
	FilterPolicyScope FilterPolicyScope `yaml:"filterPolicyScope"`
	// SubscriptionDeadLetterQueue gives the subscription a redrive policy to a
	// dead-letter queue in the receiver account ([prefix]name-sns-dlq), which keeps
	// the messages SNS could not deliver to the queue. Default: off; SNS drops a
	// message at once on a client-side error (for example a key or queue policy that
	// denies it), and after 23 days of retries on server-side errors.
	SubscriptionDeadLetterQueue bool `yaml:"subscriptionDeadLetterQueue"`
}

// Options are the per-link settings of a topic link. In a topology file they are the
// link's `options`, with the YAML names given in the tags.
type Options struct {
	// AlarmOptions turn the link's CloudWatch alarms off (alarms: false) or set the
	// age alarm of its main queues (oldestMessageAlarm).
	linkkind.AlarmOptions
	// Fifo makes the topic a FIFO topic (name ends in .fifo), and with it every
	// receiver's queues: a FIFO topic delivers in order only to FIFO queues, and a
	// standard topic cannot deliver to them. Default: a standard topic and queues.
	Fifo bool `yaml:"fifo"`
	// ContentBasedDeduplication deduplicates FIFO messages by a hash of their body, on
	// the topic. Only with Fifo. Default: off (publishers give a deduplication ID).
	ContentBasedDeduplication bool `yaml:"contentBasedDeduplication"`
	// Encryption says how the topic is encrypted at rest. Default: TopicEncryptionKMS.
	Encryption TopicEncryption `yaml:"encryption"`
	// PublisherRoleArns are existing roles in the sender account that publish.
	// Default: none, a publisher role [prefix]name-publisher is created.
	PublisherRoleArns []string `yaml:"publisherRoles"`
	// QueueEncryption says how every receiver's queues are encrypted at rest.
	// Default: queuelink.EncryptionSQSManaged (SSE-SQS).
	QueueEncryption queuelink.Encryption `yaml:"queueEncryption"`
	// MaxReceiveCount is how many receives a message gets before it moves to the
	// queue's dead-letter queue, 1 to 1000. Default: 5.
	MaxReceiveCount int `yaml:"maxReceiveCount"`
	// VisibilityTimeout of every receiver's queue, 1s to 12h. Default: 30s.
	VisibilityTimeout time.Duration `yaml:"visibilityTimeout"`
	// RetentionPeriod of every receiver's queue, 60s to 336h. Default: 96h (4 days).
	RetentionPeriod time.Duration `yaml:"retentionPeriod"`
	// ReceiveWaitTime is the long-polling wait of receives, 1s to 20s. Default: 20s.
	ReceiveWaitTime time.Duration `yaml:"receiveWaitTime"`
	// Receivers holds the subscription settings of receiver accounts, by account ID.
	// A receiver account not listed gets the zero ReceiverOptions. Default: none.
	Receivers map[string]ReceiverOptions `yaml:"receivers"`
	// Allow says who may subscribe: AllowAccounts, each receiver account only its own
	// queue (one topic policy statement per receiver, at most 99); or
	// AllowOrganization, one statement for any receiver count: principals of the
	// organization may subscribe a queue of the link's name in their own or another
	// organization account (a queue of another account only with that account's
	// confirmation, and only receiver queues admit this topic). Default: AllowAccounts.
	Allow Allow `yaml:"allow"`
}

// Link describes one topic link: which account publishes to the topic and which
// accounts receive its messages, each in a queue of its own. The sender half
// (NewSender), every receiver half (NewReceiver) and every subscription
// (NewSubscription) are built from the same Link.
type Link struct {
	// Name of the link; with NamePrefix it forms every physical name.
	Name string
	// NamePrefix is put in front of every physical name as given: include the
	// separator, for example "acme-". Default: none.
	NamePrefix string
	// Region of the topic and the sender half, and of every receiver half not in
	// ReceiverRegions.
	Region string
	// ReceiverRegions are the regions of the receiver accounts whose queues are not in
	// Region, by account ID. SNS delivers to SQS queues in other regions; each such
	// subscription names the topic's region (AWS::SNS::Subscription Region). Default:
	// none, every receiver in Region.
	ReceiverRegions map[string]string
	// SenderAccount is the 12-digit ID of the account that owns the topic.
	SenderAccount string
	// ReceiverAccounts are the 12-digit IDs of the accounts that each get a queue
	// subscribed to the topic.
	ReceiverAccounts []string
	// ReceiverUnits are organizational units whose member accounts each get a queue
	// subscribed to the topic, created by a service-managed StackSet: the topic
	// policy lets the units' accounts subscribe queues of the link's member name
	// pattern (UnitQueuePattern). Only with sqs-managed queue encryption. Default:
	// none.
	ReceiverUnits []linkkind.Unit
	// ReceiverSuffix, when set, ends the names of the receiver's queues
	// ([prefix]name-suffix, [prefix]name-suffix-dlq): a member account's template
	// sets it to 8 characters unique to its stack instance, so that queues kept
	// (RETAIN) from an earlier one do not block it. Default: none.
	ReceiverSuffix string
	// OrganizationID is the AWS Organization of the accounts (o-...). Required by
	// AllowOrganization. Default: none.
	OrganizationID string
	Options
}

// Allow says who may subscribe to the topic.
type Allow string

const (
	// AllowAccounts lets each receiver account subscribe only its own queue.
	AllowAccounts Allow = "accounts"
	// AllowOrganization lets principals of the organization subscribe queues of the
	// link's name, in one statement whatever the number of receivers.
	AllowOrganization Allow = "organization"
)

// WithDefaults returns a copy of l with every unset option set to its default.
func (l Link) WithDefaults() Link {
	if l.Allow == "" {
		l.Allow = AllowAccounts
	}
	if l.Encryption == "" {
		l.Encryption = DefaultEncryption
	}
	if l.QueueEncryption == "" {
		l.QueueEncryption = DefaultQueueEncryption
	}
	queuelink.DefaultQueueSettings(&l.MaxReceiveCount, &l.VisibilityTimeout, &l.RetentionPeriod, &l.ReceiveWaitTime)
	return l
}

func (l Link) base() string { return l.NamePrefix + l.Name }

func (l Link) fifoSuffix() string {
	if l.Fifo {
		return ".fifo"
	}
	return ""
}

// TopicName is the physical name of the topic: [prefix]name, plus .fifo for FIFO.
func (l Link) TopicName() string { return l.base() + l.fifoSuffix() }

// TopicArn is the ARN of the topic in the sender account.
func (l Link) TopicArn() string { return awsarn.Topic(l.Region, l.SenderAccount, l.TopicName()) }

// KeyAlias is the alias of every customer managed key of the link: the topic's key in
// the sender account, and each receiver's queue key in its own account.
func (l Link) KeyAlias() string { return "alias/" + l.base() }

// PublisherRoleName is the name of the role created in the sender account when
// PublisherRoleArns lists none: [prefix]name-publisher.
func (l Link) PublisherRoleName() string { return l.base() + "-publisher" }

// PublisherRoles returns the roles that publish: PublisherRoleArns, or else the ARN of
// the publisher role the sender half creates.
func (l Link) PublisherRoles() []string {
	if len(l.PublisherRoleArns) > 0 {
		return slices.Clone(l.PublisherRoleArns)
	}
	return []string{awsarn.Role(l.Region, l.SenderAccount, l.PublisherRoleName())}
}

// QueueName is the physical name of each receiver's queue: [prefix]name, plus .fifo
// for FIFO. Every receiver account uses the same name.
func (l Link) QueueName() string { return l.receiverBase() + l.fifoSuffix() }

// receiverBase is what the names of a receiver's queues begin with: [prefix]name,
// and -ReceiverSuffix in a member account of ReceiverUnits.
func (l Link) receiverBase() string {
	if l.ReceiverSuffix != "" {
		return l.base() + "-" + l.ReceiverSuffix
	}
	return l.base()
}

// UnitSuffixLen is the length of ReceiverSuffix in a member account's template: the
// first group of the stack instance's ID.
const UnitSuffixLen = 8

// UnitQueuePatterns are the ARN patterns (sns:Endpoint, StringLike) of the queues of
// member accounts of ReceiverUnits in any account, one per region of the units:
// [prefix]name-, UnitSuffixLen characters, and .fifo for FIFO. They match no
// dead-letter queue of the link.
func (l Link) UnitQueuePatterns() []string {
	var out []string
	for _, r := range linkkind.UnitRegions(l.ReceiverUnits) {
		out = append(out, awsarn.Queue(r, "*", l.base()+"-"+strings.Repeat("?", UnitSuffixLen)+l.fifoSuffix()))
	}
	return out
}

// DeadLetterQueueName is the physical name of each receiver's dead-letter queue, where
// messages go after MaxReceiveCount receives: [prefix]name-dlq, plus .fifo for FIFO.
func (l Link) DeadLetterQueueName() string { return l.receiverBase() + "-dlq" + l.fifoSuffix() }

// SubscriptionDeadLetterQueueName is the physical name of the dead-letter queue of a
// subscription (ReceiverOptions.SubscriptionDeadLetterQueue), where SNS puts the
// messages it could not deliver: [prefix]name-sns-dlq, plus .fifo for FIFO.
func (l Link) SubscriptionDeadLetterQueueName() string {
	return l.receiverBase() + "-sns-dlq" + l.fifoSuffix()
}

// ReceiverRegion returns the region of the queue and halves of the receiver account.
func (l Link) ReceiverRegion(account string) string {
	return linkkind.RegionIn(l.ReceiverRegions, account, l.Region)
}

// SNSPrincipal returns the service principal through which SNS delivers the topic's
// messages to the queue of the receiver account (awsarn.SNSPrincipal).
func (l Link) SNSPrincipal(account string) string {
	return awsarn.SNSPrincipal(l.Region, l.ReceiverRegion(account))
}

// QueueArn is the ARN of the queue of the receiver account, in its region.
func (l Link) QueueArn(account string) string {
	return awsarn.Queue(l.ReceiverRegion(account), account, l.QueueName())
}

// QueueURL is the URL of the queue of the receiver account, on its region's endpoint.
func (l Link) QueueURL(account string) string {
	return awsarn.QueueURL(l.ReceiverRegion(account), account, l.QueueName())
}

// SubscriptionDeadLetterQueueArn is the ARN of the subscription dead-letter queue of
// the receiver account, in its region.
func (l Link) SubscriptionDeadLetterQueueArn(account string) string {
	return awsarn.Queue(l.ReceiverRegion(account), account, l.SubscriptionDeadLetterQueueName())
}

// anyQueueArn is the pattern of the queue ARN of every account of the organization:
// in Region, or in any region when some receiver's queue is in another.
func (l Link) anyQueueArn() string {
	if len(l.ReceiverRegions) == 0 {
		return awsarn.Queue(l.Region, "*", l.QueueName())
	}
	return fmt.Sprintf("arn:%s:sqs:*:*:%s", awsarn.Partition(l.Region), l.QueueName())
}

// ReceiverOptionsOf returns the subscription settings of the receiver account: its
// entry of Receivers, or the zero ReceiverOptions.
func (l Link) ReceiverOptionsOf(account string) ReceiverOptions { return l.Receivers[account] }

// SubscriptionFilterPolicy returns the filter policy of the receiver account as a JSON
// object, or nil when it has none. It panics on a policy that Validate rejects.
func (l Link) SubscriptionFilterPolicy(account string) map[string]any {
	fp, err := parseFilterPolicy(l.ReceiverOptionsOf(account).FilterPolicy)
	if err != nil {
		panic(fmt.Errorf("snstoremotesqs: link %q, receiver %s: %w", l.Name, account, err))
	}
	return fp
}

// TopicPolicy returns the topic policy document. It is built here, from the link
// alone, so that Validate can check its size against the SNS limit before the sender
// half builds it:
//   - the publisher roles may sns:Publish (the sender account's principal narrowed by
//     an ArnEquals aws:PrincipalArn condition, as cdkx.Senders does);
//   - each receiver account may sns:Subscribe only its own queue, only over SQS
//     (StringEquals sns:Protocol and sns:Endpoint), one statement per account;
//   - nobody may publish or subscribe without TLS.
func (l Link) TopicPolicy() map[string]any {
	topic := l.TopicArn()
	statements := []any{
		map[string]any{
			"Sid":       "AllowPublishFromLinkPublishers",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": awsarn.AccountRoot(l.Region, l.SenderAccount)},
			"Action":    "sns:Publish",
			"Resource":  topic,
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": toAny(l.PublisherRoles())}},
		},
	}
	if l.Allow == AllowOrganization {
		statements = append(statements, map[string]any{
			"Sid":       "AllowSubscribeQueuesFromOrganization",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": "*"},
			"Action":    "sns:Subscribe",
			"Resource":  topic,
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:PrincipalOrgID": l.OrganizationID, "sns:Protocol": "sqs"},
				"StringLike":   map[string]any{"sns:Endpoint": l.anyQueueArn()},
			},
		})
	}
	if len(l.ReceiverUnits) > 0 {
		statements = append(statements, map[string]any{
			"Sid":       "AllowSubscribeQueuesFromUnits",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": "*"},
			"Action":    "sns:Subscribe",
			"Resource":  topic,
			"Condition": map[string]any{
				"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": toAny(linkkind.Paths(l.ReceiverUnits))},
				"StringEquals":           map[string]any{"sns:Protocol": "sqs"},
				"StringLike":             map[string]any{"sns:Endpoint": oneOrList(l.UnitQueuePatterns())},
			},
		})
	}
	for _, a := range l.ReceiverAccounts {
		if l.Allow == AllowOrganization {
			break
		}
		statements = append(statements, map[string]any{
			"Sid":       "AllowSubscribeOwnQueue" + a,
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": awsarn.AccountRoot(l.Region, a)},
			"Action":    "sns:Subscribe",
			"Resource":  topic,
			"Condition": map[string]any{"StringEquals": map[string]any{
				"sns:Protocol": "sqs",
				"sns:Endpoint": l.QueueArn(a),
			}},
		})
	}
	statements = append(statements, map[string]any{
		"Sid":       "DenyWithoutTLS",
		"Effect":    "Deny",
		"Principal": map[string]any{"AWS": "*"},
		"Action":    []any{"sns:Publish", "sns:Subscribe"},
		"Resource":  topic,
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	})
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

// oneOrList is s's only element, or s as a list.
func oneOrList(s []string) any {
	if len(s) == 1 {
		return s[0]
	}
	return toAny(s)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = s[i]
	}
	return out
}

// validateRegions refuses a receiver queue in an opt-in region other than the topic's:
// SNS documents cross-region delivery from opt-in regions (with the principal
// sns.<region>.amazonaws.com) and between regions enabled by default, and refuses it
// between opt-in regions.
func (l Link) validateRegions(p *problem.List) {
	for _, a := range l.ReceiverAccounts {
		r := l.ReceiverRegion(a)
		switch {
		case r == l.Region:
		case awsarn.IsSNSOptInRegion(r):
			p.Addf(0, "to", "account %s has its queue in %s, an opt-in region, and the topic is in %s: SNS delivers across regions only from an opt-in region or between regions enabled by default (SNS developer guide, sns-cross-region-delivery); put the account's side in %s, as in to: {account: <alias>, region: %s}", a, r, l.Region, l.Region, l.Region)
		}
	}
	for _, u := range l.ReceiverUnits {
		if u.Region != "" && u.Region != l.Region && awsarn.IsSNSOptInRegion(u.Region) {
			p.Addf(0, "to", "organizational unit %s has its queues in %s, an opt-in region, and the topic is in %s: SNS delivers across regions only from an opt-in region or between regions enabled by default (SNS developer guide, sns-cross-region-delivery); put the unit's side in %s, as in to: {account: %s, region: %s}", u.Name, u.Region, l.Region, l.Region, u.Name, l.Region)
		}
	}
}

// Validate reports every problem of l at once. Problems name the option with its
// topology-file name (for example `options.receivers.222222222222.filterPolicy`) and
// quote the value.
func (l Link) Validate() error { return linkcheck.Report("topic", l.Name, l.validate) }

// Problems adds every problem of l to p.
func (l Link) Problems(p *problem.List) { l.validate(p) }

func (l Link) validate(p *problem.List) {
	l = l.WithDefaults()
	linkcheck.Identity(p, l.Name, l.NamePrefix, l.Region)
	linkcheck.AccountsAndUnits(p, "topic", linkcheck.Side{Field: "from", Role: "sender"}, l.SenderAccount,
		linkcheck.Side{Field: "to", Role: "receiver"}, l.ReceiverAccounts, len(l.ReceiverUnits))
	linkcheck.Units(p, "to", l.ReceiverUnits)
	if len(l.ReceiverUnits) > 0 {
		if l.QueueEncryption == queuelink.EncryptionKMS {
			p.Addf(0, "options.queueEncryption", "queueEncryption %q cannot be used by organizational units (%s): every member account would get a customer managed key, kept (RETAIN) when it leaves; use %q", l.QueueEncryption, unitNames(l.ReceiverUnits), queuelink.EncryptionSQSManaged)
		}
		member := l
		member.ReceiverSuffix = strings.Repeat("x", UnitSuffixLen)
		if n := len(member.DeadLetterQueueName()); n > maxQueueNameLen {
			p.Addf(0, "name", "a member account's dead-letter queue name %q is %d characters; SQS allows at most %d (with .fifo)", member.DeadLetterQueueName(), n, maxQueueNameLen)
		}
	}
	linkcheck.Organization(p, l.OrganizationID)
	linkcheck.Allow(p, string(l.Allow), l.OrganizationID, string(AllowOrganization), string(AllowAccounts))
	l.validateReceivers(p)
	l.validateNames(p)
	l.validateRegions(p)

	if l.ContentBasedDeduplication && !l.Fifo {
		p.Addf(0, "options.contentBasedDeduplication", "contentBasedDeduplication %q needs fifo: true; set fifo or drop it", "true")
	}
	switch l.Encryption {
	case TopicEncryptionKMS, TopicEncryptionAWSManaged:
	default:
		p.Addf(0, "options.encryption", "encryption %q is unknown; use %q or %q", l.Encryption, TopicEncryptionKMS, TopicEncryptionAWSManaged)
	}
	switch l.QueueEncryption {
	case queuelink.EncryptionSQSManaged, queuelink.EncryptionKMS:
	default:
		p.Addf(0, "options.queueEncryption", "queueEncryption %q is unknown; use %q or %q", l.QueueEncryption, queuelink.EncryptionSQSManaged, queuelink.EncryptionKMS)
	}
	linkcheck.Roles(p, "options.publisherRoles", l.PublisherRoleArns, []string{l.SenderAccount}, "the sender account "+l.SenderAccount+" (publishers belong to the topic's account)", l.Region)
	queuelink.QueueSettingProblems(p, l.MaxReceiveCount, l.VisibilityTimeout, l.RetentionPeriod, l.ReceiveWaitTime)
	l.AlarmProblems(l.RetentionPeriod, p)

	if raw := jsonx.String(l.TopicPolicy()); len(raw) > maxTopicPolicyBytes {
		p.Addf(0, "to", "the topic policy for %d receiver accounts is %d bytes; SNS allows at most %d: split the link", len(l.ReceiverAccounts), len(raw), maxTopicPolicyBytes)
	} else if n := len(l.TopicPolicy()["Statement"].([]any)); n > maxTopicPolicyStatements {
		p.Addf(0, "to", "the topic policy for %d receiver accounts has %d statements; SNS allows at most %d: let the organization subscribe (allow: organization) or split the link", len(l.ReceiverAccounts), n, maxTopicPolicyStatements)
	}
}

func (l Link) validateReceivers(p *problem.List) {
	seen := map[string]bool{}
	for _, a := range l.ReceiverAccounts {
		seen[a] = true
	}
	accounts := make([]string, 0, len(l.Receivers))
	for a := range l.Receivers {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	for _, a := range accounts {
		where := "options.receivers." + a
		if !seen[a] {
			p.Addf(0, where, "account %q is not a receiver account of the link; receivers: %v", a, l.ReceiverAccounts)
			continue
		}
		ro := l.Receivers[a]
		switch ro.FilterPolicyScope {
		case "", FilterPolicyScopeMessageAttributes, FilterPolicyScopeMessageBody:
			if ro.FilterPolicyScope != "" && ro.FilterPolicy == nil {
				p.Addf(0, where+".filterPolicyScope", "filterPolicyScope %q applies only with a filterPolicy", ro.FilterPolicyScope)
			}
		default:
			p.Addf(0, where+".filterPolicyScope", "filterPolicyScope %q is unknown; use %q or %q", ro.FilterPolicyScope, FilterPolicyScopeMessageAttributes, FilterPolicyScopeMessageBody)
		}
		for _, msg := range filterPolicyProblems(ro.FilterPolicy, ro.FilterPolicyScope) {
			p.Addf(0, where+".filterPolicy", "%s", msg)
		}
	}
}

func (l Link) validateNames(p *problem.List) {
	if n := len(l.TopicName()); n > maxTopicNameLen {
		p.Addf(0, "name", "topic name %q is %d characters; SNS allows at most %d (with .fifo)", l.TopicName(), n, maxTopicNameLen)
	}
	if n := len(l.QueueName()); n > maxQueueNameLen {
		p.Addf(0, "name", "queue name %q is %d characters; SQS allows at most %d (with .fifo)", l.QueueName(), n, maxQueueNameLen)
	}
	if n := len(l.DeadLetterQueueName()); n > maxQueueNameLen {
		p.Addf(0, "name", "dead-letter queue name %q is %d characters; SQS allows at most %d (with .fifo)", l.DeadLetterQueueName(), n, maxQueueNameLen)
	}
	for _, a := range l.ReceiverAccounts {
		if l.ReceiverOptionsOf(a).SubscriptionDeadLetterQueue {
			if n := len(l.SubscriptionDeadLetterQueueName()); n > maxQueueNameLen {
				p.Addf(0, "name", "subscription dead-letter queue name %q is %d characters; SQS allows at most %d (with .fifo)", l.SubscriptionDeadLetterQueueName(), n, maxQueueNameLen)
			}
			break
		}
	}
	if len(l.PublisherRoleArns) == 0 {
		if n := len(l.PublisherRoleName()); n > maxRoleNameLen {
			p.Addf(0, "name", "publisher role name %q is %d characters; IAM allows at most %d", l.PublisherRoleName(), n, maxRoleNameLen)
		}
	}
}

func unitNames(units []linkkind.Unit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	return linkkind.QuoteAll(names)
}
