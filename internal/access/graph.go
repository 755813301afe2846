package access

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Link kinds, as a topology file names them.
const (
	LinkQueue  = "queue"
	LinkTopic  = "topic"
	LinkBus    = "bus"
	LinkStream = "stream"
)

// Graph is the accounts and links of a topology or cloud assembly.
type Graph struct {
	// Accounts are sorted by ID.
	Accounts []GraphAccount `json:"accounts"`
	// Links are sorted by name.
	Links []GraphLink `json:"links"`
}

// GraphAccount is an account: its ID and alias.
type GraphAccount struct {
	ID    string `json:"id"`
	Alias string `json:"alias,omitempty"`
}

// GraphLink is a link: its name, kind, access mode and the account IDs it goes
// from and to.
type GraphLink struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Mode is how the link crosses accounts: for a queue its access (queue-policy or
	// assume-role), for a bus its mode (bus or direct), for a topic who may
	// subscribe (accounts or organization), for a stream enhanced-fan-out.
	Mode string   `json:"mode"`
	From []string `json:"from"`
	To   []string `json:"to"`
}

// StreamMode is the access mode of every stream link: each consumer account reads
// through an enhanced fan-out consumer of its own.
const StreamMode = "enhanced-fan-out"

// GraphOf derives the accounts and links from a cloud assembly: each account from
// its stacks' environment, with the alias their tag or description names; each link
// from the resources whose construct path is Stack/<link>/..., its kind and
// direction from what each account holds of it, its mode from its policies.
func GraphOf(a *Assembly) (*Graph, error) {
	g := &Graph{}
	aliases := a.Aliases()
	for _, acct := range a.Accounts() {
		g.Accounts = append(g.Accounts, GraphAccount{ID: acct, Alias: aliases[acct]})
	}
	// Resources of each link, by account.
	type part struct {
		byAccount map[string][]*Resource
		// units are the organizational units a stack set of the link rolls it out to.
		units []string
	}
	links := map[string]*part{}
	for _, s := range a.Stacks {
		for _, r := range s.Resources() {
			if r.Link == "" {
				continue
			}
			p := links[r.Link]
			if p == nil {
				p = &part{byAccount: map[string][]*Resource{}}
				links[r.Link] = p
			}
			if r.Type == stackSetType {
				// The member accounts of an organizational unit, not the
				// administrator's account, hold this side of the link.
				if ou := stackSetUnit(r); ou != "" {
					p.units = append(p.units, ou)
					if !slices.ContainsFunc(g.Accounts, func(a GraphAccount) bool { return a.ID == ou }) {
						g.Accounts = append(g.Accounts, GraphAccount{ID: ou, Alias: "organizational unit"})
					}
				}
				continue
			}
			p.byAccount[s.Account] = append(p.byAccount[s.Account], r)
		}
	}
	for _, name := range sortedKeys(links) {
		by := links[name].byAccount
		has := func(acct, typ string) bool {
			for _, r := range by[acct] {
				if r.Type == typ {
					return true
				}
			}
			return false
		}
		anyHas := func(typ string) bool {
			for acct := range by {
				if has(acct, typ) {
					return true
				}
			}
			return false
		}
		l := GraphLink{Name: name}
		// The account that owns the link's central resource is "from" for topics and
		// streams (the publisher owns them) and "to" for queues and buses.
		var owns func(acct string) bool
		switch {
		case anyHas("AWS::Kinesis::Stream"):
			l.Kind, l.Mode = LinkStream, StreamMode
			owns = func(acct string) bool { return has(acct, "AWS::Kinesis::Stream") }
		case anyHas("AWS::Events::Rule"):
			l.Kind = LinkBus
			l.Mode = "direct"
			if anyHas("AWS::Events::EventBusPolicy") {
				l.Mode = "bus"
			}
			// Senders hold a rule whose target is in another account.
			owns = func(acct string) bool { return !forwardsElsewhere(by[acct], acct) }
		case anyHas("AWS::SNS::Topic"):
			l.Kind = LinkTopic
			owns = func(acct string) bool { return has(acct, "AWS::SNS::Topic") }
			l.Mode = "accounts"
			for acct := range by {
				for _, r := range by[acct] {
					if r.Type == "AWS::SNS::TopicPolicy" && strings.Contains(canonical(r.props["PolicyDocument"]), `"aws:PrincipalOrgID"`) {
						l.Mode = "organization"
					}
				}
			}
		case anyHas("AWS::SQS::Queue"):
			l.Kind = LinkQueue
			owns = func(acct string) bool { return has(acct, "AWS::SQS::Queue") }
			l.Mode = "queue-policy"
		default:
			continue // not a link: a construct of the stack such as PrivateAccess
		}
		for _, acct := range sortedKeys(by) {
			o := owns(acct)
			if l.Kind == LinkQueue && o && has(acct, "AWS::IAM::Role") {
				l.Mode = "assume-role"
			}
			if o == (l.Kind == LinkTopic || l.Kind == LinkStream) {
				l.From = append(l.From, acct)
			} else {
				l.To = append(l.To, acct)
			}
		}
		// A link's unit side is the side that is not the owner's.
		if len(links[name].units) > 0 {
			if l.Kind == LinkTopic || l.Kind == LinkStream {
				l.To = append(l.To, links[name].units...)
			} else {
				l.From = append(l.From, links[name].units...)
			}
		}
		if len(l.From) == 0 || len(l.To) == 0 {
			return nil, fmt.Errorf("link %q: cannot tell its senders from its receivers in the assembly (accounts %s)", name, strings.Join(sortedKeys(by), ", "))
		}
		g.Links = append(g.Links, l)
	}
	g.sortGraph()
	return g, nil
}

