package access

import (
	"fmt"
	"path/filepath"
	"strings"
)

// policyKind says what a policy document governs.
type policyKind int

const (
	// resourcePolicy: who may act on the resource (queue, topic, bus, stream, key,
	// function, endpoint, bucket, secret policies).
	resourcePolicy policyKind = iota
	// trustPolicy: who may assume the role.
	trustPolicy
	// identityPolicy: what the roles it is attached to may do.
	identityPolicy
)

// policy is one policy document of a template.
type policy struct {
	stack    *Stack
	holder   *Resource
	property string
	kind     policyKind
	// targets are the resources a resource or trust policy governs.
	targets    []ResourceInfo
	statements []*statement
	// roles are the roles an identity policy is attached to: role resources of the
	// stack, or names of roles the template does not create.
	roles []roleRef
}

// roleRef is a role an identity policy is attached to.
type roleRef struct {
	res  *Resource // nil for a role the template names but does not create
	name string
}

// ref describes where the policy is, for a report.
func (p *policy) ref(st *statement) PolicyRef {
	return PolicyRef{Stack: p.stack.Name, LogicalID: p.holder.LogicalID, Type: p.holder.Type, Property: p.property, Sid: st.sid, Statement: st.index}
}

// PolicyRef says where a statement is: its stack, the resource that holds the
// policy, the property and the statement.
type PolicyRef struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
	Property  string `json:"property"`
	Sid       string `json:"sid,omitempty"`
	// Statement is the index of the statement in the document.
	Statement int `json:"statement"`
}

// String renders the reference as "invoicesPolicy4AF66481 (AWS::SQS::QueuePolicy)
// PolicyDocument statement AllowSend in Crosswire-billing".
func (r PolicyRef) String() string {
	st := fmt.Sprintf("statement %d", r.Statement)
	if r.Sid != "" {
		st = "statement " + r.Sid
	}
	return fmt.Sprintf("%s (%s) %s %s in %s", r.LogicalID, r.Type, r.Property, st, r.Stack)
}

// ResourceInfo describes a resource: where it is, its type, physical name and ARN
// where the template gives them.
type ResourceInfo struct {
	Account   string `json:"account"`
	Alias     string `json:"alias,omitempty"`
	Region    string `json:"region,omitempty"`
	Stack     string `json:"stack,omitempty"`
	LogicalID string `json:"logicalId,omitempty"`
	Type      string `json:"type"`
	// Name is the physical name (a KMS key's alias), or "" when CloudFormation
	// generates it.
	Name string `json:"name,omitempty"`
	// ARN is the ARN, with ${...} where the template leaves a part unknown.
	ARN string `json:"arn,omitempty"`
	// Link is the Crosswire link that made the resource, from its construct path.
	Link string `json:"link,omitempty"`
}

// Key identifies the resource across two assemblies: its account, type and physical
// name, or its stack and logical ID when it has no name.
func (r ResourceInfo) Key() string {
	if r.Name != "" {
		return r.Account + "|" + r.Type + "|" + r.Name
	}
	if r.LogicalID != "" {
		return r.Account + "|" + r.Type + "|" + r.Stack + "/" + r.LogicalID
	}
	return r.Account + "|" + r.Type + "|" + r.ARN
}

// Label renders the resource as "AWS::SQS::Queue invoices".
func (r ResourceInfo) Label() string {
	switch {
	case r.Name != "":
		return r.Type + " " + r.Name
	case r.LogicalID != "":
		return r.Type + " " + r.LogicalID
	}
	return r.Type + " " + r.ARN
}

// extractor reads the policies of one resource type.
type extractor func(s *Stack, r *Resource) ([]*policy, error)

