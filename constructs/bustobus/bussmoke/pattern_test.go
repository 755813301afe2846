package bussmoke

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/internal/eventmatch"
)

func testBody(link, to string) string {
	return `{"crosswire":"smoke test by crosswire-send","link":"` + link + `","from":"orders","to":"` + to + `","sentAt":"2026-05-01T12:00:00Z"}`
}

func TestMatchingEvent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		want    string // the event as JSON, or "" when none can be built
		err     string
	}{
		{name: "source only", pattern: `{"source":["orders.shipping"]}`,
			want: `{"account":"111111111111","detail":{},"detail-type":"Crosswire smoke test","region":"ap-northeast-1","source":"orders.shipping"}`},
		{name: "nothing about source", pattern: `{"detail-type":["Order Placed"]}`,
			want: `{"account":"111111111111","detail":{},"detail-type":"Order Placed","region":"ap-northeast-1","source":"crosswire.smoke-test"}`},
		{name: "the first source that is not AWS's", pattern: `{"source":["aws.s3",{"prefix":"x"},"orders"]}`,
			want: `{"account":"111111111111","detail":{},"detail-type":"Crosswire smoke test","region":"ap-northeast-1","source":"orders"}`},
		{name: "nested detail, numbers, booleans and null", pattern: `{"source":["o"],"detail":{"a":{"b":[{"numeric":[">",1]},12345678901234567890]},"c":[true],"d":[null]}}`,
			want: `{"account":"111111111111","detail":{"a":{"b":12345678901234567890},"c":true,"d":null},"detail-type":"Crosswire smoke test","region":"ap-northeast-1","source":"o"}`},
		{name: "resources, account, region and version", pattern: `{"source":["o"],"resources":["arn:aws:s3:::b"],"account":["222222222222","111111111111"],"region":["ap-northeast-1"],"version":["0"]}`,
			want: `{"account":"111111111111","detail":{},"detail-type":"Crosswire smoke test","region":"ap-northeast-1","resources":["arn:aws:s3:::b"],"source":"o"}`},
		{name: "AWS's sources only", pattern: `{"source":["aws.ec2","aws.s3"]}`, err: "source aws.ec2, aws.s3 is reserved for AWS services"},
		{name: "a source by prefix only", pattern: `{"source":[{"prefix":"orders."}]}`, err: `source is tested only by [{"prefix":"orders."}]`},
		{name: "a detail field by content filter only", pattern: `{"source":["o"],"detail":{"total":[{"numeric":[">=",100]}]}}`, err: `detail.total is tested only by [{"numeric":[">=",100]}]`},
		{name: "$or", pattern: `{"source":["o"],"detail":{"$or":[{"a":["x"]},{"b":["y"]}]}}`, err: "detail is tested with $or"},
		{name: "another account", pattern: `{"source":["o"],"account":["222222222222"]}`, err: `account is tested for ["222222222222"], but EventBridge sets it to 111111111111`},
		{name: "a field PutEvents cannot set", pattern: `{"source":["o"],"id":["x"]}`, err: "id is tested, which an event put with PutEvents cannot set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// GIVEN a link's event pattern
			// WHEN an event is built for orders in ap-northeast-1
			e, err := matchingEvent(buslink.EventPattern(tc.pattern), "111111111111", "ap-northeast-1")
			// THEN it is the simplest event the pattern matches, or none, saying why
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			detail, err := e.detailJSON("{}")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{"source": e.source, "detail-type": e.detailType, "detail": json.RawMessage(detail), "account": "111111111111", "region": "ap-northeast-1"}
			if e.resources != nil {
				got["resources"] = e.resources
			}
			b, _ := json.Marshal(got)
			if string(b) != tc.want {
				t.Errorf("event\n%s\nwant\n%s", b, tc.want)
			}
			var event map[string]any
			json.Unmarshal(b, &event)
			event["version"] = "0" // as EventBridge sets it
			if !eventmatch.Must(t, tc.pattern, event) {
				t.Errorf("the pattern %s does not match the event %s", tc.pattern, b)
			}
		})
	}
}

func TestTestMessageIsKeptInTheDetail(t *testing.T) {
	// GIVEN a pattern that requires detail fields, one of them a field of the test
	// message
	e, err := matchingEvent(`{"detail":{"link":["other"],"order":{"state":["paid"]}}}`, "111111111111", "ap-northeast-1")
	if err != nil {
		t.Fatal(err)
	}
	// WHEN the detail is made from the test message
	got, err := e.detailJSON(testBody("shipments", "billing"))
	// THEN the pattern's fields win and the rest of the message stays
	want := `{"crosswire":"smoke test by crosswire-send","from":"orders","link":"other","order":{"state":"paid"},"sentAt":"2026-05-01T12:00:00Z","to":"billing"}`
	if err != nil || got != want {
		t.Errorf("detail = %s, %v\nwant     %s", got, err, want)
	}
}
