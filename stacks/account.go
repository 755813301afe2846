// Package stacks turns a topology into one CloudFormation stack per account, each
// holding that account's halves of every link, and works out the order in which the
// accounts deploy.
package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/topology"
)

// StackName returns the CloudFormation stack name of the account alias:
// Crosswire-[prefix-]alias.
func StackName(t *topology.Topology, alias string) string {
	if t.NamePrefix != "" {
		return fmt.Sprintf("Crosswire-%s-%s", t.NamePrefix, alias)
	}
	return "Crosswire-" + alias
}

// AccountStackProps configure the stack of one account.
type AccountStackProps struct {
	awscdk.StackProps
	// Topology is the validated topology.
	Topology *topology.Topology
	// Alias is the account whose halves of the links the stack holds.
	Alias string
}

// NewAccountStack builds the stack of one account: for every link the account takes
// part in, the half that belongs in this account. Env is set to the account and the
// topology's region unless props set it.
func NewAccountStack(scope constructs.Construct, id string, props *AccountStackProps) awscdk.Stack {
	t, alias := props.Topology, props.Alias
	accountID := t.AccountID(alias)
	if accountID == "" {
		panic(fmt.Errorf("stacks: account alias %q is not in topology %s", alias, t.Path))
	}
	sp := props.StackProps
	if sp.Env == nil {
		sp.Env = &awscdk.Environment{Account: jsii.String(accountID), Region: jsii.String(t.Region)}
	}
	if sp.StackName == nil {
		sp.StackName = jsii.String(StackName(t, alias))
	}
	if sp.Description == nil {
		sp.Description = jsii.String(fmt.Sprintf("Crosswire: the links of account %s (%s) in topology %s", alias, accountID, t.Path))
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	awscdk.Tags_Of(stack).Add(jsii.String("crosswire:account"), jsii.String(alias), nil)

	if !Active(t, alias) {
		// CloudFormation rejects a template without resources. An account that takes
		// part in no link yet still gets its stack, so that adding its first link is an
		// update; this no-op resource holds the place and costs nothing.
		awscdk.NewCfnResource(stack, jsii.String("NoLinksYet"), &awscdk.CfnResourceProps{
			Type: jsii.String("AWS::CloudFormation::WaitConditionHandle"),
		})
	}
	for _, l := range t.Links {
		if !l.Involves(alias) {
			continue
		}
		switch l.Kind {
		case topology.KindQueue:
			if l.To[0] == alias {
				crossaccountqueue.NewReceiver(stack, l.Name, &crossaccountqueue.ReceiverProps{Link: *l.Queue})
			} else {
				crossaccountqueue.NewSender(stack, l.Name, &crossaccountqueue.SenderProps{Link: *l.Queue, Account: accountID})
			}
		}
	}
	return stack
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
