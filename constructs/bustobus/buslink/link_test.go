package buslink_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/internal/problem"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"
	org       = "o-a1b2c3d4e5"
)

func retries(n int) *int { return &n }

// base is a valid bus link; cases change one thing at a time.
func base() buslink.Link {
	return buslink.Link{
		Name: "ec2-state", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		Options: buslink.Options{EventPattern: `{"source":["aws.ec2"]}`},
	}
}

func problems(t *testing.T, l buslink.Link) []problem.Problem {
	t.Helper()
	err := l.Validate()
	if err == nil {
		return nil
	}
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Validate returned %T %v, want *problem.Error", err, err)
	}
	return pe.Problems
}

func TestValidLinks(t *testing.T) {
	for name, change := range map[string]func(*buslink.Link){
		"defaults":               func(*buslink.Link) {},
		"no retries at all":      func(l *buslink.Link) { l.RetryAttempts = retries(0) },
		"the most retries":       func(l *buslink.Link) { l.RetryAttempts = retries(185); l.MaxEventAge = 24 * time.Hour },
		"the shortest event age": func(l *buslink.Link) { l.MaxEventAge = time.Minute },
		"archive for a day":      func(l *buslink.Link) { l.Archive = true; l.ArchiveRetentionDays = 1 },
		"archive by default":     func(l *buslink.Link) { l.Archive = true },
		"lambda and queue":       func(l *buslink.Link) { l.Targets = []buslink.Target{buslink.TargetLambda, buslink.TargetQueue} },
		"receiver's default bus": func(l *buslink.Link) { l.ReceiverBus = buslink.ReceiverBusDefault },
		"partner sender bus":     func(l *buslink.Link) { l.SenderBus = "aws.partner/example.com/123" },
		"link named default, default bus": func(l *buslink.Link) {
			l.Name = "default"
			l.ReceiverBus = buslink.ReceiverBusDefault
		},
		"organization": func(l *buslink.Link) { l.OrganizationID = org; l.Allow = buslink.AllowOrganization },
		"direct topic": func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.Targets = []buslink.Target{buslink.TargetTopic}
		},
		"direct lambda, two senders": func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.Targets = []buslink.Target{buslink.TargetLambda}
			l.SenderAccounts = []string{orders, analytics}
		},
		"content filters and nesting": func(l *buslink.Link) {
			l.EventPattern = `{"source":["acme"],"detail":{"amount":[{"numeric":[">",100]}],"state":[{"prefix":"paid"}]}}`
		},
		"names at the limits": func(l *buslink.Link) { l.Name = strings.Repeat("n", 54) }, // 54 + "-forwarder" = 64
	} {
		t.Run(name, func(t *testing.T) {
			// GIVEN a link that keeps within every rule
			l := base()
			change(&l)
			// WHEN it is validated
			// THEN there is no problem, before or after defaults are applied (the
			// topology keeps the defaulted link)
			if err := l.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if err := l.WithDefaults().Validate(); err != nil {
				t.Errorf("Validate after WithDefaults: %v", err)
			}
		})
	}
}

