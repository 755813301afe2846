// Package privateaccess gives the producers of a sender account that run in a VPC
// without internet access a private way to their links: interface VPC endpoints for
// SQS (and for STS when a link's access is assume-role) with private DNS, reachable on
// HTTPS from the VPC only, whose endpoint policies allow exactly what the account's
// links need and nothing else. The VPC is created (isolated subnets in two
// availability zones, no NAT, no internet gateway, flow logs) or an existing one is
// named by IDs; nothing is looked up at synth, so synth needs no AWS credentials.
package privateaccess

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/linkkind"
)

// Defaults of PrivateAccessProps.
const (
	// DefaultCidr is the address range of a created VPC.
	DefaultCidr = "10.0.0.0/16"
	// DefaultFlowLogRetention is how long the flow logs of a created VPC are kept.
	DefaultFlowLogRetention = awslogs.RetentionDays_ONE_YEAR
)

// Actions the endpoint policies allow: what senders need, nothing else.
var (
	sendActions   = []string{"sqs:SendMessage"}
	assumeActions = []string{"sts:AssumeRole"}
)

// Queue is a queue in another account that the account's producers send to.
type Queue struct {
	// Arn of the queue. It is in another account: it is named by ARN.
	Arn string
	// AccessRoleArn is the role in the queue's account that the producers assume to
	// send (a link with access: assume-role); SQS then sees that role as the caller.
	// Default: none, the producers send as principals of their own account.
	AccessRoleArn string
}

// QueuesOf returns the queues that account sends to through links, in link order:
// those of the links that list it among their SenderAccounts.
func QueuesOf(account string, links ...crossaccountqueue.Link) []Queue {
	var out []Queue
	for _, l := range links {
		if !slices.Contains(l.SenderAccounts, account) {
			continue
		}
		l = l.WithDefaults()
		q := Queue{Arn: l.QueueArn()}
		if l.Access == crossaccountqueue.AccessAssumeRole {
			q.AccessRoleArn = l.AccessRoleArn()
		}
		out = append(out, q)
	}
	return out
}

// ExistingVpc names a VPC that already exists. Nothing is looked up: every ID is
// given.
type ExistingVpc struct {
	// VpcID is the VPC's ID (vpc-...). The VPC must have DNS support and DNS hostnames
	// enabled for private DNS, and no other SQS or STS interface endpoint with private
	// DNS.
	VpcID string
	// SubnetIDs are the subnets that get an endpoint network interface, at most one per
	// availability zone; two or more zones keep the endpoints up when one zone fails.
	SubnetIDs []string
	// AvailabilityZones of SubnetIDs, in the same order, such as ap-northeast-1a.
	AvailabilityZones []string
	// Cidr is the address range admitted to the endpoints on TCP 443, normally the
	// VPC's CIDR. Default: none; the endpoints admit only ClientSecurityGroup, which
	// the producers must use.
	Cidr string
}

// PrivateAccessProps configure PrivateAccess.
type PrivateAccessProps struct {
	// Account is the sender account; the endpoint policies admit only its principals
	// (aws:PrincipalAccount) and the access roles they assume.
	// Default: the account of the enclosing stack, which must then be concrete.
	Account string
	// Queues are the queues the account's producers send to; see QueuesOf.
	// Default: none. Queues and Targets together name at least one resource.
	Queues []Queue
	// Targets are what the account's producers reach in other accounts, as the kinds
	// of its links say (linkkind.PrivateSender): one interface endpoint per service,
	// whose policy allows each target's actions on its resource only, plus an STS
	// endpoint when a target is reached through a role to assume. Default: none.
	Targets []linkkind.PrivateTarget
	// ExistingVpc is the VPC the producers run in.
	// Default: a new VPC with isolated subnets in two availability zones, no NAT and
	// no internet gateway, and flow logs.
	ExistingVpc *ExistingVpc
	// Cidr is the address range of a created VPC, /16 to /26; its first two quarters
	// become the subnets. Not with ExistingVpc. Default: DefaultCidr.
	Cidr string
	// AvailabilityZones are the two zones of a created VPC. Not with ExistingVpc.
	// Default: DefaultAvailabilityZones of the stack's region.
	AvailabilityZones []string
	// FlowLogRetention is how long the flow logs of a created VPC are kept.
	// Default: DefaultFlowLogRetention.
	FlowLogRetention awslogs.RetentionDays
}

