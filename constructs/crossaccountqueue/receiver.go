package crossaccountqueue

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/linkkind"
)

// Actions the queue policy grants to senders with AccessQueuePolicy, and the access
// role may do with AccessAssumeRole. Sending needs nothing else: clients address the
// queue by its URL, which Link.QueueURL computes.
var sendActions = []string{"sqs:SendMessage"}

// Actions a sender needs on the queue's customer managed key (EncryptionKMS).
var keyActions = []string{"kms:GenerateDataKey", "kms:Decrypt"}

// ReceiverProps configure the receiver half of a queue link.
type ReceiverProps struct {
	// Link describes the link. The sender halves must be given the same Link.
	Link Link
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

// Receiver is the receiver half of a queue link, deployed in the receiver account: the
// queue, its dead-letter queue, the customer managed key (EncryptionKMS) and the
// access role (AccessAssumeRole), with the resource policies that admit exactly the
// link's senders.
type Receiver struct {
	constructs.Construct
	// Link is the link with its defaults applied.
	Link Link
	// Queue receives the senders' messages.
	Queue awssqs.Queue
	// DeadLetterQueue holds messages received MaxReceiveCount times without success.
	DeadLetterQueue awssqs.Queue
	// Key encrypts both queues; nil unless Encryption is EncryptionKMS.
	Key awskms.Key
	// AccessRole is the role senders assume; nil unless Access is AccessAssumeRole.
	// Its trust policy is written whole from the link (one statement for every sender
	// account): statements added later through AssumeRolePolicy are not deployed.
	AccessRole awsiam.Role
	// Alarms are the receiver's CloudWatch alarms: a message in the dead-letter queue,
	// the queue's oldest message older than the threshold. Nil with alarms: false.
	Alarms *blocks.Alarms
}

// NewReceiver builds the receiver half of props.Link in scope, which must belong to a
// stack in the link's receiver account. It panics with every problem of the link at
// once when the link is invalid.
func NewReceiver(scope constructs.Construct, id string, props *ReceiverProps) *Receiver {
	if props == nil {
		panic(fmt.Errorf("crossaccountqueue: receiver %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	cdkx.CheckStackEnv(scope, "crossaccountqueue", "the receiver half of link "+l.Name, l.ReceiverAccount, l.Region, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	r := &Receiver{Construct: c, Link: l}

	if l.Encryption == EncryptionKMS {
		r.Key = blocks.NewKey(c, "Key", blocks.KeyProps{
			Alias:       l.KeyAlias(),
			Description: fmt.Sprintf("Encrypts queue %s and its dead-letter queue (link %s)", l.QueueName(), l.Name),
		})
	}

	r.Queue, r.DeadLetterQueue = NewQueuePair(c, QueuePairProps{
		QueueName:                 l.QueueName(),
		DeadLetterQueueName:       l.DeadLetterQueueName(),
		QueueArn:                  l.QueueArn(),
		Fifo:                      l.Fifo,
		ContentBasedDeduplication: l.ContentBasedDeduplication,
		Key:                       r.Key,
		MaxReceiveCount:           l.MaxReceiveCount,
		VisibilityTimeout:         l.VisibilityTimeout,
		RetentionPeriod:           l.RetentionPeriod,
		ReceiveWaitTime:           l.ReceiveWaitTime,
	})

	r.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.Region, l.ReceiverAccount, props.AlarmTopicArn)
	r.Alarms.DeadLetterQueue("dlq-visible", l.DeadLetterQueueName(), "messages its consumers failed on")
	r.Alarms.OldestMessage("queue-oldest", l.QueueName(), l.OldestMessageThreshold(l.RetentionPeriod))

	switch l.Access {
	case AccessQueuePolicy:
		if len(l.SenderAccounts) > 0 || l.Allow == AllowOrganization {
			r.Queue.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("AllowSendFromLinkSenders"),
				Principals: &[]awsiam.IPrincipal{senderPrincipal(l)},
				Actions:    cdkx.Strings(sendActions),
				Resources:  &[]*string{r.Queue.QueueArn()},
				Conditions: sourceVpceCondition(l),
			}))
			if r.Key != nil {
				r.Key.AddToResourcePolicy(r.keyStatement(senderPrincipal(l)), nil)
			}
		}
		if len(l.SenderUnits) > 0 {
			// The member accounts of the units, unknown at synth: their producer
			// roles by name, only inside the units' organization paths.
			units := cdkx.Units(linkkind.Paths(l.SenderUnits), l.ProducerRolePattern())
			r.Queue.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("AllowSendFromLinkUnits"),
				Principals: &[]awsiam.IPrincipal{units},
				Actions:    cdkx.Strings(sendActions),
				Resources:  &[]*string{r.Queue.QueueArn()},
			}))
			if r.Key != nil {
				st := r.keyStatement(units)
				st.SetSid(jsii.String("AllowLinkUnitsThroughSQS"))
				r.Key.AddToResourcePolicy(st, nil)
			}
		}
	case AccessAssumeRole:
		r.AccessRole = r.newAccessRole(c)
	}

	awscdk.NewCfnOutput(c, jsii.String("QueueUrl"), &awscdk.CfnOutputProps{
		Value:       r.Queue.QueueUrl(),
		Description: jsii.String(fmt.Sprintf("URL of the queue of link %s", l.Name)),
	})
	if r.AccessRole != nil {
		awscdk.NewCfnOutput(c, jsii.String("AccessRoleArn"), &awscdk.CfnOutputProps{
			Value:       r.AccessRole.RoleArn(),
			Description: jsii.String(fmt.Sprintf("Role the senders of link %s assume", l.Name)),
		})
	}
	return r
}