// extractors read the policies of each resource type that has some.
var extractors = map[string]extractor{
	"AWS::IAM::Role":                      extractRole,
	"AWS::IAM::Policy":                    extractIdentity,
	"AWS::IAM::ManagedPolicy":             extractIdentity,
	"AWS::SQS::QueuePolicy":               extractResourcePolicy("PolicyDocument", "Queues", "AWS::SQS::Queue"),
	"AWS::SQS::QueueInlinePolicy":         extractResourcePolicy("PolicyDocument", "Queue", "AWS::SQS::Queue"),
	"AWS::SNS::TopicPolicy":               extractResourcePolicy("PolicyDocument", "Topics", "AWS::SNS::Topic"),
	"AWS::SNS::TopicInlinePolicy":         extractResourcePolicy("PolicyDocument", "TopicArn", "AWS::SNS::Topic"),
	"AWS::Kinesis::ResourcePolicy":        extractResourcePolicy("ResourcePolicy", "ResourceArn", "AWS::Kinesis::Stream"),
	"AWS::S3::BucketPolicy":               extractResourcePolicy("PolicyDocument", "Bucket", "AWS::S3::Bucket"),
	"AWS::SecretsManager::ResourcePolicy": extractResourcePolicy("ResourcePolicy", "SecretId", "AWS::SecretsManager::Secret"),
	"AWS::KMS::Key":                       extractOwn("KeyPolicy"),
	"AWS::EC2::VPCEndpoint":               extractOwn("PolicyDocument"),
	"AWS::Events::EventBus":               extractOwn("Policy"),
	"AWS::Events::EventBusPolicy":         extractBusPolicy,
	"AWS::Lambda::Permission":             extractPermission,
	"AWS::CloudFormation::StackSet":       extractStackSet,
}

// extractStackSet reads no policy of a stack set: its template deploys into the
// member accounts of organizational units, which the assembly cannot name, so their
// grants are not grants of the assembly's accounts. The grants that admit the member
// accounts (their policies' aws:PrincipalOrgPaths) are on the listed accounts'
// resources, and read there. The graph (GraphOf) shows the unit as one side of the
// link.
func extractStackSet(*Stack, *Resource) ([]*policy, error) { return nil, nil }

// policies returns every policy document of the stack's template.
func (s *Stack) policies(dir string) ([]*policy, error) {
	var out []*policy
	for _, id := range s.logical {
		r := s.resources[id]
		ex, ok := extractors[r.Type]
		if !ok {
			continue
		}
		ps, err := ex(s, r)
		if err != nil {
			return nil, fmt.Errorf("%s: resource %s (%s): %w", filepath.Join(dir, s.TemplateFile), id, r.Type, err)
		}
		out = append(out, ps...)
	}
	return out, nil
}

// extractRole reads a role's trust policy and inline policies.
func extractRole(s *Stack, r *Resource) ([]*policy, error) {
	var out []*policy
	if doc, ok := r.props["AssumeRolePolicyDocument"]; ok {
		sts, err := s.parseDocument(doc, "AssumeRolePolicyDocument")
		if err != nil {
			return nil, err
		}
		out = append(out, &policy{stack: s, holder: r, property: "AssumeRolePolicyDocument", kind: trustPolicy,
			targets: []ResourceInfo{r.Info()}, statements: sts})
	}
	if raw, ok := r.props["Policies"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("Policies: unknown shape %s, want a list", shape(raw))
		}
		for i, el := range list {
			m, ok := el.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("Policies[%d]: unknown shape %s, want {PolicyName, PolicyDocument}", i, shape(el))
			}
			name, _ := m["PolicyName"].(string)
			where := fmt.Sprintf("Policies[%d]", i)
			if name != "" {
				where = "Policies/" + name
			}
			sts, err := s.parseDocument(m["PolicyDocument"], where+".PolicyDocument")
			if err != nil {
				return nil, err
			}
			out = append(out, &policy{stack: s, holder: r, property: where, kind: identityPolicy,
				statements: sts, roles: []roleRef{{res: r}}})
		}
	}
	return out, nil
}

// extractIdentity reads an AWS::IAM::Policy or AWS::IAM::ManagedPolicy.
func extractIdentity(s *Stack, r *Resource) ([]*policy, error) {
	sts, err := s.parseDocument(r.props["PolicyDocument"], "PolicyDocument")
	if err != nil {
		return nil, err
	}
	p := &policy{stack: s, holder: r, property: "PolicyDocument", kind: identityPolicy, statements: sts}
	if raw, ok := r.props["Roles"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("Roles: unknown shape %s, want a list", shape(raw))
		}
		for _, el := range list {
			if m, ok := el.(map[string]any); ok {
				if id, _ := m["Ref"].(string); id != "" && s.resources[id] != nil && s.resources[id].Type == "AWS::IAM::Role" {
					p.roles = append(p.roles, roleRef{res: s.resources[id]})
					continue
				}
			}
			name, err := s.resolve(el)
			if err != nil {
				return nil, fmt.Errorf("Roles%s", prefixColon(err))
			}
			p.roles = append(p.roles, roleRef{name: name})
		}
	}
	return []*policy{p}, nil
}

