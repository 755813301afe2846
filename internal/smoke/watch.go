package smoke

import (
	"fmt"
	"strings"

	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// Watch says which CloudWatch alarms and dashboards show whether a message sent
// through l went astray: every alarm of the link is named [prefix]link-..., in the
// account that owns the watched resource, and each account of the link has the
// dashboard [prefix]crosswire-<alias>-<region>. It is "" for a link whose alarms are
// off (alarms: false).
func Watch(t *topology.Topology, l topology.Link) string {
	a, ok := l.Spec.(linkkind.Alarmed)
	if !ok || !a.AlarmsOn() {
		return ""
	}
	prefix := l.Header.Prefix
	var dashboards []string
	seen := map[string]bool{}
	for _, alias := range append(append([]string(nil), l.From...), l.To...) {
		if !seen[alias] {
			seen[alias] = true
			dashboards = append(dashboards, linkkind.DashboardName(prefix, alias, t.Region))
		}
	}
	return fmt.Sprintf("watch: alarms %s in %s (a message in a dead-letter queue raises one within 5 minutes); dashboards %s",
		linkkind.AlarmName(prefix, l.Name, "*"), t.Region, strings.Join(dashboards, ", "))
}
