package access

import (
	"fmt"
	"sort"
	"strings"
)

// Principal kinds of a grant.
const (
	// KindAccount is another account: its root (every principal the account lets
	// act), or roles, users or sessions of it (Roles).
	KindAccount = "account"
	// KindOrganization is every principal of an AWS Organization (aws:PrincipalOrgID).
	KindOrganization = "organization"
	// KindOrgPath is every principal under organization paths (aws:PrincipalOrgPaths).
	KindOrgPath = "org-path"
	// KindService is an AWS service acting for a resource of another account (its
	// aws:SourceArn or aws:SourceAccount), or of any account.
	KindService = "service"
	// KindAny is anyone: "*" that no account, organization or path narrows, or
	// NotPrincipal in an Allow.
	KindAny = "any"
)

// Grant is one principal's access to one resource through one Allow statement,
// when the principal is outside the resource's account.
type Grant struct {
	// Resource is the resource the statement governs.
	Resource ResourceInfo `json:"resource"`
	// Principal is who is admitted.
	Principal Principal `json:"principal"`
	// Actions are the allowed actions, or NotActions the actions excepted from all.
	Actions    []string `json:"actions,omitempty"`
	NotActions []string `json:"notActions,omitempty"`
	// StatementResources is the statement's Resource (or NotResource) element when it
	// says more than the resource's ARN.
	StatementResources []string `json:"statementResources,omitempty"`
	NotResource        bool     `json:"notResource,omitempty"`
	// Conditions narrow the grant; the values of keys that name accounts
	// (aws:SourceArn, aws:SourceAccount, aws:PrincipalArn, ...) are those of this
	// principal's account only.
	Conditions []Condition `json:"conditions,omitempty"`
	// NarrowedBy are the Deny statements on the resource that overlap the grant.
	NarrowedBy []Deny `json:"narrowedBy,omitempty"`
	// DeniedBy names an unconditional Deny that removes every action of the grant.
	DeniedBy string `json:"deniedBy,omitempty"`
	// Void says why the grant admits nobody (its conditions name only other accounts).
	Void string `json:"void,omitempty"`
	// Caller is the identity side of the grant, where the assembly shows it.
	Caller *Caller `json:"caller,omitempty"`
	// Policy is where the statement is.
	Policy PolicyRef `json:"policy"`
}

// Principal is the principal of a grant.
type Principal struct {
	// Kind is KindAccount, KindOrganization, KindOrgPath, KindService or KindAny.
	Kind string `json:"kind"`
	// Account is the principal's account (KindAccount), or the account of the
	// service's source (KindService; "*" for any account).
	Account string `json:"account,omitempty"`
	Alias   string `json:"alias,omitempty"`
	// Organizations are the organization IDs (KindOrganization).
	Organizations []string `json:"organizations,omitempty"`
	// OrgPaths are the organization paths (KindOrgPath).
	OrgPaths []string `json:"orgPaths,omitempty"`
	// Service is the service principal (KindService).
	Service string `json:"service,omitempty"`
	// Roles narrow the principal to these role (or user, session) ARNs or patterns.
	Roles []RoleMatch `json:"roles,omitempty"`
	// Except are the principals a NotPrincipal leaves out (KindAny).
	Except []string `json:"except,omitempty"`
}

// RoleMatch is a role ARN or ARN pattern a grant is narrowed to, and what says so.
type RoleMatch struct {
	ARN string `json:"arn"`
	// By is "Principal" for a role named as the principal, or the condition that
	// names it, such as "ArnEquals aws:PrincipalArn".
	By string `json:"by"`
}

// Key identifies the principal across two reports: its kind and account,
// organizations, paths or service and source account.
func (p Principal) Key() string {
	switch p.Kind {
	case KindAccount:
		return KindAccount + ":" + p.Account
	case KindOrganization:
		return KindOrganization + ":" + strings.Join(p.Organizations, ",")
	case KindOrgPath:
		return KindOrgPath + ":" + strings.Join(p.OrgPaths, ",")
	case KindService:
		return KindService + ":" + p.Service + "@" + p.Account
	}
	// Anyone, with or without NotPrincipal exceptions: a diff compares the
	// exceptions.
	return KindAny
}