// extractResourcePolicy returns an extractor for a policy resource whose document
// is in docProp and whose resources are named by targetProp (one or a list).
func extractResourcePolicy(docProp, targetProp, targetType string) extractor {
	return func(s *Stack, r *Resource) ([]*policy, error) {
		sts, err := s.parseDocument(r.props[docProp], docProp)
		if err != nil {
			return nil, err
		}
		raw := r.props[targetProp]
		list, ok := raw.([]any)
		if !ok {
			list = []any{raw}
		}
		p := &policy{stack: s, holder: r, property: docProp, kind: resourcePolicy, statements: sts}
		for i, el := range list {
			t, err := s.target(el, targetType)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]%s", targetProp, i, prefixColon(err))
			}
			p.targets = append(p.targets, t)
		}
		return []*policy{p}, nil
	}
}

// extractOwn returns an extractor for a resource that holds its own policy in prop.
func extractOwn(prop string) extractor {
	return func(s *Stack, r *Resource) ([]*policy, error) {
		doc, ok := r.props[prop]
		if !ok || doc == nil {
			return nil, nil
		}
		sts, err := s.parseDocument(doc, prop)
		if err != nil {
			return nil, err
		}
		return []*policy{{stack: s, holder: r, property: prop, kind: resourcePolicy,
			targets: []ResourceInfo{r.Info()}, statements: sts}}, nil
	}
}

// extractBusPolicy reads an AWS::Events::EventBusPolicy: its Statement, or the
// shorthand Action, Principal (an account ID or "*") and Condition {Type, Key, Value}.
func extractBusPolicy(s *Stack, r *Resource) ([]*policy, error) {
	bus := any("default")
	if v, ok := r.props["EventBusName"]; ok && v != nil {
		bus = v
	}
	t, err := s.target(bus, "AWS::Events::EventBus")
	if err != nil {
		return nil, fmt.Errorf("EventBusName%s", prefixColon(err))
	}
	p := &policy{stack: s, holder: r, kind: resourcePolicy, targets: []ResourceInfo{t}}
	if raw, ok := r.props["Statement"]; ok && raw != nil {
		p.property = "Statement"
		if p.statements, err = s.parseStatements(raw, "Statement"); err != nil {
			return nil, err
		}
		return []*policy{p}, nil
	}
	p.property = "Action/Principal/Condition"
	st := map[string]any{"Effect": "Allow", "Resource": t.ARN}
	if sid, ok := r.props["StatementId"]; ok {
		st["Sid"] = sid
	}
	action, ok := r.props["Action"]
	if !ok {
		return nil, fmt.Errorf("neither Statement nor Action")
	}
	st["Action"] = action
	principal, err := s.resolve(r.props["Principal"])
	if err != nil {
		return nil, fmt.Errorf("Principal%s", prefixColon(err))
	}
	if principal == "*" {
		st["Principal"] = "*"
	} else {
		st["Principal"] = map[string]any{"AWS": principal}
	}
	if raw, ok := r.props["Condition"]; ok && raw != nil {
		c, ok := raw.(map[string]any)
		typ, _ := c["Type"].(string)
		key, _ := c["Key"].(string)
		if !ok || typ == "" || key == "" || c["Value"] == nil {
			return nil, fmt.Errorf("Condition: unknown shape %s, want {Type, Key, Value}", shape(raw))
		}
		st["Condition"] = map[string]any{typ: map[string]any{key: c["Value"]}}
	}
	one, err := s.parseStatement(st, "Action/Principal/Condition")
	if err != nil {
		return nil, err
	}
	p.statements = []*statement{one}
	return []*policy{p}, nil
}

