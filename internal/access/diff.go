package access

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// WideningRules says, for the help text of `crosswire access diff`, when a change
// widens access. Diff applies exactly these rules; each has a test.
var WideningRules = []string{
	"added: a grant to a principal (an account, organization, organization path, service for an account, or anyone) that had none on that resource; also a grant that admitted nobody or was denied entirely and now admits someone, and an unclassified statement that is new",
	"more principals: the roles the grant is narrowed to match more (a role ARN added to the aws:PrincipalArn list or the Principal element; ArnEquals turned into ArnLike with a wildcard; a pattern that matches more), the narrowing to roles is gone (now the whole account), or fewer principals are excepted by NotPrincipal",
	"more actions: an action (or wildcard) that the old grant did not allow, or Action turned into NotAction",
	"more resources: the statement's Resource element names more than before",
	"a condition dropped: a condition key the old grant tested is not tested any more",
	"a condition loosened: more values for a positive test (StringEquals, ArnEquals, ...); a value turned into a wildcard pattern; StringEquals into StringLike with a wildcard; a case-sensitive test into ...IgnoreCase; a key turning into ...IfExists (it then also matches requests without the key); a set operator added, removed or swapped (ForAllValues also matches requests without the key, and neither ForAllValues nor ForAnyValue implies the other); fewer values for a negated test (StringNotEquals, ArnNotLike, ...); any other change of a Bool, Null, Numeric, Date, IpAddress or Binary test, which is not compared and so counts as widening",
	"a Deny dropped or changed: a Deny statement that narrowed the grant (such as the TLS-only Deny on aws:SecureTransport=false) is gone or different",
}

// Diff is what changed between two access reports.
type Diff struct {
	Old string `json:"old"`
	New string `json:"new"`
	// Added are grants of the new report whose resource and principal had none in
	// the old one; Removed the converse.
	Added   []*Grant `json:"added"`
	Removed []*Grant `json:"removed"`
	// Widened are grants that allow more than before, with why; Narrowed are grants
	// that allow less. A grant changed both ways is in both.
	Widened  []Change `json:"widened"`
	Narrowed []Change `json:"narrowed"`
	// UnclassifiedAdded and UnclassifiedRemoved are unclassified statements only in
	// the new or only in the old report.
	UnclassifiedAdded   []Unclassified `json:"unclassifiedAdded"`
	UnclassifiedRemoved []Unclassified `json:"unclassifiedRemoved"`
}

// Change is a grant of both reports that allows more or less than before.
type Change struct {
	Old     *Grant   `json:"old"`
	New     *Grant   `json:"new"`
	Reasons []string `json:"reasons"`
}

// Widens reports whether the new report allows anything the old did not: a grant
// added or widened, or an unclassified statement added.
func (d *Diff) Widens() bool {
	return len(d.Added)+len(d.Widened)+len(d.UnclassifiedAdded) > 0
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return !d.Widens() && len(d.Removed)+len(d.Narrowed)+len(d.UnclassifiedRemoved) == 0
}

