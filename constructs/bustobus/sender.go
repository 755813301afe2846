package bustobus

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// SenderProps configure one sender half of a bus link.
type SenderProps struct {
	// Link describes the link. The receiver half must be given the same Link.
	Link Link
	// Account is the sender account this half is deployed in, one of
	// Link.SenderAccounts. Default: the account of the enclosing stack.
	Account string
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

// Sender is one sender half of a bus link, deployed in a sender account: a rule on
// the sender's bus that matches the link's pattern and delivers, through a role that
// EventBridge assumes only for that rule, to the receiver's bus (ModeBus) or straight
// to the receiver's target (ModeDirect), with a retry policy and a dead-letter queue.
type Sender struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (a message in the dead-letter queue, the rule's failed invocations and those it could not put in the dead-letter queue). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Account is the sender account of this half.
	Account string
	// Rule matches the link's events on the sender's bus (Link.SenderBus).
	Rule awsevents.CfnRule
	// Role is the role EventBridge assumes to deliver Rule's events. It trusts
	// events.amazonaws.com only for Rule (aws:SourceArn, aws:SourceAccount) and may
	// only events:PutEvents on the receiver's bus (ModeBus), or sqs:SendMessage,
	// lambda:InvokeFunction or sns:Publish on the receiver's target (ModeDirect; for a
	// topic also kms:GenerateDataKey and kms:Decrypt on its key, through SNS).
	Role awsiam.Role
	// DeadLetterQueue gets the events Rule could not deliver.
	DeadLetterQueue awssqs.Queue
}

// NewSender builds the sender half of props.Link for one sender account in scope. It
// panics with every problem of the link at once when the link is invalid.
//
// Deploy order between two teams: EventBridge checks the receiver's bus policy when
// the rule's target is created, so the stack holding this half deploys after the
// receiver account's stack with NewReceiver (its bus policy, or its target's policy in
// direct mode). Both halves need nothing but the same Link.
func NewSender(scope constructs.Construct, id string, props *SenderProps) *Sender {
	if props == nil {
		panic(fmt.Errorf("bustobus: sender %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	account := blocks.Side{Pkg: "bustobus", Link: l.Name, Region: l.Region, Regions: l.SenderRegions, Role: "sender", Accounts: l.SenderAccounts}.Account(scope, "sender", props.Account, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	s := &Sender{Construct: c, Link: l, Account: account}
	ruleArn := l.SenderRuleArn(account)

	s.DeadLetterQueue = newEventsDeadLetterQueue(c, "DeadLetterQueue", l.SenderDeadLetterQueueName(), ruleArn)

	statements, suppressions := deliveryStatements(l)
	s.Role = awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    jsii.String(l.SenderRoleName()),
		Description: jsii.String(fmt.Sprintf("Assumed by EventBridge to deliver the events of rule %s to account %s (link %s)", l.SenderRuleName(), l.ReceiverAccount, l.Name)),
		// Only EventBridge, only for this rule of this account: the confused-deputy
		// guard of the EventBridge condition keys.
		AssumedBy: awsiam.NewServicePrincipal(jsii.String(eventsPrincipal), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": account},
				"ArnEquals":    map[string]any{"aws:SourceArn": ruleArn},
			},
		}),
		// An inline policy, so that the role can deliver as soon as it exists: the
		// rule's target is put right after the role is created.
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"deliver": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements}),
		},
	})
	if len(suppressions) > 0 {
		cdkx.Suppress(s.Role, suppressions...)
	}

	// Only the events of the sender's own account: see SenderEventPattern.
	pattern, _ := l.SenderEventPattern(account).Object()
	targetID := "ReceiverBus"
	if l.Mode == ModeDirect {
		targetID = "Receiver" + titleCase(string(l.Targets[0]))
	}
	ruleProps := &awsevents.CfnRuleProps{
		Name:         jsii.String(l.SenderRuleName()),
		Description:  jsii.String(fmt.Sprintf("Sends the events of link %s to account %s", l.Name, l.ReceiverAccount)),
		EventPattern: pattern,
		State:        jsii.String("ENABLED"),
		Targets: &[]any{
			eventTarget(l, targetID, jsii.String(l.TargetArn()), s.Role.RoleArn(), s.DeadLetterQueue),
		},
	}
	if l.SenderBus != awsarn.DefaultEventBus {
		ruleProps.EventBusName = jsii.String(l.SenderBus)
	}
	s.Rule = awsevents.NewCfnRule(c, jsii.String("Rule"), ruleProps)

	s.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.SenderRegion(account), account, props.AlarmTopicArn)
	s.Alarms.DeadLetterQueue("forward-dlq-visible", l.SenderDeadLetterQueueName(), "events its forwarding rule could not deliver")
	s.Alarms.RuleFailures("forward-rule", l.SenderRuleName(), l.SenderBus)

	awscdk.NewCfnOutput(c, jsii.String("RuleArn"), &awscdk.CfnOutputProps{
		Value:       s.Rule.AttrArn(),
		Description: jsii.String(fmt.Sprintf("Rule that sends the events of link %s", l.Name)),
	})
	return s
}

// deliveryStatements are the permissions of the sender role: exactly the one action on
// the one resource in the receiver account that the receiver admits it to.
func deliveryStatements(l Link) ([]awsiam.PolicyStatement, []cdkx.Suppression) {
	if l.Mode == ModeBus {
		return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("PutEventsOnReceiverBus"),
			Actions:   jsii.Strings(putEventsAction),
			Resources: jsii.Strings(l.BusArn()),
		})}, nil
	}
	t := l.Targets[0]
	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("DeliverToReceiverTarget"),
		Actions:   jsii.Strings(targetActions[t]),
		Resources: jsii.Strings(l.TargetArn()),
	})}
	if t != TargetTopic {
		return statements, nil
	}
	keys := awsarn.KeyWildcard(l.Region, l.ReceiverAccount)
	statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("UseReceiverTopicKeyThroughSNS"),
		Actions:    cdkx.Strings(topicKeyActions),
		Resources:  jsii.Strings(keys),
		Conditions: topicKeyConditions(l),
	}))
	return statements, []cdkx.Suppression{{
		ID: "AwsSolutions-IAM5",
		Reason: "the topic's key is created in the receiver account with an ID this account cannot know; " +
			"kms:ViaService and kms:EncryptionContext:aws:sns:topicArn pin the permission to the link's topic, and only its key policy admits this role",
		AppliesTo: []string{"Resource::" + keys},
	}}
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
