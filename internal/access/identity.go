package access

import (
	"sort"
	"strings"
)

// Caller sides of a grant.
const (
	// SideInAssembly: every role the grant names (or the service's every source) is
	// in the assembly, and its identity policies there allow every action granted.
	SideInAssembly = "in-assembly"
	// SidePartly: the assembly shows part of the caller side; the rest is outside.
	SidePartly = "partly-in-assembly"
	// SideOutside: nothing of the caller side is in the assembly.
	SideOutside = "outside-assembly"
)

// Caller is the identity side of a cross-account grant: for a call to succeed, the
// caller's own policies must allow it too.
type Caller struct {
	// Side is SideInAssembly, SidePartly or SideOutside.
	Side string `json:"side"`
	// Identities are the roles (or the account's principals) of the assembly whose
	// identity policies allow some of the grant's actions on the resource.
	Identities []CallerIdentity `json:"identities,omitempty"`
	// Sources are the resources of the assembly a service acts for.
	Sources []ResourceInfo `json:"sources,omitempty"`
	// Note says what is outside the assembly.
	Note string `json:"note,omitempty"`
}

// CallerIdentity is a role of the caller side and what its identity policies allow.
type CallerIdentity struct {
	// Role is the role's ARN, or the pattern no role of the assembly matched.
	Role string `json:"role"`
	// Stack and LogicalID locate the role, when a stack creates it.
	Stack     string `json:"stack,omitempty"`
	LogicalID string `json:"logicalId,omitempty"`
	// Policies are the identity statements that allow the grant's actions on the
	// resource.
	Policies []IdentityStatement `json:"policies,omitempty"`
	// Missing are the granted actions no identity statement of the assembly allows.
	Missing []string `json:"missing,omitempty"`
	// NotCreated says that no stack of the assembly creates the role: it exists
	// already (a policy of the assembly may still attach to it by name) or not at all.
	NotCreated bool `json:"notCreated,omitempty"`
}

// IdentityStatement is an identity policy statement of the caller side.
type IdentityStatement struct {
	Policy  PolicyRef `json:"policy"`
	Actions []string  `json:"actions"`
}

// identityIndex finds roles and their identity statements by account and name.
type identityIndex struct {
	roles      map[string]*Resource       // account|lower(name) -> role
	roleNames  map[string][]string        // account -> lower(names) of roles and of roles policies attach to
	statements map[string][]identityEntry // account|lower(name) -> Allow statements of that role
	resources  map[string][]*Resource     // account -> resources with an ARN
	display    map[string]string          // account|lower(name) -> name as a policy writes it
}

// identityEntry is an Allow statement of an identity policy.
type identityEntry struct {
	p  *policy
	st *statement
}

// roleKey is the index key of role name in account (IAM role names are
// case-insensitive).
func roleKey(account, name string) string { return account + "|" + strings.ToLower(name) }

// newIdentityIndex indexes every role and identity policy of the assembly.
func newIdentityIndex(a *Assembly, policies []*policy) *identityIndex {
	ix := &identityIndex{roles: map[string]*Resource{}, roleNames: map[string][]string{},
		statements: map[string][]identityEntry{}, resources: map[string][]*Resource{}, display: map[string]string{}}
	addName := func(account, name string) {
		k := roleKey(account, name)
		if _, ok := ix.statements[k]; !ok && ix.roles[k] == nil {
			if _, seen := ix.display[k]; !seen {
				ix.roleNames[account] = append(ix.roleNames[account], strings.ToLower(name))
			}
		}
		ix.display[k] = name
	}
	for _, s := range a.Stacks {
		for _, r := range s.Resources() {
			r.compute()
			if r.Type == "AWS::IAM::Role" {
				addName(s.Account, roleName(r))
				ix.roles[roleKey(s.Account, roleName(r))] = r
			}
			if !strings.HasPrefix(r.arn, "${") {
				ix.resources[s.Account] = append(ix.resources[s.Account], r)
			}
		}
	}
	for _, p := range policies {
		if p.kind != identityPolicy {
			continue
		}
		for _, rr := range p.roles {
			name := rr.name
			if rr.res != nil {
				name = roleName(rr.res)
			}
			addName(p.stack.Account, name)
			k := roleKey(p.stack.Account, name)
			for _, st := range p.statements {
				if st.effect == "Allow" {
					ix.statements[k] = append(ix.statements[k], identityEntry{p, st})
				}
			}
		}
	}
	return ix
}

// roleName returns the name of a role resource, or its ${LogicalID} placeholder.
func roleName(r *Resource) string {
	r.compute()
	if r.name != "" {
		return r.name
	}
	return "${" + r.LogicalID + "}"
}

