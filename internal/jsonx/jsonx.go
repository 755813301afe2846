// Package jsonx writes compact JSON as AWS services store and measure it: with <, >
// and & as they are. encoding/json escapes each of them as six bytes (\u003c), which
// would make a policy or a pattern look longer than the service counts it. It does not
// import the CDK.
package jsonx

import (
	"bytes"
	"encoding/json"
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
