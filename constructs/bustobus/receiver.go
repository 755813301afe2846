package bustobus

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/golambda"
	"github.com/crosswire/crosswire/internal/iamcond"
	"github.com/crosswire/crosswire/linkkind"
)

// LoggerPackage is the Go handler of TargetLambda: it logs every event as one JSON line.
const LoggerPackage = "github.com/crosswire/crosswire/lambdas/eventlogger"

// eventsPrincipal is the service principal of EventBridge.
const eventsPrincipal = "events.amazonaws.com"

// Actions a sender's execution role needs on each kind of target (ModeDirect), and
// that the target's resource policy grants it; and the action of the bus (ModeBus).
var (
	targetActions = map[Target]string{
		TargetQueue:  "sqs:SendMessage",
		TargetLambda: "lambda:InvokeFunction",
		TargetTopic:  "sns:Publish",
	}
	putEventsAction = "events:PutEvents"
	// topicKeyActions are what a publisher needs on the key of an encrypted topic.
	topicKeyActions = []string{"kms:GenerateDataKey", "kms:Decrypt"}
)

// ReceiverProps configure the receiver half of a bus link.
type ReceiverProps struct {
	// Link describes the link. The sender halves must be given the same Link.
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

// Receiver is the receiver half of a bus link, deployed in the receiver account. In
// ModeBus: the event bus (or the default bus) with a policy that admits the senders'
// forwarding rules, a rule that delivers to the targets, its dead-letter queue and the
// optional archive. In both modes: the targets, with resource policies that admit
// exactly EventBridge on behalf of that rule (ModeBus) or the senders' execution roles
// (ModeDirect).
type Receiver struct {
	constructs.Construct
	// Alarms are the half's CloudWatch alarms (messages in its dead-letter queues, the queue's oldest message, the delivering rule's failures, the function's errors, the topic's failed deliveries). Nil with alarms: false.
	Alarms *blocks.Alarms
	// Link is the link with its defaults applied.
	Link Link
	// Bus is the event bus the senders forward to; nil in ModeDirect. With
	// ReceiverBusDefault it is the imported default bus.
	Bus awsevents.IEventBus
	// BusPolicy is the AWS::Events::EventBusPolicy that admits the senders to Bus; nil
	// in ModeDirect.
	BusPolicy awscdk.CfnResource
	// UnitsBusPolicy is the AWS::Events::EventBusPolicy that admits the sender rules
	// of the member accounts of Link.SenderUnits to Bus; nil without units.
	UnitsBusPolicy awscdk.CfnResource
	// Rule delivers the link's events from Bus to the targets; nil in ModeDirect.
	Rule awsevents.CfnRule
	// DeliveryDeadLetterQueue gets the events Rule could not deliver; nil in ModeDirect.
	DeliveryDeadLetterQueue awssqs.Queue
	// Archive keeps the link's events on Bus for replay; nil unless Link.Archive.
	Archive awsevents.CfnArchive
	// Queue gets the events; nil unless the targets include TargetQueue.
	Queue awssqs.Queue
	// QueueDeadLetterQueue holds messages of Queue that consumers failed on
	// QueueMaxReceiveCount times; nil unless the targets include TargetQueue.
	QueueDeadLetterQueue awssqs.Queue
	// Function logs the events; nil unless the targets include TargetLambda.
	Function *golambda.Function
	// Topic gets the events; nil unless the target is TargetTopic.
	Topic awssns.Topic
	// TopicKey encrypts Topic; nil unless the target is TargetTopic.
	TopicKey awskms.Key
}

// NewReceiver builds the receiver half of props.Link in scope, which must belong to a
// stack in the link's receiver account. It panics with every problem of the link at
// once when the link is invalid.
func NewReceiver(scope constructs.Construct, id string, props *ReceiverProps) *Receiver {
	if props == nil {
		panic(fmt.Errorf("bustobus: receiver %q needs props with a Link", id))
	}
	l := blocks.Valid(props.Link)
	cdkx.CheckStackEnv(scope, "bustobus", "the receiver half of link "+l.Name, l.ReceiverAccount, l.Region, props.EnvironmentAgnostic)

	c := constructs.NewConstruct(scope, jsii.String(id))
	r := &Receiver{Construct: c, Link: l}
	for _, t := range l.Targets {
		switch t {
		case TargetQueue:
			r.newQueue(c)
		case TargetLambda:
			r.newFunction(c)
		case TargetTopic:
			r.newTopic(c)
		}
	}
	switch l.Mode {
	case ModeBus:
		r.newBus(c)
	case ModeDirect:
		r.admitSenderRoles(c)
	}

	r.newAlarms(c, props.AlarmTopicArn)

	if r.Bus != nil {
		awscdk.NewCfnOutput(c, jsii.String("EventBusArn"), &awscdk.CfnOutputProps{
			Value:       jsii.String(l.BusArn()),
			Description: jsii.String(fmt.Sprintf("Event bus the senders of link %s forward to", l.Name)),
		})
	}
	if r.Queue != nil {
		awscdk.NewCfnOutput(c, jsii.String("QueueUrl"), &awscdk.CfnOutputProps{
			Value:       r.Queue.QueueUrl(),
			Description: jsii.String(fmt.Sprintf("URL of the queue of link %s", l.Name)),
		})
	}
	if r.Topic != nil {
		awscdk.NewCfnOutput(c, jsii.String("TopicArn"), &awscdk.CfnOutputProps{
			Value:       r.Topic.TopicArn(),
			Description: jsii.String(fmt.Sprintf("Topic of link %s", l.Name)),
		})
	}
	return r
}

// newBus builds the ModeBus part: the bus, its policy, the delivering rule with its
// dead-letter queue, the permissions of the targets for that rule, and the archive.
func (r *Receiver) newBus(c constructs.Construct) {
	l := r.Link
	var busResource constructs.IConstruct
	if l.ReceiverBus == ReceiverBusDefault {
		r.Bus = awsevents.EventBus_FromEventBusName(c, jsii.String("Bus"), jsii.String(awsarn.DefaultEventBus))
	} else {
		bus := awsevents.NewEventBus(c, jsii.String("Bus"), &awsevents.EventBusProps{
			EventBusName: jsii.String(l.BusName()),
			Description:  jsii.String(fmt.Sprintf("Receives the events of link %s from its sender accounts", l.Name)),
		})
		r.Bus = bus
		busResource = bus
	}
	// Every resource names the bus and the rule by computed name and ARN, as the
	// sender half does; an explicit dependency orders them after the bus.
	dependOnBus := func(x constructs.IConstruct) {
		if busResource != nil {
			x.Node().AddDependency(busResource)
		}
	}

	// A plain resource rather than awsevents.CfnEventBusPolicy, whose constructor
	// prints a deprecation warning on every synth (for its unused Principal property).
	busPolicy := func(id, statementID string, statement any) awscdk.CfnResource {
		p := awscdk.NewCfnResource(c, jsii.String(id), &awscdk.CfnResourceProps{
			Type: jsii.String("AWS::Events::EventBusPolicy"),
			Properties: &map[string]any{
				"EventBusName": l.BusName(),
				"StatementId":  statementID,
				"Statement":    statement,
			},
		})
		dependOnBus(p)
		return p
	}
	if len(l.SenderAccounts) > 0 || l.Allow == AllowOrganization {
		r.BusPolicy = busPolicy("BusPolicy", l.BusPolicyStatementID(), busPolicyStatement(l))
	}
	if len(l.SenderUnits) > 0 {
		// The Statement form: the Condition shorthand of AWS::Events::EventBusPolicy
		// takes only aws:PrincipalOrgID.
		r.UnitsBusPolicy = busPolicy("UnitsBusPolicy", l.UnitsStatementID(), unitsBusPolicyStatement(l))
	}

	ruleArn := l.ReceiverRuleArn()
	r.DeliveryDeadLetterQueue = newEventsDeadLetterQueue(c, "DeliveryDeadLetterQueue", l.DeliveryDeadLetterQueueName(), ruleArn)

	var targets []any
	if r.Function != nil {
		r.Function.Function.AddPermission(jsii.String("InvokeByLinkRule"), &awslambda.Permission{
			Principal:     cdkx.Service(eventsPrincipal),
			Action:        jsii.String(targetActions[TargetLambda]),
			SourceArn:     jsii.String(ruleArn),
			SourceAccount: jsii.String(l.ReceiverAccount),
		})
		targets = append(targets, eventTarget(l, "Lambda", r.Function.Function.FunctionArn(), nil, r.DeliveryDeadLetterQueue))
	}
	if r.Queue != nil {
		r.Queue.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowLinkRuleToSend"),
			Principals: &[]awsiam.IPrincipal{cdkx.Service(eventsPrincipal)},
			Actions:    jsii.Strings(targetActions[TargetQueue]),
			Resources:  &[]*string{r.Queue.QueueArn()},
			Conditions: &map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": ruleArn}},
		}))
		targets = append(targets, eventTarget(l, "Queue", r.Queue.QueueArn(), nil, r.DeliveryDeadLetterQueue))
	}

	pattern, _ := l.ReceiverEventPattern().Object()
	props := &awsevents.CfnRuleProps{
		Name:         jsii.String(l.ReceiverRuleName()),
		Description:  jsii.String(fmt.Sprintf("Delivers the events of link %s from its sender accounts", l.Name)),
		EventPattern: pattern,
		State:        jsii.String("ENABLED"),
		Targets:      &targets,
	}
	if l.BusName() != awsarn.DefaultEventBus {
		props.EventBusName = jsii.String(l.BusName())
	}
	r.Rule = awsevents.NewCfnRule(c, jsii.String("Rule"), props)
	dependOnBus(r.Rule)

	if l.Archive {
		r.Archive = awsevents.NewCfnArchive(c, jsii.String("Archive"), &awsevents.CfnArchiveProps{
			ArchiveName:   jsii.String(l.ArchiveName()),
			Description:   jsii.String(fmt.Sprintf("Events of link %s, for replay", l.Name)),
			SourceArn:     jsii.String(l.BusArn()),
			EventPattern:  pattern,
			RetentionDays: jsii.Number(float64(l.ArchiveRetentionDays)),
		})
		dependOnBus(r.Archive)
	}
}

