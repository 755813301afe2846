package awsarn

import "slices"

// snsDefaultRegions are the regions of the aws partition that are not opt-in regions
// for Amazon SNS: those launched before March 20, 2019, less Osaka (ap-northeast-3),
// which the SNS developer guide lists among its opt-in regions
// (https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html).
var snsDefaultRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// IsSNSOptInRegion reports whether region is an opt-in region of the aws partition
// for Amazon SNS cross-region delivery: one whose SNS delivers to another region as
// the regional service principal sns.<region>.amazonaws.com.
func IsSNSOptInRegion(region string) bool {
	return Partition(region) == "aws" && !slices.Contains(snsDefaultRegions, region)
}

// SNSPrincipal returns the SNS service principal that delivers from a topic in
// topicRegion to a queue in queueRegion: sns.amazonaws.com, or
// sns.<topicRegion>.amazonaws.com when the topic is in an opt-in region and the queue
// in another region (SNS developer guide, "Sending Amazon SNS messages to an Amazon
// SQS queue or AWS Lambda function in a different Region").
func SNSPrincipal(topicRegion, queueRegion string) string {
	if topicRegion != queueRegion && IsSNSOptInRegion(topicRegion) {
		return "sns." + topicRegion + ".amazonaws.com"
	}
	return "sns.amazonaws.com"
}
