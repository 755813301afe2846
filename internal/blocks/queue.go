package blocks

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdkx"
)

// MaxRetention is the longest an SQS queue keeps a message, 14 days: the default
// retention of a dead-letter queue, which should lose nothing it was given.
const MaxRetention = 14 * 24 * time.Hour

// QueueProps configure a queue built by NewQueue.
type QueueProps struct {
	// QueueName is the queue's physical name (with .fifo for a FIFO queue).
	QueueName string
	// Fifo makes a FIFO queue.
	Fifo bool
	// Key encrypts the queue. Default: nil, SQS-managed encryption (SSE-SQS).
	Key awskms.IKey
	// Retention is how long the queue keeps a message. Default: MaxRetention.
	Retention time.Duration
	// NoDeadLetterQueueReason says why the queue has no dead-letter queue of its own
	// (it is one, or the last stop), for the cdk-nag rule AwsSolutions-SQS3. Default:
	// none, and cdk-nag reports the queue.
	NoDeadLetterQueueReason string
}

// NewQueue creates in scope the queue id with the defaults every queue of a link has:
// encryption at rest (SSE-SQS, or SSE-KMS with Key), a queue policy that denies every
// request without TLS, and removal policy RETAIN.
func NewQueue(scope constructs.Construct, id string, p QueueProps) awssqs.Queue {
	q := awssqs.NewQueue(scope, jsii.String(id), queueProps(p))
	if p.NoDeadLetterQueueReason != "" {
		cdkx.Suppress(q, cdkx.Suppression{ID: "AwsSolutions-SQS3", Reason: p.NoDeadLetterQueueReason})
	}
	return q
}

// queueProps are the properties of a queue of p, which NewQueuePair completes.
func queueProps(p QueueProps) *awssqs.QueueProps {
	retention := p.Retention
	if retention == 0 {
		retention = MaxRetention
	}
	encryption := awssqs.QueueEncryption_SQS_MANAGED
	if p.Key != nil {
		encryption = awssqs.QueueEncryption_KMS
	}
	return &awssqs.QueueProps{
		QueueName:           jsii.String(p.QueueName),
		Fifo:                cdkx.TrueOrNil(p.Fifo),
		Encryption:          encryption,
		EncryptionMasterKey: p.Key,
		EnforceSSL:          jsii.Bool(true),
		RetentionPeriod:     cdkx.Seconds(retention),
		RemovalPolicy:       awscdk.RemovalPolicy_RETAIN,
	}
}

// QueuePairProps configure a queue and its dead-letter queue, built by NewQueuePair.
// Durations and counts must already have their defaults.
type QueuePairProps struct {
	QueueName, DeadLetterQueueName string
	// QueueArn is the queue's computed ARN, which the dead-letter queue's redrive-allow
	// policy names (a reference would make the two queues depend on each other).
	// Required.
	QueueArn                        string
	Fifo, ContentBasedDeduplication bool
	// Key encrypts both queues. Default: nil, SQS-managed encryption (SSE-SQS).
	Key                                                 awskms.IKey
	MaxReceiveCount                                     int
	VisibilityTimeout, RetentionPeriod, ReceiveWaitTime time.Duration
	// DeadLetterRetention is how long the dead-letter queue keeps a message.
	// Default: MaxRetention.
	DeadLetterRetention time.Duration
	// QueueID, DeadLetterQueueID and QueueRefID are the construct IDs of the queue, of
	// its dead-letter queue and of the queue's reference by ARN in the redrive-allow
	// policy. Default: "Resource", "DeadLetterQueue" and "SourceQueueRef".
	QueueID, DeadLetterQueueID, QueueRefID string
}

// NewQueuePair creates in scope a queue and its dead-letter queue with the receiver
// defaults: encryption at rest, a deny of every request without TLS, long polling, a
// redrive after MaxReceiveCount receives, a dead-letter queue that admits only this
// queue (redrive-allow policy byQueue), and removal policy RETAIN on both. It panics
// when QueueArn is empty.
func NewQueuePair(scope constructs.Construct, p QueuePairProps) (queue, deadLetter awssqs.Queue) {
	if p.QueueArn == "" {
		panic(fmt.Errorf("blocks: queue %q needs its computed ARN (QueuePairProps.QueueArn) for the redrive-allow policy of its dead-letter queue", p.QueueName))
	}
	dlqProps := queueProps(QueueProps{QueueName: p.DeadLetterQueueName, Fifo: p.Fifo, Key: p.Key, Retention: p.DeadLetterRetention})
	dlqProps.RedriveAllowPolicy = &awssqs.RedriveAllowPolicy{
		RedrivePermission: awssqs.RedrivePermission_BY_QUEUE,
		SourceQueues:      &[]awssqs.IQueue{awssqs.Queue_FromQueueArn(scope, jsii.String(or(p.QueueRefID, "SourceQueueRef")), jsii.String(p.QueueArn))},
	}
	deadLetter = awssqs.NewQueue(scope, jsii.String(or(p.DeadLetterQueueID, "DeadLetterQueue")), dlqProps)

	qProps := queueProps(QueueProps{QueueName: p.QueueName, Fifo: p.Fifo, Key: p.Key, Retention: p.RetentionPeriod})
	qProps.ContentBasedDeduplication = cdkx.TrueOrNil(p.ContentBasedDeduplication)
	qProps.ReceiveMessageWaitTime = cdkx.Seconds(p.ReceiveWaitTime)
	qProps.VisibilityTimeout = cdkx.Seconds(p.VisibilityTimeout)
	qProps.DeadLetterQueue = &awssqs.DeadLetterQueue{
		Queue:           deadLetter,
		MaxReceiveCount: jsii.Number(float64(p.MaxReceiveCount)),
	}
	queue = awssqs.NewQueue(scope, jsii.String(or(p.QueueID, "Resource")), qProps)
	return queue, deadLetter
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
