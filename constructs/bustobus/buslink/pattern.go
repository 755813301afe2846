package buslink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/problem"
)

// EventPattern is an EventBridge event pattern as JSON text, for example
// {"source":["aws.ec2"]}. In a topology file it is written either as a YAML mapping
// (source: [aws.ec2]) or as a string holding the JSON; both become this JSON text.
type EventPattern string

// UnmarshalYAML reads an event pattern from YAML: a mapping is converted to JSON, a
// string is taken as JSON text. It has the signature that both gopkg.in/yaml.v2 and v3
// call, so this package needs no YAML dependency.
func (p *EventPattern) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		*p = EventPattern(s)
		return nil
	}
	var m map[string]any
	if err := unmarshal(&m); err != nil {
		return fmt.Errorf("an event pattern must be a mapping or a string holding a JSON object")
	}
	// <, > and & as they are: escaped, each would count six characters against
	// MaxEventPatternLength.
	b, err := jsonx.Marshal(m)
	if err != nil {
		return fmt.Errorf("event pattern: %v", err)
	}
	*p = EventPattern(b)
	return nil
}

// Object parses the pattern into the value a CloudFormation template holds.
func (p EventPattern) Object() (map[string]any, error) {
	var v any
	if err := json.Unmarshal([]byte(p), &v); err != nil {
		return nil, fmt.Errorf("event pattern is not valid JSON: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("event pattern must be a JSON object, not %s", jsonKind(v))
	}
	return m, nil
}

// Compact returns the pattern as compact JSON, the form whose length EventBridge
// limits. It returns the pattern unchanged when it is not valid JSON.
func (p EventPattern) Compact() string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(p)); err != nil {
		return string(p)
	}
	return b.String()
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// ReceiverEventPattern is the pattern of the receiver's rule and archive (ModeBus),
// when the pattern does not test the account itself: the link's pattern narrowed to
// events of the sender accounts with AllowAccounts; with AllowOrganization on the
// default bus, to events of any account but the receiver, since a default bus also
// carries the receiver's own events, which must not reach the link's targets.
func (l Link) ReceiverEventPattern() EventPattern {
	l = l.WithDefaults()
	m, err := l.EventPattern.Object()
	if err != nil {
		return l.EventPattern
	}
	if _, tested := m["account"]; tested {
		return l.EventPattern
	}
	switch {
	case l.Allow == AllowAccounts:
		accounts := make([]any, len(l.SenderAccounts))
		for i, a := range l.SenderAccounts {
			accounts[i] = a
		}
		m["account"] = accounts
	case l.ReceiverBus == ReceiverBusDefault:
		// Any organization account may send; the receiver's own default-bus events
		// are not the link's.
		m["account"] = []any{map[string]any{"anything-but": []any{l.ReceiverAccount}}}
	default:
		return l.EventPattern
	}
	b, err := jsonx.Marshal(m)
	if err != nil {
		return l.EventPattern
	}
	return EventPattern(b)
}

// SenderEventPattern is the pattern of the forwarding rule of the sender account: the
// link's pattern narrowed to events of that account, unless the pattern tests the
// account itself. A bus also carries events that other accounts relayed to it (links
// in both directions over default buses), which keep their original account field;
// EventBridge does not send an event received from another account on to a further
// account, so the rule would match events it can never deliver.
func (l Link) SenderEventPattern(account string) EventPattern {
	m, err := l.EventPattern.Object()
	if err != nil {
		return l.EventPattern
	}
	if _, tested := m["account"]; tested {
		return l.EventPattern
	}
	m["account"] = []any{account}
	b, err := jsonx.Marshal(m)
	if err != nil {
		return l.EventPattern
	}
	return EventPattern(b)
}

func (l Link) validatePattern(p *problem.List) {
	const where = "options.eventPattern"
	if strings.TrimSpace(string(l.EventPattern)) == "" {
		p.Addf(0, where, "eventPattern is missing: give the event pattern that selects the events to send, such as {\"source\": [\"aws.ec2\"]}")
		return
	}
	m, err := l.EventPattern.Object()
	if err != nil {
		p.Addf(0, where, "%v", err)
		return
	}
	if len(m) == 0 {
		p.Addf(0, where, "eventPattern {} matches no field; name at least one, such as \"source\"")
	}
	for _, msg := range patternProblems(m, "") {
		p.Addf(0, where, "%s", msg)
	}
	if n := utf8.RuneCountInString(l.EventPattern.Compact()); n > MaxEventPatternLength {
		p.Addf(0, where, "eventPattern is %d characters as compact JSON; EventBridge allows %d", n, MaxEventPatternLength)
	} else if rp := l.ReceiverEventPattern(); rp != l.EventPattern {
		if n := utf8.RuneCountInString(rp.Compact()); n > MaxEventPatternLength {
			p.Addf(0, where, "eventPattern with the account filter the receiver's rule adds is %d characters; EventBridge allows %d (test \"account\" in the pattern yourself to avoid the filter)", n, MaxEventPatternLength)
		}
	}
	if n := utf8.RuneCountInString(l.EventPattern.Compact()); n <= MaxEventPatternLength && len(l.SenderAccounts) > 0 {
		if sp := l.SenderEventPattern(l.SenderAccounts[0]); sp != l.EventPattern {
			if n := utf8.RuneCountInString(sp.Compact()); n > MaxEventPatternLength {
				p.Addf(0, where, "eventPattern with the account filter the senders' rules add is %d characters; EventBridge allows %d (test \"account\" in the pattern yourself to avoid the filter)", n, MaxEventPatternLength)
			}
		}
	}
}

// patternProblems checks the shape EventBridge requires: every field of a pattern
// object holds a non-empty array of matchers or a nested pattern object.
func patternProblems(m map[string]any, path string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		field := k
		if path != "" {
			field = path + "." + k
		}
		switch v := m[k].(type) {
		case map[string]any:
			if len(v) == 0 {
				out = append(out, fmt.Sprintf("eventPattern field %q is an empty object; give it fields or drop it", field))
			}
			out = append(out, patternProblems(v, field)...)
		case []any:
			if len(v) == 0 {
				out = append(out, fmt.Sprintf("eventPattern field %q is an empty array; EventBridge needs at least one value to match", field))
			}
		default:
			out = append(out, fmt.Sprintf("eventPattern field %q is %s; EventBridge needs an array of values to match, such as [%s]", field, jsonKind(v), jsonx.String(v)))
		}
	}
	return out
}
