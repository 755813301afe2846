package bustobus

import (
	"fmt"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a buslink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders: it returns the names of the alarms it created.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) linkkind.Built {
	l := link.(buslink.Link)
	switch h.Role {
	case buslink.RoleReceiver:
		return linkkind.Built{Alarms: NewReceiver(scope, l.Name, &ReceiverProps{Link: l, AlarmTopicArn: h.AlarmTopic}).Alarms.Names()}
	case buslink.RoleSender:
		return linkkind.Built{Alarms: NewSender(scope, l.Name, &SenderProps{Link: l, Account: h.Account, AlarmTopicArn: h.AlarmTopic, EnvironmentAgnostic: h.Member}).Alarms.Names()}
	default:
		panic(fmt.Errorf("bustobus: link %q has no half %q", l.Name, h.Role))
	}
}

// Handlers returns the Go Lambda handlers the half h of link builds: the event logger
// of a receiver whose targets include a Lambda function. It is this kind's entry in
// stacks.Handlers.
func Handlers(link linkkind.Link, h linkkind.Half) []string {
	l := link.(buslink.Link).WithDefaults()
	if h.Role == buslink.RoleReceiver && slices.Contains(l.Targets, TargetLambda) {
		return []string{LoggerPackage}
	}
	return nil
}
