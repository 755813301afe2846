package topology

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// Organization is the topology's AWS Organization in its mapping form, with what
// links to organizational units need (issue 13). A topology that writes
// organization as a plain o-... ID has only ID.
type Organization struct {
	// ID is the organization ID, o-....
	ID string
	// Root is the ID of the organization's root, r-...: the first segment below the
	// organization of every organizational unit's path.
	Root string
	// Administrator is the alias of the account that administers StackSets for the
	// organization: the management account or a registered delegated administrator.
	// Its stack holds the stack sets.
	Administrator string
	// Management is the alias of the organization's management account, or "". A
	// service-managed stack set never deploys to it, even when it sits in a targeted
	// unit: it takes part in a link only by alias.
	Management string
	// CallAs is how the administrator creates stack sets: SELF (in the management
	// account) or DELEGATED_ADMIN. Default: SELF when Administrator is Management,
	// else DELEGATED_ADMIN.
	CallAs string
	// MaxConcurrentPercentage is the share of a unit's accounts a stack set
	// operation deploys to at once, 1 to 100 (the stack set's create and update
	// operations; automatic deployments do not use it). Default:
	// DefaultMaxConcurrentPercentage.
	MaxConcurrentPercentage int
	// FailureTolerancePercentage is the share of accounts that may fail before a
	// stack set operation stops, 0 to 100. Default: DefaultFailureTolerancePercentage.
	FailureTolerancePercentage int
}

// Defaults of the stack sets' operation preferences.
const (
	DefaultMaxConcurrentPercentage    = 25
	DefaultFailureTolerancePercentage = 10
)

// The values of Organization.CallAs.
const (
	CallAsSelf          = "SELF"
	CallAsDelegateAdmin = "DELEGATED_ADMIN"
)

// Unit is a named organizational unit of the topology.
type Unit struct {
	// Name is the unit's name in the file, usable in a link's from or to.
	Name string
	// Path is its path of IDs from the organization, ending in a slash:
	// o-.../r-.../ou-.../(ou-.../)*.
	Path string
}

// Unit returns the unit called name.
func (t *Topology) Unit(name string) (Unit, bool) {
	for _, u := range t.Units {
		if u.Name == name {
			return u, true
		}
	}
	return Unit{}, false
}

// OrgWide reports whether any link of t names an organizational unit.
func (t *Topology) OrgWide() bool {
	for _, l := range t.Links {
		if len(l.FromUnits)+len(l.ToUnits) > 0 {
			return true
		}
	}
	return false
}

var (
	rootPattern    = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	unitIDPattern  = regexp.MustCompile(`^ou-([0-9a-z]{4,32})-[a-z0-9]{8,32}$`)
	unitNameFields = []string{"id", "root", "stackSetsAdministrator", "managementAccount", "callAs", "operationPreferences"}
)

