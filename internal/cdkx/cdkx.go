// Package cdkx holds the small CDK helpers every construct of this module shares:
// jsii conversions, principals that never need the other account's roles to exist,
// and cdk-nag suppressions with reasons.
package cdkx

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/iamcond"
)

// AppContext is the context every app of this module starts with; the CLI's context
// and cdk.json override it. It turns off the creation stack trace aws-cdk-lib records
// on every CloudFormation element and writes into each stack's metadata file: for a
// Go app it shows only "...jsii runtime, node internals...", never the Go code, and
// recording it is about 15% of the construction time at scale. (cdk.json may not hold
// "aws:" keys.)
func AppContext() map[string]any {
	return map[string]any{"aws:cdk:disable-creation-stack-traces": true}
}

// Seconds converts d to a CDK duration of whole seconds. Durations are immutable, so
// each value is created in the jsii runtime once and shared: every call into the
// runtime is a round trip to its Node process. Like every jsii object, the shared ones
// belong to one runtime: a program that calls jsii.Close and then builds constructs
// again must not use this package's shared objects (Seconds, Service, RememberStack).
func Seconds(d time.Duration) awscdk.Duration {
	if v, ok := durations.Load(d); ok {
		return v.(awscdk.Duration)
	}
	v, _ := durations.LoadOrStore(d, awscdk.Duration_Seconds(jsii.Number(d.Seconds())))
	return v.(awscdk.Duration)
}

var durations sync.Map // time.Duration -> awscdk.Duration

// Service returns the principal of the AWS service (for example
// sqs.amazonaws.com), created in the jsii runtime once and shared like Seconds:
// a principal without conditions is immutable.
func Service(name string) awsiam.IPrincipal {
	if v, ok := services.Load(name); ok {
		return v.(awsiam.IPrincipal)
	}
	v, _ := services.LoadOrStore(name, awsiam.NewServicePrincipal(jsii.String(name), nil))
	return v.(awsiam.IPrincipal)
}

var services sync.Map // string -> awsiam.IPrincipal

// Account returns the principal of the account id (its root), one per account, shared:
// a principal is no construct, and every call into the jsii runtime is a round trip.
func Account(id string) awsiam.IPrincipal {
	if v, ok := accounts.Load(id); ok {
		return v.(awsiam.IPrincipal)
	}
	v, _ := accounts.LoadOrStore(id, awsiam.NewAccountPrincipal(jsii.String(id)))
	return v.(awsiam.IPrincipal)
}

var accounts sync.Map // account ID -> awsiam.IPrincipal

// Strings converts a Go string slice to the jsii form.
func Strings(s []string) *[]*string {
	out := make([]*string, len(s))
	for i := range s {
		out[i] = jsii.String(s[i])
	}
	return &out
}

// TrueOrNil converts a flag to the jsii form that leaves it unset when false, as
// CloudFormation templates leave a property at its default (FifoQueue, for example).
func TrueOrNil(b bool) *bool {
	if b {
		return jsii.Bool(true)
	}
	return nil
}

// Any converts a Go string slice to a jsii list of values, for policy conditions.
func Any(s []string) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = s[i]
	}
	return out
}

// Senders returns the principal that admits the named sender roles of other accounts
// without requiring them to exist yet: the accounts' root principals, narrowed to the
// roles by an ArnEquals aws:PrincipalArn condition. IAM and resource policies reject a
// role principal that does not exist, but an account principal always exists, so the
// stacks of the two accounts deploy in any order. With no roles, the accounts as a
// whole are admitted.
func Senders(accounts, roleArns []string) awsiam.IPrincipal {
	principals := make([]awsiam.IPrincipal, len(accounts))
	for i, a := range accounts {
		principals[i] = Account(a)
	}
	var p awsiam.IPrincipal
	if len(principals) == 1 {
		p = principals[0]
	} else {
		p = awsiam.NewCompositePrincipal(principals...)
	}
	if len(roleArns) == 0 {
		return p
	}
	cond := iamcond.RoleCondition(accounts, roleArns)
	return awsiam.NewPrincipalWithConditions(p, &cond)
}

// Organization returns the principal that admits every principal of the AWS
// Organization orgID (Principal "*" with an aws:PrincipalOrgID condition).
func Organization(orgID string) awsiam.IPrincipal {
	return awsiam.NewOrganizationPrincipal(jsii.String(orgID))
}

// Suppression is one cdk-nag rule that a construct deliberately does not follow, with
// the reason a reviewer can check.
type Suppression struct {
	ID        string
	Reason    string
	AppliesTo []string
}

