package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

const (
	streamArn   = "arn:aws:kinesis:ap-northeast-1:111111111111:stream/clickstream"
	consumerArn = streamArn + "/consumer/clickstream-333333333333:1706616477"
	lookupRole  = "arn:aws:iam::111111111111:role/clickstream-lookup"
)

// reply is one answer of the fake Kinesis client.
type reply struct {
	status types.ConsumerStatus
	err    error
}

// fakeKinesis answers DescribeStreamConsumer with its replies in order and records the
// requests it got.
type fakeKinesis struct {
	replies []reply
	calls   []kinesis.DescribeStreamConsumerInput
}

func (f *fakeKinesis) DescribeStreamConsumer(_ context.Context, in *kinesis.DescribeStreamConsumerInput, _ ...func(*kinesis.Options)) (*kinesis.DescribeStreamConsumerOutput, error) {
	f.calls = append(f.calls, *in)
	r := f.replies[min(len(f.calls), len(f.replies))-1]
	if r.err != nil {
		return nil, r.err
	}
	arn, name := consumerArn, *in.ConsumerName
	return &kinesis.DescribeStreamConsumerOutput{ConsumerDescription: &types.ConsumerDescription{
		ConsumerARN: &arn, ConsumerName: &name, ConsumerStatus: r.status, StreamARN: in.StreamARN,
	}}, nil
}

// harness builds a handler around a fake client; it records the role the client was
// made for and the pauses taken, and stops waiting after maxSleeps pauses.
type harness struct {
	h        *Handler
	fake     *fakeKinesis
	role     *string
	sleeps   int
	clientFn int
}

func newHarness(maxSleeps int, replies ...reply) *harness {
	hs := &harness{fake: &fakeKinesis{replies: replies}}
	hs.h = &Handler{
		Client: func(_ context.Context, roleArn string) (API, error) {
			hs.clientFn++
			hs.role = &roleArn
			return hs.fake, nil
		},
		Logger:       slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil)),
		PollInterval: time.Second,
		MaxWait:      time.Minute,
		Sleep: func(ctx context.Context, d time.Duration) error {
			hs.sleeps++
			if hs.sleeps > maxSleeps {
				return context.DeadlineExceeded
			}
			return nil
		},
	}
	return hs
}

func createEvent() cfn.Event {
	return cfn.Event{
		RequestType:  cfn.RequestCreate,
		ResourceType: "Custom::KinesisConsumerArn",
		ResourceProperties: map[string]any{
			"ServiceToken": "arn:aws:lambda:ap-northeast-1:333333333333:function:framework",
			"StreamArn":    streamArn, "ConsumerName": "clickstream-333333333333", "LookupRoleArn": lookupRole,
		},
	}
}

func TestCreateWaitsUntilTheConsumerIsActive(t *testing.T) {
	// GIVEN a consumer that is CREATING twice, then ACTIVE
	hs := newHarness(10, reply{status: types.ConsumerStatusCreating}, reply{status: types.ConsumerStatusCreating}, reply{status: types.ConsumerStatusActive})

	// WHEN the custom resource is created
	resp, err := hs.h.Handle(context.Background(), createEvent())

	// THEN the ARN is the physical ID and the ConsumerArn attribute, found through the
	// producer account's lookup role by stream ARN and consumer name, after two pauses
	if err != nil {
		t.Fatal(err)
	}
	if resp.PhysicalResourceID != consumerArn || resp.Data["ConsumerArn"] != consumerArn {
		t.Errorf("response %+v, want physical ID and ConsumerArn %s", resp, consumerArn)
	}
	if hs.role == nil || *hs.role != lookupRole {
		t.Errorf("client made for role %v, want %s", hs.role, lookupRole)
	}
	if len(hs.fake.calls) != 3 || hs.sleeps != 2 {
		t.Errorf("%d calls and %d pauses, want 3 and 2", len(hs.fake.calls), hs.sleeps)
	}
	in := hs.fake.calls[0]
	if *in.StreamARN != streamArn || *in.ConsumerName != "clickstream-333333333333" || in.ConsumerARN != nil {
		t.Errorf("request %+v, want stream ARN and consumer name only", in)
	}
}

