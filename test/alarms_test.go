package test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

// account is what the alarm tests know of one account's templates.
type account struct {
	// queues are the names of the account's queues by logical ID, per stack.
	queues map[string]map[string]string
	// alarms are the account's alarms.
	alarms []map[string]any
}

// accountsOf groups the templates of s by account.
func accountsOf(s *synthesized) map[string]*account {
	out := map[string]*account{}
	for name, st := range s.stacks {
		id := *st.Account()
		a := out[id]
		if a == nil {
			a = &account{queues: map[string]map[string]string{}}
			out[id] = a
		}
		a.queues[name] = map[string]string{}
		for _, q := range s.tmpls[name].Resources("AWS::SQS::Queue") {
			n, _ := q.Props()["QueueName"].(string)
			a.queues[name][q.LogicalID] = n
		}
		for _, al := range s.tmpls[name].Resources("AWS::CloudWatch::Alarm") {
			a.alarms = append(a.alarms, al.Props())
		}
	}
	return out
}

// queueNameOf resolves a queue ARN of stack's template to the queue's name: a
// Fn::GetAtt of a queue of the template, or a computed ARN ending in the name.
func queueNameOf(t *testing.T, a *account, stack string, arn any) string {
	t.Helper()
	switch v := arn.(type) {
	case string:
		return v[strings.LastIndex(v, ":")+1:]
	case map[string]any:
		if ga, ok := v["Fn::GetAtt"].([]any); ok && len(ga) == 2 && ga[1] == "Arn" {
			if n, ok := a.queues[stack][ga[0].(string)]; ok && n != "" {
				return n
			}
		}
	}
	t.Fatalf("%s: cannot tell which queue %s is", stack, cdktest.JSON(arn))
	return ""
}

// failureQueues returns the names of every queue the templates of s use as a
// dead-letter queue or failure destination, by account: redrive policies of queues
// and SNS subscriptions, dead-letter configs of EventBridge targets, on-failure
// destinations of event source mappings.
func failureQueues(t *testing.T, s *synthesized, accounts map[string]*account) map[string][]string {
	out := map[string][]string{}
	for name, st := range s.stacks {
		id := *st.Account()
		a, tpl := accounts[id], s.tmpls[name]
		add := func(arn any) { out[id] = append(out[id], queueNameOf(t, a, name, arn)) }
		for _, q := range tpl.Resources("AWS::SQS::Queue") {
			if rp, ok := q.Props()["RedrivePolicy"].(map[string]any); ok {
				add(rp["deadLetterTargetArn"])
			}
		}
		for _, sub := range tpl.Resources("AWS::SNS::Subscription") {
			if rp, ok := sub.Props()["RedrivePolicy"].(map[string]any); ok {
				add(rp["deadLetterTargetArn"])
			}
		}
		for _, r := range tpl.Resources("AWS::Events::Rule") {
			for _, target := range cdktest.List(r.Props()["Targets"]) {
				if dl, ok := target.(map[string]any)["DeadLetterConfig"].(map[string]any); ok {
					add(dl["Arn"])
				}
			}
		}
		for _, m := range tpl.Resources("AWS::Lambda::EventSourceMapping") {
			if dc, ok := m.Props()["DestinationConfig"].(map[string]any); ok {
				if of, ok := dc["OnFailure"].(map[string]any); ok {
					add(of["Destination"])
				}
			}
		}
	}
	return out
}

// findAlarm returns the alarms of a on metric of namespace with exactly dims.
func findAlarm(a *account, namespace, metric string, dims ...any) []map[string]any {
	var found []map[string]any
	for _, al := range a.alarms {
		if al["Namespace"] == namespace && al["MetricName"] == metric && cdktest.JSON(al["Dimensions"]) == cdktest.JSON(dims) {
			found = append(found, al)
		}
	}
	return found
}

func dim(name string, value any) map[string]any { return map[string]any{"Name": name, "Value": value} }

// checkAlarm fails unless exactly one alarm of found fires above threshold within
// one 5-minute period with statistic, missing data not breaching, and notifies the
// account's alarm topic on ALARM and OK.
func checkAlarm(t *testing.T, what string, found []map[string]any, statistic string, threshold float64, topicArn string) {
	t.Helper()
	if len(found) != 1 {
		t.Errorf("%s: want exactly one alarm, found %d", what, len(found))
		return
	}
	want := map[string]any{
		"Statistic": statistic, "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold",
		"Period": 300, "EvaluationPeriods": 1, "TreatMissingData": "notBreaching",
		"AlarmActions": []any{topicArn}, "OKActions": []any{topicArn},
	}
	if !cdktest.Contains(found[0], want) {
		t.Errorf("%s: alarm %s\nwant it to contain %s", what, cdktest.JSON(found[0]), cdktest.JSON(want))
	}
}

