package crossaccountqueue_test

import (
	"testing"
	"time"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
)

func TestReceiverAlarmsOnItsDeadLetterQueueAndOldestMessage(t *testing.T) {
	// GIVEN a queue link with every default, and one whose age alarm is set to 1h
	for _, c := range []struct {
		opts      crossaccountqueue.Options
		threshold float64
	}{{crossaccountqueue.Options{}, 48 * 3600}, {crossaccountqueue.Options{AlarmOptions: linkkind.AlarmOptions{OldestMessageAlarm: time.Hour}}, 3600}} {
		link := crossaccountqueue.Link{Name: "invoices", NamePrefix: "acme-", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders}, Options: c.opts}
		// WHEN both halves are synthesized
		h := build(t, link)
		// THEN the receiver alarms on the dead-letter queue's first message and on the
		// queue's oldest message, notifying its account's alarm topic; the sender has none
		alarms := h.recvTmpl.Alarms()
		want := map[string]string{
			"acme-invoices-dlq-visible":  cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "acme-invoices-dlq")),
			"acme-invoices-queue-oldest": cdktest.Want("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", c.threshold, cdktest.Dims("QueueName", "acme-invoices")),
		}
		if len(alarms) != len(want) {
			t.Errorf("receiver has %d alarms, want %d", len(alarms), len(want))
		}
		for name, w := range want {
			a, ok := alarms[name]
			if !ok {
				t.Errorf("no alarm %s", name)
				continue
			}
			if got := cdktest.AlarmOn(a); got != w {
				t.Errorf("alarm %s is on %s, want %s", name, got, w)
			}
			if got := cdktest.JSON(a["AlarmActions"]); got != `["arn:aws:sns:ap-northeast-1:222222222222:acme-crosswire-alarms"]` {
				t.Errorf("alarm %s notifies %s", name, got)
			}
		}
		if h.receiver.Alarms == nil || len(h.receiver.Alarms.Created) != 2 {
			t.Errorf("Receiver.Alarms does not hold the two alarms")
		}
		if n := len(h.sendTmpls[orders].Alarms()); n != 0 {
			t.Errorf("sender has %d alarms, want none", n)
		}
	}
}

func TestAlarmsFalseLeavesTheReceiverWithoutAlarms(t *testing.T) {
	// GIVEN a queue link with alarms: false
	off := false
	link := crossaccountqueue.Link{Name: "invoices", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		Options: crossaccountqueue.Options{AlarmOptions: linkkind.AlarmOptions{Alarms: &off}}}
	// WHEN both halves are synthesized
	h := build(t, link)
	// THEN there is no alarm at all
	if n := len(h.recvTmpl.Alarms()); n != 0 || h.receiver.Alarms != nil {
		t.Errorf("receiver has %d alarms, want none", n)
	}
}
