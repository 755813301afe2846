package snstoremotesqs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// Actions a publisher needs on the topic's customer managed key (Amazon SNS
// Developer Guide, "Allow a user to send messages to a topic with SSE").
var publisherKeyActions = []string{"kms:GenerateDataKey", "kms:Decrypt"}

// awsManagedKeyAlias is the AWS managed key of SNS, used with TopicEncryptionAWSManaged.
const awsManagedKeyAlias = "alias/aws/sns"

// SenderProps configure the sender half of a topic link.
type SenderProps struct {
	// Link describes the link. The receiver halves and subscriptions must be given the
	// same Link.
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

// Sender is the sender half of a topic link, deployed in the sender account: the
// topic, its customer managed key (TopicEncryptionKMS), the topic policy that admits
// exactly the link's publishers and receiver accounts, and the publisher role with an
// identity policy to publish.
type Sender struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (deliveries the topic failed, and failed to put in a dead-letter queue). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Topic fans the published messages out to the receivers' queues.
	Topic awssns.Topic
	// Key encrypts the topic; nil unless Encryption is TopicEncryptionKMS.
	Key awskms.Key
	// PublisherRole is the created publisher role; nil when the link lists roles of
	// its own in PublisherRoleArns.
	PublisherRole awsiam.Role
	// Roles are the roles that may publish: PublisherRole, or the listed roles.
	Roles []awsiam.IRole
	// Policy is the identity policy attached to Roles: sns:Publish on the topic, plus
	// kms:GenerateDataKey and kms:Decrypt on its key, only through SNS and only for
	// this topic, with TopicEncryptionKMS.
	Policy awsiam.Policy
}

// NewSender builds the sender half of props.Link in scope, which must belong to a
// stack in the link's sender account. It panics with every problem of the link at
// once when the link is invalid.
//
// The half names the receivers' queues only by computed ARN, in the conditions of the
// topic policy: it deploys before or after the receivers.
func NewSender(scope constructs.Construct, id string, props *SenderProps) *Sender {
	if props == nil {
		panic(fmt.Errorf("snstoremotesqs: sender %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	cdkx.CheckStackEnv(scope, "snstoremotesqs", "the sender half of link "+l.Name, l.SenderAccount, l.Region, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	s := &Sender{Construct: c, Link: l}

	var masterKey awskms.IKey
	switch l.Encryption {
	case TopicEncryptionKMS:
		s.Key = blocks.NewKey(c, "Key", blocks.KeyProps{
			Alias:       l.KeyAlias(),
			Description: fmt.Sprintf("Encrypts topic %s (link %s)", l.TopicName(), l.Name),
		})
		masterKey = s.Key
	case TopicEncryptionAWSManaged:
		masterKey = awskms.Alias_FromAliasName(c, jsii.String("AwsManagedKey"), jsii.String(awsManagedKeyAlias))
	}

	s.Topic = awssns.NewTopic(c, jsii.String("Resource"), &awssns.TopicProps{
		TopicName:                 jsii.String(l.TopicName()),
		Fifo:                      cdkx.TrueOrNil(l.Fifo),
		ContentBasedDeduplication: cdkx.TrueOrNil(l.ContentBasedDeduplication),
		MasterKey:                 masterKey,
	})
	s.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.Region, l.SenderAccount, props.AlarmTopicArn)
	s.Alarms.TopicFailures(l.TopicName())
	// The whole topic policy comes from the link, where Validate measured it against
	// the SNS limits; it names the topic by its computed ARN, which is the ARN of
	// s.Topic.
	for _, st := range l.TopicPolicy()["Statement"].([]any) {
		s.Topic.AddToResourcePolicy(awsiam.PolicyStatement_FromJson(st))
	}

	s.PublisherRole, s.Roles = blocks.NewWorkloadRoles(c, blocks.WorkloadRolesProps{
		RoleID:      "PublisherRole",
		ImportID:    "PublisherRole",
		RoleName:    l.PublisherRoleName(),
		Description: fmt.Sprintf("Publishes to topic %s (link %s)", l.TopicName(), l.Name),
		Account:     l.SenderAccount,
		Existing:    l.PublisherRoleArns,
	})

	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PublishToLinkTopic"),
		Actions:   jsii.Strings("sns:Publish"),
		Resources: &[]*string{s.Topic.TopicArn()},
	})}
	if s.Key != nil {
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("UseLinkTopicKeyThroughSNS"),
			Actions:   cdkx.Strings(publisherKeyActions),
			Resources: &[]*string{s.Key.KeyArn()},
			Conditions: &map[string]any{"StringEquals": map[string]any{
				"kms:ViaService":                         awsarn.ServiceHost("sns", l.Region),
				"kms:EncryptionContext:aws:sns:topicArn": l.TopicArn(),
			}},
		}))
	}
	s.Policy = awsiam.NewPolicy(c, jsii.String("PublishPolicy"), &awsiam.PolicyProps{
		Roles:      &s.Roles,
		Statements: &statements,
	})

	awscdk.NewCfnOutput(c, jsii.String("TopicArn"), &awscdk.CfnOutputProps{
		Value:       s.Topic.TopicArn(),
		Description: jsii.String(fmt.Sprintf("ARN of the topic of link %s", l.Name)),
	})
	if s.PublisherRole != nil {
		awscdk.NewCfnOutput(c, jsii.String("PublisherRoleArn"), &awscdk.CfnOutputProps{
			Value:       s.PublisherRole.RoleArn(),
			Description: jsii.String(fmt.Sprintf("Role that publishes to the topic of link %s", l.Name)),
		})
	}
	return s
}
