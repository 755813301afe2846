package topology

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/problem"
)

// linkInput is what a kind's builder gets: the link as parsed so far, its YAML nodes,
// and whether its structure is sound (name, kind and accounts resolved).
type linkInput struct {
	t        *Topology
	link     *Link
	opts, to *yaml.Node
	line     int
	where    string
	ok       bool
}

// kindSpec is how one kind of link is read: build decodes the options (always, so
// that every problem is reported at once) and, when the link is sound, sets the
// kind's construct link on in.link.
type kindSpec struct {
	build func(in linkInput, p *problem.List)
}

var kinds = map[Kind]kindSpec{
	KindQueue: {build: buildQueue},
}

// decodeKindOptions decodes opts into out; it reports false when any option was wrong.
func decodeKindOptions(in linkInput, out any, p *problem.List) bool {
	if in.opts == nil {
		return true
	}
	return decodeOptions(in.opts, out, problem.Join(in.where, "options"), p)
}

// mergeLinkProblems adds to p the problems a construct's own validation found that
// belong to the link: its derived names and its options. Accounts, region,
// organization and prefix are checked once for the whole file and not repeated.
func mergeLinkProblems(in linkInput, kp *problem.List, p *problem.List) {
	for _, x := range kp.Items() {
		if x.Where == "name" || strings.HasPrefix(x.Where, "options.") {
			var one problem.List
			one.Addf(x.Line, x.Where, "%s", x.Msg)
			p.Merge(optionLine(in.opts, x.Where, in.line), in.where, &one)
		}
	}
}

// optionLine finds the line of option where (options.x) in opts, or returns def.
func optionLine(opts *yaml.Node, where string, def int) int {
	name, ok := strings.CutPrefix(where, "options.")
	if !ok || opts == nil || opts.Kind != yaml.MappingNode {
		return def
	}
	if i := strings.IndexAny(name, ".["); i >= 0 {
		name = name[:i]
	}
	for i := 0; i+1 < len(opts.Content); i += 2 {
		if opts.Content[i].Value == name {
			return opts.Content[i].Line
		}
	}
	return def
}

func (in linkInput) ids(aliases []string) []string {
	out := make([]string, len(aliases))
	for i, a := range aliases {
		out[i] = in.t.AccountID(a)
	}
	return out
}

// buildQueue reads a queue link (construct CrossAccountQueue): one receiver account,
// one or more sender accounts.
func buildQueue(in linkInput, p *problem.List) {
	var options crossaccountqueue.Options
	ok := decodeKindOptions(in, &options, p) && in.ok
	l := in.link
	if len(l.To) > 1 {
		p.Addf(in.to.Line, problem.Join(in.where, "to"), "a queue link goes to exactly one account, not %d (%s)", len(l.To), quoteAll(l.To))
		ok = false
	}
	if !ok {
		return
	}
	q := crossaccountqueue.Link{
		Name:            l.Name,
		NamePrefix:      in.t.NamePrefix,
		Region:          in.t.Region,
		ReceiverAccount: in.t.AccountID(l.To[0]),
		SenderAccounts:  in.ids(l.From),
		OrganizationID:  in.t.Organization,
		Options:         options,
	}
	var kp problem.List
	q.Problems(&kp)
	mergeLinkProblems(in, &kp, p)
	d := q.WithDefaults()
	l.Queue = &d
}
