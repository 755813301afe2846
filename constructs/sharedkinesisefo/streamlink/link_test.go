package streamlink

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crosswire/crosswire/internal/problem"
)

// The tests of Link are plain Go, in a package that does not import the CDK.

const (
	producer  = "111111111111"
	consumerA = "333333333333"
	consumerB = "222222222222"
)

// validLink returns a valid stream link to two consumer accounts; tests change a copy.
func validLink() Link {
	return Link{
		Name:             "clickstream",
		Region:           "eu-west-1",
		ProducerAccount:  producer,
		ConsumerAccounts: []string{consumerA, consumerB},
	}
}

func ptr[T any](v T) *T { return &v }

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
				StreamMode: "on-demand", Retention: 24 * time.Hour, Format: "json", BatchSize: 100,
				StartingPosition: "TRIM_HORIZON", ParallelizationFactor: 1, BisectOnError: ptr(true),
				MaxRetries: ptr(3), MaxRecordAge: time.Hour,
			},
		},
		{
			name: "provisioned without a shard count gets one shard",
			in:   Options{StreamMode: "provisioned"},
			want: Options{
				StreamMode: "provisioned", ShardCount: 1, Retention: 24 * time.Hour, Format: "json", BatchSize: 100,
				StartingPosition: "TRIM_HORIZON", ParallelizationFactor: 1, BisectOnError: ptr(true),
				MaxRetries: ptr(3), MaxRecordAge: time.Hour,
			},
		},
		{
			name: "explicit false and zero are kept",
			in: Options{
				StreamMode: "provisioned", ShardCount: 4, Retention: 48 * time.Hour, Format: "raw", BatchSize: 10,
				StartingPosition: "LATEST", ParallelizationFactor: 10, BisectOnError: ptr(false),
				MaxRetries: ptr(0), MaxRecordAge: time.Minute,
			},
			want: Options{
				StreamMode: "provisioned", ShardCount: 4, Retention: 48 * time.Hour, Format: "raw", BatchSize: 10,
				StartingPosition: "LATEST", ParallelizationFactor: 10, BisectOnError: ptr(false),
				MaxRetries: ptr(0), MaxRecordAge: time.Minute,
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

			// THEN unset options have their defaults, set ones (false and 0 too) are kept,
			// and l itself is unchanged
			if g, w := show(got.Options), show(tt.want); g != w {
				t.Errorf("Options =\n%s\nwant\n%s", g, w)
			}
			if g, w := show(l.Options), show(tt.in); g != w {
				t.Errorf("WithDefaults changed its receiver's options to %s", g)
			}
		})
	}
}

