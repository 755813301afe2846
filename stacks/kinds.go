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
	"github.com/crosswire/crosswire/internal/golambda"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// BuildHalf builds one half of a link in scope, a stack of the half's account, and
// reports what it built (the names of its alarms, for the account's dashboard). link
// is the Spec of a topology link of the builder's kind.
type BuildHalf func(scope constructs.Construct, link linkkind.Link, half linkkind.Half) linkkind.Built

// Handlers maps the name of each kind whose halves run Go Lambda functions to the
// handler packages a half of a link builds, so that a synth starts building them all
// before it constructs anything (golambda.Prebuild) rather than one after the other as
// each function is created. A kind without functions has no entry.
var Handlers = map[string]func(link linkkind.Link, half linkkind.Half) []string{
	buslink.Kind.Name:    bustobus.Handlers,
	streamlink.Kind.Name: sharedkinesisefo.Handlers,
}

// prebuild starts building the Go Lambda handlers of every half of t (Handlers).
func prebuild(t *topology.Topology) {
	for _, l := range t.Links {
		handlers, ok := Handlers[l.Kind]
		if !ok || l.Spec == nil {
			continue
		}
		for _, a := range t.Accounts {
			for _, h := range l.Spec.Halves(a.ID) {
				golambda.Prebuild(handlers(l.Spec, h)...)
			}
		}
	}
}

// Builders maps the name of every kind of link to the builder of its halves, one line
// each.
var Builders = map[string]BuildHalf{
	queuelink.Kind.Name:  crossaccountqueue.BuildHalf,
	topiclink.Kind.Name:  snstoremotesqs.BuildHalf,
	buslink.Kind.Name:    bustobus.BuildHalf,
	streamlink.Kind.Name: sharedkinesisefo.BuildHalf,
}
