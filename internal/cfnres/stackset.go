package cfnres

import (
	"fmt"
	"sort"
)

// StackSetType is the CloudFormation type of a stack set, whose TemplateBody (a JSON
// string) is the template every stack instance deploys.
const StackSetType = "AWS::CloudFormation::StackSet"

// A stack set's policies are those of its template, which Extract finds with this
// same table: the entry is added once the table exists.
func init() {
	Types[StackSetType] = Type{Extract: extractStackSet, Name: &Naming{What: "stack set", Prop: "StackSetName"}}
}

// extractStackSet returns the policies of the template a stack set deploys (its
// TemplateBody), each under TemplateBody/<logical ID>/<property>, with the type of
// the member resource as AttachedTo. They count against no quota here: CheckQuotas
// measures each member template as a template of its own (MemberTemplates).
func extractStackSet(props map[string]any) ([]Found, error) {
	tpl, err := memberTemplate(props)
	if err != nil || tpl == nil {
		return nil, err
	}
	policies, err := Extract(tpl)
	if err != nil {
		return nil, fmt.Errorf("TemplateBody: %w", err)
	}
	out := make([]Found, len(policies))
	for i, p := range policies {
		out[i] = Found{
			Property:   "TemplateBody/" + p.LogicalID + "/" + p.Property,
			AttachedTo: map[string]any{"Type": p.Type, "AttachedTo": p.AttachedTo},
			Document:   p.Document,
		}
	}
	return out, nil
}

// memberTemplate parses the TemplateBody of a stack set's properties, or returns nil
// when the stack set names its template by TemplateURL.
func memberTemplate(props map[string]any) (map[string]any, error) {
	body, ok := props["TemplateBody"].(string)
	if !ok {
		return nil, nil
	}
	tpl, err := TemplateFromJSON([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("TemplateBody: %w", err)
	}
	return tpl, nil
}

// MemberTemplates returns the templates that the stack sets of templates (stack name
// to template) deploy inline, as "<stack>/<logical ID of the stack set>" to template,
// so that checks can measure them as templates of their own.
func MemberTemplates(templates map[string]map[string]any) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, stack := range names {
		res, _ := templates[stack]["Resources"].(map[string]any)
		for id, r := range res {
			m, _ := r.(map[string]any)
			if m["Type"] != StackSetType {
				continue
			}
			props, _ := m["Properties"].(map[string]any)
			tpl, err := memberTemplate(props)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", stack, id, err)
			}
			if tpl != nil {
				out[stack+"/"+id] = tpl
			}
		}
	}
	return out, nil
}
