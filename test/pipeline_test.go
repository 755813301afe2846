package test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/pipeline"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

// pipelineOf returns the CodePipeline resource of the pipeline scenario's pipeline stack.
func pipelineOf(t *testing.T, s *synthesized) map[string]any {
	t.Helper()
	tpl := s.tmpls[stacks.PipelineStackName(s.topo)]
	if tpl == nil {
		t.Fatalf("no stack %s", stacks.PipelineStackName(s.topo))
	}
	return tpl.One(t, "AWS::CodePipeline::Pipeline", map[string]any{}).Props()
}

// action is one action of a CodePipeline stage.
type action struct {
	Name           string         `json:"Name"`
	RunOrder       int            `json:"RunOrder"`
	RoleArn        any            `json:"RoleArn"`
	Region         string         `json:"Region"`
	Configuration  map[string]any `json:"Configuration"`
	ActionTypeID   map[string]any `json:"ActionTypeId"`
	InputArtifacts []any          `json:"InputArtifacts"`
}

// stages returns the pipeline's stages in order, with their actions.
func stages(t *testing.T, props map[string]any) (names []string, actions map[string][]action) {
	t.Helper()
	raw, _ := json.Marshal(props["Stages"])
	var ss []struct {
		Name    string   `json:"Name"`
		Actions []action `json:"Actions"`
	}
	if err := json.Unmarshal(raw, &ss); err != nil {
		t.Fatal(err)
	}
	actions = map[string][]action{}
	for _, s := range ss {
		names = append(names, s.Name)
		actions[s.Name] = s.Actions
	}
	return names, actions
}

