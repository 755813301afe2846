package policysnap_test

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/policysnap"
)

func TestExtract_ResourceTypes(t *testing.T) {
	tests := []struct {
		name      string
		resources string
		want      string
	}{
		{
			name: "IAM role trust policy, inline policies, managed policies and boundary",
			resources: `{"Role":{"Type":"AWS::IAM::Role","Properties":{
				"AssumeRolePolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}]},
				"Policies":[
					{"PolicyName":"logs","PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}},
					{"PolicyName":{"Fn::Sub":"${AWS::StackName}-s3"},"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}}],
				"ManagedPolicyArns":["arn:aws:iam::aws:policy/ReadOnlyAccess","arn:aws:iam::aws:policy/AdministratorAccess"],
				"PermissionsBoundary":{"Ref":"Boundary"}}}}`,
			want: `[
				{"logicalId":"Role","type":"AWS::IAM::Role","property":"AssumeRolePolicyDocument","document":{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}]}},
				{"logicalId":"Role","type":"AWS::IAM::Role","property":"ManagedPolicyArns","document":["arn:aws:iam::aws:policy/AdministratorAccess","arn:aws:iam::aws:policy/ReadOnlyAccess"]},
				{"logicalId":"Role","type":"AWS::IAM::Role","property":"PermissionsBoundary","document":{"Ref":"Boundary"}},
				{"logicalId":"Role","type":"AWS::IAM::Role","property":"Policies/1","document":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}},
				{"logicalId":"Role","type":"AWS::IAM::Role","property":"Policies/logs","document":{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}}]`,
		},
		{
			name: "IAM policy with roles, users and groups",
			resources: `{"Pol":{"Type":"AWS::IAM::Policy","Properties":{"PolicyName":"p",
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":{"Fn::GetAtt":["Q","Arn"]}}]},
				"Roles":[{"Ref":"RoleB"},{"Ref":"RoleA"}],"Users":["alice"],"Groups":["admins"]}}}`,
			want: `[{"logicalId":"Pol","type":"AWS::IAM::Policy","property":"PolicyDocument",
				"attachedTo":{"Roles":[{"Ref":"RoleA"},{"Ref":"RoleB"}],"Users":["alice"],"Groups":["admins"]},
				"document":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":{"Fn::GetAtt":["Q","Arn"]}}]}}]`,
		},
		{
			name: "IAM managed policy",
			resources: `{"MP":{"Type":"AWS::IAM::ManagedPolicy","Properties":{
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]},"Roles":[{"Ref":"R"}]}}}`,
			want: `[{"logicalId":"MP","type":"AWS::IAM::ManagedPolicy","property":"PolicyDocument","attachedTo":{"Roles":[{"Ref":"R"}]},
				"document":{"Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}}]`,
		},
		{
			name: "SQS queue policy",
			resources: `{"QP":{"Type":"AWS::SQS::QueuePolicy","Properties":{
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Principal":{"Service":"sns.amazonaws.com"}}]},"Queues":[{"Ref":"Q"}]}}}`,
			want: `[{"logicalId":"QP","type":"AWS::SQS::QueuePolicy","property":"PolicyDocument","attachedTo":{"Queues":[{"Ref":"Q"}]},
				"document":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Principal":{"Service":"sns.amazonaws.com"}}]}}]`,
		},
		{
			name: "SQS queue inline policy",
			resources: `{"QIP":{"Type":"AWS::SQS::QueueInlinePolicy","Properties":{
				"PolicyDocument":{"Statement":[{"Effect":"Deny","Action":"sqs:*","Principal":"*"}]},"Queue":{"Ref":"Q"}}}}`,
			want: `[{"logicalId":"QIP","type":"AWS::SQS::QueueInlinePolicy","property":"PolicyDocument","attachedTo":{"Queue":{"Ref":"Q"}},
				"document":{"Statement":[{"Effect":"Deny","Action":"sqs:*","Principal":"*"}]}}]`,
		},
		{
			name: "SNS topic policy",
			resources: `{"TP":{"Type":"AWS::SNS::TopicPolicy","Properties":{
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Principal":{"Service":"events.amazonaws.com"}}]},"Topics":[{"Ref":"T"}]}}}`,
			want: `[{"logicalId":"TP","type":"AWS::SNS::TopicPolicy","property":"PolicyDocument","attachedTo":{"Topics":[{"Ref":"T"}]},
				"document":{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Principal":{"Service":"events.amazonaws.com"}}]}}]`,
		},
		{
			name: "SNS topic inline policy",
			resources: `{"TIP":{"Type":"AWS::SNS::TopicInlinePolicy","Properties":{
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sns:Subscribe","Principal":{"AWS":"*"}}]},"TopicArn":{"Ref":"T"}}}}`,
			want: `[{"logicalId":"TIP","type":"AWS::SNS::TopicInlinePolicy","property":"PolicyDocument","attachedTo":{"TopicArn":{"Ref":"T"}},
				"document":{"Statement":[{"Effect":"Allow","Action":"sns:Subscribe","Principal":{"AWS":"*"}}]}}]`,
		},
		{
			name: "KMS key policy as object",
			resources: `{"Key":{"Type":"AWS::KMS::Key","Properties":{"EnableKeyRotation":true,
				"KeyPolicy":{"Statement":[{"Effect":"Allow","Action":"kms:*","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Resource":"*"}]}}}}`,
			want: `[{"logicalId":"Key","type":"AWS::KMS::Key","property":"KeyPolicy",
				"document":{"Statement":[{"Effect":"Allow","Action":"kms:*","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Resource":"*"}]}}]`,
		},
		{
			name: "KMS key policy as JSON string",
			resources: `{"Key":{"Type":"AWS::KMS::Key","Properties":{
				"KeyPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Resource\":\"*\"}]}"}}}`,
			want: `[{"logicalId":"Key","type":"AWS::KMS::Key","property":"KeyPolicy",
				"document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Resource":"*"}]}}]`,
		},
		{
			name: "EventBridge bus policy with Statement",
			resources: `{"BP":{"Type":"AWS::Events::EventBusPolicy","Properties":{"StatementId":"s","EventBusName":{"Ref":"Bus"},
				"Statement":{"Effect":"Allow","Action":"events:PutEvents","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Resource":{"Fn::GetAtt":["Bus","Arn"]}}}}}`,
			want: `[{"logicalId":"BP","type":"AWS::Events::EventBusPolicy","property":"Statement","attachedTo":{"EventBusName":{"Ref":"Bus"}},
				"document":{"Statement":{"Effect":"Allow","Action":"events:PutEvents","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Resource":{"Fn::GetAtt":["Bus","Arn"]}}}}]`,
		},
		{
			name: "EventBridge bus policy in legacy form",
			resources: `{"BP":{"Type":"AWS::Events::EventBusPolicy","Properties":{"StatementId":"s",
				"Action":"events:PutEvents","Principal":"*","Condition":{"Type":"StringEquals","Key":"aws:PrincipalOrgID","Value":"o-123"}}}}`,
			want: `[{"logicalId":"BP","type":"AWS::Events::EventBusPolicy","property":"Statement",
				"document":{"Statement":[{"Action":"events:PutEvents","Principal":"*","Condition":{"Type":"StringEquals","Key":"aws:PrincipalOrgID","Value":"o-123"}}]}}]`,
		},
		{
			name: "EventBridge bus with Policy",
			resources: `{"Bus":{"Type":"AWS::Events::EventBus","Properties":{"Name":"b",
				"Policy":{"Statement":[{"Effect":"Allow","Action":"events:PutEvents","Principal":{"AWS":"arn:aws:iam::222222222222:root"}}]}}}}`,
			want: `[{"logicalId":"Bus","type":"AWS::Events::EventBus","property":"Policy",
				"document":{"Statement":[{"Effect":"Allow","Action":"events:PutEvents","Principal":{"AWS":"arn:aws:iam::222222222222:root"}}]}}]`,
		},
		{
			name: "Kinesis resource policy",
			resources: `{"KRP":{"Type":"AWS::Kinesis::ResourcePolicy","Properties":{"ResourceArn":{"Fn::GetAtt":["S","Arn"]},
				"ResourcePolicy":{"Statement":[{"Effect":"Allow","Action":"kinesis:GetRecords","Principal":{"AWS":"arn:aws:iam::222222222222:root"}}]}}}}`,
			want: `[{"logicalId":"KRP","type":"AWS::Kinesis::ResourcePolicy","property":"ResourcePolicy","attachedTo":{"ResourceArn":{"Fn::GetAtt":["S","Arn"]}},
				"document":{"Statement":[{"Effect":"Allow","Action":"kinesis:GetRecords","Principal":{"AWS":"arn:aws:iam::222222222222:root"}}]}}]`,
		},
		{
			name: "Lambda permission",
			resources: `{"Perm":{"Type":"AWS::Lambda::Permission","Properties":{"Action":"lambda:InvokeFunction",
				"FunctionName":{"Fn::GetAtt":["Fn","Arn"]},"Principal":"apigateway.amazonaws.com","SourceArn":{"Fn::Sub":"arn:${AWS::Partition}:execute-api:*"},
				"SourceAccount":"111111111111","PrincipalOrgID":"o-123","FunctionUrlAuthType":"AWS_IAM"}}}`,
			want: `[{"logicalId":"Perm","type":"AWS::Lambda::Permission","property":"Properties",
				"document":{"Action":"lambda:InvokeFunction","FunctionName":{"Fn::GetAtt":["Fn","Arn"]},"Principal":"apigateway.amazonaws.com",
				"SourceArn":{"Fn::Sub":"arn:${AWS::Partition}:execute-api:*"},"SourceAccount":"111111111111","PrincipalOrgID":"o-123","FunctionUrlAuthType":"AWS_IAM"}}]`,
		},
		{
			name: "S3 bucket policy",
			resources: `{"BucketPolicy":{"Type":"AWS::S3::BucketPolicy","Properties":{"Bucket":{"Ref":"Bucket"},
				"PolicyDocument":{"Statement":[{"Effect":"Deny","Action":"s3:*","Principal":{"AWS":"*"},"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}}}}`,
			want: `[{"logicalId":"BucketPolicy","type":"AWS::S3::BucketPolicy","property":"PolicyDocument","attachedTo":{"Bucket":{"Ref":"Bucket"}},
				"document":{"Statement":[{"Effect":"Deny","Action":"s3:*","Principal":{"AWS":"*"},"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}}]`,
		},
		{
			name: "Secrets Manager resource policy",
			resources: `{"SRP":{"Type":"AWS::SecretsManager::ResourcePolicy","Properties":{"SecretId":{"Ref":"Secret"},
				"ResourcePolicy":{"Statement":[{"Effect":"Deny","Action":"secretsmanager:DeleteSecret","Principal":{"AWS":"*"},"Resource":"*"}]}}}}`,
			want: `[{"logicalId":"SRP","type":"AWS::SecretsManager::ResourcePolicy","property":"ResourcePolicy","attachedTo":{"SecretId":{"Ref":"Secret"}},
				"document":{"Statement":[{"Effect":"Deny","Action":"secretsmanager:DeleteSecret","Principal":{"AWS":"*"},"Resource":"*"}]}}]`,
		},
		{
			name: "VPC endpoint with policy",
			resources: `{"Endpoint":{"Type":"AWS::EC2::VPCEndpoint","Properties":{"ServiceName":"com.amazonaws.eu-west-1.s3","VpcId":{"Ref":"Vpc"},
				"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"*"}]}}}}`,
			want: `[{"logicalId":"Endpoint","type":"AWS::EC2::VPCEndpoint","property":"PolicyDocument","attachedTo":{"ServiceName":"com.amazonaws.eu-west-1.s3"},
				"document":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"*"}]}}]`,
		},
		{
			name:      "VPC endpoint without policy",
			resources: `{"Endpoint":{"Type":"AWS::EC2::VPCEndpoint","Properties":{"ServiceName":"com.amazonaws.eu-west-1.s3","VpcId":{"Ref":"Vpc"}}}}`,
			want:      `[]`,
		},
		{
			name: "resources without policies are ignored",
			resources: `{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"b"}},
				"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Role":{"Fn::GetAtt":["Role","Arn"]}}},
				"Wait":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}`,
			want: `[]`,
		},
		{
			name: "sorted by logical ID and property",
			resources: `{
				"Zeta":{"Type":"AWS::KMS::Key","Properties":{"KeyPolicy":{"Statement":[]}}},
				"Alpha":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Statement":[]},
					"Policies":[{"PolicyName":"b","PolicyDocument":{"Statement":[]}},{"PolicyName":"a","PolicyDocument":{"Statement":[]}}]}},
				"Mid":{"Type":"AWS::S3::BucketPolicy","Properties":{"Bucket":"b","PolicyDocument":{"Statement":[]}}}}`,
			want: `[
				{"logicalId":"Alpha","type":"AWS::IAM::Role","property":"AssumeRolePolicyDocument","document":{"Statement":[]}},
				{"logicalId":"Alpha","type":"AWS::IAM::Role","property":"Policies/a","document":{"Statement":[]}},
				{"logicalId":"Alpha","type":"AWS::IAM::Role","property":"Policies/b","document":{"Statement":[]}},
				{"logicalId":"Mid","type":"AWS::S3::BucketPolicy","property":"PolicyDocument","attachedTo":{"Bucket":"b"},"document":{"Statement":[]}},
				{"logicalId":"Zeta","type":"AWS::KMS::Key","property":"KeyPolicy","document":{"Statement":[]}}]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a template with the resources
			template := decodeMap(t, `{"AWSTemplateFormatVersion":"2010-09-09","Resources":`+tt.resources+`}`)

			// WHEN the policies are extracted
			got, err := policysnap.Extract(template)

			// THEN exactly the expected policies are returned, in order
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if g, w := canonical(t, decode(t, canonical(t, got))), canonical(t, decode(t, tt.want)); g != w {
				t.Errorf("Extract:\n got: %s want: %s", g, w)
			}
		})
	}
}

func TestExtract_Errors(t *testing.T) {
	tests := []struct {
		name     string
		template string
		wantErr  string
	}{
		{
			name:     "Resources is not an object",
			template: `{"Resources":[]}`,
			wantErr:  "template Resources is not an object",
		},
		{
			name:     "resource is not an object",
			template: `{"Resources":{"R":"x"}}`,
			wantErr:  "resource R is not an object",
		},
		{
			name:     "Properties is not an object",
			template: `{"Resources":{"K":{"Type":"AWS::KMS::Key","Properties":[]}}}`,
			wantErr:  "resource K: Properties is not an object",
		},
		{
			name:     "policy string is not JSON",
			template: `{"Resources":{"K":{"Type":"AWS::KMS::Key","Properties":{"KeyPolicy":"{not json"}}}}`,
			wantErr:  "resource K (AWS::KMS::Key): parse KeyPolicy:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a malformed template
			template := decodeMap(t, tt.template)

			// WHEN the policies are extracted
			_, err := policysnap.Extract(template)

			// THEN an error describes the problem
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Extract error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestExtract_DoesNotAliasTemplate(t *testing.T) {
	// GIVEN a template with a bucket policy
	template := decodeMap(t, `{"Resources":{"P":{"Type":"AWS::S3::BucketPolicy","Properties":{"Bucket":"b",
		"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}}}}}`)
	before := canonical(t, template)

	// WHEN the policies are extracted and the result is modified
	got, err := policysnap.Extract(template)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	for _, p := range got {
		scribble(p.Document)
		scribble(p.AttachedTo)
	}

	// THEN the template is unchanged
	if after := canonical(t, template); after != before {
		t.Errorf("template changed:\n got: %s want: %s", after, before)
	}
}
