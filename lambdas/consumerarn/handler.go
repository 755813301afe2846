package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// API is the part of the Kinesis client the handler uses.
type API interface {
	DescribeStreamConsumer(ctx context.Context, in *kinesis.DescribeStreamConsumerInput, opts ...func(*kinesis.Options)) (*kinesis.DescribeStreamConsumerOutput, error)
}

// Response is what an onEvent handler of the CDK Provider framework returns: the
// physical ID of the resource and its attributes.
type Response struct {
	PhysicalResourceID string         `json:"PhysicalResourceId"`
	Data               map[string]any `json:"Data,omitempty"`
}

// Handler answers Custom::KinesisConsumerArn events.
type Handler struct {
	// Client returns a client that acts in the stream's account: with roleArn, as that
	// role; without, as the function itself.
	Client func(ctx context.Context, roleArn string) (API, error)
	Logger *slog.Logger
	// PollInterval is the pause between two looks at a consumer that is not ACTIVE yet.
	PollInterval time.Duration
	// MaxWait bounds the wait for ACTIVE; the invocation's own deadline, less a margin
	// to report the failure, bounds it too.
	MaxWait time.Duration
	// Sleep pauses for d or until ctx is done. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Properties are the resource properties of Custom::KinesisConsumerArn.
type Properties struct {
	StreamArn     string
	ConsumerName  string
	LookupRoleArn string
}

// ParseProperties reads and checks the resource properties of an event.
func ParseProperties(p map[string]any) (Properties, error) {
	get := func(k string) string {
		s, _ := p[k].(string)
		return s
	}
	props := Properties{StreamArn: get("StreamArn"), ConsumerName: get("ConsumerName"), LookupRoleArn: get("LookupRoleArn")}
	var missing []string
	if !strings.HasPrefix(props.StreamArn, "arn:") || !strings.Contains(props.StreamArn, ":stream/") {
		missing = append(missing, fmt.Sprintf("StreamArn (a Kinesis stream ARN, got %q)", props.StreamArn))
	}
	if props.ConsumerName == "" {
		missing = append(missing, "ConsumerName")
	}
	if len(missing) > 0 {
		return props, fmt.Errorf("resource properties lack %s", strings.Join(missing, " and "))
	}
	return props, nil
}

// Handle answers one event. Create and Update look the consumer up and wait until it is
// ACTIVE (an event source mapping on a consumer that is still CREATING fails); the
// physical ID and the attribute ConsumerArn are its ARN, so a consumer registered again
// (a new timestamp) replaces the resource and updates whatever uses the attribute.
// Delete does nothing: the consumer belongs to the producer account's stack.
func (h *Handler) Handle(ctx context.Context, e cfn.Event) (Response, error) {
	if e.RequestType == cfn.RequestDelete {
		return Response{PhysicalResourceID: e.PhysicalResourceID}, nil
	}
	props, err := ParseProperties(e.ResourceProperties)
	if err != nil {
		return Response{}, err
	}
	client, err := h.Client(ctx, props.LookupRoleArn)
	if err != nil {
		return Response{}, fmt.Errorf("kinesis client: %w", err)
	}
	arn, err := h.waitActive(ctx, client, props)
	if err != nil {
		return Response{}, err
	}
	h.logger().Info("consumer found", slog.String("requestType", string(e.RequestType)),
		slog.String("consumerArn", arn), slog.String("streamArn", props.StreamArn))
	return Response{PhysicalResourceID: arn, Data: map[string]any{"ConsumerArn": arn}}, nil
}

func (h *Handler) waitActive(ctx context.Context, client API, p Properties) (string, error) {
	ctx, cancel := h.budget(ctx)
	defer cancel()
	what := fmt.Sprintf("consumer %q of stream %s", p.ConsumerName, p.StreamArn)
	for attempt := 1; ; attempt++ {
		out, err := client.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{
			StreamARN:    &p.StreamArn,
			ConsumerName: &p.ConsumerName,
		})
		var status types.ConsumerStatus
		switch {
		case err == nil && out.ConsumerDescription != nil:
			d := out.ConsumerDescription
			status = d.ConsumerStatus
			if status == types.ConsumerStatusActive && d.ConsumerARN != nil {
				return *d.ConsumerARN, nil
			}
			if status == types.ConsumerStatusDeleting {
				return "", fmt.Errorf("%s is being deleted; deploy the producer account's stack again to register it", what)
			}
		case isNotFound(err):
			return "", fmt.Errorf("%s does not exist: deploy the producer account's stack, which registers it, before this one: %w", what, err)
		case isThrottled(err):
			status = "throttled"
		case err != nil:
			return "", fmt.Errorf("describe %s: %w", what, err)
		}
		h.logger().Info("waiting for consumer", slog.String("status", string(status)), slog.Int("attempt", attempt))
		if err := h.sleep(ctx, h.PollInterval); err != nil {
			return "", fmt.Errorf("%s is not ACTIVE (last status %s) after %d attempts: %w", what, status, attempt, err)
		}
	}
}

// budget is the context the wait runs in: MaxWait, and at most the invocation's
// deadline less ten seconds to report a failure.
func (h *Handler) budget(ctx context.Context) (context.Context, context.CancelFunc) {
	limit := time.Now().Add(h.MaxWait)
	if d, ok := ctx.Deadline(); ok && d.Add(-10*time.Second).Before(limit) {
		limit = d.Add(-10 * time.Second)
	}
	return context.WithDeadline(ctx, limit)
}

func (h *Handler) sleep(ctx context.Context, d time.Duration) error {
	if h.Sleep != nil {
		return h.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

func isThrottled(err error) bool {
	var le *types.LimitExceededException
	return errors.As(err, &le)
}