// PrivateAccess is the private way of one sender account's producers to their links.
type PrivateAccess struct {
	constructs.Construct
	// Account is the sender account.
	Account string
	// Vpc is the VPC of the producers, created or imported.
	Vpc awsec2.IVpc
	// Resource is the created VPC; nil with ExistingVpc.
	Resource awsec2.CfnVPC
	// Subnets hold the endpoints' network interfaces.
	Subnets []awsec2.ISubnet
	// SecurityGroup of the endpoints: TCP 443 in from the VPC's range (or from
	// ClientSecurityGroup), nothing out.
	SecurityGroup awsec2.SecurityGroup
	// ClientSecurityGroup is for the producers to use when the ExistingVpc has no Cidr:
	// it may reach the endpoints on TCP 443 and nothing else. nil otherwise.
	ClientSecurityGroup awsec2.SecurityGroup
	// Endpoints are the interface endpoints of the targets' services, by service name
	// (sqs, ...). Each policy allows only the targets' actions on their resources;
	// extend it with AddToPolicy if the VPC does more with the service.
	Endpoints map[string]awsec2.InterfaceVpcEndpoint
	// SqsEndpoint is Endpoints["sqs"], the SQS interface endpoint; nil without one.
	SqsEndpoint awsec2.InterfaceVpcEndpoint
	// StsEndpoint is the STS interface endpoint, whose policy allows only
	// sts:AssumeRole of the queues' access roles; nil when no queue has one.
	StsEndpoint awsec2.InterfaceVpcEndpoint
	// FlowLog records all traffic of a created VPC to FlowLogGroup; nil with
	// ExistingVpc.
	FlowLog awsec2.FlowLog
	// FlowLogGroup holds the flow logs, kept for FlowLogRetention and retained when the
	// stack is deleted; nil with ExistingVpc.
	FlowLogGroup awslogs.LogGroup
}

// SqsEndpointID returns the ID (vpce-...) of the SQS endpoint, the value of an
// aws:SourceVpce condition in the receivers' policies, or nil when there is none.
func (p *PrivateAccess) SqsEndpointID() *string { return p.EndpointID("sqs") }

// EndpointID returns the ID (vpce-...) of the endpoint of service, or nil when there
// is none.
func (p *PrivateAccess) EndpointID(service string) *string {
	e, ok := p.Endpoints[service]
	if !ok {
		return nil
	}
	return e.VpcEndpointId()
}

// StsEndpointID returns the ID of the STS endpoint, or nil when there is none.
func (p *PrivateAccess) StsEndpointID() *string {
	if p.StsEndpoint == nil {
		return nil
	}
	return p.StsEndpoint.VpcEndpointId()
}

// DefaultAvailabilityZones returns the two availability zones a created VPC uses in
// region: <region>a and <region>b, except where accounts commonly lack the b zone
// (ap-northeast-1, whose b zone new accounts do not get: a and c). Zone names map to
// different physical zones per account and not every account has every zone: give
// AvailabilityZones when yours differ.
func DefaultAvailabilityZones(region string) []string {
	switch region {
	case "ap-northeast-1":
		return []string{region + "a", region + "c"}
	default:
		return []string{region + "a", region + "b"}
	}
}

