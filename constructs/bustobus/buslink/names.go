package buslink

import (
	"fmt"
	"strings"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/linkkind"
)

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

// SenderRegion returns the region of the sender half (rule, role, queue) of account.
func (l Link) SenderRegion(account string) string {
	return linkkind.RegionIn(l.SenderRegions, account, l.Region)
}

// SenderRuleArn is the ARN of the sender rule in account, in its region.
func (l Link) SenderRuleArn(account string) string {
	return awsarn.EventRule(l.SenderRegion(account), account, l.WithDefaults().SenderBus, l.SenderRuleName())
}

// AnySenderRuleArn is the pattern of the sender rule's ARN in any account of the
// organization: in Region, or in any region when a sender is in another.
func (l Link) AnySenderRuleArn() string {
	if len(l.SenderRegions) == 0 {
		return l.SenderRuleArn("*")
	}
	return strings.Replace(l.SenderRuleArn("*"), ":events:"+l.Region+":", ":events:*:", 1)
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
func (l Link) SenderDeadLetterQueueName() string {
	if l.SenderSuffix != "" {
		return l.base() + "-forward-dlq-" + l.SenderSuffix
	}
	return l.base() + "-forward-dlq"
}

// UnitRulePatterns are the ARN patterns of the forwarding rules of the member
// accounts of SenderUnits, one per region of the units: the rule's ARN with account *.
func (l Link) UnitRulePatterns() []string {
	var out []string
	for _, r := range linkkind.UnitRegions(l.SenderUnits) {
		out = append(out, awsarn.EventRule(r, "*", l.WithDefaults().SenderBus, l.SenderRuleName()))
	}
	return out
}

// UnitsStatementID is the statement ID of the receiver bus policy that admits the
// organizational units: [prefix]name-units.
func (l Link) UnitsStatementID() string { return l.base() + "-units" }

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
