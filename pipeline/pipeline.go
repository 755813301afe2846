// Package pipeline builds the continuous deployment of a topology: a self-updating CDK
// Pipelines pipeline in the tooling account that synthesizes the project from its
// repository and deploys stages wave by wave, and the IAM policies each account it
// deploys to installs once (an execution policy for CloudFormation and a permissions
// boundary for every role the pipeline creates), generated from the synthesized
// templates.
//
// The package knows nothing of topologies: package stacks turns a topology's accounts
// into stages (one per account and wave) and hands them over.
package pipeline

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodecommit"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/pipelines"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// CLIVersion is the CDK CLI the pipeline's self-mutation step installs: the one
// tools/package.json pins for scripts/cdk, so that the pipeline deploys itself with
// the CLI the project synthesizes with (a test keeps the two equal).
const CLIVersion = "2.1148.1"

// GoRuntime and NodeRuntime are the runtime versions the synth step asks of the
// CodeBuild image. The image's Go 1.26 then switches to the exact release go.mod
// names (GOTOOLCHAIN=auto), which it downloads and checks against the Go checksum
// database.
const (
	GoRuntime   = "1.26"
	NodeRuntime = "24"
)

// TrustScopeFlags are the feature flags, set on the pipeline's stack, that keep the
// roles CDK Pipelines creates from trusting an account's root principal: the stage
// and cross-account action roles then trust the pipeline's role only, and the asset
// publishing role its own principals only.
var TrustScopeFlags = []string{
	"@aws-cdk/pipelines:reduceStageRoleTrustScope",
	"@aws-cdk/pipelines:reduceCrossAccountActionRoleTrustScope",
	"@aws-cdk/pipelines:reduceAssetRoleTrustScope",
}

// Source is where the pipeline gets the project: a CodeConnections connection with
// its repository, or a CodeCommit repository of the tooling account.
type Source struct {
	// Connection is the connection's ARN (codeconnections or codestar-connections).
	Connection string
	// Repository is the connection's repository, owner/name.
	Repository string
	// CodeCommit is the CodeCommit repository's name.
	CodeCommit string
	// Branch is the branch the pipeline follows.
	Branch string
}

// Wave is stages the pipeline deploys in parallel, after the waves before it.
type Wave struct {
	// Name names the wave's stage of the pipeline.
	Name string
	// Stages are deployed in parallel, each stack by its own change set.
	Stages []awscdk.Stage
	// Approval asks a person to approve before the wave deploys.
	Approval bool
}

// StackProps configure the pipeline's stack.
type StackProps struct {
	// StackName is the stack's name, and its construct ID.
	StackName string
	// Account and Region are the tooling account's.
	Account, Region string
	// Description of the stack.
	Description string
	// Tags are put on every resource of the stack.
	Tags map[string]string
	// Source of the project.
	Source Source
	// SynthCommands produce the cloud assembly in cdk.out from the checked-out
	// repository.
	SynthCommands []string
	// Waves are deployed in order.
	Waves []Wave
	// NotificationTopic is the ARN of an SNS topic told of failed executions, or
	// empty.
	NotificationTopic string
	// RoleBoundary names the customer managed policy that is the permissions boundary
	// of every role of the stack.
	RoleBoundary string
}