// NewPrivateAccess builds the private way of props.Account's producers in scope,
// which must belong to a stack of that account. It panics with every problem of props
// at once.
func NewPrivateAccess(scope constructs.Construct, id string, props *PrivateAccessProps) *PrivateAccess {
	if props == nil {
		panic(fmt.Errorf("privateaccess: %q needs props with the queues to send to", id))
	}
	stack := awscdk.Stack_Of(scope)
	region := concrete(stack.Region())
	p := *props
	if p.Account == "" {
		p.Account = concrete(stack.Account())
	}
	if p.ExistingVpc == nil {
		if p.Cidr == "" {
			p.Cidr = DefaultCidr
		}
		if len(p.AvailabilityZones) == 0 && region != "" {
			p.AvailabilityZones = DefaultAvailabilityZones(region)
		}
	}
	if p.FlowLogRetention == "" {
		p.FlowLogRetention = DefaultFlowLogRetention
	}
	var subnetCidrs []string
	if err := validate(p, region, concrete(stack.Account()), &subnetCidrs); err != nil {
		panic(fmt.Errorf("privateaccess: %q: %w", id, err))
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	a := &PrivateAccess{Construct: c, Account: p.Account}
	cidr := p.Cidr
	if p.ExistingVpc == nil {
		a.createVpc(c, p, subnetCidrs)
	} else {
		cidr = p.ExistingVpc.Cidr
		// The endpoints need only the subnets' IDs and zones; nothing here routes.
		awscdk.Annotations_Of(c).AcknowledgeWarning(jsii.String("@aws-cdk/aws-ec2:noSubnetRouteTableId"),
			jsii.String("the endpoints use only the IDs and zones of the existing subnets, never their route tables"))
		a.Vpc = awsec2.Vpc_FromVpcAttributes(c, jsii.String("Vpc"), &awsec2.VpcAttributes{
			VpcId:             jsii.String(p.ExistingVpc.VpcID),
			AvailabilityZones: cdkx.Strings(p.ExistingVpc.AvailabilityZones),
			IsolatedSubnetIds: cdkx.Strings(p.ExistingVpc.SubnetIDs),
		})
	}
	a.Subnets = *a.Vpc.IsolatedSubnets()

	a.SecurityGroup = awsec2.NewSecurityGroup(c, jsii.String("EndpointSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              a.Vpc,
		Description:      jsii.String("Interface endpoints of the links of the producers: HTTPS in from the producers only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	if cidr != "" {
		a.SecurityGroup.AddIngressRule(awsec2.Peer_Ipv4(jsii.String(cidr)), awsec2.Port_Tcp(jsii.Number(443)),
			jsii.String("HTTPS from the producers' VPC"), nil)
	} else {
		a.ClientSecurityGroup = awsec2.NewSecurityGroup(c, jsii.String("ClientSecurityGroup"), &awsec2.SecurityGroupProps{
			Vpc:              a.Vpc,
			Description:      jsii.String("Producers of the links: HTTPS out to the link endpoints only"),
			AllowAllOutbound: jsii.Bool(false),
		})
		a.SecurityGroup.Connections().AllowFrom(a.ClientSecurityGroup, awsec2.Port_Tcp(jsii.Number(443)),
			jsii.String("HTTPS from the producers to the link endpoints"))
	}

	targets := append(queueTargets(p.Queues), p.Targets...)
	a.Endpoints = map[string]awsec2.InterfaceVpcEndpoint{}
	for _, svc := range services(targets) {
		id := strings.ToUpper(svc[:1]) + svc[1:]
		e := a.endpoint(c, id+"Endpoint", awsec2.NewInterfaceVpcEndpointAwsService(jsii.String(svc), nil, nil, nil))
		for _, st := range endpointStatements(p.Account, svc, targets) {
			e.AddToPolicy(st)
		}
		a.Endpoints[svc] = e
		awscdk.NewCfnOutput(c, jsii.String(id+"EndpointId"), &awscdk.CfnOutputProps{
			Value:       e.VpcEndpointId(),
			Description: jsii.String(fmt.Sprintf("%s interface endpoint of the producers of account %s, for aws:SourceVpce conditions", strings.ToUpper(svc), p.Account)),
		})
	}
	a.SqsEndpoint = a.Endpoints["sqs"]
	if roles := accessRoles(targets); len(roles) > 0 {
		a.StsEndpoint = a.endpoint(c, "StsEndpoint", awsec2.InterfaceVpcEndpointAwsService_STS())
		a.StsEndpoint.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AssumeLinkAccessRoles"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    cdkx.Strings(assumeActions),
			Resources:  cdkx.Strings(roles),
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": p.Account}},
		}))
		awscdk.NewCfnOutput(c, jsii.String("StsEndpointId"), &awscdk.CfnOutputProps{
			Value:       a.StsEndpointID(),
			Description: jsii.String(fmt.Sprintf("STS interface endpoint of the producers of account %s, for aws:SourceVpce conditions", p.Account)),
		})
	}
	return a
}

