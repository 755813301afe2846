// Package durations writes durations the way a topology file writes them, for the
// messages of every kind of link. It does not import the CDK.
package durations

import (
	"strings"
	"time"
)

// Format renders d the way a topology file writes it: 2h, 1h30m, 45s, 24h. It is
// d.String() without the zero minutes and seconds that follow a larger unit.
func Format(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
