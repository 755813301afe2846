// Package iamcond builds the IAM policy conditions this module's policies share, as
// plain Go values, without the CDK: the constructs render them into templates, and
// the links' validation measures policies with them.
package iamcond

import (
	"fmt"

	"github.com/crosswire/crosswire/internal/awsarn"
)

// CompactAbove is the number of roles above which RoleCondition may use one pattern
// instead of listing each role: below it, reviewers read every role ARN.
const CompactAbove = 10

// RoleCondition returns the condition that narrows the account principals of
// accounts to roleArns: ArnEquals aws:PrincipalArn with every ARN or, with more than
// CompactAbove roles where every account has exactly one and all share partition,
// path and name, ArnLike aws:PrincipalArn with one pattern whose account is "*".
// Together with the account principals the pattern admits exactly the same roles, in
// a policy that no longer grows by a role ARN per account.
func RoleCondition(accounts, roleArns []string) map[string]any {
	if pattern, ok := sharedRolePattern(accounts, roleArns); ok {
		return map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": pattern}}
	}
	return map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": anys(roleArns)}}
}

func sharedRolePattern(accounts, roleArns []string) (string, bool) {
	if len(roleArns) <= CompactAbove || len(roleArns) != len(accounts) {
		return "", false
	}
	want := map[string]bool{}
	for _, a := range accounts {
		want[a] = true
	}
	var pattern string
	for _, arn := range roleArns {
		r, err := awsarn.ParseRole(arn)
		if err != nil || !want[r.Account] {
			return "", false
		}
		delete(want, r.Account)
		p := fmt.Sprintf("arn:%s:iam::*:role%s%s", r.Partition, r.Path, r.Name)
		if pattern != "" && p != pattern {
			return "", false
		}
		pattern = p
	}
	return pattern, len(want) == 0
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = s[i]
	}
	return out
}
