package privateaccess_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/constructs/privateaccess"
	"github.com/crosswire/crosswire/internal/cdktest"
)

const (
	orders    = "111111111111"
	billing   = "222222222222"
	analytics = "333333333333"
	region    = "ap-northeast-1"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

var (
	invoices = crossaccountqueue.Link{Name: "invoices", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders, analytics}}
	refunds  = crossaccountqueue.Link{Name: "refunds", Region: region, ReceiverAccount: billing, SenderAccounts: []string{orders},
		Options: crossaccountqueue.Options{Fifo: true, Access: crossaccountqueue.AccessAssumeRole}}
	invoicesArn = "arn:aws:sqs:ap-northeast-1:222222222222:invoices"
	refundsArn  = "arn:aws:sqs:ap-northeast-1:222222222222:refunds.fifo"
	refundsRole = "arn:aws:iam::222222222222:role/refunds-access"
)

// scenarios are synthesized once, in one app with cdk-nag's AwsSolutions checks:
// created: orders gets a new VPC for invoices (queue-policy) and refunds (assume-role);
// existing: analytics names its VPC and its range, for invoices only;
// noCidr: analytics names its VPC without a range, so producers use a client group.
type synthesized struct {
	stacks  map[string]awscdk.Stack
	tmpls   map[string]cdktest.Tmpl
	access  map[string]*privateaccess.PrivateAccess
	missing []string
}

var shared *synthesized

