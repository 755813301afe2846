package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/crosswire/crosswire/constructs/bustobus"
	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/linkkind"
)

// BuildHalf builds one half of a link in scope, a stack of the half's account, and
// reports what it built (the names of its alarms, for the account's dashboard). link
// is the Spec of a topology link of the builder's kind.
type BuildHalf func(scope constructs.Construct, link linkkind.Link, half linkkind.Half) linkkind.Built

// Builders maps the name of every kind of link to the builder of its halves, one line
// each.
var Builders = map[string]BuildHalf{
	queuelink.Kind.Name:  crossaccountqueue.BuildHalf,
	topiclink.Kind.Name:  snstoremotesqs.BuildHalf,
	buslink.Kind.Name:    bustobus.BuildHalf,
	streamlink.Kind.Name: sharedkinesisefo.BuildHalf,
}
