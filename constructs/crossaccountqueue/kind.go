package crossaccountqueue

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a queuelink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders: it returns the names of the alarms it created.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) linkkind.Built {
	l := link.(queuelink.Link)
	switch h.Role {
	case queuelink.RoleReceiver:
		return linkkind.Built{Alarms: NewReceiver(scope, l.Name, &ReceiverProps{Link: l, AlarmTopicArn: h.AlarmTopic}).Alarms.Names()}
	case queuelink.RoleSender:
		NewSender(scope, l.Name, &SenderProps{Link: l, Account: h.Account, EnvironmentAgnostic: h.Member})
		return linkkind.Built{}
	default:
		panic(fmt.Errorf("crossaccountqueue: link %q has no half %q", l.Name, h.Role))
	}
}
