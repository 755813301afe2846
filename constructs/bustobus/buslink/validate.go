package buslink

import (
	"fmt"
	"github.com/crosswire/crosswire/linkkind"
	"slices"
	"time"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/durations"
	"github.com/crosswire/crosswire/internal/linkcheck"
	"github.com/crosswire/crosswire/internal/problem"
)

// AWS limits checked by Validate.
const (
	maxBusNameLen       = 256
	maxRuleNameLen      = 64
	maxRoleNameLen      = 64
	maxQueueNameLen     = 80
	maxFunctionNameLen  = 64
	maxTopicNameLen     = 256
	maxArchiveNameLen   = 48
	maxStatementIDLen   = 64
	maxRetryAttempts    = 185
	minMaxEventAge      = time.Minute
	maxMaxEventAge      = 24 * time.Hour
	minArchiveRetention = 1
)

// Validate reports every problem of l at once. Problems name the option with its
// topology-file name (for example `options.retryAttempts`) and quote the value.
func (l Link) Validate() error { return linkcheck.Report("bus", l.Name, l.validate) }

// Problems adds every problem of l to p.
func (l Link) Problems(p *problem.List) { l.validate(p) }

// validateRegions refuses mode direct with a sender in another region than the
// target: EventBridge sends to a target in another account (SQS, SNS, Lambda) only in
// the rule's region, while a rule may target an event bus in another region and
// account (mode bus).
func (l Link) validateRegions(p *problem.List) {
	for _, a := range l.SenderAccounts {
		r := l.SenderRegion(a)
		switch {
		case r == l.Region:
		case l.Mode == ModeDirect:
			p.Addf(0, "options.mode", "mode %q cannot cross regions: account %s sends from %s and the receiver's target is in %s, and EventBridge delivers to a target in another account only in the rule's region; use mode: bus, whose rule targets the receiver's event bus in another region, or put both sides in one region", l.Mode, a, r, l.Region)
		}
	}
}

func (l Link) validate(p *problem.List) {
	raw := l
	l = l.WithDefaults()
	linkcheck.Identity(p, l.Name, l.NamePrefix, l.Region)
	linkcheck.AccountsAndUnits(p, "bus", linkcheck.Side{Field: "to", Role: "receiver"}, l.ReceiverAccount,
		linkcheck.Side{Field: "from", Role: "sender"}, l.SenderAccounts, len(l.SenderUnits))
	linkcheck.Units(p, "from", l.SenderUnits)
	if len(l.SenderUnits) > 0 {
		if l.Mode == ModeDirect {
			p.Addf(0, "options.mode", "mode %q cannot admit organizational units (%s): the target's own policy (a Lambda function's cannot test aws:PrincipalOrgPaths) would have to admit every member account; use mode: %s", l.Mode, unitNames(l.SenderUnits), ModeBus)
		}
		if l.SenderBus != awsarn.DefaultEventBus {
			p.Addf(0, "options.senderBus", "senderBus %q cannot be used by organizational units (%s): their member accounts have only the default bus; leave senderBus out", l.SenderBus, unitNames(l.SenderUnits))
		}
		if n := len(l.UnitsStatementID()); n > maxStatementIDLen {
			p.Addf(0, "name", "event bus policy statement ID %q is %d characters; EventBridge allows at most %d", l.UnitsStatementID(), n, maxStatementIDLen)
		}
		// A member's dead-letter queue ends in -<8 hex digits of its stack instance>.
		if n := len(l.SenderDeadLetterQueueName()) + 9; n > maxQueueNameLen {
			p.Addf(0, "name", "a member account's sender dead-letter queue name %q is %d characters; SQS allows at most %d", l.SenderDeadLetterQueueName()+"-xxxxxxxx", n, maxQueueNameLen)
		}
	}
	linkcheck.Organization(p, l.OrganizationID)

	modeKnown := true
	switch l.Mode {
	case ModeBus, ModeDirect:
	default:
		modeKnown = false
		p.Addf(0, "options.mode", "mode %q is unknown; use %q or %q", l.Mode, ModeBus, ModeDirect)
	}
	l.validatePattern(p)
	l.validateRegions(p)
	l.AlarmProblems(l.alarmedQueueRetention(), p)
	if !awsarn.IsEventBusName(l.SenderBus) {
		p.Addf(0, "options.senderBus", "senderBus %q must be an event bus name: 1 to 256 letters, digits and . - _ /", l.SenderBus)
	}
	switch {
	case l.Mode == ModeDirect && raw.ReceiverBus != "":
		p.Addf(0, "options.receiverBus", "receiverBus %q applies only to mode: bus; mode: direct has no receiver bus", raw.ReceiverBus)
	case l.Mode == ModeBus && l.ReceiverBus != ReceiverBusCustom && l.ReceiverBus != ReceiverBusDefault:
		p.Addf(0, "options.receiverBus", "receiverBus %q is unknown; use %q or %q", l.ReceiverBus, ReceiverBusCustom, ReceiverBusDefault)
	}
	if modeKnown {
		l.validateTargets(p)
	}
	if n := *l.RetryAttempts; n < 0 || n > maxRetryAttempts {
		p.Addf(0, "options.retryAttempts", "retryAttempts %d must be between 0 and %d", n, maxRetryAttempts)
	}
	linkcheck.Duration(p, "options.maxEventAge", l.MaxEventAge, minMaxEventAge, maxMaxEventAge, time.Second)
	if l.Archive && l.Mode == ModeDirect {
		p.Addf(0, "options.archive", "archive %q applies only to mode: bus; mode: direct has no receiver bus to archive", "true")
	}
	switch {
	case raw.ArchiveRetentionDays != 0 && !l.Archive:
		p.Addf(0, "options.archiveRetentionDays", "archiveRetentionDays %d applies only with archive: true", raw.ArchiveRetentionDays)
	case l.Archive && l.ArchiveRetentionDays < minArchiveRetention:
		p.Addf(0, "options.archiveRetentionDays", "archiveRetentionDays %d must be at least %d (keeping events forever is not offered)", l.ArchiveRetentionDays, minArchiveRetention)
	}
	linkcheck.Allow(p, string(l.Allow), l.OrganizationID, string(AllowOrganization), string(AllowAccounts))
	if modeKnown {
		l.validateNames(p)
	}
}

