// Package eventmatch tells whether an EventBridge event pattern matches an event, for
// the pattern forms the smoke test builds events for: every field of the pattern is
// in the event, and an array matches when the event's value equals one of its plain
// values (content filters never match). Tests use it to check that an event the smoke
// test puts is one its link's rule forwards.
package eventmatch

import "encoding/json"

// Matches reports whether the pattern (JSON) matches event; an error when the pattern
// is not a JSON object.
func Matches(pattern string, event map[string]any) (bool, error) {
	var p map[string]any
	if err := json.Unmarshal([]byte(pattern), &p); err != nil {
		return false, err
	}
	return matchObject(p, event), nil
}

func matchObject(p, event map[string]any) bool {
	for k, want := range p {
		got, ok := event[k]
		switch w := want.(type) {
		case map[string]any:
			sub, isObject := got.(map[string]any)
			if !ok || !isObject || !matchObject(w, sub) {
				return false
			}
		case []any:
			values, isArray := got.([]any)
			if !isArray {
				values = []any{got}
			}
			if !ok || !anyEqual(w, values) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func anyEqual(want, got []any) bool {
	for _, w := range want {
		if _, filter := w.(map[string]any); filter {
			continue
		}
		for _, g := range got {
			if jsonText(w) == jsonText(g) {
				return true
			}
		}
	}
	return false
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TB is the part of testing.TB that Must uses.
type TB interface {
	Helper()
	Fatal(args ...any)
}

// Must reports whether pattern matches event, and fails t when the pattern is not a
// JSON object.
func Must(t TB, pattern string, event map[string]any) bool {
	t.Helper()
	ok, err := Matches(pattern, event)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}