// show renders options with pointers followed, for comparison.
func show(o Options) string {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestLinkNames(t *testing.T) {
	tests := []struct {
		name string
		link Link
		want map[string]string
	}{
		{
			name: "no prefix",
			link: Link{Name: "clickstream", Region: "ap-northeast-1", ProducerAccount: producer},
			want: map[string]string{
				"StreamName":             "clickstream",
				"StreamArn":              "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream",
				"KeyAlias":               "alias/clickstream",
				"ConsumerName":           "clickstream-333333333333",
				"ConsumerByNameArn":      "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream/consumer/clickstream-333333333333",
				"ProducerRoles":          "arn:aws:iam::111111111111:role/clickstream-producer",
				"ConsumerRoleArn":        "arn:aws:iam::333333333333:role/clickstream-consumer",
				"LookupRoleArn":          "arn:aws:iam::111111111111:role/clickstream-lookup-333333333333",
				"LookupFunctionRoleArn":  "arn:aws:iam::333333333333:role/clickstream-lookup-fn",
				"FailureQueueName":       "clickstream-failures",
				"ConsumerRoleName":       "clickstream-consumer",
				"LookupFunctionRoleName": "clickstream-lookup-fn",
			},
		},
		{
			name: "prefix, China, existing producer roles",
			link: Link{Name: "clicks", NamePrefix: "acme-", Region: "cn-north-1", ProducerAccount: producer,
				Options: Options{ProducerRoleArns: []string{"arn:aws-cn:iam::111111111111:role/app"}}},
			want: map[string]string{
				"StreamName":             "acme-clicks",
				"StreamArn":              "arn:aws-cn:kinesis:cn-north-1:111111111111:stream/acme-clicks",
				"KeyAlias":               "alias/acme-clicks",
				"ConsumerName":           "acme-clicks-333333333333",
				"ConsumerByNameArn":      "arn:aws-cn:kinesis:cn-north-1:111111111111:stream/acme-clicks/consumer/acme-clicks-333333333333",
				"ProducerRoles":          "arn:aws-cn:iam::111111111111:role/app",
				"ConsumerRoleArn":        "arn:aws-cn:iam::333333333333:role/acme-clicks-consumer",
				"LookupRoleArn":          "arn:aws-cn:iam::111111111111:role/acme-clicks-lookup-333333333333",
				"LookupFunctionRoleArn":  "arn:aws-cn:iam::333333333333:role/acme-clicks-lookup-fn",
				"FailureQueueName":       "acme-clicks-failures",
				"ConsumerRoleName":       "acme-clicks-consumer",
				"LookupFunctionRoleName": "acme-clicks-lookup-fn",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link
			l := tt.link

			// WHEN its names and ARNs are computed
			got := map[string]string{
				"StreamName":             l.StreamName(),
				"StreamArn":              l.StreamArn(),
				"KeyAlias":               l.KeyAlias(),
				"ConsumerName":           l.ConsumerName(consumerA),
				"ConsumerByNameArn":      l.ConsumerByNameArn(consumerA),
				"ProducerRoles":          strings.Join(l.ProducerRoles(), " "),
				"ConsumerRoleArn":        l.ConsumerRoleArn(consumerA),
				"LookupRoleArn":          l.LookupRoleArn(consumerA),
				"LookupFunctionRoleArn":  l.LookupFunctionRoleArn(consumerA),
				"FailureQueueName":       l.FailureQueueName(),
				"ConsumerRoleName":       l.ConsumerRoleName(),
				"LookupFunctionRoleName": l.LookupFunctionRoleName(),
			}

			// THEN each is the one the other account's half expects
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
		})
	}
}

func TestLinkLookupAccounts(t *testing.T) {
	// GIVEN a link whose second consumer account gives its consumer's ARN
	l := validLink()
	l.ConsumerAccounts = []string{consumerA, consumerB, "444444444444"}
	l.ConsumerArns = map[string]string{consumerB: "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-222222222222:1"}

	// WHEN the accounts that look their ARN up are asked for
	got := l.LookupAccounts()

	// THEN they are the others, in order, and the override is returned for its account
	if !slices.Equal(got, []string{consumerA, "444444444444"}) {
		t.Errorf("LookupAccounts() = %v", got)
	}
	if l.ConsumerArnOverride(consumerA) != "" || !strings.HasSuffix(l.ConsumerArnOverride(consumerB), ":1") {
		t.Errorf("ConsumerArnOverride = %q, %q", l.ConsumerArnOverride(consumerA), l.ConsumerArnOverride(consumerB))
	}
}

func TestLinkValidateValid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Link)
	}{
		{"defaults", func(*Link) {}},
		{"one consumer", func(l *Link) { l.ConsumerAccounts = l.ConsumerAccounts[:1] }},
		{"twenty consumers", func(l *Link) { l.ConsumerAccounts = accounts(20) }},
		{"provisioned with shards", func(l *Link) { l.StreamMode, l.ShardCount = "provisioned", 8 }},
		{"limits at their bounds", func(l *Link) {
			l.Retention, l.BatchSize, l.ParallelizationFactor, l.MaxRetries, l.MaxRecordAge = 8760*time.Hour, 10000, 10, ptr(10000), 168*time.Hour
		}},
		{"lower bounds", func(l *Link) {
			l.Retention, l.BatchSize, l.ParallelizationFactor, l.MaxRetries, l.MaxRecordAge = 24*time.Hour, 1, 1, ptr(0), time.Minute
		}},
		{"latest, raw, no bisect", func(l *Link) { l.StartingPosition, l.Format, l.BisectOnError = "LATEST", "raw", ptr(false) }},
		{"existing producer roles", func(l *Link) {
			l.ProducerRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/team/batch"}
		}},
		{"consumer ARN override", func(l *Link) {
			l.ConsumerArns = map[string]string{consumerA: "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-333333333333:1706616477"}
		}},
		{"longest names", func(l *Link) {
			// 44 + len("-lookup-333333333333") = 64
			l.Name = strings.Repeat("n", 44)
		}},
		{"long name when nothing is looked up and producer roles exist", func(l *Link) {
			// 55 + len("-consumer") = 64; no -lookup-fn or -producer role is created
			l.Name = strings.Repeat("n", 55)
			l.ConsumerAccounts = []string{consumerA}
			l.ConsumerArns = map[string]string{consumerA: "arn:aws:kinesis:eu-west-1:111111111111:stream/" + l.Name + "/consumer/" + l.Name + "-333333333333:5"}
			l.ProducerRoleArns = []string{"arn:aws:iam::111111111111:role/app"}
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

// accounts returns n distinct consumer account IDs.
func accounts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("5%011d", i)
	}
	return out
}

func TestLinkValidateInvalid(t *testing.T) {
	type want struct{ where, msg string }
	override := func(account, arn string) func(*Link) {
		return func(l *Link) { l.ConsumerArns = map[string]string{account: arn} }
	}
	tests := []struct {
		name   string
		change func(*Link)
		want   []want
	}{
		{"bad name", func(l *Link) { l.Name = "click stream" },
			[]want{{"name", `link name "click stream" may hold only letters, digits, hyphens and underscores`}}},
		{"bad prefix", func(l *Link) { l.NamePrefix = "acme." }, []want{{"namePrefix", `name prefix "acme."`}}},
		{"bad region", func(l *Link) { l.Region = "europe" }, []want{{"region", `region "europe" is not an AWS region name`}}},
		{"producer account of 11 digits", func(l *Link) { l.ProducerAccount = "11111111111" },
			[]want{{"from", `producer account "11111111111" must be 12 digits`}}},
		{"no consumer", func(l *Link) { l.ConsumerAccounts = nil },
			[]want{{"to", "a stream link needs at least one consumer account"}}},
		{"consumer is the producer", func(l *Link) { l.ConsumerAccounts[1] = producer },
			[]want{{"to", `consumer account "111111111111" is the producer account`}}},
		{"consumer listed twice", func(l *Link) { l.ConsumerAccounts[1] = consumerA },
			[]want{{"to", `consumer account "333333333333" is listed twice`}}},
		{"consumer account with letters", func(l *Link) { l.ConsumerAccounts[1] = "22222222222x" },
			[]want{{"to", `consumer account "22222222222x" must be 12 digits`}}},
		{"21 consumers", func(l *Link) { l.ConsumerAccounts = accounts(21) },
			[]want{{"to", "21 consumer accounts need 21 enhanced fan-out consumers; Kinesis allows at most 20 per stream"}}},
		{"so many consumers that the stream policy is over 20 KB", func(l *Link) { l.ConsumerAccounts = accounts(700) },
			[]want{
				{"to", "700 consumer accounts need 700 enhanced fan-out consumers"},
				{"to", "the stream's resource policy would be about"},
			}},
		{"names over every limit", func(l *Link) { l.Name = strings.Repeat("s", 129) },
			[]want{
				{"name", `stream name "` + strings.Repeat("s", 129) + `" is 129 characters; Kinesis allows at most 128`},
				{"name", `consumer name "` + strings.Repeat("s", 129) + `-000000000000" is 142 characters; Kinesis allows at most 128`},
				{"name", "producer role name"}, {"name", "consumer role name"}, {"name", "look-up role name"},
				{"name", "look-up function role name"},
				{"name", `on-failure queue name "` + strings.Repeat("s", 129) + `-failures" is 138 characters; SQS allows at most 80`},
			}},
		{"look-up role name one over", func(l *Link) { l.Name = strings.Repeat("n", 45) },
			[]want{{"name", `look-up role name "` + strings.Repeat("n", 45) + `-lookup-` + consumerA + `" is 65 characters; IAM allows at most 64`}}},
		{"unknown stream mode", func(l *Link) { l.StreamMode = "serverless" },
			[]want{{"options.streamMode", `streamMode "serverless" is unknown; use "on-demand" or "provisioned"`}}},
		{"shard count on demand", func(l *Link) { l.ShardCount = 2 },
			[]want{{"options.shardCount", "shardCount 2 applies only to streamMode: provisioned"}}},
		{"negative shard count", func(l *Link) { l.StreamMode, l.ShardCount = "provisioned", -1 },
			[]want{{"options.shardCount", "shardCount -1 must be 1 or more"}}},
		{"retention under a day", func(l *Link) { l.Retention, l.MaxRecordAge = 23*time.Hour, time.Minute },
			[]want{{"options.retention", "retention 23h must be between 24h and 8760h"}}},
		{"retention over a year", func(l *Link) { l.Retention = 8761 * time.Hour },
			[]want{{"options.retention", "retention 8761h must be between 24h and 8760h"}}},
		{"retention not whole hours", func(l *Link) { l.Retention = 24*time.Hour + 30*time.Minute },
			[]want{{"options.retention", "retention 24h30m must be whole hours"}}},
		{"unknown format", func(l *Link) { l.Format = "xml" }, []want{{"options.format", `format "xml" is unknown`}}},
		{"negative batch size", func(l *Link) { l.BatchSize = -5 },
			[]want{{"options.batchSize", "batchSize -5 must be between 1 and 10000"}}},
		{"batch size over 10000", func(l *Link) { l.BatchSize = 10001 },
			[]want{{"options.batchSize", "batchSize 10001 must be between 1 and 10000"}}},
		{"unknown starting position", func(l *Link) { l.StartingPosition = "AT_TIMESTAMP" },
			[]want{{"options.startingPosition", `startingPosition "AT_TIMESTAMP" is unknown; use "TRIM_HORIZON" or "LATEST"`}}},
		{"parallelization 11", func(l *Link) { l.ParallelizationFactor = 11 },
			[]want{{"options.parallelizationFactor", "parallelizationFactor 11 must be between 1 and 10"}}},
		{"infinite retries", func(l *Link) { l.MaxRetries = ptr(-1) },
			[]want{{"options.maxRetries", "maxRetries -1 must be between 0 and 10000"}}},
		{"record age under a minute", func(l *Link) { l.MaxRecordAge = 59 * time.Second },
			[]want{{"options.maxRecordAge", "maxRecordAge 59s must be between 1m and 168h"}}},
		{"record age not whole seconds", func(l *Link) { l.MaxRecordAge = 90500 * time.Millisecond },
			[]want{{"options.maxRecordAge", "maxRecordAge 1m30.5s must be whole seconds"}}},
		{"record age as long as the retention", func(l *Link) { l.MaxRecordAge = 24 * time.Hour },
			[]want{{"options.maxRecordAge", "maxRecordAge 24h must be shorter than retention 24h"}}},
		{"producer role not a role", func(l *Link) { l.ProducerRoleArns = []string{"arn:aws:iam::111111111111:user/bob"} },
			[]want{{"options.producerRoles", `"arn:aws:iam::111111111111:user/bob" is not an IAM role ARN`}}},
		{"producer role in a consumer account", func(l *Link) { l.ProducerRoleArns = []string{"arn:aws:iam::333333333333:role/app"} },
			[]want{{"options.producerRoles", `role "arn:aws:iam::333333333333:role/app" is in account 333333333333, which is not the producer account 111111111111`}}},
		{"producer role in another partition", func(l *Link) { l.ProducerRoleArns = []string{"arn:aws-cn:iam::111111111111:role/app"} },
			[]want{{"options.producerRoles", "is in partition aws-cn but region eu-west-1 is in aws"}}},
		{"producer role listed twice", func(l *Link) {
			l.ProducerRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/app"}
		}, []want{{"options.producerRoles", "is listed twice"}}},
		{"override for an account that does not consume", override("444444444444", "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-444444444444:1"),
			[]want{{"options.consumerArns.444444444444", `account "444444444444" is not a consumer account of the link`}}},
		{"override that is not a consumer ARN", override(consumerA, "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream"),
			[]want{{"options.consumerArns.333333333333", "is not the ARN of a registered Kinesis stream consumer"}}},
		{"override without its timestamp", override(consumerA, "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-333333333333"),
			[]want{{"options.consumerArns.333333333333", "is not the ARN of a registered Kinesis stream consumer"}}},
		{"override of another account's consumer", override(consumerA, "arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-222222222222:1"),
			[]want{{"options.consumerArns.333333333333", "is not the consumer this link registers for account 333333333333: want arn:aws:kinesis:eu-west-1:111111111111:stream/clickstream/consumer/clickstream-333333333333:<creation timestamp>"}}},
		{"override on another stream", override(consumerA, "arn:aws:kinesis:eu-west-1:111111111111:stream/other/consumer/clickstream-333333333333:1"),
			[]want{{"options.consumerArns.333333333333", "is not the consumer this link registers"}}},
		{"override in another region", override(consumerA, "arn:aws:kinesis:us-east-1:111111111111:stream/clickstream/consumer/clickstream-333333333333:1"),
			[]want{{"options.consumerArns.333333333333", "is not the consumer this link registers"}}},
		{"many problems at once", func(l *Link) {
			l.Region, l.BatchSize, l.ParallelizationFactor, l.StartingPosition = "mars-1", 0, 99, "NOW"
			l.ConsumerAccounts = append(l.ConsumerAccounts, producer)
		}, []want{
			{"region", `region "mars-1"`},
			{"to", `consumer account "111111111111" is the producer account`},
			{"options.parallelizationFactor", "parallelizationFactor 99"},
			{"options.startingPosition", `startingPosition "NOW"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN an otherwise valid link with these mistakes
			l := validLink()
			l.ConsumerAccounts = slices.Clone(l.ConsumerAccounts)
			tt.change(&l)

			// WHEN it is validated
			err := l.Validate()

			// THEN the error is a *problem.Error about the link listing exactly the
			// problems expected
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate() = %v (%T), want a *problem.Error", err, err)
			}
			if want := fmt.Sprintf("stream link %q", l.Name); pe.Subject != want {
				t.Errorf("Subject = %q, want %q", pe.Subject, want)
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
		})
	}
}

func TestLinkProblems(t *testing.T) {
	// GIVEN a list that holds a problem already, and an invalid link
	var p problem.List
	p.Addf(3, "region", "first")
	l := validLink()
	l.BatchSize = 20000

	// WHEN the link adds its problems to the list
	l.Problems(&p)

	// THEN they come after the ones there were, and Validate reports the same
	items := p.Items()
	if len(items) != 2 || items[0].Msg != "first" || items[1].Where != "options.batchSize" {
		t.Fatalf("Items() = %+v, want the first problem, then options.batchSize", items)
	}
	var pe *problem.Error
	if err := l.Validate(); !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0] != items[1] {
		t.Errorf("Validate() = %v, want the one problem %+v", err, items[1])
	}
}

func TestPolicySizeEstimate(t *testing.T) {
	// GIVEN the stream policy of twenty consumers, and of seven hundred
	small, big := validLink(), validLink()
	small.ConsumerAccounts, big.ConsumerAccounts = accounts(20), accounts(700)

	// WHEN their sizes are estimated
	s := policySize(small.StreamPolicyGrants(), small.StreamArn())
	b := policySize(big.StreamPolicyGrants(), big.StreamArn())

	// THEN the estimate is the JSON of the document, which holds every account and
	// (over iamcond.CompactAbove consumers, by one pattern) their roles, and grows with
	// them past the Kinesis limit
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{small.StreamPolicyGrants()[0].Document(small.StreamArn())}})
	if s != len(doc) || !strings.Contains(string(doc), "arn:aws:iam::500000000019:root") ||
		!strings.Contains(string(doc), `"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/clickstream-consumer"}`) {
		t.Errorf("estimate %d for document %s", s, doc)
	}
	if s > MaxResourcePolicyBytes || b <= MaxResourcePolicyBytes {
		t.Errorf("sizes %d (20 consumers) and %d (700), want under and over %d", s, b, MaxResourcePolicyBytes)
	}
}

func TestGrantsAdmitOnlyAccountRootsNarrowedToRoles(t *testing.T) {
	// GIVEN the resource policies of a link, in the aws-cn partition too
	for _, region := range []string{"eu-west-1", "cn-north-1"} {
		l := validLink()
		l.Region = region
		grants := append(l.StreamPolicyGrants(), l.ConsumerPolicyGrants(consumerA)...)

		for _, g := range grants {
			// WHEN each statement is rendered
			doc := g.Document(l.StreamArn())
			raw, _ := json.Marshal(doc)

			// THEN its principals are account roots of the partition, narrowed by
			// aws:PrincipalArn to the consumer roles: never "*", never a service
			for _, p := range doc["Principal"].(map[string]any)["AWS"].([]any) {
				s := p.(string)
				if !strings.HasPrefix(s, "arn:aws") || !strings.HasSuffix(s, ":root") || strings.Contains(s, "*") {
					t.Errorf("%s: principal %q is not an account root", region, s)
				}
				if region == "cn-north-1" && !strings.HasPrefix(s, "arn:aws-cn:") {
					t.Errorf("%s: principal %q is not in aws-cn", region, s)
				}
			}
			if strings.Contains(string(raw), `"Service"`) || strings.Contains(string(raw), `"*"`) {
				t.Errorf("%s: statement %s holds a wildcard or a service", region, raw)
			}
			if len(g.Roles) == 0 || len(g.Roles) != len(g.Accounts) {
				t.Errorf("%s: statement %s is not narrowed to one role per account", region, raw)
			}
		}
	}
}
