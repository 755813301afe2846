package topology

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/internal/problem"
)

// linkInput is what a kind's builder gets: the link as parsed so far, its YAML nodes,
// and whether its structure is sound (name, kind and accounts resolved).
type linkInput struct {
	t              *Topology
	link           *Link
	opts, to, from *yaml.Node
	line           int
	where          string
	ok             bool
}

// kindSpec is how one kind of link is read: build decodes the options (always, so
// that every problem is reported at once) and, when the link is sound, sets the
// kind's construct link on in.link.
type kindSpec struct {
	build func(in linkInput, p *problem.List)
}

var kinds = map[Kind]kindSpec{
	KindQueue:  {build: buildQueue},
	KindTopic:  {build: buildTopic},
	KindBus:    {build: buildBus},
	KindStream: {build: buildStream},
}

// decodeKindOptions decodes opts into out and returns the options it reported (left
// at their zero values), and false when opts is not a mapping at all.
func decodeKindOptions(in linkInput, out any, p *problem.List) (map[string]bool, bool) {
	if in.opts == nil {
		return nil, true
	}
	return decodeOptionsFailed(in.opts, out, problem.Join(in.where, "options"), p)
}

// mergeLinkProblems adds to p the problems a construct's own validation found for
// the link. Region, organization and prefix are checked once for the whole file and
// not repeated; the link's accounts were checked before the construct's validation
// ran, so the construct reports on from and to only what the file cannot see (such as
// a policy grown too large for its receivers).
//
// Options that could not be decoded (failed) were reported already and are at their
// zero values, so the construct's findings about them are left out: the other options
// are still checked, and every problem of the link is reported at once.
func mergeLinkProblems(in linkInput, kp *problem.List, p *problem.List, failed map[string]bool) {
	for _, x := range kp.Items() {
		if aboutFailed(x, failed) {
			continue
		}
		if x.Where != "region" && x.Where != "organization" && x.Where != "namePrefix" {
			// Constructs know accounts by ID; the file names them by alias.
			for _, a := range in.t.Accounts {
				if a.ID != "" {
					x.Where = strings.ReplaceAll(x.Where, "."+a.ID, "."+a.Alias)
					x.Msg = strings.ReplaceAll(x.Msg, "account "+a.ID, "account "+a.Alias+" ("+a.ID+")")
				}
			}
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

// prefix is what the topology's namePrefix puts in front of every physical name.
func (in linkInput) prefix() string {
	if in.t.NamePrefix == "" {
		return ""
	}
	return in.t.NamePrefix + "-"
}

func (in linkInput) ids(aliases []string) []string {
	out := make([]string, len(aliases))
	for i, a := range aliases {
		out[i] = in.t.AccountID(a)
	}
	return out
}

// kindLink is what every construct's Link offers the topology: its own validation
// and its defaults.
type kindLink[L any] interface {
	Problems(*problem.List)
	WithDefaults() L
}

// checked validates the construct link l, merges its problems into p, and returns it
// with its defaults applied.
func checked[L kindLink[L]](in linkInput, l L, failed map[string]bool, p *problem.List) *L {
	var kp problem.List
	l.Problems(&kp)
	mergeLinkProblems(in, &kp, p, failed)
	d := l.WithDefaults()
	return &d
}

// buildQueue reads a queue link (construct CrossAccountQueue): one receiver account,
// one or more sender accounts.
func buildQueue(in linkInput, p *problem.List) {
	var options queuelink.Options
	failed, decoded := decodeKindOptions(in, &options, p)
	ok := decoded && in.ok
	l := in.link
	ok = oneAccount(in, "to", l.To, in.to, "a queue link goes to exactly one account", p) && ok
	if !ok {
		return
	}
	q := queuelink.Link{
		Name:            l.Name,
		NamePrefix:      in.prefix(),
		Region:          in.t.Region,
		ReceiverAccount: in.t.AccountID(l.To[0]),
		SenderAccounts:  in.ids(l.From),
		OrganizationID:  in.t.Organization,
		Options:         options,
	}
	l.Queue = checked(in, q, failed, p)
}

// oneAccount reports a problem when aliases (the link's from or to) name more than
// one account, and returns whether they name exactly one.
func oneAccount(in linkInput, field string, aliases []string, node *yaml.Node, what string, p *problem.List) bool {
	if len(aliases) > 1 {
		p.Addf(node.Line, problem.Join(in.where, field), "%s, not %d (%s)", what, len(aliases), quoteAll(aliases))
		return false
	}
	return true
}

// buildTopic reads a topic link (construct SnsToRemoteSqs): a topic in the one
// sender account, a queue in each receiver account. Its receivers option is keyed by
// account alias and decoded entry by entry, so unknown fields there are reported too.
func buildTopic(in linkInput, p *problem.List) {
	var options topiclink.Options
	l := in.link
	rest, receivers := splitOption(in.opts, "receivers")
	withRest := in
	withRest.opts = rest
	failed, decoded := decodeKindOptions(withRest, &options, p)
	ok := decoded && in.ok
	ok = oneAccount(in, "from", l.From, in.from, "a topic link comes from exactly one account, the topic's", p) && ok
	if receivers != nil {
		where := problem.Join(in.where, "options.receivers")
		if receivers.Kind != yaml.MappingNode {
			p.Addf(receivers.Line, where, "receivers must map receiver account aliases to their options, not %s", kindName(receivers))
			ok = false
		} else {
			options.Receivers = map[string]topiclink.ReceiverOptions{}
			seen := map[string]bool{}
			for i := 0; i+1 < len(receivers.Content); i += 2 {
				k, v := receivers.Content[i], receivers.Content[i+1]
				if seen[k.Value] {
					p.Addf(k.Line, where+"."+k.Value, "receiver %q is given twice", k.Value)
					ok = false
					continue
				}
				seen[k.Value] = true
				if !slices.Contains(l.To, k.Value) {
					p.Addf(k.Line, where+"."+k.Value, "%q is not a receiver of this link; receivers: %s", k.Value, quoteAll(l.To))
					ok = false
					continue
				}
				var ro topiclink.ReceiverOptions
				if !decodeOptions(v, &ro, where+"."+k.Value, p) {
					ok = false
				}
				options.Receivers[in.t.AccountID(k.Value)] = ro
			}
		}
	}
	if !ok {
		return
	}
	t := topiclink.Link{
		Name:             l.Name,
		NamePrefix:       in.prefix(),
		Region:           in.t.Region,
		SenderAccount:    in.t.AccountID(l.From[0]),
		ReceiverAccounts: in.ids(l.To),
		OrganizationID:   in.t.Organization,
		Options:          options,
	}
	l.Topic = checked(in, t, failed, p)
}

// buildBus reads a bus link (construct BusToBus): rules in the sender accounts
// forward events to the one receiver account's bus or, in direct mode, target.
func buildBus(in linkInput, p *problem.List) {
	var options buslink.Options
	failed, decoded := decodeKindOptions(in, &options, p)
	ok := decoded && in.ok
	l := in.link
	ok = oneAccount(in, "to", l.To, in.to, "a bus link goes to exactly one account", p) && ok
	if !ok {
		return
	}
	b := buslink.Link{
		Name:            l.Name,
		NamePrefix:      in.prefix(),
		Region:          in.t.Region,
		ReceiverAccount: in.t.AccountID(l.To[0]),
		SenderAccounts:  in.ids(l.From),
		OrganizationID:  in.t.Organization,
		Options:         options,
	}
	l.Bus = checked(in, b, failed, p)
}

// splitOption returns the options mapping without key, and key's value (or nil).
func splitOption(opts *yaml.Node, key string) (rest, value *yaml.Node) {
	if opts == nil || opts.Kind != yaml.MappingNode {
		return opts, nil
	}
	r := *opts
	r.Content = nil
	for i := 0; i+1 < len(opts.Content); i += 2 {
		if opts.Content[i].Value == key {
			value = opts.Content[i+1]
			continue
		}
		r.Content = append(r.Content, opts.Content[i], opts.Content[i+1])
	}
	return &r, value
}

// buildStream reads a stream link (construct SharedKinesisEFO): a stream in the one
// producer account, read through enhanced fan-out by each consumer account. Its
// consumerArns option is keyed by account alias.
func buildStream(in linkInput, p *problem.List) {
	var options streamlink.Options
	failed, decoded := decodeKindOptions(in, &options, p)
	ok := decoded && in.ok
	l := in.link
	ok = oneAccount(in, "from", l.From, in.from, "a stream link comes from exactly one account, the stream's", p) && ok
	if n := len(l.To); n > streamlink.MaxConsumers {
		p.Addf(in.to.Line, problem.Join(in.where, "to"), "%d consumer accounts, but a stream takes at most %d enhanced fan-out consumers", n, streamlink.MaxConsumers)
		ok = false
	}
	if len(options.ConsumerArns) > 0 {
		byID := map[string]string{}
		for alias, arn := range options.ConsumerArns {
			if !slices.Contains(l.To, alias) {
				p.Addf(optionLine(in.opts, "options.consumerArns", in.line), problem.Join(in.where, "options.consumerArns."+alias),
					"%q is not a consumer account of this link; consumers: %s", alias, quoteAll(l.To))
				ok = false
				continue
			}
			byID[in.t.AccountID(alias)] = arn
		}
		options.ConsumerArns = byID
	}
	if !ok {
		return
	}
	k := streamlink.Link{
		Name:             l.Name,
		NamePrefix:       in.prefix(),
		Region:           in.t.Region,
		ProducerAccount:  in.t.AccountID(l.From[0]),
		ConsumerAccounts: in.ids(l.To),
		Options:          options,
	}
	l.Stream = checked(in, k, failed, p)
}

// aboutFailed reports whether problem x is about one of the failed options: found at
// it, or naming it.
func aboutFailed(x problem.Problem, failed map[string]bool) bool {
	for name := range failed {
		if x.Where == "options."+name || strings.HasPrefix(x.Where, "options."+name+".") || strings.Contains(x.Msg, name) {
			return true
		}
	}
	return false
}
