package access

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Markdown renders the report for people: what no assembly holds, a table of who
// reaches what, then every grant by account and resource, then the unclassified
// statements.
func (r *Report) Markdown() string {
	var b strings.Builder
	grants := r.Grants()
	fmt.Fprintf(&b, "# Cross-account access\n\n")
	fmt.Fprintf(&b, "Cloud assembly `%s`: %d stacks in %d accounts; %d cross-account grants on %d resources; %d unclassified statements.\n\n",
		r.Assembly, r.Stacks, len(r.Accounts), len(grants), len(r.Resources), len(r.Unclassified))
	var accts []string
	for _, a := range r.Accounts {
		accts = append(accts, accountLabel(a.Alias, a.ID))
	}
	fmt.Fprintf(&b, "Accounts: %s.\n\n", strings.Join(accts, ", "))

	b.WriteString("## Never in a cloud assembly\n\n")
	for _, n := range r.NotInAssembly {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\n")

	b.WriteString("## Who reaches what\n\n")
	if len(grants) == 0 {
		b.WriteString("No grant crosses an account boundary.\n\n")
	} else {
		b.WriteString("| principal | resource (account) | actions | caller side |\n|---|---|---|---|\n")
		for _, g := range grants {
			fmt.Fprintf(&b, "| %s | %s (%s) | %s | %s |\n", cell(principalText(g.Principal)),
				cell(g.Resource.Label()), cell(accountLabel(g.Resource.Alias, g.Resource.Account)),
				cell(g.actionSet().String()), cell(sideText(g)))
		}
		b.WriteString("\n")
	}

	account := ""
	for _, rg := range r.Resources {
		res := rg.Resource
		if res.Account != account {
			account = res.Account
			fmt.Fprintf(&b, "## %s\n\n", accountLabel(res.Alias, res.Account))
		}
		fmt.Fprintf(&b, "### %s\n\n", res.Label())
		var where []string
		if res.ARN != "" {
			where = append(where, "`"+res.ARN+"`")
		}
		if res.Stack != "" {
			where = append(where, "stack "+res.Stack+", "+res.LogicalID)
		}
		if res.Link != "" {
			where = append(where, "link "+res.Link)
		}
		fmt.Fprintf(&b, "%s\n\n", strings.Join(where, " — "))
		for _, g := range rg.Grants {
			writeGrant(&b, g)
		}
		b.WriteString("\n")
	}

	if len(r.Unclassified) > 0 {
		b.WriteString("## Unclassified statements\n\n")
		b.WriteString("These statements could not be classified; read them yourself.\n\n")
		for _, u := range r.Unclassified {
			raw, _ := json.Marshal(u.Statement)
			fmt.Fprintf(&b, "- %s (%s): %s — %s\n\n  ```json\n  %s\n  ```\n", u.Resource.Label(),
				accountLabel(u.Resource.Alias, u.Resource.Account), u.Reason, u.Policy, raw)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// writeGrant renders one grant as a list item.
func writeGrant(b *strings.Builder, g *Grant) {
	fmt.Fprintf(b, "- **%s**: `%s`\n", principalText(g.Principal), g.actionSet().String())
	if g.Void != "" {
		fmt.Fprintf(b, "  - admits nobody: %s\n", g.Void)
	}
	if g.DeniedBy != "" {
		fmt.Fprintf(b, "  - denied entirely by %s\n", g.DeniedBy)
	}
	if len(g.StatementResources) > 0 {
		what := "resource element"
		if g.NotResource {
			what = "NotResource element"
		}
		fmt.Fprintf(b, "  - %s: %s\n", what, code(g.StatementResources))
	}
	if len(g.Conditions) > 0 {
		var cs []string
		for _, c := range g.Conditions {
			cs = append(cs, "`"+c.String()+"`")
		}
		fmt.Fprintf(b, "  - conditions: %s\n", strings.Join(cs, "; "))
	}
	for _, d := range g.NarrowedBy {
		fmt.Fprintf(b, "  - narrowed by: %s\n", d)
	}
	if c := g.Caller; c != nil {
		fmt.Fprintf(b, "  - caller side: %s", c.Side)
		if c.Note != "" {
			fmt.Fprintf(b, " — %s", c.Note)
		}
		b.WriteString("\n")
		for _, id := range c.Identities {
			fmt.Fprintf(b, "    - %s", id.Role)
			switch {
			case id.Stack != "":
				fmt.Fprintf(b, " (%s %s)", id.Stack, id.LogicalID)
			case id.NotCreated && len(id.Policies) > 0:
				b.WriteString(" (not created by the assembly; a policy of it attaches to the role by name)")
			case id.NotCreated:
				b.WriteString(": not in the assembly")
			}
			for _, p := range id.Policies {
				fmt.Fprintf(b, "; %s allows %s", p.Policy, strings.Join(p.Actions, ", "))
			}
			if len(id.Missing) > 0 {
				fmt.Fprintf(b, "; nothing in the assembly allows %s", strings.Join(id.Missing, ", "))
			}
			b.WriteString("\n")
		}
		for _, s := range c.Sources {
			fmt.Fprintf(b, "    - source %s in %s (%s)\n", s.Label(), s.Stack, s.LogicalID)
		}
	}
	fmt.Fprintf(b, "  - policy: %s\n", g.Policy)
}

// principalText renders a principal with its roles.
func principalText(p Principal) string {
	s := p.Label()
	if len(p.Roles) == 0 {
		return s
	}
	var rs []string
	for _, r := range p.Roles {
		if r.By == "Principal" {
			rs = append(rs, r.ARN)
		} else {
			rs = append(rs, r.ARN+" ("+r.By+")")
		}
	}
	return s + ", only " + strings.Join(rs, ", ")
}

// sideText renders the caller side of g.
func sideText(g *Grant) string {
	if g.Caller == nil {
		return ""
	}
	return g.Caller.Side
}

// cell escapes a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// code renders each of list as inline code.
func code(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "`" + s + "`"
	}
	return strings.Join(out, ", ")
}
