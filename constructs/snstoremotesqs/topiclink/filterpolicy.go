package topiclink

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/jsonx"
)

// SNS filter policy limits (Amazon SNS Developer Guide, "Filter policy constraints").
const (
	// MaxFilterPolicyKeys is the most keys a filter policy may have. With
	// FilterPolicyScopeMessageBody only top-level keys count; keys nested under them
	// do not.
	MaxFilterPolicyKeys = 5
	// MaxFilterPolicyCombinations is the most value combinations a filter policy may
	// have: the product of the number of values of each key.
	MaxFilterPolicyCombinations = 150
	// MaxFilterPolicyBytes is the largest filter policy, 256 KB.
	MaxFilterPolicyBytes = 256 * 1024
)

// combinationCap keeps the product of value counts from overflowing; any policy at
// the cap is far over the limit anyway.
const combinationCap = 1 << 30

// filterOperators are the keywords of SNS filter policy operators. An "$or" array
// whose objects use one of them as a key is a plain attribute named "$or".
var filterOperators = map[string]bool{
	"prefix": true, "suffix": true, "anything-but": true, "numeric": true, "exists": true,
	"equals-ignore-case": true, "cidr": true, "wildcard": true,
}

// parseFilterPolicy returns the filter policy v (a JSON object as a string, or a
// map[string]any) as a JSON object, or nil when v is nil.
func parseFilterPolicy(v any) (map[string]any, error) {
	var raw []byte
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		raw = []byte(x)
	case map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, fmt.Errorf("filter policy cannot be written as JSON: %v", err)
		}
		raw = b
	default:
		return nil, fmt.Errorf("filter policy must be a JSON object (a string or a map of keys to value lists), not %T", v)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("filter policy is not valid JSON: %v", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("filter policy must be a JSON object of keys to value lists, not %s", jsonKind(doc))
	}
	return obj, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// filterPolicyProblems checks the filter policy v against the SNS limits for scope
// ("" means FilterPolicyScopeMessageAttributes) and returns one message per problem.
func filterPolicyProblems(v any, scope FilterPolicyScope) []string {
	fp, err := parseFilterPolicy(v)
	if err != nil {
		return []string{err.Error()}
	}
	if fp == nil {
		return nil
	}
	if len(fp) == 0 {
		return []string{"filter policy is empty; leave filterPolicy out to receive every message"}
	}
	var out []string
	if raw := jsonx.String(fp); len(raw) > MaxFilterPolicyBytes {
		out = append(out, fmt.Sprintf("filter policy is %d bytes; SNS allows at most %d (256 KB)", len(raw), MaxFilterPolicyBytes))
	}
	w := filterWalk{body: scope == FilterPolicyScopeMessageBody}
	keys := map[string]bool{}
	topKeys(fp, keys)
	if len(keys) > MaxFilterPolicyKeys {
		out = append(out, fmt.Sprintf("filter policy has %d keys (%s); SNS allows at most %d", len(keys), strings.Join(sortedKeys(keys), ", "), MaxFilterPolicyKeys))
	}
	if n := w.combinations(fp, ""); n > MaxFilterPolicyCombinations {
		shown := fmt.Sprint(n)
		if n >= combinationCap {
			shown = "over a billion"
		}
		out = append(out, fmt.Sprintf("filter policy has %s value combinations; SNS allows at most %d (the product of the number of values of each key)", shown, MaxFilterPolicyCombinations))
	}
	return append(out, w.problems...)
}

// filterWalk computes the value combinations of a filter policy and collects the
// problems of its shape.
type filterWalk struct {
	body     bool
	problems []string
}

// combinations returns the number of value combinations of obj: the product over its
// keys of the number of values of each key. A nested object (MessageBody scope only)
// contributes the combinations of its own keys; an "$or" contributes the sum of the
// combinations of its branches.
func (w *filterWalk) combinations(obj map[string]any, path string) int {
	total := 1
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		n := 1
		if branches, ok := orBranches(k, v); ok {
			n = 0
			for _, b := range branches {
				n = min(n+w.combinations(b, path), combinationCap)
			}
		} else {
			switch x := v.(type) {
			case []any:
				if len(x) == 0 {
					w.problems = append(w.problems, fmt.Sprintf("filter policy key %q has an empty list of values, which matches no message", path+k))
				}
				n = max(len(x), 1)
			case map[string]any:
				switch {
				case !w.body:
					w.problems = append(w.problems, fmt.Sprintf("filter policy nests keys under %q, which only filterPolicyScope: %s allows", path+k, FilterPolicyScopeMessageBody))
				case len(x) == 0:
					w.problems = append(w.problems, fmt.Sprintf("filter policy key %q holds an empty object, which matches no message", path+k))
				default:
					n = w.combinations(x, path+k+".")
				}
			default:
				w.problems = append(w.problems, fmt.Sprintf("filter policy key %q holds %s; SNS wants a list of values, such as [%s]", path+k, describeValue(v), jsonx.String(v)))
			}
		}
		total = min(total*n, combinationCap)
	}
	return total
}

// topKeys adds to keys the top-level keys of obj, counting the keys of the branches
// of an "$or" as top-level keys.
func topKeys(obj map[string]any, keys map[string]bool) {
	for k, v := range obj {
		if branches, ok := orBranches(k, v); ok {
			for _, b := range branches {
				topKeys(b, keys)
			}
			continue
		}
		keys[k] = true
	}
}

// orBranches returns the branches of an "$or" key. SNS reads "$or" as OR only when it
// holds a list of at least two objects none of which uses an operator keyword as a
// key; otherwise "$or" is a plain key.
func orBranches(k string, v any) ([]map[string]any, bool) {
	list, ok := v.([]any)
	if k != "$or" || !ok || len(list) < 2 {
		return nil, false
	}
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		for kk := range m {
			if filterOperators[kk] {
				return nil, false
			}
		}
		out = append(out, m)
	}
	return out, true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func describeValue(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("the single value %s", jsonx.String(v))
}
