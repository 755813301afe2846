package awsarn

import (
	"fmt"
	"regexp"
)

// DefaultEventBus is the name of the event bus every account has in every region.
const DefaultEventBus = "default"

// EventBus returns the ARN of the EventBridge event bus name in account and region;
// DefaultEventBus names the account's default bus.
func EventBus(region, account, name string) string {
	return fmt.Sprintf("arn:%s:events:%s:%s:event-bus/%s", Partition(region), region, account, name)
}

// EventRule returns the ARN of the EventBridge rule name on the event bus bus in
// account and region. Rules on the default bus have ARNs without the bus name
// (rule/<name>); rules on any other bus carry it (rule/<bus>/<name>). account may be
// "*" for an ArnLike pattern that matches the rule in every account.
func EventRule(region, account, bus, name string) string {
	if bus == "" || bus == DefaultEventBus {
		return fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", Partition(region), region, account, name)
	}
	return fmt.Sprintf("arn:%s:events:%s:%s:rule/%s/%s", Partition(region), region, account, bus, name)
}

var eventBusName = regexp.MustCompile(`^[/.\-_A-Za-z0-9]{1,256}$`)

// IsEventBusName reports whether s is a valid EventBridge event bus name: 1 to 256
// letters, digits and . - _ / (partner event buses have names such as
// aws.partner/example.com/123).
func IsEventBusName(s string) bool { return eventBusName.MatchString(s) }
