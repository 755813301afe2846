package sharedkinesisefo

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// Actions granted by the link's policies. Kinesis resource policies can share only
// some actions; these are the ones the AWS example for cross-account Lambda consumers
// grants, and what a Lambda event source mapping on an enhanced fan-out consumer uses.
var (
	// produceActions: what the producer roles may do on the stream.
	produceActions = []string{"kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"}
	// lookupActions: what the look-up role in the producer account may do on the
	// link's consumers.
	lookupActions = []string{"kinesis:DescribeStreamConsumer"}
)

// grantStatement builds the CDK statement of g on resource (which may be a token).
func grantStatement(g streamlink.Grant, resource *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(g.Sid),
		Principals: &[]awsiam.IPrincipal{cdkx.Senders(g.Accounts, g.Roles)},
		Actions:    cdkx.Strings(g.Actions),
		Resources:  &[]*string{resource},
	})
}

// keyConditions pin a key permission to Kinesis and to this link's stream.
func keyConditions(l Link) *map[string]any {
	return &map[string]any{"StringEquals": map[string]any{
		"kms:ViaService":                        awsarn.ServiceHost("kinesis", l.Region),
		"kms:EncryptionContext:aws:kinesis:arn": l.StreamArn(),
	}}
}
