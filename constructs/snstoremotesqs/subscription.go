package snstoremotesqs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// SubscriptionProps configure the subscription of one receiver account to the topic
// of a topic link.
type SubscriptionProps struct {
	// Link describes the link: the same Link as the sender half and the receiver halves.
	Link Link
	// Account is the receiver account whose queue subscribes, one of
	// Link.ReceiverAccounts. Default: the account of the enclosing stack.
	Account string
	// EnvironmentAgnostic builds the half in a stack without an account or region (Env
	// unset) on purpose, for an environment-agnostic template: the check that the half
	// belongs in its stack's account and region is skipped. Default: false, and a stack
	// without Env is refused with a message that says how to set it.
	EnvironmentAgnostic bool
}

// Subscription subscribes one receiver account's queue to the link's topic in the
// sender account. It is created from the receiver account (the queue owner), so SNS
// needs no confirmation: the queue receives messages as soon as it exists.
//
// Deploy order: Subscribe fails while the topic does not exist or its policy does not
// yet admit this account, so the subscription belongs in a stack that is deployed
// after the sender's stack; and delivery needs the queue and its policy, so that stack
// also comes after the receiver half (NewReceiver). Every ARN here is computed from the
// Link, never referenced, so the subscription may sit in its own stack (the usual
// place: a stack of the receiver account that depends on the sender's stack and on the
// receiver's own stack) without a CloudFormation export. If you put it in the same
// stack as the receiver half, add the order yourself:
// sub.Node().AddDependency(receiver).
type Subscription struct {
	constructs.Construct
	// Link is the link with its defaults applied.
	Link Link
	// Account is the receiver account whose queue subscribes.
	Account string
	// Resource is the subscription: protocol sqs, the account's queue as endpoint, and
	// the account's ReceiverOptions (raw delivery, filter policy and scope, redrive
	// policy to the subscription dead-letter queue).
	Resource awssns.CfnSubscription
}

// NewSubscription builds the subscription of one receiver account of props.Link in
// scope, which must belong to a stack in that account and the link's region. It
// panics with every problem of the link at once when the link is invalid.
//
// Deploy order between two teams: SNS accepts the subscription only once the topic
// and its policy exist, so the stack holding it deploys after the sender account's
// stack with NewSender, and after this account's NewReceiver (its queue), which can
// deploy any time before. All halves need nothing but the same Link.
func NewSubscription(scope constructs.Construct, id string, props *SubscriptionProps) *Subscription {
	if props == nil {
		panic(fmt.Errorf("snstoremotesqs: subscription %q needs props with a Link", id))
	}
	l, account := receiverAccount(scope, "subscription", props.Link, props.Account, props.EnvironmentAgnostic)
	opts := l.ReceiverOptionsOf(account)

	c := constructs.NewConstruct(scope, jsii.String(id))
	s := &Subscription{Construct: c, Link: l, Account: account}

	p := &awssns.CfnSubscriptionProps{
		Protocol: jsii.String("sqs"),
		// The topic is in the sender account: named by its computed ARN, and Region
		// says where it is (a subscription is created in the topic's region).
		TopicArn: jsii.String(l.TopicArn()),
		Region:   jsii.String(l.Region),
		Endpoint: jsii.String(l.QueueArn(account)),
	}
	if opts.RawMessageDelivery {
		p.RawMessageDelivery = jsii.Bool(true)
	}
	if fp := l.SubscriptionFilterPolicy(account); fp != nil {
		fpScope := opts.FilterPolicyScope
		if fpScope == "" {
			fpScope = FilterPolicyScopeMessageAttributes
		}
		p.FilterPolicy = fp
		p.FilterPolicyScope = jsii.String(string(fpScope))
	}
	if opts.SubscriptionDeadLetterQueue {
		p.RedrivePolicy = map[string]any{"deadLetterTargetArn": l.SubscriptionDeadLetterQueueArn(account)}
	}
	s.Resource = awssns.NewCfnSubscription(c, jsii.String("Resource"), p)
	return s
}