func TestPipelineDeploysWave1ThenWave2(t *testing.T) {
	// GIVEN a topology with a pipeline section, asking for an approval before wave 2
	s := scenario(t, "pipeline")
	// WHEN the pipeline's stages are read from its template
	names, actions := stages(t, pipelineOf(t, s))
	// THEN it gets the source, synthesizes, updates itself, then deploys wave 1 and,
	// after it, wave 2
	want := []string{"Source", "Build", "UpdatePipeline", "Assets", "Wave1", "Wave2"}
	if !slices.Equal(names, want) {
		t.Fatalf("stages %v, want %v", names, want)
	}
	if len(s.plan.Waves) != 2 {
		t.Fatalf("plan has %d waves, want 2", len(s.plan.Waves))
	}
	for i, wave := range s.plan.Waves {
		stage := fmt.Sprintf("Wave%d", i+1)
		t.Run(stage, func(t *testing.T) {
			// AND each stack of the plan's wave is deployed in that stage by exactly one
			// change set, prepared then executed, with the deploy role and the
			// CloudFormation execution role of its own account and region
			prepares := map[int]bool{}
			var stackNames []string
			for _, r := range wave {
				stackNames = append(stackNames, r.StackName)
				var prepare, execute []action
				for _, a := range actions[stage] {
					if a.Configuration["StackName"] != r.StackName {
						continue
					}
					switch a.Configuration["ActionMode"] {
					case "CHANGE_SET_REPLACE":
						prepare = append(prepare, a)
					case "CHANGE_SET_EXECUTE":
						execute = append(execute, a)
					default:
						t.Errorf("%s: action %s has mode %v", r.StackName, a.Name, a.Configuration["ActionMode"])
					}
				}
				if len(prepare) != 1 || len(execute) != 1 {
					t.Errorf("%s: %d prepare and %d execute actions, want one of each", r.StackName, len(prepare), len(execute))
					continue
				}
				deployRole := fmt.Sprintf(":iam::%s:role/cdk-%s-deploy-role-%s-%s", r.AccountID, pipeline.BootstrapQualifier, r.AccountID, r.Region)
				execRole := fmt.Sprintf(":iam::%s:role/cdk-%s-cfn-exec-role-%s-%s", r.AccountID, pipeline.BootstrapQualifier, r.AccountID, r.Region)
				for _, a := range []action{prepare[0], execute[0]} {
					if !strings.Contains(cdktest.JSON(a.RoleArn), deployRole) {
						t.Errorf("%s: action %s runs as %s, want the deploy role of account %s", r.StackName, a.Name, cdktest.JSON(a.RoleArn), r.AccountID)
					}
					if a.Region != "" && a.Region != r.Region {
						t.Errorf("%s: action %s in region %s, want %s", r.StackName, a.Name, a.Region, r.Region)
					}
				}
				if !strings.Contains(cdktest.JSON(prepare[0].Configuration["RoleArn"]), execRole) {
					t.Errorf("%s: CloudFormation deploys with %s, want the execution role of account %s", r.StackName, cdktest.JSON(prepare[0].Configuration["RoleArn"]), r.AccountID)
				}
				if execute[0].RunOrder != prepare[0].RunOrder+1 {
					t.Errorf("%s: execute runs at %d, prepare at %d", r.StackName, execute[0].RunOrder, prepare[0].RunOrder)
				}
				prepares[prepare[0].RunOrder] = true
			}
			// AND the stacks of one wave are deployed in parallel: every change set is
			// prepared at the same step
			if len(prepares) != 1 {
				t.Errorf("change sets prepared at steps %v, want one step for the whole wave", prepares)
			}
			// AND the stage deploys nothing else
			for _, a := range actions[stage] {
				if name, ok := a.Configuration["StackName"].(string); ok && !slices.Contains(stackNames, name) {
					t.Errorf("stage %s deploys %s, which is not in wave %d", stage, name, i+1)
				}
			}
			// AND a person approves before wave 2, before any of its change sets
			var approvals []action
			for _, a := range actions[stage] {
				if a.ActionTypeID["Category"] == "Approval" {
					approvals = append(approvals, a)
				}
			}
			switch {
			case i == 0 && len(approvals) > 0:
				t.Errorf("wave 1 waits for an approval: %+v", approvals)
			case i == 1 && (len(approvals) != 1 || prepares[approvals[0].RunOrder] || approvals[0].RunOrder >= minKey(prepares)):
				t.Errorf("wave 2 approvals %+v, want one before the change sets (prepared at %v)", approvals, prepares)
			}
		})
	}
}

func minKey(m map[int]bool) int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	if len(keys) == 0 {
		return 0
	}
	return keys[0]
}

// accountPrincipal matches a principal that is an account rather than a role or a
// service: arn:aws:iam::<id>:root, or a bare account ID.
var accountPrincipal = regexp.MustCompile(`:iam::\d{12}:root|^\d{12}$`)

func TestNoPipelineRoleTrustsAnAccountRoot(t *testing.T) {
	// GIVEN the pipeline's stack, synthesized with the trust scope feature flags on
	s := scenario(t, "pipeline")
	name := stacks.PipelineStackName(s.topo)
	for _, flag := range pipeline.TrustScopeFlags {
		if v := s.stacks[name].Node().TryGetContext(jsii.String(flag)); v != true {
			t.Errorf("feature flag %s is %v in the pipeline's stack, want true", flag, v)
		}
	}
	tpl := s.tmpls[name]
	roles := tpl.Resources("AWS::IAM::Role")
	if len(roles) == 0 {
		t.Fatal("the pipeline's stack has no role")
	}
	for _, role := range roles {
		// WHEN the principals its trust policy admits are read
		for _, st := range cdktest.Statements(role.Props()["AssumeRolePolicyDocument"]) {
			p, _ := st["Principal"].(map[string]any)
			// THEN each is a service or a role of the same stack, never an account
			// (the tooling account's root included)
			if _, ok := p["Service"]; ok && len(p) == 1 {
				continue
			}
			for _, v := range cdktest.List(p["AWS"]) {
				m, isMap := v.(map[string]any)
				_, getAtt := m["Fn::GetAtt"]
				if !isMap || !getAtt || accountPrincipal.MatchString(cdktest.JSON(v)) {
					t.Errorf("%s trusts %s, want only services and roles of the stack", role.LogicalID, cdktest.JSON(v))
				}
			}
			if p["AWS"] == nil && p["Service"] == nil {
				t.Errorf("%s trusts %s", role.LogicalID, cdktest.JSON(p))
			}
		}
	}
}

