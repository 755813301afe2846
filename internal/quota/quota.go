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

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/policysnap"
)

// Kind is one AWS policy quota.
type Kind struct {
	// Name of the policy kind, as messages and reports say it.
	Name string
	// Limit on the policy's size, in Unit, without white space.
	Limit int
	Unit  string
	// MaxStatements, MaxPrincipals and MaxConditions, when not 0, are further limits
	// of the kind (conditions count each condition key of each statement).
	MaxStatements, MaxPrincipals, MaxConditions int
	// Advice says what to change when a policy is over.
	Advice string
}

// The quotas checked. Sizes are of the policy as CloudFormation sends it (compact
// JSON). CloudFormation intrinsics are resolved to their longest value where it is
// known (Fn::Join of known parts, the partition, region, account and URL suffix) and
// counted as IntrinsicLength characters otherwise (Fn::GetAtt, other Refs), longer
// than any ARN these templates resolve to.
var (
	QueuePolicy = Kind{Name: "SQS queue policy", Limit: 8192, Unit: "bytes", MaxStatements: 20, MaxPrincipals: 50, MaxConditions: 10,
		Advice: "admit the senders as a group (allow: organization, with the topology's organization), or split the link into queue links of at most 49 sender accounts"}
	TopicPolicy = Kind{Name: "SNS topic policy", Limit: 30 * 1024, Unit: "bytes", MaxStatements: 100, MaxPrincipals: 200,
		Advice: "let the organization subscribe (allow: organization with the topology's organization), or split the receivers over several topic links"}
	BusPolicy = Kind{Name: "EventBridge event bus policy", Limit: 10240, Unit: "characters",
		Advice: "admit the senders with allow: organization, or split the link (each bus link has its own bus)"}
	StreamPolicy = Kind{Name: "Kinesis resource policy", Limit: 20 * 1024, Unit: "bytes",
		Advice: "split the consumers over several stream links"}
	KeyPolicy = Kind{Name: "KMS key policy", Limit: 32 * 1024, Unit: "bytes",
		Advice: "admit the senders as a group (allow: organization), or split the link"}
	TrustPolicy = Kind{Name: "IAM role trust policy", Limit: 2048, Unit: "characters",
		Advice: "admit the senders as a group (allow: organization or allow: accounts), or split the link; AWS can raise this quota to 4,096 characters, but the check stays at the default"}
	RoleInlinePolicies = Kind{Name: "IAM role inline policies (all together)", Limit: 10240, Unit: "characters",
		Advice: "spread the links over several roles (senderRoles, publisherRoles, producerRoles)"}
	ManagedPolicy = Kind{Name: "IAM managed policy", Limit: 6144, Unit: "characters",
		Advice: "split the policy"}
	EndpointPolicy = Kind{Name: "VPC endpoint policy", Limit: 20480, Unit: "characters",
		Advice: "split the account's links over several accounts or endpoints"}
	FunctionPolicy = Kind{Name: "Lambda function policy (all permissions together)", Limit: 20 * 1024, Unit: "bytes",
		Advice: "admit fewer sender accounts per function (split the link), or deliver through a bus (mode: bus)"}
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
	policies, err := policysnap.Extract(template)
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
		switch {
		case p.Type == "AWS::SQS::QueuePolicy":
			m.Kind = QueuePolicy
		case p.Type == "AWS::SNS::TopicPolicy":
			m.Kind = TopicPolicy
		case p.Type == "AWS::Kinesis::ResourcePolicy":
			m.Kind = StreamPolicy
		case p.Type == "AWS::KMS::Key":
			m.Kind = KeyPolicy
		case p.Type == "AWS::IAM::ManagedPolicy":
			m.Kind = ManagedPolicy
		case p.Type == "AWS::EC2::VPCEndpoint":
			m.Kind = EndpointPolicy
		case p.Type == "AWS::IAM::Role" && p.Property == "AssumeRolePolicyDocument":
			m.Kind = TrustPolicy
		case p.Type == "AWS::Events::EventBusPolicy":
			// Every statement on one bus counts towards that bus's one policy.
			m.Kind = BusPolicy
			add("bus "+compact(busOf(resources, p.LogicalID)), m)
			continue
		case p.Type == "AWS::Lambda::Permission":
			// Every permission on one function counts towards that function's one policy.
			m.Kind = FunctionPolicy
			m.Statements, m.Principals, m.Conditions = 1, 1, 0
			props, _ := p.Document.(map[string]any)
			add("function "+compact(props["FunctionName"]), m)
			continue
		case p.Type == "AWS::IAM::Role":
			m.Kind = RoleInlinePolicies
			add("role "+compact(map[string]any{"Ref": p.LogicalID}), m)
			continue
		case p.Type == "AWS::IAM::Policy":
			m.Kind = RoleInlinePolicies
			roles, _ := p.AttachedTo.(map[string]any)
			for _, r := range listOf(roles["Roles"]) {
				add("role "+compact(r), m)
			}
			continue
		default:
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
