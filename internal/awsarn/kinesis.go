package awsarn

import (
	"fmt"
	"regexp"
)

// KinesisStream returns the ARN of the Kinesis data stream name in account and region.
func KinesisStream(region, account, name string) string {
	return fmt.Sprintf("arn:%s:kinesis:%s:%s:stream/%s", Partition(region), region, account, name)
}

// KinesisConsumerByName returns the resource ARN that IAM authorizes a
// DescribeStreamConsumer call against when the caller names the consumer by stream ARN
// and consumer name: the consumer's ARN without its creation timestamp,
// arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<consumer>. The ARN
// Kinesis returns for a registered consumer always ends in ":<timestamp>".
func KinesisConsumerByName(region, account, stream, consumer string) string {
	return KinesisStream(region, account, stream) + "/consumer/" + consumer
}

// KinesisConsumerWildcard returns the pattern of every registration of the consumer
// name on stream: KinesisConsumerByName followed by ":*", for the creation timestamp
// that Kinesis appends when the consumer is registered.
func KinesisConsumerWildcard(region, account, stream, consumer string) string {
	return KinesisConsumerByName(region, account, stream, consumer) + ":*"
}

var (
	kinesisName     = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)
	kinesisConsumer = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):kinesis:([a-z0-9-]+):([0-9]{12}):stream/([a-zA-Z0-9_.-]{1,128})/consumer/([a-zA-Z0-9_.-]{1,128}):([0-9]+)$`)
)

// IsKinesisName reports whether s is a valid Kinesis stream or consumer name: 1 to 128
// letters, digits, underscores, periods and hyphens.
func IsKinesisName(s string) bool { return kinesisName.MatchString(s) }

// KinesisConsumerARN is a parsed ARN of a registered Kinesis stream consumer.
type KinesisConsumerARN struct {
	Partition, Region, Account, Stream, Consumer, CreationTimestamp string
}

// StreamARN returns the ARN of the stream the consumer is registered with.
func (c KinesisConsumerARN) StreamARN() string {
	return fmt.Sprintf("arn:%s:kinesis:%s:%s:stream/%s", c.Partition, c.Region, c.Account, c.Stream)
}

// ParseKinesisConsumer parses the ARN of a registered stream consumer, such as
// arn:aws:kinesis:eu-west-1:111111111111:stream/clicks/consumer/analytics:1706616477.
func ParseKinesisConsumer(arn string) (KinesisConsumerARN, error) {
	m := kinesisConsumer.FindStringSubmatch(arn)
	if m == nil {
		return KinesisConsumerARN{}, fmt.Errorf("%q is not the ARN of a registered Kinesis stream consumer "+
			"(arn:aws:kinesis:<region>:<12 digits>:stream/<stream>/consumer/<name>:<creation timestamp>)", arn)
	}
	return KinesisConsumerARN{Partition: m[1], Region: m[2], Account: m[3], Stream: m[4], Consumer: m[5], CreationTimestamp: m[6]}, nil
}
