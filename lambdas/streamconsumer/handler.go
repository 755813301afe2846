package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Format is what the data of a record must hold.
type Format string

const (
	// FormatJSON requires every record's data to be one valid JSON value.
	FormatJSON Format = "json"
	// FormatRaw accepts any bytes.
	FormatRaw Format = "raw"
)

// Validate reports an error unless f is FormatJSON or FormatRaw.
func (f Format) Validate() error {
	switch f {
	case FormatJSON, FormatRaw:
		return nil
	}
	return fmt.Errorf("RECORD_FORMAT %q is unknown; use %q or %q", string(f), FormatJSON, FormatRaw)
}

// Handler processes batches of Kinesis records.
type Handler struct {
	Logger *slog.Logger
	Format Format
}

// Handle processes the records of e in order and logs each one. At the first record it
// cannot process it stops and reports that record's sequence number as the only batch
// item failure: for a Kinesis source Lambda checkpoints before the lowest reported
// sequence number and delivers that record and every later one of the shard again, so
// processing the records after a failure would only process them twice. An empty
// response acknowledges the whole batch.
func (h *Handler) Handle(ctx context.Context, e events.KinesisEvent) (events.KinesisEventResponse, error) {
	var resp events.KinesisEventResponse
	for i, r := range e.Records {
		if err := ctx.Err(); err != nil {
			// Out of time: hand the rest back rather than acknowledge it unprocessed.
			h.fail(&resp, r, err, len(e.Records)-i-1)
			return resp, nil
		}
		if err := h.process(r); err != nil {
			h.fail(&resp, r, err, len(e.Records)-i-1)
			return resp, nil
		}
	}
	return resp, nil
}

// process checks one record against the format and logs it.
func (h *Handler) process(r events.KinesisEventRecord) error {
	k := r.Kinesis
	if h.Format == FormatJSON && !json.Valid(k.Data) {
		return fmt.Errorf("record data is not valid JSON (%d bytes)", len(k.Data))
	}
	h.Logger.Info("record processed", attrs(r)...)
	return nil
}

func (h *Handler) fail(resp *events.KinesisEventResponse, r events.KinesisEventRecord, err error, later int) {
	resp.BatchItemFailures = append(resp.BatchItemFailures, events.KinesisBatchItemFailure{ItemIdentifier: r.Kinesis.SequenceNumber})
	h.Logger.Error("record failed; it and the later records of the batch will be delivered again",
		append(attrs(r), slog.String("error", err.Error()), slog.Int("laterRecords", later))...)
}

// attrs are the log attributes of a record: where it is in the stream, never its data.
func attrs(r events.KinesisEventRecord) []any {
	k := r.Kinesis
	return []any{
		slog.String("partitionKey", k.PartitionKey),
		slog.String("sequenceNumber", k.SequenceNumber),
		slog.String("shardId", shardID(r.EventID)),
		slog.Time("approximateArrival", k.ApproximateArrivalTimestamp.UTC()),
		slog.Int("size", len(k.Data)),
	}
}

// shardID extracts the shard from an event ID of the form shardId-000000000000:<sequence>.
func shardID(eventID string) string {
	id, _, _ := strings.Cut(eventID, ":")
	return id
}
