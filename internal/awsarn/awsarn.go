// Package awsarn computes the ARNs and names of resources in other accounts. Every
// half of a link builds the other half's ARNs from the link alone, so no stack ever
// needs a CloudFormation export or a lookup in another account.
package awsarn

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Partition returns the AWS partition of region: aws-cn for China, aws-us-gov for
// GovCloud, aws otherwise.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

// DNSSuffix returns the DNS suffix of the partition of region.
func DNSSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// Role returns the ARN of the IAM role name (with path "/") in account.
func Role(region, account, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", Partition(region), account, name)
}

// AccountRoot returns the ARN of account's root principal.
func AccountRoot(region, account string) string {
	return fmt.Sprintf("arn:%s:iam::%s:root", Partition(region), account)
}

// Queue returns the ARN of the SQS queue name in account and region.
func Queue(region, account, name string) string {
	return fmt.Sprintf("arn:%s:sqs:%s:%s:%s", Partition(region), region, account, name)
}

// QueueURL returns the URL of the SQS queue name on the current regional endpoint
// (sqs.<region>.amazonaws.com, never the legacy <region>.queue.amazonaws.com).
func QueueURL(region, account, name string) string {
	return fmt.Sprintf("https://sqs.%s.%s/%s/%s", region, DNSSuffix(region), account, name)
}

// KeyWildcard returns the ARN pattern of every KMS key in account and region. It is
// used where the key ID is generated in another account and conditions narrow it.
func KeyWildcard(region, account string) string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/*", Partition(region), region, account)
}

// ServiceHost returns the regional host name of an AWS service, such as
// sqs.eu-west-1.amazonaws.com, as used in kms:ViaService conditions.
func ServiceHost(service, region string) string {
	return fmt.Sprintf("%s.%s.%s", service, region, DNSSuffix(region))
}

var (
	accountID = regexp.MustCompile(`^[0-9]{12}$`)
	region    = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]{1,2}$`)
	orgID     = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	roleARN   = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}):role/((?:[\x21-\x7e]*/)?)([\w+=,.@-]{1,64})$`)
)

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool { return accountID.MatchString(s) }

// IsRegion reports whether s has the form of an AWS region name, such as eu-west-1,
// in the aws, aws-cn or aws-us-gov partition (the ones Partition knows).
func IsRegion(s string) bool { return region.MatchString(s) }

// IsKnownRegion reports whether s is a region of the aws, aws-cn or aws-us-gov
// partition, as listed by aws-sdk-go-v2's partition metadata (regions_gen.go; go run
// ./internal/awsarn/gen refreshes it).
func IsKnownRegion(s string) bool {
	_, ok := regions[s]
	return ok
}

// KnownRegions returns the regions of the partition of region, sorted, for messages.
func KnownRegions(partition string) []string {
	var out []string
	for r, p := range regions {
		if p == partition {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// IsOrganizationID reports whether s has the form of an AWS Organizations ID (o-...).
func IsOrganizationID(s string) bool { return orgID.MatchString(s) }

// RoleARN is a parsed IAM role ARN.
type RoleARN struct {
	Partition, Account, Path, Name string
}

// ParseRole parses an IAM role ARN such as arn:aws:iam::111111111111:role/app/producer.
func ParseRole(arn string) (RoleARN, error) {
	m := roleARN.FindStringSubmatch(arn)
	if m == nil {
		return RoleARN{}, fmt.Errorf("%q is not an IAM role ARN (arn:aws:iam::<12 digits>:role/[path/]<name>)", arn)
	}
	p := "aws" + m[1]
	return RoleARN{Partition: p, Account: m[2], Path: "/" + m[3], Name: m[4]}, nil
}

var orgUnitPath = regexp.MustCompile(`^o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)+$`)

// IsOrgUnitPath reports whether s is an organizational unit's path of IDs from the
// organization as aws:PrincipalOrgPaths writes it: o-.../r-.../ou-.../(ou-.../)*.
func IsOrgUnitPath(s string) bool { return orgUnitPath.MatchString(s) }

// IsToken reports whether s holds an unresolved CDK token (the string form of, for
// example, AWS::AccountId in an environment-agnostic template), which checks of
// values skip.
func IsToken(s string) bool { return strings.Contains(s, "${Token[") }
