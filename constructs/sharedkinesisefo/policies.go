package sharedkinesisefo

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// Actions granted by the link's policies. Kinesis resource policies can share only
// some actions; these are the ones the AWS example for cross-account Lambda consumers
// grants, and what a Lambda event source mapping on an enhanced fan-out consumer uses.
var (
	// streamReadActions: what a consumer account's execution role may do on the
	// stream, in the stream's resource policy and in the role's identity policy.
	streamReadActions = []string{
		"kinesis:DescribeStreamSummary", "kinesis:DescribeStream", "kinesis:ListShards",
		"kinesis:GetRecords", "kinesis:GetShardIterator",
	}
	// consumerReadActions: what it may do on its own registered consumer, in the
	// consumer's resource policy and in the role's identity policy.
	consumerReadActions = []string{"kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"}
	// produceActions: what the producer roles may do on the stream.
	produceActions = []string{"kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"}
	// lookupActions: what the look-up role in the producer account may do on the
	// link's consumers.
	lookupActions = []string{"kinesis:DescribeStreamConsumer"}
)

// grant is one Allow statement of a Kinesis resource policy, as plain Go values: the
// accounts' root principals narrowed to exactly Roles by aws:PrincipalArn, on the
// policy's resource. It is the only form in which the link's resource policies admit
// anybody, so they hold no wildcard and no service principal by construction.
type grant struct {
	// Region is the link's region; it gives the partition of the account root ARNs.
	Region   string
	Sid      string
	Accounts []string
	Roles    []string
	Actions  []string
}

// document is the statement on resource as it appears in the synthesized policy, for
// the size estimate.
func (g grant) document(resource string) map[string]any {
	principals := make([]any, len(g.Accounts))
	for i, a := range g.Accounts {
		principals[i] = awsarn.AccountRoot(g.Region, a)
	}
	return map[string]any{
		"Sid":       g.Sid,
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": principals},
		"Action":    g.Actions,
		"Resource":  resource,
		"Condition": cdkx.RoleCondition(g.Accounts, g.Roles),
	}
}

// statement builds the CDK statement of g on resource (which may be a token).
func (g grant) statement(resource *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(g.Sid),
		Principals: &[]awsiam.IPrincipal{cdkx.Senders(g.Accounts, g.Roles)},
		Actions:    cdkx.Strings(g.Actions),
		Resources:  &[]*string{resource},
	})
}

// streamPolicyGrants are the statements of the stream's resource policy: every
// consumer account's execution role may read the stream.
func (l Link) streamPolicyGrants() []grant {
	return []grant{{
		Region:   l.Region,
		Sid:      "AllowLinkConsumersToReadStream",
		Accounts: l.ConsumerAccounts,
		Roles:    l.ConsumerRoleArns(),
		Actions:  streamReadActions,
	}}
}

// consumerPolicyGrants are the statements of the resource policy of account's
// registered consumer: only that account's execution role may use it.
func (l Link) consumerPolicyGrants(account string) []grant {
	return []grant{{
		Region:   l.Region,
		Sid:      "AllowLinkConsumerToSubscribe",
		Accounts: []string{account},
		Roles:    []string{l.ConsumerRoleArn(account)},
		Actions:  consumerReadActions,
	}}
}

// keyConditions pin a key permission to Kinesis and to this link's stream.
func (l Link) keyConditions() *map[string]any {
	return &map[string]any{"StringEquals": map[string]any{
		"kms:ViaService":                        awsarn.ServiceHost("kinesis", l.Region),
		"kms:EncryptionContext:aws:kinesis:arn": l.StreamArn(),
	}}
}