func (l Link) validateTargets(p *problem.List) {
	const where = "options.targets"
	if len(l.Targets) == 0 {
		p.Addf(0, where, "targets is an empty list; name at least one of %s", targetList(l.Mode))
		return
	}
	if len(l.Targets) > MaxTargetsPerRule {
		p.Addf(0, where, "targets lists %d targets; an EventBridge rule has at most %d", len(l.Targets), MaxTargetsPerRule)
	}
	seen := map[Target]bool{}
	for _, t := range l.Targets {
		switch {
		case seen[t]:
			p.Addf(0, where, "target %q is listed twice", t)
		case t != TargetLambda && t != TargetQueue && t != TargetTopic:
			p.Addf(0, where, "target %q is unknown; use %s", t, targetList(l.Mode))
		case l.Mode == ModeBus && t == TargetTopic:
			p.Addf(0, where, "target %q is not offered in mode: bus; use %s, or mode: direct", t, targetList(l.Mode))
		}
		seen[t] = true
	}
	if l.Mode == ModeDirect && len(l.Targets) > 1 {
		p.Addf(0, where, "mode: direct delivers to exactly one target, but targets lists %d; keep one of %s, or use mode: bus", len(l.Targets), targetList(l.Mode))
	}
	if l.Mode == ModeDirect && l.Allow == AllowOrganization && slices.Contains(l.Targets, TargetLambda) {
		// A function policy cannot test aws:PrincipalArn: it would admit every principal
		// of every organization account, not only the forwarder roles.
		p.Addf(0, "options.allow", "allow %q with a direct lambda target would let every principal of the organization invoke the function; use allow: accounts, or mode: bus", l.Allow)
	}
}

func targetList(m Mode) string {
	if m == ModeDirect {
		return fmt.Sprintf("%q, %q or %q", TargetQueue, TargetLambda, TargetTopic)
	}
	return fmt.Sprintf("%q, %q or both", TargetLambda, TargetQueue)
}

func (l Link) validateNames(p *problem.List) {
	check := func(what, name string, limit int) {
		if n := len(name); n > limit {
			p.Addf(0, "name", "%s %q is %d characters; AWS allows at most %d", what, name, n, limit)
		}
	}
	check("sender rule name", l.SenderRuleName(), maxRuleNameLen)
	check("sender role name", l.SenderRoleName(), maxRoleNameLen)
	check("sender dead-letter queue name", l.SenderDeadLetterQueueName(), maxQueueNameLen)
	if l.Mode == ModeBus {
		if l.ReceiverBus == ReceiverBusCustom {
			check("event bus name", l.BusName(), maxBusNameLen)
			if l.BusName() == awsarn.DefaultEventBus {
				p.Addf(0, "name", "event bus name %q is taken by every account's default bus; rename the link or use receiverBus: default", l.BusName())
			}
		}
		check("receiver rule name", l.ReceiverRuleName(), maxRuleNameLen)
		check("delivery dead-letter queue name", l.DeliveryDeadLetterQueueName(), maxQueueNameLen)
		check("event bus policy statement ID", l.BusPolicyStatementID(), maxStatementIDLen)
		if l.Archive {
			check("archive name", l.ArchiveName(), maxArchiveNameLen)
		}
	}
	for _, t := range l.Targets {
		switch t {
		case TargetQueue:
			check("queue name", l.QueueName(), maxQueueNameLen)
			check("dead-letter queue name", l.QueueDeadLetterQueueName(), maxQueueNameLen)
		case TargetLambda:
			check("function name", l.FunctionName(), maxFunctionNameLen)
		case TargetTopic:
			check("topic name", l.TopicName(), maxTopicNameLen)
		}
	}
}

// FormatDuration renders d the way a topology file writes it: 2h, 1h30m, 45s. It is
// durations.Format, kept here for the constructs and the smoke test.
func FormatDuration(d time.Duration) string { return durations.Format(d) }

// alarmedQueueRetention is the retention of the receiver's queue (TargetQueue), whose
// age alarm oldestMessageAlarm sets, or 0 when the link has no such queue.
func (l Link) alarmedQueueRetention() time.Duration {
	if l.HasTarget(TargetQueue) {
		return QueueRetention
	}
	return 0
}

func unitNames(units []linkkind.Unit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	return linkkind.QuoteAll(names)
}
