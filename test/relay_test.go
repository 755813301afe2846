package test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

const relayYAML = `region: eu-west-1
accounts:
  a: "111111111111"
  b: "222222222222"
links:
  - name: relay
    kind: bus
    from: a
    to: b
    options: {receiverBus: default, eventPattern: {source: [acme.app]}}
  - name: relay-back
    kind: bus
    from: b
    to: a
    options: {receiverBus: default, eventPattern: {source: [acme.app]}}
`

func TestBusLinksInBothDirectionsOverDefaultBusesForwardOnlyTheirOwnEvents(t *testing.T) {
	// GIVEN bus links from a to b and from b to a, both over default buses with the same
	// pattern: a's events that reach b's default bus keep their account field (a)
	top, err := topology.Parse("relay.yaml", []byte(relayYAML))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmpRoot, "relay")
	app := cdktest.NewApp(t, dir)
	if _, err := stacks.Build(app, top); err != nil {
		t.Fatal(err)
	}
	// WHEN the topology is synthesized
	if err := synth(app, dir); err != nil {
		t.Fatal(err)
	}
	// THEN each sender's forwarding rule matches only the events of its own account, so
	// b does not try to send a's relayed events back to a (EventBridge would not)
	for stack, want := range map[string]string{"Crosswire-a-wiring": "111111111111", "Crosswire-b-wiring": "222222222222"} {
		tpl := cdktest.ReadTemplate(t, filepath.Join(dir, stack+".template.json"))
		rules := tpl.Resources("AWS::Events::Rule")
		if len(rules) != 1 {
			t.Fatalf("%s has %d rules, want its forwarding rule", stack, len(rules))
		}
		got, _ := json.Marshal(rules[0].Props()["EventPattern"])
		if string(got) != `{"account":["`+want+`"],"source":["acme.app"]}` {
			t.Errorf("%s forwards %s, want only account %s's events", stack, got, want)
		}
	}
}
