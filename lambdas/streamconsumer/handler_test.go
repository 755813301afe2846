package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

func record(seq, key, data string) events.KinesisEventRecord {
	return events.KinesisEventRecord{
		EventID: "shardId-000000000003:" + seq,
		Kinesis: events.KinesisRecord{
			PartitionKey:                key,
			SequenceNumber:              seq,
			Data:                        []byte(data),
			ApproximateArrivalTimestamp: events.SecondsEpochTime{Time: time.Unix(1706623274, 0)},
		},
	}
}

// run runs the handler with a JSON logger and returns its response and log lines.
func run(t *testing.T, ctx context.Context, f Format, recs ...events.KinesisEventRecord) (events.KinesisEventResponse, []map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	h := &Handler{Logger: slog.New(slog.NewJSONHandler(&buf, nil)), Format: f}
	resp, err := h.Handle(ctx, events.KinesisEvent{Records: recs})
	if err != nil {
		t.Fatalf("Handle returned error %v; failures must be reported per record", err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return resp, lines
}

func failed(resp events.KinesisEventResponse) []string {
	var out []string
	for _, f := range resp.BatchItemFailures {
		out = append(out, f.ItemIdentifier)
	}
	return out
}

func TestHandleAcknowledgesAValidBatchAndLogsEveryRecord(t *testing.T) {
	// GIVEN a JSON link and a batch of two JSON records
	recs := []events.KinesisEventRecord{record("101", "user-1", `{"page":"/"}`), record("102", "user-2", `[1,2]`)}

	// WHEN the batch is handled
	resp, lines := run(t, context.Background(), FormatJSON, recs...)

	// THEN no record failed and each was logged with where it is in the stream, not its data
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("BatchItemFailures = %v, want none", failed(resp))
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2: %v", len(lines), lines)
	}
	for i, want := range []struct{ key, seq string }{{"user-1", "101"}, {"user-2", "102"}} {
		l := lines[i]
		if l["msg"] != "record processed" || l["partitionKey"] != want.key || l["sequenceNumber"] != want.seq ||
			l["shardId"] != "shardId-000000000003" || l["approximateArrival"] != "2024-01-30T14:01:14Z" {
			t.Errorf("line %d = %v, want record %s/%s of shardId-000000000003", i, l, want.key, want.seq)
		}
		if strings.Contains(jsonOf(l), "page") {
			t.Errorf("line %d logs the record's data: %v", i, l)
		}
	}
}

func TestHandleReportsTheFirstRecordThatIsNotJSON(t *testing.T) {
	// GIVEN a JSON link and a batch whose second and third records are not JSON
	recs := []events.KinesisEventRecord{
		record("201", "a", `{"ok":true}`), record("202", "b", `not json`), record("203", "c", `{"ok":`), record("204", "d", `{}`),
	}

	// WHEN the batch is handled
	resp, lines := run(t, context.Background(), FormatJSON, recs...)

	// THEN only the first bad record is reported: Lambda retries from it, so the later
	// ones are neither processed nor reported now
	if got := failed(resp); !slices.Equal(got, []string{"202"}) {
		t.Errorf("BatchItemFailures = %v, want [202]", got)
	}
	var processed []string
	for _, l := range lines {
		if l["msg"] == "record processed" {
			processed = append(processed, l["sequenceNumber"].(string))
		}
	}
	if !slices.Equal(processed, []string{"201"}) {
		t.Errorf("processed %v, want only 201", processed)
	}
	last := lines[len(lines)-1]
	if last["level"] != "ERROR" || last["sequenceNumber"] != "202" || last["laterRecords"] != 2.0 ||
		!strings.Contains(last["error"].(string), "not valid JSON") {
		t.Errorf("last line = %v, want an error about 202 with 2 later records", last)
	}
}

func TestHandleAcceptsAnyBytesForRawLinks(t *testing.T) {
	// GIVEN a raw link and records that are not JSON
	recs := []events.KinesisEventRecord{record("301", "a", "plain text"), record("302", "b", "\x00\xff")}

	// WHEN the batch is handled
	resp, lines := run(t, context.Background(), FormatRaw, recs...)

	// THEN every record is acknowledged
	if len(resp.BatchItemFailures) != 0 || len(lines) != 2 {
		t.Errorf("failures %v, %d lines; want none and 2", failed(resp), len(lines))
	}
}

func TestHandleHandsBackTheRestWhenOutOfTime(t *testing.T) {
	// GIVEN an invocation whose time is up
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	// WHEN a batch is handled
	resp, _ := run(t, ctx, FormatRaw, record("401", "a", "x"), record("402", "b", "y"))

	// THEN the first record is reported, so nothing is acknowledged unprocessed
	if got := failed(resp); !slices.Equal(got, []string{"401"}) {
		t.Errorf("BatchItemFailures = %v, want [401]", got)
	}
}

func TestHandleEmptyBatch(t *testing.T) {
	// GIVEN an empty batch
	// WHEN it is handled
	resp, lines := run(t, context.Background(), FormatJSON)
	// THEN nothing fails and nothing is logged
	if len(resp.BatchItemFailures) != 0 || len(lines) != 0 {
		t.Errorf("failures %v, lines %v; want none", failed(resp), lines)
	}
}

func TestFormatValidate(t *testing.T) {
	for _, tt := range []struct {
		f  Format
		ok bool
	}{{FormatJSON, true}, {FormatRaw, true}, {"", false}, {"JSON", false}, {"xml", false}} {
		// GIVEN a configured format
		// WHEN it is validated
		err := tt.f.Validate()
		// THEN only json and raw are accepted
		if (err == nil) != tt.ok {
			t.Errorf("Format(%q).Validate() = %v, want ok=%v", tt.f, err, tt.ok)
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
