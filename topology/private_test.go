package topology_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/topology"
)

// privateDoc is a topology where a and b send queue links to c, plus a
// privateAccess section.
func privateDoc(private string) []byte {
	return []byte(`region: eu-west-1
accounts:
  a: "111111111111"
  b: "222222222222"
  c: "333333333333"
links:
  - {name: q1, kind: queue, from: [a, b], to: c}
  - {name: q2, kind: queue, from: a, to: c}
privateAccess:
` + private)
}

func TestPrivateAccessRules(t *testing.T) {
	cases := []struct {
		name, bad, where, msg, good string
	}{
		{"unknown account", "  z: {}\n", "privateAccess.z", `account alias "z" is unknown`, "  a: {}\n"},
		{"account that sends through no queue link", "  c: {}\n", "privateAccess.c", `account "c" sends through no queue link`, "  b: {}\n"},
		{"unknown field", "  a: {vpc: create}\n", "privateAccess.a.vpc", `option "vpc" is unknown`, "  a: {cidr: 10.1.0.0/16}\n"},
		{"existing VPC without subnets", "  a: {vpcId: vpc-0123456789abcdef0}\n", "privateAccess.a.subnets", "an existing VPC needs its subnets",
			"  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1a}}\n"},
		{"subnet in another region", "  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: us-east-1a}}\n", "privateAccess.a.subnets", `zone "us-east-1a", which is not a zone of region eu-west-1`,
			"  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1c}}\n"},
		{"malformed VPC ID", "  a: {vpcId: vpc-xyz, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1a}}\n", "privateAccess.a.vpcId", `VPC ID "vpc-xyz"`,
			"  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1a}}\n"},
		{"bad CIDR", "  a: {cidr: 10.1.2.3/16}\n", "privateAccess.a.cidr", `CIDR "10.1.2.3/16" must be an IPv4 network`, "  a: {cidr: 10.1.0.0/16}\n"},
		{"created VPC too large", "  a: {cidr: 10.0.0.0/8}\n", "privateAccess.a.cidr", "must be /16 to /26", "  a: {cidr: 10.0.0.0/26}\n"},
		{"created VPC in one zone", "  a: {availabilityZones: [eu-west-1a]}\n", "privateAccess.a.availabilityZones", "exactly 2 availability zones, not 1",
			"  a: {availabilityZones: [eu-west-1a, eu-west-1c]}\n"},
		{"created VPC in one zone twice", "  a: {availabilityZones: [eu-west-1a, eu-west-1a]}\n", "privateAccess.a.availabilityZones", `zone "eu-west-1a" is listed twice`,
			"  a: {availabilityZones: [eu-west-1b, eu-west-1a]}\n"},
		{"two subnets in one zone", "  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1a, subnet-0bbbbbbbbbbbbbbbb: eu-west-1a}}\n", "privateAccess.a.subnets", "are both in zone eu-west-1a",
			"  a: {vpcId: vpc-0123456789abcdef0, subnets: {subnet-0aaaaaaaaaaaaaaaa: eu-west-1a, subnet-0bbbbbbbbbbbbbbbb: eu-west-1b}}\n"},
		{"account given twice", "  a: {}\n  a: {cidr: 10.1.0.0/16}\n", "privateAccess.a", `account "a" is given twice`, "  a: {}\n  b: {}\n"},
		{"unused endpoint service", "  a: {endpoints: {sts: vpce-0a1b2c3d4e5f67890}}\n", "privateAccess.a.endpoints.sts", `endpoint service "sts" is not used`,
			"  a: {endpoints: {sqs: vpce-0a1b2c3d4e5f67890}}\n"},
		{"malformed endpoint ID", "  a: {endpoints: {sqs: vpce-1}}\n", "privateAccess.a.endpoints.sqs", `VPC endpoint ID "vpce-1"`,
			"  a: {endpoints: {sqs: vpce-0a1b2c3d4e5f67890}}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a privateAccess section with one mistake
			// WHEN the topology is parsed
			_, err := topology.Parse("t.yaml", privateDoc(c.bad))
			// THEN the mistake is reported at the account and field
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a problem report", err)
			}
			found := false
			for _, p := range pe.Problems {
				found = found || (p.Where == c.where && strings.Contains(p.Msg, c.msg))
			}
			if !found {
				t.Errorf("no problem at %s with %q in:\n%v", c.where, c.msg, err)
			}
			// AND the corrected section parses
			if _, err := topology.Parse("t.yaml", privateDoc(c.good)); err != nil {
				t.Errorf("corrected topology fails: %v", err)
			}
		})
	}
}

func TestAliasMayNotEndInWiring(t *testing.T) {
	// GIVEN accounts a and a-wiring: a's wiring stack would be named like a-wiring's stack
	doc := []byte("region: eu-west-1\naccounts: {a: \"111111111111\", a-wiring: \"222222222222\"}\nlinks:\n  - {name: q, kind: queue, from: a, to: a-wiring}\n")
	// WHEN the topology is parsed
	_, err := topology.Parse("t.yaml", doc)
	// THEN the alias is refused, and a different one is accepted
	if err == nil || !strings.Contains(err.Error(), `account alias "a-wiring" ends in -wiring`) {
		t.Errorf("error %v", err)
	}
	ok := []byte("region: eu-west-1\naccounts: {a: \"111111111111\", a-wired: \"222222222222\"}\nlinks:\n  - {name: q, kind: queue, from: a, to: a-wired}\n")
	if _, err := topology.Parse("t.yaml", ok); err != nil {
		t.Errorf("a-wired: %v", err)
	}
}

func TestSourceVpceOnlyWhenEverySenderNamesAnEndpoint(t *testing.T) {
	// GIVEN a, the only sender of q2 and one of the two senders of q1, names its SQS endpoint
	top, err := topology.Parse("t.yaml", privateDoc("  a: {endpoints: {sqs: vpce-0a1b2c3d4e5f67890}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	// WHEN the queue links are read
	q1, q2 := specOf[queuelink.Link](t, top.Links[0]), specOf[queuelink.Link](t, top.Links[1])
	// THEN q2 requires a's endpoint, and q1, which b reaches another way, requires none
	if !slices.Equal(q2.SourceVpce, []string{"vpce-0a1b2c3d4e5f67890"}) {
		t.Errorf("q2 SourceVpce = %v", q2.SourceVpce)
	}
	if len(q1.SourceVpce) != 0 {
		t.Errorf("q1 SourceVpce = %v, want none: b names no endpoint", q1.SourceVpce)
	}
}
