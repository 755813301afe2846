// Command eventlogger is a Lambda handler that logs every EventBridge event it
// receives as one structured JSON line (source, detail-type, account, region, id,
// time and detail), so deliveries across accounts can be followed in CloudWatch Logs.
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	lambda.Start(func(ctx context.Context, e events.CloudWatchEvent) error {
		return Handle(ctx, logger, e)
	})
}

// Handle logs one event.
func Handle(_ context.Context, logger *slog.Logger, e events.CloudWatchEvent) error {
	logger.Info("event received",
		slog.String("id", e.ID),
		slog.String("source", e.Source),
		slog.String("detailType", e.DetailType),
		slog.String("account", e.AccountID),
		slog.String("region", e.Region),
		slog.Time("time", e.Time),
		slog.Any("detail", json.RawMessage(e.Detail)),
	)
	return nil
}