func synth(t *testing.T) *synthesized {
	t.Helper()
	if shared != nil {
		return shared
	}
	app := cdktest.NewApp(t, "")
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	s := &synthesized{stacks: map[string]awscdk.Stack{}, tmpls: map[string]cdktest.Tmpl{}, access: map[string]*privateaccess.PrivateAccess{}}
	stack := func(name, account string) awscdk.Stack {
		st := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
		s.stacks[name] = st
		return st
	}
	links := []crossaccountqueue.Link{invoices, refunds}
	s.access["created"] = privateaccess.NewPrivateAccess(stack("created", orders), "PrivateAccess", &privateaccess.PrivateAccessProps{
		Queues: privateaccess.QueuesOf(orders, links...),
	})
	s.access["existing"] = privateaccess.NewPrivateAccess(stack("existing", analytics), "PrivateAccess", &privateaccess.PrivateAccessProps{
		Queues: privateaccess.QueuesOf(analytics, links...),
		ExistingVpc: &privateaccess.ExistingVpc{
			VpcID:             "vpc-0123456789abcdef0",
			SubnetIDs:         []string{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"},
			AvailabilityZones: []string{"ap-northeast-1a", "ap-northeast-1c"},
			Cidr:              "172.16.0.0/20",
		},
	})
	s.access["noCidr"] = privateaccess.NewPrivateAccess(stack("noCidr", analytics), "PrivateAccess", &privateaccess.PrivateAccessProps{
		Queues: privateaccess.QueuesOf(analytics, links...),
		ExistingVpc: &privateaccess.ExistingVpc{
			VpcID:             "vpc-0123456789abcdef0",
			SubnetIDs:         []string{"subnet-0aaaaaaaaaaaaaaaa"},
			AvailabilityZones: []string{"ap-northeast-1d"},
		},
	})
	asm := app.Synth(nil)
	// The manifest is read as JSON: aws-cdk-go's typed manifest cannot represent
	// every artifact of a newer cloud assembly schema.
	raw, err := os.ReadFile(filepath.Join(*asm.Directory(), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Missing []struct {
			Key string `json:"key"`
		} `json:"missing"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, x := range manifest.Missing {
		s.missing = append(s.missing, x.Key)
	}
	for name, st := range s.stacks {
		s.tmpls[name] = cdktest.Template(t, st)
	}
	shared = s
	return s
}

func refOf(r cdktest.Resource) string { return cdktest.JSON(map[string]any{"Ref": r.LogicalID}) }

func TestSynthNeedsNoCredentials(t *testing.T) {
	// GIVEN stacks of concrete accounts and a region
	s := synth(t)
	// WHEN the app is synthesized
	// THEN no context lookup was requested: `cdk synth` needs no AWS credentials
	if len(s.missing) > 0 {
		t.Errorf("synth requested lookups %v", s.missing)
	}
}

func TestCreatedVpcIsIsolated(t *testing.T) {
	// GIVEN orders' private access with a created VPC
	tpl := synth(t).tmpls["created"]

	// THEN there is one VPC with DNS support and hostnames (needed by private DNS)
	vpc := tpl.One(t, "AWS::EC2::VPC", map[string]any{"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": true, "EnableDnsHostnames": true})
	// AND two subnets of it in two explicit zones, without public addresses
	subnets := tpl.Resources("AWS::EC2::Subnet")
	var got []string
	for _, sn := range subnets {
		p := sn.Props()
		if cdktest.JSON(p["VpcId"]) != refOf(vpc) || p["MapPublicIpOnLaunch"] != false {
			t.Errorf("subnet %s: %s", sn.LogicalID, cdktest.JSON(p))
		}
		got = append(got, p["AvailabilityZone"].(string)+" "+p["CidrBlock"].(string))
	}
	slices.Sort(got)
	if want := []string{"ap-northeast-1a 10.0.0.0/18", "ap-northeast-1c 10.0.64.0/18"}; !slices.Equal(got, want) {
		t.Errorf("subnets %v, want %v", got, want)
	}
	// AND each subnet has a route table of its own with no route at all (only the
	// implicit local one)
	if n := len(tpl.Resources("AWS::EC2::SubnetRouteTableAssociation")); n != 2 {
		t.Errorf("%d route table associations, want 2", n)
	}
	// AND nothing leads out of the VPC
	for _, typ := range []string{"AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::NatGateway", "AWS::EC2::EIP",
		"AWS::EC2::EgressOnlyInternetGateway", "AWS::EC2::Route", "AWS::EC2::TransitGatewayAttachment", "AWS::EC2::VPNGateway", "AWS::EC2::VPCPeeringConnection"} {
		if r := tpl.Resources(typ); len(r) > 0 {
			t.Errorf("found %d %s, want none", len(r), typ)
		}
	}
}

func TestCreatedVpcHasFlowLogs(t *testing.T) {
	// GIVEN orders' private access with a created VPC
	tpl := synth(t).tmpls["created"]
	vpc := tpl.Resources("AWS::EC2::VPC")[0]
	// THEN all its traffic is logged to a retained log group kept for a year
	group := tpl.One(t, "AWS::Logs::LogGroup", map[string]any{"RetentionInDays": 365})
	if group.Raw["DeletionPolicy"] != "Retain" {
		t.Errorf("log group DeletionPolicy %v, want Retain", group.Raw["DeletionPolicy"])
	}
	tpl.One(t, "AWS::EC2::FlowLog", map[string]any{
		"ResourceId": map[string]any{"Ref": vpc.LogicalID}, "ResourceType": "VPC", "TrafficType": "ALL",
		"LogDestinationType": "cloud-watch-logs", "LogGroupName": map[string]any{"Ref": group.LogicalID},
	})
}

func TestEndpointsHavePrivateDNSInTheSubnets(t *testing.T) {
	for _, tc := range []struct {
		stack    string
		services []string
		subnets  int
	}{
		{"created", []string{"com.amazonaws.ap-northeast-1.sqs", "com.amazonaws.ap-northeast-1.sts"}, 2},
		{"existing", []string{"com.amazonaws.ap-northeast-1.sqs"}, 2},
		{"noCidr", []string{"com.amazonaws.ap-northeast-1.sqs"}, 1},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			// GIVEN the private access of the scenario
			tpl := synth(t).tmpls[tc.stack]
			eps := tpl.Resources("AWS::EC2::VPCEndpoint")
			// THEN it has exactly the interface endpoints its links need (STS only for
			// assume-role links), with private DNS, in every subnet, behind the
			// endpoint security group
			var services []string
			for _, ep := range eps {
				p := ep.Props()
				services = append(services, p["ServiceName"].(string))
				if p["VpcEndpointType"] != "Interface" || p["PrivateDnsEnabled"] != true {
					t.Errorf("%s: type %v, private DNS %v", ep.LogicalID, p["VpcEndpointType"], p["PrivateDnsEnabled"])
				}
				if n := len(cdktest.List(p["SubnetIds"])); n != tc.subnets {
					t.Errorf("%s: %d subnets, want %d", ep.LogicalID, n, tc.subnets)
				}
				if sgs := cdktest.List(p["SecurityGroupIds"]); len(sgs) != 1 {
					t.Errorf("%s: security groups %v, want the endpoint group only", ep.LogicalID, sgs)
				}
			}
			slices.Sort(services)
			if !slices.Equal(services, tc.services) {
				t.Errorf("endpoints %v, want %v", services, tc.services)
			}
		})
	}
	// AND an existing VPC is named, not created
	tpl := synth(t).tmpls["existing"]
	for _, typ := range []string{"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::FlowLog"} {
		if n := len(tpl.Resources(typ)); n != 0 {
			t.Errorf("existing VPC: %d %s, want none", n, typ)
		}
	}
	ep := tpl.Resources("AWS::EC2::VPCEndpoint")[0].Props()
	if cdktest.JSON(ep["VpcId"]) != `"vpc-0123456789abcdef0"` || cdktest.JSON(ep["SubnetIds"]) != `["subnet-0aaaaaaaaaaaaaaaa","subnet-0bbbbbbbbbbbbbbbb"]` {
		t.Errorf("existing VPC endpoint in %s, subnets %s", cdktest.JSON(ep["VpcId"]), cdktest.JSON(ep["SubnetIds"]))
	}
}

// endpointPolicy returns the statements of the policy of the endpoint of service.
func endpointPolicy(t *testing.T, tpl cdktest.Tmpl, service string) []map[string]any {
	t.Helper()
	for _, ep := range tpl.Resources("AWS::EC2::VPCEndpoint") {
		if strings.HasSuffix(ep.Props()["ServiceName"].(string), "."+service) {
			return cdktest.Statements(ep.Props()["PolicyDocument"])
		}
	}
	t.Fatalf("no %s endpoint", service)
	return nil
}

func TestEndpointPoliciesAllowOnlyWhatSendersNeed(t *testing.T) {
	tpl := synth(t).tmpls["created"]
	t.Run("SQS", func(t *testing.T) {
		// GIVEN orders' SQS endpoint
		got := endpointPolicy(t, tpl, "sqs")
		// THEN it allows sqs:SendMessage only: to invoices for orders' principals, and
		// to refunds for the access role of refunds
		want := []map[string]any{
			{"Sid": "SendAsThisAccount", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sqs:SendMessage",
				"Resource": invoicesArn, "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": orders}}},
			{"Sid": "SendAsAccessRole1", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sqs:SendMessage",
				"Resource": refundsArn, "Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": refundsRole}}},
		}
		if cdktest.JSON(got) != cdktest.JSON(want) {
			t.Errorf("SQS endpoint policy\n%s\nwant\n%s", cdktest.JSON(got), cdktest.JSON(want))
		}
	})
	t.Run("STS", func(t *testing.T) {
		// GIVEN orders' STS endpoint
		got := endpointPolicy(t, tpl, "sts")
		// THEN it allows orders' principals only sts:AssumeRole of refunds' access role
		want := []map[string]any{
			{"Sid": "AssumeLinkAccessRoles", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sts:AssumeRole",
				"Resource": refundsRole, "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": orders}}},
		}
		if cdktest.JSON(got) != cdktest.JSON(want) {
			t.Errorf("STS endpoint policy\n%s\nwant\n%s", cdktest.JSON(got), cdktest.JSON(want))
		}
	})
	t.Run("existing VPC", func(t *testing.T) {
		// GIVEN analytics' SQS endpoint, which serves invoices only
		got := endpointPolicy(t, synth(t).tmpls["existing"], "sqs")
		// THEN it admits analytics' principals to invoices and nothing else
		if len(got) != 1 || cdktest.JSON(got[0]["Resource"]) != cdktest.JSON(invoicesArn) ||
			cdktest.JSON(got[0]["Condition"]) != cdktest.JSON(map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": analytics}}) {
			t.Errorf("policy %s", cdktest.JSON(got))
		}
	})
}

// rules returns the ingress and egress rules of the security group with the
// description prefix, inline and as separate resources.
func rules(t *testing.T, tpl cdktest.Tmpl, prefix string) (sg cdktest.Resource, ingress, egress []map[string]any) {
	t.Helper()
	for _, r := range tpl.Resources("AWS::EC2::SecurityGroup") {
		if strings.HasPrefix(r.Props()["GroupDescription"].(string), prefix) {
			sg = r
		}
	}
	if sg.LogicalID == "" {
		t.Fatalf("no security group %q", prefix)
	}
	add := func(list *[]map[string]any, v any) {
		for _, x := range cdktest.List(v) {
			m := x.(map[string]any)
			delete(m, "Description")
			*list = append(*list, m)
		}
	}
	add(&ingress, sg.Props()["SecurityGroupIngress"])
	add(&egress, sg.Props()["SecurityGroupEgress"])
	for _, r := range tpl.Resources("AWS::EC2::SecurityGroupIngress") {
		if cdktest.JSON(r.Props()["GroupId"]) == cdktest.JSON(map[string]any{"Fn::GetAtt": []any{sg.LogicalID, "GroupId"}}) {
			m := r.Props()
			delete(m, "GroupId")
			add(&ingress, m)
		}
	}
	for _, r := range tpl.Resources("AWS::EC2::SecurityGroupEgress") {
		if cdktest.JSON(r.Props()["GroupId"]) == cdktest.JSON(map[string]any{"Fn::GetAtt": []any{sg.LogicalID, "GroupId"}}) {
			m := r.Props()
			delete(m, "GroupId")
			add(&egress, m)
		}
	}
	return sg, ingress, egress
}

// noEgress is the rule the CDK puts on a group that may send nothing.
var noEgress = map[string]any{"CidrIp": "255.255.255.255/32", "FromPort": 252.0, "IpProtocol": "icmp", "ToPort": 86.0}

func TestSecurityGroupsAdmitOnlyHTTPSFromTheVPC(t *testing.T) {
	for _, tc := range []struct{ stack, cidr string }{{"created", "10.0.0.0/16"}, {"existing", "172.16.0.0/20"}} {
		t.Run(tc.stack, func(t *testing.T) {
			// GIVEN the endpoint security group of the scenario
			_, in, out := rules(t, synth(t).tmpls[tc.stack], "Interface endpoints")
			// THEN it admits TCP 443 from the VPC's range only, and sends nothing
			wantIn := []map[string]any{{"CidrIp": tc.cidr, "FromPort": 443.0, "IpProtocol": "tcp", "ToPort": 443.0}}
			if cdktest.JSON(in) != cdktest.JSON(wantIn) {
				t.Errorf("ingress %s, want %s", cdktest.JSON(in), cdktest.JSON(wantIn))
			}
			if cdktest.JSON(out) != cdktest.JSON([]map[string]any{noEgress}) {
				t.Errorf("egress %s, want none", cdktest.JSON(out))
			}
		})
	}
	t.Run("existing VPC without a range", func(t *testing.T) {
		// GIVEN an existing VPC named without its range
		tpl := synth(t).tmpls["noCidr"]
		sg, in, _ := rules(t, tpl, "Interface endpoints")
		client, _, clientOut := rules(t, tpl, "Producers of the links")
		// THEN the endpoints admit TCP 443 from the client group only
		wantIn := []map[string]any{{"FromPort": 443.0, "IpProtocol": "tcp", "ToPort": 443.0,
			"SourceSecurityGroupId": map[string]any{"Fn::GetAtt": []any{client.LogicalID, "GroupId"}}}}
		if cdktest.JSON(in) != cdktest.JSON(wantIn) {
			t.Errorf("ingress %s, want %s", cdktest.JSON(in), cdktest.JSON(wantIn))
		}
		// AND the client group may reach the endpoints on TCP 443 and nothing else
		wantOut := []map[string]any{{"FromPort": 443.0, "IpProtocol": "tcp", "ToPort": 443.0,
			"DestinationSecurityGroupId": map[string]any{"Fn::GetAtt": []any{sg.LogicalID, "GroupId"}}}}
		if cdktest.JSON(clientOut) != cdktest.JSON(wantOut) {
			t.Errorf("client egress %s, want %s", cdktest.JSON(clientOut), cdktest.JSON(wantOut))
		}
	})
}

func TestEndpointIDsAreExposed(t *testing.T) {
	s := synth(t)
	for _, tc := range []struct {
		stack string
		want  []string
	}{{"created", []string{"SqsEndpointId", "StsEndpointId"}}, {"existing", []string{"SqsEndpointId"}}} {
		t.Run(tc.stack, func(t *testing.T) {
			// GIVEN the synthesized private access
			tpl := s.tmpls[tc.stack]
			outputs, _ := tpl["Outputs"].(map[string]any)
			// THEN each endpoint's ID is an output, and a field of the construct
			for _, name := range tc.want {
				found := false
				for id, o := range outputs {
					if strings.Contains(id, name) {
						found = true
						ref := cdktest.JSON(o.(map[string]any)["Value"])
						if !strings.Contains(ref, `"Ref"`) || !strings.Contains(ref, strings.TrimSuffix(name, "Id")) {
							t.Errorf("output %s = %s, want a Ref of the endpoint", id, ref)
						}
					}
				}
				if !found {
					t.Errorf("no output %s in %v", name, outputs)
				}
			}
			a := s.access[tc.stack]
			if a.SqsEndpointID() == nil || (a.StsEndpointID() != nil) != (len(tc.want) == 2) {
				t.Errorf("SqsEndpointID %v, StsEndpointID %v", a.SqsEndpointID(), a.StsEndpointID())
			}
		})
	}
}

func TestCdkNagAwsSolutions(t *testing.T) {
	s := synth(t)
	for name, st := range s.stacks {
		// GIVEN the scenario synthesized with cdk-nag's AwsSolutions pack
		// WHEN the findings are collected
		errs, warns := cdktest.NagFindings(st)
		// THEN no error is left
		for _, e := range errs {
			t.Errorf("%s: unsuppressed cdk-nag error %s", name, e)
		}
		for _, w := range warns {
			t.Logf("%s: cdk-nag warning %s", name, w)
		}
	}
}

func TestInvalidPropsAreReportedTogether(t *testing.T) {
	// GIVEN props with many mistakes
	app := cdktest.NewApp(t, "")
	st := awscdk.NewStack(app, jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(orders), Region: jsii.String(region)},
	})
	// WHEN the construct is built
	msg := cdktest.Panics(t, func() {
		privateaccess.NewPrivateAccess(st, "PrivateAccess", &privateaccess.PrivateAccessProps{
			Account: analytics,
			Queues: []privateaccess.Queue{
				{Arn: "arn:aws:sqs:eu-west-1:222222222222:invoices"},
				{Arn: "arn:aws:sns:ap-northeast-1:222222222222:topic"},
				{Arn: refundsArn, AccessRoleArn: "arn:aws:iam::333333333333:role/refunds-access"},
				{Arn: refundsArn},
			},
			ExistingVpc: &privateaccess.ExistingVpc{
				VpcID:             "vpc-123",
				SubnetIDs:         []string{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"},
				AvailabilityZones: []string{"ap-northeast-1a", "ap-northeast-1a"},
				Cidr:              "10.0.0.1/16",
			},
			Cidr: "10.1.0.0/16",
		})
	})
	// THEN every mistake is reported at once, with the value
	for _, want := range []string{
		`Account: account "333333333333" is not the stack's account 111111111111`,
		`Queues[0]: queue "arn:aws:sqs:eu-west-1:222222222222:invoices" is in region eu-west-1; an interface endpoint serves only its own region ap-northeast-1`,
		`Queues[1]: "arn:aws:sns:ap-northeast-1:222222222222:topic" is not an SQS queue ARN`,
		`Queues[2].AccessRoleArn: access role "arn:aws:iam::333333333333:role/refunds-access" is in account 333333333333, not in the queue's account 222222222222`,
		`Queues[3]: queue "` + refundsArn + `" is listed twice`,
		`ExistingVpc: Cidr and AvailabilityZones are for a created VPC`,
		`ExistingVpc.VpcID: VPC ID "vpc-123" must look like vpc-0123456789abcdef0`,
		`ExistingVpc.AvailabilityZones: availability zone "ap-northeast-1a" is listed twice`,
		`ExistingVpc.Cidr: range "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("panic message lacks %q:\n%s", want, msg)
		}
	}

	// AND a created VPC's range and zones are checked
	msg = cdktest.Panics(t, func() {
		privateaccess.NewPrivateAccess(st, "Created", &privateaccess.PrivateAccessProps{
			Queues:            []privateaccess.Queue{{Arn: invoicesArn}},
			Cidr:              "10.0.0.0/8",
			AvailabilityZones: []string{"eu-west-1a"},
		})
	})
	for _, want := range []string{
		`Cidr: range "10.0.0.0/8" must be /16 to /26`,
		`AvailabilityZones: a created VPC spans exactly 2 availability zones, not 1`,
		`AvailabilityZones: availability zone "eu-west-1a" is not in the stack's region ap-northeast-1`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("panic message lacks %q:\n%s", want, msg)
		}
	}
}

func TestQueuesOf(t *testing.T) {
	// GIVEN links from orders and analytics
	links := []crossaccountqueue.Link{invoices, refunds}
	// WHEN each account's queues are listed
	// THEN each gets the queues of its links, with the access role where there is one
	for _, tc := range []struct {
		account string
		want    []privateaccess.Queue
	}{
		{orders, []privateaccess.Queue{{Arn: invoicesArn}, {Arn: refundsArn, AccessRoleArn: refundsRole}}},
		{analytics, []privateaccess.Queue{{Arn: invoicesArn}}},
		{billing, nil},
	} {
		if got := privateaccess.QueuesOf(tc.account, links...); !slices.Equal(got, tc.want) {
			t.Errorf("QueuesOf(%s) = %v, want %v", tc.account, got, tc.want)
		}
	}
}

func TestDefaultAvailabilityZones(t *testing.T) {
	// GIVEN regions WHEN their default zones are asked THEN zones that accounts have come back
	for region, want := range map[string][]string{
		"ap-northeast-1": {"ap-northeast-1a", "ap-northeast-1c"},
		"eu-west-1":      {"eu-west-1a", "eu-west-1b"},
		"cn-north-1":     {"cn-north-1a", "cn-north-1b"},
	} {
		if got := privateaccess.DefaultAvailabilityZones(region); !slices.Equal(got, want) {
			t.Errorf("DefaultAvailabilityZones(%s) = %v, want %v", region, got, want)
		}
	}
}
