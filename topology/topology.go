// Package topology reads the one file that says who sends what to whom: the region,
// the accounts and the links between them. It reads the file once, into typed Go
// values with their defaults, and reports every problem of the file at once before
// anything is synthesized.
package topology

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// DefaultPath is the topology file synthesized when no other is given.
const DefaultPath = "topology.yaml"

// Topology is a validated topology file.
type Topology struct {
	// Path is the file the topology was read from.
	Path string
	// Region is the default region: of every account that names none of its own.
	Region string
	// Organization is the AWS Organization ID (o-...), or empty.
	Organization string
	// NamePrefix is put in front of every physical name and stack name, or empty.
	NamePrefix string
	// Accounts in the order of the file.
	Accounts []Account
	// Links in the order of the file.
	Links []Link
	// Private lists the sender accounts whose producers reach queues through VPC
	// endpoints, in the order of the file.
	Private []PrivateAccess
	// Pipeline is the continuous deployment of the topology, or nil.
	Pipeline *Pipeline
	// Alarms says where accounts' alarms go (topology/alarms.go).
	Alarms Alarms
	// Org is the organization in its mapping form (topology/org.go), or nil when
	// the file gives organization as a plain ID or not at all.
	Org *Organization
	// Units are the named organizational units, in the order of the file.
	Units []Unit

	orgLine, unitsLine int
	declaredUnits      map[string]bool
}

// Account is one AWS account of the topology.
type Account struct {
	// Alias names the account in links, stack names and deploy commands.
	Alias string
	// ID is the 12-digit account ID.
	ID string
	// Region is the account's own region (accounts: {alias: {id, region}}), or "" for
	// the topology's Region.
	Region string
}

// RegionOf returns the region of the account alias: its own, else the topology's.
func (t *Topology) RegionOf(alias string) string {
	for _, a := range t.Accounts {
		if a.Alias == alias && a.Region != "" {
			return a.Region
		}
	}
	return t.Region
}

// Link is one link of the topology: messages of one kind from accounts to accounts.
type Link struct {
	Name string
	// Kind is the kind's name, as the file writes it (queue, topic, bus, stream).
	Kind string
	// From and To are account aliases, in the order of the file.
	From, To []string
	// FromUnits and ToUnits are names of organizational units (Topology.Units), in
	// the order of the file.
	FromUnits, ToUnits []string
	// SideRegions are the regions link sides name ({account: alias, region: r}), by
	// alias; an alias without one takes part from its account's region.
	SideRegions map[string]string

	where            string
	fromLine, toLine int
	// Header is what every link has, with the accounts resolved.
	Header linkkind.Header
	// Spec is the link as its kind describes it, validated and with its defaults
	// applied: a queuelink.Link, a topiclink.Link, and so on.
	Spec linkkind.Link
}

// AccountID returns the account ID of alias, or "" when there is none.
func (t *Topology) AccountID(alias string) string {
	for _, a := range t.Accounts {
		if a.Alias == alias {
			return a.ID
		}
	}
	return ""
}

// Alias returns the alias of the account id, or "" when there is none.
func (t *Topology) Alias(id string) string {
	for _, a := range t.Accounts {
		if a.ID == id {
			return a.Alias
		}
	}
	return ""
}

// Involves reports whether the account alias takes part in l.
func (l Link) Involves(alias string) bool {
	return slices.Contains(l.From, alias) || slices.Contains(l.To, alias)
}

// Load reads and validates the topology file at path.
func Load(path string) (*Topology, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	return Parse(path, data)
}

