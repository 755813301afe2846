package topology

import (
	"net/netip"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// PrivateAccess is how the producers of one sender account reach other accounts'
// queues without internet access: through interface VPC endpoints in a VPC that is
// created (no VpcID) or named by IDs.
type PrivateAccess struct {
	// Alias is the sender account.
	Alias string `yaml:"-"`
	// VpcID names an existing VPC. Default: a VPC is created (isolated subnets, no NAT).
	VpcID string `yaml:"vpcId"`
	// Subnets maps the existing VPC's subnet IDs to their availability zones; required
	// with VpcID, so that synth needs no lookup.
	Subnets map[string]string `yaml:"subnets"`
	// Cidr is the created VPC's range, or the existing VPC's range admitted on 443.
	// Default: 10.0.0.0/16 for a created VPC; for an existing one, a client security
	// group instead.
	Cidr string `yaml:"cidr"`
	// AvailabilityZones of a created VPC. Default: two zones of the region.
	AvailabilityZones []string `yaml:"availabilityZones"`
	// Endpoints are the IDs of the deployed endpoints, by service (only sqs), known
	// after the first deploy (stack output SqsEndpointId). With sqs set for every
	// sender of a queue link, the receiver requires aws:SourceVpce. Default: none.
	Endpoints map[string]string `yaml:"endpoints"`
}

// SubnetIDs returns the existing subnets' IDs and zones, in ID order.
func (a PrivateAccess) SubnetIDs() (ids, zones []string) {
	for id := range a.Subnets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		zones = append(zones, a.Subnets[id])
	}
	return ids, zones
}

// PrivateAccessOf returns the private access of the account alias, if any.
func (t *Topology) PrivateAccessOf(alias string) (PrivateAccess, bool) {
	for _, a := range t.Private {
		if a.Alias == alias {
			return a, true
		}
	}
	return PrivateAccess{}, false
}

func parsePrivateAccess(t *Topology, n *yaml.Node, kinds []*linkkind.Kind, p *problem.List) {
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "privateAccess", "privateAccess must map sender account aliases to their VPC, not %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		where := "privateAccess." + k.Value
		a := PrivateAccess{Alias: k.Value}
		if seen[k.Value] {
			p.Addf(k.Line, where, "account %q is given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if !hasAlias(t, k.Value) {
			p.Addf(k.Line, where, "account alias %q is unknown; known aliases: %s", k.Value, aliasList(t))
			continue
		}
		if !linkkind.DecodeMapping(v, &a, where, p) {
			continue
		}
		checkPrivateAccess(t, a, kinds, v.Line, where, p)
		t.Private = append(t.Private, a)
	}
}