// createVpc creates the VPC from CloudFormation resources: the CDK's Vpc construct
// reads the stack's availability zones even when it is given its own, which in a stack
// of a concrete account and region is a context lookup that needs AWS credentials.
func (a *PrivateAccess) createVpc(c constructs.Construct, p PrivateAccessProps, subnetCidrs []string) {
	path := *c.Node().Path()
	awscdk.Validations_Of(c).Acknowledge(&awscdk.Acknowledgment{
		Id: jsii.String("CloudFormation-Validate::W3010"),
		Reason: jsii.String("the subnets name their availability zones on purpose: a lookup of the account's zones would need " +
			"AWS credentials at synth; AvailabilityZones overrides the defaults where an account lacks a zone"),
	})
	a.Resource = awsec2.NewCfnVPC(c, jsii.String("Resource"), &awsec2.CfnVPCProps{
		CidrBlock:          jsii.String(p.Cidr),
		EnableDnsSupport:   jsii.Bool(true), // both needed by the endpoints' private DNS
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(path)}},
	})
	var subnetIDs, routeTableIDs []*string
	for i, az := range p.AvailabilityZones {
		n := fmt.Sprintf("Isolated%d", i+1)
		subnet := awsec2.NewCfnSubnet(c, jsii.String(n+"Subnet"), &awsec2.CfnSubnetProps{
			VpcId:               a.Resource.Ref(),
			AvailabilityZone:    jsii.String(az),
			CidrBlock:           jsii.String(subnetCidrs[i]),
			MapPublicIpOnLaunch: jsii.Bool(false),
			Tags:                &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(path + "/" + n)}},
		})
		// A route table of its own, with only the implicit local route: nothing that
		// is added to the VPC's main route table later reaches these subnets.
		rt := awsec2.NewCfnRouteTable(c, jsii.String(n+"RouteTable"), &awsec2.CfnRouteTableProps{
			VpcId: a.Resource.Ref(),
			Tags:  &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(path + "/" + n)}},
		})
		awsec2.NewCfnSubnetRouteTableAssociation(c, jsii.String(n+"RouteTableAssociation"), &awsec2.CfnSubnetRouteTableAssociationProps{
			SubnetId:     subnet.Ref(),
			RouteTableId: rt.Ref(),
		})
		subnetIDs = append(subnetIDs, subnet.Ref())
		routeTableIDs = append(routeTableIDs, rt.Ref())
	}
	a.Vpc = awsec2.Vpc_FromVpcAttributes(c, jsii.String("Vpc"), &awsec2.VpcAttributes{
		VpcId:                       a.Resource.Ref(),
		VpcCidrBlock:                jsii.String(p.Cidr),
		AvailabilityZones:           cdkx.Strings(p.AvailabilityZones),
		IsolatedSubnetIds:           &subnetIDs,
		IsolatedSubnetRouteTableIds: &routeTableIDs,
	})
	a.FlowLogGroup = awslogs.NewLogGroup(c, jsii.String("FlowLogGroup"), &awslogs.LogGroupProps{
		Retention:     p.FlowLogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	a.FlowLog = awsec2.NewFlowLog(c, jsii.String("FlowLog"), &awsec2.FlowLogProps{
		ResourceType: awsec2.FlowLogResourceType_FromVpc(a.Vpc),
		Destination:  awsec2.FlowLogDestination_ToCloudWatchLogs(a.FlowLogGroup, nil),
		TrafficType:  awsec2.FlowLogTrafficType_ALL,
	})
}

// endpoint creates an interface endpoint of service with private DNS in the subnets,
// behind the endpoint security group.
func (a *PrivateAccess) endpoint(c constructs.Construct, id string, service awsec2.IInterfaceVpcEndpointService) awsec2.InterfaceVpcEndpoint {
	return awsec2.NewInterfaceVpcEndpoint(c, jsii.String(id), &awsec2.InterfaceVpcEndpointProps{
		Vpc:               a.Vpc,
		Service:           service,
		PrivateDnsEnabled: jsii.Bool(true),
		Subnets:           &awsec2.SubnetSelection{Subnets: &a.Subnets},
		SecurityGroups:    &[]awsec2.ISecurityGroup{a.SecurityGroup},
		// The security group's rules are this construct's; Open would add its own.
		Open: jsii.Bool(false),
	})
}

// queueTargets returns the targets of queues: sqs:SendMessage on each.
func queueTargets(queues []Queue) []linkkind.PrivateTarget {
	var out []linkkind.PrivateTarget
	for _, q := range queues {
		out = append(out, linkkind.PrivateTarget{Service: "sqs", Actions: sendActions, Resource: q.Arn, AssumeRoleArn: q.AccessRoleArn})
	}
	return out
}

// services returns the distinct services of targets, in order.
func services(targets []linkkind.PrivateTarget) []string {
	var out []string
	for _, t := range targets {
		if !slices.Contains(out, t.Service) {
			out = append(out, t.Service)
		}
	}
	return out
}

// endpointStatements are the policy of the endpoint of service: its targets' actions
// on the resources the account's own principals reach, and for each access role on
// the resources it reaches (the service sees the assumed role, a principal of the
// resource's account).
func endpointStatements(account, service string, targets []linkkind.PrivateTarget) []awsiam.PolicyStatement {
	var own, ownActions []string
	byRole := map[string][]string{}
	roleActions := map[string][]string{}
	var roles []string
	for _, t := range targets {
		if t.Service != service {
			continue
		}
		if t.AssumeRoleArn == "" {
			own = append(own, t.Resource)
			ownActions = union(ownActions, t.Actions)
			continue
		}
		if _, seen := byRole[t.AssumeRoleArn]; !seen {
			roles = append(roles, t.AssumeRoleArn)
		}
		byRole[t.AssumeRoleArn] = append(byRole[t.AssumeRoleArn], t.Resource)
		roleActions[t.AssumeRoleArn] = union(roleActions[t.AssumeRoleArn], t.Actions)
	}
	var out []awsiam.PolicyStatement
	if len(own) > 0 {
		out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("SendAsThisAccount"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    cdkx.Strings(ownActions),
			Resources:  cdkx.Strings(own),
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": account}},
		}))
	}
	for i, role := range roles {
		out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(fmt.Sprintf("SendAsAccessRole%d", i+1)),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    cdkx.Strings(roleActions[role]),
			Resources:  cdkx.Strings(byRole[role]),
			Conditions: &map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": role}},
		}))
	}
	return out
}