// Label renders the principal for people, without its roles.
func (p Principal) Label() string {
	switch p.Kind {
	case KindAccount:
		return "account " + accountLabel(p.Alias, p.Account)
	case KindOrganization:
		return "organization " + strings.Join(p.Organizations, ", ")
	case KindOrgPath:
		return "organization path " + strings.Join(p.OrgPaths, ", ")
	case KindService:
		if p.Account == "*" {
			return p.Service + " for any account"
		}
		return p.Service + " for account " + accountLabel(p.Alias, p.Account)
	}
	if len(p.Except) > 0 {
		return "anyone except " + strings.Join(p.Except, ", ")
	}
	return "anyone"
}

// actionSet returns the grant's Action or NotAction element.
func (g *Grant) actionSet() actionSet {
	if len(g.NotActions) > 0 {
		return actionSet{Not: true, List: g.NotActions}
	}
	return actionSet{List: g.Actions}
}

// Key identifies the grant across two reports: its resource and principal.
func (g *Grant) Key() string { return g.Resource.Key() + "|" + g.Principal.Key() }

// Deny is a Deny statement that narrows a grant.
type Deny struct {
	Sid        string      `json:"sid,omitempty"`
	Principal  string      `json:"principal"`
	Actions    []string    `json:"actions,omitempty"`
	NotActions []string    `json:"notActions,omitempty"`
	Conditions []Condition `json:"conditions,omitempty"`
	// Meaning says what the statement is for people, such as "TLS only".
	Meaning string    `json:"meaning,omitempty"`
	Policy  PolicyRef `json:"policy"`
}

// String renders the Deny for people.
func (d Deny) String() string {
	acts := strings.Join(d.Actions, ", ")
	if len(d.NotActions) > 0 {
		acts = "every action except " + strings.Join(d.NotActions, ", ")
	}
	s := "Deny " + acts + " to " + d.Principal
	if len(d.Conditions) > 0 {
		var cs []string
		for _, c := range d.Conditions {
			cs = append(cs, c.String())
		}
		s += " when " + strings.Join(cs, " and ")
	}
	if d.Meaning != "" {
		s += " (" + d.Meaning + ")"
	}
	return s
}

// Unclassified is a statement the analysis could not classify: it is listed, raw,
// rather than dropped.
type Unclassified struct {
	Resource  ResourceInfo `json:"resource"`
	Policy    PolicyRef    `json:"policy"`
	Reason    string       `json:"reason"`
	Statement any          `json:"statement"`
}

// Key identifies the statement across two reports.
func (u Unclassified) Key() string {
	return u.Resource.Key() + "|unclassified|" + canonical(u.Statement)
}

// accountScopedKeys are the condition keys whose values name accounts: a grant to
// one account keeps only the values that can be that account's.
var accountScopedKeys = map[string]bool{
	"aws:principalarn": true, "aws:sourcearn": true, "aws:sourceaccount": true,
	"aws:sourceowner": true, "aws:principalaccount": true,
}

// consumable reports whether a condition with operator op is a plain positive test
// (no set qualifier, no IfExists, not negated) of the kind a principal narrowing
// uses: ...Equals or ...Like on strings or ARNs.
func consumable(op string) bool {
	q, base, ifExists := operatorParts(op)
	if q != "" || ifExists {
		return false
	}
	switch base {
	case "ArnEquals", "ArnLike", "StringEquals", "StringLike":
		return true
	}
	return false
}

