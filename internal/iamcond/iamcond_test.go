package iamcond

import (
	"fmt"
	"testing"
)

func TestRoleConditionCompactsOnlyWhatItCanPinExactly(t *testing.T) {
	accounts := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%012d", 200000000000+i)
		}
		return out
	}
	roles := func(accts []string, name string) []string {
		out := make([]string, len(accts))
		for i, a := range accts {
			out[i] = "arn:aws:iam::" + a + ":role/" + name
		}
		return out
	}
	many := accounts(CompactAbove + 1)
	mixed := roles(many, "ingest-producer")
	mixed[3] = "arn:aws:iam::" + many[3] + ":role/other"
	cases := []struct {
		name     string
		accounts []string
		roles    []string
		want     string
	}{
		{"few roles are listed", accounts(3), roles(accounts(3), "p"), "ArnEquals"},
		{"many roles of one name become one pattern", many, roles(many, "ingest-producer"), "ArnLike"},
		{"a role of another name keeps the list", many, mixed, "ArnEquals"},
		{"a role outside the accounts keeps the list", many, append(roles(many[1:], "p"), "arn:aws:iam::999999999999:role/p"), "ArnEquals"},
		{"two roles in one account keep the list", many, append(roles(many[1:], "p"), "arn:aws:iam::"+many[1]+":role/p"), "ArnEquals"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN account principals and the roles they are narrowed to
			// WHEN the condition is built
			cond := RoleCondition(c.accounts, c.roles)
			// THEN it uses a pattern only when the pattern admits exactly the same roles
			if _, ok := cond[c.want]; !ok || len(cond) != 1 {
				t.Fatalf("condition %v, want %s", cond, c.want)
			}
			if c.want == "ArnLike" && cond["ArnLike"].(map[string]any)["aws:PrincipalArn"] != "arn:aws:iam::*:role/ingest-producer" {
				t.Errorf("pattern %v", cond["ArnLike"])
			}
		})
	}
}