// union returns a with the elements of b it lacks appended, in order.
func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// accessRoles returns the distinct roles to assume of targets, in order.
func accessRoles(targets []linkkind.PrivateTarget) []string {
	var out []string
	for _, t := range targets {
		if t.AssumeRoleArn != "" && !slices.Contains(out, t.AssumeRoleArn) {
			out = append(out, t.AssumeRoleArn)
		}
	}
	return out
}

// concrete returns *s, or "" when it is an unresolved token.
func concrete(s *string) string {
	if s == nil || *awscdk.Token_IsUnresolved(s) {
		return ""
	}
	return *s
}

var (
	anyARN   = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):[a-z0-9-]+:([a-z0-9-]+):([0-9]{12}):.+$`)
	queueARN = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):sqs:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,75}(?:\.fifo)?)$`)
	azName   = regexp.MustCompile(`^([a-z]{2}(?:-gov)?-[a-z]+-[0-9]{1,2})[a-z]$`)
)

// validate reports every problem of p at once; region and stackAccount are "" when
// the stack's are unresolved. It sets the subnet ranges of a created VPC.
func validate(p PrivateAccessProps, region, stackAccount string, subnetCidrs *[]string) error {
	var l problem.List
	switch {
	case p.Account == "":
		l.Addf(0, "Account", "the stack has no concrete account; give Account")
	case !awsarn.IsAccountID(p.Account):
		l.Addf(0, "Account", "account %q must be 12 digits", p.Account)
	case stackAccount != "" && stackAccount != p.Account:
		l.Addf(0, "Account", "account %q is not the stack's account %s: the endpoints belong in the sender account's stack", p.Account, stackAccount)
	}
	if len(p.Queues) == 0 && len(p.Targets) == 0 {
		l.Addf(0, "Queues", "nothing to reach: give the queues of the account's links (see QueuesOf), or Targets")
	}
	for i, t := range p.Targets {
		where := fmt.Sprintf("Targets[%d]", i)
		m := anyARN.FindStringSubmatch(t.Resource)
		switch {
		case t.Service == "" || len(t.Actions) == 0:
			l.Addf(0, where, "target %q needs a Service and Actions", t.Resource)
		case m == nil:
			l.Addf(0, where, "%q is not an ARN (arn:aws:<service>:<region>:<12 digits>:<resource>)", t.Resource)
		case region != "" && m[2] != region:
			l.Addf(0, where, "%q is in region %s; an interface endpoint serves only its own region %s", t.Resource, m[2], region)
		}
	}
	seen := map[string]bool{}
	for i, q := range p.Queues {
		where := fmt.Sprintf("Queues[%d]", i)
		m := queueARN.FindStringSubmatch(q.Arn)
		switch {
		case m == nil:
			l.Addf(0, where, "%q is not an SQS queue ARN (arn:aws:sqs:<region>:<12 digits>:<name>)", q.Arn)
		case seen[q.Arn]:
			l.Addf(0, where, "queue %q is listed twice", q.Arn)
		case region != "" && m[2] != region:
			l.Addf(0, where, "queue %q is in region %s; an interface endpoint serves only its own region %s", q.Arn, m[2], region)
		case region != "" && m[1] != awsarn.Partition(region):
			l.Addf(0, where, "queue %q is in partition %s, not in %s of region %s", q.Arn, m[1], awsarn.Partition(region), region)
		}
		seen[q.Arn] = true
		if q.AccessRoleArn != "" {
			r, err := awsarn.ParseRole(q.AccessRoleArn)
			switch {
			case err != nil:
				l.Addf(0, where+".AccessRoleArn", "%v", err)
			case m != nil && r.Account != m[3]:
				l.Addf(0, where+".AccessRoleArn", "access role %q is in account %s, not in the queue's account %s", q.AccessRoleArn, r.Account, m[3])
			}
		}
	}
	if e := p.ExistingVpc; e != nil {
		if p.Cidr != "" || len(p.AvailabilityZones) > 0 {
			l.Addf(0, "ExistingVpc", "Cidr and AvailabilityZones are for a created VPC; give the range as ExistingVpc.Cidr")
		}
		if !awsarn.IsVPCID(e.VpcID) {
			l.Addf(0, "ExistingVpc.VpcID", "VPC ID %q must look like vpc-0123456789abcdef0", e.VpcID)
		}
		if len(e.SubnetIDs) == 0 {
			l.Addf(0, "ExistingVpc.SubnetIDs", "no subnet: give one subnet per availability zone for the endpoints")
		}
		for _, s := range e.SubnetIDs {
			if !awsarn.IsSubnetID(s) {
				l.Addf(0, "ExistingVpc.SubnetIDs", "subnet ID %q must look like subnet-0123456789abcdef0", s)
			}
		}
		if len(e.AvailabilityZones) != len(e.SubnetIDs) {
			l.Addf(0, "ExistingVpc.AvailabilityZones", "%d availability zones for %d subnets: give the zone of each subnet, in order", len(e.AvailabilityZones), len(e.SubnetIDs))
		}
		checkZones(&l, "ExistingVpc.AvailabilityZones", e.AvailabilityZones, region)
		if e.Cidr != "" {
			if _, err := parseCidr(e.Cidr, 0, 32); err != nil {
				l.Addf(0, "ExistingVpc.Cidr", "%v", err)
			}
		}
	} else {
		if len(p.AvailabilityZones) != 2 {
			l.Addf(0, "AvailabilityZones", "a created VPC spans exactly 2 availability zones, not %d (%v)", len(p.AvailabilityZones), p.AvailabilityZones)
		}
		checkZones(&l, "AvailabilityZones", p.AvailabilityZones, region)
		if prefix, err := parseCidr(p.Cidr, 16, 26); err != nil {
			l.Addf(0, "Cidr", "%v", err)
		} else {
			*subnetCidrs = quarters(prefix)
		}
	}
	return l.Err("")
}

