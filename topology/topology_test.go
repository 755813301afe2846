package topology_test

import (
	"fmt"
	"testing"

	"github.com/crosswire/crosswire/topology"
)

func TestExplore(t *testing.T) {
	base := "region: eu-west-1\naccounts:\n  orders: \"111111111111\"\n  billing: \"222222222222\"\nlinks:\n  - name: invoices\n    kind: queue\n    from: orders\n    to: billing\n"
	cases := []string{
		base,
		"region: \"\"\naccounts:\n  orders: \"111111111111\"\n  billing: \"222222222222\"\nlinks:\n  - name: invoices\n    kind: queue\n    from: orders\n    to: billing\n",
		"region: eu-west-1\naccounts:\n  orders: \"111111111111\"\n  billing: \"222222222222\"\nlinks:\n  - name: invoices\n    kind: queue\n    from: \"\"\n    to: billing\n",
		"region: eu-west-1\naccounts:\n  orders: \"111111111111\"\n  orders: \"222222222222\"\nlinks: []\n",
		"region: eu-west-1\naccounts:\n  orders: \"111111111111\"\n  billing:\nlinks:\n  - name: invoices\n    kind: queue\n    from: orders\n    to: billing\n",
		base + "    options:\n      fifo: true\n      fifo: false\n",
		base + "    options:\n      visibilityTimeout: 0s\n      maxReceiveCount: 0\n      receiveWaitTime: 0s\n",
		base + "    options:\n      maxSessionDuration: 2h\n",
		base + "    options:\n      visibilityTimeout: 30\n",
		base + "    to: [billing, orders]\n",
		"---\n",
		"# only a comment\n",
		"region: eu-west-1\naccounts: []\nlinks: []\n",
	}
	for _, c := range cases {
		tp, err := topology.Parse("t.yaml", []byte(c))
		fmt.Printf("----\n%s\n=> err=%v\n", c, err)
		if tp != nil {
			for _, l := range tp.Links {
				fmt.Printf("link %+v queue=%+v\n", l, l.Queue)
			}
		}
	}
}
