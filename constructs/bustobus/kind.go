package bustobus

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a buslink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) {
	l := link.(buslink.Link)
	switch h.Role {
	case buslink.RoleReceiver:
		NewReceiver(scope, l.Name, &ReceiverProps{Link: l})
	case buslink.RoleSender:
		NewSender(scope, l.Name, &SenderProps{Link: l, Account: h.Account, EnvironmentAgnostic: h.Member})
	default:
		panic(fmt.Errorf("bustobus: link %q has no half %q", l.Name, h.Role))
	}
}
