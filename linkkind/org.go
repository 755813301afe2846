package linkkind

import (
	"slices"
	"strings"
)

// Unit is an organizational unit of the topology's AWS Organization named on one side
// of a link (issue 13): every member account of the unit, and of the units below it,
// takes part in the link through a service-managed StackSet, not by alias.
type Unit struct {
	// Name is the unit's name in the topology file (organizationalUnits).
	Name string
	// Path is the unit's path of IDs from the organization:
	// o-.../r-.../ou-.../(ou-.../)*, ending in a slash.
	Path string
	// Region is where the unit's accounts hold their halves: the region the link's
	// side names for the unit ({account: unit, region: r}), or the topology's.
	Region string
}

// MemberRegions returns the regions of a side whose only account is a member account
// in region, for a Link whose resource is in def (see Regions): nil when they are the
// same.
func MemberRegions(account, region, def string) map[string]string {
	if region == def {
		return nil
	}
	return map[string]string{account: region}
}

// ID returns the ID of the unit itself (ou-...): the last segment of its path.
func (u Unit) ID() string {
	segs := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	return segs[len(segs)-1]
}

// PrincipalOrgPath is the value that matches, with ForAnyValue:StringLike on the
// multivalued aws:PrincipalOrgPaths, a principal of an account in the unit or in any
// unit below it: the unit's path followed by *.
func (u Unit) PrincipalOrgPath() string { return u.Path + "*" }

// UnitRegions returns the distinct regions of units, in order.
func UnitRegions(units []Unit) []string {
	var out []string
	for _, u := range units {
		if !slices.Contains(out, u.Region) {
			out = append(out, u.Region)
		}
	}
	return out
}

// Paths returns the PrincipalOrgPath of each unit, in order.
func Paths(units []Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.PrincipalOrgPath()
	}
	return out
}

// Organizational is a Link with an organizational unit on its enumerated side's
// other side (a queue's or a bus's senders, a topic's receivers). Every member account
// of the units gets the same halves from one environment-agnostic template rolled out
// by a service-managed StackSet; the enumerated side admits the units by
// aws:PrincipalOrgPaths and the name patterns of those halves.
type Organizational interface {
	Link
	// Units returns the organizational units of the link, in the order of the file.
	Units() []Unit
	// MemberHalves returns the halves every member account of the units holds, with
	// Account empty; Needs name listed accounts (by ID) whose main stacks must exist
	// before the stack set deploys.
	MemberHalves() []Half
	// ForMember returns the link as a member account's halves are built from it:
	// account (the template's AWS::AccountId, a CDK token) is the only account on
	// the units' side, in region (the unit's), alarms are off (member accounts have
	// no alarm topic), and names that a kept resource of an earlier stack instance
	// would hold end in suffix (a token unique to the stack instance).
	ForMember(account, region, suffix string) Link
}

// Marker is what a member template leaves in its account for the smoke test, as an
// SSM parameter named MarkerName: member accounts cannot ask AWS Organizations
// which unit they are in, nor find their links in the topology.
type Marker struct {
	// Link and Kind name the link.
	Link string `json:"link"`
	Kind string `json:"kind"`
	// Unit is the organizational unit the stack set targets.
	Unit string `json:"unit"`
	// Role is the half the account holds (sender, receiver).
	Role string `json:"role"`
	// Topology is the topology file the template was synthesized from.
	Topology string `json:"topology"`
}

// MarkerPrefix is the SSM parameter path under which member templates leave their
// markers.
const MarkerPrefix = "/crosswire/links/"

// MarkerName is the SSM parameter name of the marker of a link: /crosswire/links/[prefix]link.
func MarkerName(prefix, link string) string { return MarkerPrefix + prefix + link }
