package jsonx

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestMarshalKeepsAnglesAndAmpersands(t *testing.T) {
	// GIVEN a value holding <, > and &, as an event pattern or a filter policy may
	v := map[string]any{"b": []any{map[string]any{"numeric": []any{"<", 10, ">=", 1}}}, "a": "x&y"}
	// WHEN it is written as compact JSON
	got, err := Marshal(v)
	// THEN the characters are as they are, keys are sorted and nothing follows the value
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"x&y","b":[{"numeric":["<",10,">=",1]}]}`; string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	// AND it is the JSON of json.Marshal, which only escapes them
	std, _ := json.Marshal(v)
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal(std, &b)
	if String(a) != String(b) {
		t.Errorf("Marshal and json.Marshal disagree: %s, %s", got, std)
	}
}

func TestMarshalRefusesWhatIsNotJSON(t *testing.T) {
	// GIVEN a value JSON cannot hold
	v := math.Inf(1)
	// WHEN it is written
	b, err := Marshal(v)
	// THEN Marshal says why and String gives nothing
	if err == nil || b != nil {
		t.Errorf("Marshal(+Inf) = %q, %v; want an error", b, err)
	}
	if s := String(v); s != "" {
		t.Errorf("String(+Inf) = %q, want empty", s)
	}
}

func TestOrderedKeepsTheMembersInTheirOrder(t *testing.T) {
	// GIVEN an object whose keys are out of alphabetical order
	var o Ordered[struct{ N int }]
	// WHEN it is decoded
	if err := json.Unmarshal([]byte(`{"b": {"N": 1}, "a": {"N": 2}, "c": {"N": 3}}`), &o); err != nil {
		t.Fatal(err)
	}
	// THEN the members come in the text's order, with their values
	var got []string
	for _, e := range o {
		got = append(got, fmt.Sprint(e.Key, e.Value.N))
	}
	if strings.Join(got, " ") != "b1 a2 c3" {
		t.Errorf("got %v, want [b1 a2 c3]", got)
	}
	// AND what is not an object is refused
	if err := json.Unmarshal([]byte(`[1]`), &o); err == nil {
		t.Error("an array decoded as an object")
	}
}
