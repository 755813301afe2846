package queuelink

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crosswire/crosswire/internal/problem"
)

// The tests of Link are plain Go, in a package that does not import the CDK.

// validLink returns a valid queue link from two sender accounts; tests change a copy.
func validLink() Link {
	return Link{
		Name:            "invoices",
		Region:          "eu-west-1",
		ReceiverAccount: "222222222222",
		SenderAccounts:  []string{"111111111111", "333333333333"},
	}
}

func TestLinkWithDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		want Options
	}{
		{
			name: "every option unset",
			in:   Options{},
			want: Options{
				Access:             "queue-policy",
				Allow:              "roles",
				Encryption:         "sqs-managed",
				MaxReceiveCount:    5,
				VisibilityTimeout:  30 * time.Second,
				RetentionPeriod:    96 * time.Hour,
				ReceiveWaitTime:    20 * time.Second,
				MaxSessionDuration: time.Hour,
			},
		},
		{
			name: "every option set",
			in: Options{
				Fifo:                      true,
				ContentBasedDeduplication: true,
				Access:                    "assume-role",
				Allow:                     "organization",
				SenderRoleArns:            []string{"arn:aws:iam::111111111111:role/app"},
				Encryption:                "kms",
				MaxReceiveCount:           7,
				ExternalID:                "acme-42",
				MaxSessionDuration:        2 * time.Hour,
				VisibilityTimeout:         time.Minute,
				RetentionPeriod:           time.Hour,
				ReceiveWaitTime:           time.Second,
			},
			want: Options{
				Fifo:                      true,
				ContentBasedDeduplication: true,
				Access:                    "assume-role",
				Allow:                     "organization",
				SenderRoleArns:            []string{"arn:aws:iam::111111111111:role/app"},
				Encryption:                "kms",
				MaxReceiveCount:           7,
				ExternalID:                "acme-42",
				MaxSessionDuration:        2 * time.Hour,
				VisibilityTimeout:         time.Minute,
				RetentionPeriod:           time.Hour,
				ReceiveWaitTime:           time.Second,
			},
		},
		{
			name: "some options set",
			in:   Options{Allow: "accounts", MaxReceiveCount: 1, RetentionPeriod: 14 * 24 * time.Hour},
			want: Options{
				Access:             "queue-policy",
				Allow:              "accounts",
				Encryption:         "sqs-managed",
				MaxReceiveCount:    1,
				VisibilityTimeout:  30 * time.Second,
				RetentionPeriod:    336 * time.Hour,
				ReceiveWaitTime:    20 * time.Second,
				MaxSessionDuration: time.Hour,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link with these options
			l := validLink()
			l.Options = tt.in

			// WHEN its defaults are applied
			got := l.WithDefaults()

			// THEN unset options have their defaults, set ones are kept, the link's other
			// fields are unchanged, and l itself is not changed
			if g, w := fmt.Sprintf("%+v", got.Options), fmt.Sprintf("%+v", tt.want); g != w {
				t.Errorf("Options =\n%s\nwant\n%s", g, w)
			}
			if got.Name != "invoices" || got.Region != "eu-west-1" || got.ReceiverAccount != "222222222222" ||
				!slices.Equal(got.SenderAccounts, []string{"111111111111", "333333333333"}) {
				t.Errorf("WithDefaults changed the link: %+v", got)
			}
			if g, w := fmt.Sprintf("%+v", l.Options), fmt.Sprintf("%+v", tt.in); g != w {
				t.Errorf("WithDefaults changed its receiver's options to %s", g)
			}
		})
	}
}