var (
	aliasPattern  = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	linkPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	prefixPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$`)
)

// Parse validates a topology file's contents with the kinds of Kinds. path names the
// file in messages. The error, when there is one, is a *problem.Error listing every
// problem found.
func Parse(path string, data []byte) (*Topology, error) {
	return ParseKinds(path, data, Kinds)
}

// ParseKinds is Parse with the kinds of link the file may use.
func ParseKinds(path string, data []byte, kinds []*linkkind.Kind) (*Topology, error) {
	if tabs := tabsInIndentation(data); tabs.Len() > 0 {
		return nil, tabs.Err(path)
	}
	var p problem.List
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.Addf(0, "", "malformed YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, p.Err(path)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.Addf(0, "", "the file is empty; it needs region, accounts and links")
		return nil, p.Err(path)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.Addf(root.Line, "", "the file must be a mapping with region, accounts and links, not %s", kindName(root))
		return nil, p.Err(path)
	}

	t := &Topology{Path: path}
	fields := mappingFields(root, "", []string{"region", "organization", "namePrefix", "accounts", "links", "privateAccess", "pipeline", "alarms", "organizationalUnits"}, &p)
	if n, ok := fields["region"]; ok {
		t.Region, _ = regionValue(n, "region", &p)
	} else {
		p.Addf(root.Line, "region", "region is missing")
	}
	if n, ok := fields["namePrefix"]; ok {
		if t.NamePrefix, ok = scalar(n, "namePrefix", &p); ok && !prefixPattern.MatchString(t.NamePrefix) {
			p.Addf(n.Line, "namePrefix", "name prefix %q must be 1 to 20 lowercase letters, digits and hyphens, starting and ending with a letter or digit (a hyphen is put between it and each name)", t.NamePrefix)
		}
	}
	if n, ok := fields["accounts"]; ok {
		t.Accounts = parseAccounts(n, &p)
	} else {
		p.Addf(root.Line, "accounts", "accounts is missing: map each account alias to its 12-digit ID")
	}
	if n, ok := fields["organization"]; ok {
		parseOrganization(t, n, &p)
	}
	if n, ok := fields["organizationalUnits"]; ok {
		parseUnits(t, n, &p)
	}
	if n, ok := fields["links"]; ok {
		t.Links = parseLinks(t, n, kinds, &p)
	} else {
		p.Addf(root.Line, "links", "links is missing: list who sends what to whom")
	}
	if n, ok := fields["privateAccess"]; ok {
		parsePrivateAccess(t, n, kinds, &p)
	}
	if n, ok := fields["pipeline"]; ok {
		parsePipeline(t, keyOf(root, "pipeline"), n, fields["accounts"], &p)
	}
	if n, ok := fields["alarms"]; ok {
		t.Alarms = parseAlarms(t, n, &p)
	}
	checkOrgWide(t, root, &p)
	if err := p.Err(path); err != nil {
		return nil, err
	}
	applySourceVpce(t, kinds)
	return t, nil
}

func parseAccounts(n *yaml.Node, p *problem.List) []Account {
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "accounts", "accounts must map each alias to a 12-digit account ID (or to {id, region}), not be %s", kindName(n))
		return nil
	}
	var out []Account
	byID := map[string]string{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		where := "accounts." + k.Value
		var id, region string
		var isScalar bool
		if v.Kind == yaml.MappingNode {
			// alias: {id: "111111111111", region: eu-central-1}
			f := mappingFields(v, where, []string{"id", "region"}, p)
			if idn, ok := f["id"]; ok {
				id, isScalar = scalar(idn, where+".id", p)
			} else {
				p.Addf(v.Line, where+".id", "id is missing: give the account's 12-digit ID")
			}
			if rn, ok := f["region"]; ok {
				region, _ = regionValue(rn, where+".region", p)
			}
		} else {
			id, isScalar = scalar(v, where, p)
		}
		switch {
		case seen[k.Value]:
			p.Addf(k.Line, where, "account alias %q is defined twice", k.Value)
			continue
		case !aliasPattern.MatchString(k.Value):
			p.Addf(k.Line, where, "account alias %q must be 1 to 40 lowercase letters, digits and hyphens, starting with a letter", k.Value)
		case strings.HasSuffix(k.Value, "-wiring"):
			p.Addf(k.Line, where, "account alias %q ends in -wiring, which names the wiring stacks (Crosswire-<alias>-wiring); choose another", k.Value)
		}
		seen[k.Value] = true
		if isScalar && !awsarn.IsAccountID(id) {
			p.Addf(v.Line, where, "account ID %q must be exactly 12 digits", id)
		} else if other, dup := byID[id]; dup && isScalar {
			p.Addf(v.Line, where, "account ID %q is already the account %q; give each account one alias", id, other)
		}
		byID[id] = k.Value
		out = append(out, Account{Alias: k.Value, ID: id, Region: region})
	}
	if len(out) == 0 {
		p.Addf(n.Line, "accounts", "accounts is empty: a link needs at least two accounts")
	}
	return out
}

var linkFields = []string{"name", "kind", "from", "to", "options"}

func parseLinks(t *Topology, n *yaml.Node, kinds []*linkkind.Kind, p *problem.List) []Link {
	if n.Kind != yaml.SequenceNode {
		p.Addf(n.Line, "links", "links must be a list, not %s", kindName(n))
		return nil
	}
	var out []Link
	names := map[string]int{}
	for i, ln := range n.Content {
		where := fmt.Sprintf("links[%d]", i)
		if ln.Kind != yaml.MappingNode {
			p.Addf(ln.Line, where, "each link must be a mapping with name, kind, from, to and options, not %s", kindName(ln))
			continue
		}
		if name := lookup(ln, "name"); name != nil && name.Kind == yaml.ScalarNode && !isNull(name) {
			where = fmt.Sprintf("links[%d] %q", i, name.Value)
		}
		fields := mappingFields(ln, where, linkFields, p)
		var l Link
		ok := true
		if v, has := fields["name"]; has {
			var isScalar bool
			l.Name, isScalar = scalar(v, problem.Join(where, "name"), p)
			if !isScalar {
				ok = false
			} else if !linkPattern.MatchString(l.Name) {
				p.Addf(v.Line, problem.Join(where, "name"), "link name %q may hold only letters, digits, hyphens and underscores, starting with a letter or digit", l.Name)
				ok = false
			}
			// IAM role names, derived from link names, ignore case.
			if first, dup := names[strings.ToLower(l.Name)]; dup {
				p.Addf(v.Line, problem.Join(where, "name"), "link name %q is already used by links[%d]; link names must be unique, whatever their case", l.Name, first)
			} else {
				names[strings.ToLower(l.Name)] = i
			}
		} else {
			p.Addf(ln.Line, problem.Join(where, "name"), "name is missing")
			ok = false
		}
		var kind *linkkind.Kind
		if v, has := fields["kind"]; has {
			name, isScalar := scalar(v, problem.Join(where, "kind"), p)
			l.Kind = name
			if kind = kindNamed(kinds, name); isScalar && kind == nil {
				p.Addf(v.Line, problem.Join(where, "kind"), "kind %q is unknown; known kinds: %s", name, kindList(kinds))
			}
		} else {
			p.Addf(ln.Line, problem.Join(where, "kind"), "kind is missing; known kinds: %s", kindList(kinds))
		}
		var fromOK, toOK bool
		l.where = where
		if v := fields["from"]; v != nil {
			l.fromLine = v.Line
		}
		if v := fields["to"]; v != nil {
			l.toLine = v.Line
		}
		l.SideRegions = map[string]string{}
		l.From, l.FromUnits, fromOK = accountRefs(t, fields, ln, where, "from", l.SideRegions, p)
		l.To, l.ToUnits, toOK = accountRefs(t, fields, ln, where, "to", l.SideRegions, p)
		if kind != nil {
			fromOK = unitSide(kind, l.FromUnits, fields["from"], where, "from", p) && fromOK
			toOK = unitSide(kind, l.ToUnits, fields["to"], where, "to", p) && toOK
		}
		for _, a := range l.From {
			if slices.Contains(l.To, a) {
				p.Addf(fields["to"].Line, problem.Join(where, "to"), "account %q is both sender and receiver; a link goes from one account to another", a)
				toOK = false
			}
		}
		l.Header = linkkind.Header{
			Name:         l.Name,
			Prefix:       prefixOf(t),
			Region:       t.Region,
			Organization: t.Organization,
			From:         resolve(t, l.From, l.SideRegions),
			To:           resolve(t, l.To, l.SideRegions),
			FromUnits:    units(t, l.FromUnits, l.SideRegions),
			ToUnits:      units(t, l.ToUnits, l.SideRegions),
		}
		if v, has := fields["to"]; has {
			checkPartition(l.Header, v.Line, where, p)
		}
		if kind != nil {
			// The kind decodes and validates its options whatever else is wrong with
			// the link, so that every problem is reported at once.
			d := linkkind.NewDecoder(linkkind.DecoderInput{
				Header: l.Header, Where: where, Line: ln.Line,
				Options: fields["options"], From: fields["from"], To: fields["to"],
				NameSound: ok, FromSound: fromOK, ToSound: toOK,
			}, p)
			l.Spec = kind.Decode(d)
		}
		out = append(out, l)
	}
	return out
}

// kindNamed returns the kind of kinds called name, or nil.
func kindNamed(kinds []*linkkind.Kind, name string) *linkkind.Kind {
	for _, k := range kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// prefixOf is what the topology's namePrefix puts in front of every physical name.
func prefixOf(t *Topology) string {
	if t.NamePrefix == "" {
		return ""
	}
	return t.NamePrefix + "-"
}

// resolve returns the accounts of aliases, with ID "" for an alias that is unknown,
// each with its region on the link: the side's (sides), else the account's, else the
// topology's.
func resolve(t *Topology, aliases []string, sides map[string]string) []linkkind.Account {
	out := make([]linkkind.Account, len(aliases))
	for i, a := range aliases {
		r := sides[a]
		if r == "" {
			r = t.RegionOf(a)
		}
		out[i] = linkkind.Account{Alias: a, ID: t.AccountID(a), Region: r}
	}
	return out
}

// RegionIn returns the region the account alias takes part in l from.
func (t *Topology) RegionIn(l Link, alias string) string {
	if r := l.SideRegions[alias]; r != "" {
		return r
	}
	return t.RegionOf(alias)
}

// Regions returns the regions account alias has stacks in, in the order its links
// first name them: the regions it takes part in links from, or its own region when
// it takes part in none (or has private access, whose endpoints are in its own region).
func (t *Topology) Regions(alias string) []string {
	var out []string
	add := func(r string) {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if _, ok := t.PrivateAccessOf(alias); ok {
		add(t.RegionOf(alias))
	}
	for _, l := range t.Links {
		if l.Involves(alias) {
			add(t.RegionIn(l, alias))
		}
	}
	if len(out) == 0 {
		add(t.RegionOf(alias))
	}
	return out
}

// regionValue reads a region name, which must be one of aws-sdk-go-v2's partition
// metadata (awsarn.IsKnownRegion).
func regionValue(n *yaml.Node, where string, p *problem.List) (string, bool) {
	r, ok := scalar(n, where, p)
	switch {
	case !ok:
		return "", false
	case !awsarn.IsRegion(r):
		p.Addf(n.Line, where, "region %q is not an AWS region name such as eu-west-1", r)
		return "", false
	case !awsarn.IsKnownRegion(r):
		p.Addf(n.Line, where, "region %q is not a region of the %s partition; its regions: %s", r, awsarn.Partition(r), strings.Join(awsarn.KnownRegions(awsarn.Partition(r)), ", "))
		return "", false
	}
	return r, true
}

// checkPartition refuses a link whose sides are in different partitions (aws,
// aws-cn, aws-us-gov): IAM principals, ARNs and delivery never cross them.
func checkPartition(h linkkind.Header, line int, where string, p *problem.List) {
	var first linkkind.Account
	for _, a := range append(append([]linkkind.Account(nil), h.From...), h.To...) {
		if !awsarn.IsKnownRegion(a.Region) {
			continue
		}
		if first.Region == "" {
			first = a
			continue
		}
		if awsarn.Partition(a.Region) != awsarn.Partition(first.Region) {
			p.Addf(line, where, "account %q is in %s (partition %s) and account %q in %s (partition %s): a link cannot cross partitions, since no principal or ARN of one is valid in the other; keep both sides in one partition", first.Alias, first.Region, awsarn.Partition(first.Region), a.Alias, a.Region, awsarn.Partition(a.Region))
			return
		}
	}
}

// accountRefs reads the from or to field of a link: one alias or a list of aliases,
// each of which must name an account, or an organizational unit (the unit names are
// returned apart).
func accountRefs(t *Topology, fields map[string]*yaml.Node, ln *yaml.Node, where, field string, sides map[string]string, p *problem.List) ([]string, []string, bool) {
	ok := true
	v, has := fields[field]
	if !has {
		p.Addf(ln.Line, problem.Join(where, field), "%s is missing: name an account alias", field)
		return nil, nil, false
	}
	names := sideList(v, problem.Join(where, field), sides, p)
	if len(names) == 0 {
		return nil, nil, false
	}
	var aliases, unitNames []string
	seen := map[string]bool{}
	for _, a := range names {
		if seen[a] {
			p.Addf(v.Line, problem.Join(where, field), "account %q is listed twice", a)
			ok = false
		}
		seen[a] = true
		if t.declaredUnits[a] {
			unitNames = append(unitNames, a)
			if _, sound := t.Unit(a); !sound {
				ok = false // reported at organizationalUnits
			}
			continue
		}
		aliases = append(aliases, a)
		switch {
		case !accountsKnown(t):
			ok = false // reported at accounts
		case !hasAlias(t, a) && len(t.declaredUnits) > 0:
			p.Addf(v.Line, problem.Join(where, field), "account alias or organizational unit %q is unknown; known aliases: %s; organizational units: %s", a, aliasList(t), unitList(t))
			ok = false
		case !hasAlias(t, a):
			p.Addf(v.Line, problem.Join(where, field), "account alias %q is unknown; known aliases: %s", a, aliasList(t))
			ok = false
		case !awsarn.IsAccountID(t.AccountID(a)):
			ok = false // reported at accounts
		}
	}
	return aliases, unitNames, ok
}

// unitSide reports, when a link names organizational units on a side its kind
// cannot roll out by StackSets, why not.
func unitSide(kind *linkkind.Kind, unitNames []string, v *yaml.Node, where, field string, p *problem.List) bool {
	if len(unitNames) == 0 || kind.UnitSide == field {
		return true
	}
	why := kind.NoUnits
	if why == "" {
		why = "this kind of link does not support organizational units"
	}
	p.Addf(v.Line, problem.Join(where, field), "organizational unit %s cannot be on the %s side of a %s link: %s", linkkind.QuoteAll(unitNames), field, kind.Name, why)
	return false
}

func accountsKnown(t *Topology) bool { return len(t.Accounts) > 0 }

func hasAlias(t *Topology, alias string) bool {
	for _, a := range t.Accounts {
		if a.Alias == alias {
			return true
		}
	}
	return false
}

// keyOf returns the key node of key in the mapping n, or nil.
func keyOf(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// lookup returns the value of key in the mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// mappingFields returns the values of a mapping by key and reports keys that are not
// among allowed, and keys given twice.
func mappingFields(n *yaml.Node, where string, allowed []string, p *problem.List) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		switch {
		case !slices.Contains(allowed, k.Value):
			p.Addf(k.Line, problem.Join(where, k.Value), "field %q is unknown; allowed: %s", k.Value, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.Addf(k.Line, problem.Join(where, k.Value), "field %q is given twice", k.Value)
		default:
			out[k.Value] = n.Content[i+1]
		}
	}
	return out
}

// scalar returns the value of a scalar node, and false (with a problem) when n is
// not one or is empty.
func scalar(n *yaml.Node, where string, p *problem.List) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.Addf(n.Line, where, "%s must be a single value, not %s", lastField(where), kindName(n))
		return "", false
	}
	if n.Value == "" {
		p.Addf(n.Line, where, "%s is empty", lastField(where))
		return "", false
	}
	return n.Value, true
}

// sideList reads a link side: one alias or a list of them, where each may instead be
// a mapping {account: alias, region: r} naming the region the account takes part
// from (kept in sides).
func sideList(n *yaml.Node, where string, sides map[string]string, p *problem.List) []string {
	one := func(e *yaml.Node) (string, bool) {
		if e.Kind != yaml.MappingNode {
			return scalar(e, where, p)
		}
		if lookup(e, "account") == nil {
			p.Addf(e.Line, where, "%s must be an account alias, {account: alias, region: r} or a list of them, not a mapping without account", lastField(where))
			return "", false
		}
		f := mappingFields(e, where, []string{"account", "region"}, p)
		an := f["account"]
		a, ok := scalar(an, where+".account", p)
		if rn, has := f["region"]; has && ok {
			if r, rok := regionValue(rn, where+".region", p); rok {
				sides[a] = r
			}
		}
		return a, ok
	}
	switch n.Kind {
	case yaml.MappingNode:
		if a, ok := one(n); ok {
			return []string{a}
		}
		return nil
	case yaml.SequenceNode:
		var out []string
		for _, e := range n.Content {
			if a, ok := one(e); ok {
				out = append(out, a)
			}
		}
		if len(n.Content) == 0 {
			p.Addf(n.Line, where, "%s is an empty list: name at least one account alias", lastField(where))
		}
		return out
	}
	return stringList(n, where, p)
}

// stringList reads one alias or a list of them; every element that is not a
// non-empty scalar is reported.
func stringList(n *yaml.Node, where string, p *problem.List) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if s, ok := scalar(n, where, p); ok {
			return []string{s}
		}
		return nil
	case yaml.SequenceNode:
		var out []string
		for _, e := range n.Content {
			if s, ok := scalar(e, where, p); ok {
				out = append(out, s)
			}
		}
		if len(n.Content) == 0 {
			p.Addf(n.Line, where, "%s is an empty list: name at least one account alias", lastField(where))
		}
		return out
	default:
		p.Addf(n.Line, where, "%s must be an account alias, {account: alias, region: r} or a list of them, not %s", lastField(where), kindName(n))
		return nil
	}
}

// lastField returns the field a place ends in: `kind` of `links[0] "x": kind`.
func lastField(where string) string {
	i := strings.LastIndex(where, ".")
	if j := strings.LastIndex(where, ": "); j >= 0 && j+1 > i {
		i = j + 1
	}
	return strings.TrimSpace(where[i+1:])
}

func kindName(n *yaml.Node) string { return linkkind.KindName(n) }

func kindList(kinds []*linkkind.Kind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = k.Name
	}
	return strings.Join(s, ", ")
}

func aliasList(t *Topology) string {
	s := make([]string, len(t.Accounts))
	for i, a := range t.Accounts {
		s[i] = a.Alias
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}
