package test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/cdktest"
)

// policyDocs returns every policy document of the stack's resources of type typ, as
// JSON, one string per resource.
func policyDocs(tpl cdktest.Tmpl, typ, prop string) []string {
	var out []string
	for _, r := range tpl.Resources(typ) {
		out = append(out, cdktest.JSON(r.Props()[prop]))
	}
	return out
}

// anyHolds reports whether one of docs holds every one of parts.
func anyHolds(docs []string, parts ...string) bool {
	for _, d := range docs {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(d, p)
		}
		if all {
			return true
		}
	}
	return false
}

func TestRegionsStackNamesAndEnvironments(t *testing.T) {
	// GIVEN the cross-region topology, where shop takes part from eu-west-1 and
	// us-east-1 and every other account from one region
	s := scenario(t, "regions")
	// WHEN the plan's stacks are listed with their regions
	got := map[string]string{}
	for _, w := range s.plan.Waves {
		for _, r := range w {
			got[r.StackName] = r.Region
		}
	}
	// THEN only shop's stacks carry the region in their names, each in its region
	// (analytics, a stream consumer with wiring halves only, has a main stack for the
	// alarm topic of its alarmed consumer)
	want := map[string]string{
		"Crosswire-shop-eu-west-1":        "eu-west-1",
		"Crosswire-shop-eu-west-1-wiring": "eu-west-1",
		"Crosswire-shop-us-east-1":        "us-east-1",
		"Crosswire-shop-us-east-1-wiring": "us-east-1",
		"Crosswire-payments":              "eu-central-1",
		"Crosswire-hk":                    "ap-east-1",
		"Crosswire-ledger":                "eu-west-1",
		"Crosswire-ledger-wiring":         "eu-west-1",
		"Crosswire-analytics":             "eu-west-1",
		"Crosswire-analytics-wiring":      "eu-west-1",
	}
	for name, region := range want {
		if got[name] != region {
			t.Errorf("stack %s: region %q, want %q (plan: %v)", name, got[name], region, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("plan has %d stacks, want %d: %v", len(got), len(want), got)
	}
	// AND shop's us-east-1 wiring stack waits for payments' main stack in eu-central-1
	for _, w := range s.plan.Waves {
		for _, r := range w {
			if r.StackName == "Crosswire-shop-us-east-1-wiring" && strings.Join(r.DependsOn, ",") != "Crosswire-shop-us-east-1,Crosswire-payments" {
				t.Errorf("%s depends on %v", r.StackName, r.DependsOn)
			}
		}
	}
}

func TestRegionsQueueAcrossRegions(t *testing.T) {
	// GIVEN shop's producers in us-east-1 and payments' KMS-encrypted queue in
	// eu-central-1 (link payouts)
	s := scenario(t, "regions")
	// WHEN shop's us-east-1 producer policy is read
	docs := policyDocs(s.tmpls["Crosswire-shop-us-east-1"], "AWS::IAM::Policy", "PolicyDocument")
	// THEN it sends to the queue's ARN in eu-central-1, and uses the key there only
	// through SQS of eu-central-1
	if !anyHolds(docs, `"arn:aws:sqs:eu-central-1:111111111111:payouts"`) {
		t.Errorf("no sender policy names the queue in eu-central-1: %v", docs)
	}
	if !anyHolds(docs, `"arn:aws:kms:eu-central-1:111111111111:key/*"`, `"kms:ViaService":"sqs.eu-central-1.amazonaws.com"`) {
		t.Errorf("no sender policy uses the eu-central-1 key through sqs.eu-central-1: %v", docs)
	}
	// AND the queue's own ARN, in payments' stack, is in eu-central-1
	q := s.tmpls["Crosswire-payments"].One(t, "AWS::SQS::Queue", map[string]any{"QueueName": "payouts"})
	if q.LogicalID == "" {
		t.Fatal("no payouts queue")
	}
}

func TestRegionsTopicAcrossRegions(t *testing.T) {
	// GIVEN the topic settlements in eu-central-1 with queues in eu-west-1 (ledger)
	// and us-east-1 (shop)
	s := scenario(t, "regions")
	// WHEN the subscriptions are read from the receivers' wiring stacks
	for stack, queue := range map[string]string{
		"Crosswire-ledger-wiring":         "arn:aws:sqs:eu-west-1:333333333333:settlements",
		"Crosswire-shop-us-east-1-wiring": "arn:aws:sqs:us-east-1:222222222222:settlements",
	} {
		sub := s.tmpls[stack].One(t, "AWS::SNS::Subscription", map[string]any{"TopicArn": "arn:aws:sns:eu-central-1:111111111111:settlements"})
		// THEN each names the topic's region and its own queue in its own region
		if sub.Props()["Region"] != "eu-central-1" || sub.Props()["Endpoint"] != queue {
			t.Errorf("%s: subscription Region %v, Endpoint %v; want eu-central-1, %s", stack, sub.Props()["Region"], sub.Props()["Endpoint"], queue)
		}
	}
	// AND the topic policy lets each account subscribe its queue in its own region
	topic := policyDocs(s.tmpls["Crosswire-payments"], "AWS::SNS::TopicPolicy", "PolicyDocument")
	for _, q := range []string{"arn:aws:sqs:eu-west-1:333333333333:settlements", "arn:aws:sqs:us-east-1:222222222222:settlements"} {
		if !anyHolds(topic, `"sns:Endpoint":"`+q+`"`) {
			t.Errorf("topic policy does not admit %s: %v", q, topic)
		}
	}
	// AND shop's queue in us-east-1 admits SNS only from the topic in eu-central-1
	queue := policyDocs(s.tmpls["Crosswire-shop-us-east-1"], "AWS::SQS::QueuePolicy", "PolicyDocument")
	if !anyHolds(queue, `"aws:SourceArn":"arn:aws:sns:eu-central-1:111111111111:settlements"`, `"Service":"sns.amazonaws.com"`) {
		t.Errorf("shop's queue policy does not admit the eu-central-1 topic: %v", queue)
	}
}

func TestRegionsTopicFromOptInRegion(t *testing.T) {
	// GIVEN the topic hk-orders in ap-east-1, an opt-in region, and ledger's queue in
	// eu-west-1
	s := scenario(t, "regions")
	// WHEN ledger's queue policies are read
	docs := policyDocs(s.tmpls["Crosswire-ledger"], "AWS::SQS::QueuePolicy", "PolicyDocument")
	// THEN the hk-orders queue admits the regional principal sns.ap-east-1.amazonaws.com
	if !anyHolds(docs, `"Service":"sns.ap-east-1.amazonaws.com"`, `"aws:SourceArn":"arn:aws:sns:ap-east-1:444444444444:hk-orders"`) {
		t.Errorf("no queue policy admits sns.ap-east-1.amazonaws.com for hk-orders: %v", docs)
	}
	// AND the settlements queue, from a region enabled by default, admits sns.amazonaws.com
	if !anyHolds(docs, `"Service":"sns.amazonaws.com"`, `"aws:SourceArn":"arn:aws:sns:eu-central-1:111111111111:settlements"`) {
		t.Errorf("no queue policy admits sns.amazonaws.com for settlements: %v", docs)
	}
}

func TestRegionsBusAcrossRegions(t *testing.T) {
	// GIVEN shop's rule in us-east-1 forwarding to payments' bus in eu-central-1
	s := scenario(t, "regions")
	// WHEN the sender rule is read
	rule := s.tmpls["Crosswire-shop-us-east-1-wiring"].One(t, "AWS::Events::Rule", map[string]any{"Name": "checkout-events-forward"})
	// THEN its target is the bus's ARN in eu-central-1
	if got := cdktest.JSON(rule.Props()["Targets"]); !strings.Contains(got, `"Arn":"arn:aws:events:eu-central-1:111111111111:event-bus/checkout-events"`) {
		t.Errorf("sender rule targets %s", got)
	}
	// AND the bus policy admits only the rule's ARN in us-east-1, on the bus's ARN in
	// eu-central-1
	policy := s.tmpls["Crosswire-payments"].One(t, "AWS::Events::EventBusPolicy", map[string]any{"EventBusName": "checkout-events"})
	st := cdktest.JSON(policy.Props()["Statement"])
	for _, want := range []string{
		`"aws:SourceArn":["arn:aws:events:us-east-1:222222222222:rule/checkout-events-forward"]`,
		`"Resource":"arn:aws:events:eu-central-1:111111111111:event-bus/checkout-events"`,
	} {
		if !strings.Contains(st, want) {
			t.Errorf("bus policy %s lacks %s", st, want)
		}
	}
}

func TestRegionsDeployOrderBootstrapsEachAccountAndRegion(t *testing.T) {
	// GIVEN the cross-region topology synthesized with its deploy order
	s := scenario(t, "regions")
	// WHEN the deploy order is read
	raw, err := os.ReadFile(filepath.Join(s.dir, "deploy-order.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	// THEN it bootstraps shop in both its regions and names each stack's region
	for _, want := range []string{
		"scripts/cdk bootstrap aws://222222222222/eu-west-1 --profile shop",
		"scripts/cdk bootstrap aws://222222222222/us-east-1 --profile shop",
		"scripts/cdk bootstrap aws://111111111111/eu-central-1 --profile payments",
		"# shop (222222222222, us-east-1)\n  scripts/cdk deploy --app cdk.out --exclusively Crosswire-shop-us-east-1 --profile shop",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("deploy order lacks %q:\n%s", want, text)
		}
	}
	// AND the single-region topology's deploy order has no bootstrap section
	d := scenario(t, "default")
	if raw, _ := os.ReadFile(filepath.Join(d.dir, "deploy-order.txt")); strings.Contains(string(raw), "bootstrap") {
		t.Errorf("single-region deploy order names a bootstrap:\n%s", raw)
	}
}

func TestRegionsAlarmsNotifyATopicOfTheirOwnRegion(t *testing.T) {
	// GIVEN the cross-region topology, where shop has alarmed halves in eu-west-1 and
	// us-east-1
	s := scenario(t, "regions")
	regionOf := map[string]string{}
	for _, w := range s.plan.Waves {
		for _, r := range w {
			regionOf[r.StackName] = r.Region
		}
	}
	topics := 0
	for stack, tpl := range s.tmpls {
		region := regionOf[stack]
		// WHEN each alarm's actions and each alarm topic's key policy are read
		for _, a := range tpl.Resources("AWS::CloudWatch::Alarm") {
			for _, action := range a.Props()["AlarmActions"].([]any) {
				// THEN every alarm notifies the alarm topic of its own stack's region:
				// CloudWatch alarm actions must be in the alarm's region
				if arn, _ := action.(string); !strings.HasPrefix(arn, "arn:aws:sns:"+region+":") {
					t.Errorf("%s (%s): alarm action %v is not a topic of %s", stack, region, action, region)
				}
			}
		}
		for _, k := range policyDocs(tpl, "AWS::KMS::Key", "KeyPolicy") {
			if strings.Contains(k, "cloudwatch.amazonaws.com") {
				topics++
				// AND the alarm topic's key admits the alarms of that region only
				if !strings.Contains(k, `"arn:aws:cloudwatch:`+region+`:`) {
					t.Errorf("%s (%s): alarm topic key does not name the alarms of %s: %s", stack, region, region, k)
				}
			}
		}
	}
	// AND shop has one alarm topic in each of its two regions, beside the others'
	if n := strings.Count(strings.Join(keysOf(regionOf), " "), "Crosswire-shop-"); n != 4 || topics < 2 {
		t.Errorf("%d shop stacks and %d alarm topics, want 4 and at least 2", n, topics)
	}
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		tpl := s.tmpls["Crosswire-shop-"+region]
		if len(tpl.Resources("AWS::SNS::Topic")) == 0 {
			t.Errorf("Crosswire-shop-%s has no alarm topic", region)
		}
	}
}

// keysOf returns the keys of m.
func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRegionsInAPipeline(t *testing.T) {
	// GIVEN the cross-region topology deployed by a pipeline of the tooling account in
	// eu-west-1
	s := scenario(t, "regions-pipeline")
	setup := s.plan.Pipeline
	if setup == nil {
		t.Fatal("no pipeline set-up in the plan")
	}
	// WHEN the one-time set-up and the staged stacks are read
	bootstraps := map[string][]string{}
	for _, a := range setup.Accounts {
		for _, c := range a.Commands {
			if strings.HasPrefix(c, "scripts/cdk bootstrap aws://") {
				env := strings.Fields(c)[2]
				bootstraps[a.Alias] = append(bootstraps[a.Alias], env[strings.LastIndex(env, "/")+1:])
			}
		}
	}
	// THEN shop is bootstrapped in both its regions, with the same execution policy
	if got := strings.Join(bootstraps["shop"], ","); got != "eu-west-1,us-east-1" {
		t.Errorf("shop bootstrapped in %s, want eu-west-1,us-east-1", got)
	}
	// AND the tooling account in its own region and every region a stage deploys to,
	// where CDK Pipelines puts its support stacks
	arts, _ := stackArtifacts(t, s.dir)
	stageRegions := map[string]bool{}
	for _, w := range s.plan.Waves {
		for _, r := range w {
			stageRegions[r.Region] = true
			// AND every staged stack deploys to its plan's region
			if want := "aws://" + r.AccountID + "/" + r.Region; arts[r.StackName].Environment != want {
				t.Errorf("%s: environment %s, want %s", r.StackName, arts[r.StackName].Environment, want)
			}
		}
	}
	for region := range stageRegions {
		if !slices.Contains(bootstraps["tooling"], region) {
			t.Errorf("tooling account not bootstrapped in %s, where a stage deploys: %v", region, bootstraps["tooling"])
		}
	}
	for name, a := range arts {
		if strings.HasPrefix(name, "cross-region-stack-") && !slices.Contains(bootstraps["tooling"], a.Environment[strings.LastIndex(a.Environment, "/")+1:]) {
			t.Errorf("support stack %s in %s, where the tooling account is not bootstrapped", name, a.Environment)
		}
	}
}
