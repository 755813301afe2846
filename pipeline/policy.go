package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/awsarn"
)

// BootstrapQualifier is the qualifier of the CDK bootstrap stack the pipeline deploys
// with (the default one), which names its roles and its file asset bucket.
const BootstrapQualifier = "hnb659fds"

// ManagedPolicyQuota is the most characters, without white space, that IAM takes in a
// customer managed policy.
const ManagedPolicyQuota = 6144

// TypeActions is what CloudFormation does, with the execution role, to create,
// read, update and delete resources of one type: the handler permissions of the
// type's CloudFormation resource schema.
type TypeActions struct {
	// Actions are the IAM actions of the type's handlers.
	Actions []string
	// PassRole is true when the resource names a role that CloudFormation passes to
	// its service (a function's role, a rule target's role, a project's service role).
	PassRole bool
	// ReadsAssets is true when the service reads the resource's code from the file
	// asset bucket of the bootstrap stack with the caller's permissions (a Lambda
	// function's code).
	ReadsAssets bool
}

var ec2Tags = []string{"ec2:CreateTags", "ec2:DeleteTags", "ec2:Describe*"}

// ResourceTypes are the CloudFormation resource types the execution policy covers,
// with what CloudFormation needs to deploy each. A type that is not here is an error
// when the policy is generated, never silently left out: add it with its actions.
// Custom resources (Custom::*) are covered by lambda:InvokeFunction on their
// provider function.
var ResourceTypes = map[string]TypeActions{
	"AWS::CDK::Metadata":                       {},
	"AWS::CloudFormation::WaitConditionHandle": {},

	"AWS::SQS::Queue": {Actions: []string{"sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
		"sqs:SetQueueAttributes", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue"}},
	"AWS::SQS::QueuePolicy":       {Actions: []string{"sqs:SetQueueAttributes", "sqs:GetQueueAttributes"}},
	"AWS::SQS::QueueInlinePolicy": {Actions: []string{"sqs:SetQueueAttributes", "sqs:GetQueueAttributes"}},

	"AWS::SNS::Topic": {Actions: []string{"sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
		"sns:ListTagsForResource", "sns:TagResource", "sns:UntagResource", "sns:GetDataProtectionPolicy", "sns:PutDataProtectionPolicy",
		"sns:ListSubscriptionsByTopic"}},
	"AWS::SNS::TopicPolicy": {Actions: []string{"sns:SetTopicAttributes", "sns:GetTopicAttributes"}},
	"AWS::SNS::Subscription": {Actions: []string{"sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes",
		"sns:SetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes"}},

	// The handlers of CloudWatch alarms and dashboards (CloudFormation resource type
	// schemas, handlers' permissions).
	"AWS::CloudWatch::Alarm":     {Actions: []string{"cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"}},
	"AWS::CloudWatch::Dashboard": {Actions: []string{"cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"}},

	"AWS::KMS::Key": {Actions: []string{"kms:CreateKey", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy",
		"kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:TagResource",
		"kms:UntagResource", "kms:EnableKey", "kms:DisableKey", "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion"}},
	"AWS::KMS::Alias": {Actions: []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:ListAliases"}},

	"AWS::IAM::Role": {Actions: []string{"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole",
		"iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
		"iam:ListRolePolicies", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies",
		"iam:PutRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:ListInstanceProfilesForRole"}},
	"AWS::IAM::Policy": {Actions: []string{"iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"}},

	"AWS::Events::EventBus": {Actions: []string{"events:CreateEventBus", "events:DeleteEventBus", "events:DescribeEventBus",
		"events:UpdateEventBus", "events:PutPermission", "events:RemovePermission", "events:ListTagsForResource", "events:TagResource",
		"events:UntagResource"}},
	"AWS::Events::EventBusPolicy": {Actions: []string{"events:PutPermission", "events:RemovePermission", "events:DescribeEventBus"}},
	"AWS::Events::Rule": {PassRole: true, Actions: []string{"events:PutRule", "events:DeleteRule", "events:DescribeRule",
		"events:EnableRule", "events:DisableRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule",
		"events:ListTagsForResource", "events:TagResource", "events:UntagResource"}},
	"AWS::Events::Archive": {Actions: []string{"events:CreateArchive", "events:DeleteArchive", "events:DescribeArchive", "events:UpdateArchive"}},

	"AWS::Kinesis::Stream": {Actions: []string{"kinesis:CreateStream", "kinesis:DeleteStream", "kinesis:DescribeStreamSummary",
		"kinesis:EnableEnhancedMonitoring", "kinesis:DisableEnhancedMonitoring", "kinesis:UpdateShardCount", "kinesis:UpdateStreamMode",
		"kinesis:IncreaseStreamRetentionPeriod", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:StartStreamEncryption",
		"kinesis:StopStreamEncryption", "kinesis:AddTagsToStream", "kinesis:RemoveTagsFromStream", "kinesis:ListTagsForStream"}},
	"AWS::Kinesis::StreamConsumer": {Actions: []string{"kinesis:RegisterStreamConsumer", "kinesis:DeregisterStreamConsumer",
		"kinesis:DescribeStreamConsumer", "kinesis:ListStreamConsumers", "kinesis:TagResource", "kinesis:UntagResource",
		"kinesis:ListTagsForResource"}},
	"AWS::Kinesis::ResourcePolicy": {Actions: []string{"kinesis:PutResourcePolicy", "kinesis:GetResourcePolicy", "kinesis:DeleteResourcePolicy"}},

	"AWS::Lambda::Function": {PassRole: true, ReadsAssets: true, Actions: []string{"lambda:CreateFunction", "lambda:DeleteFunction",
		"lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConcurrency",
		"lambda:GetFunctionRecursionConfig", "lambda:GetRuntimeManagementConfig", "lambda:UpdateFunctionCode",
		"lambda:UpdateFunctionConfiguration", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency",
		"lambda:PutFunctionRecursionConfig", "lambda:PutRuntimeManagementConfig", "lambda:ListTags", "lambda:TagResource",
		"lambda:UntagResource"}},
	"AWS::Lambda::Permission": {Actions: []string{"lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"}},
	"AWS::Lambda::EventSourceMapping": {Actions: []string{"lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping",
		"lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:ListTags", "lambda:TagResource", "lambda:UntagResource"}},

	"AWS::Logs::LogGroup": {Actions: []string{"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups",
		"logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		"logs:ListTagsLogGroup", "logs:TagLogGroup", "logs:UntagLogGroup", "logs:AssociateKmsKey", "logs:DisassociateKmsKey"}},

	"AWS::EC2::VPC":        {Actions: append([]string{"ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute"}, ec2Tags...)},
	"AWS::EC2::Subnet":     {Actions: append([]string{"ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute"}, ec2Tags...)},
	"AWS::EC2::RouteTable": {Actions: append([]string{"ec2:CreateRouteTable", "ec2:DeleteRouteTable"}, ec2Tags...)},
	"AWS::EC2::SubnetRouteTableAssociation": {Actions: append([]string{"ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
		"ec2:ReplaceRouteTableAssociation"}, ec2Tags...)},
	"AWS::EC2::SecurityGroup": {Actions: append([]string{"ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
		"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
		"ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
		"ec2:UpdateSecurityGroupRuleDescriptionsEgress"}, ec2Tags...)},
	// An interface endpoint with private DNS associates the VPC with the service's
	// private hosted zone.
	"AWS::EC2::VPCEndpoint": {Actions: append([]string{"ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint",
		"route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone"}, ec2Tags...)},
	"AWS::EC2::FlowLog": {PassRole: true, Actions: append([]string{"ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
		"logs:CreateLogDelivery", "logs:DeleteLogDelivery"}, ec2Tags...)},

	// The pipeline's own stack, in the tooling account.
	"AWS::S3::Bucket": {Actions: []string{"s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucket*", "s3:PutBucket*",
		"s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"}},
	"AWS::S3::BucketPolicy": {Actions: []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}},
	// Creating a pipeline whose source is a connection passes the connection.
	"AWS::CodePipeline::Pipeline": {PassRole: true, Actions: []string{"codepipeline:CreatePipeline", "codepipeline:DeletePipeline",
		"codepipeline:GetPipeline", "codepipeline:GetPipelineState", "codepipeline:UpdatePipeline", "codepipeline:ListTagsForResource",
		"codepipeline:TagResource", "codepipeline:UntagResource", "codestar-connections:PassConnection", "codeconnections:PassConnection"}},
	"AWS::CodeBuild::Project": {PassRole: true, Actions: []string{"codebuild:CreateProject", "codebuild:DeleteProject",
		"codebuild:UpdateProject", "codebuild:BatchGetProjects"}},
	"AWS::CodeStarNotifications::NotificationRule": {Actions: []string{"codestar-notifications:CreateNotificationRule",
		"codestar-notifications:DeleteNotificationRule", "codestar-notifications:DescribeNotificationRule",
		"codestar-notifications:UpdateNotificationRule", "codestar-notifications:Subscribe", "codestar-notifications:Unsubscribe",
		"codestar-notifications:ListTagsForResource", "codestar-notifications:TagResource", "codestar-notifications:UntagResource"}},
}

// patterns are the action patterns the execution policy uses instead of the actions
// they match, to stay within IAM's quota of a managed policy: read-only patterns that
// read only the configuration of resources (no message, record, object or secret),
// and the tagging pair TagResource and UntagResource. Every action a type needs stays
// in ResourceTypes, where the tests check that the policy covers it.
var patterns = []string{
	"codepipeline:Get*", "codepipeline:List*",
	"codestar-notifications:Describe*", "codestar-notifications:List*",
	"events:Describe*", "events:List*",
	"iam:GetRole*", "iam:List*",
	"kinesis:Describe*", "kinesis:List*",
	"kms:Describe*", "kms:GetKey*", "kms:List*",
	"lambda:GetFunction*", "lambda:List*",
	"logs:Describe*", "logs:List*",
	"sns:Get*", "sns:List*",
	"sqs:Get*", "sqs:List*",
	"codepipeline:*TagResource", "codestar-notifications:*TagResource", "events:*TagResource", "kinesis:*TagResource",
	"kms:*TagResource", "lambda:*TagResource", "logs:*TagResource", "sns:*TagResource",
	"ec2:UpdateSecurityGroupRuleDescriptions*",
}

// Matches reports whether the IAM action pattern (with * and ?) matches action, as IAM
// compares them: without regard to case.
func Matches(pattern, action string) bool {
	p, a := strings.ToLower(pattern), strings.ToLower(action)
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(a); i >= 0; i-- {
				if Matches(p[1:], a[i:]) {
					return true
				}
			}
			return false
		case '?':
			if a == "" {
				return false
			}
		default:
			if a == "" || a[0] != p[0] {
				return false
			}
		}
		p, a = p[1:], a[1:]
	}
	return a == ""
}

// compactActions returns actions with every action that one of patterns matches
// replaced by that pattern, and without the actions another one of them already
// matches (s3:GetBucketPolicy beside s3:GetBucket*), sorted.
func compactActions(actions map[string]bool) []string {
	set := map[string]bool{}
	for a := range actions {
		replaced := false
		for _, p := range patterns {
			if Matches(p, a) {
				set[p], replaced = true, true
				break
			}
		}
		if !replaced {
			set[a] = true
		}
	}
	var out []string
	for _, a := range sorted(set) {
		covered := false
		for b := range set {
			covered = covered || (b != a && strings.Contains(b, "*") && Matches(b, a))
		}
		if !covered {
			out = append(out, a)
		}
	}
	return out
}

// customResource is what CloudFormation needs for a custom resource: to invoke its
// provider function.
var customResource = TypeActions{Actions: []string{"lambda:InvokeFunction"}}

// ActionsOf returns what CloudFormation needs to deploy resources of type typ, and
// false when the execution policy does not cover the type.
func ActionsOf(typ string) (TypeActions, bool) {
	if strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource" {
		return customResource, true
	}
	a, ok := ResourceTypes[typ]
	return a, ok
}

// PolicyInput is what the policies of one account are generated from.
type PolicyInput struct {
	// Account, Region and Alias are the account's.
	Account, Region, Alias string
	// Regions are the regions the pipeline deploys to in the account (each with its
	// bootstrap asset bucket); nil means Region alone.
	Regions []string
	// TagKey and TagValue are the tag every role the pipeline creates in the account
	// carries; only roles with it may be passed to a service or changed.
	TagKey, TagValue string
	// ExecutionPolicy and RoleBoundary are the names of the two policies.
	ExecutionPolicy, RoleBoundary string
	// Templates are the templates of every stack the pipeline deploys to the account,
	// by stack name.
	Templates map[string]map[string]any
}

// Policies returns the two policies of one account, generated from its templates:
//
//   - the execution policy, the only policy of the CloudFormation execution role of
//     the bootstrap stack and its permissions boundary: the handler actions of every
//     resource type of the templates; iam:PassRole only of the account's own roles
//     (those with the tag); the file assets of Lambda functions; and denials of any
//     role without the role boundary, of changes to roles the pipeline did not create
//     (except existing roles the templates give policies to), and of changes to the
//     two policies and to permissions boundaries;
//   - the role boundary, the permissions boundary of every role the pipeline creates:
//     every action the templates' identity policies allow, so that no role loses a
//     permission it is given, and no role can be given more.
//
// A resource type the execution policy does not cover, a managed policy attached to a
// role, a NotAction in an identity policy, or a policy over IAM's quota is an error.
func Policies(in PolicyInput) (execution, boundary map[string]any, err error) {
	partition := awsarn.Partition(in.Region)
	boundaryARN := fmt.Sprintf("arn:%s:iam::%s:policy/%s", partition, in.Account, in.RoleBoundary)
	execARN := fmt.Sprintf("arn:%s:iam::%s:policy/%s", partition, in.Account, in.ExecutionPolicy)

	var problems []string
	cfnActions := map[string]bool{}
	roleActions := map[string]bool{}
	existingRoles := map[string]bool{}
	passRole, readsAssets := false, false
	names := make([]string, 0, len(in.Templates))
	for name := range in.Templates {
		names = append(names, name)
	}
	sort.Strings(names)
	uncovered := map[string][]string{}
	for _, stack := range names {
		res, _ := in.Templates[stack]["Resources"].(map[string]any)
		ids := make([]string, 0, len(res))
		for id := range res {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r, _ := res[id].(map[string]any)
			typ, _ := r["Type"].(string)
			props, _ := r["Properties"].(map[string]any)
			ta, ok := ActionsOf(typ)
			if !ok {
				uncovered[typ] = append(uncovered[typ], stack+"/"+id)
				continue
			}
			for _, a := range ta.Actions {
				cfnActions[a] = true
			}
			passRole = passRole || ta.PassRole
			readsAssets = readsAssets || ta.ReadsAssets
			switch typ {
			case "AWS::IAM::Role":
				if arns, ok := props["ManagedPolicyArns"]; ok {
					problems = append(problems, fmt.Sprintf("%s/%s attaches managed policies %s, whose actions the role boundary cannot know: give the role inline policies", stack, id, compact(arns)))
				}
				pols, _ := props["Policies"].([]any)
				for _, pol := range pols {
					m, _ := pol.(map[string]any)
					if err := collectActions(m["PolicyDocument"], roleActions); err != nil {
						problems = append(problems, fmt.Sprintf("%s/%s: %v", stack, id, err))
					}
				}
			case "AWS::IAM::Policy":
				if err := collectActions(props["PolicyDocument"], roleActions); err != nil {
					problems = append(problems, fmt.Sprintf("%s/%s: %v", stack, id, err))
				}
				// A role named by a plain string is an existing role of the account
				// (senderRoles and the like), which the policy is added to.
				roles, _ := props["Roles"].([]any)
				for _, role := range roles {
					if name, ok := role.(string); ok {
						existingRoles[name] = true
					}
				}
			}
		}
	}
	types := make([]string, 0, len(uncovered))
	for typ := range uncovered {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		problems = append(problems, fmt.Sprintf("resource type %s (%s) is not covered by the execution policy: add it to pipeline.ResourceTypes with the actions of its CloudFormation handlers", typ, strings.Join(uncovered[typ], ", ")))
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}

	allow := []any{statement("Deploy", "Allow", compactActions(cfnActions), "*", nil)}
	if passRole {
		allow = append(allow, statement("PassOwnRoles", "Allow", []string{"iam:PassRole"},
			fmt.Sprintf("arn:%s:iam::%s:role/*", partition, in.Account),
			map[string]any{"StringEquals": map[string]any{"iam:ResourceTag/" + in.TagKey: in.TagValue}}))
	}
	if readsAssets {
		regions := in.Regions
		if len(regions) == 0 {
			regions = []string{in.Region}
		}
		var buckets []string
		for _, r := range regions {
			buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::cdk-%s-assets-%s-%s/*", partition, BootstrapQualifier, in.Account, r))
		}
		var resource any = buckets[0]
		if len(buckets) > 1 {
			resource = buckets
		}
		allow = append(allow, statement("ReadLambdaCode", "Allow", []string{"s3:GetObject", "s3:GetObjectVersion"}, resource, nil))
	}
	others := map[string]any{"Effect": "Deny",
		"Sid": "ChangeOnlyOwnRoles",
		"Action": []string{"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
			"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"},
		"Condition": map[string]any{"StringNotEquals": map[string]any{"iam:ResourceTag/" + in.TagKey: in.TagValue}},
	}
	if len(existingRoles) == 0 {
		others["Resource"] = "*"
	} else {
		var not []string
		for _, name := range sorted(existingRoles) {
			not = append(not, fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, in.Account, name),
				fmt.Sprintf("arn:%s:iam::%s:role/*/%s", partition, in.Account, name))
		}
		others["NotResource"] = not
	}
	deny := []any{
		statement("RolesOnlyWithBoundary", "Deny", []string{"iam:CreateRole", "iam:PutRolePermissionsBoundary"}, "*",
			map[string]any{"StringNotEquals": map[string]any{"iam:PermissionsBoundary": boundaryARN}}),
		others,
		statement("KeepGuardrails", "Deny", []string{"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
			"iam:DeleteRolePermissionsBoundary", "iam:SetDefaultPolicyVersion"},
			[]string{execARN, boundaryARN, fmt.Sprintf("arn:%s:iam::%s:role/*", partition, in.Account)}, nil),
	}
	execution = map[string]any{"Version": "2012-10-17", "Statement": append(allow, deny...)}

	var bstmt any
	if len(roleActions) == 0 {
		// IAM needs an action in a statement: with no role to bound yet, allow none.
		bstmt = statement("NoRolesYet", "Deny", []string{"*"}, "*", nil)
	} else {
		bstmt = statement("WhatRolesAreGiven", "Allow", sorted(roleActions), "*", nil)
	}
	boundary = map[string]any{"Version": "2012-10-17", "Statement": []any{bstmt}}

	for what, doc := range map[string]map[string]any{in.ExecutionPolicy: execution, in.RoleBoundary: boundary} {
		if n := Size(doc); n > ManagedPolicyQuota {
			problems = append(problems, fmt.Sprintf("policy %s would be %d characters, over the %d IAM allows a managed policy", what, n, ManagedPolicyQuota))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return execution, boundary, nil
}

// Size returns the characters of doc as IAM counts them against its quota: JSON
// without white space.
func Size(doc any) int {
	raw, err := json.Marshal(doc)
	if err != nil {
		return 0
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return len(raw)
	}
	return b.Len()
}

// collectActions adds the actions of every Allow statement of the policy document doc
// to into.
func collectActions(doc any, into map[string]bool) error {
	d, _ := doc.(map[string]any)
	var statements []any
	switch s := d["Statement"].(type) {
	case []any:
		statements = s
	case map[string]any:
		statements = []any{s}
	}
	for _, x := range statements {
		s, _ := x.(map[string]any)
		if s["Effect"] != "Allow" {
			continue
		}
		if _, ok := s["NotAction"]; ok {
			return fmt.Errorf("a statement with NotAction %s allows actions the role boundary cannot list", compact(s["NotAction"]))
		}
		switch a := s["Action"].(type) {
		case string:
			into[a] = true
		case []any:
			for _, e := range a {
				name, ok := e.(string)
				if !ok {
					return fmt.Errorf("action %s is not a plain string", compact(e))
				}
				into[name] = true
			}
		default:
			return fmt.Errorf("actions %s are not plain strings", compact(s["Action"]))
		}
	}
	return nil
}

func statement(sid, effect string, actions []string, resource any, condition map[string]any) map[string]any {
	s := map[string]any{"Sid": sid, "Effect": effect, "Action": actions, "Resource": resource}
	if len(actions) == 1 {
		s["Action"] = actions[0]
	}
	if condition != nil {
		s["Condition"] = condition
	}
	return s
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compact(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