func checkZones(l *problem.List, where string, zones []string, region string) {
	seen := map[string]bool{}
	for _, z := range zones {
		m := azName.FindStringSubmatch(z)
		switch {
		case m == nil:
			l.Addf(0, where, "%q is not an availability zone name such as ap-northeast-1a", z)
		case region != "" && m[1] != region:
			l.Addf(0, where, "availability zone %q is not in the stack's region %s", z, region)
		case seen[z]:
			l.Addf(0, where, "availability zone %q is listed twice; an endpoint takes one subnet per zone", z)
		}
		seen[z] = true
	}
}

// parseCidr parses an IPv4 range whose prefix length is between lo and hi and that has
// no host bits set.
func parseCidr(s string, lo, hi int) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !p.Addr().Is4():
		return p, fmt.Errorf("%q is not an IPv4 range such as 10.0.0.0/16", s)
	case p.Bits() < lo || p.Bits() > hi:
		return p, fmt.Errorf("range %q must be /%d to /%d", s, lo, hi)
	case p.Masked() != p:
		return p, fmt.Errorf("range %q has host bits set; did you mean %s?", s, p.Masked())
	}
	return p, nil
}

// quarters returns the first two quarters of p: the subnets of a created VPC, which
// leave the other half for later.
func quarters(p netip.Prefix) []string {
	bits := p.Bits() + 2
	base := p.Addr().As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	size := uint32(1) << (32 - bits)
	out := make([]string, 2)
	for i := range out {
		v := n + uint32(i)*size
		a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
		out[i] = netip.PrefixFrom(a, bits).String()
	}
	return out
}
