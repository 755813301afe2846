package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/parallel"
)

// ReportFormat names the JSON format of a Report.
const ReportFormat = "crosswire-access/1"

// NotInAssembly is what no cloud assembly holds, and so no report can show.
var NotInAssembly = []string{
	"Service control policies (SCPs) and resource control policies (RCPs) of the organization: they can deny what a grant here allows, and are never in a cloud assembly.",
	"KMS grants (kms:CreateGrant): they give access to a key beside its key policy, and are never in a cloud assembly.",
	"Other teams' roles and their identity policies: a cross-account call also needs the caller's own identity policy, and roles that no stack of this assembly creates are outside it (see each grant's caller side).",
	"Permissions boundaries, session policies, and policies changed outside CloudFormation.",
}

// Report is every cross-account grant of a cloud assembly, grouped by resource.
type Report struct {
	// Format is ReportFormat.
	Format string `json:"format"`
	// Assembly is the directory the report was made from.
	Assembly string `json:"assembly"`
	// Accounts are the accounts of the assembly's stacks, sorted by ID.
	Accounts []AccountInfo `json:"accounts"`
	// Stacks is the number of stacks read.
	Stacks int `json:"stacks"`
	// Resources are the resources with cross-account grants, sorted by account, type
	// and name.
	Resources []ResourceGrants `json:"resources"`
	// Unclassified are the statements that could not be classified, raw.
	Unclassified []Unclassified `json:"unclassified"`
	// NotInAssembly is what the report cannot show.
	NotInAssembly []string `json:"notInAssembly"`
}

// AccountInfo is an account of the assembly.
type AccountInfo struct {
	ID    string `json:"id"`
	Alias string `json:"alias,omitempty"`
}

// ResourceGrants is a resource and its cross-account grants.
type ResourceGrants struct {
	Resource ResourceInfo `json:"resource"`
	Grants   []*Grant     `json:"grants"`
}

// Grants returns every grant of the report.
func (r *Report) Grants() []*Grant {
	var out []*Grant
	for _, rg := range r.Resources {
		out = append(out, rg.Grants...)
	}
	return out
}

// analyzer holds the state of one Analyze.
type analyzer struct {
	a            *Assembly
	policies     []*policy
	grants       []*Grant
	unclassified []Unclassified
	denies       map[string][]denyStatement
}

// denyStatement is a Deny statement and its policy.
type denyStatement struct {
	p  *policy
	st *statement
}

// Analyze lists every grant of the assembly that crosses an account boundary. It
// fails, naming the template, the resource and the element, on a policy of unknown
// shape.
func Analyze(a *Assembly) (*Report, error) {
	an := &analyzer{a: a, denies: map[string][]denyStatement{}}
	if err := an.extract(); err != nil {
		return nil, err
	}
	for _, p := range an.policies {
		if p.kind == identityPolicy {
			continue
		}
		for _, st := range p.statements {
			if st.effect == "Deny" {
				for _, t := range p.targetsOf(st) {
					an.denies[t.Key()] = append(an.denies[t.Key()], denyStatement{p, st})
				}
				continue
			}
			an.classify(p, st)
		}
	}
	aliases := a.Aliases()
	accounts := a.Accounts()
	ix := newIdentityIndex(a, an.policies)
	for _, g := range an.grants {
		if g.Resource.Alias == "" {
			g.Resource.Alias = aliases[g.Resource.Account]
		}
		if g.Principal.Kind == KindAccount || (g.Principal.Kind == KindService && g.Principal.Account != "*") {
			g.Principal.Alias = aliases[g.Principal.Account]
		}
		an.narrow(g)
		g.Caller = ix.caller(g, accounts)
	}
	for i := range an.unclassified {
		if an.unclassified[i].Resource.Alias == "" {
			an.unclassified[i].Resource.Alias = aliases[an.unclassified[i].Resource.Account]
		}
	}
	r := &Report{Format: ReportFormat, Assembly: a.Dir, Stacks: len(a.Stacks), Unclassified: an.unclassified,
		NotInAssembly: NotInAssembly}
	if r.Unclassified == nil {
		r.Unclassified = []Unclassified{}
	}
	for _, acct := range accounts {
		r.Accounts = append(r.Accounts, AccountInfo{ID: acct, Alias: aliases[acct]})
	}
	r.Resources = group(an.grants)
	return r, nil
}

// extract reads the policies of every stack, on all CPUs.
func (an *analyzer) extract() error {
	stacks := an.a.Stacks
	out := make([][]*policy, len(stacks))
	err := parallel.Each(len(stacks), func(i int) (err error) {
		out[i], err = stacks[i].policies(an.a.Dir)
		return err
	})
	if err != nil {
		return err
	}
	for _, ps := range out {
		an.policies = append(an.policies, ps...)
	}
	return nil
}

