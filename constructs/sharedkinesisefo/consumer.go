package sharedkinesisefo

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/golambda"
)

// Import paths of the Go handlers the consumer half runs, built by golambda.
const (
	// ConsumerHandler is the main package of the consumer function.
	ConsumerHandler = "github.com/crosswire/crosswire/lambdas/streamconsumer"
	// LookupHandler is the main package of the look-up function (Custom::KinesisConsumerArn).
	LookupHandler = "github.com/crosswire/crosswire/lambdas/consumerarn"
)

// Settings of the consumer half that are not link options.
const (
	// ConsumerTimeout is the consumer function's timeout.
	ConsumerTimeout = time.Minute
	// LookupTimeout is the look-up function's timeout: it waits for the consumer to be
	// ACTIVE for up to four minutes.
	LookupTimeout = 5 * time.Minute
	// FailureRetention is how long the on-failure queue keeps a failed batch's position:
	// the SQS maximum.
	FailureRetention = 14 * 24 * time.Hour
)

// ConsumerRoleProps configure the execution role of one consumer account.
type ConsumerRoleProps struct {
	// Link describes the link. The producer half must be given the same Link.
	Link Link
	// Account is the consumer account, one of Link.ConsumerAccounts.
	// Default: the account of the enclosing stack.
	Account string
	// EnvironmentAgnostic builds the half in a stack without an account or region (Env
	// unset) on purpose, for an environment-agnostic template: the check that the half
	// belongs in its stack's account and region is skipped. Default: false, and a stack
	// without Env is refused with a message that says how to set it.
	EnvironmentAgnostic bool
}

// ConsumerRole is the execution role of a consumer account's function,
// Link.ConsumerRoleName, with the permissions it needs on the producer's stream and
// key. It uses only computed ARNs, so its stack deploys before or after the producer's.
type ConsumerRole struct {
	constructs.Construct
	// Link is the link with its defaults applied.
	Link Link
	// Account is the consumer account.
	Account string
	// Role is trusted by Lambda. Its inline policy allows kinesis:DescribeStreamSummary,
	// kinesis:DescribeStream, kinesis:ListShards, kinesis:GetRecords and
	// kinesis:GetShardIterator on the remote stream, and kms:Decrypt on the producer
	// account's keys only through Kinesis for that stream. NewConsumer adds the rest.
	Role awsiam.Role
}

// NewConsumerRole builds the execution role of props.Link's consumer function in
// scope, which must belong to a stack in a consumer account. Put it where the role
// must exist: with NewConsumer, or in an earlier stack of the same account (then give
// NewConsumer ImportConsumerRole). It panics with every problem of the link at once
// when the link is invalid.
func NewConsumerRole(scope constructs.Construct, id string, props *ConsumerRoleProps) *ConsumerRole {
	if props == nil {
		panic(fmt.Errorf("sharedkinesisefo: consumer role %q needs props with a Link", id))
	}
	l, account := consumerSide(scope, "consumer role", props.Link, props.Account, props.EnvironmentAgnostic)
	keys := awsarn.KeyWildcard(l.Region, l.ProducerAccount)
	role := awsiam.NewRole(scope, jsii.String(id), &awsiam.RoleProps{
		RoleName:    jsii.String(l.ConsumerRoleName()),
		Description: jsii.String(fmt.Sprintf("Runs the consumer of Kinesis stream %s in account %s (link %s)", l.StreamName(), l.ProducerAccount, l.Name)),
		AssumedBy:   cdkx.Service("lambda.amazonaws.com"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"read-stream": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &[]awsiam.PolicyStatement{
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("ReadLinkStream"),
					Actions:   cdkx.Strings(streamlink.StreamReadActions),
					Resources: jsii.Strings(l.StreamArn()),
				}),
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:        jsii.String("DecryptLinkStreamThroughKinesis"),
					Actions:    jsii.Strings("kms:Decrypt"),
					Resources:  jsii.Strings(keys),
					Conditions: keyConditions(l),
				}),
			}}),
		},
	})
	cdkx.Suppress(role, cdkx.Suppression{
		ID: "AwsSolutions-IAM5",
		Reason: "the stream's key is created in the producer account with an ID this account cannot know; " +
			"kms:ViaService and kms:EncryptionContext:aws:kinesis:arn pin the permission to the link's stream, and only its key policy admits this role",
		AppliesTo: []string{"Resource::" + keys},
	})
	return &ConsumerRole{Construct: role, Link: l, Account: account, Role: role}
}

