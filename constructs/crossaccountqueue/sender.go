package crossaccountqueue

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// SenderProps configure one sender half of a queue link.
type SenderProps struct {
	// Link describes the link. The receiver half must be given the same Link.
	Link Link
	// Account is the sender account this half is deployed in, one of
	// Link.SenderAccounts. Default: the account of the enclosing stack.
	Account string
	// EnvironmentAgnostic builds the half in a stack without an account or region (Env
	// unset) on purpose, for an environment-agnostic template: the check that the half
	// belongs in its stack's account and region is skipped. Default: false, and a stack
	// without Env is refused with a message that says how to set it.
	EnvironmentAgnostic bool
}

// Sender is one sender half of a queue link, deployed in a sender account: the
// producer role (created, or the account's roles from Link.SenderRoleArns) and an
// identity policy for exactly what the receiver grants.
type Sender struct {
	constructs.Construct
	// Link is the link with its defaults applied.
	Link Link
	// Account is the sender account of this half.
	Account string
	// ProducerRole is the created producer role; nil when the account lists roles of
	// its own in Link.SenderRoleArns.
	ProducerRole awsiam.Role
	// Roles are the roles that may send: ProducerRole, or the listed existing roles.
	Roles []awsiam.IRole
	// Policy is the identity policy attached to Roles. Its permissions:
	// with AccessQueuePolicy, sqs:SendMessage on the remote queue, plus
	// kms:GenerateDataKey and kms:Decrypt through SQS for that queue with EncryptionKMS;
	// with AccessAssumeRole, sts:AssumeRole on the remote access role.
	Policy awsiam.Policy
}

// NewSender builds the sender half of props.Link for one sender account in scope. It
// panics with every problem of the link at once when the link is invalid.
func NewSender(scope constructs.Construct, id string, props *SenderProps) *Sender {
	if props == nil {
		panic(fmt.Errorf("crossaccountqueue: sender %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	account := blocks.Side{Pkg: "crossaccountqueue", Link: l.Name, Region: l.Region, Regions: l.SenderRegions, Role: "sender", Accounts: l.SenderAccounts}.Account(scope, "sender", props.Account, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	s := &Sender{Construct: c, Link: l, Account: account}

	s.ProducerRole, s.Roles = blocks.NewWorkloadRoles(c, blocks.WorkloadRolesProps{
		RoleID:      "ProducerRole",
		ImportID:    "SenderRole",
		RoleName:    l.ProducerRoleName(),
		Description: fmt.Sprintf("Sends to queue %s in account %s (link %s)", l.QueueName(), l.ReceiverAccount, l.Name),
		Account:     account,
		Existing:    l.ExistingSenderRoles(account),
	})

	var statements []awsiam.PolicyStatement
	var suppressions []cdkx.Suppression
	switch l.Access {
	case AccessAssumeRole:
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("AssumeLinkAccessRole"),
			Actions:   jsii.Strings("sts:AssumeRole"),
			Resources: jsii.Strings(l.AccessRoleArn()),
		}))
	default:
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("SendToLinkQueue"),
			Actions:   cdkx.Strings(sendActions),
			Resources: jsii.Strings(l.QueueArn()),
		}))
		if l.Encryption == EncryptionKMS {
			keys := awsarn.KeyWildcard(l.Region, l.ReceiverAccount)
			statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("UseLinkQueueKeyThroughSQS"),
				Actions:    cdkx.Strings(keyActions),
				Resources:  jsii.Strings(keys),
				Conditions: keyConditions(l),
			}))
			suppressions = append(suppressions, cdkx.Suppression{
				ID: "AwsSolutions-IAM5",
				Reason: "the queue's key is created in the receiver account with an ID this account cannot know; " +
					"kms:ViaService and kms:EncryptionContext:aws:sqs:arn pin the permission to the link's queue, and only its key policy admits this role",
				AppliesTo: []string{"Resource::" + keys},
			})
		}
	}
	s.Policy = awsiam.NewPolicy(c, jsii.String("SendPolicy"), &awsiam.PolicyProps{
		Roles:      &s.Roles,
		Statements: &statements,
	})
	if len(suppressions) > 0 {
		cdkx.Suppress(s.Policy, suppressions...)
	}
	if s.ProducerRole != nil {
		awscdk.NewCfnOutput(c, jsii.String("ProducerRoleArn"), &awscdk.CfnOutputProps{
			Value:       s.ProducerRole.RoleArn(),
			Description: jsii.String(fmt.Sprintf("Role that sends through link %s", l.Name)),
		})
	}
	return s
}
