package sendcmd

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/producer/fakeaws"
)

// orgTopology has a queue and a bus link from unit workloads to security, and a
// topic link from security to the unit.
const orgTopology = `region: eu-west-1
organization: {id: o-a1b2c3d4e5, root: r-ab12, stackSetsAdministrator: admin}
organizationalUnits:
  workloads: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/
accounts:
  admin: "200000000000"
  security: "300000000000"
links:
  - name: findings
    kind: queue
    from: workloads
    to: security
  - name: acme-events
    kind: bus
    from: workloads
    to: security
    options:
      eventPattern: {source: [acme.test]}
  - name: advisories
    kind: topic
    from: security
    to: workloads
`

const memberCaller = "arn:aws:sts::555555555555:assumed-role/deployer/bob"

func markers(links ...string) map[string]string {
	out := map[string]string{}
	for _, l := range links {
		name, role, _ := strings.Cut(l, ":")
		out["/crosswire/links/"+name] = `{"link":"` + name + `","kind":"x","unit":"workloads","role":"` + role + `","topology":"topology.yaml"}`
	}
	return out
}

func TestMemberAccountSendsThroughTheLinksItsMarkersName(t *testing.T) {
	// GIVEN credentials of account 555555555555, which the topology does not list,
	// holding the markers its stack instances left: a sender of findings and of
	// acme-events, a receiver of advisories
	f := &fakeaws.Fake{Parameters: markers("findings:sender", "acme-events:sender", "advisories:receiver")}
	// WHEN the smoke test runs there
	r := runTopology(t, orgTopology, f, memberCaller)
	// THEN it reads the markers, sends through each link the account sends through, as
	// that member account, to the listed receiver, and skips the topic it receives
	if r.code != 0 {
		t.Fatalf("exit code %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if f.Count(fakeaws.GetParametersByPath) != 1 {
		t.Errorf("%d marker reads, want 1", f.Count(fakeaws.GetParametersByPath))
	}
	out := lines(r.stdout)
	if out[0] != "crosswire send: topology.yaml: member account 555555555555 of organizational unit workloads (by its Crosswire markers), caller "+memberCaller {
		t.Errorf("first line %q", out[0])
	}
	var sent []fakeaws.Request
	for _, req := range f.Requests() {
		if req.Op == fakeaws.SendMessage || req.Op == fakeaws.PutEvents {
			sent = append(sent, req)
		}
	}
	if len(sent) != 2 || sent[0].Params["QueueUrl"] != "https://sqs.eu-west-1.amazonaws.com/300000000000/findings" ||
		!strings.Contains(sent[1].Params["Entries"], `"Source":"acme.test"`) {
		t.Errorf("sent %+v", sent)
	}
	if !strings.HasPrefix(out[1], "findings: delivered") || !strings.HasPrefix(out[2], "acme-events: delivered") || out[3] != "2 of 2 links delivered" {
		t.Errorf("output:\n%s", r.stdout)
	}
}

func TestMemberAccountWithoutMarkers(t *testing.T) {
	// GIVEN credentials of an account the topology does not list and that holds no
	// marker (not in a targeted unit, or its stack instance is not deployed)
	f := &fakeaws.Fake{}
	// WHEN the smoke test runs there
	r := runTopology(t, orgTopology, f, memberCaller)
	// THEN it stops, saying where it looked
	if r.code != 2 || !strings.Contains(r.stderr, "belong to account 555555555555, which topology.yaml does not list, and no Crosswire marker (SSM parameter /crosswire/links/<link>)") {
		t.Errorf("exit code %d\nstderr: %s", r.code, r.stderr)
	}
}
