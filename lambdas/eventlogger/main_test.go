package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/golambda"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// logged runs Handle on e with a logger for link and returns the one JSON line it
// wrote, decoded.
func logged(t *testing.T, link string, e events.CloudWatchEvent) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := Handle(context.Background(), NewLogger(&buf, link), e); err != nil {
		t.Fatalf("Handle returned %v, want nil", err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("Handle wrote %d lines, want 1: %q", len(lines), buf.String())
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &out); err != nil {
		t.Fatalf("log line is not JSON: %v: %s", err, lines[0])
	}
	return out
}

func TestHandleLogsTheEventAsOneJSONLine(t *testing.T) {
	// GIVEN an EC2 state-change event forwarded from account 111111111111
	at := time.Date(2025, 3, 27, 11, 58, 19, 0, time.UTC)
	e := events.CloudWatchEvent{
		Version: "0", ID: "6a7e8feb-b491-4cf7-a9f1-bf3703467718", DetailType: "EC2 Instance State-change Notification",
		Source: "aws.ec2", AccountID: "111111111111", Time: at, Region: "ap-northeast-1",
		Resources: []string{"arn:aws:ec2:ap-northeast-1:111111111111:instance/i-12345"},
		Detail:    json.RawMessage(`{"instance-id":"i-12345","state":"pending"}`),
	}

	// WHEN the handler logs it for link ec2-state
	got := logged(t, "ec2-state", e)

	// THEN the line holds every field of the event, the detail as JSON, and the link
	want := map[string]any{
		"level": "INFO", "msg": "event received", "link": "ec2-state",
		"id": e.ID, "source": "aws.ec2", "detailType": "EC2 Instance State-change Notification",
		"account": "111111111111", "region": "ap-northeast-1", "time": "2025-03-27T11:58:19Z",
		"resources": []any{"arn:aws:ec2:ap-northeast-1:111111111111:instance/i-12345"},
		"detail":    map[string]any{"instance-id": "i-12345", "state": "pending"},
	}
	for k, w := range want {
		if g, _ := json.Marshal(got[k]); string(g) != mustJSON(t, w) {
			t.Errorf("%s = %s, want %s", k, g, mustJSON(t, w))
		}
	}
}

func TestHandleKeepsTheLineValidForOddEvents(t *testing.T) {
	for name, tc := range map[string]struct {
		detail     json.RawMessage
		wantDetail string
	}{
		"no detail":           {nil, "null"},
		"detail not JSON":     {json.RawMessage(`{not json`), `"{not json"`},
		"detail is an array":  {json.RawMessage(`[1,2]`), `[1,2]`},
		"detail is a string":  {json.RawMessage(`"x"`), `"x"`},
		"detail empty object": {json.RawMessage(`{}`), `{}`},
	} {
		t.Run(name, func(t *testing.T) {
			// GIVEN an event whose detail is odd, without resources, and no link name
			e := events.CloudWatchEvent{ID: "1", Source: "app", Detail: tc.detail}
			// WHEN it is logged
			got := logged(t, "", e)
			// THEN the line is still one JSON object with the detail kept as well as it can be
			if g, _ := json.Marshal(got["detail"]); string(g) != tc.wantDetail {
				t.Errorf("detail = %s, want %s", g, tc.wantDetail)
			}
			if g, _ := json.Marshal(got["resources"]); string(g) != "[]" {
				t.Errorf("resources = %s, want []", g)
			}
			if _, has := got["link"]; has {
				t.Errorf("link = %v, want no link attribute without %s", got["link"], LinkEnv)
			}
		})
	}
}

func TestBuildsAsLambdaBootstrap(t *testing.T) {
	// GIVEN this handler's import path
	out := filepath.Join(t.TempDir(), "bootstrap")
	// WHEN it is built the way the CDK asset builds it
	if err := golambda.Build("github.com/crosswire/crosswire/lambdas/eventlogger", out); err != nil {
		t.Fatal(err)
	}
	// THEN an executable bootstrap exists
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() == 0 || fi.Mode()&0o111 == 0 {
		t.Errorf("bootstrap is %d bytes with mode %v, want a non-empty executable", fi.Size(), fi.Mode())
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
