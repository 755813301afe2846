// Package quota measures every policy of synthesized templates against the size
// quotas AWS enforces at deploy time, so that a topology too large for a quota fails
// at synth with a message that names the quota, the policy's size and what to change,
// instead of failing halfway through a deploy.
package quota

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/internal/problem"
)

// Kind is one AWS policy quota; the quotas are defined with the resource types in
// internal/cfnres.
type Kind = cfnres.Quota

// The quotas checked; see cfnres.
var (
	QueuePolicy        = cfnres.QueuePolicy
	TopicPolicy        = cfnres.TopicPolicy
	BusPolicy          = cfnres.BusPolicy
	StreamPolicy       = cfnres.StreamPolicy
	KeyPolicy          = cfnres.KeyPolicy
	TrustPolicy        = cfnres.TrustPolicy
	RoleInlinePolicies = cfnres.RoleInlinePolicies
	ManagedPolicy      = cfnres.ManagedPolicy
	EndpointPolicy     = cfnres.EndpointPolicy
	FunctionPolicy     = cfnres.FunctionPolicy
)

// Kinds lists every kind checked, in report order.
var Kinds = []Kind{QueuePolicy, TopicPolicy, BusPolicy, StreamPolicy, KeyPolicy, TrustPolicy, RoleInlinePolicies, ManagedPolicy, EndpointPolicy, FunctionPolicy}

// IntrinsicLength is what one CloudFormation intrinsic counts for in a size.
const IntrinsicLength = 100

// Measurement is the size of one policy (or of all the policies that share one
// quota, such as the inline policies of one role).
type Measurement struct {
	Stack, Where string
	Kind         Kind
	Size         int
	Statements   int
	Principals   int
	Conditions   int
}

// Percent is the size as a percentage of the quota's limit.
func (m Measurement) Percent() float64 { return 100 * float64(m.Size) / float64(m.Kind.Limit) }

// Over reports whether the policy breaks any limit of its quota.
func (m Measurement) Over() bool {
	k := m.Kind
	return m.Size > k.Limit || (k.MaxStatements > 0 && m.Statements > k.MaxStatements) ||
		(k.MaxPrincipals > 0 && m.Principals > k.MaxPrincipals) || (k.MaxConditions > 0 && m.Conditions > k.MaxConditions)
}

// Measure measures every policy of one stack's template.
func Measure(stack string, template map[string]any) ([]Measurement, error) {
	policies, err := cfnres.Extract(template)
	if err != nil {
		return nil, err
	}
	resources, _ := template["Resources"].(map[string]any)
	where := func(id string) string {
		r, _ := resources[id].(map[string]any)
		meta, _ := r["Metadata"].(map[string]any)
		if path, ok := meta["aws:cdk:path"].(string); ok {
			return path
		}
		return id
	}
	var out []Measurement
	sums := map[string]*Measurement{}
	add := func(key string, m Measurement) {
		if s, ok := sums[key]; ok {
			s.Size += m.Size - 2 // joined into one document: one pair of brackets fewer
			s.Statements += m.Statements
			s.Principals += m.Principals
			s.Conditions += m.Conditions
			return
		}
		sums[key] = &m
	}
	for _, p := range policies {
		m := Measurement{Stack: stack, Where: where(p.LogicalID), Size: Size(p.Document),
			Statements: len(statements(p.Document)), Principals: principals(p.Document), Conditions: conditions(p.Document)}
		rule := cfnres.Types[p.Type].QuotaOf(p.Property)
		if rule == nil {
			continue
		}
		m.Kind = *rule.Quota
		switch rule.Sum {
		case cfnres.PerBus:
			add("bus "+compact(busOf(resources, p.LogicalID)), m)
			continue
		case cfnres.PerFunction:
			// A permission is one statement with one principal.
			m.Statements, m.Principals, m.Conditions = 1, 1, 0
			props, _ := p.Document.(map[string]any)
			add("function "+compact(props["FunctionName"]), m)
			continue
		case cfnres.PerRole:
			if p.Type == "AWS::IAM::Role" {
				add("role "+compact(map[string]any{"Ref": p.LogicalID}), m)
				continue
			}
			roles, _ := p.AttachedTo.(map[string]any)
			for _, r := range listOf(roles["Roles"]) {
				add("role "+compact(r), m)
			}
			continue
		}
		out = append(out, m)
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, *sums[k])
	}
	return out, nil
}