// Suppress records suppressions on c and its children.
func Suppress(c constructs.IConstruct, s ...Suppression) {
	list := make([]*cdknag.NagPackSuppression, len(s))
	for i, x := range s {
		n := &cdknag.NagPackSuppression{Id: jsii.String(x.ID), Reason: jsii.String(x.Reason)}
		if len(x.AppliesTo) > 0 {
			applies := make([]any, len(x.AppliesTo))
			for j := range x.AppliesTo {
				applies[j] = x.AppliesTo[j]
			}
			n.AppliesTo = &applies
		}
		list[i] = n
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &list, jsii.Bool(true))
}

// CheckStackEnv panics when scope's stack is pinned to another account or region than
// what (for example "the receiver half of link invoices") belongs in, and when the
// stack has no account or region at all (Env unset) unless agnostic: a half built
// for an environment-agnostic template on purpose says so with its props'
// EnvironmentAgnostic. pkg prefixes the message.
func CheckStackEnv(scope constructs.Construct, pkg, what, account, region string, agnostic bool) {
	e := envOf(scope)
	if !agnostic && (isToken(e.account) || isToken(e.region)) {
		panic(fmt.Errorf("%s: %s belongs in account %s and region %s, but stack %s has no account or region (its Env is unset), so that cannot be checked: "+
			"give the stack Env: &awscdk.Environment{Account: jsii.String(%q), Region: jsii.String(%q)}, "+
			"or set EnvironmentAgnostic in the half's props to build it for an environment-agnostic template on purpose",
			pkg, what, account, region, e.name, account, region))
	}
	if !isToken(e.account) && e.account != account {
		panic(fmt.Errorf("%s: %s belongs in account %s, but stack %s is in account %s", pkg, what, account, e.name, e.account))
	}
	if !isToken(e.region) && e.region != region {
		panic(fmt.Errorf("%s: %s belongs in region %s, but stack %s is in region %s", pkg, what, region, e.name, e.region))
	}
}

// RememberStack records the account, region and name of stack, which its creator
// knows, so that constructs built directly in it need not ask the jsii runtime.
func RememberStack(stack awscdk.Stack, account, region, name string) {
	stackEnvs.Store(constructs.Construct(stack), stackEnv{account: account, region: region, name: name})
}

// StackAccount returns the account of scope's stack, which may be a token.
func StackAccount(scope constructs.Construct) string { return envOf(scope).account }

// stackEnv is what the constructs ask of their stack, read once per scope: every call
// into the jsii runtime costs a round trip, and a topology builds thousands of halves.
type stackEnv struct{ account, region, name string }

var stackEnvs sync.Map // constructs.Construct -> stackEnv

func envOf(scope constructs.Construct) stackEnv {
	if e, ok := stackEnvs.Load(scope); ok {
		return e.(stackEnv)
	}
	stack := awscdk.Stack_Of(scope)
	e := stackEnv{account: *stack.Account(), region: *stack.Region(), name: *stack.StackName()}
	stackEnvs.Store(scope, e)
	return e
}

// isToken reports whether s is an unresolved CDK token (such as the account of a
// stack without env), which the jsii runtime renders as ${Token[...]}.
func isToken(s string) bool { return strings.Contains(s, "${Token[") }

// TrustAccounts replaces the trust policy of role with one statement that lets the
// principals of accounts assume it, narrowed to roleArns (iamcond.RoleCondition) when given,
// with the conditions of extra (operator to key to value) added. CDK writes one
// statement per account for a role assumed by several accounts; one statement keeps
// the trust policy, whose quota is 2,048 characters, from growing by a statement per
// account. The override replaces the whole document: statements added to the role's
// trust later, through AssumeRolePolicy, are not deployed.
func TrustAccounts(role awsiam.Role, region string, accounts, roleArns []string, extra map[string]map[string]any) {
	principals := make([]any, len(accounts))
	for i, a := range accounts {
		principals[i] = awsarn.AccountRoot(region, a)
	}
	cond := map[string]any{}
	if len(roleArns) > 0 {
		cond = iamcond.RoleCondition(accounts, roleArns)
	}
	for op, kv := range extra {
		m, _ := cond[op].(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		for k, v := range kv {
			m[k] = v
		}
		cond[op] = m
	}
	statement := map[string]any{
		"Effect":    "Allow",
		"Action":    "sts:AssumeRole",
		"Principal": map[string]any{"AWS": principals},
	}
	if len(cond) > 0 {
		statement["Condition"] = cond
	}
	cfn := role.Node().DefaultChild().(awsiam.CfnRole)
	cfn.AddPropertyOverride(jsii.String("AssumeRolePolicyDocument"), map[string]any{
		"Version":   "2012-10-17",
		"Statement": []any{statement},
	})
}
