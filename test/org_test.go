package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/quota"
	"github.com/crosswire/crosswire/stacks"
)

// orgStackSets returns the stack sets of the org scenario by name, with the stack
// that holds each.
func orgStackSets(t *testing.T, s *synthesized) map[string]cdktest.Resource {
	t.Helper()
	out := map[string]cdktest.Resource{}
	for _, name := range []string{"Crosswire-admin-stacksets", "Crosswire-admin-stacksets-wiring"} {
		tpl, ok := s.tmpls[name]
		if !ok {
			t.Fatalf("no stack %s; stacks: %v", name, sortedNames(s.tmpls))
		}
		for _, r := range tpl.Resources("AWS::CloudFormation::StackSet") {
			out[r.Props()["StackSetName"].(string)] = r
		}
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestStackSetsRollEachLinkOutToItsUnit(t *testing.T) {
	// GIVEN the org scenario: acme-events (bus) and findings (queue) from unit
	// workloads, advisories (topic) to unit analytics, administered by the delegated
	// administrator "admin"
	s := scenario(t, "org")
	sets := orgStackSets(t, s)
	want := map[string]struct {
		ou       string
		excluded []string
		stack    string
	}{
		"Crosswire-acme-events-workloads": {"ou-ab12-11111111", []string{"400000000000", "300000000000"}, "Crosswire-admin-stacksets-wiring"},
		"Crosswire-findings-workloads":    {"ou-ab12-11111111", []string{"300000000000"}, "Crosswire-admin-stacksets"},
		"Crosswire-advisories-analytics":  {"ou-ab12-22222222", []string{"300000000000", "400000000000"}, "Crosswire-admin-stacksets-wiring"},
	}
	if got := sortedNames(sets); !slices.Equal(got, sortedNames(want)) {
		t.Fatalf("stack sets %v, want %v", got, sortedNames(want))
	}
	bodies := map[string]string{}
	for _, m := range s.plan.Members {
		bodies[m.StackSetName] = m.Body
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			// WHEN the stack set's properties are read
			p := sets[name].Props()
			// THEN it is service-managed, deploys by itself to every account that joins
			// the unit and deletes the stack instance of one that leaves, as the
			// delegated administrator, with named IAM resources
			for k, v := range map[string]any{
				"PermissionModel": "SERVICE_MANAGED",
				"AutoDeployment":  map[string]any{"Enabled": true, "RetainStacksOnAccountRemoval": false},
				"CallAs":          "DELEGATED_ADMIN",
				"Capabilities":    []any{"CAPABILITY_NAMED_IAM"},
				"OperationPreferences": map[string]any{
					"MaxConcurrentPercentage": float64(25), "FailureTolerancePercentage": float64(10),
				},
			} {
				if cdktest.JSON(p[k]) != cdktest.JSON(v) {
					t.Errorf("%s = %s, want %s", k, cdktest.JSON(p[k]), cdktest.JSON(v))
				}
			}
			// AND it targets the unit in the topology's region, leaving out the accounts
			// that take part in the link by alias (their halves are in their own stacks)
			group := cdktest.List(p["StackInstancesGroup"])
			if len(group) != 1 {
				t.Fatalf("StackInstancesGroup = %s, want one group", cdktest.JSON(group))
			}
			g := group[0].(map[string]any)
			wantTargets := map[string]any{"OrganizationalUnitIds": []any{w.ou}, "AccountFilterType": "DIFFERENCE", "Accounts": w.excluded}
			if got := cdktest.JSON(g["DeploymentTargets"]); got != cdktest.JSON(wantTargets) {
				t.Errorf("DeploymentTargets = %s, want %s", got, cdktest.JSON(wantTargets))
			}
			if got := cdktest.JSON(g["Regions"]); got != `["eu-west-1"]` {
				t.Errorf("Regions = %s, want [eu-west-1]", got)
			}
			// AND its template is the member template, inline
			if body, _ := p["TemplateBody"].(string); body == "" || body != bodies[name] {
				t.Errorf("TemplateBody is not the member template of %s", name)
			}
			// AND it sits in the administrator's stack of the wave its halves need
			if !slices.ContainsFunc(s.tmpls[w.stack].Resources("AWS::CloudFormation::StackSet"), func(r cdktest.Resource) bool { return r.Props()["StackSetName"] == name }) {
				t.Errorf("stack set %s is not in %s", name, w.stack)
			}
		})
	}
}

var accountID = regexp.MustCompile(`\b\d{12}\b`)