func TestPipelineSynthesizesTheProjectWithItsOwnScripts(t *testing.T) {
	// GIVEN the pipeline's stack
	s := scenario(t, "pipeline")
	tpl := s.tmpls[stacks.PipelineStackName(s.topo)]
	// WHEN the CodeBuild project of its synth step is read
	var synth, selfMutate map[string]any
	for _, p := range tpl.Resources("AWS::CodeBuild::Project") {
		switch d, _ := p.Props()["Description"].(string); {
		case strings.HasSuffix(d, "/Build/Synth"):
			synth = p.Props()
		case strings.HasSuffix(d, "/UpdatePipeline/SelfMutate"):
			selfMutate = p.Props()
		}
	}
	if synth == nil || selfMutate == nil {
		t.Fatal("no synth or self-mutation project")
	}
	var spec struct {
		Phases map[string]struct {
			RuntimeVersions map[string]string `json:"runtime-versions"`
			Commands        []string          `json:"commands"`
		} `json:"phases"`
		Artifacts struct {
			BaseDirectory string `json:"base-directory"`
		} `json:"artifacts"`
	}
	source, _ := synth["Source"].(map[string]any)
	if err := json.Unmarshal([]byte(source["BuildSpec"].(string)), &spec); err != nil {
		t.Fatal(err)
	}
	// THEN it runs on the standard CodeBuild image with Go and Node, the project's
	// set-up and a synth of this topology, and hands on cdk.out
	if env, _ := synth["Environment"].(map[string]any); env["Image"] != "aws/codebuild/standard:7.0" {
		t.Errorf("synth image %v", env["Image"])
	}
	if rv := spec.Phases["install"].RuntimeVersions; rv["golang"] != pipeline.GoRuntime || rv["nodejs"] != pipeline.NodeRuntime {
		t.Errorf("runtime versions %v", rv)
	}
	want := []string{"scripts/setup", "rm -rf cdk.out", "scripts/cdk synth -c topology=" + s.topo.Path}
	if got := spec.Phases["build"].Commands; !slices.Equal(got, want) {
		t.Errorf("synth commands %q, want %q", got, want)
	}
	if spec.Artifacts.BaseDirectory != "cdk.out" {
		t.Errorf("synth output %q, want cdk.out", spec.Artifacts.BaseDirectory)
	}
	// AND the pipeline updates itself with the CDK CLI the project pins
	ms, _ := selfMutate["Source"].(map[string]any)
	if spec, _ := ms["BuildSpec"].(string); !strings.Contains(spec, "aws-cdk@"+pipeline.CLIVersion) {
		t.Errorf("self-mutation does not install aws-cdk@%s:\n%s", pipeline.CLIVersion, spec)
	}
}