// busPolicyStatement is the statement of the receiver bus policy: events:PutEvents on
// the bus for the senders' forwarding rules only (aws:SourceArn is the ARN of the rule
// that sends the event, see the EventBridge condition keys), from the sender accounts
// or, with AllowOrganization, from any account of the organization. It is written out
// rather than rendered from an awsiam.PolicyStatement, which does not survive the
// round trip through jsii as a plain value.
func busPolicyStatement(l Link) map[string]any {
	st := map[string]any{
		"Sid":      l.BusPolicyStatementID(),
		"Effect":   "Allow",
		"Action":   putEventsAction,
		"Resource": l.BusArn(),
	}
	if l.Allow == AllowOrganization {
		st["Principal"] = map[string]any{"AWS": "*"}
		st["Condition"] = map[string]any{
			"StringEquals": map[string]any{"aws:PrincipalOrgID": l.OrganizationID},
			"ArnLike":      map[string]any{"aws:SourceArn": l.AnySenderRuleArn()},
		}
		return st
	}
	roots := make([]any, len(l.SenderAccounts))
	for i, a := range l.SenderAccounts {
		roots[i] = awsarn.AccountRoot(l.Region, a)
	}
	st["Principal"] = map[string]any{"AWS": roots}
	st["Condition"] = map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": cdkx.Any(l.SenderRuleArns())}}
	return st
}