// forwardsElsewhere reports whether one of the rules among rs has a target in
// another account than acct.
func forwardsElsewhere(rs []*Resource, acct string) bool {
	for _, r := range rs {
		if r.Type != "AWS::Events::Rule" {
			continue
		}
		targets, _ := r.props["Targets"].([]any)
		for _, t := range targets {
			m, _ := t.(map[string]any)
			arn, err := r.stack.resolve(m["Arn"])
			if err != nil {
				continue
			}
			if parts := arnParts(arn); parts != nil && accountPattern.MatchString(parts[4]) && parts[4] != acct {
				return true
			}
		}
	}
	return false
}

// Mermaid renders the graph as a Mermaid flowchart: one node per account labelled
// with its alias and ID, one arrow per sender and receiver of each link labelled
// "kind name (mode)".
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, a := range g.Accounts {
		label := a.ID
		if a.Alias != "" {
			label = a.Alias + "<br/>" + a.ID
		}
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", nodeID(a.ID), mermaidText(label))
	}
	for _, l := range g.Links {
		for _, from := range l.From {
			for _, to := range l.To {
				fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", nodeID(from), mermaidText(l.Label()), nodeID(to))
			}
		}
	}
	return b.String()
}

// Label renders the link as "queue invoices (queue-policy)".
func (l GraphLink) Label() string {
	return l.Kind + " " + l.Name + " (" + l.Mode + ")"
}

// nodeID is the Mermaid node of an account.
func nodeID(account string) string { return "acct" + account }

// mermaidText escapes a label for a quoted Mermaid string.
func mermaidText(s string) string {
	return strings.ReplaceAll(s, `"`, "#quot;")
}

// sortGraph puts accounts in ID order, links in name order, and each link's
// accounts in ID order.
func (g *Graph) sortGraph() {
	sort.Slice(g.Accounts, func(i, j int) bool { return g.Accounts[i].ID < g.Accounts[j].ID })
	sort.Slice(g.Links, func(i, j int) bool { return g.Links[i].Name < g.Links[j].Name })
	for i := range g.Links {
		sort.Strings(g.Links[i].From)
		sort.Strings(g.Links[i].To)
	}
}

// stackSetType is the CloudFormation type of a stack set.
const stackSetType = "AWS::CloudFormation::StackSet"

// stackSetUnit returns the organizational unit a stack set deploys to (the first of
// its first stack instances group), or "".
func stackSetUnit(r *Resource) string {
	groups, _ := r.props["StackInstancesGroup"].([]any)
	if len(groups) == 0 {
		return ""
	}
	g, _ := groups[0].(map[string]any)
	targets, _ := g["DeploymentTargets"].(map[string]any)
	ous, _ := targets["OrganizationalUnitIds"].([]any)
	if len(ous) == 0 {
		return ""
	}
	ou, _ := ous[0].(string)
	return ou
}
