// Package cfnres is the one table of the CloudFormation resource types Crosswire's
// checks know: for each, how to find the policy documents it holds, which AWS quota
// each of them counts against, and which property holds its physical name. The
// policy snapshots (policysnap), the quota check (internal/quota) and the name check
// (stacks.CheckNames) all read it, so a type is added in one place; a resource of a
// type the table does not know that holds a policy document fails the checks instead
// of being skipped.
package cfnres

import "strconv"

// Type is what the checks know of one CloudFormation resource type.
type Type struct {
	// Extract returns the policy documents of a resource's properties; nil for a type
	// that holds none.
	Extract ExtractFunc
	// Quotas say which quota each extracted document counts against: the first whose
	// Property matches (or that has none). A document that matches none is not
	// measured.
	Quotas []QuotaRule
	// Name says where the physical name is; nil for a type whose names need no check.
	Name *Naming
}

// Sum says which documents together make one policy as AWS counts it.
type Sum int

const (
	// Own: the document is a policy of its own.
	Own Sum = iota
	// PerBus: every statement on one event bus makes its one bus policy.
	PerBus
	// PerFunction: every permission of one function makes its one function policy.
	PerFunction
	// PerRole: every inline policy of one role counts towards one quota; the role is
	// the resource itself (AWS::IAM::Role) or each of its Roles (AWS::IAM::Policy).
	PerRole
)

// QuotaRule says which quota documents found at Property ("" for any) count against.
type QuotaRule struct {
	Property string
	Quota    *Quota
	Sum      Sum
}

// Naming says where a type's physical name is, and within what it must be unique.
type Naming struct {
	// What names the resource in messages.
	What string
	// Prop holds the physical name; when it is absent, CloudFormation generates one.
	Prop string
	// ScopeProp, when set, holds what the name is unique within (a rule's bus, a
	// consumer's stream) besides the account and region.
	ScopeProp string
	// Fold: AWS compares these names without case.
	Fold bool
	// Global: the name is unique in the account across every region (IAM), not in
	// each region (queues, topics, buses, streams, ...).
	Global bool
}