// DiffReports compares two reports grant by grant: grants are matched by resource
// (account, type and physical name) and principal, and compared by what they allow,
// not as text (see WideningRules).
func DiffReports(old, new *Report) *Diff {
	d := &Diff{Old: old.Assembly, New: new.Assembly, Added: []*Grant{}, Removed: []*Grant{},
		Widened: []Change{}, Narrowed: []Change{}, UnclassifiedAdded: []Unclassified{}, UnclassifiedRemoved: []Unclassified{}}
	oldBy, oldKeys := effective(old)
	newBy, newKeys := effective(new)
	for _, k := range newKeys {
		olds, ok := oldBy[k]
		if !ok {
			d.Added = append(d.Added, newBy[k]...)
			continue
		}
		for _, n := range newBy[k] {
			if o, reasons := closest(olds, n, &widening); len(reasons) > 0 {
				d.Widened = append(d.Widened, Change{Old: o, New: n, Reasons: reasons})
			}
		}
	}
	for _, k := range oldKeys {
		news, ok := newBy[k]
		if !ok {
			d.Removed = append(d.Removed, oldBy[k]...)
			continue
		}
		for _, o := range oldBy[k] {
			if n, reasons := closest(news, o, &narrowing); len(reasons) > 0 {
				d.Narrowed = append(d.Narrowed, Change{Old: o, New: n, Reasons: reasons})
			}
		}
	}
	oldU, newU := map[string]bool{}, map[string]bool{}
	for _, u := range old.Unclassified {
		oldU[u.Key()] = true
	}
	for _, u := range new.Unclassified {
		newU[u.Key()] = true
		if !oldU[u.Key()] {
			d.UnclassifiedAdded = append(d.UnclassifiedAdded, u)
		}
	}
	for _, u := range old.Unclassified {
		if !newU[u.Key()] {
			d.UnclassifiedRemoved = append(d.UnclassifiedRemoved, u)
		}
	}
	return d
}

// effective returns the grants that admit someone, by key, and the keys in order.
func effective(r *Report) (map[string][]*Grant, []string) {
	by := map[string][]*Grant{}
	var keys []string
	for _, g := range r.Grants() {
		if g.Void != "" || g.DeniedBy != "" {
			continue
		}
		k := g.Key()
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], g)
	}
	sort.Strings(keys)
	return by, keys
}

// closest returns the grant of candidates that allows everything g allows (and no
// reasons), or else the one most like g with the reasons g allows more than it, in
// the words of ph.
func closest(candidates []*Grant, g *Grant, ph *phrases) (*Grant, []string) {
	var best *Grant
	var bestReasons []string
	for _, c := range candidates {
		reasons := wider(c, g, ph)
		if len(reasons) == 0 {
			return c, nil
		}
		if best == nil || c.Policy.Sid == g.Policy.Sid && best.Policy.Sid != g.Policy.Sid ||
			len(reasons) < len(bestReasons) && (c.Policy.Sid == g.Policy.Sid) == (best.Policy.Sid == g.Policy.Sid) {
			best, bestReasons = c, reasons
		}
	}
	return best, bestReasons
}

// phrases word the reasons: widening says what the new grant allows more than the
// old (g is new, base old), narrowing what the old allowed more (g is old, base new).
type phrases struct {
	role, whole, except, actions, notAction, notExcepted, resources, notResource, dropped, loosened, deny string
	// hints explains how a condition was loosened.
	hints bool
}

// widening words what a new grant allows more than the old.
var widening = phrases{
	role:        "more principals: %s (%s) was not admitted",
	whole:       "more principals: no longer narrowed to roles (was only %s); now %s as a whole",
	except:      "more principals: %s is no longer excepted by NotPrincipal",
	actions:     "more actions: %s",
	notAction:   "more actions: Action turned into NotAction: %s",
	notExcepted: "more actions: no longer excepted: %s",
	resources:   "more resources: the statement now names %s",
	notResource: "more resources: Resource turned into NotResource",
	dropped:     "a condition dropped: %s",
	loosened:    "a condition loosened: %[1]s became %[2]s%[3]s",
	deny:        "a Deny dropped or changed: %s",
	hints:       true,
}

// narrowing words what an old grant allowed more than the new.
var narrowing = phrases{
	role:        "fewer principals: %s (%s) is no longer admitted",
	whole:       "fewer principals: now narrowed to roles %s; was %s as a whole",
	except:      "fewer principals: %s is now excepted by NotPrincipal",
	actions:     "fewer actions: %s no longer allowed",
	notAction:   "fewer actions: NotAction turned into Action (was %s)",
	notExcepted: "fewer actions: now excepted: %s",
	resources:   "fewer resources: the statement no longer names %s",
	notResource: "fewer resources: NotResource turned into Resource",
	dropped:     "a condition added: %s",
	loosened:    "a condition changed: %[2]s became %[1]s%[3]s, which no longer admits every request the old one did",
	deny:        "a Deny added or changed: %s",
}

