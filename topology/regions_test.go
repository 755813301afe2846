package topology

import (
	"slices"
	"strings"
	"testing"
)

const regionsFile = `region: eu-west-1
accounts:
  shop: "222222222222"
  payments: {id: "111111111111", region: eu-central-1}
  ledger: "333333333333"
links:
  - name: payouts
    kind: queue
    from: {account: shop, region: us-east-1}
    to: payments
  - name: invoices
    kind: queue
    from: shop
    to: [{account: ledger}]
`

func TestRegionsOfAccountsAndSides(t *testing.T) {
	// GIVEN a topology whose payments account names its region and whose payouts link
	// puts shop's side in us-east-1
	// WHEN it is parsed
	top, err := Parse("regions.yaml", []byte(regionsFile))
	if err != nil {
		t.Fatal(err)
	}
	// THEN each side carries its region: the side's, else the account's, else the
	// topology's
	payouts, invoices := top.Links[0].Header, top.Links[1].Header
	if payouts.From[0].Region != "us-east-1" || payouts.To[0].Region != "eu-central-1" {
		t.Errorf("payouts sides: %+v -> %+v", payouts.From, payouts.To)
	}
	if invoices.From[0].Region != "eu-west-1" || invoices.To[0].Region != "eu-west-1" {
		t.Errorf("invoices sides: %+v -> %+v", invoices.From, invoices.To)
	}
	// AND shop has stacks in two regions, in the order its links name them, the
	// others in one
	if got := top.Regions("shop"); !slices.Equal(got, []string{"us-east-1", "eu-west-1"}) {
		t.Errorf("shop's regions: %v", got)
	}
	if got := top.Regions("payments"); !slices.Equal(got, []string{"eu-central-1"}) {
		t.Errorf("payments' regions: %v", got)
	}
}

func TestRegionsRefusedAllAtOnce(t *testing.T) {
	// GIVEN a topology with every region mistake: an unknown region, a link across
	// partitions, direct bus mode across regions, a stream consumer in another region,
	// an SNS queue in an opt-in region fed from another region, and a private sender
	// to a queue in another region
	data := `region: eu-west-1
accounts:
  shop: "222222222222"
  payments: {id: "111111111111", region: eu-moon-1}
  china: {id: "444444444444", region: cn-north-1}
  ledger: "333333333333"
links:
  - name: across-partitions
    kind: queue
    from: china
    to: ledger
  - name: direct-far
    kind: bus
    from: {account: shop, region: us-east-1}
    to: ledger
    options:
      mode: direct
      targets: [queue]
      eventPattern: {source: [shop]}
  - name: far-stream
    kind: stream
    from: ledger
    to: {account: shop, region: us-west-2}
  - name: to-opt-in
    kind: topic
    from: ledger
    to: {account: shop, region: af-south-1}
  - name: private-far
    kind: queue
    from: shop
    to: {account: ledger, region: us-east-2}
privateAccess:
  shop: {}
`
	// WHEN it is parsed
	_, err := Parse("bad.yaml", []byte(data))
	// THEN every mistake is reported at once, each naming its value and what to do
	if err == nil {
		t.Fatal("parsed without error")
	}
	msg := err.Error()
	for _, want := range []string{
		`accounts.payments.region: region "eu-moon-1" is not a region of the aws partition; its regions: af-south-1,`,
		`links[0] "across-partitions": account "china" is in cn-north-1 (partition aws-cn) and account "ledger" in eu-west-1 (partition aws): a link cannot cross partitions`,
		`mode "direct" cannot cross regions: account shop (222222222222) sends from us-east-1 and the receiver's target is in eu-west-1`,
		`use mode: bus`,
		`consumer account "shop" is in us-west-2 and the stream in eu-west-1: a Lambda event source mapping reads only a stream of its own region; put the consumer in the stream's region`,
		`account shop (222222222222) has its queue in af-south-1, an opt-in region, and the topic is in eu-west-1`,
		`account "shop" sends through VPC endpoints in eu-west-1, but link "private-far" has its side in eu-west-1 and account "ledger" in us-east-2; PrivateLink reaches SQS and STS of another region from no VPC endpoint`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("no problem holding %q in:\n%s", want, msg)
		}
	}
}
