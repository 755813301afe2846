package access

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGraphFromTopologyDrawsAnOrganizationalUnitAsOneNode(t *testing.T) {
	// GIVEN the org scenario's topology: OU workloads sends by bus (beside legacy) and
	// by queue to security, security's topic reaches OU analytics and legacy
	g, err := GraphFromTopology(filepath.Join(repoRoot, "test/testdata/org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// WHEN the diagram is drawn
	lines := strings.Split(strings.TrimSuffix(g.Mermaid(), "\n"), "\n")
	// THEN each OU is one node named by its ID, on its side of every link that names
	// it, as the diagram from the cloud assembly draws the stack sets' OUs
	for _, want := range []string{
		`  acctou-ab12-11111111["organizational unit<br/>ou-ab12-11111111"]`,
		`  acctou-ab12-22222222["organizational unit<br/>ou-ab12-22222222"]`,
		`  acctou-ab12-11111111 -->|"bus acme-events (bus)"| acct300000000000`,
		`  acct400000000000 -->|"bus acme-events (bus)"| acct300000000000`,
		`  acctou-ab12-11111111 -->|"queue findings (queue-policy)"| acct300000000000`,
		`  acct300000000000 -->|"topic advisories (accounts)"| acctou-ab12-22222222`,
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, g.Mermaid())
		}
	}
}
