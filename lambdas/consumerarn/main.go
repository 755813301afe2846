// Command consumerarn is the onEvent handler of the custom resource
// Custom::KinesisConsumerArn, run by the CDK Provider framework in the consumer account
// of a Kinesis stream link. It finds the ARN of the link's enhanced fan-out consumer,
// which the producer account registered and which ends in a creation timestamp no
// other account can compute, waits until the consumer is ACTIVE, and returns the ARN
// as the attribute ConsumerArn, so that the event source mapping needs no ARN copied
// by hand.
//
// Resource properties: StreamArn and ConsumerName name the consumer; LookupRoleArn,
// when set, is a role in the producer account that the handler assumes to describe
// the consumer there. Kinesis answers DescribeStreamConsumer by stream ARN and consumer
// name only within the stream's account: a cross-account call must give the
// consumer's ARN, which is what is being looked for.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	h := &Handler{
		Client:       newClient,
		Logger:       slog.New(slog.NewJSONHandler(os.Stdout, nil)),
		PollInterval: 5 * time.Second,
		MaxWait:      4 * time.Minute,
	}
	lambda.Start(func(ctx context.Context, e cfn.Event) (Response, error) {
		return h.Handle(ctx, e)
	})
}

// newClient returns a Kinesis client with the function's credentials, or with those of
// roleArn when it is set.
func newClient(ctx context.Context, roleArn string) (API, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	if roleArn != "" {
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleArn,
			func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "crosswire-consumer-arn" }))
	}
	return kinesis.NewFromConfig(cfg), nil
}
