package queuelink

import (
	"slices"

	"github.com/crosswire/crosswire/linkkind"
)

// Kind is the queue kind of link (kind: queue in a topology file): one or more
// sender accounts, exactly one receiver account, which owns the queue.
var Kind = &linkkind.Kind{
	Name: "queue", Construct: "CrossAccountQueue", PrivateService: "sqs", Decode: decode,
	UnitSide: "from",
	NoUnits:  "the receiver owns the queue, so it is exactly one account; only the senders can be organizational units",
}

// The roles of the halves of a queue link.
const (
	// RoleReceiver is the queue and its policies, in the receiver account.
	RoleReceiver = "receiver"
	// RoleSender is the producer role of a sender account.
	RoleSender = "sender"
)

func decode(d *linkkind.Decoder) linkkind.Link {
	var o Options
	d.Options(&o)
	one := d.OneAccount("to", "a queue link goes to exactly one account")
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
// in the receiver account, a sender half (main stack) in each sender account. Neither
// uses the other account's resources at deploy time: the queue policy names the
// senders by account principal and aws:PrincipalArn.
func (l Link) Halves(account string) []linkkind.Half {
	switch {
	case account == l.ReceiverAccount:
		return []linkkind.Half{{Account: account, Role: RoleReceiver, Region: l.Region}}
	case slices.Contains(l.SenderAccounts, account):
		return []linkkind.Half{{Account: account, Role: RoleSender, Region: l.SenderRegion(account)}}
	}
	return nil
}

// PrivateTargets returns what the producers of the sender account reach through its
// interface endpoints: sqs:SendMessage on the queue, as principals of their own
// account or (access: assume-role) as the access role, assumed through STS.
func (l Link) PrivateTargets(account string) []linkkind.PrivateTarget {
	if !slices.Contains(l.SenderAccounts, account) {
		return nil
	}
	l = l.WithDefaults()
	t := linkkind.PrivateTarget{Service: "sqs", Actions: []string{"sqs:SendMessage"}, Resource: l.QueueArn()}
	if l.Access == AccessAssumeRole {
		t.AssumeRoleArn = l.AccessRoleArn()
	}
	return []linkkind.PrivateTarget{t}
}

// WithSourceVpce returns l with SourceVpce set to ids, unless l names endpoints of
// its own.
func (l Link) WithSourceVpce(ids []string) linkkind.Link {
	if len(l.SourceVpce) == 0 {
		l.SourceVpce = ids
	}
	return l
}

// AccessMode is how senders reach the queue: queue-policy or assume-role.
func (l Link) AccessMode() string { return string(l.WithDefaults().Access) }

// Silent reports whether the halves of role have no alarm (linkkind.Silent): a sender holds no queue, topic, rule or stream to watch.
func (l Link) Silent(role string) bool { return role == RoleSender }

// Units returns the organizational units that send (linkkind.Organizational).
func (l Link) Units() []linkkind.Unit { return l.SenderUnits }

// MemberHalves returns the half of every member account of SenderUnits: a sender
// half (its producer role), which needs nothing of the receiver at deploy time.
func (l Link) MemberHalves() []linkkind.Half {
	if len(l.SenderUnits) == 0 {
		return nil
	}
	return []linkkind.Half{{Role: RoleSender, Phase: linkkind.Main}}
}

// ForMember returns l as a member account's sender half is built from it: account is
// its only sender, with no existing roles (the producer role is created) and no
// alarms. A sender keeps nothing when it leaves, so suffix is not used.
func (l Link) ForMember(account, region, suffix string) linkkind.Link {
	l.SenderAccounts = []string{account}
	l.SenderRegions = linkkind.MemberRegions(account, region, l.Region)
	l.SenderUnits = nil
	l.SenderRoleArns = nil
	l.AlarmOptions = linkkind.NoAlarms()
	return l
}
