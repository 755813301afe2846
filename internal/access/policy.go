package access

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// statement is one parsed policy statement, its values resolved against its stack.
type statement struct {
	index        int
	sid          string
	effect       string // Allow or Deny
	principal    *principalElem
	notPrincipal bool
	actions      actionSet
	resources    []string // Resource or NotResource values; nil when absent
	notResource  bool
	conditions   []Condition
	raw          any
}

// principalElem is a Principal or NotPrincipal element.
type principalElem struct {
	any                                bool // "*"
	aws, service, federated, canonical []string
}

// actionSet is the Action or the NotAction element of a statement.
type actionSet struct {
	Not  bool
	List []string
}

// covers reports whether every action b allows, a allows too.
func (a actionSet) covers(b actionSet) bool {
	switch {
	case !a.Not && !b.Not:
		return actionsCover(a.List, b.List)
	case !a.Not && b.Not:
		return anyCovers(a.List, "*")
	case a.Not && !b.Not:
		for _, y := range b.List {
			for _, x := range a.List {
				if globIntersect(strings.ToLower(x), strings.ToLower(y)) {
					return false
				}
			}
		}
		return true
	default:
		return actionsCover(b.List, a.List)
	}
}

// intersects reports whether some action is in both a and b.
func (a actionSet) intersects(b actionSet) bool {
	switch {
	case !a.Not && !b.Not:
		return actionsIntersect(a.List, b.List)
	case a.Not && b.Not:
		return true
	case a.Not:
		a, b = b, a
	}
	// a is a list, b excludes b.List.
	for _, x := range a.List {
		if !anyCovers(b.List, x) {
			return true
		}
	}
	return false
}

// String renders the set as "sqs:SendMessage, sqs:GetQueueUrl" or "every action
// except ...".
func (a actionSet) String() string {
	if a.Not {
		return "every action except " + strings.Join(a.List, ", ")
	}
	return strings.Join(a.List, ", ")
}

// Condition is one condition of a statement: an operator, a key and its values.
type Condition struct {
	// Operator is the operator as written, with its set qualifier and IfExists, such
	// as "StringEquals" or "ForAnyValue:StringLikeIfExists".
	Operator string `json:"operator"`
	// Key is the condition key, such as aws:PrincipalArn.
	Key string `json:"key"`
	// Values are the values, resolved against the stack.
	Values []string `json:"values"`
}

// String renders the condition as "ArnEquals aws:SourceArn = a, b".
func (c Condition) String() string {
	return c.Operator + " " + c.Key + " = " + strings.Join(c.Values, ", ")
}

// operatorParts splits an operator into its set qualifier (ForAllValues,
// ForAnyValue or ""), its base operator and whether it ends in IfExists.
func operatorParts(op string) (qualifier, base string, ifExists bool) {
	if q, rest, ok := strings.Cut(op, ":"); ok {
		qualifier, op = q, rest
	}
	if op != "Null" {
		if b, ok := strings.CutSuffix(op, "IfExists"); ok {
			op, ifExists = b, true
		}
	}
	return qualifier, op, ifExists
}

// baseOperators are the condition operators IAM knows, without qualifier and
// IfExists.
var baseOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true,
	"Bool": true, "BinaryEquals": true, "IpAddress": true, "NotIpAddress": true,
	"ArnEquals": true, "ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true, "Null": true,
}

// negated reports whether the base operator matches when the value is not among
// the condition's values.
func negated(base string) bool {
	return strings.Contains(base, "Not")
}

// parseDocument parses a policy document (an object, or a JSON string holding one)
// into statements. where names the element in errors.
func (s *Stack) parseDocument(v any, where string) ([]*statement, error) {
	if str, ok := v.(string); ok {
		var doc any
		if err := json.Unmarshal([]byte(str), &doc); err != nil {
			return nil, fmt.Errorf("%s: a string that is not a JSON policy document: %v", where, err)
		}
		v = doc
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: unknown shape %s, want a policy document object", where, shape(v))
	}
	for k := range doc {
		if k != "Version" && k != "Statement" && k != "Id" {
			return nil, fmt.Errorf("%s: unknown element %q of a policy document", where, k)
		}
	}
	raw, ok := doc["Statement"]
	if !ok {
		return nil, fmt.Errorf("%s: no Statement", where)
	}
	return s.parseStatements(raw, where+".Statement")
}

// parseStatements parses a Statement element: one statement or a list of them.
func (s *Stack) parseStatements(raw any, where string) ([]*statement, error) {
	var list []any
	switch x := raw.(type) {
	case []any:
		list = x
	case map[string]any:
		list = []any{x}
	default:
		return nil, fmt.Errorf("%s: unknown shape %s, want a statement or a list of statements", where, shape(raw))
	}
	out := make([]*statement, 0, len(list))
	for i, el := range list {
		st, err := s.parseStatement(el, fmt.Sprintf("%s[%d]", where, i))
		if err != nil {
			return nil, err
		}
		st.index = i
		out = append(out, st)
	}
	return out, nil
}

