package blocks

import (
	"fmt"
	"math"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/linkkind"
)

// AlarmPeriod is the period of every alarm of a link, which fires on one period
// above its threshold.
const AlarmPeriod = 5 * time.Minute

// Dimension is one dimension of a metric: a name and the resource's computed name.
type Dimension struct{ Name, Value string }

// AlarmSpec is one alarm: a metric of namespace with dimensions, compared with a
// threshold over one AlarmPeriod.
type AlarmSpec struct {
	// What ends the alarm's name, [prefix]link-what, and is its construct ID.
	What string
	// Description says what went wrong and where to look.
	Description string
	Namespace   string
	Metric      string
	Dimensions  []Dimension
	// Statistic is Maximum for gauges (queue depth, ages), Sum for counts.
	Statistic string
	// Threshold is compared with GreaterThanThreshold.
	Threshold float64
}

// Alarms creates the CloudWatch alarms of one half of a link, in the account and
// region that own the watched resources, each notifying the account's alarm topic
// (linkkind.AlarmTopicArn) on ALARM and on OK. A nil *Alarms (alarms: false) creates
// nothing.
type Alarms struct {
	scope        constructs.Construct
	prefix, link string
	topic        string
	// Created are the alarms created, in order.
	Created []awscloudwatch.CfnAlarm
	names   []string
}

// Names returns the names of the alarms created, in order; none for a nil *Alarms.
func (a *Alarms) Names() []string {
	if a == nil {
		return nil
	}
	return a.names
}

// NewAlarms returns the alarms of link (with name prefix prefix, as
// linkkind.Header.Prefix) in the construct "Alarms" of scope, notifying the alarm
// topic topic, or when it is "" the alarm topic of account in region
// (linkkind.AlarmTopicArn); nil when on is false.
func NewAlarms(scope constructs.Construct, on bool, prefix, link, region, account, topic string) *Alarms {
	if !on {
		return nil
	}
	if topic == "" {
		topic = linkkind.AlarmTopicArn(prefix, region, account)
	}
	return &Alarms{
		scope:  constructs.NewConstruct(scope, jsii.String("Alarms")),
		prefix: prefix, link: link,
		topic: topic,
	}
}

// Add creates the alarm s: GreaterThanThreshold over one period of AlarmPeriod,
// missing data not breaching (most of these metrics are sent only when not zero, or
// only while the queue is active), ALARM and OK notifying the alarm topic.
func (a *Alarms) Add(s AlarmSpec) awscloudwatch.CfnAlarm {
	if a == nil {
		return nil
	}
	dims := make([]any, len(s.Dimensions))
	for i, d := range s.Dimensions {
		dims[i] = &awscloudwatch.CfnAlarm_DimensionProperty{Name: jsii.String(d.Name), Value: jsii.String(d.Value)}
	}
	actions := []any{a.topic}
	name := linkkind.AlarmName(a.prefix, a.link, s.What)
	alarm := awscloudwatch.NewCfnAlarm(a.scope, jsii.String(s.What), &awscloudwatch.CfnAlarmProps{
		AlarmName:          jsii.String(name),
		AlarmDescription:   jsii.String(s.Description),
		Namespace:          jsii.String(s.Namespace),
		MetricName:         jsii.String(s.Metric),
		Dimensions:         &dims,
		Statistic:          jsii.String(s.Statistic),
		Period:             jsii.Number(AlarmPeriod.Seconds()),
		EvaluationPeriods:  jsii.Number(1),
		DatapointsToAlarm:  jsii.Number(1),
		Threshold:          jsii.Number(s.Threshold),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		TreatMissingData:   jsii.String("notBreaching"),
		ActionsEnabled:     jsii.Bool(true),
		AlarmActions:       &actions,
		OkActions:          &actions,
	})
	a.Created = append(a.Created, alarm)
	a.names = append(a.names, name)
	return alarm
}

// DeadLetterQueue alarms as soon as the queue name, a dead-letter queue or failure
// destination, holds a message: ApproximateNumberOfMessagesVisible > 0.
func (a *Alarms) DeadLetterQueue(what, queueName, holds string) {
	a.Add(AlarmSpec{
		What:        what,
		Description: fmt.Sprintf("Queue %s holds %s of link %s: look at them, then redrive or delete them", queueName, holds, a.linkName()),
		Namespace:   "AWS/SQS", Metric: "ApproximateNumberOfMessagesVisible",
		Dimensions: []Dimension{{"QueueName", queueName}},
		Statistic:  "Maximum", Threshold: 0,
	})
}