func TestUpdateRetriesThrottlingAndUsesTheFunctionsOwnCredentialsWithoutRole(t *testing.T) {
	// GIVEN a throttled first call, then an ACTIVE consumer, and no lookup role
	hs := newHarness(10, reply{err: &types.LimitExceededException{}}, reply{status: types.ConsumerStatusActive})
	e := createEvent()
	e.RequestType = cfn.RequestUpdate
	delete(e.ResourceProperties, "LookupRoleArn")

	// WHEN the custom resource is updated
	resp, err := hs.h.Handle(context.Background(), e)

	// THEN the throttled call is retried and the client acts as the function itself
	if err != nil || resp.PhysicalResourceID != consumerArn {
		t.Fatalf("Handle = %+v, %v; want %s", resp, err, consumerArn)
	}
	if hs.role == nil || *hs.role != "" {
		t.Errorf("client made for role %v, want none", hs.role)
	}
}

func TestCreateFails(t *testing.T) {
	tests := []struct {
		name     string
		replies  []reply
		change   func(*cfn.Event)
		want     []string
		maxCalls int
	}{
		{
			name:     "consumer not registered yet",
			replies:  []reply{{err: &types.ResourceNotFoundException{Message: strPtr("Consumer not found")}}},
			want:     []string{`consumer "clickstream-333333333333" of stream ` + streamArn + " does not exist", "deploy the producer account's stack"},
			maxCalls: 1,
		},
		{
			name:     "consumer being deleted",
			replies:  []reply{{status: types.ConsumerStatusDeleting}},
			want:     []string{"is being deleted"},
			maxCalls: 1,
		},
		{
			name:     "consumer never becomes active",
			replies:  []reply{{status: types.ConsumerStatusCreating}},
			want:     []string{"is not ACTIVE (last status CREATING) after 4 attempts"},
			maxCalls: 4,
		},
		{
			name:     "access denied",
			replies:  []reply{{err: errors.New("AccessDeniedException: not authorized")}},
			want:     []string{"describe consumer", "AccessDeniedException"},
			maxCalls: 1,
		},
		{
			name:    "properties missing",
			replies: []reply{{status: types.ConsumerStatusActive}},
			change: func(e *cfn.Event) {
				e.ResourceProperties = map[string]any{"StreamArn": "clickstream"}
			},
			want: []string{`StreamArn (a Kinesis stream ARN, got "clickstream") and ConsumerName`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a consumer in this state
			hs := newHarness(3, tt.replies...)
			e := createEvent()
			if tt.change != nil {
				tt.change(&e)
			}

			// WHEN the custom resource is created
			_, err := hs.h.Handle(context.Background(), e)

			// THEN creation fails with a message that says what to do, after no more calls
			// than needed
			if err == nil {
				t.Fatal("Handle succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if len(hs.fake.calls) != tt.maxCalls {
				t.Errorf("%d calls, want %d", len(hs.fake.calls), tt.maxCalls)
			}
		})
	}
}

func TestDeleteLeavesTheConsumerAlone(t *testing.T) {
	// GIVEN a created custom resource
	hs := newHarness(0, reply{err: errors.New("must not be called")})
	e := createEvent()
	e.RequestType, e.PhysicalResourceID = cfn.RequestDelete, consumerArn

	// WHEN it is deleted
	resp, err := hs.h.Handle(context.Background(), e)

	// THEN nothing is called and the physical ID is kept
	if err != nil || resp.PhysicalResourceID != consumerArn {
		t.Errorf("Handle = %+v, %v; want physical ID %s", resp, err, consumerArn)
	}
	if hs.clientFn != 0 || len(hs.fake.calls) != 0 {
		t.Errorf("%d clients and %d calls on delete, want none", hs.clientFn, len(hs.fake.calls))
	}
}

func TestBudgetKeepsTimeToReport(t *testing.T) {
	// GIVEN an invocation with 30 seconds left and a handler allowed to wait a minute
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := &Handler{MaxWait: time.Minute}

	// WHEN the wait's budget is computed
	bctx, bcancel := h.budget(ctx)
	defer bcancel()

	// THEN it ends ten seconds before the invocation does
	d, _ := bctx.Deadline()
	if left := time.Until(d); left > 21*time.Second || left < 15*time.Second {
		t.Errorf("budget %s, want about 20s", left)
	}
}

func TestSleepStopsWhenTheContextEnds(t *testing.T) {
	// GIVEN a context that has ended
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// WHEN the default sleep waits an hour
	err := (&Handler{}).sleep(ctx, time.Hour)
	// THEN it returns at once with the context's error
	if !errors.Is(err, context.Canceled) {
		t.Errorf("sleep = %v, want context.Canceled", err)
	}
}

func strPtr(s string) *string { return &s }
