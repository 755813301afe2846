package snstoremotesqs

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a topiclink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders: it returns the names of the alarms it created.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) linkkind.Built {
	l := link.(topiclink.Link)
	switch h.Role {
	case topiclink.RoleSender:
		return linkkind.Built{Alarms: NewSender(scope, l.Name, &SenderProps{Link: l, AlarmTopicArn: h.AlarmTopic}).Alarms.Names()}
	case topiclink.RoleReceiver:
		return linkkind.Built{Alarms: NewReceiver(scope, l.Name, &ReceiverProps{Link: l, Account: h.Account, AlarmTopicArn: h.AlarmTopic, EnvironmentAgnostic: h.Member}).Alarms.Names()}
	case topiclink.RoleSubscription:
		id := l.Name
		if h.Member {
			// A member template holds the receiver half too, under the link's name.
			id += "Subscription"
		}
		NewSubscription(scope, id, &SubscriptionProps{Link: l, Account: h.Account, EnvironmentAgnostic: h.Member})
		return linkkind.Built{}
	default:
		panic(fmt.Errorf("snstoremotesqs: link %q has no half %q", l.Name, h.Role))
	}
}
