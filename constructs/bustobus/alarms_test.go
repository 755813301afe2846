package bustobus_test

import (
	"testing"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
)

// checkAlarms fails unless tpl has exactly the alarms of want (by name, as
// cdktest.Want), each notifying the alarm topic of account.
func checkAlarms(t *testing.T, what string, tpl cdktest.Tmpl, account, prefix string, want map[string]string) {
	t.Helper()
	alarms := tpl.Alarms()
	if len(alarms) != len(want) {
		t.Errorf("%s has %d alarms, want %d", what, len(alarms), len(want))
	}
	for name, w := range want {
		a, ok := alarms[name]
		if !ok {
			t.Errorf("%s: no alarm %s", what, name)
			continue
		}
		if got := cdktest.AlarmOn(a); got != w {
			t.Errorf("%s: alarm %s is on %s, want %s", what, name, got, w)
		}
		if got, w := cdktest.JSON(a["AlarmActions"]), `["arn:aws:sns:ap-northeast-1:`+account+`:`+prefix+`crosswire-alarms"]`; got != w {
			t.Errorf("%s: alarm %s actions %s, want %s", what, name, got, w)
		}
		if a["TreatMissingData"] != "notBreaching" {
			t.Errorf("%s: alarm %s treats missing data as %v", what, name, a["TreatMissingData"])
		}
	}
}

func TestBusLinkAlarmsPerSideWithTheRulesDimensions(t *testing.T) {
	// GIVEN the bus-mode link to a custom bus with a function and a queue, from the
	// senders' default buses
	h := scenario(t, "bus")
	// WHEN its alarms are read
	// THEN the receiver alarms on its delivering rule (EventBusName and RuleName, on
	// its custom bus), the dead-letter queues, the queue's age and the function
	deliver := cdktest.Dims("EventBusName", "ec2-state", "RuleName", "ec2-state-deliver")
	checkAlarms(t, "receiver", h.recvTmpl, billing, "", map[string]string{
		"ec2-state-deliver-dlq-visible":        cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "ec2-state-deliver-dlq")),
		"ec2-state-deliver-rule-failed":        cdktest.Want("AWS/Events", "FailedInvocations", "Sum", 0, deliver),
		"ec2-state-deliver-rule-failed-to-dlq": cdktest.Want("AWS/Events", "InvocationsFailedToBeSentToDlq", "Sum", 0, deliver),
		"ec2-state-queue-dlq-visible":          cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "ec2-state-dlq")),
		"ec2-state-queue-oldest":               cdktest.Want("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", 48*3600, cdktest.Dims("QueueName", "ec2-state")),
		"ec2-state-function-errors":            cdktest.Want("AWS/Lambda", "Errors", "Sum", 0, cdktest.Dims("FunctionName", "ec2-state")),
	})
	// THEN each sender alarms on its forwarding rule (RuleName alone, on the default
	// bus) and its dead-letter queue, in its own account
	forward := cdktest.Dims("RuleName", "ec2-state-forward")
	for _, a := range []string{orders, analytics} {
		checkAlarms(t, "sender "+a, h.sendTmpls[a], a, "", map[string]string{
			"ec2-state-forward-dlq-visible":        cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "ec2-state-forward-dlq")),
			"ec2-state-forward-rule-failed":        cdktest.Want("AWS/Events", "FailedInvocations", "Sum", 0, forward),
			"ec2-state-forward-rule-failed-to-dlq": cdktest.Want("AWS/Events", "InvocationsFailedToBeSentToDlq", "Sum", 0, forward),
		})
	}
}

func TestBusLinkWithAlarmsFalseHasNone(t *testing.T) {
	// GIVEN the bus-mode link with alarms: false
	off := false
	l := scenarios["bus"]
	l.AlarmOptions = linkkind.AlarmOptions{Alarms: &off}
	scenarios["bus-quiet"] = l
	h := scenario(t, "bus-quiet")
	// WHEN its alarms are read
	// THEN no half has one
	checkAlarms(t, "receiver", h.recvTmpl, billing, "", nil)
	for a, tpl := range h.sendTmpls {
		checkAlarms(t, "sender "+a, tpl, a, "", nil)
	}
}
