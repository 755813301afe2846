package access

import (
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// linkMode returns how a topology link crosses accounts, as its kind says
// (linkkind.Moded), or "unknown".
func linkMode(l topology.Link) string {
	if m, ok := l.Spec.(linkkind.Moded); ok {
		return m.AccessMode()
	}
	return "unknown"
}
