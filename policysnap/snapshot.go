package policysnap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Snapshot extracts and normalizes the policies of several stacks, given as
// stack name to template, and renders them as one deterministic,
// human-readable JSON document: an object from stack name to the list of
// that stack's policies, with sorted keys, 2-space indentation, no HTML
// escaping and a trailing newline.
func Snapshot(templates map[string]map[string]any) ([]byte, error) {
	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)

	out := make(map[string][]Policy, len(templates))
	for _, name := range names {
		policies, err := Extract(templates[name])
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		for i := range policies {
			policies[i].Document = Normalize(policies[i].Document)
			if policies[i].AttachedTo != nil {
				policies[i].AttachedTo = Normalize(policies[i].AttachedTo)
			}
		}
		out[name] = policies
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return buf.Bytes(), nil
}
