package topology_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/topology"
)

// kindDoc is a topology with four accounts and one link whose body is given.
func kindDoc(link string) []byte {
	return []byte(`region: eu-west-1
accounts:
  a: "111111111111"
  b: "222222222222"
  c: "333333333333"
  d: "444444444444"
links:
` + link)
}

func TestTopicBusAndStreamLinkRules(t *testing.T) {
	many := make([]string, 21)
	accounts := "accounts:\n  p: \"100000000000\"\n"
	for i := range many {
		many[i] = fmt.Sprintf("c%d", i)
		accounts += fmt.Sprintf("  c%d: \"2%011d\"\n", i, i)
	}
	cases := []struct {
		name  string
		bad   []byte
		where string
		msg   string
		good  []byte
	}{
		{"topic from two accounts",
			kindDoc("  - {name: t, kind: topic, from: [a, b], to: c}\n"), `links[0] "t": from`, "a topic link comes from exactly one account",
			kindDoc("  - {name: t, kind: topic, from: a, to: [b, c]}\n")},
		{"topic receiver options for an account that is not a receiver",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {c: {rawMessageDelivery: true}}}}\n"), `links[0] "t": options.receivers.c`, `"c" is not a receiver of this link`,
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {rawMessageDelivery: true}}}}\n")},
		{"topic receiver option unknown",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {rawDelivery: true}}}}\n"), `links[0] "t": options.receivers.b.rawDelivery`, `option "rawDelivery" is unknown`,
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {rawMessageDelivery: true}}}}\n")},
		{"topic receiver options given twice",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {filterPolicy: {k: [v]}}, b: {rawMessageDelivery: true}}}}\n"), `links[0] "t": options.receivers.b`, `receiver "b" is given twice`,
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {filterPolicy: {k: [v]}, rawMessageDelivery: true}}}}\n")},
		{"topic receivers not a mapping",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: [b]}}\n"), `links[0] "t": options.receivers`, "receivers must map receiver aliases",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {}}}\n")},
		{"topic filter policy problem is named by alias",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {filterPolicy: '{not json'}}}}\n"), `links[0] "t": options.receivers.b.filterPolicy`, "",
			kindDoc("  - {name: t, kind: topic, from: a, to: b, options: {receivers: {b: {filterPolicy: '{\"k\": [\"v\"]}'}}}}\n")},
		{"bus to two accounts",
			kindDoc("  - {name: e, kind: bus, from: a, to: [b, c], options: {eventPattern: {source: [x]}}}\n"), `links[0] "e": to`, "a bus link goes to exactly one account",
			kindDoc("  - {name: e, kind: bus, from: [a, c], to: b, options: {eventPattern: {source: [x]}}}\n")},
		{"bus event pattern as a list",
			kindDoc("  - {name: e, kind: bus, from: a, to: b, options: {eventPattern: [x]}}\n"), `links[0] "e": options.eventPattern`, "must be an event pattern: a mapping, or a string of JSON",
			kindDoc("  - {name: e, kind: bus, from: a, to: b, options: {eventPattern: '{\"source\": [\"x\"]}'}}\n")},
		{"stream from two accounts",
			kindDoc("  - {name: s, kind: stream, from: [a, b], to: c}\n"), `links[0] "s": from`, "a stream link comes from exactly one account",
			kindDoc("  - {name: s, kind: stream, from: a, to: [b, c, d]}\n")},
		{"stream consumer ARN for an account that does not consume",
			kindDoc("  - {name: s, kind: stream, from: a, to: b, options: {consumerArns: {d: 'arn:aws:kinesis:eu-west-1:111111111111:stream/s/consumer/s-444444444444:1'}}}\n"), `links[0] "s": options.consumerArns.d`, `"d" is not a consumer account`,
			kindDoc("  - {name: s, kind: stream, from: a, to: b, options: {consumerArns: {b: 'arn:aws:kinesis:eu-west-1:111111111111:stream/s/consumer/s-222222222222:1'}}}\n")},
		{"stream with more than 20 consumers",
			[]byte("region: eu-west-1\n" + accounts + "links:\n  - {name: s, kind: stream, from: p, to: [" + strings.Join(many, ", ") + "]}\n"), `links[0] "s": to`, "21 consumer accounts, but a stream takes at most 20",
			[]byte("region: eu-west-1\n" + accounts + "links:\n  - {name: s, kind: stream, from: p, to: [" + strings.Join(many[:20], ", ") + "]}\n")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a link of a newer kind with one mistake
			// WHEN the topology is parsed
			_, err := topology.Parse("t.yaml", c.bad)
			// THEN the mistake is reported under the link and field, by alias
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a problem report", err)
			}
			found := false
			for _, p := range pe.Problems {
				if p.Where == c.where && strings.Contains(p.Msg, c.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem at %s with %q in:\n%v", c.where, c.msg, err)
			}
			// AND the corrected link parses
			if _, err := topology.Parse("t.yaml", c.good); err != nil {
				t.Errorf("corrected topology fails: %v", err)
			}
		})
	}
}

func TestOneBadOptionDoesNotHideTheOthers(t *testing.T) {
	cases := []struct {
		name, link string
		want       []string
	}{
		{"stream", "  - {name: s, kind: stream, from: a, to: b, options: {streamMode: provisioned, shardCount: 0, maxRetries: -1}}\n",
			[]string{`options.shardCount: shardCount "0" must not be zero`, "options.maxRetries: maxRetries -1"}},
		{"queue", "  - {name: q, kind: queue, from: a, to: b, options: {fifo: maybe, maxReceiveCount: 5000}}\n",
			[]string{`options.fifo: fifo "maybe" must be true or false`, "options.maxReceiveCount: maxReceiveCount 5000 must be between 1 and 1000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a link with one option that cannot be decoded and one out of range
			// WHEN the topology is parsed
			_, err := topology.Parse("t.yaml", kindDoc(c.link))
			// THEN both are reported, and nothing else
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a problem report", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("report lacks %q:\n%v", w, err)
				}
			}
			if len(pe.Problems) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%v", len(pe.Problems), len(c.want), err)
			}
		})
	}
}