func TestPipelineArtifactsAreEncryptedWithARotatedKey(t *testing.T) {
	// GIVEN the pipeline's stack
	s := scenario(t, "pipeline")
	tpl := s.tmpls[stacks.PipelineStackName(s.topo)]
	// WHEN its artifact bucket, key and pipeline are read
	key := tpl.One(t, "AWS::KMS::Key", map[string]any{})
	bucket := tpl.One(t, "AWS::S3::Bucket", map[string]any{})
	p := pipelineOf(t, s)
	// THEN the bucket is encrypted with the key (cross-account keys), which rotates,
	// and the pipeline's artifact store uses it
	if key.Props()["EnableKeyRotation"] != true {
		t.Errorf("key rotation off: %s", cdktest.JSON(key.Props()))
	}
	enc := cdktest.JSON(bucket.Props()["BucketEncryption"])
	if !strings.Contains(enc, `"aws:kms"`) || !strings.Contains(enc, key.LogicalID) {
		t.Errorf("bucket encryption %s, want aws:kms with %s", enc, key.LogicalID)
	}
	if store := cdktest.JSON(p["ArtifactStore"]); !strings.Contains(store, key.LogicalID) {
		t.Errorf("artifact store %s does not use %s", store, key.LogicalID)
	}
	// AND failed executions are told to the topology's topic
	rule := tpl.One(t, "AWS::CodeStarNotifications::NotificationRule", map[string]any{})
	if got := cdktest.JSON(rule.Props()["Targets"]); !strings.Contains(got, s.topo.Pipeline.Notifications) ||
		!strings.Contains(cdktest.JSON(rule.Props()["EventTypeIds"]), "pipeline-execution-failed") {
		t.Errorf("notification rule %s", cdktest.JSON(rule.Props()))
	}
}

// withoutPipelineSection returns the topology file at path with its pipeline section
// (the last one of the file) cut off.
func withoutPipelineSection(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(raw), "\npipeline:")
	if i < 0 {
		t.Fatalf("%s has no pipeline section", path)
	}
	file := filepath.Join(tmpRoot, "without-pipeline.yaml")
	if err := os.WriteFile(file, raw[:i+1], 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// comparable returns the template's resources and outputs without what differs by
// construction between a stack in a stage and one at the top of the app: construct
// paths and asset paths in metadata, the stage in front of the stack in the construct
// path the CDK's provider framework writes into its function's description (an
// in-place update), and the roles' permissions boundary.
func comparable(tpl map[string]any, stage string) string {
	raw, _ := json.Marshal(map[string]any{"Resources": tpl["Resources"], "Outputs": tpl["Outputs"]})
	var v map[string]any
	_ = json.Unmarshal(raw, &v)
	res, _ := v["Resources"].(map[string]any)
	for _, r := range res {
		m, _ := r.(map[string]any)
		if meta, ok := m["Metadata"].(map[string]any); ok {
			for k := range meta {
				if strings.HasPrefix(k, "aws:") {
					delete(meta, k)
				}
			}
		}
		if m["Type"] == "AWS::IAM::Role" {
			props, _ := m["Properties"].(map[string]any)
			delete(props, "PermissionsBoundary")
		}
	}
	return strings.ReplaceAll(cdktest.JSON(v), "("+stage+"/", "(")
}

func TestPipelineUpdatesTheStacksDeployedByHand(t *testing.T) {
	// GIVEN the pipeline scenario, and the same topology without its pipeline
	// section synthesized as before (stacks at the top of the app)
	s := scenario(t, "pipeline")
	top, err := topology.Load(withoutPipelineSection(t, scenarioFiles["pipeline"]))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmpRoot, "without-pipeline")
	app := cdktest.NewApp(t, dir)
	plan, err := stacks.Build(app, top)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth(app, dir); err != nil {
		t.Fatal(err)
	}
	byHand, err := cfnres.ReadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	// WHEN the templates of each account's stacks are compared
	for _, w := range plan.Waves {
		for _, r := range w {
			got, ok := s.tmpls[r.StackName]
			// THEN the pipeline deploys every stack under the same name, with the same
			// resources (logical IDs, properties, policies): CloudFormation updates the
			// stacks deployed by hand, and only adds the roles' permissions boundary
			if !ok {
				t.Errorf("the pipeline has no stack %s", r.StackName)
				continue
			}
			stage := strings.TrimPrefix(r.StackName, "Crosswire-")
			if a, b := comparable(got, stage), comparable(byHand[r.StackName], stage); a != b {
				i := 0
				for i < len(a) && i < len(b) && a[i] == b[i] {
					i++
				}
				from := max(i-300, 0)
				t.Errorf("%s differs from the stack deployed by hand, at:\npipeline: %.600s\nby hand:  %.600s", r.StackName, a[from:], b[from:])
			}
		}
	}
	if len(byHand) != len(s.tmpls)-1 {
		t.Errorf("%d stacks by hand, %d in the pipeline besides its own", len(byHand), len(s.tmpls)-1)
	}
}

