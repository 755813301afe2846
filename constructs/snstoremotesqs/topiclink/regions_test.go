package topiclink

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/linkkind"
)

func TestReceiverInAnotherRegion(t *testing.T) {
	// GIVEN a topic in eu-central-1 with billing's queue in eu-west-1 and analytics'
	// in the topic's region
	l := Link{Name: "order-events", Region: "eu-central-1", SenderAccount: orders,
		ReceiverAccounts: []string{billing, analytics}, ReceiverRegions: map[string]string{billing: "eu-west-1"}}.WithDefaults()
	// WHEN the queues' ARNs and URLs, the halves and the topic policy are computed
	// THEN billing's queue is in eu-west-1, analytics' in eu-central-1
	if got := l.QueueArn(billing); got != "arn:aws:sqs:eu-west-1:"+billing+":order-events" {
		t.Errorf("billing's queue ARN %s", got)
	}
	if got := l.QueueURL(billing); got != "https://sqs.eu-west-1.amazonaws.com/"+billing+"/order-events" {
		t.Errorf("billing's queue URL %s", got)
	}
	if got := l.QueueArn(analytics); got != "arn:aws:sqs:eu-central-1:"+analytics+":order-events" {
		t.Errorf("analytics' queue ARN %s", got)
	}
	// AND both of billing's halves, the subscription too, are in billing's region
	for _, h := range l.Halves(billing) {
		if h.Region != "eu-west-1" {
			t.Errorf("billing's half %s in %q", h.Role, h.Region)
		}
	}
	// AND the topic policy lets billing subscribe its eu-west-1 queue
	policy, _ := jsonx.Marshal(l.TopicPolicy())
	if !strings.Contains(string(policy), `"sns:Endpoint":"arn:aws:sqs:eu-west-1:`+billing+`:order-events"`) {
		t.Errorf("topic policy %s", policy)
	}
	// AND SNS of a region enabled by default delivers as sns.amazonaws.com
	if got := l.SNSPrincipal(billing); got != "sns.amazonaws.com" {
		t.Errorf("SNSPrincipal = %s", got)
	}
	if err := l.Validate(); err != nil {
		t.Errorf("valid cross-region topic refused: %v", err)
	}
}

func TestReceiverInAnOptInRegionRefused(t *testing.T) {
	// GIVEN a topic in eu-central-1 with billing's queue in af-south-1, an opt-in region
	l := Link{Name: "order-events", Region: "eu-central-1", SenderAccount: orders,
		ReceiverAccounts: []string{billing}, ReceiverRegions: map[string]string{billing: "af-south-1"}}
	// WHEN it is validated
	err := l.Validate()
	// THEN it is refused, naming the regions and what to do
	if err == nil || !strings.Contains(err.Error(), "af-south-1, an opt-in region, and the topic is in eu-central-1") || !strings.Contains(err.Error(), "region: eu-central-1") {
		t.Errorf("Validate() = %v", err)
	}
}

func TestUnitInAnOptInRegionRefused(t *testing.T) {
	// GIVEN a topic in eu-central-1 fanning out to organizational unit analytics in
	// af-south-1, an opt-in region, and to unit workloads in the topic's region
	l := Link{Name: "order-events", Region: "eu-central-1", SenderAccount: orders, OrganizationID: "o-a1b2c3d4e5",
		ReceiverUnits: []linkkind.Unit{
			{Name: "analytics", Path: "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/", Region: "af-south-1"},
			{Name: "workloads", Path: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", Region: "eu-central-1"},
		}}
	// WHEN it is validated
	err := l.Validate()
	// THEN only the opt-in unit is refused, naming the regions and what to do
	if err == nil || !strings.Contains(err.Error(), "organizational unit analytics has its queues in af-south-1, an opt-in region, and the topic is in eu-central-1") ||
		!strings.Contains(err.Error(), "to: {account: analytics, region: eu-central-1}") {
		t.Errorf("Validate() = %v", err)
	}
	if strings.Contains(err.Error(), "unit workloads") {
		t.Errorf("the unit in the topic's region is refused too: %v", err)
	}
}
