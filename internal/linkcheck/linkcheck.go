// Package linkcheck holds the checks every kind of link shares: its name, prefix and
// region, the accounts on its two sides, its organization, the existing roles it is
// given and the ranges of its duration options. Each check adds problems to a list, so a link reports everything at once.
package linkcheck

import (
	"fmt"
	"github.com/crosswire/crosswire/linkkind"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/durations"
	"github.com/crosswire/crosswire/internal/problem"
)

// Report runs check, which adds the problems of the link of kind named name, and
// returns them all as one *problem.Error about `kind link "name"`, or nil when there
// is none: what every kind's Link.Validate returns.
func Report(kind, name string, check func(*problem.List)) error {
	var p problem.List
	check(&p)
	return p.Err(fmt.Sprintf("%s link %q", kind, name))
}

var namePart = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Identity checks a link's name, its name prefix and its region.
func Identity(p *problem.List, name, prefix, region string) {
	if !namePart.MatchString(name) {
		p.Addf(0, "name", "link name %q may hold only letters, digits, hyphens and underscores", name)
	}
	if prefix != "" && !namePart.MatchString(prefix) {
		p.Addf(0, "namePrefix", "name prefix %q may hold only letters, digits, hyphens and underscores", prefix)
	}
	if !awsarn.IsRegion(region) {
		p.Addf(0, "region", "region %q is not an AWS region name such as eu-west-1", region)
	}
}

// Side names one side of a link: its topology field (from, to) and what its accounts
// are called in messages (sender, receiver, producer, consumer).
type Side struct {
	Field, Role string
}

// Accounts checks the account of the side with one account and the accounts of the
// side with one or more: 12 digits each, at least one, none listed twice, and none
// on both sides. kind names the link kind in messages.
func Accounts(p *problem.List, kind string, single Side, account string, multi Side, accounts []string) {
	AccountsAndUnits(p, kind, single, account, multi, accounts, 0)
}

// AccountsAndUnits is Accounts for a side that may also name units organizational
// units: with one or more, the side needs no account of its own. An account that is
// a CDK token (the AWS::AccountId of an environment-agnostic member template) is
// not checked for its digits.
func AccountsAndUnits(p *problem.List, kind string, single Side, account string, multi Side, accounts []string, units int) {
	if !awsarn.IsAccountID(account) {
		p.Addf(0, single.Field, "%s account %q must be 12 digits", single.Role, account)
	}
	if len(accounts) == 0 && units == 0 {
		p.Addf(0, multi.Field, "a %s link needs at least one %s account", kind, multi.Role)
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		switch {
		case awsarn.IsToken(a):
		case !awsarn.IsAccountID(a):
			p.Addf(0, multi.Field, "%s account %q must be 12 digits", multi.Role, a)
		case a == account:
			p.Addf(0, multi.Field, "%s account %q is the %s account: a link crosses accounts", multi.Role, a, single.Role)
		case seen[a]:
			p.Addf(0, multi.Field, "%s account %q is listed twice", multi.Role, a)
		}
		seen[a] = true
	}
}

// Organization checks an AWS Organization ID, when one is given.
func Organization(p *problem.List, id string) {
	if id != "" && !awsarn.IsOrganizationID(id) {
		p.Addf(0, "organization", "organization ID %q must look like o-a1b2c3d4e5", id)
	}
}

// Allow checks the allow option, which says who of the other side is admitted: one of
// others or organization, and organization only with the topology's organization ID
// orgID. Messages list the values in that order.
func Allow(p *problem.List, allow, orgID, organization string, others ...string) {
	switch {
	case allow == organization:
		if orgID == "" {
			p.Addf(0, "options.allow", "allow %q needs the topology's organization ID", allow)
		}
	case !slices.Contains(others, allow):
		quoted := make([]string, len(others))
		for i, o := range others {
			quoted[i] = fmt.Sprintf("%q", o)
		}
		p.Addf(0, "options.allow", "allow %q is unknown; use %s or %q", allow, strings.Join(quoted, ", "), organization)
	}
}

// Roles checks the existing role ARNs given in option field: each an IAM role ARN in
// one of accounts (described by whose, such as "a sender account of the link") and
// in the region's partition, none listed twice.
func Roles(p *problem.List, field string, arns, accounts []string, whose, region string) {
	seen := map[string]bool{}
	for _, arn := range arns {
		r, err := awsarn.ParseRole(arn)
		switch {
		case seen[arn]:
			p.Addf(0, field, "role %q is listed twice", arn)
		case err != nil:
			p.Addf(0, field, "%v", err)
		case !slices.Contains(accounts, r.Account):
			p.Addf(0, field, "role %q is in account %s, which is not %s", arn, r.Account, whose)
		case r.Partition != awsarn.Partition(region):
			p.Addf(0, field, "role %q is in partition %s but region %s is in %s", arn, r.Partition, region, awsarn.Partition(region))
		}
		seen[arn] = true
	}
}

// Duration checks the duration option at field (such as options.maxEventAge, named in
// messages without "options."): between lo and hi, and a whole number of unit
// (time.Second, time.Minute or time.Hour). It reports whether d passed both checks.
func Duration(p *problem.List, field string, d, lo, hi, unit time.Duration) bool {
	name := strings.TrimPrefix(field, "options.")
	switch {
	case d < lo || d > hi:
		p.Addf(0, field, "%s %s must be between %s and %s", name, durations.Format(d), durations.Format(lo), durations.Format(hi))
	case d%unit != 0:
		p.Addf(0, field, "%s %s must be %s", name, durations.Format(d), wholeUnits(unit))
	default:
		return true
	}
	return false
}

// wholeUnits says what a duration must be a multiple of: "whole seconds".
func wholeUnits(unit time.Duration) string {
	switch unit {
	case time.Hour:
		return "whole hours"
	case time.Minute:
		return "whole minutes"
	case time.Second:
		return "whole seconds"
	}
	return "a multiple of " + durations.Format(unit)
}

// Units checks the organizational units of a side: each path o-.../r-.../ou-.../,
// none twice, and the side's kind able to have them (why, when not).
func Units(p *problem.List, field string, units []linkkind.Unit) {
	seen := map[string]bool{}
	for _, u := range units {
		switch {
		case !awsarn.IsOrgUnitPath(u.Path):
			p.Addf(0, field, "organizational unit %q has path %q; it must be o-.../r-.../ou-.../ with a slash at the end", u.Name, u.Path)
		case seen[u.Path]:
			p.Addf(0, field, "organizational unit %q is listed twice", u.Name)
		}
		seen[u.Path] = true
	}
}
