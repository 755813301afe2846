package snstoremotesqs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// Actions SNS needs on a queue's customer managed key to deliver to the queue
// (Amazon SQS Developer Guide, "Configure KMS permissions for AWS services").
var snsKeyActions = []string{"kms:GenerateDataKey", "kms:Decrypt"}

// ReceiverProps configure one receiver half of a topic link.
type ReceiverProps struct {
	// Link describes the link. The sender half and the subscriptions must be given the
	// same Link.
	Link Link
	// Account is the receiver account this half is deployed in, one of
	// Link.ReceiverAccounts. Default: the account of the enclosing stack.
	Account string
	// EnvironmentAgnostic builds the half in a stack without an account or region (Env
	// unset) on purpose, for an environment-agnostic template: the check that the half
	// belongs in its stack's account and region is skipped. Default: false, and a stack
	// without Env is refused with a message that says how to set it.
	EnvironmentAgnostic bool
	// AlarmTopicArn is an existing SNS topic of the half's account and region that its
	// alarms notify; "" means the account's topic [prefix-]crosswire-alarms
	// (linkkind.AlarmTopicArn), which the stacks of a topology create.
	AlarmTopicArn string
}

// Receiver is one receiver half of a topic link, deployed in a receiver account: the
// queue with the defaults of CrossAccountQueue's receiver (dead-letter queue with
// redrive, SSE, TLS only, long polling, RETAIN), the subscription's dead-letter queue
// (ReceiverOptions.SubscriptionDeadLetterQueue), the customer managed key (with
// QueueEncryption crossaccountqueue.EncryptionKMS), and the resource policies that
// admit SNS only for the link's topic.
//
// The half names the topic only by computed ARN, in conditions: it deploys before or
// after the sender half. The subscription is not part of it; see NewSubscription.
type Receiver struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (a message in either dead-letter queue, the queue's oldest message older than the threshold). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Account is the receiver account of this half.
	Account string
	// Queue receives the topic's messages.
	Queue awssqs.Queue
	// DeadLetterQueue holds messages received MaxReceiveCount times without success.
	DeadLetterQueue awssqs.Queue
	// SubscriptionDeadLetterQueue holds the messages SNS could not deliver to Queue;
	// nil unless the account's ReceiverOptions ask for it.
	SubscriptionDeadLetterQueue awssqs.Queue
	// Key encrypts the account's queues; nil unless QueueEncryption is
	// crossaccountqueue.EncryptionKMS.
	Key awskms.Key
}