func TestLinkNames(t *testing.T) {
	tests := []struct {
		name                              string
		link                              Link
		queue, dlq, access, producer, arn string
		url, accessArn, analyticsProducer string
	}{
		{
			name:     "standard, no prefix",
			link:     Link{Name: "invoices", Region: "eu-west-1", ReceiverAccount: "222222222222"},
			queue:    "invoices",
			dlq:      "invoices-dlq",
			access:   "invoices-access",
			producer: "invoices-producer",
			arn:      "arn:aws:sqs:eu-west-1:222222222222:invoices",
			url:      "https://sqs.eu-west-1.amazonaws.com/222222222222/invoices",

			accessArn:         "arn:aws:iam::222222222222:role/invoices-access",
			analyticsProducer: "arn:aws:iam::333333333333:role/invoices-producer",
		},
		{
			name:     "FIFO with a prefix",
			link:     Link{Name: "refunds", NamePrefix: "acme-", Region: "ap-northeast-1", ReceiverAccount: "444444444444", Options: Options{Fifo: true}},
			queue:    "acme-refunds.fifo",
			dlq:      "acme-refunds-dlq.fifo",
			access:   "acme-refunds-access",
			producer: "acme-refunds-producer",
			arn:      "arn:aws:sqs:ap-northeast-1:444444444444:acme-refunds.fifo",
			url:      "https://sqs.ap-northeast-1.amazonaws.com/444444444444/acme-refunds.fifo",

			accessArn:         "arn:aws:iam::444444444444:role/acme-refunds-access",
			analyticsProducer: "arn:aws:iam::333333333333:role/acme-refunds-producer",
		},
		{
			name:     "China",
			link:     Link{Name: "invoices", Region: "cn-north-1", ReceiverAccount: "222222222222"},
			queue:    "invoices",
			dlq:      "invoices-dlq",
			access:   "invoices-access",
			producer: "invoices-producer",
			arn:      "arn:aws-cn:sqs:cn-north-1:222222222222:invoices",
			url:      "https://sqs.cn-north-1.amazonaws.com.cn/222222222222/invoices",

			accessArn:         "arn:aws-cn:iam::222222222222:role/invoices-access",
			analyticsProducer: "arn:aws-cn:iam::333333333333:role/invoices-producer",
		},
		{
			name:     "GovCloud",
			link:     Link{Name: "invoices", Region: "us-gov-west-1", ReceiverAccount: "222222222222", Options: Options{Fifo: true}},
			queue:    "invoices.fifo",
			dlq:      "invoices-dlq.fifo",
			access:   "invoices-access",
			producer: "invoices-producer",
			arn:      "arn:aws-us-gov:sqs:us-gov-west-1:222222222222:invoices.fifo",
			url:      "https://sqs.us-gov-west-1.amazonaws.com/222222222222/invoices.fifo",

			accessArn:         "arn:aws-us-gov:iam::222222222222:role/invoices-access",
			analyticsProducer: "arn:aws-us-gov:iam::333333333333:role/invoices-producer",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link
			l := tt.link

			// WHEN its names, ARNs and URL are computed
			got := []struct{ what, got, want string }{
				{"QueueName", l.QueueName(), tt.queue},
				{"DeadLetterQueueName", l.DeadLetterQueueName(), tt.dlq},
				{"AccessRoleName", l.AccessRoleName(), tt.access},
				{"ProducerRoleName", l.ProducerRoleName(), tt.producer},
				{"QueueArn", l.QueueArn(), tt.arn},
				{"QueueURL", l.QueueURL(), tt.url},
				{"AccessRoleArn", l.AccessRoleArn(), tt.accessArn},
				{"SenderRolesOf(333333333333)", strings.Join(l.SenderRolesOf("333333333333"), " "), tt.analyticsProducer},
			}

			// THEN each is the one the other account's half expects
			for _, g := range got {
				if g.got != g.want {
					t.Errorf("%s = %q, want %q", g.what, g.got, g.want)
				}
			}
			if strings.Contains(l.QueueURL(), ".queue.amazonaws") {
				t.Errorf("QueueURL %q uses the legacy endpoint", l.QueueURL())
			}
		})
	}
}

func TestLinkSenderRolesOf(t *testing.T) {
	l := validLink()
	l.SenderRoleArns = []string{
		"arn:aws:iam::111111111111:role/app",
		"arn:aws:iam::111111111111:role/batch/worker",
		"arn:aws:iam::444444444444:role/elsewhere",
		"arn:aws:iam::333333333333:user/not-a-role",
	}
	tests := []struct {
		name    string
		account string
		want    []string
	}{
		{
			name:    "account with listed roles uses them, in list order",
			account: "111111111111",
			want:    []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/batch/worker"},
		},
		{
			name:    "account with only a listed non-role gets the producer role",
			account: "333333333333",
			want:    []string{"arn:aws:iam::333333333333:role/invoices-producer"},
		},
		{
			name:    "account with no listed role gets the producer role",
			account: "555555555555",
			want:    []string{"arn:aws:iam::555555555555:role/invoices-producer"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link listing roles of some accounts (l above)
			// WHEN the sender roles of the account are asked for
			got := l.SenderRolesOf(tt.account)

			// THEN they are its listed roles, or else its producer role
			if !slices.Equal(got, tt.want) {
				t.Errorf("SenderRolesOf(%s) = %v, want %v", tt.account, got, tt.want)
			}
		})
	}
}