// wider returns why g allows more than base, in the words of ph; none when base
// covers g.
func wider(base, g *Grant, ph *phrases) []string {
	var out []string
	out = append(out, widerPrincipal(base.Principal, g.Principal, ph)...)
	if ba, ga := base.actionSet(), g.actionSet(); !ba.covers(ga) {
		out = append(out, widerActions(ba, ga, ph))
	}
	if r := widerResources(base, g, ph); r != "" {
		out = append(out, r)
	}
	out = append(out, widerConditions(base.Conditions, g.Conditions, ph)...)
	out = append(out, widerDenies(base.NarrowedBy, g.NarrowedBy, ph)...)
	return out
}

// widerPrincipal compares the roles and exceptions of two principals of one key.
func widerPrincipal(base, p Principal, ph *phrases) []string {
	var out []string
	switch {
	case len(base.Roles) > 0 && len(p.Roles) == 0:
		out = append(out, fmt.Sprintf(ph.whole, roleList(base.Roles), p.Label()))
	case len(p.Roles) > 0 && len(base.Roles) > 0:
		for _, r := range p.Roles {
			if roleCovered(base.Roles, r) {
				continue
			}
			why := fmt.Sprintf(ph.role, r.ARN, r.By)
			rOp, rKey, _ := strings.Cut(r.By, " ")
			for _, b := range base.Roles {
				bOp, bKey, _ := strings.Cut(b.By, " ")
				if ph.hints && bKey == rKey && bOp != rOp && hasWildcard(r.ARN) {
					why += fmt.Sprintf("; %s turned into %s with a wildcard", b.By, r.By)
					break
				}
			}
			out = append(out, why)
		}
	}
	for _, e := range base.Except {
		if !containsFold(p.Except, e) {
			out = append(out, fmt.Sprintf(ph.except, e))
		}
	}
	return out
}

// roleList renders the ARNs of rs.
func roleList(rs []RoleMatch) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ARN)
	}
	return strings.Join(out, ", ")
}

// roleCovered reports whether one of base admits every principal r admits.
func roleCovered(base []RoleMatch, r RoleMatch) bool {
	for _, b := range base {
		if valueCovers(matcherOf(b.By), b.ARN, matcherOf(r.By), r.ARN) {
			return true
		}
	}
	return false
}

// matcher says how a value is compared.
type matcher struct {
	glob, arn, fold bool
}

// matcherOf returns how values of an operator (or "Principal") are compared.
func matcherOf(op string) matcher {
	if op == "Principal" {
		return matcher{arn: true}
	}
	_, base, _ := operatorParts(strings.Fields(op + " ")[0])
	switch {
	case strings.HasPrefix(base, "Arn"):
		// IAM matches ArnEquals like ArnLike: both take wildcards, part by part.
		return matcher{glob: true, arn: true}
	case strings.Contains(base, "Like"):
		return matcher{glob: true}
	case strings.Contains(base, "IgnoreCase"):
		return matcher{fold: true}
	}
	return matcher{}
}

// valueCovers reports whether the value g (compared as mg) matches only what value
// b (compared as mb) matches.
func valueCovers(mb matcher, b string, mg matcher, g string) bool {
	if mg.fold && !mb.fold {
		return false
	}
	if mb.fold {
		b, g = strings.ToLower(b), strings.ToLower(g)
	}
	if !mb.glob {
		b = escapeGlob(b)
	}
	if !mg.glob {
		g = escapeGlob(g)
	}
	if mb.arn || mg.arn {
		return arnCovers(b, g)
	}
	return globCovers(b, g)
}