// NewStack builds the pipeline's stack: a CDK Pipelines CodePipeline that updates
// itself, synthesizes the project in CodeBuild, and deploys the waves in order. It
// returns the stack and the pipeline, already built.
func NewStack(scope constructs.Construct, props *StackProps) (awscdk.Stack, pipelines.CodePipeline) {
	stack := awscdk.NewStack(scope, jsii.String(props.StackName), &awscdk.StackProps{
		Env:                 &awscdk.Environment{Account: jsii.String(props.Account), Region: jsii.String(props.Region)},
		StackName:           jsii.String(props.StackName),
		Description:         jsii.String(props.Description),
		PermissionsBoundary: awscdk.PermissionsBoundary_FromName(jsii.String(props.RoleBoundary)),
	})
	// Feature flags are read from the construct tree, so setting them on the stack,
	// before anything is added to it, holds whatever cdk.json says.
	for _, flag := range TrustScopeFlags {
		stack.Node().SetContext(jsii.String(flag), true)
	}
	for k, v := range props.Tags {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(v), nil)
	}

	synth := pipelines.NewCodeBuildStep(jsii.String("Synth"), &pipelines.CodeBuildStepProps{
		Input:                  source(stack, props.Source),
		Commands:               cdkx.Strings(props.SynthCommands),
		PrimaryOutputDirectory: jsii.String("cdk.out"),
		BuildEnvironment: &awscodebuild.BuildEnvironment{
			BuildImage: awscodebuild.LinuxBuildImage_STANDARD_7_0(),
		},
		PartialBuildSpec: awscodebuild.BuildSpec_FromObject(&map[string]any{
			"phases": map[string]any{
				"install": map[string]any{
					"runtime-versions": map[string]any{"golang": GoRuntime, "nodejs": NodeRuntime},
				},
			},
		}),
	})
	p := pipelines.NewCodePipeline(stack, jsii.String("Pipeline"), &pipelines.CodePipelineProps{
		PipelineName:      jsii.String(props.StackName),
		Synth:             synth,
		CrossAccountKeys:  jsii.Bool(true),
		EnableKeyRotation: jsii.Bool(true),
		CliVersion:        jsii.String(CLIVersion),
		PipelineType:      awscodepipeline.PipelineType_V2,
	})
	for _, w := range props.Waves {
		var opts *pipelines.WaveOptions
		if w.Approval {
			opts = &pipelines.WaveOptions{Pre: &[]pipelines.Step{
				pipelines.NewManualApprovalStep(jsii.String("Approve"+w.Name), &pipelines.ManualApprovalStepProps{
					Comment: jsii.String(fmt.Sprintf("Every stack of the waves before %s is deployed. Approve to deploy %s.", w.Name, w.Name)),
				}),
			}}
		}
		wave := p.AddWave(jsii.String(w.Name), opts)
		for _, s := range w.Stages {
			wave.AddStage(s, nil)
		}
	}
	// Built now rather than at synth, so that what follows can use the CodePipeline,
	// and so that checks running as aspects see every resource.
	p.BuildPipeline()
	if props.NotificationTopic != "" {
		topic := awssns.Topic_FromTopicArn(stack, jsii.String("NotificationTopic"), jsii.String(props.NotificationTopic))
		p.Pipeline().NotifyOn(jsii.String("Failures"), topic, &awscodepipeline.PipelineNotifyOnOptions{
			Events: &[]awscodepipeline.PipelineNotificationEvents{awscodepipeline.PipelineNotificationEvents_PIPELINE_EXECUTION_FAILED},
		})
	}
	suppress(stack, p, props)
	return stack, p
}

// source returns the pipeline's source action.
func source(scope constructs.Construct, s Source) pipelines.IFileSetProducer {
	if s.CodeCommit != "" {
		repo := awscodecommit.Repository_FromRepositoryName(scope, jsii.String("Repository"), jsii.String(s.CodeCommit))
		return pipelines.CodePipelineSource_CodeCommit(repo, jsii.String(s.Branch), nil)
	}
	return pipelines.CodePipelineSource_Connection(jsii.String(s.Repository), jsii.String(s.Branch), &pipelines.ConnectionSourceOptions{
		ConnectionArn: jsii.String(s.Connection),
	})
}