func checkPrivateAccess(t *Topology, a PrivateAccess, kinds []*linkkind.Kind, line int, where string, p *problem.List) {
	sends := false
	var services, private []string
	for _, k := range kinds {
		if k.PrivateService != "" {
			services = append(services, k.PrivateService)
			private = append(private, k.Name)
		}
	}
	home := t.RegionOf(a.Alias)
	for _, l := range t.Links {
		if k := kindNamed(kinds, l.Kind); k != nil && k.PrivateService != "" && slices.Contains(l.From, a.Alias) {
			sends = true
			// The endpoints are in the account's own region, and reach services of that
			// region only: SQS and STS are not among the services of PrivateLink's
			// cross-region connectivity.
			from := t.RegionIn(l, a.Alias)
			for _, r := range l.To {
				if to := t.RegionIn(l, r); to != home || from != home {
					p.Addf(line, where, "account %q sends through VPC endpoints in %s, but link %q has its side in %s and account %q in %s; PrivateLink reaches SQS and STS of another region from no VPC endpoint (they are not among its cross-region services): put both sides of the link in %s, or give the account internet access for it", a.Alias, home, l.Name, from, r, to, home)
				}
			}
		}
	}
	if !sends {
		p.Addf(line, where, "account %q sends through no %s link, so it needs no private access", a.Alias, strings.Join(private, " or "))
	}
	if a.VpcID == "" {
		if len(a.Subnets) > 0 {
			p.Addf(line, where+".subnets", "subnets name an existing VPC's subnets; give vpcId too, or leave both out to create a VPC")
		}
	} else {
		if !awsarn.IsVPCID(a.VpcID) {
			p.Addf(line, where+".vpcId", "VPC ID %q must look like vpc-0123456789abcdef0", a.VpcID)
		}
		if len(a.Subnets) == 0 {
			p.Addf(line, where+".subnets", "an existing VPC needs its subnets (subnet ID: availability zone), so that synth needs no lookup")
		}
		if len(a.AvailabilityZones) > 0 {
			p.Addf(line, where+".availabilityZones", "availabilityZones applies to a created VPC; an existing VPC's zones come from subnets")
		}
	}
	for id, zone := range a.Subnets {
		if !awsarn.IsSubnetID(id) {
			p.Addf(line, where+".subnets", "subnet ID %q must look like subnet-0123456789abcdef0", id)
		}
		if !inRegion(zone, home) {
			p.Addf(line, where+".subnets", "subnet %s is in zone %q, which is not a zone of region %s", id, zone, home)
		}
	}
	for _, zone := range a.AvailabilityZones {
		if !inRegion(zone, home) {
			p.Addf(line, where+".availabilityZones", "zone %q is not a zone of region %s", zone, home)
		}
	}
	if n := len(a.AvailabilityZones); n > 0 && n != 2 {
		p.Addf(line, where+".availabilityZones", "a created VPC spans exactly 2 availability zones, not %d (%q)", n, a.AvailabilityZones)
	} else if n == 2 && a.AvailabilityZones[0] == a.AvailabilityZones[1] {
		p.Addf(line, where+".availabilityZones", "zone %q is listed twice", a.AvailabilityZones[0])
	}
	byZone := map[string]string{}
	ids, _ := a.SubnetIDs()
	for _, id := range ids {
		zone := a.Subnets[id]
		if other, dup := byZone[zone]; dup {
			p.Addf(line, where+".subnets", "subnets %s and %s are both in zone %s; the endpoints take one subnet per zone", other, id, zone)
		}
		byZone[zone] = id
	}
	if a.Cidr != "" {
		if pfx, err := netip.ParsePrefix(a.Cidr); err != nil || !pfx.Addr().Is4() || pfx.Masked() != pfx {
			p.Addf(line, where+".cidr", "CIDR %q must be an IPv4 network such as 10.0.0.0/16", a.Cidr)
		} else if a.VpcID == "" && (pfx.Bits() < 16 || pfx.Bits() > 26) {
			p.Addf(line, where+".cidr", "CIDR %q of a created VPC must be /16 to /26", a.Cidr)
		}
	}
	keys := make([]string, 0, len(a.Endpoints))
	for k := range a.Endpoints {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, svc := range keys {
		id := a.Endpoints[svc]
		switch {
		case !slices.Contains(services, svc):
			p.Addf(line, where+".endpoints."+svc, "endpoint service %q is not used; name the endpoint of %s, under its name (STS reports no aws:SourceVpce to rely on)", svc, strings.Join(services, ", "))
		case !awsarn.IsVPCEndpointID(id):
			p.Addf(line, where+".endpoints."+svc, "VPC endpoint ID %q must look like vpce-0123456789abcdef0", id)
		}
	}
}

func inRegion(zone, region string) bool {
	rest, ok := strings.CutPrefix(zone, region)
	return ok && len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z'
}

// applySourceVpce pins the grants of each link of a kind with a PrivateService to the
// sender accounts' endpoints of that service (aws:SourceVpce) when every sender names
// one; a link with a sender that sends over another path keeps no such condition.
func applySourceVpce(t *Topology, kinds []*linkkind.Kind) {
	for i, l := range t.Links {
		k := kindNamed(kinds, l.Kind)
		ps, ok := l.Spec.(linkkind.PrivateSender)
		if k == nil || k.PrivateService == "" || !ok || len(l.FromUnits) > 0 {
			// The member accounts of organizational units have no endpoints here.
			continue
		}
		var ids []string
		for _, a := range l.From {
			pa, ok := t.PrivateAccessOf(a)
			if !ok || pa.Endpoints[k.PrivateService] == "" {
				ids = nil
				break
			}
			ids = append(ids, pa.Endpoints[k.PrivateService])
		}
		if ids != nil {
			t.Links[i].Spec = ps.WithSourceVpce(ids)
		}
	}
}