// caller works out the identity side of g.
func (ix *identityIndex) caller(g *Grant, accounts []string) *Caller {
	if g.Principal.Kind == KindService {
		return ix.serviceCaller(g)
	}
	c := &Caller{}
	acts := g.actionSet()
	var candidates []string // account|name
	var unmatched []string
	if len(g.Principal.Roles) > 0 {
		for _, rm := range g.Principal.Roles {
			found := ix.rolesMatching(rm.ARN, g.Principal.Account, accounts)
			if len(found) == 0 {
				unmatched = append(unmatched, rm.ARN)
			}
			candidates = append(candidates, found...)
		}
	} else {
		scope := accounts
		if g.Principal.Kind == KindAccount {
			scope = []string{g.Principal.Account}
		}
		for _, acct := range scope {
			if acct == g.Resource.Account {
				continue
			}
			for _, n := range ix.roleNames[acct] {
				candidates = append(candidates, roleKey(acct, n))
			}
		}
	}
	candidates = dedupe(candidates)
	complete := len(unmatched) == 0 && len(g.Principal.Roles) > 0
	for _, k := range candidates {
		id := ix.identityOf(k, g, acts)
		if id == nil {
			if len(g.Principal.Roles) > 0 {
				// A role the grant names that the assembly has but does not allow.
				none := ix.describe(k)
				none.Missing = missingAll(acts)
				c.Identities = append(c.Identities, none)
				complete = false
			}
			continue
		}
		if len(id.Missing) > 0 {
			complete = false
		}
		c.Identities = append(c.Identities, *id)
	}
	for _, u := range unmatched {
		c.Identities = append(c.Identities, CallerIdentity{Role: u, NotCreated: true})
	}
	c.Sources = ix.sources(g)
	var notes []string
	switch {
	case complete:
		c.Side = SideInAssembly
		notes = append(notes, "the identity policies of every role the grant names are in the assembly and allow every action granted")
	case hasPolicies(c.Identities):
		c.Side = SidePartly
	default:
		c.Side = SideOutside
	}
	if len(unmatched) > 0 {
		notes = append(notes, "no stack of the assembly creates "+strings.Join(unmatched, ", ")+" or attaches a policy to it: that caller side is outside the assembly")
	}
	if len(g.Principal.Roles) > 0 && !complete && len(unmatched) < len(candidates)+len(unmatched) {
		for _, id := range c.Identities {
			if len(id.Missing) > 0 {
				notes = append(notes, "some granted actions are allowed by no identity policy of the assembly: the call fails unless a policy outside the assembly allows them")
				break
			}
		}
	}
	if len(g.Principal.Roles) == 0 {
		notes = append(notes, "any principal of "+g.Principal.Label()+" that its own identity policies allow may use this grant; those outside the assembly are not shown")
	}
	c.Note = strings.Join(notes, "; ")
	return c
}

// missingAll lists every action of acts as missing.
func missingAll(acts actionSet) []string {
	if acts.Not {
		return []string{acts.String()}
	}
	return acts.List
}

// rolesMatching returns the keys of the roles (created, or named by an identity
// policy) that the ARN pattern matches, in account (or in any account of accounts
// when account is not one).
func (ix *identityIndex) rolesMatching(pattern, account string, accounts []string) []string {
	parts := arnParts(wildcarded(pattern))
	if parts == nil {
		return nil
	}
	var out []string
	scope := accounts
	if accountPattern.MatchString(parts[4]) {
		scope = []string{parts[4]}
	} else if accountPattern.MatchString(account) {
		scope = []string{account}
	}
	name := arnName(parts[5])
	for _, acct := range scope {
		if !globMatch(parts[4], acct) {
			continue
		}
		consider := ix.roleNames[acct]
		if !hasWildcard(name) {
			consider = []string{strings.ToLower(name)}
		}
		for _, n := range consider {
			k := roleKey(acct, n)
			if r := ix.roles[k]; r != nil {
				if arnMatch(strings.ToLower(wildcarded(pattern)), strings.ToLower(wildcarded(r.arn))) {
					out = append(out, k)
				}
				continue
			}
			// A role the assembly does not create but attaches a policy to, by name:
			// its path is unknown, so only the name is compared.
			if _, ok := ix.statements[k]; ok && globMatch(strings.ToLower(name), n) {
				out = append(out, k)
			}
		}
	}
	return out
}

