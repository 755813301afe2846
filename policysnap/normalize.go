package policysnap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/cfnres"
)

// assetHashPlaceholder replaces CDK asset hashes in normalized documents.
const assetHashPlaceholder = "<asset-hash>"

// assetHash matches a run of 64 or more hex digits, the form of the SHA-256
// asset hashes CDK puts into object keys and image tags.
var assetHash = regexp.MustCompile(`[0-9a-fA-F]{64,}`)

// stringIntrinsics are the CloudFormation intrinsic functions that are
// wrapped into a one-element list, like a plain string, where a policy
// allows either a string or a list of strings. A template in which such an
// intrinsic yields a list is only valid in the unwrapped form, so wrapping
// never makes two different valid documents equal.
var stringIntrinsics = map[string]bool{
	"Ref":             true,
	"Fn::GetAtt":      true,
	"Fn::Join":        true,
	"Fn::Sub":         true,
	"Fn::ImportValue": true,
}

// Normalize returns an equivalent, canonical copy of a policy document (or
// of any JSON value holding documents), so that a golden file changes only
// when a permission really changes. doc is not modified.
//
// In every object with a Statement key, a single statement object becomes a
// one-element list and the statements are sorted by their canonical JSON
// encoding. Within each statement, Action, NotAction, Resource and
// NotResource, each value of a Principal or NotPrincipal object (AWS,
// Service, Federated, ...) and each value of a Condition operator's key
// become sorted, de-duplicated lists: a scalar, or a Ref, Fn::GetAtt,
// Fn::Join, Fn::Sub or Fn::ImportValue intrinsic, becomes a one-element
// list; strings sort first, then other values by their canonical JSON
// encoding. A bare string principal such as "*" stays as it is, as do
// Version and all other keys. Any run of 64 or more hex digits in a string
// (a CDK asset hash) is replaced by "<asset-hash>". Other intrinsics are
// kept as they are.
func Normalize(doc any) any {
	if !isGeneric(doc) {
		// Typed Go values ([]string, map[string]string, ...): normalize
		// their JSON form.
		g, err := cfnres.Generic(doc)
		if err != nil {
			return doc
		}
		doc = g
	}
	return normalizeValue(doc)
}

// isGeneric reports whether v consists only of the types encoding/json
// decodes into an interface value.
func isGeneric(v any) bool {
	switch v := v.(type) {
	case nil, bool, float64, json.Number, string:
		return true
	case []any:
		for _, el := range v {
			if !isGeneric(el) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, el := range v {
			if !isGeneric(el) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// normalizeValue copies v, replacing asset hashes and normalizing the
// statements of any object with a Statement key.
func normalizeValue(v any) any {
	switch v := v.(type) {
	case nil, bool, float64, json.Number:
		return v
	case string:
		return assetHash.ReplaceAllString(v, assetHashPlaceholder)
	case []any:
		out := make([]any, len(v))
		for i, el := range v {
			out[i] = normalizeValue(el)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, el := range v {
			if k == "Statement" && !isIntrinsic(v) {
				out[k] = normalizeStatements(el)
				continue
			}
			out[k] = normalizeValue(el)
		}
		return out
	default:
		// Unreachable after the conversion in Normalize.
		return v
	}
}

// normalizeStatements normalizes the value of a Statement key.
func normalizeStatements(v any) any {
	switch s := v.(type) {
	case map[string]any:
		if isIntrinsic(s) {
			return normalizeValue(s)
		}
		return []any{normalizeStatement(s)}
	case []any:
		out := make([]any, len(s))
		for i, el := range s {
			if m, ok := el.(map[string]any); ok && !isIntrinsic(m) {
				out[i] = normalizeStatement(m)
			} else {
				out[i] = normalizeValue(el)
			}
		}
		keys := make([]string, len(out))
		for i, el := range out {
			keys[i] = canonicalJSON(el)
		}
		sort.Sort(byKey{keys: keys, values: out})
		return out
	default:
		return normalizeValue(v)
	}
}

// normalizeStatement normalizes one statement object.
func normalizeStatement(stmt map[string]any) map[string]any {
	out := make(map[string]any, len(stmt))
	for k, v := range stmt {
		switch k {
		case "Action", "NotAction", "Resource", "NotResource":
			out[k] = normalizeSet(v)
		case "Principal", "NotPrincipal":
			out[k] = normalizeKeyedSets(v)
		case "Condition":
			if ops, ok := v.(map[string]any); ok && !isIntrinsic(ops) {
				cond := make(map[string]any, len(ops))
				for op, keys := range ops {
					cond[op] = normalizeKeyedSets(keys)
				}
				out[k] = cond
				continue
			}
			out[k] = normalizeValue(v)
		default:
			out[k] = normalizeValue(v)
		}
	}
	return out
}

// normalizeKeyedSets normalizes an object whose values are sets, such as
// {"AWS": ..., "Service": ...} or {"aws:SourceArn": ...}. Any other value,
// such as the principal "*", is only copied.
func normalizeKeyedSets(v any) any {
	m, ok := v.(map[string]any)
	if !ok || isIntrinsic(m) {
		return normalizeValue(v)
	}
	out := make(map[string]any, len(m))
	for k, el := range m {
		out[k] = normalizeSet(el)
	}
	return out
}

// normalizeSet normalizes a value that stands for a set of values: scalars
// and string-valued intrinsics become one-element lists, lists are sorted
// and de-duplicated.
func normalizeSet(v any) any {
	n := normalizeValue(v)
	switch s := n.(type) {
	case string, bool, float64, json.Number:
		return []any{s}
	case []any:
		return sortSet(s)
	case map[string]any:
		if isIntrinsic(s) {
			for k := range s {
				if stringIntrinsics[k] {
					return []any{s}
				}
			}
		}
	}
	return n
}

// sortedSet returns v sorted and de-duplicated if it is a list, or else v.
func sortedSet(v any) any {
	if list, ok := v.([]any); ok {
		return sortSet(list)
	}
	return v
}

// sortSet returns the distinct elements of list: strings in sorted order
// first, then other values sorted by their canonical JSON encoding.
func sortSet(list []any) []any {
	var strs []string
	var others []any
	var otherKeys []string
	seen := map[string]bool{}
	for _, el := range list {
		if s, ok := el.(string); ok {
			if !seen["s"+s] {
				seen["s"+s] = true
				strs = append(strs, s)
			}
			continue
		}
		key := canonicalJSON(el)
		if !seen["j"+key] {
			seen["j"+key] = true
			others = append(others, el)
			otherKeys = append(otherKeys, key)
		}
	}
	sort.Strings(strs)
	sort.Sort(byKey{keys: otherKeys, values: others})
	out := make([]any, 0, len(strs)+len(others))
	for _, s := range strs {
		out = append(out, s)
	}
	return append(out, others...)
}

// byKey sorts values by the parallel slice keys.
type byKey struct {
	keys   []string
	values []any
}

func (b byKey) Len() int           { return len(b.keys) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.values[i], b.values[j] = b.values[j], b.values[i]
}

// isIntrinsic reports whether m is a CloudFormation intrinsic function call:
// an object with a single Ref or Fn:: key.
func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// canonicalJSON encodes v as compact JSON with object keys sorted and
// without HTML escaping.
func canonicalJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
