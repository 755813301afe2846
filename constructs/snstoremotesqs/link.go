// Package snstoremotesqs builds SnsToRemoteSqs: an SNS topic in the sender account
// that fans out to one SQS queue in each receiver account, as the reference article
// recommends (the topic, the publisher side, in the sender account; each queue, with
// its retries and dead-letter queue, in the account that consumes it).
//
// A link has three halves, each built from the same Link in its own account's stack,
// possibly in different CDK apps: NewSender (the topic, its key, its policy and the
// publisher role), NewReceiver (one receiver account's queue, dead-letter queues,
// policies and key) and NewSubscription (that account's subscription to the topic).
// Each half computes the other halves' names and ARNs from the Link alone.
//
// Deploy order: the sender and receiver halves deploy in any order, because every
// policy names the other account's resources by computed ARN in conditions, never as
// a principal or a reference. Only the subscription must wait: SNS rejects Subscribe
// for a topic that does not exist yet, or whose policy does not admit the receiver
// account yet. So NewSubscription goes in a stack of the receiver account that is
// deployed after the sender's stack (and after the receiver half, so that delivery
// finds the queue and its policy).
package snstoremotesqs

import (
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
)

// The description of a link lives in package topiclink, which does not import the
// CDK; these names let users of the constructs keep to this package.

// TopicEncryption is topiclink.TopicEncryption.
type TopicEncryption = topiclink.TopicEncryption

// FilterPolicyScope is topiclink.FilterPolicyScope.
type FilterPolicyScope = topiclink.FilterPolicyScope

// ReceiverOptions is topiclink.ReceiverOptions.
type ReceiverOptions = topiclink.ReceiverOptions

// Options is topiclink.Options.
type Options = topiclink.Options

// Link is topiclink.Link.
type Link = topiclink.Link

// Allow is topiclink.Allow.
type Allow = topiclink.Allow

// The constants of package topiclink.
const (
	TopicEncryptionKMS                 = topiclink.TopicEncryptionKMS
	TopicEncryptionAWSManaged          = topiclink.TopicEncryptionAWSManaged
	FilterPolicyScopeMessageAttributes = topiclink.FilterPolicyScopeMessageAttributes
	FilterPolicyScopeMessageBody       = topiclink.FilterPolicyScopeMessageBody
	DefaultEncryption                  = topiclink.DefaultEncryption
	DefaultQueueEncryption             = topiclink.DefaultQueueEncryption
	DefaultMaxReceiveCount             = topiclink.DefaultMaxReceiveCount
	DefaultVisibilityTimeout           = topiclink.DefaultVisibilityTimeout
	DefaultRetentionPeriod             = topiclink.DefaultRetentionPeriod
	DefaultReceiveWaitTime             = topiclink.DefaultReceiveWaitTime
	AllowAccounts                      = topiclink.AllowAccounts
	AllowOrganization                  = topiclink.AllowOrganization
	MaxFilterPolicyKeys                = topiclink.MaxFilterPolicyKeys
	MaxFilterPolicyCombinations        = topiclink.MaxFilterPolicyCombinations
	MaxFilterPolicyBytes               = topiclink.MaxFilterPolicyBytes
)
