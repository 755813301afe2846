package streamlink

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/linkkind"
)

// Kind is the stream kind of link (kind: stream in a topology file): exactly one
// producer account, which owns the stream, and 1 to MaxConsumers consumer accounts,
// each reading it through an enhanced fan-out consumer of its own. Its consumerArns
// option is keyed by consumer alias.
var Kind = &linkkind.Kind{
	Name: "stream", Construct: "SharedKinesisEFO", Decode: decode,
	NoUnits: "the producer registers each consumer account's enhanced fan-out consumer on the stream, so the consumers must be listed accounts; " +
		"and each consumer half bundles a Lambda function (an asset), which member accounts, not CDK-bootstrapped, cannot take",
}

// The roles of the halves of a stream link.
const (
	// RoleProducer is the stream, its key, its consumers and their policies.
	RoleProducer = "producer"
	// RoleConsumer is a consumer account's role, function, look-up and mapping.
	RoleConsumer = "consumer"
)

func decode(d *linkkind.Decoder) linkkind.Link {
	var o Options
	rest := d.Options(&o, "consumerArns")
	one := d.OneAccount("from", "a stream link comes from exactly one account, the stream's")
	h := d.Header
	ok := true
	if n := len(h.To); n > MaxConsumers {
		d.Problemf(nil, "to", "%d consumer accounts, but a stream takes at most %d enhanced fan-out consumers", n, MaxConsumers)
		ok = false
	}
	if n, given := rest["consumerArns"]; given {
		o.ConsumerArns = map[string]string{}
		d.ByAccount("consumerArns", n, h.To, "consumer account", func(a linkkind.Account, v *yaml.Node, where string) bool {
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				d.Problemf(v, where, "the consumer ARN of %q must be a single value, not %s", a.Alias, linkkind.KindName(v))
				return false
			}
			o.ConsumerArns[a.ID] = v.Value
			return true
		})
	}
	l := Link{
		Name:             h.Name,
		NamePrefix:       h.Prefix,
		Region:           h.RegionOf(linkkind.First(h.From)),
		ProducerAccount:  linkkind.First(h.From),
		ConsumerAccounts: linkkind.IDs(h.To),
		Options:          o,
	}
	for _, c := range h.To {
		if c.Region != "" && c.Region != l.Region {
			// A Lambda event source mapping reads a Kinesis stream of its own region only.
			d.Problemf(nil, "to", "consumer account %q is in %s and the stream in %s: a Lambda event source mapping reads only a stream of its own region; put the consumer in the stream's region, as in to: {account: %s, region: %s}", c.Alias, c.Region, l.Region, c.Alias, l.Region)
			ok = false
		}
	}
	return linkkind.Finish(d, l, one && ok)
}

// Halves returns the halves of l that account holds: the producer half (main stack)
// in the stream's account; in each consumer account the consumer half, in the wiring
// stack: its function, consumer ARN look-up and event source mapping use the
// producer's stream and consumer. The producer's policies name the consumer role by
// account principal and aws:PrincipalArn, so the role comes with the consumer half.
func (l Link) Halves(account string) []linkkind.Half {
	switch {
	case account == l.ProducerAccount:
		return []linkkind.Half{{Account: account, Role: RoleProducer}}
	case slices.Contains(l.ConsumerAccounts, account):
		return []linkkind.Half{{Account: account, Role: RoleConsumer, Phase: linkkind.Wiring, Needs: []string{l.ProducerAccount}, AccountOptions: l.ConsumerArns[account]}}
	}
	return nil
}

// AccessMode is how consumers read the stream: enhanced-fan-out, always.
func (l Link) AccessMode() string { return "enhanced-fan-out" }