// OldestMessage alarms when the oldest message of the queue name is older than
// threshold: ApproximateAgeOfOldestMessage > threshold in seconds.
func (a *Alarms) OldestMessage(what, queueName string, threshold time.Duration) {
	a.Add(AlarmSpec{
		What:        what,
		Description: fmt.Sprintf("The oldest message of queue %s (link %s) is older than %s: its consumers are behind or stopped, and messages are lost at the end of the queue's retention", queueName, a.linkName(), threshold),
		Namespace:   "AWS/SQS", Metric: "ApproximateAgeOfOldestMessage",
		Dimensions: []Dimension{{"QueueName", queueName}},
		Statistic:  "Maximum", Threshold: math.Floor(threshold.Seconds()),
	})
}

// TopicFailures alarms on the deliveries the topic name failed, and on those it
// could not put in a subscription's dead-letter queue.
func (a *Alarms) TopicFailures(topicName string) {
	for _, m := range []struct{ what, metric, desc string }{
		{"topic-failed", "NumberOfNotificationsFailed", "failed to deliver messages"},
		{"topic-failed-to-dlq", "NumberOfNotificationsFailedToRedriveToDlq", "could not put undelivered messages in a subscription's dead-letter queue: they are lost"},
	} {
		a.Add(AlarmSpec{
			What:        m.what,
			Description: fmt.Sprintf("Topic %s (link %s) %s", topicName, a.linkName(), m.desc),
			Namespace:   "AWS/SNS", Metric: m.metric,
			Dimensions: []Dimension{{"TopicName", topicName}},
			Statistic:  "Sum", Threshold: 0,
		})
	}
}

// RuleFailures alarms on the invocations of the rule name that failed for good and on
// those that could not be put in the target's dead-letter queue. bus is the custom
// event bus the rule is on, or "" for the default bus (whose metrics have RuleName
// alone).
func (a *Alarms) RuleFailures(prefix, ruleName, bus string) {
	dims := []Dimension{{"RuleName", ruleName}}
	if bus != "" && bus != "default" {
		dims = []Dimension{{"EventBusName", bus}, {"RuleName", ruleName}}
	}
	for _, m := range []struct{ what, metric, desc string }{
		{prefix + "-failed", "FailedInvocations", "failed to deliver events (they went to the dead-letter queue, if it took them)"},
		{prefix + "-failed-to-dlq", "InvocationsFailedToBeSentToDlq", "could not put undelivered events in its dead-letter queue: they are lost"},
	} {
		a.Add(AlarmSpec{
			What:        m.what,
			Description: fmt.Sprintf("Rule %s (link %s) %s", ruleName, a.linkName(), m.desc),
			Namespace:   "AWS/Events", Metric: m.metric,
			Dimensions: dims,
			Statistic:  "Sum", Threshold: 0,
		})
	}
}

// FunctionErrors alarms when the function name returns an error.
func (a *Alarms) FunctionErrors(what, functionName string) {
	a.Add(AlarmSpec{
		What:        what,
		Description: fmt.Sprintf("Function %s (link %s) returned errors: see its log group", functionName, a.linkName()),
		Namespace:   "AWS/Lambda", Metric: "Errors",
		Dimensions: []Dimension{{"FunctionName", functionName}},
		Statistic:  "Sum", Threshold: 0,
	})
}

// IteratorAge alarms when the last record that the function name got from its stream
// was older than threshold when it arrived: the consumer is behind, and records
// expire at the stream's retention or are sent to the on-failure destination at the
// mapping's maximum record age.
func (a *Alarms) IteratorAge(what, functionName string, threshold time.Duration) {
	a.Add(AlarmSpec{
		What:        what,
		Description: fmt.Sprintf("Function %s (link %s) reads records older than %s: it is behind its stream", functionName, a.linkName(), threshold),
		Namespace:   "AWS/Lambda", Metric: "IteratorAge",
		Dimensions: []Dimension{{"FunctionName", functionName}},
		Statistic:  "Maximum", Threshold: float64(threshold.Milliseconds()),
	})
}

// StreamWriteThrottled alarms when writes to the stream name were throttled.
func (a *Alarms) StreamWriteThrottled(what, streamName string) {
	a.Add(AlarmSpec{
		What:        what,
		Description: fmt.Sprintf("Writes to stream %s (link %s) were throttled: producers must retry, or the stream needs more capacity", streamName, a.linkName()),
		Namespace:   "AWS/Kinesis", Metric: "WriteProvisionedThroughputExceeded",
		Dimensions: []Dimension{{"StreamName", streamName}},
		Statistic:  "Sum", Threshold: 0,
	})
}

func (a *Alarms) linkName() string {
	if a == nil {
		return ""
	}
	return a.link
}
