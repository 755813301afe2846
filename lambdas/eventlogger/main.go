// Command eventlogger is a Lambda handler that logs every EventBridge event it
// receives as one structured JSON line (id, source, detail-type, account, region, time,
// resources and detail), so deliveries across accounts can be followed in CloudWatch
// Logs. When the environment variable CROSSWIRE_LINK is set, every line also names the
// link ("link") that delivered the event.
package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// LinkEnv is the environment variable that names the link the function belongs to.
const LinkEnv = "CROSSWIRE_LINK"

func main() {
	logger := NewLogger(os.Stdout, os.Getenv(LinkEnv))
	lambda.Start(func(ctx context.Context, e events.CloudWatchEvent) error {
		return Handle(ctx, logger, e)
	})
}

// NewLogger returns the JSON logger the handler writes with: one object per line on
// w, with a "link" attribute when link is not empty.
func NewLogger(w io.Writer, link string) *slog.Logger {
	logger := slog.New(slog.NewJSONHandler(w, nil))
	if link != "" {
		logger = logger.With(slog.String("link", link))
	}
	return logger
}

// Handle logs one event as one line with the message "event received" and the
// attributes id, source, detailType, account, region, time, resources and detail.
// The detail is logged as JSON; a detail that is not valid JSON is logged as a
// string rather than breaking the line. Handle never fails: a failed log line must not
// make EventBridge retry the delivery.
func Handle(_ context.Context, logger *slog.Logger, e events.CloudWatchEvent) error {
	var detail any = json.RawMessage(e.Detail)
	switch {
	case len(e.Detail) == 0:
		detail = nil
	case !json.Valid(e.Detail):
		detail = string(e.Detail)
	}
	resources := e.Resources
	if resources == nil {
		resources = []string{}
	}
	logger.Info("event received",
		slog.String("id", e.ID),
		slog.String("source", e.Source),
		slog.String("detailType", e.DetailType),
		slog.String("account", e.AccountID),
		slog.String("region", e.Region),
		slog.Time("time", e.Time),
		slog.Any("resources", resources),
		slog.Any("detail", detail),
	)
	return nil
}
