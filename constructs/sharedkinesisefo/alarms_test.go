package sharedkinesisefo_test

import (
	"testing"
	"time"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo"
	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
)

func TestStreamLinkAlarmsPerSide(t *testing.T) {
	// GIVEN a stream link whose records may be 2h old, kept 24h
	link := sharedkinesisefo.Link{Name: "clickstream", Region: region, ProducerAccount: orders, ConsumerAccounts: []string{analytics},
		Options: sharedkinesisefo.Options{MaxRecordAge: 2 * time.Hour}}
	// WHEN both halves are synthesized
	h := build(t, link, false)
	// THEN the producer alarms on throttled writes
	prod := h.prodTmpl.Alarms()
	if got, w := cdktest.AlarmOn(prod["clickstream-stream-write-throttled"]), cdktest.Want("AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Sum", 0, cdktest.Dims("StreamName", "clickstream")); len(prod) != 1 || got != w {
		t.Errorf("producer alarms %v; stream alarm on %s, want %s", cdktest.JSON(prod), got, w)
	}
	// THEN the consumer alarms on its failure queue, and on its function's errors and
	// iterator age (half of maxRecordAge, the smaller), by the function's name
	cons := h.consTmpls[analytics]
	fn := cons.Resources("AWS::Lambda::EventSourceMapping")[0].Props()["FunctionName"]
	want := map[string]string{
		"clickstream-failures-visible":      cdktest.Want("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0, cdktest.Dims("QueueName", "clickstream-failures")),
		"clickstream-consumer-errors":       cdktest.Want("AWS/Lambda", "Errors", "Sum", 0, cdktest.Dims("FunctionName", fn)),
		"clickstream-consumer-iterator-age": cdktest.Want("AWS/Lambda", "IteratorAge", "Maximum", 3600*1000, cdktest.Dims("FunctionName", fn)),
	}
	alarms := cons.Alarms()
	if len(alarms) != len(want) {
		t.Errorf("consumer has %d alarms, want %d", len(alarms), len(want))
	}
	for name, w := range want {
		if got := cdktest.AlarmOn(alarms[name]); got != w {
			t.Errorf("alarm %s is on %s, want %s", name, got, w)
		}
		if got := cdktest.JSON(alarms[name]["AlarmActions"]); got != `["arn:aws:sns:ap-northeast-1:`+analytics+`:crosswire-alarms"]` {
			t.Errorf("alarm %s notifies %s", name, got)
		}
	}
}

func TestIteratorAgeThresholdIsHalfTheSmallerOfMaxRecordAgeAndRetention(t *testing.T) {
	// GIVEN links with their maximum record age below the retention
	// WHEN the thresholds are computed
	// THEN each is half the smaller of the two
	for _, c := range []struct{ age, retention, want time.Duration }{
		{time.Hour, 24 * time.Hour, 30 * time.Minute},
		{48 * time.Hour, 24 * time.Hour, 12 * time.Hour},
	} {
		l := sharedkinesisefo.Link{Options: sharedkinesisefo.Options{MaxRecordAge: c.age, Retention: c.retention}}
		if got := sharedkinesisefo.IteratorAgeThreshold(l); got != c.want {
			t.Errorf("maxRecordAge %s, retention %s: threshold %s, want %s", c.age, c.retention, got, c.want)
		}
	}
}

func TestStreamLinkWithAlarmsFalseHasNone(t *testing.T) {
	// GIVEN a stream link with alarms: false
	off := false
	link := sharedkinesisefo.Link{Name: "clickstream", Region: region, ProducerAccount: orders, ConsumerAccounts: []string{analytics},
		Options: sharedkinesisefo.Options{AlarmOptions: linkkind.AlarmOptions{Alarms: &off}}}
	// WHEN both halves are synthesized
	h := build(t, link, false)
	// THEN neither has an alarm
	if n := len(h.prodTmpl.Alarms()) + len(h.consTmpls[analytics].Alarms()); n != 0 {
		t.Errorf("%d alarms, want none", n)
	}
}
