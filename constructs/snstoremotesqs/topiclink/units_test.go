package topiclink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

func TestUnitTopicPolicyKeepsItsSizeWhereListedAccountsOutgrowTheQuota(t *testing.T) {
	unit := []linkkind.Unit{{Name: "workloads", Path: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", Region: "eu-west-1"}}
	listed := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%012d", 100000000000+i)
		}
		return out
	}
	base := Link{Name: "advisories", Region: "eu-west-1", SenderAccount: "999999999999"}
	size := func(l Link) int { return len(jsonx.String(l.TopicPolicy())) }
	// GIVEN the same topic link with 1 and with 5,000 receiver accounts, each once
	// as a unit the accounts are members of and once listed by alias
	asUnit, one, many := base, base, base
	asUnit.ReceiverUnits = unit
	one.ReceiverAccounts = listed(1)
	many.ReceiverAccounts = listed(5000)
	// WHEN the topic policies are measured
	unitSize, oneSize, manySize := size(asUnit), size(one), size(many)
	t.Logf("topic policy: unit (1 or 5,000 member accounts) %d bytes; 1 listed account %d; 5,000 listed accounts %d; SNS quota %d",
		unitSize, oneSize, manySize, maxTopicPolicyBytes)
	// THEN the unit's policy names no member account, so it is the same for 1 and
	// 5,000 members, and fits the quota, where 5,000 listed accounts do not
	if strings.Contains(jsonx.String(asUnit.TopicPolicy()), "100000000000") {
		t.Error("the unit's policy names a member account")
	}
	if unitSize > maxTopicPolicyBytes || manySize <= maxTopicPolicyBytes {
		t.Errorf("unit %d, 5,000 listed %d bytes; quota %d", unitSize, manySize, maxTopicPolicyBytes)
	}
	// AND the link with the unit validates, the one with 5,000 listed accounts does not
	var p problem.List
	asUnit.Problems(&p)
	if p.Len() != 0 {
		t.Errorf("unit link: %v", p.Items())
	}
	var q problem.List
	many.Problems(&q)
	if q.Len() == 0 {
		t.Error("5,000 listed receivers validated")
	}
}

func TestMemberLinkNamesItsQueuesAfterTheStackInstance(t *testing.T) {
	// GIVEN a topic link to a unit
	l := Link{Name: "advisories", Region: "eu-west-1", SenderAccount: "999999999999", ReceiverAccounts: []string{"222222222222"},
		ReceiverUnits: []linkkind.Unit{{Name: "workloads", Path: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", Region: "eu-west-1"}}}
	// WHEN a member account's view of it is taken, with its stack instance's suffix
	m := l.ForMember("123456789012", "eu-west-1", "1a2b3c4d").(Link)
	// THEN the member is the only receiver, with no unit and no alarm, and its queues
	// end in the suffix, which the topic policy's endpoint pattern matches (and not
	// the dead-letter queue)
	if len(m.ReceiverAccounts) != 1 || m.ReceiverAccounts[0] != "123456789012" || len(m.ReceiverUnits) != 0 || m.AlarmsOn() {
		t.Errorf("member link %+v", m)
	}
	if m.QueueName() != "advisories-1a2b3c4d" || m.DeadLetterQueueName() != "advisories-1a2b3c4d-dlq" {
		t.Errorf("queue names %q, %q", m.QueueName(), m.DeadLetterQueueName())
	}
	if got := l.UnitQueuePatterns(); len(got) != 1 || got[0] != "arn:aws:sqs:eu-west-1:*:advisories-????????" {
		t.Errorf("pattern %q", got)
	}
	// AND the listed receivers' queues keep their names
	if l.QueueName() != "advisories" {
		t.Errorf("listed queue name %q", l.QueueName())
	}
}