func TestEveryFailureQueueHasAnAlarm(t *testing.T) {
	for _, name := range []string{"default", "full", "stream-only"} {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized scenario, by account
			s := scenario(t, name)
			accounts := accountsOf(s)
			prefix := ""
			if s.topo.NamePrefix != "" {
				prefix = s.topo.NamePrefix + "-"
			}
			// WHEN every queue used as a dead-letter queue or failure destination is found
			found := failureQueues(t, s, accounts)
			if len(found) == 0 {
				t.Fatal("no dead-letter queue found: the search is broken")
			}
			for id, queues := range found {
				for _, q := range queues {
					// THEN the account that owns it alarms on its first message
					checkAlarm(t, "dead-letter queue "+q+" of account "+id,
						findAlarm(accounts[id], "AWS/SQS", "ApproximateNumberOfMessagesVisible", dim("QueueName", q)),
						"Maximum", 0, linkkind.AlarmTopicArn(prefix, s.topo.Region, id))
				}
			}
		})
	}
}

func TestEveryMainQueueTopicRuleStreamAndConsumerHasItsAlarms(t *testing.T) {
	for _, name := range []string{"default", "full", "stream-only"} {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized scenario, by account
			s := scenario(t, name)
			accounts := accountsOf(s)
			prefix := ""
			if s.topo.NamePrefix != "" {
				prefix = s.topo.NamePrefix + "-"
			}
			checked := 0
			for stack, st := range s.stacks {
				id := *st.Account()
				a, tpl := accounts[id], s.tmpls[stack]
				topic := linkkind.AlarmTopicArn(prefix, s.topo.Region, id)
				// WHEN each watched resource of the stack is looked at
				for _, q := range tpl.Resources("AWS::SQS::Queue") {
					p := q.Props()
					if _, main := p["RedrivePolicy"]; !main {
						continue
					}
					// THEN a main queue alarms when its oldest message is older than half
					// its retention (the default of every scenario's links)
					checkAlarm(t, "main queue "+p["QueueName"].(string), findAlarm(a, "AWS/SQS", "ApproximateAgeOfOldestMessage", dim("QueueName", p["QueueName"])),
						"Maximum", p["MessageRetentionPeriod"].(float64)/2, topic)
					checked++
				}
				for _, tp := range tpl.Resources("AWS::SNS::Topic") {
					n := tp.Props()["TopicName"].(string)
					if n == linkkind.AlarmTopicName(prefix) {
						continue
					}
					// THEN a link's topic alarms on failed deliveries and on those it could
					// not put in a dead-letter queue
					for _, m := range []string{"NumberOfNotificationsFailed", "NumberOfNotificationsFailedToRedriveToDlq"} {
						checkAlarm(t, m+" of topic "+n, findAlarm(a, "AWS/SNS", m, dim("TopicName", n)), "Sum", 0, topic)
					}
					checked++
				}
				for _, r := range tpl.Resources("AWS::Events::Rule") {
					p := r.Props()
					dims := []any{dim("RuleName", p["Name"])}
					if bus, ok := p["EventBusName"].(string); ok && bus != "default" {
						dims = []any{dim("EventBusName", bus), dim("RuleName", p["Name"])}
					}
					// THEN a rule alarms on failed invocations and on those it could not put
					// in its dead-letter queue, with EventBusName for a custom bus
					for _, m := range []string{"FailedInvocations", "InvocationsFailedToBeSentToDlq"} {
						checkAlarm(t, m+" of rule "+p["Name"].(string), findAlarm(a, "AWS/Events", m, dims...), "Sum", 0, topic)
					}
					checked++
				}
				for _, k := range tpl.Resources("AWS::Kinesis::Stream") {
					n := k.Props()["Name"]
					// THEN a stream alarms on throttled writes
					checkAlarm(t, "stream", findAlarm(a, "AWS/Kinesis", "WriteProvisionedThroughputExceeded", dim("StreamName", n)), "Sum", 0, topic)
					checked++
				}
				for _, m := range tpl.Resources("AWS::Lambda::EventSourceMapping") {
					p := m.Props()
					fn := p["FunctionName"]
					// THEN a stream consumer alarms on its function's errors and on an
					// iterator age above half its maximum record age (below the retention)
					checkAlarm(t, "consumer errors", findAlarm(a, "AWS/Lambda", "Errors", dim("FunctionName", fn)), "Sum", 0, topic)
					checkAlarm(t, "consumer iterator age", findAlarm(a, "AWS/Lambda", "IteratorAge", dim("FunctionName", fn)),
						"Maximum", p["MaximumRecordAgeInSeconds"].(float64)*1000/2, topic)
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no watched resource found: the search is broken")
			}
		})
	}
}

