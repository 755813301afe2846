package buslink_test

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
)

func TestSenderInAnotherRegion(t *testing.T) {
	// GIVEN a bus link whose sender's rule is in us-east-1 and receiver's bus in
	// ap-northeast-1
	l := base()
	l.SenderRegions = map[string]string{orders: "us-east-1"}
	l.Allow = buslink.AllowOrganization
	l.OrganizationID = org
	// WHEN its ARNs and halves are computed
	// THEN the rule is in the sender's region, the bus in the receiver's
	if got, want := l.SenderRuleArn(orders), "arn:aws:events:us-east-1:"+orders+":rule/ec2-state-forward"; got != want {
		t.Errorf("SenderRuleArn = %s, want %s", got, want)
	}
	if got := l.BusArn(); !strings.HasPrefix(got, "arn:aws:events:"+region+":"+billing+":") {
		t.Errorf("BusArn = %s", got)
	}
	// AND the organization's pattern matches the rule in any region
	if got, want := l.AnySenderRuleArn(), "arn:aws:events:*:*:rule/ec2-state-forward"; got != want {
		t.Errorf("AnySenderRuleArn = %s, want %s", got, want)
	}
	// AND each half is in its account's region
	if h := l.Halves(orders); len(h) != 1 || h[0].Region != "us-east-1" {
		t.Errorf("sender halves %+v", h)
	}
	if h := l.Halves(billing); len(h) != 1 || h[0].Region != region {
		t.Errorf("receiver halves %+v", h)
	}
	// AND mode bus is valid across regions, mode direct is not
	if err := l.Validate(); err != nil {
		t.Errorf("mode bus across regions refused: %v", err)
	}
	l.Mode = buslink.ModeDirect
	l.Targets = []buslink.Target{buslink.TargetQueue}
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "use mode: bus") {
		t.Errorf("mode direct across regions: %v", err)
	}
}
