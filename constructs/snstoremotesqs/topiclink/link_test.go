package topiclink

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/problem"
)

// The tests of Link are plain Go: they make no jsii call, so they start no Node process
// (run them alone with -run 'Link|FilterPolicy').

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
)

// validLink returns a valid topic link from orders to billing and analytics; tests
// change a copy.
func validLink() Link {
	return Link{
		Name:             "order-events",
		Region:           "eu-west-1",
		SenderAccount:    orders,
		ReceiverAccounts: []string{billing, analytics},
	}
}

func TestLinkWithDefaults(t *testing.T) {
	receivers := map[string]ReceiverOptions{billing: {RawMessageDelivery: true}}
	tests := []struct {
		name string
		in   Options
		want Options
	}{
		{
			name: "every option unset",
			in:   Options{},
			want: Options{
				Encryption:        "kms",
				QueueEncryption:   "sqs-managed",
				MaxReceiveCount:   5,
				VisibilityTimeout: 30 * time.Second,
				RetentionPeriod:   96 * time.Hour,
				ReceiveWaitTime:   20 * time.Second,
				Allow:             AllowAccounts,
			},
		},
		{
			name: "every option set",
			in: Options{
				Fifo: true, ContentBasedDeduplication: true, Encryption: "aws-managed",
				PublisherRoleArns: []string{"arn:aws:iam::111111111111:role/app"}, QueueEncryption: "kms",
				MaxReceiveCount: 9, VisibilityTimeout: time.Minute, RetentionPeriod: time.Hour, ReceiveWaitTime: time.Second,
				Receivers: receivers, Allow: AllowOrganization,
			},
			want: Options{
				Fifo: true, ContentBasedDeduplication: true, Encryption: "aws-managed",
				PublisherRoleArns: []string{"arn:aws:iam::111111111111:role/app"}, QueueEncryption: "kms",
				MaxReceiveCount: 9, VisibilityTimeout: time.Minute, RetentionPeriod: time.Hour, ReceiveWaitTime: time.Second,
				Receivers: receivers, Allow: AllowOrganization,
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

			// THEN unset options have their defaults, set ones are kept, and the link's
			// other fields and l itself are unchanged
			if g, w := fmt.Sprintf("%+v", got.Options), fmt.Sprintf("%+v", tt.want); g != w {
				t.Errorf("Options =\n%s\nwant\n%s", g, w)
			}
			if got.Name != "order-events" || got.SenderAccount != orders || !slices.Equal(got.ReceiverAccounts, []string{billing, analytics}) {
				t.Errorf("WithDefaults changed the link: %+v", got)
			}
			if g, w := fmt.Sprintf("%+v", l.Options), fmt.Sprintf("%+v", tt.in); g != w {
				t.Errorf("WithDefaults changed its receiver's options to %s", g)
			}
		})
	}
}