// parseStatement parses one statement.
func (s *Stack) parseStatement(v any, where string) (*statement, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: unknown shape %s, want a statement object", where, shape(v))
	}
	st := &statement{raw: v}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			return nil, fmt.Errorf("%s: unknown element %q of a statement", where, k)
		}
	}
	if sid, ok := m["Sid"]; ok {
		str, isStr := sid.(string)
		if !isStr {
			return nil, fmt.Errorf("%s.Sid: unknown shape %s, want a string", where, shape(sid))
		}
		st.sid = str
	}
	switch e := m["Effect"]; e {
	case "Allow", "Deny":
		st.effect = e.(string)
	default:
		return nil, fmt.Errorf("%s.Effect: %s, want \"Allow\" or \"Deny\"", where, shape(e))
	}
	_, hasP := m["Principal"]
	_, hasNP := m["NotPrincipal"]
	if hasP && hasNP {
		return nil, fmt.Errorf("%s: both Principal and NotPrincipal", where)
	}
	for _, key := range []string{"Principal", "NotPrincipal"} {
		if raw, ok := m[key]; ok {
			p, err := s.parsePrincipal(raw, where+"."+key)
			if err != nil {
				return nil, err
			}
			st.principal, st.notPrincipal = p, key == "NotPrincipal"
		}
	}
	a, hasA := m["Action"]
	na, hasNA := m["NotAction"]
	switch {
	case hasA && hasNA:
		return nil, fmt.Errorf("%s: both Action and NotAction", where)
	case hasA:
		list, err := s.stringList(a, where+".Action")
		if err != nil {
			return nil, err
		}
		st.actions = actionSet{List: list}
	case hasNA:
		list, err := s.stringList(na, where+".NotAction")
		if err != nil {
			return nil, err
		}
		st.actions = actionSet{Not: true, List: list}
	default:
		return nil, fmt.Errorf("%s: neither Action nor NotAction", where)
	}
	r, hasR := m["Resource"]
	nr, hasNR := m["NotResource"]
	switch {
	case hasR && hasNR:
		return nil, fmt.Errorf("%s: both Resource and NotResource", where)
	case hasR:
		list, err := s.stringList(r, where+".Resource")
		if err != nil {
			return nil, err
		}
		st.resources = list
	case hasNR:
		list, err := s.stringList(nr, where+".NotResource")
		if err != nil {
			return nil, err
		}
		st.resources, st.notResource = list, true
	}
	if c, ok := m["Condition"]; ok {
		conds, err := s.parseConditions(c, where+".Condition")
		if err != nil {
			return nil, err
		}
		st.conditions = conds
	}
	return st, nil
}

// parsePrincipal parses a Principal or NotPrincipal element.
func (s *Stack) parsePrincipal(v any, where string) (*principalElem, error) {
	if v == "*" {
		return &principalElem{any: true}, nil
	}
	m, ok := v.(map[string]any)
	if ok && isIntrinsic(m) {
		// A principal computed at deploy time (Fn::If, Fn::ImportValue, ...): kept for
		// the report as it resolves, and left unclassified unless it is a known form.
		str, err := s.resolve(m)
		if err != nil {
			return nil, fmt.Errorf("%s%s", where, prefixColon(err))
		}
		return &principalElem{aws: []string{str}}, nil
	}
	if !ok {
		return nil, fmt.Errorf("%s: unknown shape %s, want \"*\" or an object of AWS, Service, Federated, CanonicalUser", where, shape(v))
	}
	p := &principalElem{}
	for k, raw := range m {
		list, err := s.stringList(raw, where+"."+k)
		if err != nil {
			return nil, err
		}
		switch k {
		case "AWS":
			p.aws = list
		case "Service":
			p.service = list
		case "Federated":
			p.federated = list
		case "CanonicalUser":
			p.canonical = list
		default:
			return nil, fmt.Errorf("%s: unknown principal type %q, want AWS, Service, Federated or CanonicalUser", where, k)
		}
	}
	return p, nil
}

// isIntrinsic reports whether m is a CloudFormation intrinsic function call.
func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// stringList resolves an element that is one string or a list of strings.
func (s *Stack) stringList(v any, where string) ([]string, error) {
	out, err := s.resolveList(v)
	if err != nil {
		return nil, fmt.Errorf("%s%s", where, prefixColon(err))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty", where)
	}
	return out, nil
}

// prefixColon formats err after an element name: "[2]: ..." stays attached, other
// messages get ": ".
func prefixColon(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "[") {
		return msg
	}
	return ": " + msg
}

// parseConditions parses a Condition element into conditions sorted by operator
// and key.
func (s *Stack) parseConditions(v any, where string) ([]Condition, error) {
	m, ok := v.(map[string]any)
	if !ok || isIntrinsic(m) {
		return nil, fmt.Errorf("%s: unknown shape %s, want an object of condition operators", where, shape(v))
	}
	var out []Condition
	for op, raw := range m {
		q, base, _ := operatorParts(op)
		if !baseOperators[base] || (q != "" && q != "ForAllValues" && q != "ForAnyValue") {
			return nil, fmt.Errorf("%s.%s: unknown condition operator %q", where, op, op)
		}
		keys, ok := raw.(map[string]any)
		if !ok || isIntrinsic(keys) {
			return nil, fmt.Errorf("%s.%s: unknown shape %s, want an object of condition keys", where, op, shape(raw))
		}
		for key, vals := range keys {
			list, err := s.resolveList(vals)
			if err != nil {
				return nil, fmt.Errorf("%s.%s.%s%s", where, op, key, prefixColon(err))
			}
			sort.Strings(list)
			out = append(out, Condition{Operator: op, Key: key, Values: list})
		}
	}
	sortConditions(out)
	return out, nil
}

// sortConditions sorts conditions by key, then operator.
func sortConditions(cs []Condition) {
	sort.Slice(cs, func(i, j int) bool {
		if !strings.EqualFold(cs[i].Key, cs[j].Key) {
			return strings.ToLower(cs[i].Key) < strings.ToLower(cs[j].Key)
		}
		return cs[i].Operator < cs[j].Operator
	})
}
