package linkkind

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/problem"
)

// Decoder is what a kind's Decode gets: the link's header, its options as YAML, and
// where to report problems. Every method reports what it finds and goes on, so that
// a link's problems are all reported at once, each on the line of its own value.
type Decoder struct {
	// Header is the link's header. An account whose alias is unknown has ID "".
	Header Header
	where  string
	line   int
	opts   *yaml.Node
	sides  map[string]*yaml.Node
	sound  map[string]bool
	p      *problem.List
	failed map[string]bool
}

// DecoderInput is what the topology knows of one link when its kind decodes it.
type DecoderInput struct {
	Header Header
	// Where names the link in messages: links[0] "invoices".
	Where string
	// Line is the line of the link.
	Line int
	// Options, From and To are the link's YAML values (Options nil when not given).
	Options, From, To *yaml.Node
	// NameSound reports whether the link's name is valid; FromSound and ToSound
	// whether every account of the side is known. The topology reports what is wrong
	// with them; the link's own validation is not asked again.
	NameSound, FromSound, ToSound bool
}

// NewDecoder returns a decoder of one link that reports to p.
func NewDecoder(in DecoderInput, p *problem.List) *Decoder {
	return &Decoder{
		Header: in.Header, where: in.Where, line: in.Line, opts: in.Options,
		sides: map[string]*yaml.Node{"from": in.From, "to": in.To},
		sound: map[string]bool{"name": in.NameSound, "from": in.FromSound, "to": in.ToSound},
		p:     p, failed: map[string]bool{},
	}
}

// Sound reports whether the link's name is valid and both its sides name only known
// accounts, so that the link can be built.
func (d *Decoder) Sound() bool { return d.sound["name"] && d.sound["from"] && d.sound["to"] }

// Problemf reports a problem at the YAML value n (when n is nil, at the value where
// names, or the link's line),
// at where under the link (such as "options.receivers.billing").
func (d *Decoder) Problemf(n *yaml.Node, where, format string, args ...any) {
	line := d.lineOf(where)
	if n != nil {
		line = n.Line
	}
	d.p.Addf(line, problem.Join(d.where, where), format, args...)
}

// Failed marks the option name as reported: the link's own validation of it is not
// reported again, since it would see the option's zero value.
func (d *Decoder) Failed(name string) { d.failed[name] = true }

// OneAccount reports a problem when the side field ("from" or "to") names more than
// one account, and returns whether it names at most one. what says why.
func (d *Decoder) OneAccount(field, what string) bool {
	side := d.Header.From
	if field == "to" {
		side = d.Header.To
	}
	if len(side) > 1 {
		aliases := make([]string, len(side))
		for i, a := range side {
			aliases[i] = a.Alias
		}
		d.Problemf(d.sides[field], field, "%s, not %d (%s)", what, len(side), QuoteAll(aliases))
		return false
	}
	return true
}

// Options decodes the link's options into the struct out, field by field by the
// fields' yaml tags, leaving out the keys of except, whose values it returns. Every
// unknown option and every value of the wrong type is reported on its own line and
// left at its zero value.
func (d *Decoder) Options(out any, except ...string) map[string]*yaml.Node {
	rest := map[string]*yaml.Node{}
	if d.opts == nil || isNull(d.opts) {
		return rest
	}
	if d.opts.Kind != yaml.MappingNode {
		d.Problemf(d.opts, "options", "options must be a mapping, not %s", KindName(d.opts))
		return rest
	}
	n := *d.opts
	n.Content = nil
	for i := 0; i+1 < len(d.opts.Content); i += 2 {
		k := d.opts.Content[i]
		if contains(except, k.Value) {
			if _, dup := rest[k.Value]; dup {
				d.Problemf(k, "options."+k.Value, "option %q is given twice", k.Value)
				continue
			}
			rest[k.Value] = d.opts.Content[i+1]
			continue
		}
		n.Content = append(n.Content, k, d.opts.Content[i+1])
	}
	for name := range decodeStruct(&n, out, problem.Join(d.where, "options"), d.p, except) {
		d.failed[name] = true
	}
	return rest
}

