package awsarn

import "fmt"

// Topic returns the ARN of the SNS topic name (with .fifo for a FIFO topic) in account
// and region.
func Topic(region, account, name string) string {
	return fmt.Sprintf("arn:%s:sns:%s:%s:%s", Partition(region), region, account, name)
}
