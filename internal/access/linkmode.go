package access

import "github.com/crosswire/crosswire/topology"

// linkMode returns how a topology link crosses accounts, as GraphOf reads it from a
// cloud assembly: a queue's access, a bus's mode, who may subscribe to a topic, and
// StreamMode for a stream. It is the one place that reads a link's options, so that
// a change of the topology's link types is made here only.
func linkMode(l topology.Link) string {
	switch {
	case l.Queue != nil:
		return string(l.Queue.Access)
	case l.Bus != nil:
		return string(l.Bus.Mode)
	case l.Topic != nil:
		return string(l.Topic.Allow)
	case l.Stream != nil:
		return StreamMode
	}
	return "unknown"
}
