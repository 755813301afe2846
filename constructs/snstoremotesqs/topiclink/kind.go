package topiclink

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/linkkind"
)

// Kind is the topic kind of link (kind: topic in a topology file): exactly one sender
// account, which owns the topic, and one or more receiver accounts, each with a queue
// of its own. Its receivers option is keyed by receiver alias.
var Kind = &linkkind.Kind{
	Name: "topic", Construct: "SnsToRemoteSqs", Decode: decode,
	UnitSide: "to",
	NoUnits:  "the sender owns the topic, so it is exactly one account; only the receivers can be organizational units",
}

// The roles of the halves of a topic link.
const (
	// RoleSender is the topic, its key, its policy and the publisher role.
	RoleSender = "sender"
	// RoleReceiver is a receiver account's queue and its policy.
	RoleReceiver = "receiver"
	// RoleSubscription is a receiver account's subscription to the topic.
	RoleSubscription = "subscription"
)

func decode(d *linkkind.Decoder) linkkind.Link {
	var o Options
	rest := d.Options(&o, "receivers")
	one := d.OneAccount("from", "a topic link comes from exactly one account, the topic's")
	h := d.Header
	if n, ok := rest["receivers"]; ok {
		o.Receivers = map[string]ReceiverOptions{}
		d.ByAccount("receivers", n, h.To, "receiver", func(a linkkind.Account, v *yaml.Node, where string) bool {
			var ro ReceiverOptions
			ok := d.Decode(v, &ro, where)
			o.Receivers[a.ID] = ro
			return ok
		})
	}
	l := Link{
		Name:             h.Name,
		NamePrefix:       h.Prefix,
		Region:           h.RegionOf(linkkind.First(h.From)),
		SenderAccount:    linkkind.First(h.From),
		ReceiverAccounts: linkkind.IDs(h.To),
		ReceiverUnits:    h.ToUnits,
		OrganizationID:   h.Organization,
		Options:          o,
	}
	l.ReceiverRegions = linkkind.Regions(h.To, l.Region)
	return linkkind.Finish(d, l, one)
}

// Halves returns the halves of l that account holds: the sender half (main stack) in
// the topic's account; in each receiver account the receiver half (main stack) and
// the subscription (wiring stack), which SNS accepts only once the topic and its
// policy exist, so it needs the sender's main stack.
func (l Link) Halves(account string) []linkkind.Half {
	switch {
	case account == l.SenderAccount:
		return []linkkind.Half{{Account: account, Role: RoleSender, Region: l.Region}}
	case slices.Contains(l.ReceiverAccounts, account):
		// The subscription is in the receiver's wiring stack, in the receiver's region:
		// its Region property names the topic's region, where CloudFormation creates it.
		r := l.ReceiverRegion(account)
		return []linkkind.Half{
			{Account: account, Role: RoleReceiver, Region: r, AccountOptions: l.Receivers[account]},
			{Account: account, Role: RoleSubscription, Phase: linkkind.Wiring, Needs: []string{l.SenderAccount}, Region: r, AccountOptions: l.Receivers[account]},
		}
	}
	return nil
}

// AccessMode is who may subscribe: accounts or organization.
func (l Link) AccessMode() string { return string(l.WithDefaults().Allow) }

// Silent reports whether the halves of role have no alarm (linkkind.Silent): the failures of a subscription show on the topic and on the subscription dead-letter queue, which the sender and receiver halves watch.
func (l Link) Silent(role string) bool { return role == RoleSubscription }

// Units returns the organizational units that receive (linkkind.Organizational).
func (l Link) Units() []linkkind.Unit { return l.ReceiverUnits }

// MemberHalves returns the halves of every member account of ReceiverUnits: the
// receiver half (its queues) and the subscription, which needs the sender's main
// stack (the topic and its policy).
func (l Link) MemberHalves() []linkkind.Half {
	if len(l.ReceiverUnits) == 0 {
		return nil
	}
	return []linkkind.Half{
		{Role: RoleReceiver},
		{Role: RoleSubscription, Phase: linkkind.Wiring, Needs: []string{l.SenderAccount}},
	}
}

// ForMember returns l as a member account's halves are built from it: account is its
// only receiver, with the default receiver options and no alarms, and its queues,
// which are kept when the account leaves, end in suffix.
func (l Link) ForMember(account, region, suffix string) linkkind.Link {
	l.ReceiverAccounts = []string{account}
	l.ReceiverRegions = linkkind.MemberRegions(account, region, l.Region)
	l.ReceiverUnits = nil
	l.Receivers = nil
	l.ReceiverSuffix = suffix
	l.AlarmOptions = linkkind.NoAlarms()
	return l
}
