package snstoremotesqs

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a topiclink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) {
	l := link.(topiclink.Link)
	switch h.Role {
	case topiclink.RoleSender:
		NewSender(scope, l.Name, &SenderProps{Link: l})
	case topiclink.RoleReceiver:
		NewReceiver(scope, l.Name, &ReceiverProps{Link: l, Account: h.Account, EnvironmentAgnostic: h.Member})
	case topiclink.RoleSubscription:
		id := l.Name
		if h.Member {
			// A member template holds the receiver half too, under the link's name.
			id += "Subscription"
		}
		NewSubscription(scope, id, &SubscriptionProps{Link: l, Account: h.Account, EnvironmentAgnostic: h.Member})
	default:
		panic(fmt.Errorf("snstoremotesqs: link %q has no half %q", l.Name, h.Role))
	}
}