// widerActions says which actions g allows that base does not.
func widerActions(base, g actionSet, ph *phrases) string {
	if g.Not && !base.Not {
		return fmt.Sprintf(ph.notAction, g.String())
	}
	if g.Not {
		var gone []string
		for _, x := range base.List {
			if !anyCovers(g.List, x) {
				gone = append(gone, x)
			}
		}
		return fmt.Sprintf(ph.notExcepted, strings.Join(gone, ", "))
	}
	var more []string
	for _, a := range g.List {
		if !base.covers(actionSet{List: []string{a}}) {
			more = append(more, a)
		}
	}
	return fmt.Sprintf(ph.actions, strings.Join(more, ", "))
}

// widerResources says whether g's Resource element names more than base's.
func widerResources(base, g *Grant, ph *phrases) string {
	switch {
	case !base.NotResource && g.NotResource:
		return ph.notResource
	case base.NotResource && !g.NotResource:
		return "" // from "all but some" to a list: not wider in the cases that matter
	}
	gs, bs := g.StatementResources, base.StatementResources
	if len(gs) == 0 {
		gs = []string{g.Resource.ARN}
	}
	if len(bs) == 0 {
		bs = []string{base.Resource.ARN}
	}
	if g.NotResource && base.NotResource {
		gs, bs = bs, gs
	}
	var more []string
	for _, r := range gs {
		ok := false
		for _, b := range bs {
			if b == "*" || r == b || arnCovers(b, r) {
				ok = true
				break
			}
		}
		if !ok {
			more = append(more, r)
		}
	}
	if len(more) == 0 {
		return ""
	}
	return fmt.Sprintf(ph.resources, strings.Join(more, ", "))
}

// widerConditions says what conditions of base g dropped or loosened.
func widerConditions(base, g []Condition, ph *phrases) []string {
	var out []string
	for _, b := range base {
		var same []Condition
		for _, c := range g {
			if strings.EqualFold(c.Key, b.Key) {
				same = append(same, c)
			}
		}
		if len(same) == 0 {
			out = append(out, fmt.Sprintf(ph.dropped, b.String()))
			continue
		}
		implied := false
		for _, c := range same {
			if conditionImplies(c, b) {
				implied = true
				break
			}
		}
		if !implied {
			hint := ""
			if ph.hints {
				hint = loosenedHow(b, same[0])
			}
			out = append(out, fmt.Sprintf(ph.loosened, b.String(), conditionsText(same), hint))
		}
	}
	return out
}

// conditionsText renders conditions joined by "and".
func conditionsText(cs []Condition) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return strings.Join(out, " and ")
}

// loosenedHow explains the most telling difference between b and c.
func loosenedHow(b, c Condition) string {
	qb, bb, ib := operatorParts(b.Operator)
	qc, bc, ic := operatorParts(c.Operator)
	switch {
	case ic && !ib:
		return " (IfExists: it now also matches requests without the key)"
	case qc != qb && qc == "ForAllValues":
		return " (ForAllValues: it now also matches requests without the key)"
	case qc != qb:
		return " (set operator changed)"
	case strings.Contains(bc, "IgnoreCase") && !strings.Contains(bb, "IgnoreCase"):
		return " (now case-insensitive)"
	case negated(bb) && negated(bc):
		return " (fewer values excluded)"
	case bc != bb && strings.Contains(bc, "Like"):
		return " (" + bb + " to " + bc + " with a wildcard)"
	}
	return ""
}

// conditionImplies reports whether every request that passes c also passes b: c is
// at least as strict as b.
func conditionImplies(c, b Condition) bool {
	qc, bc, ic := operatorParts(c.Operator)
	qb, bb, ib := operatorParts(b.Operator)
	if ic && !ib || qc != qb {
		return false
	}
	family := func(base string) string {
		switch {
		case strings.HasPrefix(base, "String"), strings.HasPrefix(base, "Arn"):
			return "match"
		}
		return base
	}
	if family(bc) != family(bb) || negated(bc) != negated(bb) {
		return false
	}
	if family(bb) != "match" {
		// Bool, Null, Numeric, Date, IpAddress, Binary: the same operator with a
		// subset of the values, or not comparable.
		return bc == bb && subset(c.Values, b.Values)
	}
	mc, mb := matcherOf(c.Operator), matcherOf(b.Operator)
	if negated(bb) {
		// A negated test is at least as strict when it excludes everything b does.
		for _, v := range b.Values {
			if !anyValueCovers(mc, c.Values, mb, v) {
				return false
			}
		}
		return true
	}
	for _, v := range c.Values {
		if !anyValueCovers(mb, b.Values, mc, v) {
			return false
		}
	}
	return true
}

