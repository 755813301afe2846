// Package stacks turns a topology into CloudFormation stacks per account, each
// holding that account's halves of every link, and works out the order in which the
// accounts deploy.
//
// Every account gets a main stack, Crosswire-[prefix-]alias, with everything that
// can deploy before or after any other account: queues, topics, buses, streams, roles
// and their policies (principals of other accounts are account principals narrowed
// by aws:PrincipalArn, which always exist). A half that uses another account's
// resource at deploy time — a subscription to another account's topic, a rule whose
// target is another account's event bus, a function reading another account's
// stream — goes into the account's wiring stack, Crosswire-[prefix-]alias-wiring,
// which depends on the main stacks it needs. A stack that other accounts need never
// depends on anything, so no topology, not even links in both directions between two
// accounts, can form a cycle. Each half has one fixed stack, so nothing moves between
// stacks when an account takes part in more links; an account with wiring halves
// only (a stream consumer, a bus sender) has just its wiring stack, unless those halves
// have alarms: then its main stack holds the account's alarm topic and dashboard
// (stacks/alarms.go, stacks/dashboard.go).
package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/privateaccess"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// Phase says which of an account's stacks a half belongs in.
type Phase = linkkind.Phase

const (
	// Main halves deploy in any order with respect to other accounts.
	Main = linkkind.Main
	// Wiring halves use resources of other accounts' main stacks at deploy time.
	Wiring = linkkind.Wiring
)

// StackName returns the CloudFormation stack name of the account alias in phase, in
// the account's first region (topology.Topology.Regions): see StackNameIn.
func StackName(t *topology.Topology, alias string, phase ...Phase) string {
	return StackNameIn(t, alias, t.Regions(alias)[0], phase...)
}

// StackNameIn returns the CloudFormation stack name of the account alias in region
// and phase: Crosswire-[prefix-]alias, then -region only when the account has stacks
// in more than one region (so a topology in one region keeps its stack names), and
// -wiring for the wiring stack.
func StackNameIn(t *topology.Topology, alias, region string, phase ...Phase) string {
	name := "Crosswire-" + alias
	if t.NamePrefix != "" {
		name = fmt.Sprintf("Crosswire-%s-%s", t.NamePrefix, alias)
	}
	if len(t.Regions(alias)) > 1 {
		name += "-" + region
	}
	if len(phase) > 0 && phase[0] == Wiring {
		name += "-wiring"
	}
	return name
}

// accountTag is the tag that names the account alias on every stack and resource.
const accountTag = "crosswire:account"

// stackKey names one account's stacks in one region.
type stackKey struct{ alias, region string }

// half is one account's part of one link.
type half struct {
	phase  Phase
	region string
	// needs are the accounts and regions whose main stacks must exist before this
	// half deploys.
	needs []stackKey
	// link is the name of the half's link, spec its kind's description, role the
	// half's role in it.
	link string
	spec linkkind.Link
	role string
	// kind is the link's kind; kindHalf the half as the kind gave it (Region and
	// AlarmTopic set).
	kind     string
	kindHalf linkkind.Half
	build    func(scope constructs.Construct) linkkind.Built
}

// halves returns the parts of every link that belong in the account alias in region,
// as each link's kind describes them, built by the kind's builder in Builders.
func halves(t *topology.Topology, alias, region string) []half {
	var out []half
	for _, h := range allHalves(t, alias) {
		if h.region == region {
			out = append(out, h)
		}
	}
	return out
}

// allHalves returns the parts of every link that belong in the account alias, in
// every region.
func allHalves(t *topology.Topology, alias string) []half {
	id := t.AccountID(alias)
	var out []half
	for _, l := range t.Links {
		if l.Spec == nil {
			continue
		}
		build, ok := Builders[l.Kind]
		if !ok {
			panic(fmt.Errorf("stacks: link %q is of kind %q, which has no builder in stacks.Builders", l.Name, l.Kind))
		}
		for _, h := range l.Spec.Halves(id) {
			spec, h := l.Spec, h
			if h.Region == "" {
				h.Region = l.Header.RegionOf(id)
			}
			h.AlarmTopic = t.AlarmTopicIn(alias, h.Region)
			var needs []stackKey
			for _, n := range h.Needs {
				a := t.Alias(n)
				needs = append(needs, stackKey{a, t.RegionIn(l, a)})
			}
			out = append(out, half{phase: h.Phase, region: h.Region, needs: needs, link: l.Name, spec: spec, role: h.Role,
				kind: l.Kind, kindHalf: h,
				build: func(s constructs.Construct) linkkind.Built { return build(s, spec, h) }})
		}
	}
	return out
}