// accountTemplates returns the templates of the scenario's stacks in account id.
func accountTemplates(t *testing.T, s *synthesized, id string) map[string]cdktest.Tmpl {
	t.Helper()
	arts, _ := stackArtifacts(t, s.dir)
	out := map[string]cdktest.Tmpl{}
	for name, a := range arts {
		if strings.HasPrefix(a.Environment, "aws://"+id+"/") {
			out[name] = s.tmpls[name]
		}
	}
	if len(out) == 0 {
		t.Fatalf("no stack in account %s", id)
	}
	return out
}

// readPolicy reads a generated policy document of the scenario.
func readPolicy(t *testing.T, s *synthesized, file string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(s.dir, file))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// allowed returns the actions of the policy's Allow statements with Resource "*".
func allowed(doc map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, st := range cdktest.Statements(doc) {
		if st["Effect"] != "Allow" || st["Resource"] != "*" {
			continue
		}
		for _, a := range cdktest.List(st["Action"]) {
			out[a.(string)] = true
		}
	}
	return out
}

// allows reports whether one of the action patterns of allow matches any of actions.
func allows(allow map[string]bool, actions ...string) bool {
	for p := range allow {
		for _, a := range actions {
			if pipeline.Matches(p, a) {
				return true
			}
		}
	}
	return false
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestExecutionPolicyCoversEveryResourceTypeOfTheAccount(t *testing.T) {
	// GIVEN the pipeline scenario and the execution policy generated for each account
	s := scenario(t, "pipeline")
	for _, a := range s.plan.Pipeline.Accounts {
		t.Run(a.Alias, func(t *testing.T) {
			doc := readPolicy(t, s, a.ExecutionPolicyFile)
			allow := allowed(doc)
			// WHEN every resource of every stack the pipeline deploys to the account is
			// looked up
			types := map[string]bool{}
			for stack, tpl := range accountTemplates(t, s, a.AccountID) {
				res, _ := tpl["Resources"].(map[string]any)
				for id, r := range res {
					typ, _ := r.(map[string]any)["Type"].(string)
					types[typ] = true
					// THEN its type is covered, and the policy allows every action
					// CloudFormation needs for it
					ta, ok := pipeline.ActionsOf(typ)
					if !ok {
						t.Errorf("%s/%s: type %s is not covered by the execution policy", stack, id, typ)
					}
					for _, act := range ta.Actions {
						if !allows(allow, act) {
							t.Errorf("%s/%s (%s): the execution policy does not allow %s", stack, id, typ, act)
						}
					}
				}
			}
			// AND the policy allows nothing for a type the account does not use
			covered := map[string]bool{}
			for typ := range types {
				ta, _ := pipeline.ActionsOf(typ)
				for _, act := range ta.Actions {
					covered[act] = true
				}
			}
			for pattern := range allow {
				if !allows(map[string]bool{pattern: true}, keys(covered)...) {
					t.Errorf("the execution policy allows %s, which no resource type of the account needs", pattern)
				}
			}
			// AND it fits IAM's quota for a managed policy
			if n := pipeline.Size(doc); n > pipeline.ManagedPolicyQuota {
				t.Errorf("%d characters, over %d", n, pipeline.ManagedPolicyQuota)
			}
		})
	}
}

func TestEveryScenarioUsesOnlyResourceTypesTheExecutionPolicyCovers(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			if name == "org" {
				t.Skip("a topology with links to organizational units cannot have a pipeline (the topology refuses it), so its stack sets need no execution policy")
			}
			// GIVEN every synthesized topology, with or without a pipeline
			s := scenario(t, name)
			for stack, tpl := range s.tmpls {
				res, _ := tpl["Resources"].(map[string]any)
				for id, r := range res {
					// WHEN each resource's type is looked up
					typ, _ := r.(map[string]any)["Type"].(string)
					// THEN the execution policy covers it: a construct that starts using
					// a new type fails here until its CloudFormation actions are added
					if _, ok := pipeline.ActionsOf(typ); !ok {
						t.Errorf("%s/%s: resource type %s is not in pipeline.ResourceTypes", stack, id, typ)
					}
				}
			}
		})
	}
}