func TestLinkAllSenderRoles(t *testing.T) {
	tests := []struct {
		name    string
		senders []string
		roles   []string
		prefix  string
		region  string
		want    []string
	}{
		{
			name:    "no roles listed",
			senders: []string{"333333333333", "111111111111"},
			region:  "eu-west-1",
			want: []string{
				"arn:aws:iam::333333333333:role/invoices-producer",
				"arn:aws:iam::111111111111:role/invoices-producer",
			},
		},
		{
			name:    "roles listed for one account",
			senders: []string{"111111111111", "333333333333", "444444444444"},
			roles:   []string{"arn:aws:iam::333333333333:role/b", "arn:aws:iam::333333333333:role/a"},
			prefix:  "acme-",
			region:  "eu-west-1",
			want: []string{
				"arn:aws:iam::111111111111:role/acme-invoices-producer",
				"arn:aws:iam::333333333333:role/b",
				"arn:aws:iam::333333333333:role/a",
				"arn:aws:iam::444444444444:role/acme-invoices-producer",
			},
		},
		{
			name:    "China",
			senders: []string{"111111111111", "333333333333"},
			roles:   []string{"arn:aws-cn:iam::111111111111:role/app"},
			region:  "cn-northwest-1",
			want: []string{
				"arn:aws-cn:iam::111111111111:role/app",
				"arn:aws-cn:iam::333333333333:role/invoices-producer",
			},
		},
		{
			name: "no sender accounts",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link from several accounts
			l := Link{Name: "invoices", NamePrefix: tt.prefix, Region: tt.region, ReceiverAccount: "222222222222", SenderAccounts: tt.senders}
			l.SenderRoleArns = tt.roles

			// WHEN all its sender roles are asked for
			got := l.AllSenderRoles()

			// THEN they are each account's roles, in account order
			if !slices.Equal(got, tt.want) {
				t.Errorf("AllSenderRoles() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestLinkValidateValid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Link)
	}{
		{"defaults", func(*Link) {}},
		{"one sender", func(l *Link) { l.SenderAccounts = l.SenderAccounts[:1] }},
		{"FIFO with content-based deduplication", func(l *Link) { l.Fifo, l.ContentBasedDeduplication = true, true }},
		{"assume-role with external ID and 12h sessions", func(l *Link) {
			l.Access, l.ExternalID, l.MaxSessionDuration = "assume-role", "acme:42/x@y", 12*time.Hour
		}},
		{"queue-policy with the default session duration", func(l *Link) { l.MaxSessionDuration = time.Hour }},
		{"allow accounts", func(l *Link) { l.Allow = "accounts" }},
		{"allow organization", func(l *Link) { l.Allow, l.OrganizationID = "organization", "o-a1b2c3d4e5" }},
		{"kms", func(l *Link) { l.Encryption = "kms" }},
		{"sender roles with a path", func(l *Link) {
			l.SenderRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::333333333333:role/team/app"}
		}},
		{"China sender role", func(l *Link) {
			l.Region, l.SenderRoleArns = "cn-north-1", []string{"arn:aws-cn:iam::111111111111:role/app"}
		}},
		{"limits at their bounds", func(l *Link) {
			l.MaxReceiveCount, l.VisibilityTimeout, l.RetentionPeriod, l.ReceiveWaitTime = 1000, 12*time.Hour, time.Minute, time.Second
		}},
		{"prefix with capitals and underscores", func(l *Link) { l.NamePrefix = "Team_A-" }},
		{"longest names", func(l *Link) {
			// 55 + len("-producer") = 64; 55 + len("-dlq.fifo") = 64
			l.Name, l.Fifo, l.Access = strings.Repeat("n", 55), true, "assume-role"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a valid link
			l := validLink()
			tt.change(&l)

			// WHEN it is validated
			err := l.Validate()

			// THEN there is no error
			if err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

func TestLinkValidateInvalid(t *testing.T) {
	type want struct{ where, msg string }
	tests := []struct {
		name   string
		change func(*Link)
		want   []want
	}{
		{
			name:   "bad name",
			change: func(l *Link) { l.Name = "in voices" },
			want:   []want{{"name", `link name "in voices" may hold only letters, digits, hyphens and underscores`}},
		},
		{
			name:   "empty name",
			change: func(l *Link) { l.Name = "" },
			want:   []want{{"name", `link name ""`}},
		},
		{
			name:   "bad prefix",
			change: func(l *Link) { l.NamePrefix = "acme." },
			want:   []want{{"namePrefix", `name prefix "acme."`}},
		},
		{
			name:   "bad region",
			change: func(l *Link) { l.Region = "europe" },
			want:   []want{{"region", `region "europe" is not an AWS region name`}},
		},
		{
			name:   "empty region",
			change: func(l *Link) { l.Region = "" },
			want:   []want{{"region", `region ""`}},
		},
		{
			name:   "receiver account of 11 digits",
			change: func(l *Link) { l.ReceiverAccount = "22222222222" },
			want:   []want{{"to", `receiver account "22222222222" must be 12 digits`}},
		},
		{
			name:   "no sender account",
			change: func(l *Link) { l.SenderAccounts = nil },
			want:   []want{{"from", "a queue link needs at least one sender account"}},
		},
		{
			name:   "sender account with letters",
			change: func(l *Link) { l.SenderAccounts[1] = "33333333333x" },
			want:   []want{{"from", `sender account "33333333333x" must be 12 digits`}},
		},
		{
			name:   "sender is the receiver",
			change: func(l *Link) { l.SenderAccounts[1] = "222222222222" },
			want:   []want{{"from", `sender account "222222222222" is the receiver account`}},
		},
		{
			name:   "sender listed twice",
			change: func(l *Link) { l.SenderAccounts[1] = "111111111111" },
			want:   []want{{"from", `sender account "111111111111" is listed twice`}},
		},
		{
			name:   "content-based deduplication without FIFO",
			change: func(l *Link) { l.ContentBasedDeduplication = true },
			want:   []want{{"options.contentBasedDeduplication", "contentBasedDeduplication \"true\" needs fifo: true"}},
		},
		{
			name:   "unknown access",
			change: func(l *Link) { l.Access = "public" },
			want:   []want{{"options.access", `access "public" is unknown`}},
		},
		{
			name:   "unknown allow",
			change: func(l *Link) { l.Allow = "everyone" },
			want:   []want{{"options.allow", `allow "everyone" is unknown`}},
		},
		{
			name:   "allow organization without organization",
			change: func(l *Link) { l.Allow = "organization" },
			want:   []want{{"options.allow", `allow "organization" needs the topology's organization ID`}},
		},
		{
			name:   "bad organization",
			change: func(l *Link) { l.OrganizationID = "o-short" },
			want:   []want{{"organization", `organization ID "o-short" must look like o-a1b2c3d4e5`}},
		},
		{
			name:   "unknown encryption",
			change: func(l *Link) { l.Encryption = "aes" },
			want:   []want{{"options.encryption", `encryption "aes" is unknown`}},
		},
		{
			name:   "external ID with queue-policy",
			change: func(l *Link) { l.ExternalID = "acme-42" },
			want:   []want{{"options.externalId", `externalId "acme-42" applies only to access: assume-role`}},
		},
		{
			name:   "external ID with a space",
			change: func(l *Link) { l.Access, l.ExternalID = "assume-role", "acme 42" },
			want:   []want{{"options.externalId", `externalId "acme 42" must be 2 to 1224 characters`}},
		},
		{
			name:   "session duration without assume-role",
			change: func(l *Link) { l.MaxSessionDuration = 2 * time.Hour },
			want:   []want{{"options.maxSessionDuration", "maxSessionDuration 2h applies only to access: assume-role"}},
		},
		{
			name:   "session duration over 12h",
			change: func(l *Link) { l.Access, l.MaxSessionDuration = "assume-role", 13*time.Hour },
			want:   []want{{"options.maxSessionDuration", "maxSessionDuration 13h must be between 1h and 12h"}},
		},
		{
			name:   "sender role not a role",
			change: func(l *Link) { l.SenderRoleArns = []string{"arn:aws:iam::111111111111:user/bob"} },
			want:   []want{{"options.senderRoles", `"arn:aws:iam::111111111111:user/bob" is not an IAM role ARN`}},
		},
		{
			name:   "sender role in the receiver account",
			change: func(l *Link) { l.SenderRoleArns = []string{"arn:aws:iam::222222222222:role/app"} },
			want:   []want{{"options.senderRoles", `role "arn:aws:iam::222222222222:role/app" is in account 222222222222, which is not a sender account`}},
		},
		{
			name:   "sender role in another partition",
			change: func(l *Link) { l.SenderRoleArns = []string{"arn:aws-us-gov:iam::111111111111:role/app"} },
			want:   []want{{"options.senderRoles", `role "arn:aws-us-gov:iam::111111111111:role/app" is in partition aws-us-gov but region eu-west-1 is in aws`}},
		},
		{
			name: "sender role in aws for a China region",
			change: func(l *Link) {
				l.Region, l.SenderRoleArns = "cn-north-1", []string{"arn:aws:iam::111111111111:role/app"}
			},
			want: []want{{"options.senderRoles", `is in partition aws but region cn-north-1 is in aws-cn`}},
		},
		{
			name: "sender role listed twice",
			change: func(l *Link) {
				l.SenderRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/app"}
			},
			want: []want{{"options.senderRoles", `role "arn:aws:iam::111111111111:role/app" is listed twice`}},
		},
		{
			name:   "max receive count over 1000",
			change: func(l *Link) { l.MaxReceiveCount = 1001 },
			want:   []want{{"options.maxReceiveCount", "maxReceiveCount 1001 must be between 1 and 1000"}},
		},
		{
			name:   "visibility timeout not whole seconds",
			change: func(l *Link) { l.VisibilityTimeout = 1500 * time.Millisecond },
			want:   []want{{"options.visibilityTimeout", "visibilityTimeout 1.5s must be whole seconds"}},
		},
		{
			name:   "retention period under a minute",
			change: func(l *Link) { l.RetentionPeriod = 59 * time.Second },
			want:   []want{{"options.retentionPeriod", "retentionPeriod 59s must be between 1m and 336h"}},
		},
		{
			name:   "receive wait time over 20s",
			change: func(l *Link) { l.ReceiveWaitTime = 21 * time.Second },
			want:   []want{{"options.receiveWaitTime", "receiveWaitTime 21s must be between 1s and 20s"}},
		},
		{
			name:   "queue and dead-letter queue names too long",
			change: func(l *Link) { l.Name = strings.Repeat("q", 81) },
			want: []want{
				{"name", `queue name "` + strings.Repeat("q", 81) + `" is 81 characters; SQS allows at most 80`},
				{"name", `dead-letter queue name "` + strings.Repeat("q", 81) + `-dlq" is 85 characters`},
				{"name", `producer role name "` + strings.Repeat("q", 81) + `-producer" is 90 characters; IAM allows at most 64`},
			},
		},
		{
			name: "access role name too long",
			change: func(l *Link) {
				l.Name, l.NamePrefix, l.Access = strings.Repeat("a", 53), "acme-", "assume-role"
				l.SenderRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::333333333333:role/app"}
			},
			want: []want{{"name", `access role name "acme-` + strings.Repeat("a", 53) + `-access" is 65 characters`}},
		},
		{
			name: "producer role name too long, reported once for two senders",
			change: func(l *Link) {
				l.Name = strings.Repeat("p", 56)
			},
			want: []want{{"name", `producer role name "` + strings.Repeat("p", 56) + `-producer" is 65 characters`}},
		},
		{
			name: "many problems at once",
			change: func(l *Link) {
				l.Name, l.Region, l.Allow, l.MaxReceiveCount = "bad/name", "mars-1", "anyone", 2000
			},
			want: []want{
				{"name", `link name "bad/name"`},
				{"region", `region "mars-1"`},
				{"options.allow", `allow "anyone" is unknown`},
				{"options.maxReceiveCount", "maxReceiveCount 2000 must be between 1 and 1000"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN an otherwise valid link with these mistakes
			l := validLink()
			tt.change(&l)

			// WHEN it is validated
			err := l.Validate()

			// THEN the error is a *problem.Error about the link that lists exactly the
			// problems expected
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate() = %v (%T), want a *problem.Error", err, err)
			}
			if want := fmt.Sprintf("queue link %q", l.Name); pe.Subject != want {
				t.Errorf("Subject = %q, want %q", pe.Subject, want)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("queue link %q: %d problem", l.Name, len(tt.want))) {
				t.Errorf("Error() = %q, want it to start with the link and the number of problems", err)
			}
			if len(pe.Problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d: %v", len(pe.Problems), len(tt.want), pe.Problems)
			}
			for _, w := range tt.want {
				found := false
				for _, p := range pe.Problems {
					found = found || (p.Where == w.where && strings.Contains(p.Msg, w.msg))
				}
				if !found {
					t.Errorf("no problem at %s holding %q in %v", w.where, w.msg, pe.Problems)
				}
			}
			for _, p := range pe.Problems {
				if p.Line != 0 {
					t.Errorf("problem %+v has a line; a Link knows none", p)
				}
			}
		})
	}
}

func TestLinkProblems(t *testing.T) {
	// GIVEN a list that holds a problem already, and an invalid link
	var p problem.List
	p.Addf(3, "region", "first")
	l := validLink()
	l.MaxReceiveCount = -1

	// WHEN the link adds its problems to the list
	l.Problems(&p)

	// THEN they come after the ones there were, and Validate reports the same
	items := p.Items()
	if len(items) != 2 || items[0].Msg != "first" || items[1].Where != "options.maxReceiveCount" {
		t.Fatalf("Items() = %+v, want the first problem, then options.maxReceiveCount", items)
	}
	var pe *problem.Error
	if err := l.Validate(); !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0] != items[1] {
		t.Errorf("Validate() = %v, want the one problem %+v", err, items[1])
	}
}