// Decode decodes the mapping n into the struct out, as Options does; where is the
// place of n under the link. It returns false when anything was reported.
func (d *Decoder) Decode(n *yaml.Node, out any, where string) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.MappingNode {
		d.Problemf(n, where, "%s must be a mapping, not %s", lastField(where), KindName(n))
		return false
	}
	return len(decodeStruct(n, out, problem.Join(d.where, where), d.p, nil)) == 0
}

// ByAccount reads the option name, a mapping keyed by the aliases of side (the
// link's From or To), calling each for every entry whose alias is on that side;
// role names such an account in messages (receiver, consumer account). It returns
// false when anything was reported.
func (d *Decoder) ByAccount(name string, n *yaml.Node, side []Account, role string, each func(a Account, v *yaml.Node, where string) bool) bool {
	where := "options." + name
	if n.Kind != yaml.MappingNode {
		d.Problemf(n, where, "%s must map %s aliases to their values, not %s", name, role, KindName(n))
		d.failed[name] = true
		return false
	}
	ok := true
	seen := map[string]bool{}
	aliases := make([]string, len(side))
	for i, a := range side {
		aliases[i] = a.Alias
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		at := where + "." + k.Value
		if seen[k.Value] {
			d.Problemf(k, at, "%s %q is given twice", role, k.Value)
			ok = false
			continue
		}
		seen[k.Value] = true
		idx := -1
		for j, a := range side {
			if a.Alias == k.Value {
				idx = j
			}
		}
		if idx < 0 {
			d.Problemf(k, at, "%q is not a %s of this link; %ss: %s", k.Value, role, role, QuoteAll(aliases))
			ok = false
			continue
		}
		if !each(side[idx], v, at) {
			// Only this entry is left out of the link's own findings: the
			// other entries are still checked.
			d.failed[name+"."+side[idx].ID] = true
			ok = false
		}
	}
	return ok
}

// Checker is a link description that validates itself.
type Checker interface {
	Problems(*problem.List)
}

// Check adds the problems l's own validation finds. Region, organization and prefix
// are checked once for the whole file and not repeated; problems about a side that
// names an unknown account, or about an option already reported, are left out, since
// the link sees them as empty. Accounts, which links know by ID, are named by alias,
// and each problem is placed on the line of the value it is about.
func (d *Decoder) Check(l Checker) {
	var kp problem.List
	l.Problems(&kp)
	for _, x := range kp.Items() {
		if x.Where == "region" || x.Where == "organization" || x.Where == "namePrefix" || d.aboutFailed(x) {
			continue
		}
		if (x.Where == "from" || x.Where == "to" || x.Where == "name") && !d.Sound() {
			continue
		}
		for _, a := range append(append([]Account(nil), d.Header.From...), d.Header.To...) {
			if a.ID != "" {
				x.Where = strings.ReplaceAll(x.Where, "."+a.ID, "."+a.Alias)
				x.Msg = strings.ReplaceAll(x.Msg, "account "+a.ID, "account "+a.Alias+" ("+a.ID+")")
			}
		}
		line := x.Line
		if line == 0 {
			line = d.lineOf(x.Where)
		}
		d.p.Addf(line, problem.Join(d.where, x.Where), "%s", x.Msg)
	}
}

// lineOf finds the line of the value at where (options.a.b, from, to), or of the
// nearest value above it, or the link's own line.
func (d *Decoder) lineOf(where string) int {
	if n := d.sides[where]; n != nil {
		return n.Line
	}
	path, ok := strings.CutPrefix(where, "options.")
	if !ok || d.opts == nil {
		return d.line
	}
	return LineOf(d.opts, path, d.line)
}

// LineOf returns the line of the value at the dotted path of mapping keys in n (list
// elements as [i]), or of the deepest value on that path that exists; def when none.
func LineOf(n *yaml.Node, path string, def int) int {
	line := def
	cur := n
	for path != "" && cur != nil {
		var key string
		key, path = nextSegment(path)
		var next *yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if cur.Content[i].Value == key {
					line = cur.Content[i].Line
					next = cur.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(key, "[%d]", &i); err == nil && i >= 0 && i < len(cur.Content) {
				next = cur.Content[i]
				line = next.Line
			}
		}
		cur = next
	}
	return line
}

