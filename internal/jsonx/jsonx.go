// Package jsonx writes compact JSON as AWS services store and measure it: with <, >
// and & as they are. encoding/json escapes each of them as six bytes (\u003c), which
// would make a policy or a pattern look longer than the service counts it. It also
// reads objects whose members' order matters (Ordered). It does not import the CDK.
package jsonx

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Marshal returns v as compact JSON like json.Marshal, but with <, > and & written as
// they are rather than escaped.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// String returns v as Marshal writes it, for messages and sizes; "" when v cannot be
// written as JSON.
func String(v any) string {
	b, err := Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// Entry is one member of an Ordered object.
type Entry[T any] struct {
	Key   string
	Value T
}

// Ordered is a JSON object whose members keep the order they have in the text, each
// value decoded into a T.
type Ordered[T any] []Entry[T]

// UnmarshalJSON decodes a JSON object, or null, into o.
func (o *Ordered[T]) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	*o = nil
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("jsonx: %.40s is not an object", b)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("jsonx: member %s: %w", key, err)
		}
		*o = append(*o, Entry[T]{key.(string), v})
	}
	return nil
}
