package sharedkinesisefo

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesis"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// ProducerProps configure the producer half of a stream link.
type ProducerProps struct {
	// Link describes the link. The consumer halves must be given the same Link.
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

// Producer is the producer half of a stream link, deployed in the producer account:
// the stream and its key, one registered enhanced fan-out consumer per consumer
// account, the resource policies that admit exactly each consumer account's execution
// role, the producer roles' permissions, and the role the consumer accounts assume to
// look their consumer's ARN up.
type Producer struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (throttled writes to the stream). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Stream is the data stream, encrypted with Key, retained when the stack is deleted.
	// Do not call Stream.AddToResourcePolicy: a stream has one resource policy, and
	// StreamPolicy is it.
	Stream awskinesis.Stream
	// Key encrypts the stream; rotation on, retained when the stack is deleted.
	Key awskms.Key
	// Consumers are the registered consumers by consumer account ID.
	Consumers map[string]awskinesis.CfnStreamConsumer
	// StreamPolicy is the stream's resource policy: the consumer accounts' execution
	// roles may read the stream.
	StreamPolicy awskinesis.CfnResourcePolicy
	// ConsumerPolicies are the consumers' resource policies by consumer account ID: each
	// admits only that account's execution role.
	ConsumerPolicies map[string]awskinesis.CfnResourcePolicy
	// ProducerRole is the created producer role; nil when the link lists
	// ProducerRoleArns.
	ProducerRole awsiam.Role
	// ProducerRoles are the roles that put records: ProducerRole, or the listed roles.
	ProducerRoles []awsiam.IRole
	// ProducerPolicy is attached to ProducerRoles: kinesis:PutRecord,
	// kinesis:PutRecords and kinesis:DescribeStreamSummary on the stream, and
	// kms:GenerateDataKey on Key through Kinesis for this stream.
	ProducerPolicy awsiam.Policy
	// LookupRoles are the roles, one per consumer account that looks its consumer's
	// ARN up, that its look-up function assumes: kinesis:DescribeStreamConsumer on that
	// account's consumer only, and nothing else. Empty when every consumer account has
	// an entry in ConsumerArns.
	LookupRoles map[string]awsiam.Role
}

// NewProducer builds the producer half of props.Link in scope, which must belong to a
// stack in the link's producer account and region. It panics with every problem of the
// link at once when the link is invalid. It needs nothing of the consumer accounts:
// their roles are admitted by computed ARN behind their accounts' root principals.
func NewProducer(scope constructs.Construct, id string, props *ProducerProps) *Producer {
	if props == nil {
		panic(fmt.Errorf("sharedkinesisefo: producer %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	cdkx.CheckStackEnv(scope, "sharedkinesisefo", "the producer half of link "+l.Name, l.ProducerAccount, l.Region, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	p := &Producer{
		Construct: c, Link: l,
		Consumers:        map[string]awskinesis.CfnStreamConsumer{},
		ConsumerPolicies: map[string]awskinesis.CfnResourcePolicy{},
	}

	p.Key = blocks.NewKey(c, "Key", blocks.KeyProps{
		Alias:       l.KeyAlias(),
		Description: fmt.Sprintf("Encrypts Kinesis stream %s (link %s)", l.StreamName(), l.Name),
	})
	// The consumer roles are named by computed ARN behind their accounts' root
	// principals: KMS rejects a role principal that does not exist yet.
	p.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowLinkConsumersToDecryptThroughKinesis"),
		Principals: &[]awsiam.IPrincipal{cdkx.Senders(l.ConsumerAccounts, l.ConsumerRoleArns())},
		Actions:    jsii.Strings("kms:Decrypt"),
		Resources:  jsii.Strings("*"),
		Conditions: keyConditions(l),
	}), nil)

	streamProps := &awskinesis.StreamProps{
		StreamName:      jsii.String(l.StreamName()),
		StreamMode:      awskinesis.StreamMode_ON_DEMAND,
		RetentionPeriod: cdkx.Seconds(l.Retention),
		Encryption:      awskinesis.StreamEncryption_KMS,
		EncryptionKey:   p.Key,
		RemovalPolicy:   awscdk.RemovalPolicy_RETAIN,
	}
	if l.StreamMode == StreamModeProvisioned {
		streamProps.StreamMode = awskinesis.StreamMode_PROVISIONED
		streamProps.ShardCount = jsii.Number(float64(l.ShardCount))
	}
	p.Stream = awskinesis.NewStream(c, jsii.String("Resource"), streamProps)
	cdkx.Suppress(p.Stream, cdkx.Suppression{
		ID: "AwsSolutions-KDS3",
		Reason: "a customer managed key is required: the AWS managed aws/kinesis key cannot be used by other accounts, " +
			"and only a key policy of our own can admit exactly the consumer accounts' execution roles",
	})

	p.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.Region, l.ProducerAccount, props.AlarmTopicArn)
	p.Alarms.StreamWriteThrottled("stream-write-throttled", l.StreamName())

	p.StreamPolicy = awskinesis.NewCfnResourcePolicy(c, jsii.String("StreamPolicy"), &awskinesis.CfnResourcePolicyProps{
		ResourceArn:    p.Stream.StreamArn(),
		ResourcePolicy: document(l.StreamPolicyGrants(), p.Stream.StreamArn()),
	})

	for _, a := range l.ConsumerAccounts {
		consumer := awskinesis.NewCfnStreamConsumer(c, jsii.String("Consumer"+a), &awskinesis.CfnStreamConsumerProps{
			ConsumerName: jsii.String(l.ConsumerName(a)),
			StreamArn:    p.Stream.StreamArn(),
		})
		policy := awskinesis.NewCfnResourcePolicy(c, jsii.String("ConsumerPolicy"+a), &awskinesis.CfnResourcePolicyProps{
			ResourceArn:    consumer.AttrConsumerArn(),
			ResourcePolicy: document(l.ConsumerPolicyGrants(a), consumer.AttrConsumerArn()),
		})
		// An explicit DependsOn, although the policy already references the consumer:
		// CloudFormation reports AWS::Kinesis::StreamConsumer complete before the
		// consumer is ACTIVE, and attaching a policy to a consumer that is not ACTIVE
		// fails ("Consumer ... is not in ACTIVE status", HandlerErrorCode AlreadyExists).
		// aws-cloudformation/cloudformation-coverage-roadmap#2442 reports the explicit
		// DependsOn as the workaround; aws/aws-cdk#37108 saw the same failure with only
		// the implicit Fn::GetAtt dependency. Should it still occur, deploying the stack
		// again succeeds, as the consumer is ACTIVE by then.
		policy.AddResourceDependency(consumer, jsii.String("the consumer must exist (and be ACTIVE) before its resource policy"))
		p.Consumers[a] = consumer
		p.ConsumerPolicies[a] = policy
	}

	p.newProducerRoles(c)
	p.LookupRoles = map[string]awsiam.Role{}
	for _, a := range l.LookupAccounts() {
		p.LookupRoles[a] = p.newLookupRole(c, a)
	}

	awscdk.NewCfnOutput(c, jsii.String("StreamArn"), &awscdk.CfnOutputProps{
		Value:       p.Stream.StreamArn(),
		Description: jsii.String(fmt.Sprintf("ARN of the stream of link %s", l.Name)),
	})
	if p.ProducerRole != nil {
		awscdk.NewCfnOutput(c, jsii.String("ProducerRoleArn"), &awscdk.CfnOutputProps{
			Value:       p.ProducerRole.RoleArn(),
			Description: jsii.String(fmt.Sprintf("Role that puts records into the stream of link %s", l.Name)),
		})
	}
	return p
}

