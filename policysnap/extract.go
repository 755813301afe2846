package policysnap

import "github.com/crosswire/crosswire/internal/cfnres"

// Policy is one policy document found in a CloudFormation template.
type Policy = cfnres.Policy

// Extract walks the Resources of a CloudFormation template and returns every IAM and
// resource policy document it finds, sorted by logical ID and property, with the
// lists of AttachedTo and of a role's ManagedPolicyArns sorted and de-duplicated. The
// template is not modified and the returned policies share no memory with it.
//
// The resource types it knows are those of Crosswire's resource-type table: AWS::IAM::Role
// (AssumeRolePolicyDocument, each inline policy as "Policies/<PolicyName>",
// ManagedPolicyArns and PermissionsBoundary), AWS::IAM::Policy,
// AWS::IAM::ManagedPolicy, AWS::SQS::QueuePolicy, AWS::SQS::QueueInlinePolicy,
// AWS::SNS::TopicPolicy, AWS::SNS::TopicInlinePolicy, AWS::KMS::Key,
// AWS::Events::EventBusPolicy, AWS::Events::EventBus, AWS::Kinesis::ResourcePolicy,
// AWS::Lambda::Permission (the whole properties object), AWS::S3::BucketPolicy,
// AWS::SecretsManager::ResourcePolicy and AWS::EC2::VPCEndpoint. A resource of any
// other type whose properties hold a policy document is an error naming it, never
// skipped. Documents given as JSON strings are parsed.
func Extract(template map[string]any) ([]Policy, error) {
	policies, err := cfnres.Extract(template)
	if err != nil {
		return nil, err
	}
	for i, p := range policies {
		if m, ok := p.AttachedTo.(map[string]any); ok {
			for k, v := range m {
				m[k] = sortedSet(v)
			}
		}
		if p.Type == "AWS::IAM::Role" && p.Property == "ManagedPolicyArns" {
			policies[i].Document = sortedSet(p.Document)
		}
	}
	return policies, nil
}

// TemplateFromJSON decodes a CloudFormation template given as JSON, such as the
// marshalled result of assertions.Template.ToJSON from aws-cdk-go. Numbers are kept
// as json.Number.
func TemplateFromJSON(b []byte) (map[string]any, error) { return cfnres.TemplateFromJSON(b) }
