package buslink

import (
	"slices"

	"github.com/crosswire/crosswire/linkkind"
)

// Kind is the bus kind of link (kind: bus in a topology file): rules in one or more
// sender accounts forward events to exactly one receiver account's bus or, in direct
// mode, target.
var Kind = &linkkind.Kind{
	Name: "bus", Construct: "BusToBus", Decode: decode,
	UnitSide: "from",
	NoUnits:  "the receiver owns the bus or target, so it is exactly one account; only the senders can be organizational units",
}

// The roles of the halves of a bus link.
const (
	// RoleReceiver is the receiver's bus (or target), its policy and its targets.
	RoleReceiver = "receiver"
	// RoleSender is a sender account's forwarding rule with its role and queue.
	RoleSender = "sender"
)

// TypeDescription says what a topology file gives for an event pattern.
func (EventPattern) TypeDescription() string {
	return "an event pattern: a mapping, or a string of JSON"
}

func decode(d *linkkind.Decoder) linkkind.Link {
	var o Options
	d.Options(&o)
	one := d.OneAccount("to", "a bus link goes to exactly one account")
	h := d.Header
	l := Link{
		Name:            h.Name,
		NamePrefix:      h.Prefix,
		Region:          h.RegionOf(linkkind.First(h.To)),
		ReceiverAccount: linkkind.First(h.To),
		SenderAccounts:  linkkind.IDs(h.From),
		SenderUnits:     h.FromUnits,
		OrganizationID:  h.Organization,
		Options:         o,
	}
	l.SenderRegions = linkkind.Regions(h.From, l.Region)
	return linkkind.Finish(d, l, one)
}

// Halves returns the halves of l that account holds: the receiver half (main stack)
// in the receiver account; in each sender account the sender half, in the wiring
// stack: EventBridge checks the receiver's bus policy when the sender's rule target is
// created, so the sender's rule needs the receiver's main stack.
func (l Link) Halves(account string) []linkkind.Half {
	switch {
	case account == l.ReceiverAccount:
		return []linkkind.Half{{Account: account, Role: RoleReceiver, Region: l.Region}}
	case slices.Contains(l.SenderAccounts, account):
		return []linkkind.Half{{Account: account, Role: RoleSender, Phase: linkkind.Wiring, Needs: []string{l.ReceiverAccount}, Region: l.SenderRegion(account)}}
	}
	return nil
}

// AccessMode is the link's mode: bus (to the receiver's bus) or direct (to a target).
func (l Link) AccessMode() string { return string(l.WithDefaults().Mode) }

// Units returns the organizational units that send (linkkind.Organizational).
func (l Link) Units() []linkkind.Unit { return l.SenderUnits }

// MemberHalves returns the half of every member account of SenderUnits: a sender
// half (its forwarding rule), in the wiring phase after the receiver's main stack,
// whose bus policy EventBridge checks when the rule's target is created.
func (l Link) MemberHalves() []linkkind.Half {
	if len(l.SenderUnits) == 0 {
		return nil
	}
	return []linkkind.Half{{Role: RoleSender, Phase: linkkind.Wiring, Needs: []string{l.ReceiverAccount}}}
}

// ForMember returns l as a member account's sender half is built from it: account is
// its only sender, alarms are off, and its dead-letter queue, which is kept when the
// account leaves, ends in suffix.
func (l Link) ForMember(account, region, suffix string) linkkind.Link {
	l.SenderAccounts = []string{account}
	l.SenderRegions = linkkind.MemberRegions(account, region, l.Region)
	l.SenderUnits = nil
	l.SenderSuffix = suffix
	l.AlarmOptions = linkkind.NoAlarms()
	return l
}
