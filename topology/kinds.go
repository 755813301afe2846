package topology

import (
	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/linkkind"
)

// Kinds lists every kind of link a topology file may use, one line each, in the order
// messages name them. Adding a kind is one folder under constructs/ and one line here
// (and one in stacks.Builders and in the smoke test's channels).
var Kinds = []*linkkind.Kind{
	queuelink.Kind,
	topiclink.Kind,
	buslink.Kind,
	streamlink.Kind,
}
