package blocks_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/blocks"
	"github.com/crosswire/crosswire/internal/cdktest"
)

func TestRuleAlarmsNameTheBusOnlyForACustomBus(t *testing.T) {
	// GIVEN a rule on the default bus and one on a custom bus
	stack, scope := newScope(t)
	a := blocks.NewAlarms(scope, true, "acme-", "events", region, account, "")
	a.RuleFailures("default", "acme-events-forward", "default")
	a.RuleFailures("custom", "acme-events-deliver", "acme-events")
	// WHEN the alarms are synthesized
	alarms := cdktest.Template(t, stack).Alarms()
	// THEN the default bus's rule has RuleName alone, the custom bus's EventBusName too,
	// and every alarm notifies the account's alarm topic on ALARM and OK
	for name, dims := range map[string][]any{
		"acme-events-default-failed":        cdktest.Dims("RuleName", "acme-events-forward"),
		"acme-events-default-failed-to-dlq": cdktest.Dims("RuleName", "acme-events-forward"),
		"acme-events-custom-failed":         cdktest.Dims("EventBusName", "acme-events", "RuleName", "acme-events-deliver"),
		"acme-events-custom-failed-to-dlq":  cdktest.Dims("EventBusName", "acme-events", "RuleName", "acme-events-deliver"),
	} {
		al, ok := alarms[name]
		if !ok {
			t.Errorf("no alarm %s among %d", name, len(alarms))
			continue
		}
		equal(t, name+" dimensions", al["Dimensions"], dims)
		for _, k := range []string{"AlarmActions", "OKActions"} {
			equal(t, name+" "+k, al[k], []any{"arn:aws:sns:ap-northeast-1:111111111111:acme-crosswire-alarms"})
		}
	}
}

func TestAlarmsOffCreateNothing(t *testing.T) {
	// GIVEN alarms turned off
	_, scope := newScope(t)
	a := blocks.NewAlarms(scope, false, "", "events", region, account, "")
	// WHEN every kind of alarm is asked for
	a.DeadLetterQueue("dlq", "events-dlq", "messages")
	a.TopicFailures("events")
	a.IteratorAge("age", "fn", 0)
	// THEN nothing is created, not even the Alarms construct
	if a != nil || scope.Node().TryFindChild(jsii.String("Alarms")) != nil {
		t.Errorf("alarms off created alarms")
	}
}

func TestAlarmsNotifyTheTopicTheyAreGiven(t *testing.T) {
	// GIVEN an existing alarm topic
	stack := awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
	})
	scope := constructs.NewConstruct(stack, jsii.String("Link"))
	// WHEN an alarm is created with it
	blocks.NewAlarms(scope, true, "", "events", region, account, "arn:aws:sns:ap-northeast-1:111111111111:oncall").DeadLetterQueue("dlq", "events-dlq", "messages")
	// THEN it notifies that topic
	al := cdktest.Template(t, stack).Alarms()["events-dlq"]
	equal(t, "actions", al["AlarmActions"], []any{"arn:aws:sns:ap-northeast-1:111111111111:oncall"})
}