// ImportConsumerRole returns the execution role that NewConsumerRole creates for the
// link in account, by its computed ARN, so that a later stack of the account can give
// it to NewConsumer without a CloudFormation export. NewConsumer attaches its policy
// to it.
func ImportConsumerRole(scope constructs.Construct, id string, l Link, account string) awsiam.IRole {
	return awsiam.Role_FromRoleArn(scope, jsii.String(id), jsii.String(l.WithDefaults().ConsumerRoleArn(account)),
		&awsiam.FromRoleArnOptions{Mutable: jsii.Bool(true)})
}

// ConsumerProps configure the consumer half of a stream link in one consumer account.
type ConsumerProps struct {
	// Link describes the link. The producer half must be given the same Link.
	Link Link
	// Account is the consumer account, one of Link.ConsumerAccounts.
	// Default: the account of the enclosing stack.
	Account string
	// Role is the execution role built by NewConsumerRole for this account, in this
	// stack, or from an earlier stack through ImportConsumerRole.
	// Default: NewConsumer builds it (construct ID "Role").
	Role awsiam.IRole
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

// Consumer is the consumer half of a stream link in one consumer account: the consumer
// function, its on-failure queue, the look-up of the registered consumer's ARN, and
// the event source mapping on that consumer.
type Consumer struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (a batch in the failure queue, the function's errors, its iterator age). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Account is the consumer account.
	Account string
	// Role is the function's execution role (Link.ConsumerRoleName).
	Role awsiam.IRole
	// Function runs lambdas/streamconsumer on each batch.
	Function awslambda.Function
	// LogGroup holds the function's logs, kept one month.
	LogGroup awslogs.LogGroup
	// FailureQueue receives the position of every batch that still fails after
	// MaxRetries or MaxRecordAge (shard, sequence numbers), so that the records can be
	// read from the stream again; encrypted (SSE-SQS), TLS only, retained.
	FailureQueue awssqs.Queue
	// ConsumerArn is the registered consumer's ARN: the look-up's ConsumerArn attribute,
	// or the link's ConsumerArns entry for this account.
	ConsumerArn *string
	// Lookup is the custom resource (Custom::KinesisConsumerArn) that finds ConsumerArn;
	// nil when the link gives the ARN.
	Lookup awscdk.CustomResource
	// LookupFunction runs lambdas/consumerarn as the Provider framework's onEvent
	// handler, as role Link.LookupFunctionRoleName, which may only assume the producer
	// account's look-up role. Nil when the link gives the ARN.
	LookupFunction awslambda.Function
	// Policy is attached to Role: kinesis:DescribeStreamConsumer and
	// kinesis:SubscribeToShard on ConsumerArn, logs:CreateLogStream and
	// logs:PutLogEvents on LogGroup, and sqs:SendMessage on FailureQueue.
	Policy awsiam.Policy
	// EventSourceMapping feeds Function from the consumer, reporting batch item
	// failures and sending what still fails to FailureQueue.
	EventSourceMapping awslambda.CfnEventSourceMapping
}

// NewConsumer builds the consumer half of props.Link in scope, which must belong to a
// stack in a consumer account. It uses the producer's stream and registered consumer
// at deploy time: its stack must deploy after the producer account's stack (the
// consumer's ARN is looked up, and the event source mapping is checked, when it is
// created). It panics with every problem of the link at once when the link is invalid.
func NewConsumer(scope constructs.Construct, id string, props *ConsumerProps) *Consumer {
	if props == nil {
		panic(fmt.Errorf("sharedkinesisefo: consumer %q needs props with a Link", id))
	}
	l, account := consumerSide(scope, "consumer", props.Link, props.Account, props.EnvironmentAgnostic)
	c := constructs.NewConstruct(scope, jsii.String(id))
	r := &Consumer{Construct: c, Link: l, Account: account, Role: props.Role}
	if r.Role == nil {
		r.Role = NewConsumerRole(c, "Role", &ConsumerRoleProps{Link: l, Account: account, EnvironmentAgnostic: props.EnvironmentAgnostic}).Role
	}

	r.FailureQueue = blocks.NewQueue(c, "FailureQueue", blocks.QueueProps{
		QueueName:               l.FailureQueueName(),
		Retention:               FailureRetention,
		NoDeadLetterQueueReason: "this queue is the last stop: the event source mapping's on-failure destination, read by people, not redriven",
	})

	if arn := l.ConsumerArnOverride(account); arn != "" {
		r.ConsumerArn = jsii.String(arn)
	} else {
		r.newLookup(c)
	}

	r.LogGroup = golambda.NewLogGroup(c, "Logs", awslogs.RetentionDays_ONE_MONTH)
	r.Function = golambda.NewLambdaFunction(c, "Function", r.Role, r.LogGroup, &golambda.Props{
		Package:     ConsumerHandler,
		Timeout:     ConsumerTimeout,
		MemorySize:  256,
		Environment: map[string]string{"RECORD_FORMAT": string(l.Format)},
		Description: fmt.Sprintf("Consumes Kinesis stream %s of account %s (link %s)", l.StreamName(), l.ProducerAccount, l.Name),
	})

	r.Policy = awsiam.NewPolicy(c, jsii.String("Policy"), &awsiam.PolicyProps{
		Roles: &[]awsiam.IRole{r.Role},
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("SubscribeToLinkConsumer"),
				Actions:   cdkx.Strings(streamlink.ConsumerReadActions),
				Resources: &[]*string{r.ConsumerArn},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("WriteOwnLogs"),
				Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
				Resources: &[]*string{r.LogGroup.LogGroupArn()},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("SendFailedBatchesToFailureQueue"),
				Actions:   jsii.Strings("sqs:SendMessage"),
				Resources: &[]*string{r.FailureQueue.QueueArn()},
			}),
		},
	})

	r.EventSourceMapping = awslambda.NewCfnEventSourceMapping(c, jsii.String("EventSourceMapping"), &awslambda.CfnEventSourceMappingProps{
		FunctionName:               r.Function.FunctionName(),
		EventSourceArn:             r.ConsumerArn,
		StartingPosition:           jsii.String(string(l.StartingPosition)),
		BatchSize:                  jsii.Number(float64(l.BatchSize)),
		ParallelizationFactor:      jsii.Number(float64(l.ParallelizationFactor)),
		BisectBatchOnFunctionError: jsii.Bool(*l.BisectOnError),
		MaximumRetryAttempts:       jsii.Number(float64(*l.MaxRetries)),
		MaximumRecordAgeInSeconds:  jsii.Number(l.MaxRecordAge.Seconds()),
		FunctionResponseTypes:      jsii.Strings("ReportBatchItemFailures"),
		DestinationConfig: &awslambda.CfnEventSourceMapping_DestinationConfigProperty{
			OnFailure: &awslambda.CfnEventSourceMapping_OnFailureProperty{Destination: r.FailureQueue.QueueArn()},
		},
	})
	// Lambda checks the role's permissions when it creates the mapping: the policies
	// must be attached first.
	r.EventSourceMapping.Node().AddDependency(r.Policy)
	if props.Role == nil {
		r.EventSourceMapping.Node().AddDependency(r.Role)
	}

	r.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.Region, account, props.AlarmTopicArn)
	r.Alarms.DeadLetterQueue("failures-visible", l.FailureQueueName(), "batches the consumer gave up on")
	r.Alarms.FunctionErrors("consumer-errors", *r.Function.FunctionName())
	r.Alarms.IteratorAge("consumer-iterator-age", *r.Function.FunctionName(), IteratorAgeThreshold(l))

	awscdk.NewCfnOutput(c, jsii.String("ConsumerArn"), &awscdk.CfnOutputProps{
		Value:       r.ConsumerArn,
		Description: jsii.String(fmt.Sprintf("Enhanced fan-out consumer this account reads stream %s through (link %s)", l.StreamName(), l.Name)),
	})
	awscdk.NewCfnOutput(c, jsii.String("FailureQueueUrl"), &awscdk.CfnOutputProps{
		Value:       r.FailureQueue.QueueUrl(),
		Description: jsii.String(fmt.Sprintf("Positions of the batches of link %s that failed for good", l.Name)),
	})
	return r
}

