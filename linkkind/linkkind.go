// Package linkkind is what every kind of link offers the topology, the stacks and the
// smoke test, without the CDK. A kind is one folder under constructs/: its CDK-free
// description package exports one *Kind value (how the topology file's link of that
// kind is decoded and validated), and its Link type says which halves exist for an
// account, in which phase, and which accounts' main stacks each needs. The registries
// (topology.Kinds, stacks.Builders, the smoke test's channels) list the kinds one line
// each; nothing outside a kind's folder switches on the kind.
package linkkind

// Phase says which of an account's stacks a half belongs in.
type Phase int

const (
	// Main halves deploy in any order with respect to other accounts.
	Main Phase = iota
	// Wiring halves use resources of other accounts' main stacks at deploy time.
	Wiring
)

// Account is one account of a topology: the alias the file names it by and its
// 12-digit ID ("" when the alias is unknown). On a link's side, Region is the region
// the account takes part in the link from: the side's own region, else the account's,
// else the topology's.
type Account struct {
	Alias, ID string
	// Region of the account's half of a link, or "" for the Header's Region.
	Region string
}

// Header is what every link has, whatever its kind.
type Header struct {
	// Name is the link's name, from which every physical name is derived.
	Name string
	// Prefix goes in front of every physical name: the topology's namePrefix and a
	// hyphen, or "".
	Prefix string
	// Region is the topology's default region; each side's Account.Region, when set,
	// wins over it.
	Region string
	// Organization is the AWS Organization ID (o-...), or "".
	Organization string
	// From and To are the accounts on the link's two sides, in the order of the file.
	From, To []Account
	// FromUnits and ToUnits are the organizational units on the link's two sides
	// (linkkind.Organizational), in the order of the file; only on the side the
	// kind's UnitSide names.
	FromUnits, ToUnits []Unit
}

// RegionOf returns the region of account id's side of the link: its Account.Region,
// or Region when that is "" or id takes no part in the link.
func (h Header) RegionOf(id string) string {
	for _, a := range append(append([]Account(nil), h.From...), h.To...) {
		if a.ID == id && a.Region != "" {
			return a.Region
		}
	}
	return h.Region
}

// Regions returns the region of each account of accounts that differs from def,
// keyed by account ID, or nil when every account is in def: what a kind's Link keeps
// to know the region of each side.
func Regions(accounts []Account, def string) map[string]string {
	var out map[string]string
	for _, a := range accounts {
		if a.Region != "" && a.Region != def {
			if out == nil {
				out = map[string]string{}
			}
			out[a.ID] = a.Region
		}
	}
	return out
}

// RegionIn returns regions[id], or def when regions has no entry for id.
func RegionIn(regions map[string]string, id, def string) string {
	if r, ok := regions[id]; ok {
		return r
	}
	return def
}

// IDs returns the account IDs of accounts, in order.
func IDs(accounts []Account) []string {
	out := make([]string, len(accounts))
	for i, a := range accounts {
		out[i] = a.ID
	}
	return out
}

// Half is one account's part of one link.
type Half struct {
	// Account is the ID of the account whose stack holds the half.
	Account string
	// Role names the half within its kind, as the kind's builder knows it (for example
	// "receiver", "sender", "subscription").
	Role string
	// Phase is the stack the half belongs in.
	Phase Phase
	// Region of the stack that holds the half; "" means the account's region in the
	// link's Header (Header.RegionOf).
	Region string
	// Needs are the IDs of the accounts whose main stacks must be deployed before
	// this half (never the half's own account: its main stack always comes first).
	Needs []string
	// AlarmTopic is the ARN of an existing SNS topic the half's alarms notify, set by
	// the stacks from the topology's alarms.topics; "" means the account's alarm topic
	// (AlarmTopicArn).
	AlarmTopic string
	// Member is true for the half of a member account of an organizational unit
	// (Organizational.MemberHalves), built into an environment-agnostic template:
	// the builder sets the halves' EnvironmentAgnostic, and Account is the
	// template's AWS::AccountId.
	Member bool
	// AccountOptions are the options the link sets for the half's account alone (a
	// topic receiver's delivery options, a stream consumer's consumer ARN), nil when it
	// sets none. Two accounts whose halves of a link are equal but for Account must
	// build the same resources with only the account's ID and alias changed: the
	// stacks build one account's templates and write the other's from them
	// (stacks/replicas.go). A kind whose halves depend on anything else about their
	// account puts it here.
	AccountOptions any
}

// Link is one link of some kind, validated and with its defaults applied.
type Link interface {
	// Halves returns the halves of the link that the account holds, in build order;
	// none when the account takes no part in it.
	Halves(account string) []Half
}

// Moded is a Link that says how it crosses accounts, in a word, for diagrams and
// reports: a queue's access (queue-policy, assume-role), a bus's mode, who may
// subscribe to a topic.
type Moded interface {
	Link
	AccessMode() string
}

// PrivateTarget is something a sender account's producers reach through an
// interface VPC endpoint of their own account, for privateaccess.
type PrivateTarget struct {
	// Service is the endpoint's AWS service name, such as "sqs".
	Service string
	// Actions the endpoint policy allows on Resource.
	Actions []string
	// Resource is the ARN of the resource in the other account.
	Resource string
	// AssumeRoleArn is the role of the other account that the producers assume (through
	// the STS endpoint) before they call Service, or "" when they call as principals of
	// their own account.
	AssumeRoleArn string
}

// PrivateSender is a Link whose sender halves can reach the other account through
// interface VPC endpoints, so that a sender account without internet access (the
// topology's privateAccess) can take part in it.
type PrivateSender interface {
	Link
	// PrivateTargets returns what the sender account reaches, in link order.
	PrivateTargets(account string) []PrivateTarget
	// WithSourceVpce returns the link with its grants to senders pinned to the given
	// endpoints of its Kind's PrivateService (aws:SourceVpce), unless the link names
	// endpoints of its own.
	WithSourceVpce(ids []string) Link
}

// Kind is one kind of link, as the topology file and the deploy plan know it.
type Kind struct {
	// Name is the kind as the topology file writes it (kind: queue).
	Name string
	// Construct names the construct that builds its halves, for messages and docs.
	Construct string
	// PrivateService is the interface endpoint service through which the kind's
	// senders reach the other account (its links are then PrivateSenders), or "".
	PrivateService string
	// Decode builds the link from its header and options, reporting every problem it
	// finds through the decoder; it returns nil when the link cannot be built.
	Decode func(d *Decoder) Link
	// UnitSide is the side ("from" or "to") that may name organizational units
	// beside account aliases: the side whose accounts each hold the same halves,
	// which a StackSet can roll out. Default: "", no side may.
	UnitSide string
	// NoUnits says why the other side, or with UnitSide "" either side, cannot name
	// an organizational unit; the topology quotes it when a file does.
	NoUnits string
}