func TestEveryPipelineRoleHasTheBoundaryThatAllowsWhatItIsGiven(t *testing.T) {
	// GIVEN the pipeline scenario and the role boundary generated for each account
	s := scenario(t, "pipeline")
	for _, a := range s.plan.Pipeline.Accounts {
		t.Run(a.Alias, func(t *testing.T) {
			bound := allowed(readPolicy(t, s, a.RoleBoundaryFile))
			for stack, tpl := range accountTemplates(t, s, a.AccountID) {
				// WHEN each role and identity policy of the account's stacks is read
				for _, role := range tpl.Resources("AWS::IAM::Role") {
					// THEN every role has the account's role boundary and carries the
					// account's tag, which the execution policy requires of a role it
					// passes or changes
					if b := cdktest.JSON(role.Props()["PermissionsBoundary"]); !strings.Contains(b, ":iam::"+a.AccountID+":policy/"+s.plan.Pipeline.RoleBoundary) {
						t.Errorf("%s/%s: permissions boundary %s", stack, role.LogicalID, b)
					}
					if tags := cdktest.JSON(role.Props()["Tags"]); !strings.Contains(tags, `{"Key":"crosswire:account","Value":"`+a.Alias+`"}`) {
						t.Errorf("%s/%s: tags %s", stack, role.LogicalID, tags)
					}
				}
				// AND the boundary allows every action any of them is given, so that no
				// role loses a permission
				for _, pol := range tpl.Resources("AWS::IAM::Policy") {
					for _, st := range cdktest.Statements(pol.Props()["PolicyDocument"]) {
						if st["Effect"] != "Allow" {
							continue
						}
						for _, act := range cdktest.List(st["Action"]) {
							if !allows(bound, act.(string)) {
								t.Errorf("%s/%s allows %s, which the role boundary does not", stack, pol.LogicalID, act)
							}
						}
					}
				}
			}
		})
	}
}