func TestInvalidLinks(t *testing.T) {
	long := `{"source":["` + strings.Repeat("x", 2040) + `"]}`
	nearlyFull := `{"source":["` + strings.Repeat("x", 2020) + `"]}`
	cases := []struct {
		name   string
		change func(*buslink.Link)
		where  string
		want   string
	}{
		{"no pattern", func(l *buslink.Link) { l.EventPattern = "" }, "options.eventPattern", "eventPattern is missing"},
		{"pattern not JSON", func(l *buslink.Link) { l.EventPattern = `{"source": [aws.ec2]}` }, "options.eventPattern", "not valid JSON"},
		{"pattern an array", func(l *buslink.Link) { l.EventPattern = `["aws.ec2"]` }, "options.eventPattern", "must be a JSON object, not an array"},
		{"pattern a string", func(l *buslink.Link) { l.EventPattern = `"aws.ec2"` }, "options.eventPattern", "must be a JSON object, not a string"},
		{"pattern empty", func(l *buslink.Link) { l.EventPattern = `{}` }, "options.eventPattern", "matches no field"},
		{"field not an array", func(l *buslink.Link) { l.EventPattern = `{"source":"aws.ec2"}` }, "options.eventPattern", `field "source" is a string; EventBridge needs an array of values to match, such as ["aws.ec2"]`},
		{"nested empty array", func(l *buslink.Link) { l.EventPattern = `{"source":["a"],"detail":{"state":[]}}` }, "options.eventPattern", `field "detail.state" is an empty array`},
		{"nested empty object", func(l *buslink.Link) { l.EventPattern = `{"source":["a"],"detail":{}}` }, "options.eventPattern", `field "detail" is an empty object`},
		{"pattern over 2048 characters", func(l *buslink.Link) { l.EventPattern = buslink.EventPattern(long) }, "options.eventPattern", "eventPattern is 2055 characters as compact JSON; EventBridge allows 2048"},
		{"pattern over 2048 with the account filter", func(l *buslink.Link) { l.EventPattern = buslink.EventPattern(nearlyFull) }, "options.eventPattern", "with the account filter the receiver's rule adds is 2062 characters"},
		{"unknown mode", func(l *buslink.Link) { l.Mode = "stream" }, "options.mode", `mode "stream" is unknown; use "bus" or "direct"`},
		{"six targets", func(l *buslink.Link) {
			l.Targets = []buslink.Target{"queue", "lambda", "queue", "lambda", "queue", "lambda"}
		}, "options.targets", "targets lists 6 targets; an EventBridge rule has at most 5"},
		{"target twice", func(l *buslink.Link) { l.Targets = []buslink.Target{"queue", "queue"} }, "options.targets", `target "queue" is listed twice`},
		{"no targets", func(l *buslink.Link) { l.Targets = []buslink.Target{} }, "options.targets", "targets is an empty list"},
		{"unknown target", func(l *buslink.Link) { l.Targets = []buslink.Target{"kinesis"} }, "options.targets", `target "kinesis" is unknown; use "lambda", "queue" or both`},
		{"topic on a bus", func(l *buslink.Link) { l.Targets = []buslink.Target{"topic"} }, "options.targets", `target "topic" is not offered in mode: bus`},
		{"direct to a bus", func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.Targets = []buslink.Target{"bus"}
		}, "options.targets", `target "bus" is unknown; use "queue", "lambda" or "topic"`},
		{"direct to two targets", func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.Targets = []buslink.Target{"queue", "lambda"}
		}, "options.targets", "mode: direct delivers to exactly one target, but targets lists 2"},
		{"too many retries", func(l *buslink.Link) { l.RetryAttempts = retries(186) }, "options.retryAttempts", "retryAttempts 186 must be between 0 and 185"},
		{"negative retries", func(l *buslink.Link) { l.RetryAttempts = retries(-1) }, "options.retryAttempts", "retryAttempts -1 must be between 0 and 185"},
		{"event age too short", func(l *buslink.Link) { l.MaxEventAge = 59 * time.Second }, "options.maxEventAge", "maxEventAge 59s must be between 1m and 24h"},
		{"event age too long", func(l *buslink.Link) { l.MaxEventAge = 25 * time.Hour }, "options.maxEventAge", "maxEventAge 25h must be between 1m and 24h"},
		{"event age in fractions", func(l *buslink.Link) { l.MaxEventAge = 90500 * time.Millisecond }, "options.maxEventAge", "maxEventAge 1m30.5s must be whole seconds"},
		{"archive in direct mode", func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.Archive = true
		}, "options.archive", "archive \"true\" applies only to mode: bus"},
		{"retention without archive", func(l *buslink.Link) { l.ArchiveRetentionDays = 7 }, "options.archiveRetentionDays", "archiveRetentionDays 7 applies only with archive: true"},
		{"negative retention", func(l *buslink.Link) { l.Archive = true; l.ArchiveRetentionDays = -3 }, "options.archiveRetentionDays", "archiveRetentionDays -3 must be at least 1"},
		{"organization without ID", func(l *buslink.Link) { l.Allow = buslink.AllowOrganization }, "options.allow", `allow "organization" needs the topology's organization ID`},
		{"unknown allow", func(l *buslink.Link) { l.Allow = "roles" }, "options.allow", `allow "roles" is unknown; use "accounts" or "organization"`},
		{"bad organization ID", func(l *buslink.Link) { l.OrganizationID = "org-1" }, "organization", `organization ID "org-1" must look like o-a1b2c3d4e5`},
		{"receiver bus in direct mode", func(l *buslink.Link) {
			l.Mode = buslink.ModeDirect
			l.ReceiverBus = buslink.ReceiverBusDefault
		}, "options.receiverBus", `receiverBus "default" applies only to mode: bus`},
		{"unknown receiver bus", func(l *buslink.Link) { l.ReceiverBus = "shared" }, "options.receiverBus", `receiverBus "shared" is unknown; use "custom" or "default"`},
		{"bad sender bus", func(l *buslink.Link) { l.SenderBus = "my bus!" }, "options.senderBus", `senderBus "my bus!" must be an event bus name`},
		{"sender is the receiver", func(l *buslink.Link) { l.SenderAccounts = []string{billing} }, "from", `sender account "222222222222" is the receiver account`},
		{"no sender", func(l *buslink.Link) { l.SenderAccounts = nil }, "from", "needs at least one sender account"},
		{"sender twice", func(l *buslink.Link) { l.SenderAccounts = []string{orders, orders} }, "from", `sender account "111111111111" is listed twice`},
		{"bad receiver", func(l *buslink.Link) { l.ReceiverAccount = "2222" }, "to", `receiver account "2222" must be 12 digits`},
		{"bad region", func(l *buslink.Link) { l.Region = "tokyo" }, "region", `region "tokyo" is not an AWS region name`},
		{"bad name", func(l *buslink.Link) { l.Name = "ec2 state" }, "name", `link name "ec2 state" may hold only`},
		{"rule and role names too long", func(l *buslink.Link) { l.Name = strings.Repeat("n", 55) }, "name", `sender role name "` + strings.Repeat("n", 55) + `-forwarder" is 65 characters; AWS allows at most 64`},
		{"archive name too long", func(l *buslink.Link) {
			l.Name = strings.Repeat("a", 49)
			l.Archive = true
		}, "name", "archive name \"" + strings.Repeat("a", 49) + "\" is 49 characters; AWS allows at most 48"},
		{"a custom bus called default", func(l *buslink.Link) { l.Name = "default" }, "name", `event bus name "default" is taken by every account's default bus`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a link with one mistake
			l := base()
			c.change(&l)
			// WHEN it is validated
			ps := problems(t, l)
			// THEN the mistake is reported at its place, quoting the value
			found := false
			for _, p := range ps {
				if p.Where == c.where && strings.Contains(p.Msg, c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem at %q containing %q; got %v", c.where, c.want, ps)
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	// GIVEN a direct link with five independent mistakes
	l := base()
	l.Mode = buslink.ModeDirect
	l.EventPattern = `not json`
	l.Targets = []buslink.Target{"queue", "topic"}
	l.RetryAttempts = retries(200)
	l.Archive = true
	l.SenderAccounts = []string{billing}

	// WHEN it is validated
	err := l.Validate()

	// THEN all five are reported in one error that names the link
	ps := problems(t, l)
	if len(ps) != 5 {
		t.Errorf("%d problems, want 5: %v", len(ps), ps)
	}
	if err == nil || !strings.HasPrefix(err.Error(), `bus link "ec2-state": 5 problems`) {
		t.Errorf("error %q, want it to start with the link and the count", err)
	}
}

func TestNamesAndArns(t *testing.T) {
	// GIVEN a link with a name prefix, a named sender bus and two senders
	l := base()
	l.NamePrefix = "acme-"
	l.SenderBus = "app"
	l.SenderAccounts = []string{orders, analytics}

	// WHEN its names and ARNs are computed
	// THEN every name derives from prefix and name, and rules on a named bus carry it
	for got, want := range map[string]string{
		l.BusName():                     "acme-ec2-state",
		l.BusArn():                      "arn:aws:events:ap-northeast-1:222222222222:event-bus/acme-ec2-state",
		l.SenderRuleArn(orders):         "arn:aws:events:ap-northeast-1:111111111111:rule/app/acme-ec2-state-forward",
		l.SenderRoleArn(analytics):      "arn:aws:iam::333333333333:role/acme-ec2-state-forwarder",
		l.ReceiverRuleArn():             "arn:aws:events:ap-northeast-1:222222222222:rule/acme-ec2-state/acme-ec2-state-deliver",
		l.SenderDeadLetterQueueName():   "acme-ec2-state-forward-dlq",
		l.DeliveryDeadLetterQueueName(): "acme-ec2-state-deliver-dlq",
		l.QueueArn():                    "arn:aws:sqs:ap-northeast-1:222222222222:acme-ec2-state",
		l.FunctionArn():                 "arn:aws:lambda:ap-northeast-1:222222222222:function:acme-ec2-state",
		l.TopicArn():                    "arn:aws:sns:ap-northeast-1:222222222222:acme-ec2-state",
		l.TargetArn():                   "arn:aws:events:ap-northeast-1:222222222222:event-bus/acme-ec2-state",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	// AND with the receiver's default bus, the bus and its rule carry no link name
	d := l
	d.ReceiverBus = buslink.ReceiverBusDefault
	if d.BusArn() != "arn:aws:events:ap-northeast-1:222222222222:event-bus/default" ||
		d.ReceiverRuleArn() != "arn:aws:events:ap-northeast-1:222222222222:rule/acme-ec2-state-deliver" {
		t.Errorf("default bus %s, rule %s", d.BusArn(), d.ReceiverRuleArn())
	}
	// AND in direct mode the target is the one receiver resource
	for target, want := range map[buslink.Target]string{
		buslink.TargetQueue:  l.QueueArn(),
		buslink.TargetLambda: l.FunctionArn(),
		buslink.TargetTopic:  l.TopicArn(),
	} {
		x := l
		x.Mode, x.Targets = buslink.ModeDirect, []buslink.Target{target}
		if x.TargetArn() != want {
			t.Errorf("%s: TargetArn %s, want %s", target, x.TargetArn(), want)
		}
	}
}

func TestReceiverEventPattern(t *testing.T) {
	for name, c := range map[string]struct {
		change func(*buslink.Link)
		want   string
	}{
		"adds the sender accounts": {func(*buslink.Link) {}, `{"account":["111111111111"],"source":["aws.ec2"]}`},
		"keeps the pattern's own account test": {func(l *buslink.Link) {
			l.EventPattern = `{"source":["aws.ec2"],"account":["444444444444"]}`
		}, `{"source":["aws.ec2"],"account":["444444444444"]}`},
		"keeps the pattern when the organization is admitted": {func(l *buslink.Link) {
			l.OrganizationID, l.Allow = org, buslink.AllowOrganization
		}, `{"source":["aws.ec2"]}`},
	} {
		t.Run(name, func(t *testing.T) {
			// GIVEN a bus link
			l := base()
			c.change(&l)
			// WHEN the pattern of the receiver's rule is computed
			got := string(l.ReceiverEventPattern())
			// THEN it is narrowed to the senders only where that is right
			if got != c.want {
				t.Errorf("ReceiverEventPattern = %s, want %s", got, c.want)
			}
		})
	}
}

func TestOptionsFromYAML(t *testing.T) {
	for name, src := range map[string]string{
		"pattern as a mapping": `
mode: bus
eventPattern:
  source: [aws.ec2]
  detail-type: ["EC2 Instance State-change Notification"]
targets: [lambda, queue]
retryAttempts: 0
maxEventAge: 2h
archive: true
archiveRetentionDays: 7
allow: accounts
`,
		"pattern as a JSON string": `
mode: bus
eventPattern: '{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}'
targets: [lambda, queue]
retryAttempts: 0
maxEventAge: 2h
archive: true
archiveRetentionDays: 7
allow: accounts
`,
	} {
		t.Run(name, func(t *testing.T) {
			// GIVEN the options of a topology link
			// WHEN they are decoded as the topology decodes options
			var o buslink.Options
			if err := yaml.Unmarshal([]byte(src), &o); err != nil {
				t.Fatal(err)
			}
			// THEN the pattern is the same JSON object either way, and an explicit zero
			// retry count is kept
			m, err := o.EventPattern.Object()
			if err != nil {
				t.Fatal(err)
			}
			if len(m) != 2 || m["source"].([]any)[0] != "aws.ec2" {
				t.Errorf("pattern %s", o.EventPattern)
			}
			if o.RetryAttempts == nil || *o.RetryAttempts != 0 {
				t.Errorf("RetryAttempts %v, want a pointer to 0", o.RetryAttempts)
			}
			if o.MaxEventAge != 2*time.Hour || !o.Archive || o.ArchiveRetentionDays != 7 || len(o.Targets) != 2 {
				t.Errorf("options %+v", o)
			}
			l := base()
			l.Options = o
			if err := l.Validate(); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("a pattern that is a list is refused", func(t *testing.T) {
		// GIVEN a pattern written as a YAML list
		var o buslink.Options
		// WHEN it is decoded
		err := yaml.Unmarshal([]byte("eventPattern: [aws.ec2]\n"), &o)
		// THEN decoding fails
		if err == nil {
			t.Errorf("decoded %q, want an error", o.EventPattern)
		}
	})
}

func TestWithDefaults(t *testing.T) {
	// GIVEN a link with no options but its pattern
	// WHEN defaults are applied
	l := base().WithDefaults()
	// THEN each option has its documented default
	if l.Mode != buslink.ModeBus || l.SenderBus != "default" || l.ReceiverBus != buslink.ReceiverBusCustom ||
		len(l.Targets) != 1 || l.Targets[0] != buslink.TargetQueue || *l.RetryAttempts != 185 ||
		l.MaxEventAge != 24*time.Hour || l.Archive || l.ArchiveRetentionDays != 0 || l.Allow != buslink.AllowAccounts {
		t.Errorf("defaults %+v", l.Options)
	}
	// AND an archive keeps 30 days unless told otherwise; direct mode has no receiver bus
	a := base()
	a.Archive = true
	d := base()
	d.Mode = buslink.ModeDirect
	if a.WithDefaults().ArchiveRetentionDays != 30 || d.WithDefaults().ReceiverBus != "" {
		t.Errorf("archive retention %d, direct receiver bus %q", a.WithDefaults().ArchiveRetentionDays, d.WithDefaults().ReceiverBus)
	}
}

func TestDirectLambdaRefusesTheOrganization(t *testing.T) {
	// GIVEN a direct link to a Lambda target that admits the organization, and one
	// that admits the sender accounts
	org, acc := base(), base()
	org.OrganizationID, acc.OrganizationID = "o-a1b2c3d4e5", "o-a1b2c3d4e5"
	org.Mode, acc.Mode = buslink.ModeDirect, buslink.ModeDirect
	org.Targets, acc.Targets = []buslink.Target{buslink.TargetLambda}, []buslink.Target{buslink.TargetLambda}
	org.Allow, acc.Allow = buslink.AllowOrganization, buslink.AllowAccounts
	// WHEN they are validated
	// THEN the organization is refused (a function policy cannot name the forwarder
	// roles) and the accounts are accepted
	if err := org.Validate(); err == nil || !strings.Contains(err.Error(), "would let every principal of the organization invoke the function") {
		t.Errorf("organization: error %v", err)
	}
	if err := acc.Validate(); err != nil {
		t.Errorf("accounts: %v", err)
	}
}

func TestOrganizationOnTheDefaultBusLeavesOutTheReceiversOwnEvents(t *testing.T) {
	// GIVEN a bus link that admits the organization to the receiver's default bus
	l := base()
	l.OrganizationID, l.Allow, l.ReceiverBus = "o-a1b2c3d4e5", buslink.AllowOrganization, buslink.ReceiverBusDefault
	// WHEN the receiver rule's pattern is built
	got := l.ReceiverEventPattern().Compact()
	// THEN it takes events of every account but the receiver's
	want := `"account":[{"anything-but":["` + l.ReceiverAccount + `"]}]`
	if !strings.Contains(got, want) {
		t.Errorf("pattern %s lacks %s", got, want)
	}
	// AND on a bus of its own the pattern stays as given
	l.ReceiverBus = buslink.ReceiverBusCustom
	if got := l.ReceiverEventPattern().Compact(); strings.Contains(got, "account") {
		t.Errorf("custom bus pattern %s tests the account", got)
	}
}

func TestPatternSizeCountsAnglesAndAmpersandsOnce(t *testing.T) {
	// fromYAML decodes a pattern mapping whose "team" value is team, as the topology
	// decodes options.
	fromYAML := func(t *testing.T, team string) buslink.Link {
		t.Helper()
		src := "eventPattern:\n  source: [acme.lab]\n  detail:\n    amount: [{numeric: [\"<\", 100]}]\n    team: [\"" + team + "\"]\n"
		var o buslink.Options
		if err := yaml.Unmarshal([]byte(src), &o); err != nil {
			t.Fatal(err)
		}
		l := base()
		l.Options = o
		return l
	}
	// The pattern with its keys sorted, as it is written from a mapping.
	compact := func(team string) string {
		return `{"detail":{"amount":[{"numeric":["<",100]}],"team":["` + team + `"]},"source":["acme.lab"]}`
	}

	t.Run("within the limit", func(t *testing.T) {
		// GIVEN a pattern mapping of about 1,700 characters, most of them <, > and &,
		// which json.Marshal would escape to six characters each (over 9,000)
		team := "R&D " + strings.Repeat("<>", 800)
		l := fromYAML(t, team)
		// WHEN it is decoded and validated
		err := l.Validate()
		// THEN it keeps the characters as they are and is within EventBridge's 2,048,
		// with the account filter of the receiver's rule too
		if err != nil {
			t.Errorf("Validate: %v", err)
		}
		if got, want := string(l.EventPattern), compact(team); got != want {
			t.Errorf("EventPattern = %s, want %s", got, want)
		}
		if rp := string(l.ReceiverEventPattern()); !strings.Contains(rp, `"numeric":["<",100]`) || strings.Contains(rp, `\u00`) {
			t.Errorf("ReceiverEventPattern = %s, want <, > and & as they are", rp)
		}
	})

	t.Run("over the limit", func(t *testing.T) {
		// GIVEN a pattern mapping over 2,048 characters, most of them <, > and &
		team := "R&D " + strings.Repeat("<>", 1000)
		l := fromYAML(t, team)
		// WHEN it is validated
		ps := problems(t, l)
		// THEN the one problem counts each of them as one character
		want := fmt.Sprintf("eventPattern is %d characters as compact JSON; EventBridge allows 2048", len(compact(team)))
		if len(ps) != 1 || ps[0].Where != "options.eventPattern" || ps[0].Msg != want {
			t.Errorf("problems %v, want options.eventPattern: %s", ps, want)
		}
	})
}

func TestSenderRuleMatchesOnlyItsOwnAccountsEvents(t *testing.T) {
	cases := []struct {
		name, pattern, want string
	}{
		{"the account is added", `{"source":["acme.app"]}`, `{"account":["111111111111"],"source":["acme.app"]}`},
		{"a pattern that tests the account is left as written", `{"source":["acme.app"],"account":["222222222222"]}`, `{"source":["acme.app"],"account":["222222222222"]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a bus link whose senders' default buses also carry events relayed
			// from other accounts (which keep their original account field)
			l := buslink.Link{Name: "relay", Region: "eu-west-1", ReceiverAccount: "222222222222",
				SenderAccounts: []string{"111111111111"}, Options: buslink.Options{EventPattern: buslink.EventPattern(c.pattern)}}
			// WHEN the pattern of the sender's forwarding rule is made
			got := l.SenderEventPattern("111111111111").Compact()
			// THEN it matches only the sender's own events, unless the user tests the
			// account already
			if got != buslink.EventPattern(c.want).Compact() {
				t.Errorf("SenderEventPattern = %s, want %s", got, c.want)
			}
		})
	}
}