// Types are the resource types the checks know, by CloudFormation type name.
var Types = map[string]Type{
	"AWS::IAM::Role": {Extract: extractRole, Quotas: []QuotaRule{
		{Property: "AssumeRolePolicyDocument", Quota: &TrustPolicy},
		{Quota: &RoleInlinePolicies, Sum: PerRole},
	}, Name: &Naming{What: "IAM role", Prop: "RoleName", Fold: true, Global: true}},
	"AWS::IAM::Policy":            {Extract: documentAt("PolicyDocument", "Roles", "Users", "Groups"), Quotas: []QuotaRule{{Quota: &RoleInlinePolicies, Sum: PerRole}}},
	"AWS::IAM::ManagedPolicy":     {Extract: documentAt("PolicyDocument", "Roles", "Users", "Groups"), Quotas: []QuotaRule{{Quota: &ManagedPolicy}}},
	"AWS::SQS::QueuePolicy":       {Extract: documentAt("PolicyDocument", "Queues"), Quotas: []QuotaRule{{Quota: &QueuePolicy}}},
	"AWS::SQS::QueueInlinePolicy": {Extract: documentAt("PolicyDocument", "Queue"), Quotas: []QuotaRule{{Quota: &QueuePolicy}}},
	"AWS::SNS::TopicPolicy":       {Extract: documentAt("PolicyDocument", "Topics"), Quotas: []QuotaRule{{Quota: &TopicPolicy}}},
	"AWS::SNS::TopicInlinePolicy": {Extract: documentAt("PolicyDocument", "TopicArn"), Quotas: []QuotaRule{{Quota: &TopicPolicy}}},
	"AWS::KMS::Key":               {Extract: documentAt("KeyPolicy"), Quotas: []QuotaRule{{Quota: &KeyPolicy}}},
	"AWS::Events::EventBusPolicy": {Extract: extractEventBusPolicy, Quotas: []QuotaRule{{Quota: &BusPolicy, Sum: PerBus}}},
	"AWS::Events::EventBus": {Extract: documentAt("Policy"), Quotas: []QuotaRule{{Quota: &BusPolicy}},
		Name: &Naming{What: "event bus", Prop: "Name"}},
	"AWS::Kinesis::ResourcePolicy":        {Extract: documentAt("ResourcePolicy", "ResourceArn"), Quotas: []QuotaRule{{Quota: &StreamPolicy}}},
	"AWS::Lambda::Permission":             {Extract: extractLambdaPermission, Quotas: []QuotaRule{{Quota: &FunctionPolicy, Sum: PerFunction}}},
	"AWS::S3::BucketPolicy":               {Extract: documentAt("PolicyDocument", "Bucket")},
	"AWS::SecretsManager::ResourcePolicy": {Extract: documentAt("ResourcePolicy", "SecretId")},
	"AWS::EC2::VPCEndpoint":               {Extract: documentAt("PolicyDocument", "ServiceName"), Quotas: []QuotaRule{{Quota: &EndpointPolicy}}},

	"AWS::SQS::Queue":              {Name: &Naming{What: "SQS queue", Prop: "QueueName"}},
	"AWS::SNS::Topic":              {Name: &Naming{What: "SNS topic", Prop: "TopicName"}},
	"AWS::Events::Rule":            {Name: &Naming{What: "EventBridge rule", Prop: "Name", ScopeProp: "EventBusName"}},
	"AWS::Events::Archive":         {Name: &Naming{What: "EventBridge archive", Prop: "ArchiveName"}},
	"AWS::Kinesis::Stream":         {Name: &Naming{What: "Kinesis stream", Prop: "Name"}},
	"AWS::Kinesis::StreamConsumer": {Name: &Naming{What: "stream consumer", Prop: "ConsumerName", ScopeProp: "StreamARN"}},
	"AWS::KMS::Alias":              {Name: &Naming{What: "KMS alias", Prop: "AliasName"}},
	"AWS::Lambda::Function":        {Name: &Naming{What: "Lambda function", Prop: "FunctionName"}},
	"AWS::Logs::LogGroup":          {Name: &Naming{What: "log group", Prop: "LogGroupName"}},
	"AWS::CloudWatch::Alarm":       {Name: &Naming{What: "CloudWatch alarm", Prop: "AlarmName"}},
	"AWS::CloudWatch::Dashboard":   {Name: &Naming{What: "CloudWatch dashboard", Prop: "DashboardName"}},
	// A subscription has no physical name nor policy; listed so that the table knows
	// every type the stacks create.
	"AWS::SNS::Subscription": {},
}

// QuotaOf returns the rule of t that a document found at property counts against,
// or nil.
func (t Type) QuotaOf(property string) *QuotaRule {
	for i, r := range t.Quotas {
		if r.Property == "" || r.Property == property {
			return &t.Quotas[i]
		}
	}
	return nil
}

// policyIn returns where in v (named at) a policy document is: an object with a
// Statement whose elements have an Effect, or a JSON string of one; "" when none.
func policyIn(v any, at string) string {
	switch x := v.(type) {
	case map[string]any:
		if isPolicy(x) {
			return at
		}
		for k, e := range x {
			if w := policyIn(e, at+"."+k); w != "" {
				return w
			}
		}
	case []any:
		for i, e := range x {
			if w := policyIn(e, at+"["+strconv.Itoa(i)+"]"); w != "" {
				return w
			}
		}
	case string:
		if len(x) > 0 && x[0] == '{' {
			if d, err := decodeJSON([]byte(x)); err == nil {
				if m, ok := d.(map[string]any); ok && isPolicy(m) {
					return at
				}
			}
		}
	}
	return ""
}

func isPolicy(m map[string]any) bool {
	st, ok := m["Statement"]
	if !ok {
		return false
	}
	list, ok := st.([]any)
	if !ok {
		list = []any{st}
	}
	for _, e := range list {
		if s, ok := e.(map[string]any); ok {
			if _, ok := s["Effect"]; ok {
				return true
			}
		}
	}
	return false
}