// anyValueCovers reports whether one of bs covers g.
func anyValueCovers(mb matcher, bs []string, mg matcher, g string) bool {
	for _, b := range bs {
		if valueCovers(mb, b, mg, g) {
			return true
		}
	}
	return false
}

// subset reports whether every value of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// widerDenies lists the Deny statements of base that g lacks.
func widerDenies(base, g []Deny, ph *phrases) []string {
	var out []string
	for _, b := range base {
		found := false
		for _, d := range g {
			if d.String() == b.String() {
				found = true
				break
			}
		}
		if !found {
			out = append(out, fmt.Sprintf(ph.deny, b.String()))
		}
	}
	return out
}

// Markdown renders the diff for people.
func (d *Diff) Markdown() string {
	var b strings.Builder
	b.WriteString("# Access diff\n\n")
	verdict := "no"
	if d.Widens() {
		verdict = "**yes**"
	}
	fmt.Fprintf(&b, "`%s` → `%s`: %d added, %d removed, %d widened, %d narrowed, %d unclassified added, %d unclassified removed. Access widened: %s.\n\n",
		d.Old, d.New, len(d.Added), len(d.Removed), len(d.Widened), len(d.Narrowed), len(d.UnclassifiedAdded), len(d.UnclassifiedRemoved), verdict)
	section := func(title string, gs []*Grant) {
		if len(gs) == 0 {
			return
		}
		fmt.Fprintf(&b, "## %s\n\n", title)
		for _, g := range gs {
			fmt.Fprintf(&b, "- %s\n", grantLine(g))
		}
		b.WriteString("\n")
	}
	changes := func(title string, cs []Change) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "## %s\n\n", title)
		for _, c := range cs {
			fmt.Fprintf(&b, "- %s\n", grantLine(c.New))
			for _, r := range c.Reasons {
				fmt.Fprintf(&b, "  - %s\n", r)
			}
		}
		b.WriteString("\n")
	}
	unclassified := func(title string, us []Unclassified) {
		if len(us) == 0 {
			return
		}
		fmt.Fprintf(&b, "## %s\n\n", title)
		for _, u := range us {
			fmt.Fprintf(&b, "- %s (%s): %s — %s: `%s`\n", u.Resource.Label(), accountLabel(u.Resource.Alias, u.Resource.Account), u.Reason, u.Policy, canonical(u.Statement))
		}
		b.WriteString("\n")
	}
	section("Added", d.Added)
	changes("Widened", d.Widened)
	unclassified("Unclassified statements added", d.UnclassifiedAdded)
	section("Removed", d.Removed)
	changes("Narrowed (the old grant allowed more)", d.Narrowed)
	unclassified("Unclassified statements removed", d.UnclassifiedRemoved)
	if d.Empty() {
		b.WriteString("No cross-account grant changed.\n")
	}
	return b.String()
}

// grantLine renders a grant on one line.
func grantLine(g *Grant) string {
	s := fmt.Sprintf("**%s** → %s in %s: `%s`", principalText(g.Principal), g.Resource.Label(),
		accountLabel(g.Resource.Alias, g.Resource.Account), g.actionSet().String())
	if len(g.Conditions) > 0 {
		s += " when " + conditionsText(g.Conditions)
	}
	return s + " (" + g.Policy.String() + ")"
}

// JSON renders the diff as indented JSON.
func (d *Diff) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