// parseOrganization reads the organization field: an ID, or a mapping with the
// organization's ID, root, StackSets administrator and stack set preferences.
func parseOrganization(t *Topology, n *yaml.Node, p *problem.List) {
	if n.Kind != yaml.MappingNode {
		var ok bool
		if t.Organization, ok = scalar(n, "organization", p); ok && !awsarn.IsOrganizationID(t.Organization) {
			p.Addf(n.Line, "organization", "organization ID %q must look like o-a1b2c3d4e5", t.Organization)
		}
		return
	}
	o := &Organization{}
	t.Org = o
	t.orgLine = n.Line
	fields := mappingFields(n, "organization", unitNameFields, p)
	if v, ok := fields["id"]; ok {
		if o.ID, ok = scalar(v, "organization.id", p); ok && !awsarn.IsOrganizationID(o.ID) {
			p.Addf(v.Line, "organization.id", "organization ID %q must look like o-a1b2c3d4e5", o.ID)
		}
		t.Organization = o.ID
	} else {
		p.Addf(n.Line, "organization.id", "organization.id is missing: the organization ID, o-...")
	}
	if v, ok := fields["root"]; ok {
		if o.Root, ok = scalar(v, "organization.root", p); ok && !rootPattern.MatchString(o.Root) {
			p.Addf(v.Line, "organization.root", "root ID %q must look like r-ab12 (r- and 4 to 32 lowercase letters or digits)", o.Root)
			o.Root = ""
		}
	}
	for field, out := range map[string]*string{"stackSetsAdministrator": &o.Administrator, "managementAccount": &o.Management} {
		v, ok := fields[field]
		if !ok {
			continue
		}
		if *out, ok = scalar(v, "organization."+field, p); ok && accountsKnown(t) && !hasAlias(t, *out) {
			p.Addf(v.Line, "organization."+field, "account alias %q is unknown; known aliases: %s", *out, aliasList(t))
			*out = ""
		}
	}
	if v, ok := fields["callAs"]; ok {
		if o.CallAs, ok = scalar(v, "organization.callAs", p); ok {
			switch {
			case o.CallAs != CallAsSelf && o.CallAs != CallAsDelegateAdmin:
				p.Addf(v.Line, "organization.callAs", "callAs %q is unknown; use %s (the management account) or %s", o.CallAs, CallAsSelf, CallAsDelegateAdmin)
			case o.CallAs == CallAsSelf && o.Management != "" && o.Administrator != "" && o.Administrator != o.Management:
				p.Addf(v.Line, "organization.callAs", "callAs %s is for the management account %q, but the stack sets administrator is %q: use %s or leave callAs out", CallAsSelf, o.Management, o.Administrator, CallAsDelegateAdmin)
			case o.CallAs == CallAsDelegateAdmin && o.Management != "" && o.Administrator == o.Management:
				p.Addf(v.Line, "organization.callAs", "callAs %s is for a delegated administrator, but the stack sets administrator %q is the management account: use %s or leave callAs out", CallAsDelegateAdmin, o.Administrator, CallAsSelf)
			}
		}
	} else if o.Administrator != "" && o.Administrator == o.Management {
		o.CallAs = CallAsSelf
	} else {
		o.CallAs = CallAsDelegateAdmin
	}
	o.MaxConcurrentPercentage = DefaultMaxConcurrentPercentage
	o.FailureTolerancePercentage = DefaultFailureTolerancePercentage
	if v, ok := fields["operationPreferences"]; ok {
		parseOperationPreferences(o, v, p)
	}
}

func parseOperationPreferences(o *Organization, n *yaml.Node, p *problem.List) {
	const where = "organization.operationPreferences"
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, where, "operationPreferences must be a mapping with maxConcurrentPercentage and failureTolerancePercentage, not %s", kindName(n))
		return
	}
	fields := mappingFields(n, where, []string{"maxConcurrentPercentage", "failureTolerancePercentage"}, p)
	for field, c := range map[string]struct {
		out    *int
		lo, hi int
	}{
		"maxConcurrentPercentage":    {&o.MaxConcurrentPercentage, 1, 100},
		"failureTolerancePercentage": {&o.FailureTolerancePercentage, 0, 100},
	} {
		v, ok := fields[field]
		if !ok {
			continue
		}
		var x int
		if err := v.Decode(&x); err != nil || v.Kind != yaml.ScalarNode {
			p.Addf(v.Line, where+"."+field, "%s %s must be a whole number from %d to %d", field, quoteValue(v), c.lo, c.hi)
			continue
		}
		if x < c.lo || x > c.hi {
			p.Addf(v.Line, where+"."+field, "%s %d must be from %d to %d", field, x, c.lo, c.hi)
			continue
		}
		*c.out = x
	}
}

func quoteValue(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return "(" + kindName(n) + ")"
}

// parseUnits reads the organizationalUnits section: names of organizational units
// mapped to their paths of IDs from the organization. It runs after accounts and
// organization, before links.
func parseUnits(t *Topology, n *yaml.Node, p *problem.List) {
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "organizationalUnits", "organizationalUnits must map each unit's name to its path of IDs (o-.../r-.../ou-.../), not be %s", kindName(n))
		return
	}
	t.unitsLine = n.Line
	byPath := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		where := "organizationalUnits." + k.Value
		if t.declaredUnits == nil {
			t.declaredUnits = map[string]bool{}
		}
		switch {
		case slices.ContainsFunc(t.Units, func(u Unit) bool { return u.Name == k.Value }):
			p.Addf(k.Line, where, "organizational unit %q is defined twice", k.Value)
			continue
		case !aliasPattern.MatchString(k.Value):
			p.Addf(k.Line, where, "organizational unit name %q must be 1 to 40 lowercase letters, digits and hyphens, starting with a letter", k.Value)
		case hasAlias(t, k.Value):
			p.Addf(k.Line, where, "organizational unit name %q is also an account alias; from and to could not tell them apart: rename one", k.Value)
			continue // from and to keep meaning the account
		}
		t.declaredUnits[k.Value] = true
		path, ok := scalar(v, where, p)
		if !ok {
			continue
		}
		path, ok = checkUnitPath(t, path, v.Line, where, p)
		if !ok {
			continue
		}
		if other, dup := byPath[path]; dup {
			p.Addf(v.Line, where, "organizational unit path %q is already the unit %q; give each unit one name", path, other)
			continue
		}
		byPath[path] = k.Value
		t.Units = append(t.Units, Unit{Name: k.Value, Path: path})
	}
}

