package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
)

// Source and detail type of the test event when the pattern does not test them.
const (
	testSource     = "crosswire.smoke-test"
	testDetailType = "Crosswire smoke test"
)

// event is a test event that a link's event pattern matches: the fields PutEvents
// sets. EventBridge sets the others (account, region, version, id, time).
type event struct {
	source, detailType string
	resources          []string
	// detail holds the fields the pattern requires of the detail; nil when it tests
	// none.
	detail map[string]any
}

// matchingEvent returns the simplest event that pattern matches when account puts it
// on its bus in region: the first plain value of each array the pattern tests
// (source, detail-type, resources and the detail's fields, at any depth). It returns
// an error, saying why, when no such event exists: the pattern tests a field only
// with content filters (prefix, numeric, exists, ...) or $or, tests a field that
// PutEvents cannot set (id, time), names other accounts or regions only, or names
// only aws.* sources, which PutEvents refuses because only AWS services send them.
func matchingEvent(pattern buslink.EventPattern, account, region string) (event, error) {
	m, err := decodePattern(pattern)
	if err != nil {
		return event{}, err
	}
	e := event{source: testSource, detailType: testDetailType}
	for _, k := range sortedKeys(m) {
		v := m[k]
		if k == "detail" {
			d, ok := v.(map[string]any)
			if !ok {
				return event{}, fmt.Errorf("detail must be an object of fields to match, not %s", compact(v))
			}
			if e.detail, err = matchingObject(d, "detail"); err != nil {
				return event{}, err
			}
			continue
		}
		values, ok := v.([]any)
		if !ok {
			return event{}, fmt.Errorf("%s is tested as an object, which no field of an event put with PutEvents can match", k)
		}
		switch k {
		case "source":
			sources := plainStrings(values)
			i := slices.IndexFunc(sources, func(s string) bool { return !strings.HasPrefix(s, "aws.") })
			switch {
			case len(sources) == 0:
				return event{}, fmt.Errorf("source is tested only by %s; only a plain value can be sent", compact(values))
			case i < 0:
				return event{}, fmt.Errorf("source %s is reserved for AWS services, whose events PutEvents cannot send; only a real event of that service tests this link", strings.Join(sources, ", "))
			}
			e.source = sources[i]
		case "detail-type":
			s, err := first(values, k)
			if err != nil {
				return event{}, err
			}
			e.detailType = s
		case "resources":
			s, err := first(values, k)
			if err != nil {
				return event{}, err
			}
			e.resources = []string{s}
		case "account", "region", "version":
			set := map[string]string{"account": account, "region": region, "version": "0"}[k]
			if !slices.Contains(plainStrings(values), set) {
				return event{}, fmt.Errorf("%s is tested for %s, but EventBridge sets it to %s for this event", k, compact(values), set)
			}
		default:
			return event{}, fmt.Errorf("%s is tested, which an event put with PutEvents cannot set", k)
		}
	}
	return e, nil
}

// decodePattern parses pattern, keeping numbers as they are written.
func decodePattern(pattern buslink.EventPattern) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(pattern)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("the event pattern is not a JSON object")
	}
	return m, nil
}

// matchingObject returns the fields that the pattern object m, at path, requires.
func matchingObject(m map[string]any, path string) (map[string]any, error) {
	out := map[string]any{}
	for _, k := range sortedKeys(m) {
		field := path + "." + k
		if strings.HasPrefix(k, "$") {
			return nil, fmt.Errorf("%s is tested with %s; only fields of plain values can be satisfied here", path, k)
		}
		switch v := m[k].(type) {
		case map[string]any:
			sub, err := matchingObject(v, field)
			if err != nil {
				return nil, err
			}
			out[k] = sub
		case []any:
			i := slices.IndexFunc(v, isPlain)
			if i < 0 {
				return nil, fmt.Errorf("%s is tested only by %s; only a plain value can be sent", field, compact(v))
			}
			out[k] = v[i]
		default:
			return nil, fmt.Errorf("%s is %s, not an array of values to match", field, compact(v))
		}
	}
	return out, nil
}

// isPlain reports whether a value of a pattern's array is matched by equality: a
// string, number, boolean or null, rather than a content filter object.
func isPlain(v any) bool {
	switch v.(type) {
	case string, json.Number, bool, nil:
		return true
	}
	return false
}

// plainStrings returns the strings among values, in order.
func plainStrings(values []any) []string {
	var out []string
	for _, v := range values {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// first returns the first string among the values the pattern tests field with.
func first(values []any, field string) (string, error) {
	if s := plainStrings(values); len(s) > 0 {
		return s[0], nil
	}
	return "", fmt.Errorf("%s is tested only by %s; only a plain string can be sent", field, compact(values))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compact renders v as compact JSON, as a topology file's author wrote it (">=" not
// "\u003e=").
func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// detailJSON returns the event's detail: the test message body (a JSON object) with
// the fields the pattern requires put over it.
func (e event) detailJSON(body string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		return "", fmt.Errorf("the test message is not a JSON object: %v", err)
	}
	merge(d, e.detail)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// merge puts the fields of src over dst, merging objects found in both.
func merge(dst, src map[string]any) {
	for k, v := range src {
		sub, isObject := v.(map[string]any)
		if have, ok := dst[k].(map[string]any); ok && isObject {
			merge(have, sub)
			continue
		}
		if isObject {
			fresh := map[string]any{}
			merge(fresh, sub)
			v = fresh
		}
		dst[k] = v
	}
}
