package topology_test

import (
	"os"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

func TestParseOrganizationalUnits(t *testing.T) {
	// GIVEN the org scenario: an organization in its mapping form, two named units
	// (one inside the other) and links that name them beside aliases
	data, err := os.ReadFile("../test/testdata/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// WHEN it is parsed
	top := mustParse(t, data)
	// THEN the organization has its root, administrator and the call-as inferred
	// from them (the administrator is not the management account), with the default
	// operation preferences
	o := top.Org
	if o == nil || o.ID != "o-a1b2c3d4e5" || o.Root != "r-ab12" || o.Administrator != "admin" || o.Management != "management" ||
		o.CallAs != topology.CallAsDelegateAdmin || o.MaxConcurrentPercentage != 25 || o.FailureTolerancePercentage != 10 {
		t.Errorf("organization = %+v", o)
	}
	if top.Organization != "o-a1b2c3d4e5" {
		t.Errorf("Organization = %q", top.Organization)
	}
	// AND the units keep their paths, ending in a slash
	if u, ok := top.Unit("analytics"); !ok || u.Path != "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/" {
		t.Errorf("unit analytics = %+v, %v", u, ok)
	}
	// AND each link's units reach its kind's description, apart from its accounts
	bus := specOf[buslink.Link](t, top.Links[0])
	if len(bus.SenderUnits) != 1 || bus.SenderUnits[0].ID() != "ou-ab12-11111111" || len(bus.SenderAccounts) != 1 {
		t.Errorf("bus senders %v, units %v", bus.SenderAccounts, bus.SenderUnits)
	}
	q := specOf[queuelink.Link](t, top.Links[1])
	if len(q.SenderUnits) != 1 || len(q.SenderAccounts) != 0 {
		t.Errorf("queue senders %v, units %v", q.SenderAccounts, q.SenderUnits)
	}
	topic := specOf[topiclink.Link](t, top.Links[2])
	if len(topic.ReceiverUnits) != 1 || topic.ReceiverUnits[0].Name != "analytics" || len(topic.ReceiverAccounts) != 1 {
		t.Errorf("topic receivers %v, units %v", topic.ReceiverAccounts, topic.ReceiverUnits)
	}
	// AND a member account holds the halves the unit's side holds, in their phases
	for _, c := range []struct {
		link  linkkind.Organizational
		roles []string
		wired bool
	}{
		{bus, []string{buslink.RoleSender}, true},
		{q, []string{queuelink.RoleSender}, false},
		{topic, []string{topiclink.RoleReceiver, topiclink.RoleSubscription}, true},
	} {
		hs := c.link.MemberHalves()
		var roles []string
		wired := false
		for _, h := range hs {
			roles = append(roles, h.Role)
			wired = wired || h.Phase == linkkind.Wiring
		}
		if len(roles) != len(c.roles) || roles[0] != c.roles[0] || wired != c.wired {
			t.Errorf("%T member halves %v (wiring %v), want %v (wiring %v)", c.link, roles, wired, c.roles, c.wired)
		}
	}
}

func TestParseCallAsAndOperationPreferences(t *testing.T) {
	// GIVEN an organization administered by its management account, with its own
	// operation preferences
	data := []byte(`region: eu-west-1
organization: {id: o-a1b2c3d4e5, root: r-ab12, managementAccount: mgmt, stackSetsAdministrator: mgmt, operationPreferences: {maxConcurrentPercentage: 100, failureTolerancePercentage: 0}}
organizationalUnits:
  workloads: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111
accounts:
  mgmt: "111111111111"
  hub: "222222222222"
links:
  - {name: findings, kind: queue, from: workloads, to: hub}
`)
	// WHEN it is parsed
	top := mustParse(t, data)
	// THEN the stack sets are created as SELF, with the given preferences, and the
	// unit's path gets its final slash
	if top.Org.CallAs != topology.CallAsSelf || top.Org.MaxConcurrentPercentage != 100 || top.Org.FailureTolerancePercentage != 0 {
		t.Errorf("organization = %+v", top.Org)
	}
	if u, _ := top.Unit("workloads"); u.Path != "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" {
		t.Errorf("path %q", u.Path)
	}
}

// orgMistakes holds every mistake of the "Bad input" at once; the line
// numbers are in the comments.
const orgMistakes = `region: eu-west-1                                   # 1
organization:                                       # 2
  id: o-a1b2c3d4e5                                  # 3
  root: r-ab12                                      # 4
  stackSetsAdministrator: nobody                    # 5
  callAs: ADMIN                                     # 6
  operationPreferences: {maxConcurrentPercentage: 0} # 7
organizationalUnits:                                # 8
  badform: o-a1b2c3d4e5/r-ab12/ou-AB12-1            # 9
  otherroot: o-a1b2c3d4e5/r-ab12/ou-cd34-11111111   # 10
  order: r-ab12/o-a1b2c3d4e5/ou-ab12-11111111       # 11
  hub: o-a1b2c3d4e5/r-ab12/ou-ab12-33333333         # 12
  workloads: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111   # 13
  inner: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222 # 14
accounts:                                           # 15
  hub: "222222222222"                               # 16
  team-stacksets: "333333333333"                    # 17
links:                                              # 18
  - {name: a, kind: queue, from: ghost, to: hub}    # 19
  - {name: b, kind: stream, from: hub, to: workloads} # 20
  - {name: c, kind: queue, from: hub, to: workloads} # 21
  - {name: d, kind: bus, from: [workloads, inner], to: hub, options: {eventPattern: {source: [x]}}} # 22
  - {name: e, kind: queue, from: workloads, to: hub, options: {access: assume-role}} # 23
  - {name: f, kind: bus, from: workloads, to: hub, options: {mode: direct, targets: [queue], eventPattern: {source: [x]}}} # 24
  - {name: g, kind: topic, from: hub, to: workloads, options: {queueEncryption: kms}} # 25
`

func TestParseOrganizationMistakesAllAtOnce(t *testing.T) {
	// GIVEN a file with every mistake of organizations and units at once
	// WHEN it is parsed
	_, err := topology.Parse("org.yaml", []byte(orgMistakes))
	problems := problemsOf(t, err)
	// THEN each is reported with its line, its place and the bad value, and nothing
	// else stops the others from being found
	for _, c := range []struct {
		line  int
		where string
		msg   []string
	}{
		{5, "organization.stackSetsAdministrator", []string{`account alias "nobody" is unknown`}},
		{6, "organization.callAs", []string{`callAs "ADMIN" is unknown`, "DELEGATED_ADMIN"}},
		{7, "organization.operationPreferences.maxConcurrentPercentage", []string{"maxConcurrentPercentage 0 must be from 1 to 100"}},
		{9, "organizationalUnits.badform", []string{`organizational unit ID "ou-AB12-1"`, "must look like ou-ab12-11111111"}},
		{10, "organizationalUnits.otherroot", []string{`"ou-cd34-11111111"`, `does not belong to root "r-ab12"`}},
		{11, "organizationalUnits.order", []string{`must begin with the organization ID (o-...), not "r-ab12"`}},
		{12, "organizationalUnits.hub", []string{`organizational unit name "hub" is also an account alias`}},
		{17, "accounts.team-stacksets", []string{`ends in -stacksets`}},
		{19, `links[0] "a": from`, []string{`account alias or organizational unit "ghost" is unknown`, "organizational units: badform, inner, order, otherroot, workloads"}},
		{20, `links[1] "b": to`, []string{`organizational unit "workloads" cannot be on the to side of a stream link`, "enhanced fan-out consumer"}},
		{21, `links[2] "c": to`, []string{`cannot be on the to side of a queue link`, "only the senders can be organizational units"}},
		{22, `links[3] "d": from`, []string{`organizational unit "inner" is inside "workloads"`, "twice"}},
		{23, `links[4] "e": options.access`, []string{`access "assume-role" cannot admit organizational units ("workloads")`}},
		{24, `links[5] "f": options.mode`, []string{`mode "direct" cannot admit organizational units`}},
		{25, `links[6] "g": options.queueEncryption`, []string{`queueEncryption "kms" cannot be used by organizational units`}},
	} {
		findProblem(t, problems, c.line, c.where, c.msg...)
	}
}

func TestParseUnitsNeedTheOrganizationsFields(t *testing.T) {
	for _, c := range []struct {
		name, org string
		line      int
		where     string
		msg       string
	}{
		{"no organization", ``, 1, "organization", "organization is missing, but organizational units are used by links[0]"},
		{"organization as an ID", "organization: o-a1b2c3d4e5\n", 2, "organization", `organization "o-a1b2c3d4e5" is only an ID`},
		{"no root", "organization: {id: o-a1b2c3d4e5, stackSetsAdministrator: hub}\n", 2, "organization.root", "organization.root is missing"},
		{"no administrator", "organization: {id: o-a1b2c3d4e5, root: r-ab12}\n", 2, "organization.stackSetsAdministrator", "organization.stackSetsAdministrator is missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a link to a unit, and an organization without what it needs
			data := "region: eu-west-1\n" + c.org + `organizationalUnits:
  workloads: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/
accounts:
  hub: "222222222222"
links:
  - {name: findings, kind: queue, from: workloads, to: hub}
`
			// WHEN it is parsed
			_, err := topology.Parse("org.yaml", []byte(data))
			// THEN the missing field is reported where the organization is
			findProblem(t, problemsOf(t, err), c.line, c.where, c.msg)
		})
	}
}

func TestParseUnitInAnotherRegionAndPartition(t *testing.T) {
	// GIVEN a link whose unit side names a region of its own, and one in another
	// partition than the receiver's
	data := `region: eu-west-1
organization: {id: o-a1b2c3d4e5, root: r-ab12, stackSetsAdministrator: hub}
organizationalUnits:
  workloads: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/
accounts:
  hub: "222222222222"
links:
  - {name: findings, kind: queue, from: {account: workloads, region: us-east-1}, to: hub}
  - {name: china, kind: queue, from: {account: workloads, region: cn-north-1}, to: hub}
`
	// WHEN it is parsed
	_, err := topology.Parse("org.yaml", []byte(data))
	// THEN the unit takes part from its own region, and the link across partitions is
	// refused on its line
	problems := problemsOf(t, err)
	findProblem(t, problems, 9, `links[1] "china": from`, `organizational unit "workloads" takes part from cn-north-1 (partition aws-cn)`, "cannot cross partitions")
	if len(problems) != 1 {
		t.Errorf("want only the partition problem, got:\n%s", render(problems))
	}
	good, err := topology.Parse("org.yaml", []byte(data[:strings.Index(data, "  - {name: china")]))
	if err != nil {
		t.Fatal(err)
	}
	if u := specOf[queuelink.Link](t, good.Links[0]).SenderUnits[0]; u.Region != "us-east-1" {
		t.Errorf("unit region %q, want us-east-1", u.Region)
	}
}