// document builds a resource policy holding grants, each on resource.
func document(grants []streamlink.Grant, resource *string) awsiam.PolicyDocument {
	statements := make([]awsiam.PolicyStatement, len(grants))
	for i, g := range grants {
		statements[i] = grantStatement(g, resource)
	}
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements})
}

// newProducerRoles creates the producer role (or imports the listed ones) and their
// identity policy. They are in the stream's own account, whose key policy delegates
// to IAM, so no resource policy needs to name them.
func (p *Producer) newProducerRoles(c constructs.Construct) {
	l := p.Link
	p.ProducerRole, p.ProducerRoles = blocks.NewWorkloadRoles(c, blocks.WorkloadRolesProps{
		RoleID:      "ProducerRole",
		ImportID:    "ProducerRole",
		RoleName:    l.ProducerRoleName(),
		Description: fmt.Sprintf("Puts records into Kinesis stream %s (link %s)", l.StreamName(), l.Name),
		Account:     l.ProducerAccount,
		Existing:    l.ProducerRoleArns,
	})
	p.ProducerPolicy = awsiam.NewPolicy(c, jsii.String("ProducerPolicy"), &awsiam.PolicyProps{
		Roles: &p.ProducerRoles,
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("PutRecordsIntoLinkStream"),
				Actions:   cdkx.Strings(produceActions),
				Resources: &[]*string{p.Stream.StreamArn()},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("EncryptWithLinkStreamKeyThroughKinesis"),
				Actions:    jsii.Strings("kms:GenerateDataKey"),
				Resources:  &[]*string{p.Key.KeyArn()},
				Conditions: keyConditions(l),
			}),
		},
	})
}

// newLookupRole creates the role that the look-up function of the consumer account
// assumes. Kinesis answers DescribeStreamConsumer by stream ARN and consumer name only
// inside the stream's account (a cross-account call must give the consumer's ARN,
// which is what the consumer account is looking for), so the look-up runs here. Each
// consumer account has a role of its own, which can describe only its own consumer.
func (p *Producer) newLookupRole(c constructs.Construct, account string) awsiam.Role {
	l := p.Link
	// By-name calls are authorized against the ARN without the creation timestamp;
	// the full ARN is listed too, for a caller that has it.
	resources := []*string{jsii.String(l.ConsumerByNameArn(account)), p.Consumers[account].AttrConsumerArn()}
	return awsiam.NewRole(c, jsii.String("LookupRole"+account), &awsiam.RoleProps{
		RoleName:    jsii.String(l.LookupRoleName(account)),
		Description: jsii.String(fmt.Sprintf("Assumed by account %s to look up the ARN of its consumer of stream %s (link %s)", account, l.StreamName(), l.Name)),
		// The consumer account's look-up function role, by computed ARN behind its
		// account's root principal: it need not exist yet.
		AssumedBy: cdkx.Senders([]string{account}, []string{l.LookupFunctionRoleArn(account)}),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"describe-consumers": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &[]awsiam.PolicyStatement{
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("DescribeOwnConsumer"),
					Actions:   cdkx.Strings(lookupActions),
					Resources: &resources,
				}),
			}}),
		},
	})
}
