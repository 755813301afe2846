// Command streamconsumer is the Lambda handler of the consumer half of a Kinesis
// stream link. It receives batches from the link's enhanced fan-out consumer, logs
// every record it processes as one structured JSON line (partition key, sequence
// number, shard, arrival time and size), and reports the first record it cannot
// process in the batch response (ReportBatchItemFailures), so that Lambda retries from
// that record and, once the retries are spent, sends the batch's position to the
// link's on-failure queue instead of dropping it silently.
//
// The environment variable RECORD_FORMAT says what a record must hold: "json" (a
// record whose data is not one valid JSON value fails) or "raw" (any bytes).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	h := &Handler{
		Logger: slog.New(slog.NewJSONHandler(os.Stdout, nil)),
		Format: Format(os.Getenv("RECORD_FORMAT")),
	}
	if err := h.Format.Validate(); err != nil {
		// A misconfigured function must not acknowledge records it cannot judge.
		h.Logger.Error("invalid configuration", slog.String("error", err.Error()))
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context, e events.KinesisEvent) (events.KinesisEventResponse, error) {
		return h.Handle(ctx, e)
	})
}