// unitsBusPolicyStatement is the statement of the receiver bus policy that admits
// the organizational units of the link: events:PutEvents on the bus from any
// principal inside the units' organization paths (ForAnyValue:StringLike
// aws:PrincipalOrgPaths), for the link's forwarding rule of any account
// (ArnLike aws:SourceArn): the same size whatever the number of member accounts.
func unitsBusPolicyStatement(l Link) map[string]any {
	return map[string]any{
		"Sid":       l.UnitsStatementID(),
		"Effect":    "Allow",
		"Action":    putEventsAction,
		"Resource":  l.BusArn(),
		"Principal": map[string]any{"AWS": "*"},
		"Condition": iamcond.UnitCondition(linkkind.Paths(l.SenderUnits), "aws:SourceArn", l.UnitRulePatterns()...),
	}
}

// eventTarget is one target of a rule, with the link's retry policy and dead-letter
// queue; role is nil for a target in the rule's own account.
func eventTarget(l Link, id string, arn *string, role *string, dlq awssqs.IQueue) *awsevents.CfnRule_TargetProperty {
	return &awsevents.CfnRule_TargetProperty{
		Id:               jsii.String(id),
		Arn:              arn,
		RoleArn:          role,
		DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: dlq.QueueArn()},
		RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
			MaximumRetryAttempts:     jsii.Number(float64(*l.RetryAttempts)),
			MaximumEventAgeInSeconds: jsii.Number(l.MaxEventAge.Seconds()),
		},
	}
}