// NewReceiver builds the receiver half of props.Link for one receiver account in
// scope, which must belong to a stack in that account. It panics with every problem of
// the link at once when the link is invalid.
func NewReceiver(scope constructs.Construct, id string, props *ReceiverProps) *Receiver {
	if props == nil {
		panic(fmt.Errorf("snstoremotesqs: receiver %q needs props with a Link", id))
	}
	l, account := receiverAccount(scope, "receiver", props.Link, props.Account, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	r := &Receiver{Construct: c, Link: l, Account: account}
	opts := l.ReceiverOptionsOf(account)

	if l.QueueEncryption == crossaccountqueue.EncryptionKMS {
		r.Key = blocks.NewKey(c, "Key", blocks.KeyProps{
			Alias:       l.KeyAlias(),
			Description: fmt.Sprintf("Encrypts the queues of link %s in this account", l.Name),
		})
		// SNS encrypts what it delivers with the queue's key. The topic is named by
		// its computed ARN: it is in another account and need not exist yet.
		r.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowSNSFromLinkTopic"),
			Principals: &[]awsiam.IPrincipal{cdkx.Service(l.SNSPrincipal(account))},
			Actions:    cdkx.Strings(snsKeyActions),
			Resources:  jsii.Strings("*"),
			Conditions: r.fromTopic(),
		}), nil)
	}

	r.Queue, r.DeadLetterQueue = blocks.NewQueuePair(c, blocks.QueuePairProps{
		QueueName:           l.QueueName(),
		DeadLetterQueueName: l.DeadLetterQueueName(),
		QueueArn:            l.QueueArn(account),
		Fifo:                l.Fifo,
		Key:                 r.Key,
		MaxReceiveCount:     l.MaxReceiveCount,
		VisibilityTimeout:   l.VisibilityTimeout,
		RetentionPeriod:     l.RetentionPeriod,
		ReceiveWaitTime:     l.ReceiveWaitTime,
		DeadLetterRetention: crossaccountqueue.DeadLetterRetention,
	})
	r.Queue.AddToResourcePolicy(r.snsSendStatement(r.Queue))

	if opts.SubscriptionDeadLetterQueue {
		r.SubscriptionDeadLetterQueue = blocks.NewQueue(c, "SubscriptionDeadLetterQueue", blocks.QueueProps{
			QueueName: l.SubscriptionDeadLetterQueueName(),
			Fifo:      l.Fifo,
			Key:       r.Key,
			Retention: crossaccountqueue.DeadLetterRetention,
			NoDeadLetterQueueReason: "this queue is itself a dead-letter queue: the one of the SNS subscription (AWS::SNS::Subscription RedrivePolicy) " +
				"that NewSubscription creates, usually in a later stack; cdk-nag only recognizes dead-letter queues of SQS queues and Lambda functions",
		})
		// SNS moves undeliverable messages here with sqs:SendMessage, as it delivers.
		r.SubscriptionDeadLetterQueue.AddToResourcePolicy(r.snsSendStatement(r.SubscriptionDeadLetterQueue))
	}

	r.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.ReceiverRegion(account), account, props.AlarmTopicArn)
	r.Alarms.DeadLetterQueue("dlq-visible", l.DeadLetterQueueName(), "messages its consumers failed on")
	r.Alarms.OldestMessage("queue-oldest", l.QueueName(), l.OldestMessageThreshold(l.RetentionPeriod))
	if r.SubscriptionDeadLetterQueue != nil {
		r.Alarms.DeadLetterQueue("subscription-dlq-visible", l.SubscriptionDeadLetterQueueName(), "messages SNS could not deliver to the queue")
	}

	awscdk.NewCfnOutput(c, jsii.String("QueueUrl"), &awscdk.CfnOutputProps{
		Value:       r.Queue.QueueUrl(),
		Description: jsii.String(fmt.Sprintf("URL of the queue of link %s", l.Name)),
	})
	return r
}

// snsSendStatement admits SNS to send to queue, only for the link's topic.
func (r *Receiver) snsSendStatement(queue awssqs.Queue) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowSNSFromLinkTopic"),
		Principals: &[]awsiam.IPrincipal{cdkx.Service(r.Link.SNSPrincipal(r.Account))},
		Actions:    jsii.Strings("sqs:SendMessage"),
		Resources:  &[]*string{queue.QueueArn()},
		Conditions: r.fromTopic(),
	})
}

func (r *Receiver) fromTopic() *map[string]any {
	return &map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": r.Link.TopicArn()}}
}

// GrantConsume lets grantee, in the receiver account, consume the queue:
// sqs:ReceiveMessage, sqs:ChangeMessageVisibility, sqs:GetQueueUrl, sqs:DeleteMessage,
// sqs:GetQueueAttributes, and kms:Decrypt on the key when there is one.
func (r *Receiver) GrantConsume(grantee awsiam.IGrantable) awsiam.Grant {
	return r.Queue.GrantConsumeMessages(grantee)
}

// receiverAccount validates link, applies its defaults and returns it with the
// receiver account the half is built for: account, or else the account of scope's
// stack. It panics when the link is invalid, the account is not a receiver of the
// link, or the stack is in another account or region.
func receiverAccount(scope constructs.Construct, half string, link Link, account string, agnostic bool) (Link, string) {
	l := blocks.Valid(link)
	side := blocks.Side{Pkg: "snstoremotesqs", Link: l.Name, Region: l.Region, Regions: l.ReceiverRegions, Role: "receiver", Accounts: l.ReceiverAccounts}
	return l, side.Account(scope, half, account, agnostic)
}
