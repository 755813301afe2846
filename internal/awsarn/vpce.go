package awsarn

import (
	"fmt"
	"regexp"
	"strings"
)

// This file holds what producers in a VPC without internet access need to name: the
// regional endpoints that the private DNS of an interface VPC endpoint covers, the
// legacy SQS endpoint that it does not cover, and the IDs of VPCs, subnets and VPC
// endpoints.

// SQSEndpoint returns the URL of the current regional SQS endpoint of region,
// https://sqs.<region>.amazonaws.com (amazonaws.com.cn in China). The private DNS of an
// SQS interface VPC endpoint answers for this name with the endpoint's private
// addresses.
func SQSEndpoint(region string) string { return "https://" + ServiceHost("sqs", region) }

// STSEndpoint returns the URL of the regional STS endpoint of region,
// https://sts.<region>.amazonaws.com (amazonaws.com.cn in China), which the private DNS
// of an STS interface VPC endpoint covers (the global sts.amazonaws.com is not).
func STSEndpoint(region string) string { return "https://" + ServiceHost("sts", region) }

// LegacySQSHost returns the legacy SQS host of region, <region>.queue.amazonaws.com.
// Old clients (AWS CLI v1 before 2019, for example) still use it. The private DNS of an
// SQS interface VPC endpoint does not cover it: in a VPC without internet access a
// request to it times out.
func LegacySQSHost(region string) string {
	return fmt.Sprintf("%s.queue.%s", region, DNSSuffix(region))
}

var legacySQSHost = regexp.MustCompile(`^(?:[a-z]{2}(?:-gov)?-[a-z]+-[0-9]{1,2}\.)?queue\.amazonaws\.com(?:\.cn)?$`)

// IsLegacySQSHost reports whether host (without port) is a legacy SQS endpoint host:
// queue.amazonaws.com or <region>.queue.amazonaws.com (.cn in China).
func IsLegacySQSHost(host string) bool { return legacySQSHost.MatchString(strings.ToLower(host)) }

var (
	vpcID         = regexp.MustCompile(`^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetID      = regexp.MustCompile(`^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	vpcEndpointID = regexp.MustCompile(`^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	vpceDNSName   = regexp.MustCompile(`^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})-[0-9a-z]{8}(?:-[a-z]{2}(?:-gov)?-[a-z]+-[0-9]{1,2}[a-z])?\.([a-z0-9-]+)\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9]{1,2})\.vpce\.amazonaws\.com(?:\.cn)?$`)
)

// IsVPCID reports whether s has the form of a VPC ID (vpc- and 8 or 17 hex digits).
func IsVPCID(s string) bool { return vpcID.MatchString(s) }

// IsSubnetID reports whether s has the form of a subnet ID (subnet- and 8 or 17 hex
// digits).
func IsSubnetID(s string) bool { return subnetID.MatchString(s) }

// IsVPCEndpointID reports whether s has the form of a VPC endpoint ID (vpce- and 8 or
// 17 hex digits), the value of an aws:SourceVpce condition.
func IsVPCEndpointID(s string) bool { return vpcEndpointID.MatchString(s) }

// VPCEndpointDNSName parses an endpoint-specific DNS name of an interface VPC endpoint,
// such as vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.ap-northeast-1.vpce.amazonaws.com (or the
// zonal form with -ap-northeast-1a after the suffix), and returns its service and
// region. ok is false when host is no such name.
func VPCEndpointDNSName(host string) (service, region string, ok bool) {
	m := vpceDNSName.FindStringSubmatch(strings.ToLower(host))
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