// newQueue creates the receiver's queue and its own dead-letter queue, which only
// this link's queue may move messages to.
func (r *Receiver) newQueue(c constructs.Construct) {
	l := r.Link
	r.Queue, r.QueueDeadLetterQueue = blocks.NewQueuePair(c, blocks.QueuePairProps{
		QueueName:           l.QueueName(),
		DeadLetterQueueName: l.QueueDeadLetterQueueName(),
		QueueArn:            l.QueueArn(),
		MaxReceiveCount:     QueueMaxReceiveCount,
		VisibilityTimeout:   QueueVisibilityTimeout,
		RetentionPeriod:     QueueRetention,
		ReceiveWaitTime:     QueueReceiveWaitTime,
		DeadLetterRetention: DeadLetterRetention,
		QueueID:             "Queue",
		DeadLetterQueueID:   "QueueDeadLetterQueue",
		QueueRefID:          "QueueRef",
	})
}

// newFunction creates the event logger function, named Link.FunctionName so that the
// senders can compute its ARN in ModeDirect.
func (r *Receiver) newFunction(c constructs.Construct) {
	l := r.Link
	r.Function = golambda.NewFunction(c, "Function", &golambda.Props{
		Package:     LoggerPackage,
		Description: fmt.Sprintf("Logs the events of link %s", l.Name),
		Environment: map[string]string{"CROSSWIRE_LINK": l.Name},
	})
	// golambda offers no function name; set it on the L1 resource.
	cfn := r.Function.Function.Node().DefaultChild().(awslambda.CfnFunction)
	cfn.SetFunctionName(jsii.String(l.FunctionName()))
}

// newTopic creates the receiver's topic (ModeDirect), encrypted with a key of its own:
// the AWS managed SNS key cannot be used by another account's publishers.
func (r *Receiver) newTopic(c constructs.Construct) {
	l := r.Link
	r.TopicKey = blocks.NewKey(c, "TopicKey", blocks.KeyProps{
		Alias:       l.TopicKeyAlias(),
		Description: fmt.Sprintf("Encrypts topic %s (link %s)", l.TopicName(), l.Name),
	})
	r.Topic = awssns.NewTopic(c, jsii.String("Topic"), &awssns.TopicProps{
		TopicName:  jsii.String(l.TopicName()),
		MasterKey:  r.TopicKey,
		EnforceSSL: jsii.Bool(true),
	})
}

// admitSenderRoles lets the senders' execution roles deliver to the target
// (ModeDirect). Roles are named by computed ARN behind their account principals (or
// the organization), so the receiver deploys before or after the senders.
func (r *Receiver) admitSenderRoles(c constructs.Construct) {
	l := r.Link
	principal := senderRolesPrincipal(l)
	switch {
	case r.Queue != nil:
		r.Queue.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowLinkSenderRoles"),
			Principals: &[]awsiam.IPrincipal{principal},
			Actions:    jsii.Strings(targetActions[TargetQueue]),
			Resources:  &[]*string{r.Queue.QueueArn()},
		}))
	case r.Topic != nil:
		r.Topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowLinkSenderRoles"),
			Principals: &[]awsiam.IPrincipal{principal},
			Actions:    jsii.Strings(targetActions[TargetTopic]),
			Resources:  &[]*string{r.Topic.TopicArn()},
		}))
		r.TopicKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowLinkSenderRolesThroughSNS"),
			Principals: &[]awsiam.IPrincipal{principal},
			Actions:    cdkx.Strings(topicKeyActions),
			Resources:  jsii.Strings("*"),
			Conditions: topicKeyConditions(l),
		}), nil)
	case r.Function != nil:
		// A Lambda function policy takes no aws:PrincipalArn condition (only source
		// ARN, source account and organization): each sender account is admitted as a
		// whole, and within it only the execution role is granted the invocation.
		if l.Allow == AllowOrganization {
			r.Function.Function.AddPermission(jsii.String("InvokeByOrganization"), &awslambda.Permission{
				Principal:      awsiam.NewAnyPrincipal(),
				Action:         jsii.String(targetActions[TargetLambda]),
				OrganizationId: jsii.String(l.OrganizationID),
			})
			return
		}
		for _, a := range l.SenderAccounts {
			r.Function.Function.AddPermission(jsii.String("InvokeBy"+a), &awslambda.Permission{
				Principal: cdkx.Account(a),
				Action:    jsii.String(targetActions[TargetLambda]),
			})
		}
	}
}

