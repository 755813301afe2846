package topology

import (
	"net/mail"
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// Alarms is the optional alarms section of a topology file: where each account's
// CloudWatch alarms go.
//
//	alarms:
//	  topics: {billing: arn:aws:sns:eu-west-1:222222222222:oncall}
//	  emails: {orders: [ops@example.com]}
type Alarms struct {
	// Topics maps an account alias to an existing SNS topic of that account and the
	// topology's region that its alarms notify instead of the created alarm topic.
	Topics map[string]string
	// Emails maps an account alias to the e-mail addresses subscribed to its created
	// alarm topic.
	Emails map[string][]string
}

// AlarmTopicOf returns the existing topic the alarms of alias notify, or "": an
// alarms.topics entry, which is in the account's own region (RegionOf).
func (t *Topology) AlarmTopicOf(alias string) string { return t.Alarms.Topics[alias] }

// AlarmTopicIn returns the existing topic the alarms of alias in region notify, or ""
// when the account's alarms there notify the topic Crosswire creates: an existing
// topic serves the alarms of its own region only.
func (t *Topology) AlarmTopicIn(alias, region string) string {
	if region != t.RegionOf(alias) {
		return ""
	}
	return t.AlarmTopicOf(alias)
}

// alarmTopicARN is an SNS topic ARN: partition, region, account, name.
var alarmTopicARN = regexp.MustCompile(`^arn:aws(?:-cn|-us-gov)?:sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$`)

// parseAlarms reads the alarms section n of t, whose accounts are already read.
func parseAlarms(t *Topology, n *yaml.Node, p *problem.List) Alarms {
	a := Alarms{Topics: map[string]string{}, Emails: map[string][]string{}}
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "alarms", "alarms must be a mapping with topics and emails, not %s", kindName(n))
		return a
	}
	fields := mappingFields(n, "alarms", []string{"topics", "emails"}, p)
	eachAccount := func(field string, each func(alias, id string, v *yaml.Node, where string)) {
		m, ok := fields[field]
		if !ok {
			return
		}
		if m.Kind != yaml.MappingNode {
			p.Addf(m.Line, "alarms."+field, "%s must map account aliases to their values, not %s", field, kindName(m))
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			where := "alarms." + field + "." + k.Value
			id := t.AccountID(k.Value)
			if id == "" {
				p.Addf(k.Line, where, "account alias %q is unknown; known aliases: %s", k.Value, aliasList(t))
				continue
			}
			each(k.Value, id, v, where)
		}
	}
	eachAccount("topics", func(alias, id string, v *yaml.Node, where string) {
		arn, ok := scalar(v, where, p)
		if !ok {
			return
		}
		m := alarmTopicARN.FindStringSubmatch(arn)
		switch {
		case m == nil:
			p.Addf(v.Line, where, "alarm topic %q is not an SNS topic ARN such as arn:aws:sns:%s:%s:oncall", arn, t.Region, id)
			return
		case m[1] != t.RegionOf(alias):
			p.Addf(v.Line, where, "alarm topic %q is in region %s, but account %s is in %s: CloudWatch alarm actions must be in the alarm's region (the account's stacks in other regions get a topic of their own)", arn, m[1], alias, t.RegionOf(alias))
			return
		case m[2] != id:
			p.Addf(v.Line, where, "alarm topic %q belongs to account %s, not to account %s (%s): an account's alarms notify a topic of their own account", arn, m[2], alias, id)
			return
		}
		a.Topics[alias] = arn
	})
	eachAccount("emails", func(alias, id string, v *yaml.Node, where string) {
		if _, existing := a.Topics[alias]; existing {
			p.Addf(v.Line, where, "account %s sends its alarms to an existing topic (alarms.topics); subscribe the addresses to that topic instead", alias)
			return
		}
		nodes := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			nodes = v.Content
		}
		for _, e := range nodes {
			addr, ok := scalar(e, where, p)
			if !ok {
				continue
			}
			if parsed, err := mail.ParseAddress(addr); err != nil || parsed.Address != addr {
				p.Addf(e.Line, where, "e-mail address %q is not valid: write a bare address such as ops@example.com", addr)
				continue
			}
			a.Emails[alias] = append(a.Emails[alias], addr)
		}
		if alarmed, known := t.hasAlarms(id); known && !alarmed {
			p.Addf(v.Line, where, "account %s has no alarms (it holds no half of a link whose alarms are on), so no alarm topic is created for these addresses to subscribe to: leave them out until it does", alias)
		}
	})
	return a
}

// hasAlarms reports whether the account id holds a half with alarms
// (linkkind.HasAlarms) of any link of t; known is false when a link could not be
// read, which leaves the answer open.
func (t *Topology) hasAlarms(id string) (alarmed, known bool) {
	for _, l := range t.Links {
		if l.Spec == nil {
			return false, false
		}
		for _, h := range l.Spec.Halves(id) {
			if linkkind.HasAlarms(l.Spec, h.Role) {
				return true, true
			}
		}
	}
	return false, true
}