func TestMemberTemplatesAreEnvironmentAgnosticAndHoldOnlyTheLinksHalves(t *testing.T) {
	// GIVEN the member templates of the org scenario
	s := scenario(t, "org")
	if len(s.plan.Members) != 3 {
		t.Fatalf("%d member templates, want 3", len(s.plan.Members))
	}
	owners := map[string]string{"acme-events": "300000000000", "findings": "300000000000", "advisories": "300000000000"}
	wantTypes := map[string][]string{
		"acme-events": {"AWS::IAM::Role", "AWS::Events::Rule", "AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "AWS::SSM::Parameter"},
		"findings":    {"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::SSM::Parameter"},
		"advisories":  {"AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "AWS::SNS::Subscription", "AWS::SSM::Parameter"},
	}
	for _, m := range s.plan.Members {
		t.Run(m.StackSetName, func(t *testing.T) {
			var tpl map[string]any
			if err := json.Unmarshal([]byte(m.Body), &tpl); err != nil {
				t.Fatal(err)
			}
			// WHEN its account IDs, parameters, rules and resources are read
			// THEN the only account it names literally is the link's owner: the member
			// account is AWS::AccountId
			for _, id := range accountID.FindAllString(m.Body, -1) {
				if id != owners[m.Link] {
					t.Errorf("literal account ID %s in the member template", id)
				}
			}
			if !strings.Contains(m.Body, `{"Ref":"AWS::AccountId"}`) {
				t.Errorf("the member template never uses AWS::AccountId")
			}
			// AND it needs no bootstrap and no asset: no parameter, no rule, no asset
			// metadata, no Lambda function
			for _, k := range []string{"Parameters", "Rules"} {
				if _, ok := tpl[k]; ok {
					t.Errorf("the member template has %s: %s", k, cdktest.JSON(tpl[k]))
				}
			}
			if strings.Contains(m.Body, "aws:asset:") || strings.Contains(m.Body, "cdk-hnb659fds") {
				t.Errorf("the member template refers to an asset or the bootstrap bucket")
			}
			// AND its resources are the link's member halves and the marker, under the
			// link's construct path
			res := tpl["Resources"].(map[string]any)
			var types []string
			for id, r := range res {
				rm := r.(map[string]any)
				typ := rm["Type"].(string)
				if !slices.Contains(types, typ) {
					types = append(types, typ)
				}
				meta, _ := rm["Metadata"].(map[string]any)
				path, _ := meta["aws:cdk:path"].(string)
				if !strings.HasPrefix(path, "Member/"+m.Link) && !strings.HasPrefix(path, "Member/CrosswireMarker/") {
					t.Errorf("%s (%s) at %q is not a half of link %s", id, typ, path, m.Link)
				}
			}
			slices.Sort(types)
			want := slices.Clone(wantTypes[m.Link])
			slices.Sort(want)
			if !slices.Equal(types, want) {
				t.Errorf("resource types %v, want %v", types, want)
			}
			// AND the marker names the link for crosswire send
			marker := cdktest.Tmpl(tpl).One(t, "AWS::SSM::Parameter", map[string]any{"Name": "/crosswire/links/" + m.Link})
			if v, _ := marker.Props()["Value"].(string); !strings.Contains(v, `"link":"`+m.Link+`"`) {
				t.Errorf("marker value %q does not name link %s", v, m.Link)
			}
			// AND cdk-nag's AwsSolutions pack leaves no error unsuppressed
			errs, _ := cdktest.NagFindings(m.Stack)
			for _, e := range errs {
				t.Errorf("unsuppressed cdk-nag error %s", e)
			}
		})
	}
}

func TestMemberQueuesTakeANameOfTheirStackInstance(t *testing.T) {
	// GIVEN the member template of the topic link, whose queues are kept (RETAIN)
	// when an account leaves its unit
	s := scenario(t, "org")
	for _, m := range s.plan.Members {
		if m.Link != "advisories" {
			continue
		}
		var tpl map[string]any
		if err := json.Unmarshal([]byte(m.Body), &tpl); err != nil {
			t.Fatal(err)
		}
		// WHEN the queue names are read
		for _, q := range cdktest.Tmpl(tpl).Resources("AWS::SQS::Queue") {
			name := cdktest.JSON(q.Props()["QueueName"])
			// THEN each ends in a part of the stack instance's own ID, so a re-joining
			// account's new stack instance does not collide with the kept queue
			if !strings.Contains(name, `"advisories-",{"Fn::Select":[0,{"Fn::Split":["-",{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}]}]}`) {
				t.Errorf("queue %s is named %s, not after its stack instance", q.LogicalID, name)
			}
			if q.Raw["DeletionPolicy"] != "Retain" {
				t.Errorf("queue %s is not kept when the account leaves", q.LogicalID)
			}
		}
		// AND the subscription's endpoint is that queue
		sub := cdktest.Tmpl(tpl).Resources("AWS::SNS::Subscription")
		if len(sub) != 1 || !strings.Contains(cdktest.JSON(sub[0].Props()["Endpoint"]), "AWS::StackId") {
			t.Errorf("subscription endpoint is not the member queue: %s", cdktest.JSON(sub))
		}
	}
}

// unitGrant is what a statement admitting an organizational unit must carry.
type unitGrant struct {
	path, key, pattern string
}

func TestEveryGrantToAUnitIsNarrowedByItsPathAndTheMemberHalvesNames(t *testing.T) {
	// GIVEN the security account's stack of the org scenario, the enumerated side of
	// every link
	s := scenario(t, "org")
	tpl := s.tmpls["Crosswire-security"]
	workloads := "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
	analytics := "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*"
	want := map[string]unitGrant{
		"AllowSendFromLinkUnits":        {workloads, "ArnLike aws:PrincipalArn", "arn:aws:iam::*:role/findings-producer"},
		"AllowLinkUnitsThroughSQS":      {workloads, "ArnLike aws:PrincipalArn", "arn:aws:iam::*:role/findings-producer"},
		"acme-events-units":             {workloads, "ArnLike aws:SourceArn", "arn:aws:events:eu-west-1:*:rule/acme-events-forward"},
		"AllowSubscribeQueuesFromUnits": {analytics, "StringLike sns:Endpoint", "arn:aws:sqs:eu-west-1:*:advisories-????????"},
	}
	found := map[string]bool{}
	for _, r := range tpl["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		p, _ := rm["Properties"].(map[string]any)
		for _, prop := range []string{"PolicyDocument", "KeyPolicy", "Statement"} {
			doc, ok := p[prop]
			if !ok {
				continue
			}
			if prop == "Statement" {
				doc = map[string]any{"Statement": doc}
			}
			for _, st := range cdktest.Statements(doc) {
				// WHEN a statement allows a principal of any account
				if st["Effect"] != "Allow" || cdktest.JSON(st["Principal"]) != `{"AWS":"*"}` {
					continue
				}
				sid, _ := st["Sid"].(string)
				w, ok := want[sid]
				if !ok {
					t.Errorf("statement %s admits any account: %s", sid, cdktest.JSON(st))
					continue
				}
				found[sid] = true
				// THEN it admits only principals inside the unit's path (and units below)
				cond, _ := st["Condition"].(map[string]any)
				if got := cdktest.JSON(cond["ForAnyValue:StringLike"]); got != cdktest.JSON(map[string]any{"aws:PrincipalOrgPaths": []any{w.path}}) {
					t.Errorf("%s: ForAnyValue:StringLike = %s, want aws:PrincipalOrgPaths %s", sid, got, w.path)
				}
				// AND only the name the member halves create
				op, key, _ := strings.Cut(w.key, " ")
				if got, _ := cond[op].(map[string]any)[key].(string); got != w.pattern {
					t.Errorf("%s: %s %s = %q, want %q", sid, op, key, got, w.pattern)
				}
			}
		}
	}
	for sid := range want {
		if !found[sid] {
			t.Errorf("no statement %s", sid)
		}
	}
}

func TestUnitPoliciesStayTheSameSizeWhateverTheNumberOfMemberAccounts(t *testing.T) {
	// GIVEN the policies of the security account, which admit two units, and the
	// member templates, measured as the synth's quota check does
	s := scenario(t, "org")
	ms, err := quota.Measure("Crosswire-security", s.tmpls["Crosswire-security"])
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		// WHEN each policy's size is compared with its quota
		// THEN it fits, and names no account but its own: a unit's member accounts,
		// one or 5,000, never appear in it, so its size does not depend on them
		t.Logf("%s: %d of %d (%s)", m.Where, m.Size, m.Kind.Limit, m.Kind.Name)
		if m.Over() {
			t.Errorf("%s is over its quota: %s", m.Where, quota.Describe(m))
		}
	}
	raw, _ := json.Marshal(s.tmpls["Crosswire-security"])
	for _, id := range accountID.FindAllString(string(raw), -1) {
		if id != "300000000000" && id != "400000000000" {
			t.Errorf("the security account's template names account %s", id)
		}
	}
	// AND the synth's quota check measures the member templates too, and passes
	if err := stacks.CheckQuotas(s.dir); err != nil {
		t.Error(err)
	}
}

func TestDeployOrderMarksTheStackSetStacks(t *testing.T) {
	// GIVEN the deploy order of the org scenario
	s := scenario(t, "org")
	raw, err := os.ReadFile(filepath.Join(s.dir, stacks.DeployOrderJSON))
	if err != nil {
		t.Fatal(err)
	}
	var plan stacks.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	// WHEN the stacks of each wave are read
	got := map[string]int{}
	sets := map[string][]string{}
	for i, w := range plan.Waves {
		for _, r := range w {
			got[r.StackName] = i + 1
			for _, x := range r.StackSets {
				sets[r.StackName] = append(sets[r.StackName], x.Name)
			}
		}
	}
	// THEN the queue link's stack set, which needs nothing, is in wave 1, and the bus
	// and topic links' (a rule's target, a subscription) after the security account's
	// main stack, in wave 2, both with the administrator's profile and marked as
	// stack sets
	if got["Crosswire-admin-stacksets"] != 1 || got["Crosswire-admin-stacksets-wiring"] != 2 || got["Crosswire-security"] != 1 {
		t.Errorf("waves %v", got)
	}
	if w := []string{"Crosswire-findings-workloads"}; !slices.Equal(sets["Crosswire-admin-stacksets"], w) {
		t.Errorf("wave-1 stack sets %v, want %v", sets["Crosswire-admin-stacksets"], w)
	}
	if w := []string{"Crosswire-acme-events-workloads", "Crosswire-advisories-analytics"}; !slices.Equal(sets["Crosswire-admin-stacksets-wiring"], w) {
		t.Errorf("wave-2 stack sets %v, want %v", sets["Crosswire-admin-stacksets-wiring"], w)
	}
}
