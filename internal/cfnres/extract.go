package cfnres

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Policy is one policy document found in a CloudFormation template.
type Policy struct {
	// LogicalID is the logical ID of the resource that holds the policy.
	LogicalID string `json:"logicalId"`
	// Type is the CloudFormation resource type, e.g. "AWS::IAM::Role".
	Type string `json:"type"`
	// Property names where the document was found, e.g. "PolicyDocument"
	// or "Policies/<PolicyName>".
	Property string `json:"property"`
	// AttachedTo holds the properties that say what the policy applies to
	// (roles, users, groups, queues, topics, buckets, ...), keyed by
	// property name, or nil when the resource type has none.
	AttachedTo any `json:"attachedTo,omitempty"`
	// Document is the policy document as a JSON value. Documents given as
	// JSON strings in the template are parsed; CloudFormation intrinsics
	// are kept as they are.
	Document any `json:"document"`
}

// Found is a policy document found in the properties of one resource.
type Found struct {
	Property   string
	AttachedTo any
	Document   any
}

// ExtractFunc returns the policy documents held by the properties of a resource of
// one type. props is nil when the resource has no Properties.
type ExtractFunc func(props map[string]any) ([]Found, error)

// Extract walks the Resources of a CloudFormation template and returns every
// IAM and resource policy document it finds, sorted by logical ID and
// property. The template is not modified and the returned policies share no
// memory with it.
//
// The resource types whose policies it finds are those of Types with an Extract
// function. A resource of another type whose properties hold a policy document is
// an error that names it, so that no policy goes unseen. Documents given as JSON
// strings are parsed.
func Extract(template map[string]any) ([]Policy, error) {
	policies := []Policy{}
	if template == nil {
		return policies, nil
	}
	generic, err := toGeneric(template)
	if err != nil {
		return nil, fmt.Errorf("template is not JSON-encodable: %w", err)
	}
	raw, ok := generic.(map[string]any)["Resources"]
	if !ok || raw == nil {
		return policies, nil
	}
	resources, ok := raw.(map[string]any)
	if !ok {
		return nil, errors.New("template Resources is not an object")
	}
	for id, r := range resources {
		resource, ok := r.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resource %s is not an object", id)
		}
		typ, _ := resource["Type"].(string)
		var props map[string]any
		if p, ok := resource["Properties"]; ok && p != nil {
			if props, ok = p.(map[string]any); !ok {
				return nil, fmt.Errorf("resource %s: Properties is not an object", id)
			}
		}
		t, known := Types[typ]
		if !known || t.Extract == nil {
			if where := policyIn(props, "Properties"); where != "" {
				return nil, fmt.Errorf("resource %s of type %s holds a policy document at %s, but the resource-type table (internal/cfnres) does not know the type: add it there with its policy extraction, its quota and its physical name, so that the policy is snapshotted and checked", id, typ, where)
			}
			continue
		}
		extract := t.Extract
		docs, err := extract(props)
		if err != nil {
			return nil, fmt.Errorf("resource %s (%s): %w", id, typ, err)
		}
		for _, d := range docs {
			policies = append(policies, Policy{
				LogicalID:  id,
				Type:       typ,
				Property:   d.Property,
				AttachedTo: d.AttachedTo,
				Document:   d.Document,
			})
		}
	}
	sort.Slice(policies, func(i, j int) bool {
		if policies[i].LogicalID != policies[j].LogicalID {
			return policies[i].LogicalID < policies[j].LogicalID
		}
		return policies[i].Property < policies[j].Property
	})
	return policies, nil
}

// documentAt returns an ExtractFunc for resource types that hold one policy
// document in property docProp; the properties named in attachProps, when
// present, become the AttachedTo value.
func documentAt(docProp string, attachProps ...string) ExtractFunc {
	return func(props map[string]any) ([]Found, error) {
		v, ok := props[docProp]
		if !ok || v == nil {
			return nil, nil
		}
		doc, err := parseDocument(v)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", docProp, err)
		}
		return []Found{{Property: docProp, AttachedTo: attachedTo(props, attachProps...), Document: doc}}, nil
	}
}

