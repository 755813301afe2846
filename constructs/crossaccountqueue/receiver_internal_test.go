package crossaccountqueue

import (
	"fmt"
	"strings"
	"testing"
)

func TestSourceVpceRules(t *testing.T) {
	cases := []struct {
		name string
		ids  []string
		want string
	}{
		{"no endpoint", nil, ""},
		{"one endpoint", []string{"vpce-0a1b2c3d4e5f67890"}, ""},
		{"malformed ID", []string{"vpce-1"}, `VPC endpoint ID "vpce-1" must look like vpce-0123456789abcdef0`},
		{"listed twice", []string{"vpce-0a1b2c3d4e5f67890", "vpce-0a1b2c3d4e5f67890"}, `VPC endpoint "vpce-0a1b2c3d4e5f67890" is listed twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a queue link whose senders must come through these endpoints
			l := Link{Name: "q", Region: "eu-west-1", ReceiverAccount: "222222222222", SenderAccounts: []string{"111111111111"},
				Options: Options{SourceVpce: c.ids}}
			// WHEN it is validated
			err := l.Validate()
			// THEN only malformed or repeated IDs are refused, under options.sourceVpce
			switch {
			case c.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), "options.sourceVpce: "+c.want)):
				t.Errorf("error %v, want %q", err, c.want)
			}
			// AND a valid list becomes an aws:SourceVpce condition on the grant to send
			if c.want == "" {
				cond := sourceVpceCondition(l)
				if len(c.ids) == 0 && cond != nil {
					t.Errorf("condition %v, want none", *cond)
				}
				if len(c.ids) > 0 && (cond == nil || fmt.Sprint((*cond)["StringEquals"]) != fmt.Sprint(map[string]any{"aws:SourceVpce": []any{c.ids[0]}})) {
					t.Errorf("condition %v", cond)
				}
			}
		})
	}
}
