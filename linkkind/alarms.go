package linkkind

import (
	"fmt"
	"time"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/durations"
	"github.com/crosswire/crosswire/internal/problem"
)

// AlarmOptions are the options about CloudWatch alarms that every kind's Options
// embed; the topology decodes them like the kind's own options.
type AlarmOptions struct {
	// Alarms turns every CloudWatch alarm of the link off when false (alarms: false).
	// Default: on.
	Alarms *bool `yaml:"alarms"`
	// OldestMessageAlarm is the age of a main queue's oldest message above which its
	// ApproximateAgeOfOldestMessage alarm fires, 5m up to the queue's retention.
	// Default: half the queue's retention.
	OldestMessageAlarm time.Duration `yaml:"oldestMessageAlarm"`
}

// NoAlarms are the alarm options of a link with every alarm off (alarms: false), as a
// member account's halves are built (a kind's ForMember).
func NoAlarms() AlarmOptions {
	off := false
	return AlarmOptions{Alarms: &off}
}

// AlarmsOn reports whether the link's alarms are on: the default.
func (o AlarmOptions) AlarmsOn() bool { return o.Alarms == nil || *o.Alarms }

// MinOldestMessageAlarm is the least OldestMessageAlarm: one alarm period.
const MinOldestMessageAlarm = 5 * time.Minute

// OldestMessageThreshold is the age alarm's threshold of a queue that keeps messages
// retention: OldestMessageAlarm, or half of retention.
func (o AlarmOptions) OldestMessageThreshold(retention time.Duration) time.Duration {
	if o.OldestMessageAlarm != 0 {
		return o.OldestMessageAlarm
	}
	return retention / 2
}

// AlarmProblems adds to p what is wrong with o for a link whose main queue keeps
// messages retention (0: the link has no main queue, so OldestMessageAlarm has no
// queue to watch).
func (o AlarmOptions) AlarmProblems(retention time.Duration, p *problem.List) {
	if o.OldestMessageAlarm == 0 {
		return
	}
	v := durations.Format(o.OldestMessageAlarm)
	switch {
	case retention == 0:
		p.Addf(0, "options.oldestMessageAlarm", "oldestMessageAlarm %s has no queue to watch: this kind of link has no main queue", v)
	case !o.AlarmsOn():
		p.Addf(0, "options.oldestMessageAlarm", "oldestMessageAlarm %s is given with alarms: false; leave one out", v)
	case o.OldestMessageAlarm < MinOldestMessageAlarm || o.OldestMessageAlarm > retention:
		p.Addf(0, "options.oldestMessageAlarm", "oldestMessageAlarm %s must be from %s to the queue's retention, %s", v, durations.Format(MinOldestMessageAlarm), durations.Format(retention))
	}
}

// Alarmed is a Link that says whether it has CloudWatch alarms, so that the stacks
// give its accounts an alarm topic.
type Alarmed interface {
	Link
	AlarmsOn() bool
}

// Silent is an Alarmed link some of whose halves have no alarm of their own (a queue
// link's senders, a topic link's subscriptions): an account holding only such halves
// gets no alarm topic.
type Silent interface {
	Alarmed
	// Silent reports whether the halves of role have no alarm.
	Silent(role string) bool
}

// HasAlarms reports whether the halves of role of link have CloudWatch alarms: the
// link is Alarmed with its alarms on, and the role is not Silent.
func HasAlarms(link Link, role string) bool {
	a, ok := link.(Alarmed)
	if !ok || !a.AlarmsOn() {
		return false
	}
	s, ok := a.(Silent)
	return !ok || !s.Silent(role)
}

// Built is what a kind's builder (stacks.BuildHalf) reports of the half it built.
type Built struct {
	// Alarms are the names of the CloudWatch alarms the half created, in order: the
	// account's dashboard shows a row of them per half.
	Alarms []string
}

// AccountConstruct is the prefix of the IDs of the constructs a stack holds for its
// account rather than for a link (the alarm topic, the dashboard): a link name has no
// ".", so no link can take such an ID, and tools that read links from construct paths
// (internal/access) skip them.
const AccountConstruct = "Crosswire."

// AlarmTopicName is the name of the SNS topic that every alarm of an account and
// region notifies: [prefix]crosswire-alarms (prefix with its hyphen, as Header.Prefix).
func AlarmTopicName(prefix string) string { return prefix + "crosswire-alarms" }

// AlarmTopicArn is the ARN of the alarm topic of account in region.
func AlarmTopicArn(prefix, region, account string) string {
	return fmt.Sprintf("arn:%s:sns:%s:%s:%s", awsarn.Partition(region), region, account, AlarmTopicName(prefix))
}

// DashboardName is the name of the CloudWatch dashboard of the account alias in
// region: [prefix]crosswire-alias-region, unique per account and region.
func DashboardName(prefix, alias, region string) string {
	return fmt.Sprintf("%scrosswire-%s-%s", prefix, alias, region)
}

// AlarmName is the name of one alarm of a link: [prefix]link-what (what such as
// "dlq-visible"), unique per account and region since link names are.
func AlarmName(prefix, link, what string) string { return prefix + link + "-" + what }