// newAccessRole creates the role that the senders assume (AccessAssumeRole), allowed
// only to send to the queue and to use its key through SQS.
func (r *Receiver) newAccessRole(c constructs.Construct) awsiam.Role {
	l := r.Link
	var externalIDs *[]*string
	if l.ExternalID != "" {
		externalIDs = &[]*string{jsii.String(l.ExternalID)}
	}
	// The queue is named by its computed ARN: a reference would make the role wait for
	// the queue, which with a key waits for the key, whose policy names the role.
	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("SendToLinkQueue"),
		Actions:    cdkx.Strings(sendActions),
		Resources:  jsii.Strings(l.QueueArn()),
		Conditions: sourceVpceCondition(l),
	})}
	if r.Key != nil {
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("UseLinkQueueKeyThroughSQS"),
			Actions:    cdkx.Strings(keyActions),
			Resources:  &[]*string{r.Key.KeyArn()},
			Conditions: r.keyConditions(),
		}))
	}
	role := awsiam.NewRole(c, jsii.String("AccessRole"), &awsiam.RoleProps{
		RoleName:           jsii.String(l.AccessRoleName()),
		Description:        jsii.String(fmt.Sprintf("Assumed by the senders of link %s to send to queue %s", l.Name, l.QueueName())),
		AssumedBy:          senderPrincipal(l),
		ExternalIds:        externalIDs,
		MaxSessionDuration: cdkx.Seconds(l.MaxSessionDuration),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"send": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements}),
		},
	})
	switch l.Allow {
	case AllowRoles:
		cdkx.TrustAccounts(role, l.Region, l.SenderAccounts, l.AllSenderRoles(), externalIDCondition(l))
	case AllowAccounts:
		cdkx.TrustAccounts(role, l.Region, l.SenderAccounts, nil, externalIDCondition(l))
	}
	if r.Key != nil {
		// The role is named by its computed ARN behind the account principal: a
		// reference would make key and role depend on each other, and KMS rejects a
		// role principal that does not exist yet.
		r.Key.AddToResourcePolicy(r.keyStatement(cdkx.Senders([]string{l.ReceiverAccount}, []string{l.AccessRoleArn()})), nil)
	}
	return role
}

func externalIDCondition(l Link) map[string]map[string]any {
	if l.ExternalID == "" {
		return nil
	}
	return map[string]map[string]any{"StringEquals": {"sts:ExternalId": l.ExternalID}}
}

// keyStatement admits principal to the key's data-key operations, only through SQS
// and only for this link's queue.
func (r *Receiver) keyStatement(principal awsiam.IPrincipal) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowLinkSendersThroughSQS"),
		Principals: &[]awsiam.IPrincipal{principal},
		Actions:    cdkx.Strings(keyActions),
		Resources:  &[]*string{jsii.String("*")},
		Conditions: r.keyConditions(),
	})
}

func (r *Receiver) keyConditions() *map[string]any {
	return keyConditions(r.Link)
}

func keyConditions(l Link) *map[string]any {
	return &map[string]any{"StringEquals": map[string]any{
		"kms:ViaService":                    awsarn.ServiceHost("sqs", l.Region),
		"kms:EncryptionContext:aws:sqs:arn": l.QueueArn(),
	}}
}

// GrantConsume lets grantee, in the receiver account, consume the queue:
// sqs:ReceiveMessage, sqs:ChangeMessageVisibility, sqs:GetQueueUrl, sqs:DeleteMessage,
// sqs:GetQueueAttributes, and kms:Decrypt on the key when there is one.
func (r *Receiver) GrantConsume(grantee awsiam.IGrantable) awsiam.Grant {
	return r.Queue.GrantConsumeMessages(grantee)
}

// sourceVpceCondition requires requests to come through one of l.SourceVpce, or is
// nil. It is not put on key policies (SQS itself calls KMS) nor on the access role's
// trust policy (whether STS reports aws:SourceVpce for AssumeRole is not documented).
func sourceVpceCondition(l Link) *map[string]any {
	if len(l.SourceVpce) == 0 {
		return nil
	}
	return &map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": cdkx.Any(l.SourceVpce)}}
}

// senderPrincipal is who the receiver admits, by l.Allow.
func senderPrincipal(l Link) awsiam.IPrincipal {
	switch l.Allow {
	case AllowOrganization:
		return cdkx.Organization(l.OrganizationID)
	case AllowAccounts:
		return cdkx.Senders(l.SenderAccounts, nil)
	default:
		return cdkx.Senders(l.SenderAccounts, l.AllSenderRoles())
	}
}

// QueuePairProps configure a queue and its dead-letter queue with the receiver
// defaults of this package; see blocks.QueuePairProps.
type QueuePairProps = blocks.QueuePairProps

// NewQueuePair creates in scope the queue ("Resource") and its dead-letter queue
// ("DeadLetterQueue") with the receiver defaults; see blocks.NewQueuePair. The
// dead-letter queue keeps messages DeadLetterRetention unless p says otherwise.
func NewQueuePair(scope constructs.Construct, p QueuePairProps) (queue, deadLetter awssqs.Queue) {
	if p.DeadLetterRetention == 0 {
		p.DeadLetterRetention = DeadLetterRetention
	}
	return blocks.NewQueuePair(scope, p)
}