func TestLinkNames(t *testing.T) {
	type names struct {
		topic, topicArn, queue, dlq, subDLQ, queueArn, subDLQArn, url, role, publishers, alias string
	}
	tests := []struct {
		name string
		link Link
		want names
	}{
		{
			name: "standard, no prefix",
			link: Link{Name: "order-events", Region: "eu-west-1", SenderAccount: orders},
			want: names{
				topic: "order-events", topicArn: "arn:aws:sns:eu-west-1:111111111111:order-events",
				queue: "order-events", dlq: "order-events-dlq", subDLQ: "order-events-sns-dlq",
				queueArn:   "arn:aws:sqs:eu-west-1:222222222222:order-events",
				subDLQArn:  "arn:aws:sqs:eu-west-1:222222222222:order-events-sns-dlq",
				url:        "https://sqs.eu-west-1.amazonaws.com/222222222222/order-events",
				role:       "order-events-publisher",
				publishers: "arn:aws:iam::111111111111:role/order-events-publisher",
				alias:      "alias/order-events",
			},
		},
		{
			name: "FIFO with a prefix",
			link: Link{Name: "prices", NamePrefix: "acme-", Region: "ap-northeast-1", SenderAccount: orders, Options: Options{Fifo: true}},
			want: names{
				topic: "acme-prices.fifo", topicArn: "arn:aws:sns:ap-northeast-1:111111111111:acme-prices.fifo",
				queue: "acme-prices.fifo", dlq: "acme-prices-dlq.fifo", subDLQ: "acme-prices-sns-dlq.fifo",
				queueArn:   "arn:aws:sqs:ap-northeast-1:222222222222:acme-prices.fifo",
				subDLQArn:  "arn:aws:sqs:ap-northeast-1:222222222222:acme-prices-sns-dlq.fifo",
				url:        "https://sqs.ap-northeast-1.amazonaws.com/222222222222/acme-prices.fifo",
				role:       "acme-prices-publisher",
				publishers: "arn:aws:iam::111111111111:role/acme-prices-publisher",
				alias:      "alias/acme-prices",
			},
		},
		{
			name: "China, with publisher roles of its own",
			link: Link{Name: "order-events", Region: "cn-north-1", SenderAccount: orders, Options: Options{
				PublisherRoleArns: []string{"arn:aws-cn:iam::111111111111:role/a", "arn:aws-cn:iam::111111111111:role/team/b"},
			}},
			want: names{
				topic: "order-events", topicArn: "arn:aws-cn:sns:cn-north-1:111111111111:order-events",
				queue: "order-events", dlq: "order-events-dlq", subDLQ: "order-events-sns-dlq",
				queueArn:   "arn:aws-cn:sqs:cn-north-1:222222222222:order-events",
				subDLQArn:  "arn:aws-cn:sqs:cn-north-1:222222222222:order-events-sns-dlq",
				url:        "https://sqs.cn-north-1.amazonaws.com.cn/222222222222/order-events",
				role:       "order-events-publisher",
				publishers: "arn:aws-cn:iam::111111111111:role/a arn:aws-cn:iam::111111111111:role/team/b",
				alias:      "alias/order-events",
			},
		},
		{
			name: "GovCloud",
			link: Link{Name: "order-events", Region: "us-gov-west-1", SenderAccount: orders},
			want: names{
				topic: "order-events", topicArn: "arn:aws-us-gov:sns:us-gov-west-1:111111111111:order-events",
				queue: "order-events", dlq: "order-events-dlq", subDLQ: "order-events-sns-dlq",
				queueArn:   "arn:aws-us-gov:sqs:us-gov-west-1:222222222222:order-events",
				subDLQArn:  "arn:aws-us-gov:sqs:us-gov-west-1:222222222222:order-events-sns-dlq",
				url:        "https://sqs.us-gov-west-1.amazonaws.com/222222222222/order-events",
				role:       "order-events-publisher",
				publishers: "arn:aws-us-gov:iam::111111111111:role/order-events-publisher",
				alias:      "alias/order-events",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link
			l := tt.link

			// WHEN its names and ARNs are computed
			got := []struct{ what, got, want string }{
				{"TopicName", l.TopicName(), tt.want.topic},
				{"TopicArn", l.TopicArn(), tt.want.topicArn},
				{"QueueName", l.QueueName(), tt.want.queue},
				{"DeadLetterQueueName", l.DeadLetterQueueName(), tt.want.dlq},
				{"SubscriptionDeadLetterQueueName", l.SubscriptionDeadLetterQueueName(), tt.want.subDLQ},
				{"QueueArn(billing)", l.QueueArn(billing), tt.want.queueArn},
				{"SubscriptionDeadLetterQueueArn(billing)", l.SubscriptionDeadLetterQueueArn(billing), tt.want.subDLQArn},
				{"QueueURL(billing)", l.QueueURL(billing), tt.want.url},
				{"PublisherRoleName", l.PublisherRoleName(), tt.want.role},
				{"PublisherRoles", strings.Join(l.PublisherRoles(), " "), tt.want.publishers},
				{"KeyAlias", l.KeyAlias(), tt.want.alias},
			}

			// THEN each is the one the other accounts' halves expect
			for _, g := range got {
				if g.got != g.want {
					t.Errorf("%s = %q, want %q", g.what, g.got, g.want)
				}
			}
		})
	}
}

