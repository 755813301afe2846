package linkkind_test

import (
	"strings"
	"testing"
	"time"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

func TestAlarmsAreOnUnlessTurnedOff(t *testing.T) {
	off, on := false, true
	for _, c := range []struct {
		alarms *bool
		want   bool
	}{{nil, true}, {&on, true}, {&off, false}} {
		// GIVEN alarm options with alarms unset, true or false
		o := linkkind.AlarmOptions{Alarms: c.alarms}
		// WHEN asked whether alarms are on
		// THEN only alarms: false turns them off
		if got := o.AlarmsOn(); got != c.want {
			t.Errorf("AlarmsOn() with %v = %v, want %v", c.alarms, got, c.want)
		}
	}
}

func TestOldestMessageThresholdDefaultsToHalfTheRetention(t *testing.T) {
	// GIVEN a queue that keeps messages 4 days, with and without oldestMessageAlarm
	// WHEN the thresholds are computed
	// THEN the default is half the retention, and a given value wins
	if got := (linkkind.AlarmOptions{}).OldestMessageThreshold(96 * time.Hour); got != 48*time.Hour {
		t.Errorf("default threshold = %s, want 48h", got)
	}
	if got := (linkkind.AlarmOptions{OldestMessageAlarm: time.Hour}).OldestMessageThreshold(96 * time.Hour); got != time.Hour {
		t.Errorf("given threshold = %s, want 1h", got)
	}
}

func TestOldestMessageAlarmProblems(t *testing.T) {
	off := false
	for _, c := range []struct {
		name      string
		o         linkkind.AlarmOptions
		retention time.Duration
		want      string
	}{
		{"below one period", linkkind.AlarmOptions{OldestMessageAlarm: time.Minute}, 96 * time.Hour, `oldestMessageAlarm 1m must be from 5m to the queue's retention, 96h`},
		{"above the retention", linkkind.AlarmOptions{OldestMessageAlarm: 100 * time.Hour}, 96 * time.Hour, `oldestMessageAlarm 100h must be from 5m`},
		{"no queue", linkkind.AlarmOptions{OldestMessageAlarm: time.Hour}, 0, `oldestMessageAlarm 1h has no queue to watch`},
		{"alarms off", linkkind.AlarmOptions{Alarms: &off, OldestMessageAlarm: time.Hour}, 96 * time.Hour, `oldestMessageAlarm 1h is given with alarms: false`},
		{"fine", linkkind.AlarmOptions{OldestMessageAlarm: time.Hour}, 96 * time.Hour, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN alarm options and the retention of the link's main queue
			var p problem.List
			// WHEN they are checked
			c.o.AlarmProblems(c.retention, &p)
			// THEN the problem names the option, its value and the range, or there is none
			items := p.Items()
			switch {
			case c.want == "" && len(items) != 0:
				t.Errorf("want no problem, got %v", items)
			case c.want != "" && (len(items) != 1 || !strings.Contains(items[0].Msg, c.want) || items[0].Where != "options.oldestMessageAlarm"):
				t.Errorf("want one problem at options.oldestMessageAlarm containing %q, got %v", c.want, items)
			}
		})
	}
}

func TestAlarmNames(t *testing.T) {
	// GIVEN a prefix, region and account
	// WHEN the alarm topic, dashboard and alarm names are computed
	// THEN they carry the prefix and are unique per account and region
	for got, want := range map[string]string{
		linkkind.AlarmTopicName("acme-"):                         "acme-crosswire-alarms",
		linkkind.AlarmTopicArn("", "eu-west-1", "111111111111"):  "arn:aws:sns:eu-west-1:111111111111:crosswire-alarms",
		linkkind.AlarmTopicArn("", "cn-north-1", "111111111111"): "arn:aws-cn:sns:cn-north-1:111111111111:crosswire-alarms",
		linkkind.DashboardName("acme-", "billing", "eu-west-1"):  "acme-crosswire-billing-eu-west-1",
		linkkind.AlarmName("acme-", "invoices", "dlq-visible"):   "acme-invoices-dlq-visible",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