// checkUnitPath checks the form of an organizational unit's path and returns it
// ending in a slash: the organization's ID, its root, then one or more unit IDs,
// each of which names the root in its middle part.
func checkUnitPath(t *Topology, path string, line int, where string, p *problem.List) (string, bool) {
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	const form = "o-.../r-.../ou-.../ (nested units: o-.../r-.../ou-.../ou-.../)"
	if len(segs) < 3 {
		p.Addf(line, where, "organizational unit path %q must be the path of IDs from the organization, %s", path, form)
		return "", false
	}
	ok := true
	if !awsarn.IsOrganizationID(segs[0]) {
		p.Addf(line, where, "organizational unit path %q must begin with the organization ID (o-...), not %q", path, segs[0])
		ok = false
	} else if t.Organization != "" && segs[0] != t.Organization {
		p.Addf(line, where, "organizational unit path %q begins with organization %q, but the topology's organization is %q", path, segs[0], t.Organization)
		ok = false
	}
	root := segs[1]
	switch {
	case !rootPattern.MatchString(root):
		p.Addf(line, where, "organizational unit path %q must have the root ID (r-...) second, not %q", path, root)
		ok = false
	case t.Org != nil && t.Org.Root != "" && root != t.Org.Root:
		p.Addf(line, where, "organizational unit path %q has root %q, but organization.root is %q", path, root, t.Org.Root)
		ok = false
	}
	seen := map[string]bool{}
	for _, s := range segs[2:] {
		m := unitIDPattern.FindStringSubmatch(s)
		switch {
		case m == nil:
			p.Addf(line, where, "organizational unit ID %q in path %q must look like ou-ab12-11111111 (ou-, the root's 4 to 32 letters or digits, a hyphen, 8 to 32 lowercase letters or digits); the segments go in order from the root: o-.../r-.../ou-.../", s, path)
			ok = false
		case rootPattern.MatchString(root) && "r-"+m[1] != root:
			p.Addf(line, where, "organizational unit ID %q in path %q does not belong to root %q: its middle part must be %q", s, path, root, strings.TrimPrefix(root, "r-"))
			ok = false
		case seen[s]:
			p.Addf(line, where, "organizational unit ID %q is twice in path %q", s, path)
			ok = false
		}
		seen[s] = true
	}
	return strings.Join(segs, "/") + "/", ok
}

