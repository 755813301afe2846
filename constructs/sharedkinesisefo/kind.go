package sharedkinesisefo

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds the half h of link, a streamlink.Link, in scope (a stack of the
// half's account), with the link's name as construct ID. It is this kind's entry in
// stacks.Builders: it returns the names of the alarms it created.
func BuildHalf(scope constructs.Construct, link linkkind.Link, h linkkind.Half) linkkind.Built {
	l := link.(streamlink.Link)
	switch h.Role {
	case streamlink.RoleProducer:
		return linkkind.Built{Alarms: NewProducer(scope, l.Name, &ProducerProps{Link: l, AlarmTopicArn: h.AlarmTopic}).Alarms.Names()}
	case streamlink.RoleConsumer:
		return linkkind.Built{Alarms: NewConsumer(scope, l.Name, &ConsumerProps{Link: l, Account: h.Account, AlarmTopicArn: h.AlarmTopic}).Alarms.Names()}
	default:
		panic(fmt.Errorf("sharedkinesisefo: link %q has no half %q", l.Name, h.Role))
	}
}

// Handlers returns the Go Lambda handlers the half h of link builds: the consumer's
// function and its consumer-ARN look-up. It is this kind's entry in stacks.Handlers.
func Handlers(_ linkkind.Link, h linkkind.Half) []string {
	if h.Role == streamlink.RoleConsumer {
		return []string{ConsumerHandler, LookupHandler}
	}
	return nil
}
