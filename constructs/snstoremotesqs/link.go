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
