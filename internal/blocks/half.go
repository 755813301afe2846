package blocks

import (
	"fmt"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/internal/cdkx"
)

// Valid returns link with its defaults applied, after panicking with every problem of
// the link at once when it is invalid: how every half of a link begins.
func Valid[L interface {
	Validate() error
	WithDefaults() L
}](link L) L {
	if err := link.Validate(); err != nil {
		panic(err)
	}
	return link.WithDefaults()
}

// Side is the side of a link whose accounts each hold a half of it: a queue or bus
// link's senders, a topic link's receivers, a stream link's consumers.
type Side struct {
	// Pkg is the construct package, which prefixes messages: crossaccountqueue.
	Pkg string
	// Link and Region are the link's name and region.
	Link, Region string
	// Regions are the regions of the side's accounts not in Region, by account ID.
	Regions map[string]string
	// Role names one of Accounts in messages: sender, receiver, consumer.
	Role string
	// Accounts are the side's accounts.
	Accounts []string
}

// Account returns the account of s that half (such as "sender" or "consumer role")
// is built for in scope: account, or else the account of scope's stack. It panics
// when that is not one of s.Accounts, or when scope's stack is pinned to another
// account or region, or has none and agnostic is false (see cdkx.CheckStackEnv). An
// agnostic half must be given its account.
func (s Side) Account(scope constructs.Construct, half, account string, agnostic bool) string {
	if account == "" && agnostic {
		panic(fmt.Errorf("%s: the %s half of link %q is environment-agnostic, so its stack cannot tell the account: give Account (%ss: %v)", s.Pkg, half, s.Link, s.Role, s.Accounts))
	}
	if account == "" {
		account = cdkx.StackAccount(scope)
	}
	if !slices.Contains(s.Accounts, account) {
		panic(fmt.Errorf("%s: account %q is not a %s account of link %q (%ss: %v)", s.Pkg, account, s.Role, s.Link, s.Role, s.Accounts))
	}
	region := s.Region
	if r, ok := s.Regions[account]; ok {
		region = r
	}
	cdkx.CheckStackEnv(scope, s.Pkg, "the "+half+" half of link "+s.Link, account, region, agnostic)
	return account
}