func TestLinkPublisherRolesIsACopy(t *testing.T) {
	// GIVEN a link with a publisher role of its own
	l := validLink()
	l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:role/app"}

	// WHEN the returned list is changed
	l.PublisherRoles()[0] = "changed"

	// THEN the link is not
	if l.PublisherRoleArns[0] != "arn:aws:iam::111111111111:role/app" {
		t.Errorf("PublisherRoles returned the link's own slice: %v", l.PublisherRoleArns)
	}
}

func TestLinkTopicPolicy(t *testing.T) {
	// GIVEN a link to two receivers
	l := validLink()

	// WHEN its topic policy is built
	doc := l.TopicPolicy()

	// THEN it has the publish statement, one subscribe statement per receiver that
	// names only that receiver's queue, and the TLS deny
	raw, _ := json.Marshal(doc)
	var st []map[string]any
	_ = json.Unmarshal(raw, &struct{ Statement *[]map[string]any }{&st})
	var sids []string
	for _, s := range st {
		sids = append(sids, s["Sid"].(string))
	}
	want := []string{"AllowPublishFromLinkPublishers", "AllowSubscribeOwnQueue222222222222", "AllowSubscribeOwnQueue333333333333", "DenyWithoutTLS"}
	if !slices.Equal(sids, want) {
		t.Fatalf("statements %v, want %v", sids, want)
	}
	for i, a := range []string{billing, analytics} {
		cond, _ := json.Marshal(st[1+i]["Condition"])
		if w := fmt.Sprintf(`{"StringEquals":{"sns:Endpoint":"arn:aws:sqs:eu-west-1:%s:order-events","sns:Protocol":"sqs"}}`, a); string(cond) != w {
			t.Errorf("%s condition %s, want %s", a, cond, w)
		}
	}
}

