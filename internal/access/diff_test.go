package access

import (
	"strings"
	"testing"
)

// sendFrom is a grant of sqs:SendMessage to the roots of accounts, narrowed by the
// condition.
func sendFrom(accounts []string, condition map[string]any) map[string]any {
	var roots []any
	for _, a := range accounts {
		roots = append(roots, root(a))
	}
	return allow(map[string]any{"AWS": roots}, condition)
}

func arnEquals(values ...any) map[string]any {
	return map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": values}}
}

func withVpce(c map[string]any, op string, values ...any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	out[op] = map[string]any{"aws:SourceVpce": values}
	return out
}

func TestDiffCategories(t *testing.T) {
	one := []string{otherAccount}
	r1, r2, r3 := role(otherAccount, "r1"), role(otherAccount, "r2"), role(thirdAccount, "r3")
	base := sendFrom(one, arnEquals(r1))
	vpce := sendFrom(one, withVpce(arnEquals(r1), "StringEquals", "vpce-1"))
	cases := []struct {
		name     string
		old, new []any
		// added, removed: how many grants; widened, narrowed: a reason, or "" for none
		added, removed     int
		widened, narrowed  string
		widens             bool
		unclassifiedAdded  int
		unclassifiedRemove int
	}{
		// Added and removed.
		{name: "a sender account added", old: []any{base}, new: []any{sendFrom([]string{otherAccount, thirdAccount}, arnEquals(r1, r3))},
			added: 1, widens: true},
		{name: "must not report: principals reordered and the Sid changed", old: []any{sendFrom([]string{otherAccount, thirdAccount}, arnEquals(r1, r3))},
			new: []any{withSid(sendFrom([]string{thirdAccount, otherAccount}, arnEquals(r3, r1)), "Renamed")}},
		{name: "a sender account removed", old: []any{sendFrom([]string{otherAccount, thirdAccount}, arnEquals(r1, r3))}, new: []any{base},
			removed: 1},
		{name: "a grant that admitted nobody now admits an account", old: []any{sendFrom(one, arnEquals(r3))}, new: []any{base},
			added: 1, widens: true},

		// Widened by principal.
		{name: "a role added to the aws:PrincipalArn list", old: []any{base}, new: []any{sendFrom(one, arnEquals(r1, r2))},
			widened: "more principals: arn:aws:iam::111111111111:role/r2 (ArnEquals aws:PrincipalArn) was not admitted", widens: true},
		{name: "ArnEquals turned into ArnLike with a wildcard", old: []any{base},
			new:     []any{sendFrom(one, map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": role(otherAccount, "r*")}})},
			widened: "ArnEquals aws:PrincipalArn turned into ArnLike aws:PrincipalArn with a wildcard", widens: true},
		{name: "must not report: ArnEquals turned into ArnLike without a wildcard", old: []any{base},
			new: []any{sendFrom(one, map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": r1}})}},
		{name: "the narrowing to roles dropped", old: []any{base}, new: []any{sendFrom(one, nil)},
			widened: "no longer narrowed to roles (was only arn:aws:iam::111111111111:role/r1); now account 111111111111 as a whole", widens: true},
		{name: "must not report: the role list in another order", old: []any{sendFrom(one, arnEquals(r1, r2))}, new: []any{sendFrom(one, arnEquals(r2, r1))}},
		{name: "a role named as the principal instead of by condition, the same role", old: []any{base},
			new: []any{allow(map[string]any{"AWS": r1}, nil)}},

		{name: "fewer principals excepted by NotPrincipal", old: []any{notPrincipal(root(otherAccount), root(thirdAccount))}, new: []any{notPrincipal(root(otherAccount))},
			widened: "more principals: arn:aws:iam::333333333333:root is no longer excepted by NotPrincipal", widens: true},
		{name: "must not report: NotPrincipal exceptions reordered", old: []any{notPrincipal(root(otherAccount), root(thirdAccount))},
			new: []any{notPrincipal(root(thirdAccount), root(otherAccount))}},

		// Widened by resource.
		{name: "the Resource element turned into a pattern", old: []any{base},
			new:     []any{withResource(base, "arn:aws:sqs:eu-west-1:222222222222:job*")},
			widened: "more resources: the statement now names arn:aws:sqs:eu-west-1:222222222222:job*", widens: true},
		{name: "must not report: the Resource element written as the ARN instead of Fn::GetAtt", old: []any{base},
			new: []any{withResource(base, "arn:aws:sqs:eu-west-1:222222222222:jobs")}},

		// Widened by action.
		{name: "an action added", old: []any{base}, new: []any{withAction(base, []any{"sqs:SendMessage", "sqs:ReceiveMessage"})},
			widened: "more actions: sqs:ReceiveMessage", widens: true},
		{name: "an action turned into a wildcard", old: []any{base}, new: []any{withAction(base, "sqs:*")},
			widened: "more actions: sqs:*", widens: true},
		{name: "must not report: actions in another case", old: []any{base}, new: []any{withAction(base, "SQS:sendmessage")}},
		{name: "Action turned into NotAction", old: []any{base}, new: []any{withNotAction(base, "sqs:DeleteQueue")},
			widened: "Action turned into NotAction", widens: true},

		// Widened by a dropped or loosened condition.
		{name: "a condition dropped", old: []any{vpce}, new: []any{base},
			widened: "a condition dropped: StringEquals aws:SourceVpce = vpce-1", widens: true},
		{name: "the TLS-only Deny dropped", old: []any{base, tlsDeny}, new: []any{base},
			widened: "a Deny dropped or changed: Deny sqs:* to anyone when Bool aws:SecureTransport = false", widens: true},
		{name: "must not report: condition values reordered", old: []any{sendFrom(one, withVpce(arnEquals(r1), "StringEquals", "vpce-1", "vpce-2"))},
			new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringEquals", "vpce-2", "vpce-1"))}},
		{name: "a value added to a condition", old: []any{vpce}, new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringEquals", "vpce-1", "vpce-2"))},
			widened: "a condition loosened: StringEquals aws:SourceVpce = vpce-1 became StringEquals aws:SourceVpce = vpce-1, vpce-2", widens: true},
		{name: "StringEquals turned into StringLike with a wildcard", old: []any{vpce}, new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringLike", "vpce-*"))},
			widened: "(StringEquals to StringLike with a wildcard)", widens: true},
		{name: "must not report: StringEquals turned into StringLike without a wildcard", old: []any{vpce},
			new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringLike", "vpce-1"))}},
		{name: "a condition key turned into IfExists", old: []any{vpce}, new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringEqualsIfExists", "vpce-1"))},
			widened: "(IfExists: it now also matches requests without the key)", widens: true},
		{name: "a condition turned into ForAllValues", old: []any{vpce}, new: []any{sendFrom(one, withVpce(arnEquals(r1), "ForAllValues:StringEquals", "vpce-1"))},
			widened:  "(ForAllValues: it now also matches requests without the key)",
			narrowed: "a condition changed: StringEquals aws:SourceVpce = vpce-1 became ForAllValues:StringEquals aws:SourceVpce = vpce-1", widens: true},
		{name: "a condition turned case-insensitive", old: []any{vpce}, new: []any{sendFrom(one, withVpce(arnEquals(r1), "StringEqualsIgnoreCase", "vpce-1"))},
			widened: "(now case-insensitive)", widens: true},
		{name: "a negated condition excludes fewer values", old: []any{sendFrom(one, withVpce(arnEquals(r1), "StringNotEquals", "vpce-1", "vpce-2"))},
			new:     []any{sendFrom(one, withVpce(arnEquals(r1), "StringNotEquals", "vpce-1"))},
			widened: "(fewer values excluded)", narrowed: "", widens: true},
		{name: "a numeric condition changed is not compared and counts as widening",
			old:      []any{sendFrom(one, map[string]any{"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": "3600"}})},
			new:      []any{sendFrom(one, map[string]any{"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": "7200"}})},
			widened:  "a condition loosened: NumericLessThan aws:MultiFactorAuthAge = 3600 became NumericLessThan aws:MultiFactorAuthAge = 7200",
			narrowed: "a condition changed: NumericLessThan aws:MultiFactorAuthAge = 3600 became NumericLessThan aws:MultiFactorAuthAge = 7200", widens: true},

		// Narrowed.
		{name: "a role removed from the list", old: []any{sendFrom(one, arnEquals(r1, r2))}, new: []any{base},
			narrowed: "fewer principals: arn:aws:iam::111111111111:role/r2 (ArnEquals aws:PrincipalArn) is no longer admitted"},
		{name: "a condition added", old: []any{base}, new: []any{vpce},
			narrowed: "a condition added: StringEquals aws:SourceVpce = vpce-1"},
		{name: "an action removed", old: []any{withAction(base, []any{"sqs:SendMessage", "sqs:ReceiveMessage"})}, new: []any{base},
			narrowed: "fewer actions: sqs:ReceiveMessage no longer allowed"},
		{name: "must not report: nothing changed", old: []any{base, tlsDeny}, new: []any{base, tlsDeny}},
		{name: "a role swapped for another widens and narrows", old: []any{base}, new: []any{sendFrom(one, arnEquals(r2))},
			widened: "role/r2", narrowed: "role/r1", widens: true},

		// Unclassified statements.
		{name: "an unclassified statement added widens", old: []any{base}, new: []any{base, allow(map[string]any{"Federated": "cognito-identity.amazonaws.com"}, nil)},
			widens: true, unclassifiedAdded: 1},
		{name: "an unclassified statement removed", old: []any{base, allow(map[string]any{"Federated": "cognito-identity.amazonaws.com"}, nil)}, new: []any{base},
			unclassifiedRemove: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN two assemblies whose queue policies differ
			old := analyze(t, writeAssembly(t, queueStack(c.old...)))
			nw := analyze(t, writeAssembly(t, queueStack(c.new...)))
			// WHEN they are compared
			d := DiffReports(old, nw)
			// THEN each change is in its category, with why, and nothing else is
			if len(d.Added) != c.added || len(d.Removed) != c.removed {
				t.Errorf("added %d, removed %d; want %d, %d", len(d.Added), len(d.Removed), c.added, c.removed)
			}
			checkChanges(t, "widened", d.Widened, c.widened)
			checkChanges(t, "narrowed", d.Narrowed, c.narrowed)
			if len(d.UnclassifiedAdded) != c.unclassifiedAdded || len(d.UnclassifiedRemoved) != c.unclassifiedRemove {
				t.Errorf("unclassified added %d, removed %d; want %d, %d", len(d.UnclassifiedAdded), len(d.UnclassifiedRemoved), c.unclassifiedAdded, c.unclassifiedRemove)
			}
			if d.Widens() != c.widens {
				t.Errorf("Widens() = %v, want %v\n%s", d.Widens(), c.widens, d.Markdown())
			}
		})
	}
}

// checkChanges checks that changes hold exactly one change with a reason holding
// want, or none when want is "".
func checkChanges(t *testing.T, what string, changes []Change, want string) {
	t.Helper()
	if want == "" {
		if len(changes) > 0 {
			t.Errorf("%s: %+v, want none", what, changes[0].Reasons)
		}
		return
	}
	if len(changes) != 1 {
		t.Errorf("%s: %d changes, want 1 with %q", what, len(changes), want)
		return
	}
	if !strings.Contains(strings.Join(changes[0].Reasons, "\n"), want) {
		t.Errorf("%s reasons:\n%s\nwant one holding %q", what, strings.Join(changes[0].Reasons, "\n"), want)
	}
}

// notPrincipal is an Allow of sqs:SendMessage to everyone but the principals.
func notPrincipal(except ...any) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "NotPrincipal": map[string]any{"AWS": except}, "Resource": queueArn}
}

func withResource(st map[string]any, resource any) map[string]any {
	out := copyStatement(st)
	out["Resource"] = resource
	return out
}

func withSid(st map[string]any, sid string) map[string]any {
	out := copyStatement(st)
	out["Sid"] = sid
	return out
}

func withAction(st map[string]any, action any) map[string]any {
	out := copyStatement(st)
	out["Action"] = action
	return out
}

func withNotAction(st map[string]any, action any) map[string]any {
	out := copyStatement(st)
	delete(out, "Action")
	out["NotAction"] = action
	return out
}

func copyStatement(st map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range st {
		out[k] = v
	}
	return out
}

func TestDiffReadsReportsWrittenAsJSON(t *testing.T) {
	// GIVEN a report written as JSON and read back
	r := analyze(t, writeAssembly(t, queueStack(sendFrom([]string{otherAccount}, arnEquals(role(otherAccount, "r1"))), tlsDeny)))
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/old.json"
	if err := writeFile(path, b); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// WHEN it is compared with the report of the same assembly
	d := DiffReports(back, r)
	// THEN nothing changed
	if !d.Empty() {
		t.Errorf("diff of a report with itself read back from JSON:\n%s", d.Markdown())
	}
}