// identityOf returns the role k with the identity statements that allow some of the
// grant's actions on its resource, or nil when none does.
func (ix *identityIndex) identityOf(k string, g *Grant, acts actionSet) *CallerIdentity {
	var allowed []IdentityStatement
	var covered []string
	for _, e := range ix.statements[k] {
		if !e.st.actions.intersects(acts) || !resourceMatches(e.st, g.Resource) {
			continue
		}
		var which []string
		if acts.Not {
			which = []string{acts.String()}
		} else {
			for _, a := range acts.List {
				if e.st.actions.intersects(actionSet{List: []string{a}}) {
					which = append(which, a)
				}
			}
		}
		allowed = append(allowed, IdentityStatement{Policy: e.p.ref(e.st), Actions: which})
		if e.st.actions.covers(acts) {
			covered = acts.List
		}
		covered = append(covered, which...)
	}
	if len(allowed) == 0 {
		return nil
	}
	id := ix.describe(k)
	id.Policies = allowed
	if !acts.Not {
		for _, a := range acts.List {
			if !containsFold(covered, a) {
				id.Missing = append(id.Missing, a)
			}
		}
	}
	return &id
}

// describe returns the role k without policies.
func (ix *identityIndex) describe(k string) CallerIdentity {
	if r := ix.roles[k]; r != nil {
		return CallerIdentity{Role: r.arn, Stack: r.stack.Name, LogicalID: r.LogicalID}
	}
	acct, name, _ := strings.Cut(k, "|")
	if n, ok := ix.display[k]; ok {
		name = n
	}
	return CallerIdentity{Role: "role " + name + " of account " + acct, NotCreated: true}
}

// hasPolicies reports whether one of ids has an allowing identity statement.
func hasPolicies(ids []CallerIdentity) bool {
	for _, id := range ids {
		if len(id.Policies) > 0 {
			return true
		}
	}
	return false
}

// resourceMatches reports whether an identity statement's Resource element can
// name the resource.
func resourceMatches(st *statement, r ResourceInfo) bool {
	if st.resources == nil {
		return false
	}
	arn := wildcarded(r.ARN)
	for _, v := range st.resources {
		m := v == "*" || arnIntersect(wildcarded(v), arn)
		if st.notResource {
			if m && v != "*" && arnCovers(wildcarded(v), arn) {
				return false
			}
			continue
		}
		if m {
			return true
		}
	}
	return st.notResource
}

// sources returns the resources of the assembly that the grant's aws:SourceArn
// values name.
func (ix *identityIndex) sources(g *Grant) []ResourceInfo {
	var out []ResourceInfo
	for _, src := range sourceArns(g) {
		pat := wildcarded(src)
		parts := arnParts(pat)
		if parts == nil {
			continue
		}
		scope := []string{parts[4]}
		if !accountPattern.MatchString(parts[4]) {
			scope = sortedKeys(ix.resources)
		}
		for _, acct := range scope {
			if !globMatch(parts[4], acct) {
				continue
			}
			for _, r := range ix.resources[acct] {
				if arnMatch(pat, r.arn) {
					out = append(out, r.Info())
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// sourceArns returns the values of the grant's positive aws:SourceArn conditions.
func sourceArns(g *Grant) []string {
	var out []string
	for _, cond := range g.Conditions {
		_, base, _ := operatorParts(cond.Operator)
		if strings.EqualFold(cond.Key, "aws:SourceArn") && !negated(base) {
			out = append(out, cond.Values...)
		}
	}
	return out
}

// serviceCaller finds, for a service grant, the resources of the assembly it acts
// for (its aws:SourceArn).
func (ix *identityIndex) serviceCaller(g *Grant) *Caller {
	c := &Caller{Sources: ix.sources(g)}
	srcs := sourceArns(g)
	found := 0
	for _, src := range srcs {
		for _, s := range c.Sources {
			if arnMatch(wildcarded(src), s.ARN) {
				found++
				break
			}
		}
	}
	switch {
	case len(srcs) > 0 && found == len(srcs):
		c.Side = SideInAssembly
		c.Note = g.Principal.Service + " acts for the source resources listed, which the assembly creates"
	case found > 0:
		c.Side = SidePartly
		c.Note = "some aws:SourceArn values name no resource of the assembly"
	default:
		c.Side = SideOutside
		c.Note = g.Principal.Service + " acts for resources that are not in the assembly"
		if len(srcs) == 0 {
			c.Note = g.Principal.Service + " may act for any resource of " + sourceAccountLabel(g.Principal) + ": no aws:SourceArn narrows it"
		}
	}
	return c
}

// sourceAccountLabel renders the account a service grant's sources are in.
func sourceAccountLabel(p Principal) string {
	if p.Account == "*" {
		return "any account"
	}
	return "account " + accountLabel(p.Alias, p.Account)
}

// dedupe returns list without repeats, in order.
func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
