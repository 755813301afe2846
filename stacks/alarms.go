package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// cloudWatchPrincipal is the service that publishes alarm notifications.
const cloudWatchPrincipal = "cloudwatch.amazonaws.com"

// hasAlarms reports whether the account alias holds, in region, a half of a link
// whose alarms are on, and so needs its alarm topic there.
func hasAlarms(t *topology.Topology, alias, region string) bool {
	for _, h := range halves(t, alias, region) {
		if linkkind.HasAlarms(h.spec, h.role) {
			return true
		}
	}
	return false
}

// needsAlarmTopic reports whether the main stack of alias in region holds its alarm
// topic: the account has alarmed halves there and the topology names no existing
// topic for them in that region.
func needsAlarmTopic(t *topology.Topology, alias, region string) bool {
	return hasAlarms(t, alias, region) && t.AlarmTopicIn(alias, region) == ""
}

// AlarmTopic is the topic every alarm of one account and region notifies, on ALARM
// and on OK: [prefix-]crosswire-alarms, in the account's main stack.
type AlarmTopic struct {
	// Topic is the alarm topic.
	Topic awssns.Topic
	// Key encrypts the topic: a customer managed key, since CloudWatch cannot publish
	// to a topic encrypted with the AWS managed key of SNS.
	Key awskms.Key
}

// alarmArns is the ARN pattern of every alarm of account in region.
func alarmArns(region, account string) string {
	return fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:*", awsarn.Partition(region), region, account)
}

// newAlarmTopic creates in scope, the main stack of account in region, the alarm
// topic: TLS only, encrypted with a customer managed key that CloudWatch may use only
// for this account's alarms in that region, and a topic policy that admits only those
// alarms to publish.
func newAlarmTopic(scope constructs.Construct, t *topology.Topology, account, region string) *AlarmTopic {
	prefix := linkPrefix(t)
	c := constructs.NewConstruct(scope, jsii.String(linkkind.AccountConstruct+"AlarmTopic"))
	fromAlarms := &map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": account},
		"ArnLike":      map[string]any{"aws:SourceArn": alarmArns(region, account)},
	}
	key := blocks.NewKey(c, "Key", blocks.KeyProps{
		Alias:       "alias/" + linkkind.AlarmTopicName(prefix),
		Description: fmt.Sprintf("Encrypts the alarm topic %s of account %s", linkkind.AlarmTopicName(prefix), account),
		Policy: awsiam.PolicyDocument_FromJson(map[string]any{"Statement": []any{
			map[string]any{"Action": "kms:*", "Effect": "Allow", "Resource": "*",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", awsarn.Partition(region), account)}},
			map[string]any{"Sid": "AllowCloudWatchAlarmsOfThisAccount", "Effect": "Allow", "Resource": "*",
				"Principal": map[string]any{"Service": cloudWatchPrincipal},
				"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Condition": *fromAlarms},
		}}),
	})
	topic := awssns.NewTopic(c, jsii.String("Resource"), &awssns.TopicProps{
		TopicName:   jsii.String(linkkind.AlarmTopicName(prefix)),
		DisplayName: jsii.String("Crosswire alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{cdkx.Service(cloudWatchPrincipal)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(linkkind.AlarmTopicArn(prefix, region, account)),
		Conditions: fromAlarms,
	}))
	for i, addr := range t.Alarms.Emails[t.Alias(account)] {
		awssns.NewSubscription(c, jsii.String(fmt.Sprintf("Email%d", i)), &awssns.SubscriptionProps{
			Topic:    topic,
			Protocol: awssns.SubscriptionProtocol_EMAIL,
			Endpoint: jsii.String(addr),
		})
	}
	return &AlarmTopic{Topic: topic, Key: key}
}

// linkPrefix is the prefix of physical names: the topology's namePrefix and a
// hyphen, or "" (as linkkind.Header.Prefix).
func linkPrefix(t *topology.Topology) string {
	if t.NamePrefix == "" {
		return ""
	}
	return t.NamePrefix + "-"
}