func TestDeployOrderPrintsTheOneTimeSetUpOfEveryAccount(t *testing.T) {
	// GIVEN the pipeline scenario
	s := scenario(t, "pipeline")
	// WHEN the deploy order is read
	text, err := os.ReadFile(filepath.Join(s.dir, stacks.DeployOrderFile))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(s.dir, stacks.DeployOrderJSON))
	if err != nil {
		t.Fatal(err)
	}
	var plan stacks.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	tooling := s.topo.AccountID(s.topo.Pipeline.Account)
	// THEN every account creates the two generated policies and is bootstrapped to
	// deploy with them, trusting the tooling account (which trusts only itself), in
	// both files
	if plan.Pipeline == nil || len(plan.Pipeline.Accounts) != len(s.topo.Accounts) {
		t.Fatalf("pipeline set-up %+v, want one entry per account", plan.Pipeline)
	}
	for _, a := range plan.Pipeline.Accounts {
		policy := fmt.Sprintf("arn:aws:iam::%s:policy/Crosswire-cfn-execution", a.AccountID)
		trust := " --trust " + tooling
		if a.AccountID == tooling {
			trust = ""
		}
		want := []string{
			"aws iam create-policy --policy-name Crosswire-role-boundary --policy-document file://cdk.out/role-boundary-" + a.Alias + ".json --profile " + a.Alias,
			"aws iam create-policy --policy-name Crosswire-cfn-execution --policy-document file://cdk.out/execution-policy-" + a.Alias + ".json --profile " + a.Alias,
			fmt.Sprintf("scripts/cdk bootstrap aws://%s/%s%s --cloudformation-execution-policies %s --custom-permissions-boundary Crosswire-cfn-execution --profile %s", a.AccountID, s.topo.Region, trust, policy, a.Alias),
		}
		if !slices.Equal(a.Commands, want) {
			t.Errorf("%s: commands\n%q\nwant\n%q", a.Alias, a.Commands, want)
		}
		for _, c := range want {
			if !strings.Contains(string(text), c) {
				t.Errorf("%s lacks %q", stacks.DeployOrderFile, c)
			}
		}
		for _, f := range []string{a.ExecutionPolicyFile, a.RoleBoundaryFile} {
			if _, err := os.Stat(filepath.Join(s.dir, f)); err != nil {
				t.Error(err)
			}
		}
	}
	// AND the tooling account deploys the pipeline once, which deploys the rest
	deploy := "scripts/cdk deploy --app cdk.out Crosswire-pipeline --profile tooling"
	if plan.Pipeline.Deploy != deploy || !strings.Contains(string(text), deploy) {
		t.Errorf("first deploy %q, want %q", plan.Pipeline.Deploy, deploy)
	}
	// AND the smoke test is left to each sender account
	if !strings.Contains(string(text), "AWS_PROFILE=orders go run ./cmd/crosswire send -topology "+s.topo.Path) {
		t.Errorf("%s lacks the smoke test of orders:\n%s", stacks.DeployOrderFile, text)
	}
}

func TestWithoutAPipelineSectionNoPipelineIsSynthesized(t *testing.T) {
	// GIVEN the default topology, which has no pipeline section
	s := scenario(t, "default")
	// WHEN its cloud assembly is listed
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	// THEN it holds no pipeline, no stage, no policy for one, and the plan has no
	// set-up
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "assembly-") || strings.Contains(e.Name(), "pipeline") ||
			strings.HasPrefix(e.Name(), "execution-policy") || strings.HasPrefix(e.Name(), "role-boundary") {
			t.Errorf("cloud assembly holds %s", e.Name())
		}
	}
	if s.plan.Pipeline != nil {
		t.Errorf("plan has a pipeline set-up: %+v", s.plan.Pipeline)
	}
	raw, err := os.ReadFile(filepath.Join(s.dir, stacks.DeployOrderJSON))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), `"pipeline"`) {
		t.Errorf("%s mentions a pipeline", stacks.DeployOrderJSON)
	}
}

