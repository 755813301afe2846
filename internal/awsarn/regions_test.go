package awsarn

import (
	"slices"
	"testing"
)

func TestKnownRegionsComeFromThePartitionMetadata(t *testing.T) {
	// GIVEN region names of each partition, a made-up one and a global pseudo-region
	// WHEN each is checked
	// THEN only the partitions' real regions are known
	for region, want := range map[string]bool{
		"eu-west-1": true, "ap-east-1": true, "cn-north-1": true, "us-gov-west-1": true,
		"eu-moon-1": false, "aws-global": false, "us-iso-east-1": false,
	} {
		if got := IsKnownRegion(region); got != want {
			t.Errorf("IsKnownRegion(%q) = %v, want %v", region, got, want)
		}
	}
	// AND each partition lists its own regions, sorted
	cn := KnownRegions("aws-cn")
	if !slices.Equal(cn, []string{"cn-north-1", "cn-northwest-1"}) {
		t.Errorf("aws-cn regions: %v", cn)
	}
}

func TestSNSPrincipalAcrossRegions(t *testing.T) {
	// GIVEN topic and queue regions: same region, both enabled by default, topic in
	// an opt-in region
	cases := []struct{ topic, queue, want string }{
		{"ap-east-1", "ap-east-1", "sns.amazonaws.com"},
		{"eu-central-1", "eu-west-1", "sns.amazonaws.com"},
		{"ap-east-1", "eu-west-1", "sns.ap-east-1.amazonaws.com"},
	}
	for _, c := range cases {
		// WHEN the principal delivering from the topic to the queue is asked for
		// THEN it is regional only from an opt-in region to another region
		if got := SNSPrincipal(c.topic, c.queue); got != c.want {
			t.Errorf("SNSPrincipal(%s, %s) = %s, want %s", c.topic, c.queue, got, c.want)
		}
	}
}