// Active reports whether the account alias takes part in any link of t.
func Active(t *topology.Topology, alias string) bool {
	for _, l := range t.Links {
		if l.Involves(alias) {
			return true
		}
	}
	return false
}

// AccountStackProps configure one stack of one account.
type AccountStackProps struct {
	awscdk.StackProps
	// Topology is the validated topology.
	Topology *topology.Topology
	// Alias is the account whose halves of the links the stack holds.
	Alias string
	// Region selects the halves of the account in that region; "" means the
	// account's first region (topology.Topology.Regions).
	Region string
	// Phase selects the halves: Main (the default) or Wiring.
	Phase Phase
}

// NewAccountStack builds one stack of one account in one region: the halves of the
// links the account takes part in from props.Region that belong in props.Phase. Env
// is set to the account and the region, and the name to StackNameIn, unless props set
// them.
func NewAccountStack(scope constructs.Construct, id string, props *AccountStackProps) awscdk.Stack {
	stack, _ := newAccountStack(scope, id, props)
	return stack
}

// newAccountStack is NewAccountStack, and also returns the dashboard rows of the
// halves it built: a row per half with alarms, in the order they were built.
func newAccountStack(scope constructs.Construct, id string, props *AccountStackProps) (awscdk.Stack, []dashboardRow) {
	t, alias := props.Topology, props.Alias
	accountID := t.AccountID(alias)
	if accountID == "" {
		panic(fmt.Errorf("stacks: account alias %q is not in topology %s", alias, t.Path))
	}
	region := props.Region
	if region == "" {
		region = t.Regions(alias)[0]
	}
	sp := props.StackProps
	if sp.Env == nil {
		sp.Env = &awscdk.Environment{Account: jsii.String(accountID), Region: jsii.String(region)}
	}
	if sp.StackName == nil {
		sp.StackName = jsii.String(StackNameIn(t, alias, region, props.Phase))
	}
	if sp.Description == nil {
		what := "the links"
		if props.Phase == Wiring {
			what = "the parts of links that need other accounts' resources"
		}
		sp.Description = jsii.String(fmt.Sprintf("Crosswire: %s of account %s (%s) in topology %s", what, alias, accountID, t.Path))
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	if props.StackProps.Env == nil && props.StackProps.StackName == nil {
		cdkx.RememberStack(stack, accountID, region, *sp.StackName)
	}
	awscdk.Tags_Of(stack).Add(jsii.String(accountTag), jsii.String(alias), nil)

	built := 0
	if pa, ok := t.PrivateAccessOf(alias); ok && props.Phase == Main && region == t.RegionOf(alias) {
		newPrivateAccess(stack, t, pa, accountID)
		built++
	}
	var rows []dashboardRow
	for _, h := range halves(t, alias, region) {
		if h.phase == props.Phase {
			if b := h.build(stack); len(b.Alarms) > 0 {
				rows = append(rows, dashboardRow{title: h.link + " (" + *sp.StackName + ")", alarms: b.Alarms})
			}
			built++
		}
	}
	if props.Phase == Main && needsAlarmTopic(t, alias, region) {
		newAlarmTopic(stack, t, accountID, region)
		built++
	}
	if built == 0 && props.Phase == Main {
		// CloudFormation rejects a template without resources. An account that takes
		// part in no link yet still gets its stack, so that adding its first link is an
		// update; this no-op resource holds the place and costs nothing.
		awscdk.NewCfnResource(stack, jsii.String("NoLinksYet"), &awscdk.CfnResourceProps{
			Type: jsii.String("AWS::CloudFormation::WaitConditionHandle"),
		})
	}
	return stack, rows
}

// newPrivateAccess gives the sender account alias the VPC endpoints its producers
// use to reach the other accounts of its links without internet access, as each
// link's kind says (linkkind.PrivateSender).
func newPrivateAccess(stack awscdk.Stack, t *topology.Topology, pa topology.PrivateAccess, accountID string) {
	var targets []linkkind.PrivateTarget
	for _, l := range t.Links {
		if ps, ok := l.Spec.(linkkind.PrivateSender); ok {
			targets = append(targets, ps.PrivateTargets(accountID)...)
		}
	}
	props := &privateaccess.PrivateAccessProps{
		Account:           accountID,
		Targets:           targets,
		Cidr:              pa.Cidr,
		AvailabilityZones: pa.AvailabilityZones,
	}
	if pa.VpcID != "" {
		ids, zones := pa.SubnetIDs()
		props.Cidr = ""
		props.ExistingVpc = &privateaccess.ExistingVpc{VpcID: pa.VpcID, SubnetIDs: ids, AvailabilityZones: zones, Cidr: pa.Cidr}
	}
	privateaccess.NewPrivateAccess(stack, "PrivateAccess", props)
}