// newLookup builds the custom resource that finds the consumer's ARN: a Go onEvent
// handler behind the CDK Provider framework, which assumes the producer account's
// look-up role and describes the consumer there by stream ARN and name.
func (r *Consumer) newLookup(c constructs.Construct) {
	l := r.Link
	logs := golambda.NewLogGroup(c, "LookupLogs", awslogs.RetentionDays_ONE_MONTH)
	role := awsiam.NewRole(c, jsii.String("LookupFunctionRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(l.LookupFunctionRoleName()),
		Description: jsii.String(fmt.Sprintf("Looks up the ARN of this account's consumer of Kinesis stream %s (link %s)", l.StreamName(), l.Name)),
		AssumedBy:   cdkx.Service("lambda.amazonaws.com"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"lookup": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &[]awsiam.PolicyStatement{
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("AssumeProducerLookupRole"),
					Actions:   jsii.Strings("sts:AssumeRole"),
					Resources: jsii.Strings(l.LookupRoleArn(r.Account)),
				}),
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("WriteOwnLogs"),
					Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
					Resources: &[]*string{logs.LogGroupArn()},
				}),
			}}),
		},
	})
	r.LookupFunction = golambda.NewLambdaFunction(c, "LookupFunction", role, logs, &golambda.Props{
		Package:     LookupHandler,
		Timeout:     LookupTimeout,
		MemorySize:  128,
		Description: fmt.Sprintf("Looks up the consumer ARN of link %s", l.Name),
	})

	// The framework's own function gets a role without the managed
	// AWSLambdaBasicExecutionRole policy (which may write every log group), and a log
	// group of its own.
	frameworkLogs := awslogs.NewLogGroup(c, jsii.String("LookupProviderLogs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	frameworkRole := awsiam.NewRole(c, jsii.String("LookupProviderRole"), &awsiam.RoleProps{
		Description: jsii.String(fmt.Sprintf("Runs the custom resource provider framework of link %s", l.Name)),
		AssumedBy:   cdkx.Service("lambda.amazonaws.com"),
	})
	frameworkRole.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("WriteOwnLogs"),
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &[]*string{frameworkLogs.LogGroupArn()},
	}))
	provider := customresources.NewProvider(c, jsii.String("LookupProvider"), &customresources.ProviderProps{
		OnEventHandler:       r.LookupFunction,
		FrameworkOnEventRole: frameworkRole,
		LogGroup:             frameworkLogs,
	})
	// aws-cdk-lib picks the framework function's Node.js runtime: the newest one that
	// every region offers (nodejs24.x in 2.277), which lags the newest it knows of.
	cdkx.Suppress(provider, cdkx.Suppression{
		ID: "AwsSolutions-L1",
		Reason: "the runtime of the CDK Provider framework's own function is chosen by aws-cdk-lib (its newest Node.js " +
			"runtime available in every region) and moves with aws-cdk-lib upgrades; the look-up function itself runs provided.al2023",
	})
	fnArn := "Resource::<" + logicalIDOf(r.LookupFunction) + ".Arn>:*"
	cdkx.Suppress(frameworkRole, cdkx.Suppression{
		ID: "AwsSolutions-IAM5",
		Reason: "the CDK Provider framework grants lambda:InvokeFunction on every version and alias of the look-up function " +
			"(<arn>:*); the function is this construct's own",
		AppliesTo: []string{fnArn},
	})

	r.Lookup = awscdk.NewCustomResource(c, jsii.String("ConsumerArnLookup"), &awscdk.CustomResourceProps{
		ServiceToken: provider.ServiceToken(),
		ResourceType: jsii.String("Custom::KinesisConsumerArn"),
		// Fail within minutes, not CloudFormation's default hour, when the look-up
		// cannot answer (the handler gives up after LookupTimeout).
		ServiceTimeout: cdkx.Seconds(2 * LookupTimeout),
		Properties: &map[string]any{
			"StreamArn":     l.StreamArn(),
			"ConsumerName":  l.ConsumerName(r.Account),
			"LookupRoleArn": l.LookupRoleArn(r.Account),
		},
	})
	r.ConsumerArn = r.Lookup.GetAttString(jsii.String("ConsumerArn"))
}

// logicalIDOf is the stack's logical ID of the function's CloudFormation resource, as
// cdk-nag names it in findings.
func logicalIDOf(f awslambda.Function) string {
	cfn := f.Node().DefaultChild().(awscdk.CfnResource)
	return *awscdk.Stack_Of(f).GetLogicalId(cfn)
}

// consumerSide validates l, applies its defaults and resolves the consumer account
// (default: the stack's), panicking when the link is invalid or the stack is elsewhere.
func consumerSide(scope constructs.Construct, half string, link Link, account string, agnostic bool) (Link, string) {
	l := blocks.Valid(link)
	side := blocks.Side{Pkg: "sharedkinesisefo", Link: l.Name, Region: l.Region, Role: "consumer", Accounts: l.ConsumerAccounts}
	return l, side.Account(scope, half, account, agnostic)
}

// IteratorAgeThreshold is the iterator age above which the consumer's alarm fires:
// half the smaller of MaxRecordAge, after which a failing record goes to the failure
// queue, and Retention, after which the stream drops it.
func IteratorAgeThreshold(l Link) time.Duration {
	return min(l.MaxRecordAge, l.Retention) / 2
}