// checkOrgWide reports what links to organizational units need of the
// organization: its mapping form with id, root and stackSetsAdministrator.
func checkOrgWide(t *Topology, root *yaml.Node, p *problem.List) {
	var users []string
	for i, l := range t.Links {
		if len(l.FromUnits)+len(l.ToUnits) > 0 {
			users = append(users, fmt.Sprintf("links[%d] %q", i, l.Name))
		}
	}
	if len(users) == 0 && len(t.Units) == 0 {
		return
	}
	if len(users) > 0 && t.Pipeline != nil {
		p.Addf(lookup(root, "pipeline").Line, "pipeline", "a pipeline cannot deploy the stack sets of links to organizational units (%s) yet: deploy this topology with the deploy plan, or leave the units out", strings.Join(users, ", "))
	}
	for _, a := range t.Accounts {
		if strings.HasSuffix(a.Alias, StackSetsSuffix) {
			p.Addf(keyOf(rootMapping(root, "accounts"), a.Alias).Line, "accounts."+a.Alias, "account alias %q ends in %s, which names the stacks of stack sets (Crosswire-<alias>%s); choose another", a.Alias, StackSetsSuffix, StackSetsSuffix)
		}
	}
	for _, l := range t.Links {
		nested(t, l, l.FromUnits, l.fromLine, "from", p)
		nested(t, l, l.ToUnits, l.toLine, "to", p)
		unitPartition(l, p)
	}
	what := "organizationalUnits are declared"
	if len(users) > 0 {
		what = "organizational units are used by " + strings.Join(users, ", ")
	}
	switch {
	case t.Org == nil && t.Organization == "":
		p.Addf(root.Line, "organization", "organization is missing, but %s: give organization: {id: o-..., root: r-..., stackSetsAdministrator: <alias>}", what)
	case t.Org == nil:
		p.Addf(t.orgLineOr(root), "organization", "organization %q is only an ID, but %s: write it as {id: %s, root: r-..., stackSetsAdministrator: <alias>}", t.Organization, what, t.Organization)
	default:
		if lookup(rootMapping(root, "organization"), "root") == nil {
			p.Addf(t.orgLine, "organization.root", "organization.root is missing, but %s: give the root ID, r-... (aws organizations list-roots)", what)
		}
		if lookup(rootMapping(root, "organization"), "stackSetsAdministrator") == nil {
			p.Addf(t.orgLine, "organization.stackSetsAdministrator", "organization.stackSetsAdministrator is missing, but %s: name the account alias that administers StackSets (the management account or a delegated administrator)", what)
		}
	}
}

func rootMapping(root *yaml.Node, key string) *yaml.Node {
	if v := lookup(root, key); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	return &yaml.Node{Kind: yaml.MappingNode}
}

func (t *Topology) orgLineOr(root *yaml.Node) int {
	if n := lookup(root, "organization"); n != nil {
		return n.Line
	}
	return root.Line
}

// units returns the linkkind units of the names, each in the region its side names
// for it (sides) or else the topology's.
func units(t *Topology, names []string, sides map[string]string) []linkkind.Unit {
	var out []linkkind.Unit
	for _, n := range names {
		if u, ok := t.Unit(n); ok {
			r := sides[n]
			if r == "" {
				r = t.Region
			}
			out = append(out, linkkind.Unit{Name: u.Name, Path: u.Path, Region: r})
		}
	}
	return out
}

func unitList(t *Topology) string {
	s := make([]string, 0, len(t.declaredUnits))
	for name := range t.declaredUnits {
		s = append(s, name)
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// unitPartition refuses an organizational unit whose region is in another partition
// than the link's accounts: no principal or ARN of one partition is valid in another.
func unitPartition(l Link, p *problem.List) {
	var accounts []linkkind.Account
	for _, a := range append(append([]linkkind.Account(nil), l.Header.From...), l.Header.To...) {
		if awsarn.IsKnownRegion(a.Region) {
			accounts = append(accounts, a)
		}
	}
	if len(accounts) == 0 {
		return
	}
	first := accounts[0]
	for _, side := range []struct {
		units []linkkind.Unit
		field string
		line  int
	}{{l.Header.FromUnits, "from", l.fromLine}, {l.Header.ToUnits, "to", l.toLine}} {
		for _, u := range side.units {
			if awsarn.Partition(u.Region) != awsarn.Partition(first.Region) {
				p.Addf(side.line, problem.Join(l.where, side.field), "organizational unit %q takes part from %s (partition %s) and account %q is in %s (partition %s): a link cannot cross partitions; keep both sides in one partition",
					u.Name, u.Region, awsarn.Partition(u.Region), first.Alias, first.Region, awsarn.Partition(first.Region))
			}
		}
	}
}

// StackSetsSuffix ends the names of the stacks that hold an administrator's stack
// sets: Crosswire-[prefix-]<alias>-stacksets (and -stacksets-wiring).
const StackSetsSuffix = "-stacksets"

// nested reports a link that names a unit and a unit inside it: an account of the
// inner unit would get the link's halves twice, from two stack sets.
func nested(t *Topology, l Link, names []string, line int, field string, p *problem.List) {
	for _, a := range names {
		for _, b := range names {
			ua, oka := t.Unit(a)
			ub, okb := t.Unit(b)
			if a != b && oka && okb && strings.HasPrefix(ub.Path, ua.Path) {
				p.Addf(line, problem.Join(l.where, field), "organizational unit %q is inside %q, which the link already names (a unit's stack set covers the units below it): its accounts would get the link's halves twice; leave %q out", b, a, b)
			}
		}
	}
}
