package policysnap_test

import (
	"bytes"
	"encoding/json"
	"testing"
)

// decode decodes a JSON literal used as test input or expectation.
func decode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode test JSON %q: %v", s, err)
	}
	return v
}

// decodeMap decodes a JSON object literal.
func decodeMap(t testing.TB, s string) map[string]any {
	t.Helper()
	m, ok := decode(t, s).(map[string]any)
	if !ok {
		t.Fatalf("test JSON is not an object: %s", s)
	}
	return m
}

// canonical encodes v as compact JSON with sorted keys and no HTML escaping.
func canonical(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.String()
}
