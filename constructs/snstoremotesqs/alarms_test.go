package snstoremotesqs_test

import (
	"testing"

	"github.com/crosswire/crosswire/constructs/snstoremotesqs"
	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
)

// checkAlarms fails unless tpl has exactly the alarms of want (by name, as
// cdktest.Want), each notifying the alarm topic of account.
func checkAlarms(t *testing.T, what string, tpl cdktest.Tmpl, account string, want map[string]string) {
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
		if got, w := cdktest.JSON(a["OKActions"]), `["arn:aws:sns:ap-northeast-1:`+account+`:crosswire-alarms"]`; got != w {
			t.Errorf("%s: alarm %s OK actions %s, want %s", what, name, got, w)
		}
	}
}

func TestTopicLinkAlarmsPerSide(t *testing.T) {
	// GIVEN a topic link to billing and analytics, billing with a subscription
	// dead-letter queue
	link := snstoremotesqs.Link{Name: "order-events", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing, analytics},
		Options: snstoremotesqs.Options{Receivers: map[string]snstoremotesqs.ReceiverOptions{billing: {SubscriptionDeadLetterQueue: true}}}}
	// WHEN every half is synthesized
	h := build(t, link)
	// THEN the sender alarms on the topic's failed deliveries, each receiver on its
	// queues, and the subscription half has none
	topic := cdktest.Dims("TopicName", "order-events")
	checkAlarms(t, "sender", h.send, orders, map[string]string{
		"order-events-topic-failed":        cdktest.Want("AWS/SNS", "NumberOfNotificationsFailed", "Sum", 0, topic),
		"order-events-topic-failed-to-dlq": cdktest.Want("AWS/SNS", "NumberOfNotificationsFailedToRedriveToDlq", "Sum", 0, topic),
	})
	queues := map[string]string{
		"order-events-dlq-visible":  cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "order-events-dlq")),
		"order-events-queue-oldest": cdktest.Want("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", 48*3600, cdktest.Dims("QueueName", "order-events")),
	}
	checkAlarms(t, "receiver analytics", h.recv[analytics], analytics, queues)
	queues["order-events-subscription-dlq-visible"] = cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "order-events-sns-dlq"))
	checkAlarms(t, "receiver billing", h.recv[billing], billing, queues)
	for a, tpl := range h.subT {
		checkAlarms(t, "subscription "+a, tpl, a, nil)
	}
}

func TestTopicLinkWithAlarmsFalseHasNone(t *testing.T) {
	// GIVEN a topic link with alarms: false
	off := false
	link := snstoremotesqs.Link{Name: "order-events", Region: region, SenderAccount: orders, ReceiverAccounts: []string{billing},
		Options: snstoremotesqs.Options{AlarmOptions: linkkind.AlarmOptions{Alarms: &off}}}
	// WHEN every half is synthesized
	h := build(t, link)
	// THEN no half has an alarm
	checkAlarms(t, "sender", h.send, orders, nil)
	checkAlarms(t, "receiver", h.recv[billing], billing, nil)
}