// Check measures every policy of templates (stack name to template) and returns a
// *problem.Error naming each policy over its quota, or nil.
func Check(templates map[string]map[string]any) error {
	var p problem.List
	stacks := make([]string, 0, len(templates))
	for s := range templates {
		stacks = append(stacks, s)
	}
	sort.Strings(stacks)
	for _, s := range stacks {
		ms, err := Measure(s, templates[s])
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Over() {
				p.Addf(0, m.Stack+" "+m.Where, "%s", Describe(m))
			}
		}
	}
	return p.Err("policies over AWS quotas")
}

// Describe says how a measurement relates to its quota, and what to change when it is
// over.
func Describe(m Measurement) string {
	k := m.Kind
	var over []string
	if m.Size > k.Limit {
		over = append(over, fmt.Sprintf("%d %s, over the %d-%s limit (%.0f%%)", m.Size, k.Unit, k.Limit, strings.TrimSuffix(k.Unit, "s"), m.Percent()))
	}
	if k.MaxStatements > 0 && m.Statements > k.MaxStatements {
		over = append(over, fmt.Sprintf("%d statements, over the limit of %d", m.Statements, k.MaxStatements))
	}
	if k.MaxPrincipals > 0 && m.Principals > k.MaxPrincipals {
		over = append(over, fmt.Sprintf("%d principals, over the limit of %d", m.Principals, k.MaxPrincipals))
	}
	if k.MaxConditions > 0 && m.Conditions > k.MaxConditions {
		over = append(over, fmt.Sprintf("%d conditions, over the limit of %d", m.Conditions, k.MaxConditions))
	}
	if len(over) == 0 {
		return fmt.Sprintf("%s: %d %s, %.0f%% of the %d-%s limit", k.Name, m.Size, k.Unit, m.Percent(), k.Limit, strings.TrimSuffix(k.Unit, "s"))
	}
	return fmt.Sprintf("the %s would be rejected by AWS at deploy time: %s; %s", k.Name, strings.Join(over, ", "), k.Advice)
}

// Size is the length of doc as compact JSON, with each CloudFormation intrinsic
// counted as IntrinsicLength characters.
func Size(doc any) int {
	return len(compact(replaceIntrinsics(doc)))
}

// pseudoLengths are the longest values of CloudFormation's pseudo parameters.
var pseudoLengths = map[string]int{
	"AWS::Partition": len("aws-us-gov"), "AWS::Region": len("ap-southeast-5"),
	"AWS::AccountId": 12, "AWS::URLSuffix": len("amazonaws.com.cn"),
}

func replaceIntrinsics(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				switch {
				case k == "Ref":
					if n, ok := pseudoLengths[fmt.Sprint(arg)]; ok {
						return strings.Repeat("x", n)
					}
					return strings.Repeat("x", IntrinsicLength)
				case k == "Fn::Join":
					if s, ok := join(arg); ok {
						return s
					}
					return strings.Repeat("x", IntrinsicLength)
				case strings.HasPrefix(k, "Fn::"):
					return strings.Repeat("x", IntrinsicLength)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = replaceIntrinsics(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = replaceIntrinsics(e)
		}
		return out
	default:
		return v
	}
}

// join resolves an Fn::Join of strings and resolvable intrinsics.
func join(arg any) (string, bool) {
	a, ok := arg.([]any)
	if !ok || len(a) != 2 {
		return "", false
	}
	sep, ok := a[0].(string)
	parts, ok2 := a[1].([]any)
	if !ok || !ok2 {
		return "", false
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		s, ok := replaceIntrinsics(p).(string)
		if !ok {
			return "", false
		}
		out[i] = s
	}
	return strings.Join(out, sep), true
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func statements(doc any) []any {
	d, _ := doc.(map[string]any)
	return listOf(d["Statement"])
}

func principals(doc any) int {
	n := 0
	for _, s := range statements(doc) {
		st, _ := s.(map[string]any)
		switch p := st["Principal"].(type) {
		case map[string]any:
			for _, v := range p {
				n += len(listOf(v))
			}
		case string:
			n++
		}
	}
	return n
}

func conditions(doc any) int {
	n := 0
	for _, s := range statements(doc) {
		st, _ := s.(map[string]any)
		cond, _ := st["Condition"].(map[string]any)
		for _, kv := range cond {
			if m, ok := kv.(map[string]any); ok {
				n += len(m)
			}
		}
	}
	return n
}

func listOf(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

func busOf(resources map[string]any, id string) any {
	r, _ := resources[id].(map[string]any)
	props, _ := r["Properties"].(map[string]any)
	if b, ok := props["EventBusName"]; ok {
		return b
	}
	return "default"
}