func TestEveryAccountWithAlarmsHasItsAlarmTopic(t *testing.T) {
	for _, name := range []string{"default", "full", "stream-only"} {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized scenario, by account
			s := scenario(t, name)
			accounts := accountsOf(s)
			prefix := ""
			if s.topo.NamePrefix != "" {
				prefix = s.topo.NamePrefix + "-"
			}
			for id, a := range accounts {
				// WHEN the account's topics are looked at
				var topics []cdktest.Resource
				for stack, st := range s.stacks {
					if *st.Account() == id {
						for _, tp := range s.tmpls[stack].Resources("AWS::SNS::Topic") {
							if tp.Props()["TopicName"] == linkkind.AlarmTopicName(prefix) {
								topics = append(topics, tp)
								if strings.HasSuffix(stack, "-wiring") {
									t.Errorf("account %s: the alarm topic is in %s, not in the main stack", id, stack)
								}
							}
						}
					}
				}
				// THEN an account with alarms has exactly one alarm topic, encrypted with a
				// key of its own; one without has none
				switch {
				case len(a.alarms) > 0 && len(topics) != 1:
					t.Errorf("account %s has %d alarms and %d alarm topics, want 1", id, len(a.alarms), len(topics))
				case len(a.alarms) == 0 && len(topics) != 0:
					t.Errorf("account %s has no alarms but %d alarm topics", id, len(topics))
				case len(topics) == 1:
					if _, ok := topics[0].Props()["KmsMasterKeyId"].(map[string]any); !ok {
						t.Errorf("account %s: alarm topic %s is not encrypted with a key of the stack", id, cdktest.JSON(topics[0].Props()))
					}
				}
			}
		})
	}
}