// extractPermission reads an AWS::Lambda::Permission as the statement it adds to
// the function's policy: Principal, Action, and SourceArn, SourceAccount,
// PrincipalOrgID and FunctionUrlAuthType as conditions.
func extractPermission(s *Stack, r *Resource) ([]*policy, error) {
	t, err := s.target(r.props["FunctionName"], "AWS::Lambda::Function")
	if err != nil {
		return nil, fmt.Errorf("FunctionName%s", prefixColon(err))
	}
	principal, err := s.resolve(r.props["Principal"])
	if err != nil {
		return nil, fmt.Errorf("Principal%s", prefixColon(err))
	}
	st := map[string]any{"Effect": "Allow", "Action": r.props["Action"], "Resource": t.ARN}
	switch {
	case principal == "*":
		st["Principal"] = "*"
	case accountPattern.MatchString(principal), strings.HasPrefix(principal, "arn:"):
		st["Principal"] = map[string]any{"AWS": principal}
	case strings.Contains(principal, ".amazonaws.com"):
		st["Principal"] = map[string]any{"Service": principal}
	default:
		st["Principal"] = map[string]any{"AWS": principal}
	}
	cond := map[string]any{}
	add := func(op, key, prop string) {
		if v, ok := r.props[prop]; ok && v != nil {
			m, _ := cond[op].(map[string]any)
			if m == nil {
				m = map[string]any{}
				cond[op] = m
			}
			m[key] = v
		}
	}
	add("ArnLike", "aws:SourceArn", "SourceArn")
	add("StringEquals", "aws:SourceAccount", "SourceAccount")
	add("StringEquals", "aws:PrincipalOrgID", "PrincipalOrgID")
	add("StringEquals", "lambda:FunctionUrlAuthType", "FunctionUrlAuthType")
	add("StringEquals", "lambda:EventSourceToken", "EventSourceToken")
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	one, err := s.parseStatement(st, "Properties")
	if err != nil {
		return nil, err
	}
	one.raw = r.props
	return []*policy{{stack: s, holder: r, property: "Properties", kind: resourcePolicy,
		targets: []ResourceInfo{t}, statements: []*statement{one}}}, nil
}

// target describes the resource that v (a Ref or Fn::GetAtt of a resource of the
// stack, an ARN, an SQS queue URL or a name) designates; typ is its type when v
// does not say.
func (s *Stack) target(v any, typ string) (ResourceInfo, error) {
	if m, ok := v.(map[string]any); ok {
		var id string
		if ref, ok := m["Ref"].(string); ok {
			id = ref
		} else if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
			id, _ = ga[0].(string)
		}
		if r := s.resources[id]; r != nil {
			return r.Info(), nil
		}
	}
	str, err := s.resolve(v)
	if err != nil {
		return ResourceInfo{}, err
	}
	info := ResourceInfo{Account: s.Account, Region: s.Region, Type: typ}
	switch {
	case strings.HasPrefix(str, "arn:"):
		info.ARN = str
		if parts := arnParts(str); parts != nil {
			if accountPattern.MatchString(parts[4]) {
				info.Account = parts[4]
			}
			info.Name = arnName(parts[5])
		}
	case strings.HasPrefix(str, "https://sqs."):
		// https://sqs.<region>.<suffix>/<account>/<name>
		segs := strings.Split(strings.TrimPrefix(str, "https://"), "/")
		if len(segs) == 3 {
			info.Account, info.Name = segs[1], segs[2]
		}
	default:
		info.Name = str
	}
	if info.Account == s.Account {
		for _, id := range s.logical {
			r := s.resources[id]
			if r.Type == typ {
				r.compute()
				if r.name != "" && r.name == info.Name {
					return r.Info(), nil
				}
			}
		}
	}
	if info.Account == s.Account {
		info.Alias = s.Alias
	}
	if info.ARN == "" {
		p, reg := partition(s.Region), s.Region
		switch typ {
		case "AWS::SQS::Queue":
			info.ARN = fmt.Sprintf("arn:%s:sqs:%s:%s:%s", p, reg, info.Account, info.Name)
		case "AWS::SNS::Topic":
			info.ARN = fmt.Sprintf("arn:%s:sns:%s:%s:%s", p, reg, info.Account, info.Name)
		case "AWS::Events::EventBus":
			info.ARN = fmt.Sprintf("arn:%s:events:%s:%s:event-bus/%s", p, reg, info.Account, info.Name)
		case "AWS::Lambda::Function":
			info.ARN = fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", p, reg, info.Account, info.Name)
		case "AWS::S3::Bucket":
			info.ARN = fmt.Sprintf("arn:%s:s3:::%s", p, info.Name)
		}
	}
	return info, nil
}

// arnName returns the name in the resource part of an ARN: what follows the last
// "/" (or ":" for Lambda functions and SNS topics).
func arnName(res string) string {
	if i := strings.LastIndex(res, "/"); i >= 0 {
		return res[i+1:]
	}
	if i := strings.LastIndex(res, ":"); i >= 0 {
		return res[i+1:]
	}
	return res
}