// group sorts grants into resources, each resource's grants by principal.
func group(grants []*Grant) []ResourceGrants {
	byKey := map[string]*ResourceGrants{}
	var keys []string
	for _, g := range grants {
		k := g.Resource.Key()
		rg := byKey[k]
		if rg == nil {
			rg = &ResourceGrants{Resource: g.Resource}
			byKey[k] = rg
			keys = append(keys, k)
		}
		if rg.Resource.LogicalID == "" && g.Resource.LogicalID != "" {
			rg.Resource = g.Resource
		}
		rg.Grants = append(rg.Grants, g)
	}
	out := make([]ResourceGrants, 0, len(keys))
	for _, k := range keys {
		rg := byKey[k]
		sort.SliceStable(rg.Grants, func(i, j int) bool {
			a, b := rg.Grants[i], rg.Grants[j]
			if a.Principal.Key() != b.Principal.Key() {
				return a.Principal.Key() < b.Principal.Key()
			}
			if a.Policy.LogicalID != b.Policy.LogicalID {
				return a.Policy.LogicalID < b.Policy.LogicalID
			}
			return a.Policy.Statement < b.Policy.Statement
		})
		out = append(out, *rg)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Resource, out[j].Resource
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		return a.Key() < b.Key()
	})
	return out
}

// narrow attaches to g the Deny statements of its resource that overlap it.
func (an *analyzer) narrow(g *Grant) {
	acts := g.actionSet()
	for _, d := range an.denies[g.Resource.Key()] {
		if !d.st.actions.intersects(acts) || !denyApplies(d.st, g.Principal) {
			continue
		}
		dn := Deny{Sid: d.st.sid, Principal: denyPrincipal(d.st), Conditions: d.st.conditions, Policy: d.p.ref(d.st)}
		if d.st.actions.Not {
			dn.NotActions = d.st.actions.List
		} else {
			dn.Actions = d.st.actions.List
		}
		if tlsOnly(d.st) {
			dn.Meaning = "TLS only: every request without TLS is denied"
		}
		if len(d.st.conditions) == 0 && !d.st.notPrincipal && denyPrincipal(d.st) == "anyone" && d.st.actions.covers(acts) {
			g.DeniedBy = d.p.ref(d.st).String()
		}
		g.NarrowedBy = append(g.NarrowedBy, dn)
	}
}

// denyApplies reports whether a Deny statement's principal can be the grant's.
func denyApplies(st *statement, p Principal) bool {
	pe := st.principal
	if st.notPrincipal || pe == nil || pe.any {
		return true
	}
	for _, v := range pe.aws {
		if v == "*" {
			return true
		}
		acct, _, ok := awsPrincipal(v)
		if !ok || p.Kind != KindAccount && p.Kind != KindService || acct == p.Account {
			return true
		}
	}
	for _, s := range pe.service {
		if p.Kind == KindService && strings.EqualFold(s, p.Service) {
			return true
		}
	}
	return false
}

// denyPrincipal renders a Deny statement's principal.
func denyPrincipal(st *statement) string {
	if st.principal == nil {
		return "anyone"
	}
	vals := principalValues(st.principal)
	if len(vals) == 1 && vals[0] == "*" {
		if st.notPrincipal {
			return "nobody"
		}
		return "anyone"
	}
	if st.notPrincipal {
		return "anyone except " + strings.Join(vals, ", ")
	}
	return strings.Join(vals, ", ")
}

// tlsOnly reports whether st is the usual Deny of requests without TLS.
func tlsOnly(st *statement) bool {
	if len(st.conditions) != 1 {
		return false
	}
	c := st.conditions[0]
	return c.Operator == "Bool" && strings.EqualFold(c.Key, "aws:SecureTransport") && len(c.Values) == 1 && c.Values[0] == "false"
}

// JSON renders the report as indented JSON.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// LoadReport reads a report written by Report.JSON.
func LoadReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a JSON access report: %v", path, err)
	}
	if r.Format != ReportFormat {
		return nil, fmt.Errorf("%s: format %q, want %q (the output of crosswire access -json)", path, r.Format, ReportFormat)
	}
	return &r, nil
}

// Load returns the report of path: a cloud assembly directory is analyzed, a file
// is read as the JSON output of an earlier report.
func Load(path string) (*Report, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%q: no such file or directory", path)
		}
		return nil, err
	}
	if !info.IsDir() {
		r, err := LoadReport(path)
		if err != nil {
			return nil, err
		}
		r.Assembly = path + " (report of " + r.Assembly + ")"
		return r, nil
	}
	a, err := LoadAssembly(path)
	if err != nil {
		return nil, err
	}
	return Analyze(a)
}

// canonical renders v as JSON with sorted keys, to compare raw statements.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