func TestAppReportsPipelineMistakesAndLeavesNoCloudAssembly(t *testing.T) {
	// GIVEN the output of a successful synth of a topology with a pipeline, with its
	// stages' nested assemblies and the generated policies
	out := filepath.Join(tmpRoot, "pipeline-mistakes.out")
	if stderr, code := runApp(t, scenarioFiles["pipeline"], out); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, stderr)
	}
	for _, f := range []string{"assembly-orders", "assembly-orders-wiring", "execution-policy-tooling.json", "role-boundary-orders.json", "Crosswire-pipeline.template.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("the synth wrote no %s: %v", f, err)
		}
	}
	// AND a pipeline section with an unknown tooling account, a malformed
	// connection, an unknown field, and an account aliased like the pipeline's stack
	doc := `region: eu-west-1
accounts:
  a: "111111111111"
  pipeline: "222222222222"
links:
  - {name: jobs, kind: queue, from: a, to: pipeline}
pipeline:
  account: tools
  source:
    connection: arn:aws:codestar:eu-west-1:111111111111:connection/x
    repository: acme/crosswire
  approval: true
`
	file := filepath.Join(tmpRoot, "pipeline-mistakes.yaml")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	// WHEN the app runs on it, into the same directory
	stderr, code := runApp(t, file, out)
	// THEN it exits non-zero naming each mistake on its line, and leaves nothing of
	// the earlier synth
	if code == 0 {
		t.Errorf("exit code 0, want non-zero")
	}
	for _, want := range []string{
		"4 problems",
		`line 4: accounts.pipeline: account alias "pipeline" would name its main stack Crosswire-pipeline, the name of the pipeline's stack (pipeline section, line 7)`,
		`line 8: pipeline.account: account alias "tools" is unknown; known aliases: a, pipeline`,
		`line 10: pipeline.source.connection: connection ARN "arn:aws:codestar:eu-west-1:111111111111:connection/x" must look like arn:aws:codeconnections:<region>:<account>:connection/<id> (or arn:aws:codestar-connections:...)`,
		`line 12: pipeline.approval: field "approval" is unknown; allowed: account, source, approveWave2, notifications`,
		"nothing was synthesized",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("report lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(out)
		t.Errorf("output directory %s still exists with %d entries", out, len(entries))
	}
}

func TestAppRefusesAPipelineTopologyOutsideTheRepository(t *testing.T) {
	// GIVEN a valid topology with a pipeline section, given by an absolute path the
	// pipeline's checkout of the repository cannot have
	raw, err := os.ReadFile(scenarioFiles["pipeline"])
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmpRoot, "elsewhere.yaml")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmpRoot, "elsewhere.out")
	// WHEN the app runs on it
	stderr, code := runApp(t, file, out)
	// THEN it refuses, saying why, and leaves nothing
	if code == 0 || !strings.Contains(stderr, "give it by a path inside the repository, relative to its root") {
		t.Errorf("exit code %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory %s still exists", out)
	}
}

func TestEveryPipelineNagSuppressionHasAReasonAndIsNarrowed(t *testing.T) {
	// GIVEN the pipeline's stack
	s := scenario(t, "pipeline")
	n := 0
	for id, r := range s.tmpls[stacks.PipelineStackName(s.topo)]["Resources"].(map[string]any) {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, x := range rules {
			// WHEN a suppression is found
			rule, _ := x.(map[string]any)
			n++
			// THEN it carries a reason, and a wildcard finding is named exactly
			if reason, _ := rule["reason"].(string); len(reason) < 80 {
				t.Errorf("%s: suppression %v has a thin reason %q", id, rule["id"], reason)
			}
			if applies, _ := rule["applies_to"].([]any); rule["id"] == "AwsSolutions-IAM5" && len(applies) == 0 {
				t.Errorf("%s: AwsSolutions-IAM5 suppressed for every finding", id)
			}
		}
	}
	if n == 0 {
		t.Fatal("found no suppression; the pipeline's stack needs some (artifact bucket logs, CDK Pipelines' grants)")
	}
}

func TestAppWritesTheReviewFilesOfAPipelineAssembly(t *testing.T) {
	// GIVEN a topology with a pipeline, whose stacks are in the stages' nested assemblies
	out := filepath.Join(tmpRoot, "pipeline-app")
	// WHEN the app synthesizes it as the CDK CLI runs it, with the construct paths the
	// CLI asks for
	cmd := exec.Command(appBinary(t))
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+out,
		`CDK_CONTEXT_JSON={"topology":"testdata/pipeline.yaml","aws:cdk:enable-path-metadata":true}`)
	// THEN it succeeds, and the access report and the diagram name the links, not the
	// stages' stacks
	if stderr, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("app: %v\n%s", err, stderr)
	}
	for _, f := range []string{"access.md", "topology.md"} {
		raw, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), "invoices") || strings.Contains(string(raw), `link "Crosswire-`) {
			t.Errorf("%s does not name the links:\n%s", f, raw)
		}
	}
}