// extractRole extracts the trust policy, the inline policies, the managed
// policy ARNs and the permissions boundary of an AWS::IAM::Role.
func extractRole(props map[string]any) ([]Found, error) {
	docs, err := documentAt("AssumeRolePolicyDocument")(props)
	if err != nil {
		return nil, err
	}
	if v, ok := props["Policies"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			// An intrinsic such as Fn::If: keep it whole rather than drop it.
			docs = append(docs, Found{Property: "Policies", Document: v})
		}
		for i, el := range list {
			property := "Policies/" + strconv.Itoa(i)
			inline, ok := el.(map[string]any)
			if !ok {
				docs = append(docs, Found{Property: property, Document: el})
				continue
			}
			if name, ok := inline["PolicyName"].(string); ok {
				property = "Policies/" + name
			}
			doc, ok := inline["PolicyDocument"]
			if !ok {
				docs = append(docs, Found{Property: property, Document: el})
				continue
			}
			if doc, err = parseDocument(doc); err != nil {
				return nil, fmt.Errorf("parse %s: %w", property, err)
			}
			docs = append(docs, Found{Property: property, Document: doc})
		}
	}
	// Attached managed policies and the permissions boundary are not
	// documents, but they grant or limit permissions just as much.
	if v, ok := props["ManagedPolicyArns"]; ok && v != nil {
		docs = append(docs, Found{Property: "ManagedPolicyArns", Document: v})
	}
	if v, ok := props["PermissionsBoundary"]; ok && v != nil {
		docs = append(docs, Found{Property: "PermissionsBoundary", Document: v})
	}
	return docs, nil
}

// extractEventBusPolicy extracts the statement of an
// AWS::Events::EventBusPolicy, either the Statement property or, for the
// legacy form, a synthetic statement made of Action, Principal and Condition.
func extractEventBusPolicy(props map[string]any) ([]Found, error) {
	attached := attachedTo(props, "EventBusName")
	if v, ok := props["Statement"]; ok && v != nil {
		stmt, err := parseDocument(v)
		if err != nil {
			return nil, fmt.Errorf("parse Statement: %w", err)
		}
		return []Found{{Property: "Statement", AttachedTo: attached, Document: map[string]any{"Statement": stmt}}}, nil
	}
	stmt := map[string]any{}
	for _, k := range []string{"Action", "Principal", "Condition"} {
		if v, ok := props[k]; ok && v != nil {
			stmt[k] = v
		}
	}
	if len(stmt) == 0 {
		return nil, nil
	}
	return []Found{{Property: "Statement", AttachedTo: attached, Document: map[string]any{"Statement": []any{stmt}}}}, nil
}

// extractLambdaPermission returns the whole properties object of an
// AWS::Lambda::Permission: action, principal, source ARN and account,
// function name, organization ID and function URL auth type together are
// the permission.
func extractLambdaPermission(props map[string]any) ([]Found, error) {
	if props == nil {
		return nil, nil
	}
	return []Found{{Property: "Properties", Document: props}}, nil
}

// attachedTo returns the properties named in names that are present in
// props, keyed by name, or nil when none is present.
func attachedTo(props map[string]any, names ...string) any {
	var out map[string]any
	for _, name := range names {
		v, ok := props[name]
		if !ok || v == nil {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		out[name] = v
	}
	if out == nil {
		return nil
	}
	return out
}

// parseDocument parses a document given as a JSON string; any other value
// is returned unchanged.
func parseDocument(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	return decodeJSON([]byte(s))
}

// decodeJSON decodes exactly one JSON value, keeping numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after JSON value")
	}
	return v, nil
}

// Generic converts v into plain JSON values, as toGeneric does.
func Generic(v any) (any, error) { return toGeneric(v) }

// toGeneric converts v into plain JSON values (map[string]any, []any,
// string, json.Number, bool, nil) by encoding and decoding it, which also
// makes a deep copy.
func toGeneric(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

// TemplateFromJSON decodes a CloudFormation template given as JSON, such as
// the marshalled result of assertions.Template.ToJSON from aws-cdk-go.
// Numbers are kept as json.Number.
func TemplateFromJSON(b []byte) (map[string]any, error) {
	v, err := decodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("decode template: %w", err)
	}
	tmpl, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("template is not a JSON object")
	}
	return tmpl, nil
}
