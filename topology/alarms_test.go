package topology_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/topology"
)

func TestAlarmsSectionAndOptionsAreRead(t *testing.T) {
	// GIVEN a topology with an alarms section and a link with its alarms off
	data := []byte(base + `  - name: quiet
    kind: queue
    from: orders
    to: billing
    options:
      alarms: false
  - name: slow
    kind: queue
    from: billing
    to: orders
    options:
      oldestMessageAlarm: 1h
alarms:
  topics:
    billing: arn:aws:sns:eu-west-1:222222222222:oncall
  emails:
    orders: [ops@example.com, dev@example.com]
`)
	// WHEN it is parsed
	top := mustParse(t, data)
	// THEN the topics and e-mails are kept, and the links' alarm options decoded
	if got := top.AlarmTopicOf("billing"); got != "arn:aws:sns:eu-west-1:222222222222:oncall" {
		t.Errorf("alarm topic of billing = %q", got)
	}
	if got := top.Alarms.Emails["orders"]; !slices.Equal(got, []string{"ops@example.com", "dev@example.com"}) {
		t.Errorf("e-mails of orders = %v", got)
	}
	for _, l := range top.Links {
		q := l.Spec.(queuelink.Link)
		switch l.Name {
		case "quiet":
			if q.AlarmsOn() {
				t.Errorf("link quiet has its alarms on, want off")
			}
		case "slow":
			if !q.AlarmsOn() || q.OldestMessageAlarm.Hours() != 1 {
				t.Errorf("link slow: alarms on %v, oldestMessageAlarm %s; want on, 1h", q.AlarmsOn(), q.OldestMessageAlarm)
			}
		default:
			if !q.AlarmsOn() {
				t.Errorf("link %s has its alarms off, want the default: on", l.Name)
			}
		}
	}
}

func TestAlarmsSectionProblemsAreReportedAtOnce(t *testing.T) {
	// GIVEN an alarms section with a topic in another region, one of another account,
	// one that is no ARN, an unknown alias, an invalid e-mail, for an account without
	// alarms
	data := []byte(base + `alarms:                                            # 17
  topics:                                          # 18
    billing: arn:aws:sns:us-east-1:222222222222:x  # 19
    orders: arn:aws:sns:eu-west-1:999999999999:x   # 20
    analytics: oncall                              # 21
    shipping: arn:aws:sns:eu-west-1:444444444444:x # 22
  emails:                                          # 23
    analytics: [ops@example.com, "not an address"] # 24
`)
	// WHEN it is parsed
	_, err := topology.Parse("topology.yaml", data)
	// THEN every problem is reported on its own line, naming the value
	ps := problemsOf(t, err)
	findProblem(t, ps, 19, "alarms.topics.billing", `"arn:aws:sns:us-east-1:222222222222:x" is in region us-east-1`, "must be in the alarm's region")
	findProblem(t, ps, 20, "alarms.topics.orders", `belongs to account 999999999999, not to account orders (111111111111)`)
	findProblem(t, ps, 21, "alarms.topics.analytics", `"oncall" is not an SNS topic ARN`)
	findProblem(t, ps, 22, "alarms.topics.shipping", `account alias "shipping" is unknown`)
	findProblem(t, ps, 24, "alarms.emails.analytics", `e-mail address "not an address" is not valid`)
	findProblem(t, ps, 24, "alarms.emails.analytics", "account analytics has no alarms", "no alarm topic is created")
	if len(ps) != 6 {
		t.Errorf("want 6 problems, got:\n%s", render(ps))
	}
}

func TestOldestMessageAlarmOutOfRangeIsReportedOnItsLine(t *testing.T) {
	// GIVEN a queue link whose age alarm is longer than its queue keeps messages
	data := edit(set(16, "      oldestMessageAlarm: 200h"))
	// WHEN it is parsed
	_, err := topology.Parse("topology.yaml", data)
	// THEN the problem is on the option's line, with its value and range
	findProblem(t, problemsOf(t, err), 16, `links[1] "refunds": options.oldestMessageAlarm`, "oldestMessageAlarm 200h must be from 5m to the queue's retention, 96h")
}

func TestEmailsOfAnAccountWithoutAlarmsAreRefused(t *testing.T) {
	cases := map[string]string{
		// GIVEN e-mails for an account that only sends on queue links (a sender half
		// has no alarm of its own)
		"silent halves only": base + "alarms:\n  emails:\n    orders: [ops@example.com]\n",
		// GIVEN e-mails for an account whose only link has its alarms off
		"alarms off": base + "  - {name: audit, kind: queue, from: billing, to: analytics, options: {alarms: false}}\nalarms:\n  emails:\n    analytics: [ops@example.com]\n",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			// WHEN it is parsed
			_, err := topology.Parse("topology.yaml", []byte(data))
			// THEN the e-mails are refused, since nothing would send them an alarm
			ps := problemsOf(t, err)
			if len(ps) != 1 || !strings.Contains(ps[0].Msg, "has no alarms") {
				t.Errorf("want the one problem that the account has no alarms, got:\n%s", render(ps))
			}
		})
	}
}