// find returns the index of the one consumable condition on key, or -1.
func find(cs []Condition, key string, allowQualifier bool) int {
	at := -1
	for i, c := range cs {
		if !strings.EqualFold(c.Key, key) {
			continue
		}
		op := c.Operator
		if allowQualifier {
			op = strings.TrimPrefix(op, "ForAnyValue:")
		}
		if !consumable(op) {
			continue
		}
		if at >= 0 {
			return -1 // two tests of one key: both stay conditions
		}
		at = i
	}
	return at
}

// without returns cs without the conditions at the given indexes.
func without(cs []Condition, idx ...int) []Condition {
	var out []Condition
next:
	for i, c := range cs {
		for _, j := range idx {
			if i == j {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}

// valueAccount returns the account a value of an account-scoped key names: the
// value itself for account keys, the account part of an ARN, or "*" when it could
// be any.
func valueAccount(key, v string) string {
	if strings.HasSuffix(strings.ToLower(key), "account") || strings.HasSuffix(strings.ToLower(key), "owner") {
		return wildcarded(v)
	}
	if parts := arnParts(v); parts != nil && parts[4] != "" {
		return wildcarded(parts[4])
	}
	return "*"
}

// forAccount keeps, of conditions on account-scoped keys, the values that can name
// account; it returns why the grant admits nobody when a positive test keeps none.
func forAccount(cs []Condition, account string) ([]Condition, string) {
	if account == "*" {
		return cs, ""
	}
	var out []Condition
	void := ""
	for _, c := range cs {
		if !accountScopedKeys[strings.ToLower(c.Key)] {
			out = append(out, c)
			continue
		}
		var kept []string
		for _, v := range c.Values {
			if globMatch(valueAccount(c.Key, v), account) {
				kept = append(kept, v)
			}
		}
		_, base, ifExists := operatorParts(c.Operator)
		switch {
		case len(kept) > 0:
			out = append(out, Condition{Operator: c.Operator, Key: c.Key, Values: kept})
		case negated(base):
			// A negated test of other accounts' values excludes nothing here.
		case !ifExists:
			void = fmt.Sprintf("no %s value of its %s condition can be in account %s", c.Key, c.Operator, account)
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, void
}

// awsPrincipal classifies an AWS principal value: its account and whether it is
// the account root.
func awsPrincipal(v string) (account string, root, ok bool) {
	if accountPattern.MatchString(v) {
		return v, true, true
	}
	parts := arnParts(v)
	if parts == nil || parts[0] != "arn" || !accountPattern.MatchString(parts[4]) {
		return "", false, false
	}
	res := parts[5]
	switch {
	case parts[2] == "iam" && res == "root":
		return parts[4], true, true
	case parts[2] == "iam" && (strings.HasPrefix(res, "role/") || strings.HasPrefix(res, "user/")),
		parts[2] == "sts" && (strings.HasPrefix(res, "assumed-role/") || strings.HasPrefix(res, "federated-user/")):
		return parts[4], false, true
	}
	return "", false, false
}

// classify turns an Allow statement into the cross-account grants it makes, and
// lists what it cannot classify.
func (an *analyzer) classify(p *policy, st *statement) {
	own := p.stack.Account
	targets := p.targetsOf(st)
	emit := func(pr Principal, conds []Condition, void string) {
		for _, t := range targets {
			g := &Grant{Resource: t, Principal: pr, Conditions: conds, Void: void, Policy: p.ref(st)}
			if st.actions.Not {
				g.NotActions = st.actions.List
			} else {
				g.Actions = st.actions.List
			}
			if st.resources != nil && !onlyTarget(st.resources, t) {
				g.StatementResources, g.NotResource = st.resources, st.notResource
			}
			an.grants = append(an.grants, g)
		}
	}
	unclassified := func(reason string) {
		for _, t := range targets {
			an.unclassified = append(an.unclassified, Unclassified{Resource: t, Policy: p.ref(st), Reason: reason, Statement: st.raw})
		}
	}
	if st.notPrincipal {
		emit(Principal{Kind: KindAny, Except: principalValues(st.principal)}, st.conditions, "")
		return
	}
	pe := st.principal
	if pe == nil {
		unclassified("a resource policy statement without Principal")
		return
	}
	if len(pe.federated) > 0 {
		unclassified("federated principal " + strings.Join(pe.federated, ", ") + ": identities of an identity provider, not of an account")
	}
	if len(pe.canonical) > 0 {
		unclassified("canonical user principal " + strings.Join(pe.canonical, ", "))
	}
	conds := st.conditions
	arnAt := find(conds, "aws:PrincipalArn", false)

	// Accounts, roles, users and sessions named in Principal.AWS.
	type named struct {
		root  bool
		roles []string
	}
	byAccount := map[string]*named{}
	anyone := pe.any
	for _, v := range pe.aws {
		if v == "*" {
			anyone = true
			continue
		}
		acct, root, ok := awsPrincipal(v)
		if !ok {
			unclassified(fmt.Sprintf("principal %q is not an account, role, user or session ARN", v))
			continue
		}
		n := byAccount[acct]
		if n == nil {
			n = &named{}
			byAccount[acct] = n
		}
		if root {
			n.root = true
		} else {
			n.roles = append(n.roles, v)
		}
	}
	for _, acct := range sortedKeys(byAccount) {
		if acct == own {
			continue
		}
		n := byAccount[acct]
		pr := Principal{Kind: KindAccount, Account: acct}
		rest := conds
		if !n.root {
			for _, r := range n.roles {
				pr.Roles = append(pr.Roles, RoleMatch{ARN: r, By: "Principal"})
			}
		} else if arnAt >= 0 {
			c := conds[arnAt]
			for _, v := range c.Values {
				if globMatch(valueAccount(c.Key, v), acct) {
					pr.Roles = append(pr.Roles, RoleMatch{ARN: v, By: c.Operator + " " + c.Key})
				}
			}
			rest = without(conds, arnAt)
			if len(pr.Roles) == 0 {
				kept, _ := forAccount(rest, acct)
				emit(pr, kept, fmt.Sprintf("no %s value of its %s condition can be in account %s", c.Key, c.Operator, acct))
				continue
			}
		}
		kept, void := forAccount(rest, acct)
		emit(pr, kept, void)
	}

	if anyone {
		an.classifyAnyone(own, conds, arnAt, emit)
	}

	for _, svc := range pe.service {
		an.classifyService(p, svc, own, conds, emit)
	}
}

// classifyAnyone classifies "*": narrowed to accounts by aws:PrincipalArn or
// aws:PrincipalAccount, to an organization or its paths, or anyone.
func (an *analyzer) classifyAnyone(own string, conds []Condition, arnAt int, emit func(Principal, []Condition, string)) {
	roles := func(cs []Condition) ([]RoleMatch, []int) {
		if arnAt < 0 {
			return nil, nil
		}
		c := cs[arnAt]
		var out []RoleMatch
		for _, v := range c.Values {
			out = append(out, RoleMatch{ARN: v, By: c.Operator + " " + c.Key})
		}
		return out, []int{arnAt}
	}
	// Every aws:PrincipalArn value in a known account: one grant per account.
	if arnAt >= 0 {
		c := conds[arnAt]
		byAccount := map[string][]RoleMatch{}
		literal := true
		for _, v := range c.Values {
			parts := arnParts(v)
			if parts == nil || !accountPattern.MatchString(parts[4]) {
				literal = false
				break
			}
			byAccount[parts[4]] = append(byAccount[parts[4]], RoleMatch{ARN: v, By: c.Operator + " " + c.Key})
		}
		if literal {
			rest := without(conds, arnAt)
			for _, acct := range sortedKeys(byAccount) {
				if acct == own {
					continue
				}
				kept, void := forAccount(rest, acct)
				emit(Principal{Kind: KindAccount, Account: acct, Roles: byAccount[acct]}, kept, void)
			}
			return
		}
	}
	if at := find(conds, "aws:PrincipalAccount", false); at >= 0 {
		rs, idx := roles(conds)
		rest := without(conds, append(idx, at)...)
		for _, acct := range conds[at].Values {
			if acct == own {
				continue
			}
			var mine []RoleMatch
			for _, r := range rs {
				if globMatch(valueAccount("aws:PrincipalArn", r.ARN), acct) {
					mine = append(mine, r)
				}
			}
			kept, void := forAccount(rest, acct)
			if len(rs) > 0 && len(mine) == 0 {
				void = "no aws:PrincipalArn value can be in account " + acct
			}
			emit(Principal{Kind: KindAccount, Account: acct, Roles: mine}, kept, void)
		}
		return
	}
	if at := find(conds, "aws:PrincipalOrgPaths", true); at >= 0 {
		rs, idx := roles(conds)
		emit(Principal{Kind: KindOrgPath, OrgPaths: conds[at].Values, Roles: rs}, without(conds, append(idx, at)...), "")
		return
	}
	if at := find(conds, "aws:PrincipalOrgID", false); at >= 0 {
		rs, idx := roles(conds)
		emit(Principal{Kind: KindOrganization, Organizations: conds[at].Values, Roles: rs}, without(conds, append(idx, at)...), "")
		return
	}
	rs, idx := roles(conds)
	emit(Principal{Kind: KindAny, Roles: rs}, without(conds, idx...), "")
}

// classifyService classifies a service principal by the accounts of its sources.
func (an *analyzer) classifyService(p *policy, svc, own string, conds []Condition, emit func(Principal, []Condition, string)) {
	accounts := map[string]bool{}
	for _, key := range []string{"aws:SourceAccount", "aws:SourceOwner"} {
		if at := find(conds, key, false); at >= 0 {
			for _, v := range conds[at].Values {
				accounts[wildcarded(v)] = true
			}
		}
	}
	if len(accounts) == 0 {
		if at := find(conds, "aws:SourceArn", false); at >= 0 {
			for _, v := range conds[at].Values {
				a := valueAccount("aws:SourceArn", v)
				if !accountPattern.MatchString(a) {
					a = "*"
				}
				accounts[a] = true
			}
		}
	}
	if len(accounts) == 0 {
		if p.kind == trustPolicy {
			return // the service assumes the role for the role's own account
		}
		accounts["*"] = true
	}
	for _, acct := range sortedKeys(accounts) {
		if acct == own {
			continue
		}
		if !accountPattern.MatchString(acct) {
			acct = "*"
		}
		kept, void := forAccount(conds, acct)
		emit(Principal{Kind: KindService, Service: svc, Account: acct}, kept, void)
	}
}

// targetsOf returns the resources of the policy that the statement's Resource
// element can name.
func (p *policy) targetsOf(st *statement) []ResourceInfo {
	if len(p.targets) < 2 || st.resources == nil || st.notResource {
		return p.targets
	}
	var out []ResourceInfo
	for _, t := range p.targets {
		for _, r := range st.resources {
			if r == "*" || arnIntersect(wildcarded(r), wildcarded(t.ARN)) {
				out = append(out, t)
				break
			}
		}
	}
	if len(out) == 0 {
		return p.targets
	}
	return out
}

// onlyTarget reports whether a Resource element says no more than the target.
func onlyTarget(resources []string, t ResourceInfo) bool {
	for _, r := range resources {
		if r != "*" && r != t.ARN {
			return false
		}
	}
	return true
}

// principalValues lists every value of a principal element.
func principalValues(p *principalElem) []string {
	if p.any {
		return []string{"*"}
	}
	var out []string
	out = append(out, p.aws...)
	out = append(out, p.service...)
	out = append(out, p.federated...)
	out = append(out, p.canonical...)
	sort.Strings(out)
	return out
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