// suppress records the cdk-nag rules the pipeline's stack deliberately does not
// follow, each with its reason, narrowed to the exact findings where cdk-nag allows.
// Every finding is about what CDK Pipelines generates; none widens what the pipeline
// may do.
func suppress(stack awscdk.Stack, p pipelines.CodePipeline, props *StackProps) {
	bucket := p.Pipeline().ArtifactBucket()
	bucketID := *stack.GetLogicalId(bucket.Node().DefaultChild().(awscdk.CfnElement))
	nag(bucket, rule{"AwsSolutions-S1", "The artifact bucket of CDK Pipelines holds only the source and the cloud assembly; " +
		"its policy admits only the pipeline's roles and the target accounts' CDK deploy roles, and every object is encrypted " +
		"with the pipeline's KMS key, whose every use CloudTrail records (KMS calls are management events): a read of an " +
		"artifact is already logged, and a log bucket would only need the same exception.", nil})

	partition := awsarn.Partition(props.Region)
	codebuild := regexp.QuoteMeta(fmt.Sprintf("%s:%s", props.Region, props.Account))
	nag(stack, rule{"AwsSolutions-IAM5", "CDK Pipelines' grants on the pipeline's own artifact bucket and artifact key: the " +
		"wildcards are the CDK's read and read-write action sets (grantRead, grantReadWrite, grantEncryptDecrypt), and the " +
		"resources are that bucket's objects and that key, nothing else.", []any{
		"Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*", "Action::s3:Abort*",
		"Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*", "Resource::<" + bucketID + ".Arn>/*",
	}}, rule{"AwsSolutions-IAM5", "Each CodeBuild project of the pipeline may write only the log streams of its own log " +
		"group (/aws/codebuild/<project>) and the reports of its own report groups (<project>-*), as CodeBuild names them.", []any{
		regex(`^Resource::arn:` + partition + `:logs:` + codebuild + `:log-group:/aws/codebuild/<Pipeline[A-Za-z0-9]+>:\*$`),
		regex(`^Resource::arn:` + partition + `:codebuild:` + codebuild + `:report-group/<Pipeline[A-Za-z0-9]+>-\*$`),
	}})
	// Stages in other regions: CodePipeline keeps an artifact bucket (and key) in each,
	// which CDK Pipelines puts in a support stack of the tooling account there.
	if support := *p.Pipeline().CrossRegionSupport(); len(support) > 0 {
		for _, s := range support {
			nag(s.ReplicationBucket, rule{"AwsSolutions-S1", "A replication bucket of CDK Pipelines holds only the artifacts " +
				"a stage in its region deploys, encrypted with the support stack's KMS key, whose every use CloudTrail records; " +
				"a log bucket would only need the same exception.", nil})
		}
		nagPath(stack, "Pipeline/Pipeline/Role/DefaultPolicy/Resource", rule{"AwsSolutions-IAM5", "CDK Pipelines' grants " +
			"on the replication buckets of its cross-region support stacks (the CDK's read-write action set on those " +
			"buckets' objects) and on their KMS keys, which the pipeline's stack can only reference by alias, so the CDK " +
			"grants kms actions on '*': the key policies of the tooling account decide; keep the tooling account for the " +
			"pipeline alone (README, Across regions).", []any{
			regex(`^Resource::arn:` + partition + `:s3:::[a-z0-9-]+replicationbucket[a-z0-9]+/\*$`), "Resource::*",
		}})
	}
	self := "Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource"
	nagPath(stack, self, rule{"AwsSolutions-IAM5", "The self-mutation step runs `cdk deploy` of the pipeline's own stack: " +
		"it may assume only the tooling account's CDK bootstrap roles (role/* narrowed by the aws-cdk:bootstrap-role tag to the " +
		"deploy and publishing roles), and the CDK CLI looks up the bootstrap stack (cloudformation:DescribeStacks) and its " +
		"bucket (s3:ListBucket), whose names it learns only then.", []any{
		fmt.Sprintf("Resource::arn:*:iam::%s:role/*", props.Account), "Resource::*",
	}})
	if stack.Node().TryFindChild(jsii.String("Pipeline")).Node().TryFindChild(jsii.String("Assets")) != nil {
		nagPath(stack, "Pipeline/Assets/FileRole/DefaultPolicy/Resource", rule{"AwsSolutions-IAM5", "The role CDK Pipelines " +
			"shares between its asset publishing projects, which it creates one per asset: it may start and read builds, and " +
			"write the logs and reports, of those projects, whose names it cannot know when the role is made; it publishes " +
			"only by assuming the target accounts' CDK file-publishing roles, named one by one.", []any{
			"Resource::*",
			fmt.Sprintf("Resource::arn:%s:logs:%s:%s:log-group:/aws/codebuild/*", partition, props.Region, props.Account),
			fmt.Sprintf("Resource::arn:%s:codebuild:%s:%s:report-group/*", partition, props.Region, props.Account),
		}})
	}
}

// rule is one cdk-nag rule not followed, with its reason and, when not nil, the
// findings it applies to (strings or regex patterns).
type rule struct {
	id, reason string
	appliesTo  []any
}

func (r rule) suppression() *cdknag.NagPackSuppression {
	s := &cdknag.NagPackSuppression{Id: jsii.String(r.id), Reason: jsii.String(r.reason)}
	if r.appliesTo != nil {
		s.AppliesTo = &r.appliesTo
	}
	return s
}

func regex(pattern string) any {
	return &cdknag.RegexAppliesTo{Regex: jsii.String("/" + pattern + "/")}
}

// nag records rules on c and its children.
func nag(c constructs.IConstruct, rules ...rule) {
	list := make([]*cdknag.NagPackSuppression, len(rules))
	for i, r := range rules {
		list[i] = r.suppression()
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &list, jsii.Bool(true))
}

// nagPath records rules on the construct at path in stack, which must exist.
func nagPath(stack awscdk.Stack, path string, rules ...rule) {
	list := make([]*cdknag.NagPackSuppression, len(rules))
	for i, r := range rules {
		list[i] = r.suppression()
	}
	cdknag.NagSuppressions_AddResourceSuppressionsByPath(stack, jsii.String("/"+*stack.Node().Id()+"/"+path), &list, jsii.Bool(true))
}