// nextSegment splits the first key (or [i]) off a dotted path.
func nextSegment(path string) (string, string) {
	if strings.HasPrefix(path, "[") {
		if i := strings.Index(path, "]"); i > 0 {
			return path[:i+1], strings.TrimPrefix(path[i+1:], ".")
		}
	}
	i := strings.IndexAny(path, ".[")
	if i < 0 {
		return path, ""
	}
	return path[:i], strings.TrimPrefix(path[i:], ".")
}

// aboutFailed reports whether problem x is about one of the failed options: found at
// it, or naming it.
func (d *Decoder) aboutFailed(x problem.Problem) bool {
	for name := range d.failed {
		if x.Where == "options."+name || strings.HasPrefix(x.Where, "options."+name+".") || strings.Contains(x.Msg, name) {
			return true
		}
	}
	return false
}

// Described is a value type that says itself what a topology file must give for it,
// for messages about a value of the wrong type ("an event pattern: ...").
type Described interface {
	TypeDescription() string
}

// decodeStruct decodes the mapping n into the struct out by its fields' yaml tags and
// returns the options it reported. Keys of skip are neither decoded nor reported.
func decodeStruct(n *yaml.Node, out any, where string, p *problem.List, skip []string) map[string]bool {
	failed := map[string]bool{}
	v := reflect.ValueOf(out).Elem()
	fields := map[string]reflect.Value{}
	var names []string
	collectFields(v, fields, &names)
	names = append(names, skip...)
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
	return failed
}

// collectFields adds the fields of the struct v with a yaml tag to fields and names,
// then those of its embedded structs without one (such as AlarmOptions), shared by
// every kind and so named last.
func collectFields(v reflect.Value, fields map[string]reflect.Value, names *[]string) {
	var embedded []reflect.Value
	defer func() {
		for _, e := range embedded {
			collectFields(e, fields, names)
		}
	}()
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			embedded = append(embedded, v.Field(i))
			continue
		}
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = v.Field(i)
		*names = append(*names, tag)
	}
}

func quoteNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return `"` + n.Value + `"`
	}
	return "(" + KindName(n) + ")"
}

var (
	durationType  = reflect.TypeOf(time.Duration(0))
	describedType = reflect.TypeOf((*Described)(nil)).Elem()
)

func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(describedType) {
		return reflect.Zero(t).Interface().(Described).TypeDescription()
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

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// KindName describes a YAML value for messages, with its article.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "an empty value"
		}
		return fmt.Sprintf("a value (%q)", n.Value)
	default:
		return "an alias"
	}
}

// QuoteAll quotes each of s and joins them with commas.
func QuoteAll(s []string) string {
	q := make([]string, len(s))
	for i := range s {
		q[i] = fmt.Sprintf("%q", s[i])
	}
	return strings.Join(q, ", ")
}

// lastField returns the field a place ends in: filterPolicy of options.receivers.b.filterPolicy.
func lastField(where string) string {
	return where[strings.LastIndex(where, ".")+1:]
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// DecodeMapping decodes the mapping n into the struct out by its fields' yaml tags,
// as Decoder.Options does, reporting every problem under where to p. It returns false
// when anything was reported.
func DecodeMapping(n *yaml.Node, out any, where string, p *problem.List) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, where, "%s must be a mapping, not %s", lastField(where), KindName(n))
		return false
	}
	return len(decodeStruct(n, out, where, p, nil)) == 0
}

// Finish checks the link l built from the header and options (Check) and returns it
// with its defaults applied when it can be built: ok (the kind's own checks of the
// header passed) and its name and accounts sound. Otherwise it returns nil, and the
// problems are reported.
func Finish[L interface {
	Link
	Checker
	WithDefaults() L
}](d *Decoder, l L, ok bool) Link {
	d.Check(l)
	if !ok || !d.Sound() {
		return nil
	}
	return l.WithDefaults()
}

// First returns the ID of the first account of side, or "" when it has none.
func First(side []Account) string {
	if len(side) == 0 {
		return ""
	}
	return side[0].ID
}