// senderRolesPrincipal is who a ModeDirect target admits: the senders' execution roles
// (account principals narrowed by aws:PrincipalArn) or, with AllowOrganization, any
// role of the organization with the link's execution role name.
func senderRolesPrincipal(l Link) awsiam.IPrincipal {
	if l.Allow == AllowOrganization {
		return awsiam.NewPrincipalWithConditions(cdkx.Organization(l.OrganizationID), &map[string]any{
			"ArnLike": map[string]any{"aws:PrincipalArn": l.SenderRoleArn("*")},
		})
	}
	return cdkx.Senders(l.SenderAccounts, l.SenderRoleArns())
}

// topicKeyConditions pin the use of the topic's key to SNS and to this link's topic.
func topicKeyConditions(l Link) *map[string]any {
	return &map[string]any{"StringEquals": map[string]any{
		"kms:ViaService":                         awsarn.ServiceHost("sns", l.Region),
		"kms:EncryptionContext:aws:sns:topicArn": l.TopicArn(),
	}}
}

// GrantConsume lets grantee, in the receiver account, consume the queue:
// sqs:ReceiveMessage, sqs:ChangeMessageVisibility, sqs:GetQueueUrl, sqs:DeleteMessage
// and sqs:GetQueueAttributes. It panics when the link has no TargetQueue.
func (r *Receiver) GrantConsume(grantee awsiam.IGrantable) awsiam.Grant {
	if r.Queue == nil {
		panic(fmt.Errorf("bustobus: link %q has no queue target to consume", r.Link.Name))
	}
	return r.Queue.GrantConsumeMessages(grantee)
}

// newEventsDeadLetterQueue creates the dead-letter queue of the targets of the rule
// ruleArn: SSE-SQS, TLS only, 14 days, retained, and a policy that admits EventBridge
// only on behalf of that rule.
func newEventsDeadLetterQueue(c constructs.Construct, id, name, ruleArn string) awssqs.Queue {
	q := blocks.NewQueue(c, id, blocks.QueueProps{
		QueueName: name,
		Retention: DeadLetterRetention,
		NoDeadLetterQueueReason: "this queue is the dead-letter queue of an EventBridge rule target (DeadLetterConfig), " +
			"which cdk-nag does not recognize; a dead-letter queue of its own would only move the same failed events again",
	})
	q.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowLinkRuleDeadLetters"),
		Principals: &[]awsiam.IPrincipal{cdkx.Service(eventsPrincipal)},
		Actions:    jsii.Strings("sqs:SendMessage"),
		Resources:  &[]*string{q.QueueArn()},
		Conditions: &map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": ruleArn}},
	}))
	return q
}

// newAlarms creates the receiver's alarms on what it built: its queue and the queue's
// dead-letter queue, the delivering rule (ModeBus) and its dead-letter queue, the
// function, the topic.
func (r *Receiver) newAlarms(c constructs.Construct, topic string) {
	l := r.Link
	r.Alarms = blocks.NewAlarms(c, l.AlarmsOn(), l.NamePrefix, l.Name, l.Region, l.ReceiverAccount, topic)
	if r.Queue != nil {
		r.Alarms.DeadLetterQueue("queue-dlq-visible", l.QueueDeadLetterQueueName(), "messages the queue's consumers failed on")
		r.Alarms.OldestMessage("queue-oldest", l.QueueName(), l.OldestMessageThreshold(QueueRetention))
	}
	if r.DeliveryDeadLetterQueue != nil {
		r.Alarms.DeadLetterQueue("deliver-dlq-visible", l.DeliveryDeadLetterQueueName(), "events the delivering rule could not deliver")
		r.Alarms.RuleFailures("deliver-rule", l.ReceiverRuleName(), l.BusName())
	}
	if r.Function != nil {
		r.Alarms.FunctionErrors("function-errors", l.FunctionName())
	}
	if r.Topic != nil {
		r.Alarms.TopicFailures(l.TopicName())
	}
}
