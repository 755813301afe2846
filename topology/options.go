package topology

import (
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/internal/problem"
)

// decodeOptions decodes the options mapping n into the struct out field by field, by
// the fields' yaml tags. Every unknown option and every value of the wrong type is
// reported with its own line; it returns false when any was.
func decodeOptions(n *yaml.Node, out any, where string, p *problem.List) bool {
	failed, ok := decodeOptionsFailed(n, out, where, p)
	return ok && len(failed) == 0
}

// decodeOptionsFailed decodes like decodeOptions and returns the names of the options
// that were reported, and whether n was a mapping at all.
func decodeOptionsFailed(n *yaml.Node, out any, where string, p *problem.List) (map[string]bool, bool) {
	failed := map[string]bool{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return failed, true
	}
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, where, "options must be a mapping, not %s", kindName(n))
		return failed, false
	}
	v := reflect.ValueOf(out).Elem()
	fields := map[string]reflect.Value{}
	var names []string
	for i := 0; i < v.NumField(); i++ {
		tag := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = v.Field(i)
		names = append(names, tag)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, known := fields[k.Value]
		switch {
		case !known:
			p.Addf(k.Line, where+"."+k.Value, "option %q is unknown for this kind; allowed: %s", k.Value, strings.Join(names, ", "))
			failed[k.Value] = true
			continue
		case seen[k.Value]:
			p.Addf(k.Line, where+"."+k.Value, "option %q is given twice", k.Value)
			failed[k.Value] = true
			continue
		}
		seen[k.Value] = true
		ptr := reflect.New(f.Type())
		if err := val.Decode(ptr.Interface()); err != nil {
			p.Addf(val.Line, where+"."+k.Value, "%s %s must be %s", k.Value, quoteNode(val), typeName(f.Type()))
			failed[k.Value] = true
			continue
		}
		if zeroMeansDefault(f.Kind()) && ptr.Elem().IsZero() {
			// The options' zero values mean "the default": an explicit zero would be
			// silently replaced, so it is refused.
			p.Addf(val.Line, where+"."+k.Value, "%s %s must not be zero; leave the option out to get the default", k.Value, quoteNode(val))
			failed[k.Value] = true
			continue
		}
		f.Set(ptr.Elem())
	}
	return failed, true
}

func quoteNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return `"` + n.Value + `"`
	}
	return "(" + kindName(n) + ")"
}

var durationType = reflect.TypeOf(time.Duration(0))

var eventPatternType = reflect.TypeOf(buslink.EventPattern(""))

func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == eventPatternType {
		return "an event pattern: a mapping, or a string of JSON"
	}
	if t == durationType {
		return "a duration such as 30s, 15m or 96h"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.String:
		return "a single value"
	case reflect.Slice:
		return "a list of values"
	case reflect.Map:
		return "a mapping"
	default:
		return "a " + t.String()
	}
}

func zeroMeansDefault(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int32, reflect.Int64: // counts and time.Duration
		return true
	}
	return false
}
