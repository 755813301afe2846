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
	"github.com/crosswire/crosswire/internal/cdkx"
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
	AccessRole awsiam.Role
}

// NewReceiver builds the receiver half of props.Link in scope, which must belong to a
// stack in the link's receiver account. It panics with every problem of the link at
// once when the link is invalid.
func NewReceiver(scope constructs.Construct, id string, props *ReceiverProps) *Receiver {
	if props == nil {
		panic(fmt.Errorf("crossaccountqueue: receiver %q needs props with a Link", id))
	}
	if err := props.Link.Validate(); err != nil {
		panic(err)
	}
	l := props.Link.WithDefaults()
	checkStackEnv(scope, "receiver", l, l.ReceiverAccount)

	c := constructs.NewConstruct(scope, jsii.String(id))
	r := &Receiver{Construct: c, Link: l}

	encryption := awssqs.QueueEncryption_SQS_MANAGED
	if l.Encryption == EncryptionKMS {
		r.Key = awskms.NewKey(c, jsii.String("Key"), &awskms.KeyProps{
			Description:       jsii.String(fmt.Sprintf("Encrypts queue %s and its dead-letter queue (link %s)", l.QueueName(), l.Name)),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
			Alias:             jsii.String("alias/" + l.base()),
		})
		encryption = awssqs.QueueEncryption_KMS
	}

	r.DeadLetterQueue = awssqs.NewQueue(c, jsii.String("DeadLetterQueue"), &awssqs.QueueProps{
		QueueName:           jsii.String(l.DeadLetterQueueName()),
		Fifo:                fifo(l),
		Encryption:          encryption,
		EncryptionMasterKey: r.Key,
		EnforceSSL:          jsii.Bool(true),
		RetentionPeriod:     cdkx.Seconds(DeadLetterRetention),
		RemovalPolicy:       awscdk.RemovalPolicy_RETAIN,
		// Only this link's queue may move messages here. The queue is named by its
		// computed ARN: a reference would make the two queues depend on each other.
		RedriveAllowPolicy: &awssqs.RedriveAllowPolicy{
			RedrivePermission: awssqs.RedrivePermission_BY_QUEUE,
			SourceQueues:      &[]awssqs.IQueue{awssqs.Queue_FromQueueArn(c, jsii.String("SourceQueueRef"), jsii.String(l.QueueArn()))},
		},
	})

	var dedup *bool
	if l.ContentBasedDeduplication {
		dedup = jsii.Bool(true)
	}
	r.Queue = awssqs.NewQueue(c, jsii.String("Resource"), &awssqs.QueueProps{
		QueueName:                 jsii.String(l.QueueName()),
		Fifo:                      fifo(l),
		ContentBasedDeduplication: dedup,
		Encryption:                encryption,
		EncryptionMasterKey:       r.Key,
		EnforceSSL:                jsii.Bool(true),
		ReceiveMessageWaitTime:    cdkx.Seconds(l.ReceiveWaitTime),
		RetentionPeriod:           cdkx.Seconds(l.RetentionPeriod),
		VisibilityTimeout:         cdkx.Seconds(l.VisibilityTimeout),
		DeadLetterQueue: &awssqs.DeadLetterQueue{
			Queue:           r.DeadLetterQueue,
			MaxReceiveCount: jsii.Number(float64(l.MaxReceiveCount)),
		},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})

	switch l.Access {
	case AccessQueuePolicy:
		r.Queue.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowSendFromLinkSenders"),
			Principals: &[]awsiam.IPrincipal{l.senderPrincipal()},
			Actions:    cdkx.Strings(sendActions),
			Resources:  &[]*string{r.Queue.QueueArn()},
		}))
		if r.Key != nil {
			r.Key.AddToResourcePolicy(r.keyStatement(l.senderPrincipal()), nil)
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
		Sid:       jsii.String("SendToLinkQueue"),
		Actions:   cdkx.Strings(sendActions),
		Resources: jsii.Strings(l.QueueArn()),
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
		AssumedBy:          l.senderPrincipal(),
		ExternalIds:        externalIDs,
		MaxSessionDuration: cdkx.Seconds(l.MaxSessionDuration),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"send": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements}),
		},
	})
	if r.Key != nil {
		// The role is named by its computed ARN behind the account principal: a
		// reference would make key and role depend on each other, and KMS rejects a
		// role principal that does not exist yet.
		r.Key.AddToResourcePolicy(r.keyStatement(cdkx.Senders([]string{l.ReceiverAccount}, []string{l.AccessRoleArn()})), nil)
	}
	return role
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

// senderPrincipal is who the receiver admits, by l.Allow.
func (l Link) senderPrincipal() awsiam.IPrincipal {
	switch l.Allow {
	case AllowOrganization:
		return cdkx.Organization(l.OrganizationID)
	case AllowAccounts:
		return cdkx.Senders(l.SenderAccounts, nil)
	default:
		return cdkx.Senders(l.SenderAccounts, l.AllSenderRoles())
	}
}

func fifo(l Link) *bool {
	if l.Fifo {
		return jsii.Bool(true)
	}
	return nil
}

// checkStackEnv panics when scope's stack is pinned to another account or region than
// the half of the link it is asked to build.
func checkStackEnv(scope constructs.Construct, half string, l Link, account string) {
	stack := awscdk.Stack_Of(scope)
	if a := *stack.Account(); !*awscdk.Token_IsUnresolved(&a) && a != account {
		panic(fmt.Errorf("crossaccountqueue: the %s half of link %q belongs in account %s, but stack %s is in account %s", half, l.Name, account, *stack.StackName(), a))
	}
	if rg := *stack.Region(); !*awscdk.Token_IsUnresolved(&rg) && rg != l.Region {
		panic(fmt.Errorf("crossaccountqueue: link %q is in region %s, but stack %s is in region %s", l.Name, l.Region, *stack.StackName(), rg))
	}
}