func TestLinkValidateValid(t *testing.T) {
	manyReceivers := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%012d", 500000000000+i))
		}
		return out
	}
	tests := []struct {
		name   string
		change func(*Link)
	}{
		{"defaults", func(*Link) {}},
		{"one receiver", func(l *Link) { l.ReceiverAccounts = l.ReceiverAccounts[:1] }},
		{"FIFO with content-based deduplication", func(l *Link) { l.Fifo, l.ContentBasedDeduplication = true, true }},
		{"AWS managed topic key and KMS queues", func(l *Link) { l.Encryption, l.QueueEncryption = "aws-managed", "kms" }},
		{"publisher roles with a path", func(l *Link) {
			l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/team/app"}
		}},
		{"limits at their bounds", func(l *Link) {
			l.MaxReceiveCount, l.VisibilityTimeout, l.RetentionPeriod, l.ReceiveWaitTime = 1000, 12*time.Hour, time.Minute, time.Second
		}},
		{"every receiver option", func(l *Link) {
			l.Receivers = map[string]ReceiverOptions{
				billing:   {RawMessageDelivery: true, SubscriptionDeadLetterQueue: true, FilterPolicy: `{"type":["placed","cancelled"]}`},
				analytics: {FilterPolicyScope: "MessageBody", FilterPolicy: map[string]any{"order": map[string]any{"total": []any{map[string]any{"numeric": []any{">", 100}}}}}},
			}
		}},
		{"filter policy of 5 keys and 150 combinations", func(l *Link) {
			l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: `{"a":[1,2,3,4,5],"b":[1,2,3,4,5],"c":[1,2,3,4,5,6],"d":["x"],"e":[true]}`}}
		}},
		{"body filter policy with many nested keys under 5 top-level keys", func(l *Link) {
			l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicyScope: "MessageBody", FilterPolicy: `{"a":{"b":["1"],"c":["2"],"d":["3"],"e":["4"],"f":["5"],"g":["6"]}}`}}
		}},
		{"$or adds its branches' combinations", func(l *Link) {
			// (75 + 75) x 1 = 150
			l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: `{"source":["x"],"$or":[{"a":[1,2,3],"b":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]},{"c":[1,2,3],"d":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}]}`}}
		}},
		{"longest names", func(l *Link) {
			// 55 + len("-sns-dlq.fifo") = 68; 54 + len("-publisher") = 64
			l.Name, l.Fifo = strings.Repeat("n", 54), true
			l.Receivers = map[string]ReceiverOptions{billing: {SubscriptionDeadLetterQueue: true}}
		}},
		{"long name with roles of its own needs no publisher role", func(l *Link) {
			l.Name = strings.Repeat("n", 60)
			l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:role/app"}
		}},
		{"50 receivers", func(l *Link) { l.ReceiverAccounts = manyReceivers(50) }},
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
	fp := func(account string, v any, scope FilterPolicyScope) func(*Link) {
		return func(l *Link) {
			l.Receivers = map[string]ReceiverOptions{account: {FilterPolicy: v, FilterPolicyScope: scope}}
		}
	}
	const fpWhere = "options.receivers.222222222222.filterPolicy"
	var many []string
	for i := range 100 {
		many = append(many, fmt.Sprintf("%012d", 500000000000+i))
	}
	tests := []struct {
		name   string
		change func(*Link)
		want   []want
	}{
		{
			name:   "bad name",
			change: func(l *Link) { l.Name = "order events" },
			want:   []want{{"name", `link name "order events" may hold only letters, digits, hyphens and underscores`}},
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
			name:   "sender account of 11 digits",
			change: func(l *Link) { l.SenderAccount = "11111111111" },
			want:   []want{{"from", `sender account "11111111111" must be 12 digits`}},
		},
		{
			name:   "no receiver",
			change: func(l *Link) { l.ReceiverAccounts = nil },
			want:   []want{{"to", "a topic link needs at least one receiver account"}},
		},
		{
			name:   "receiver account with letters",
			change: func(l *Link) { l.ReceiverAccounts[1] = "33333333333x" },
			want:   []want{{"to", `receiver account "33333333333x" must be 12 digits`}},
		},
		{
			name:   "receiver is the sender",
			change: func(l *Link) { l.ReceiverAccounts[1] = orders },
			want:   []want{{"to", `receiver account "111111111111" is the sender account`}},
		},
		{
			name:   "receiver listed twice",
			change: func(l *Link) { l.ReceiverAccounts[1] = billing },
			want:   []want{{"to", `receiver account "222222222222" is listed twice`}},
		},
		{
			name:   "options for an account that does not receive",
			change: func(l *Link) { l.Receivers = map[string]ReceiverOptions{"444444444444": {RawMessageDelivery: true}} },
			want:   []want{{"options.receivers.444444444444", `account "444444444444" is not a receiver account of the link`}},
		},
		{
			name:   "content-based deduplication without FIFO",
			change: func(l *Link) { l.ContentBasedDeduplication = true },
			want:   []want{{"options.contentBasedDeduplication", `contentBasedDeduplication "true" needs fifo: true`}},
		},
		{
			name:   "unknown topic encryption",
			change: func(l *Link) { l.Encryption = "none" },
			want:   []want{{"options.encryption", `encryption "none" is unknown; use "kms" or "aws-managed"`}},
		},
		{
			name:   "unknown queue encryption",
			change: func(l *Link) { l.QueueEncryption = "aes" },
			want:   []want{{"options.queueEncryption", `queueEncryption "aes" is unknown; use "sqs-managed" or "kms"`}},
		},
		{
			name:   "publisher role not a role",
			change: func(l *Link) { l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:user/bob"} },
			want:   []want{{"options.publisherRoles", `"arn:aws:iam::111111111111:user/bob" is not an IAM role ARN`}},
		},
		{
			name:   "publisher role in a receiver account",
			change: func(l *Link) { l.PublisherRoleArns = []string{"arn:aws:iam::222222222222:role/app"} },
			want:   []want{{"options.publisherRoles", `role "arn:aws:iam::222222222222:role/app" is in account 222222222222, which is not the sender account 111111111111`}},
		},
		{
			name:   "publisher role in another partition",
			change: func(l *Link) { l.PublisherRoleArns = []string{"arn:aws-cn:iam::111111111111:role/app"} },
			want:   []want{{"options.publisherRoles", `is in partition aws-cn but region eu-west-1 is in aws`}},
		},
		{
			name: "publisher role listed twice",
			change: func(l *Link) {
				l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/app"}
			},
			want: []want{{"options.publisherRoles", `role "arn:aws:iam::111111111111:role/app" is listed twice`}},
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
			name:   "retention period over 14 days",
			change: func(l *Link) { l.RetentionPeriod = 337 * time.Hour },
			want:   []want{{"options.retentionPeriod", "retentionPeriod 337h must be between 1m and 336h"}},
		},
		{
			name:   "receive wait time over 20s",
			change: func(l *Link) { l.ReceiveWaitTime = 21 * time.Second },
			want:   []want{{"options.receiveWaitTime", "receiveWaitTime 21s must be between 1s and 20s"}},
		},
		{
			name:   "filter policy that is not JSON",
			change: fp(billing, `{"type": [placed]}`, ""),
			want:   []want{{fpWhere, "filter policy is not valid JSON: invalid character 'p'"}},
		},
		{
			name:   "filter policy that is a list",
			change: fp(billing, `["placed"]`, ""),
			want:   []want{{fpWhere, "filter policy must be a JSON object of keys to value lists, not a list"}},
		},
		{
			name:   "filter policy of another Go type",
			change: fp(billing, 42, ""),
			want:   []want{{fpWhere, "filter policy must be a JSON object (a string or a map of keys to value lists), not int"}},
		},
		{
			name:   "empty filter policy",
			change: fp(billing, map[string]any{}, ""),
			want:   []want{{fpWhere, "filter policy is empty; leave filterPolicy out to receive every message"}},
		},
		{
			name:   "filter policy of 6 keys",
			change: fp(billing, `{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}`, ""),
			want:   []want{{fpWhere, "filter policy has 6 keys (a, b, c, d, e, f); SNS allows at most 5"}},
		},
		{
			name:   "filter policy of 6 keys, two of them in $or branches",
			change: fp(billing, `{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"$or":[{"e":["1"]},{"f":["1"]}]}`, ""),
			want:   []want{{fpWhere, "filter policy has 6 keys (a, b, c, d, e, f)"}},
		},
		{
			name:   "filter policy of 151 combinations",
			change: fp(billing, `{"a":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151]}`, ""),
			want:   []want{{fpWhere, "filter policy has 151 value combinations; SNS allows at most 150"}},
		},
		{
			name:   "body filter policy whose nested keys multiply to 175",
			change: fp(billing, `{"order":{"state":["a","b","c","d","e"],"region":["1","2","3","4","5"]},"kind":["x","y","z","u","v","w","q"]}`, FilterPolicyScopeMessageBody),
			want:   []want{{fpWhere, "filter policy has 175 value combinations"}},
		},
		{
			name:   "nested filter policy on message attributes",
			change: fp(billing, `{"order":{"state":["placed"]}}`, ""),
			want:   []want{{fpWhere, `filter policy nests keys under "order", which only filterPolicyScope: MessageBody allows`}},
		},
		{
			name:   "filter policy key with no values",
			change: fp(billing, `{"order":{"state":[]}}`, FilterPolicyScopeMessageBody),
			want:   []want{{fpWhere, `filter policy key "order.state" has an empty list of values, which matches no message`}},
		},
		{
			name:   "filter policy key with an empty object",
			change: fp(billing, `{"order":{}}`, FilterPolicyScopeMessageBody),
			want:   []want{{fpWhere, `filter policy key "order" holds an empty object`}},
		},
		{
			name:   "filter policy over 256 KB",
			change: fp(billing, `{"a":["`+strings.Repeat("x", MaxFilterPolicyBytes)+`"]}`, ""),
			want:   []want{{fpWhere, "filter policy is 262154 bytes; SNS allows at most 262144 (256 KB)"}},
		},
		{
			name:   "unknown filter policy scope",
			change: fp(billing, `{"a":["1"]}`, "Body"),
			want:   []want{{"options.receivers.222222222222.filterPolicyScope", `filterPolicyScope "Body" is unknown; use "MessageAttributes" or "MessageBody"`}},
		},
		{
			name:   "filter policy scope without a filter policy",
			change: fp(billing, nil, FilterPolicyScopeMessageBody),
			want:   []want{{"options.receivers.222222222222.filterPolicyScope", `filterPolicyScope "MessageBody" applies only with a filterPolicy`}},
		},
		{
			name: "topic, queue and role names too long",
			change: func(l *Link) {
				l.Name, l.Fifo = strings.Repeat("t", 252), true
				l.Receivers = map[string]ReceiverOptions{analytics: {SubscriptionDeadLetterQueue: true}}
			},
			want: []want{
				{"name", `topic name "` + strings.Repeat("t", 252) + `.fifo" is 257 characters; SNS allows at most 256`},
				{"name", `queue name "` + strings.Repeat("t", 252) + `.fifo" is 257 characters; SQS allows at most 80`},
				{"name", `dead-letter queue name "` + strings.Repeat("t", 252) + `-dlq.fifo" is 261 characters`},
				{"name", `subscription dead-letter queue name "` + strings.Repeat("t", 252) + `-sns-dlq.fifo" is 265 characters`},
				{"name", `publisher role name "` + strings.Repeat("t", 252) + `-publisher" is 262 characters; IAM allows at most 64`},
			},
		},
		{
			name: "subscription dead-letter queue name too long",
			change: func(l *Link) {
				// 68 + len("-sns-dlq") = 76 + ".fifo" = 81
				l.Name, l.Fifo = strings.Repeat("s", 68), true
				l.PublisherRoleArns = []string{"arn:aws:iam::111111111111:role/app"}
				l.Receivers = map[string]ReceiverOptions{billing: {SubscriptionDeadLetterQueue: true}}
			},
			want: []want{{"name", `subscription dead-letter queue name "` + strings.Repeat("s", 68) + `-sns-dlq.fifo" is 81 characters`}},
		},
		{
			name:   "publisher role name too long",
			change: func(l *Link) { l.Name = strings.Repeat("p", 55) },
			want:   []want{{"name", `publisher role name "` + strings.Repeat("p", 55) + `-publisher" is 65 characters`}},
		},
		{
			name:   "topic policy too large for 100 receivers",
			change: func(l *Link) { l.ReceiverAccounts = many },
			want:   []want{{"to", "the topic policy for 100 receiver accounts is"}},
		},
		{
			name: "many problems at once",
			change: func(l *Link) {
				l.Name, l.Region, l.Encryption, l.MaxReceiveCount = "bad/name", "mars-1", "plain", 2000
				l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: "{"}}
			},
			want: []want{
				{"name", `link name "bad/name"`},
				{"region", `region "mars-1"`},
				{"options.encryption", `encryption "plain" is unknown`},
				{"options.maxReceiveCount", "maxReceiveCount 2000"},
				{fpWhere, "filter policy is not valid JSON"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN an otherwise valid link with these mistakes
			l := validLink()
			l.ReceiverAccounts = slices.Clone(l.ReceiverAccounts)
			tt.change(&l)

			// WHEN it is validated
			err := l.Validate()

			// THEN the error is a *problem.Error about the link that lists exactly the
			// problems expected
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate() = %v (%T), want a *problem.Error", err, err)
			}
			if want := fmt.Sprintf("topic link %q", l.Name); pe.Subject != want {
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

func TestFilterPolicyCombinations(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		body   bool
		want   int
	}{
		{"the SNS guide's example: 3 x 1 x 2", `{"key_a":["one","two","three"],"key_b":["one"],"key_c":["one","two"]}`, false, 6},
		{"operators count as one value each", `{"price":[{"numeric":[">",0,"<=",100]},{"anything-but":[5]}]}`, false, 2},
		{"a one-value list counts as one value", `{"a":["x"],"b":["1","2"]}`, false, 2},
		{"nested keys multiply in the body", `{"a":{"b":["1","2"],"c":{"d":["1","2","3"]}},"e":["1","2"]}`, true, 12},
		{"$or adds its branches", `{"s":["1","2"],"$or":[{"m":["1","2","3"]},{"n":["1"]}]}`, false, 8},
		{"$or of one object is a plain key", `{"$or":[{"m":["1"]}],"a":["1","2"]}`, false, 2},
		{"$or with operator keys is a plain key", `{"$or":[{"numeric":123},{"prefix":"abc"}]}`, false, 2},
		{"products stop growing at the cap", `{"a":` + strings.Repeat("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],", 1) + `"b":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],"c":{"d":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],"e":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],"f":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],"g":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}}`, true, combinationCap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a filter policy
			fp, err := parseFilterPolicy(tt.policy)
			if err != nil {
				t.Fatal(err)
			}

			// WHEN its value combinations are counted
			w := filterWalk{body: tt.body}
			got := w.combinations(fp, "")

			// THEN they are the product of the value counts, with $or branches added
			if got != tt.want {
				t.Errorf("combinations = %d, want %d", got, tt.want)
			}
			if len(w.problems) != 0 {
				t.Errorf("problems %v, want none", w.problems)
			}
		})
	}
}

func TestSubscriptionFilterPolicy(t *testing.T) {
	tests := []struct {
		name   string
		policy any
		want   string
	}{
		{"none", nil, "null"},
		{"JSON string", `{ "type": ["placed"], "total": [{"numeric": [">", 100]}] }`, `{"total":[{"numeric":[">",100]}],"type":["placed"]}`},
		{"map from YAML, with an int", map[string]any{"type": []any{"placed"}, "total": []any{map[string]any{"numeric": []any{">", 100}}}}, `{"total":[{"numeric":[">",100]}],"type":["placed"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a link whose billing receiver has this filter policy
			l := validLink()
			l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: tt.policy}}

			// WHEN the subscription's filter policy is asked for
			got := jsonx.String(l.SubscriptionFilterPolicy(billing))

			// THEN it is the same JSON object, however it was given
			if string(got) != tt.want {
				t.Errorf("SubscriptionFilterPolicy = %s, want %s", got, tt.want)
			}
		})
	}

	t.Run("a receiver without options has none", func(t *testing.T) {
		// GIVEN a link with options for billing only
		l := validLink()
		l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: `{"a":["1"]}`}}
		// WHEN analytics' filter policy is asked for
		// THEN there is none
		if got := l.SubscriptionFilterPolicy(analytics); got != nil {
			t.Errorf("SubscriptionFilterPolicy(analytics) = %v, want nil", got)
		}
	})

	t.Run("an invalid policy panics", func(t *testing.T) {
		// GIVEN a link whose filter policy Validate rejects
		l := validLink()
		l.Receivers = map[string]ReceiverOptions{billing: {FilterPolicy: "{"}}
		// WHEN the filter policy is asked for
		// THEN it panics naming the link and the receiver
		defer func() {
			r := fmt.Sprint(recover())
			if !strings.Contains(r, `link "order-events", receiver 222222222222: filter policy is not valid JSON`) {
				t.Errorf("panic %q", r)
			}
		}()
		l.SubscriptionFilterPolicy(billing)
	})
}

func TestOptionsFromYAML(t *testing.T) {
	// GIVEN the options of a topic link as a topology file writes them, with the
	// receivers already keyed by account ID (the topology maps aliases to IDs)
	src := `
fifo: false
encryption: kms
queueEncryption: sqs-managed
maxReceiveCount: 3
visibilityTimeout: 2m
receivers:
  "222222222222":
    rawMessageDelivery: true
    subscriptionDeadLetterQueue: true
    filterPolicy:
      eventType: [order_placed, order_cancelled]
  "333333333333":
    filterPolicyScope: MessageBody
    filterPolicy:
      order:
        total: [{numeric: [">=", 100]}]
`

	// WHEN they are decoded strictly into Options and the link is validated
	var o Options
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil {
		t.Fatal(err)
	}
	l := validLink()
	l.Options = o

	// THEN every field arrives, and the filter policies become JSON objects
	if err := l.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if o.MaxReceiveCount != 3 || o.VisibilityTimeout != 2*time.Minute || !o.Receivers[billing].RawMessageDelivery ||
		!o.Receivers[billing].SubscriptionDeadLetterQueue || o.Receivers[analytics].FilterPolicyScope != FilterPolicyScopeMessageBody {
		t.Errorf("Options = %+v", o)
	}
	if got := jsonx.String(l.SubscriptionFilterPolicy(billing)); got != `{"eventType":["order_placed","order_cancelled"]}` {
		t.Errorf("billing filter policy %s", got)
	}
	if got := jsonx.String(l.SubscriptionFilterPolicy(analytics)); got != `{"order":{"total":[{"numeric":[">=",100]}]}}` {
		t.Errorf("analytics filter policy %s", got)
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

func TestTopicPolicyForTheOrganizationIsOneStatementWhateverTheReceivers(t *testing.T) {
	for _, n := range []int{2, 150} {
		// GIVEN a topic link to n receivers that lets the organization subscribe
		l := Link{Name: "broadcast", Region: "eu-west-1", SenderAccount: "100000000000", OrganizationID: "o-a1b2c3d4e5",
			Options: Options{Allow: AllowOrganization}}
		for i := 0; i < n; i++ {
			l.ReceiverAccounts = append(l.ReceiverAccounts, fmt.Sprintf("%012d", 200000000000+i))
		}
		// WHEN its topic policy is built and the link validated
		doc := l.WithDefaults().TopicPolicy()
		// THEN one statement admits subscriptions: from the organization, over SQS, of
		// queues with the link's name; the link is valid
		var subscribe []map[string]any
		for _, s := range doc["Statement"].([]any) {
			st := s.(map[string]any)
			if st["Action"] == "sns:Subscribe" {
				subscribe = append(subscribe, st)
			}
		}
		if len(subscribe) != 1 {
			t.Fatalf("%d receivers: %d subscribe statements, want 1", n, len(subscribe))
		}
		cond := subscribe[0]["Condition"].(map[string]any)
		if cond["StringEquals"].(map[string]any)["aws:PrincipalOrgID"] != "o-a1b2c3d4e5" ||
			cond["StringLike"].(map[string]any)["sns:Endpoint"] != "arn:aws:sqs:eu-west-1:*:broadcast" {
			t.Errorf("%d receivers: condition %v", n, cond)
		}
		if err := l.Validate(); err != nil {
			t.Errorf("%d receivers: %v", n, err)
		}
	}
	// AND without an organization ID the option is refused
	l := Link{Name: "b", Region: "eu-west-1", SenderAccount: "100000000000", ReceiverAccounts: []string{"200000000000"},
		Options: Options{Allow: AllowOrganization}}
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), `allow "organization" needs the topology's organization ID`) {
		t.Errorf("error %v", err)
	}
}

func TestFilterPolicyValuesMustBeLists(t *testing.T) {
	for _, c := range []struct {
		policy any
		bad    bool
	}{
		{map[string]any{"eventType": "order_placed"}, true},
		{map[string]any{"eventType": []any{"order_placed"}}, false},
		{map[string]any{"total": 5.0}, true},
		{map[string]any{"total": []any{map[string]any{"numeric": []any{">", 5.0}}}}, false},
	} {
		// GIVEN a receiver's filter policy
		l := validLink()
		l.Receivers = map[string]ReceiverOptions{l.ReceiverAccounts[0]: {FilterPolicy: c.policy}}
		// WHEN the link is validated
		err := l.Validate()
		// THEN a bare value instead of a list is refused, naming the key and the fix
		if c.bad != (err != nil && strings.Contains(err.Error(), "SNS wants a list of values")) {
			t.Errorf("filter policy %v: error %v, want refused %v", c.policy, err, c.bad)
		}
	}
}