// synthAlarmTopology builds the stacks of a topology given as YAML, without cdk-nag,
// and returns each stack's template by stack name.
func synthAlarmTopology(t *testing.T, yaml string) map[string]cdktest.Tmpl {
	t.Helper()
	top, err := topology.Parse("alarms.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	app := cdktest.NewApp(t, "")
	if _, err := stacks.Build(app, top); err != nil {
		t.Fatal(err)
	}
	out := map[string]cdktest.Tmpl{}
	for _, c := range *app.Node().Children() {
		if st, ok := c.(awscdk.Stack); ok {
			out[*st.StackName()] = cdktest.Template(t, st)
		}
	}
	return out
}

const alarmTopology = `region: eu-west-1
accounts:
  orders: "111111111111"
  billing: "222222222222"
  analytics: "333333333333"
links:
  - name: invoices
    kind: queue
    from: orders
    to: billing
  - name: quiet
    kind: queue
    from: orders
    to: analytics
    options:
      alarms: false
alarms:
  topics:
    billing: arn:aws:sns:eu-west-1:222222222222:oncall
`

func TestAlarmsGoToTheTopicTheTopologyNames(t *testing.T) {
	// GIVEN billing's alarms sent to an existing topic, and analytics' only link quiet
	tmpls := synthAlarmTopology(t, alarmTopology)
	// WHEN billing's and analytics' stacks are looked at
	billing, analytics := tmpls["Crosswire-billing"], tmpls["Crosswire-analytics"]
	// THEN billing creates no alarm topic and its alarms notify the existing one
	if n := len(billing.Resources("AWS::SNS::Topic")); n != 0 {
		t.Errorf("billing has %d topics, want none: its alarms go to an existing topic", n)
	}
	alarms := billing.Resources("AWS::CloudWatch::Alarm")
	if len(alarms) != 2 {
		t.Fatalf("billing has %d alarms, want 2 (dead-letter queue, oldest message)", len(alarms))
	}
	for _, a := range alarms {
		for _, k := range []string{"AlarmActions", "OKActions"} {
			if got := cdktest.JSON(a.Props()[k]); got != `["arn:aws:sns:eu-west-1:222222222222:oncall"]` {
				t.Errorf("%s %s = %s, want the existing topic", a.Props()["AlarmName"], k, got)
			}
		}
	}
	// THEN an account that only sends through queue links has no alarm and no topic
	if n := len(tmpls["Crosswire-orders"].Resources("AWS::CloudWatch::Alarm")) + len(tmpls["Crosswire-orders"].Resources("AWS::SNS::Topic")); n != 0 {
		t.Errorf("orders has %d alarms and topics, want none", n)
	}
	// THEN a link with alarms: false has no alarm, and its account no alarm topic
	if n := len(analytics.Resources("AWS::CloudWatch::Alarm")) + len(analytics.Resources("AWS::SNS::Topic")); n != 0 {
		t.Errorf("analytics has %d alarms and topics, want none", n)
	}
}

func TestAlarmTopicSubscribesTheTopologysEmails(t *testing.T) {
	// GIVEN two e-mail addresses for billing's alarms
	yaml := strings.Replace(alarmTopology, "  topics:\n    billing: arn:aws:sns:eu-west-1:222222222222:oncall\n",
		"  emails:\n    billing: [ops@example.com, dev@example.com]\n", 1)
	tmpls := synthAlarmTopology(t, yaml)
	// WHEN billing's main stack is looked at
	billing := tmpls["Crosswire-billing"]
	// THEN its alarm topic has one e-mail subscription per address
	var got []string
	for _, s := range billing.Resources("AWS::SNS::Subscription") {
		if s.Props()["Protocol"] != "email" {
			t.Errorf("subscription %s has protocol %v, want email", s.LogicalID, s.Props()["Protocol"])
		}
		got = append(got, s.Props()["Endpoint"].(string))
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"dev@example.com", "ops@example.com"}) {
		t.Errorf("subscribed %v, want dev@example.com and ops@example.com", got)
	}
}

func TestEveryAccountWithAlarmsHasADashboardOfThem(t *testing.T) {
	for _, name := range []string{"default", "full"} {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized scenario
			s := scenario(t, name)
			prefix := ""
			if s.topo.NamePrefix != "" {
				prefix = s.topo.NamePrefix + "-"
			}
			for _, a := range s.topo.Accounts {
				// WHEN the account's alarms and its main stack's dashboard are read
				var want []string
				for stack, st := range s.stacks {
					if *st.Account() == a.ID {
						for _, al := range s.tmpls[stack].Resources("AWS::CloudWatch::Alarm") {
							want = append(want, "arn:aws:cloudwatch:"+s.topo.Region+":"+a.ID+":alarm:"+al.Props()["AlarmName"].(string))
						}
					}
				}
				main := s.tmpls[stacks.StackName(s.topo, a.Alias)]
				dashboards := main.Resources("AWS::CloudWatch::Dashboard")
				if len(want) == 0 {
					if len(dashboards) != 0 {
						t.Errorf("account %s has no alarms but %d dashboards", a.Alias, len(dashboards))
					}
					continue
				}
				// THEN there is one, named for the account and region, graphing every alarm
				if len(dashboards) != 1 {
					t.Fatalf("account %s has %d dashboards in its main stack, want 1", a.Alias, len(dashboards))
				}
				p := dashboards[0].Props()
				if got, w := p["DashboardName"], linkkind.DashboardName(prefix, a.Alias, s.topo.Region); got != w {
					t.Errorf("dashboard of %s is named %v, want %s", a.Alias, got, w)
				}
				var body struct {
					Widgets []struct {
						Type       string
						Properties struct {
							Region      string
							Annotations struct{ Alarms []string }
						}
					}
				}
				if err := json.Unmarshal([]byte(p["DashboardBody"].(string)), &body); err != nil {
					t.Fatalf("dashboard body of %s: %v", a.Alias, err)
				}
				var got []string
				for _, w := range body.Widgets {
					if w.Type == "metric" {
						got = append(got, w.Properties.Annotations.Alarms...)
						if w.Properties.Region != s.topo.Region {
							t.Errorf("widget in region %q, want %s", w.Properties.Region, s.topo.Region)
						}
					}
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("dashboard of %s graphs %v\nwant %v", a.Alias, got, want)
				}
			}
		})
	}
}
