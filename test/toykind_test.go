package test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

// The toy kind "beacon" stands for a fifth kind's folder: its description (the Kind
// value, its options, its Link with Halves and Problems) and its CDK halves
// (BuildHalf). A beacon link has one sender and one receiver; the receiver gets a queue
// in its main stack, and the sender a placeholder in its wiring stack that waits for
// the receiver's main stack.

// beaconKind is the toy kind's description, as a kind's link package declares it.
var beaconKind = &linkkind.Kind{Name: "beacon", Construct: "Beacon", Decode: decodeBeacon}

type beaconOptions struct {
	Retention int `yaml:"retentionDays"`
}

type beaconLink struct {
	name, prefix, sender, receiver string
	beaconOptions
}

func decodeBeacon(d *linkkind.Decoder) linkkind.Link {
	var o beaconOptions
	d.Options(&o)
	one := d.OneAccount("from", "a beacon link comes from exactly one account") && d.OneAccount("to", "a beacon link goes to exactly one account")
	h := d.Header
	l := beaconLink{name: h.Name, prefix: h.Prefix, beaconOptions: o}
	if len(h.From) > 0 && len(h.To) > 0 {
		l.sender, l.receiver = h.From[0].ID, h.To[0].ID
	}
	d.Check(l)
	if !one || !d.Sound() {
		return nil
	}
	return l
}

func (l beaconLink) Problems(p *problem.List) {
	if l.Retention > 14 {
		p.Addf(0, "options.retentionDays", "retentionDays %d must be at most 14", l.Retention)
	}
}

func (l beaconLink) Halves(account string) []linkkind.Half {
	switch account {
	case l.receiver:
		return []linkkind.Half{{Account: account, Role: "receiver"}}
	case l.sender:
		return []linkkind.Half{{Account: account, Role: "sender", Phase: linkkind.Wiring, Needs: []string{l.receiver}}}
	}
	return nil
}

// buildBeacon is the toy kind's builder, as a construct package's BuildHalf.
func buildBeacon(scope constructs.Construct, link linkkind.Link, h linkkind.Half) linkkind.Built {
	l := link.(beaconLink)
	c := constructs.NewConstruct(scope, jsii.String(l.name))
	if h.Role == "receiver" {
		awssqs.NewQueue(c, jsii.String("Queue"), &awssqs.QueueProps{
			QueueName:     jsii.String(l.prefix + l.name + "-beacon"),
			Encryption:    awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:    jsii.Bool(true),
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
		return linkkind.Built{}
	}
	awscdk.NewCfnResource(c, jsii.String("Placeholder"), &awscdk.CfnResourceProps{Type: jsii.String("AWS::CloudFormation::WaitConditionHandle")})
	return linkkind.Built{}
}

const beaconYAML = `region: eu-west-1
accounts:
  lighthouse: "111111111111"
  ship: "222222222222"
links:
  - name: fog
    kind: beacon
    from: ship
    to: lighthouse
  - name: invoices
    kind: queue
    from: ship
    to: lighthouse
`

func TestANewKindIsOneFolderAndOneLinePerRegistry(t *testing.T) {
	// GIVEN the toy kind registered with one line in each registry: the topology's
	// kinds and the stacks' builders (the smoke test's list, a map in
	// internal/sendcmd, takes one line the same way)
	kinds := append(slices.Clone(topology.Kinds), beaconKind)
	stacks.Builders[beaconKind.Name] = buildBeacon
	t.Cleanup(func() { delete(stacks.Builders, beaconKind.Name) })

	// WHEN a topology with a link of that kind is parsed, built and synthesized
	top, err := topology.ParseKinds("beacon.yaml", []byte(beaconYAML), kinds)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmpRoot, "beacon")
	app := cdktest.NewApp(t, dir)
	plan, err := stacks.Build(app, top)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth(app, dir); err != nil {
		t.Fatal(err)
	}

	// THEN its halves land in the stacks its Halves name, beside a built-in kind's,
	// and the deploy plan orders the sender's wiring stack after the receiver's main stack
	lighthouse := cdktest.ReadTemplate(t, filepath.Join(dir, "Crosswire-lighthouse.template.json"))
	q := lighthouse.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "fog-beacon"})
	if q.LogicalID == "" {
		t.Fatal("no beacon queue in the receiver's main stack")
	}
	lighthouse.One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "invoices"})
	wiring := cdktest.ReadTemplate(t, filepath.Join(dir, "Crosswire-ship-wiring.template.json"))
	if len(wiring.Resources("AWS::CloudFormation::WaitConditionHandle")) != 1 {
		t.Errorf("the sender's wiring stack lacks the beacon's placeholder")
	}
	var order []string
	for i, wave := range plan.Waves {
		for _, s := range wave {
			order = append(order, s.StackName)
			if s.StackName == "Crosswire-ship-wiring" && (i != 1 || !slices.Contains(s.DependsOn, "Crosswire-lighthouse")) {
				t.Errorf("the beacon sender's wiring stack is in wave %d after %v, want wave 2 after Crosswire-lighthouse", i+1, s.DependsOn)
			}
		}
	}
	if !slices.Contains(order, "Crosswire-ship-wiring") {
		t.Errorf("no wiring stack for the beacon's sender; plan %v", order)
	}

	// AND the kind's own validation runs like a built-in kind's, on its option's line
	bad := strings.Replace(beaconYAML, "    to: lighthouse\n  - name: invoices", "    to: lighthouse\n    options:\n      retentionDays: 30\n  - name: invoices", 1)
	_, err = topology.ParseKinds("beacon.yaml", []byte(bad), kinds)
	if err == nil || !strings.Contains(err.Error(), `line 11: links[0] "fog": options.retentionDays: retentionDays 30 must be at most 14`) {
		t.Errorf("ParseKinds of a bad option = %v", err)
	}
}
