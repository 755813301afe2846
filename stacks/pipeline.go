package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/pipeline"
	"github.com/crosswire/crosswire/topology"
)

// PipelineStackName returns the name of the pipeline's stack in the tooling account:
// Crosswire-[prefix-]pipeline. It is the name an account aliased "pipeline" would give
// its main stack, which is why the topology refuses that alias beside a pipeline
// section; any other tooling account keeps its own stacks beside the pipeline's.
func PipelineStackName(t *topology.Topology) string {
	return StackName(t, topology.PipelineAlias)
}

// ExecutionPolicyName returns the name of the customer managed policy that
// CloudFormation deploys with in every account of a pipeline (and that is its
// execution role's permissions boundary): Crosswire-[prefix-]cfn-execution.
func ExecutionPolicyName(t *topology.Topology) string {
	return policyName(t, "cfn-execution")
}

// RoleBoundaryName returns the name of the customer managed policy that is the
// permissions boundary of every role a pipeline creates: Crosswire-[prefix-]role-boundary.
func RoleBoundaryName(t *topology.Topology) string {
	return policyName(t, "role-boundary")
}

func policyName(t *topology.Topology, name string) string {
	if t.NamePrefix != "" {
		return "Crosswire-" + t.NamePrefix + "-" + name
	}
	return "Crosswire-" + name
}

// PipelineSetup is what a person does once, with administrator credentials of each
// account, before a pipeline deploys a topology.
type PipelineSetup struct {
	// StackName is the pipeline's stack, in the tooling account.
	StackName string `json:"stackName"`
	// Alias, AccountID and Region are the tooling account's.
	Alias     string `json:"account"`
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	// ExecutionPolicy and RoleBoundary name the policies every account creates.
	ExecutionPolicy string `json:"executionPolicy"`
	RoleBoundary    string `json:"roleBoundary"`
	// Accounts are the accounts the pipeline deploys to, the tooling account first,
	// each with its one-time commands.
	Accounts []AccountSetup `json:"accounts"`
	// Deploy is the first deployment of the pipeline's stack; the pipeline updates
	// itself after that.
	Deploy string `json:"deploy"`
	// SmokeTests are run by hand, with a sender account's credentials, after wave 2.
	SmokeTests []string `json:"smokeTests"`
	// ApproveWave2 is true when a person approves in the pipeline before wave 2.
	ApproveWave2 bool `json:"approveWave2"`
	// ApprovalUnused is true when the topology asks for an approval before wave 2
	// but has no wave 2.
	ApprovalUnused bool `json:"approvalUnused,omitempty"`
}

// AccountSetup is the one-time set-up of one account a pipeline deploys to.
type AccountSetup struct {
	Alias     string `json:"account"`
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	// Regions are the account's regions, the first being Region, when it has stacks
	// in more than one (each bootstrapped with the same two policies).
	Regions []string `json:"regions,omitempty"`
	// ExecutionPolicyFile and RoleBoundaryFile are the policy documents, in the cloud
	// assembly directory, generated from the account's templates.
	ExecutionPolicyFile string `json:"executionPolicyFile"`
	RoleBoundaryFile    string `json:"roleBoundaryFile"`
	// Commands create the two policies and bootstrap the account so that the
	// tooling account may deploy to it with them.
	Commands []string `json:"commands"`
}

// synthPath is what the synth step's command line may hold as a topology path.
var synthPath = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

// buildPipeline builds, for a topology with a pipeline section, one stage per account
// and wave (env = that account, the stack inside it named as without a pipeline, so
// that stacks deployed by hand before are updated, not created again), and the
// pipeline's stack in the tooling account, which deploys wave 1 (every main stack, in
// parallel) and then wave 2 (every wiring stack). Stacks of different pipeline stages
// cannot depend on each other (aws-cdk issue 17725), so here the waves carry the
// order and the stacks get no dependencies.
func buildPipeline(app awscdk.App, t *topology.Topology) (*Plan, error) {
	pl := t.Pipeline
	if !filepath.IsLocal(t.Path) || !synthPath.MatchString(filepath.ToSlash(t.Path)) {
		return nil, fmt.Errorf("the pipeline synthesizes the topology file from its checkout of the repository, so give it by a path inside the repository, relative to its root, of letters, digits, '.', '_', '-' and '/' (not %q)", t.Path)
	}
	waves, err := Waves(planned(t))
	if err != nil {
		return nil, err
	}
	boundary := RoleBoundaryName(t)
	// A stage is synthesized when the pipeline takes it in, before the app, and
	// aspects added to the app do not reach into stages (by design, aws-cdk issue
	// 20468): give each stage the app's aspects, such as cdk-nag's checks.
	aspects := *awscdk.Aspects_Of(app).Applied()
	var pwaves []pipeline.Wave
	byName := map[string]awscdk.Stack{}
	rows := map[string][]dashboardRow{}
	for i, w := range waves {
		pw := pipeline.Wave{Name: fmt.Sprintf("Wave%d", i+1), Approval: i == 1 && pl.ApproveWave2}
		for j, r := range w {
			stageID := r.Alias
			if len(t.Regions(r.Alias)) > 1 {
				stageID += "-" + r.Region
			}
			if r.phase == Wiring {
				stageID += "-wiring"
			}
			stage := awscdk.NewStage(app, jsii.String(stageID), &awscdk.StageProps{
				Env:                 &awscdk.Environment{Account: jsii.String(r.AccountID), Region: jsii.String(r.Region)},
				PermissionsBoundary: awscdk.PermissionsBoundary_FromName(jsii.String(boundary)),
			})
			for _, a := range aspects {
				awscdk.Aspects_Of(stage).Add(a.Aspect(), &awscdk.AspectOptions{Priority: a.Priority()})
			}
			byName[r.StackName], rows[r.StackName] = newAccountStack(stage, r.StackName, &AccountStackProps{Topology: t, Alias: r.Alias, Region: r.Region, Phase: r.phase})
			// By hand only to recover: the pipeline deploys it.
			w[j].Command = fmt.Sprintf("scripts/cdk deploy --app cdk.out --exclusively %s/%s --profile %s", stageID, r.StackName, r.Alias)
			pw.Stages = append(pw.Stages, stage)
		}
		pwaves = append(pwaves, pw)
	}
	// The dashboards go in before the pipeline takes the stages in (and synthesizes them).
	if err := addDashboards(t, byName, rows); err != nil {
		return nil, err
	}
	tooling := t.AccountID(pl.Account)
	pipeline.NewStack(app, &pipeline.StackProps{
		StackName:   PipelineStackName(t),
		Account:     tooling,
		Region:      t.Region,
		Description: fmt.Sprintf("Crosswire: the pipeline that deploys topology %s to its accounts", t.Path),
		Tags:        map[string]string{accountTag: pl.Account},
		Source: pipeline.Source{
			Connection: pl.Connection, Repository: pl.Repository, CodeCommit: pl.CodeCommit, Branch: pl.Branch,
		},
		SynthCommands:     synthCommands(t),
		Waves:             pwaves,
		NotificationTopic: pl.Notifications,
		RoleBoundary:      boundary,
	})
	return &Plan{Topology: t.Path, Waves: waves, Pipeline: setup(t, waves)}, nil
}

// synthCommands are the pipeline's synth step: the project's own set-up (Go modules,
// the pinned CDK CLI and Node) and a synth of the topology into cdk.out.
func synthCommands(t *topology.Topology) []string {
	synth := "scripts/cdk synth"
	if p := filepath.ToSlash(filepath.Clean(t.Path)); p != topology.DefaultPath {
		synth += " -c topology=" + p
	}
	// scripts/setup ends with a synth of topology.yaml; start the pipeline's synth
	// from an empty cdk.out all the same.
	return []string{"scripts/setup", "rm -rf cdk.out", synth}
}

// setup returns the one-time set-up of every account of t, the tooling account first.
func setup(t *topology.Topology, waves [][]StackRef) *PipelineSetup {
	pl := t.Pipeline
	tooling := t.AccountID(pl.Account)
	s := &PipelineSetup{
		StackName: PipelineStackName(t), Alias: pl.Account, AccountID: tooling, Region: t.Region,
		ExecutionPolicy: ExecutionPolicyName(t), RoleBoundary: RoleBoundaryName(t),
		Deploy:         fmt.Sprintf("scripts/cdk deploy --app cdk.out %s --profile %s", PipelineStackName(t), pl.Account),
		ApproveWave2:   pl.ApproveWave2 && len(waves) >= 2,
		ApprovalUnused: pl.ApproveWave2 && len(waves) < 2,
	}
	accounts := []topology.Account{{Alias: pl.Account, ID: tooling}}
	for _, a := range t.Accounts {
		if a.Alias != pl.Account {
			accounts = append(accounts, a)
		}
	}
	for _, a := range accounts {
		exec, bound := policyFiles(a.Alias)
		// IAM policies are global to the account: one pair serves the bootstrap of each
		// of its regions.
		regions := stackRegions(t, waves, a)
		policyARN := fmt.Sprintf("arn:%s:iam::%s:policy/%s", awsarn.Partition(regions[0]), a.ID, s.ExecutionPolicy)
		commands := []string{
			fmt.Sprintf("aws iam create-policy --policy-name %s --policy-document file://cdk.out/%s --profile %s", s.RoleBoundary, bound, a.Alias),
			fmt.Sprintf("aws iam create-policy --policy-name %s --policy-document file://cdk.out/%s --profile %s", s.ExecutionPolicy, exec, a.Alias),
		}
		for _, region := range regions {
			bootstrap := fmt.Sprintf("scripts/cdk bootstrap aws://%s/%s", a.ID, region)
			if a.ID != tooling {
				bootstrap += " --trust " + tooling
			}
			bootstrap += fmt.Sprintf(" --cloudformation-execution-policies %s --custom-permissions-boundary %s --profile %s", policyARN, s.ExecutionPolicy, a.Alias)
			commands = append(commands, bootstrap)
		}
		as := AccountSetup{
			Alias: a.Alias, AccountID: a.ID, Region: regions[0],
			ExecutionPolicyFile: exec, RoleBoundaryFile: bound,
			Commands: commands,
		}
		if len(regions) > 1 {
			as.Regions = regions
		}
		s.Accounts = append(s.Accounts, as)
	}
	senders := map[string]bool{}
	for _, l := range t.Links {
		for _, a := range l.From {
			senders[a] = true
		}
	}
	for _, a := range t.Accounts {
		if senders[a.Alias] {
			cmd := fmt.Sprintf("AWS_PROFILE=%s go run ./cmd/crosswire send", a.Alias)
			if p := filepath.ToSlash(filepath.Clean(t.Path)); p != topology.DefaultPath {
				cmd += " -topology " + p
			}
			s.SmokeTests = append(s.SmokeTests, cmd)
		}
	}
	return s
}

// stackRegions returns the regions the pipeline deploys stacks of account a to, in
// the order of waves; an account with no stack, the region of its own. The tooling
// account's are the topology's region, where the pipeline runs, and every region the
// pipeline deploys to: CDK Pipelines keeps a support stack with an artifact bucket
// in the tooling account in each region of its stages, and those need bootstrapping.
func stackRegions(t *topology.Topology, waves [][]StackRef, a topology.Account) []string {
	var out []string
	tooling := t.Pipeline != nil && a.Alias == t.Pipeline.Account
	if tooling {
		out = append(out, t.Region)
	}
	for _, w := range waves {
		for _, r := range w {
			if (tooling || r.Alias == a.Alias) && !slices.Contains(out, r.Region) {
				out = append(out, r.Region)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, t.RegionOf(a.Alias))
	}
	return out
}

// policyFiles returns the names, in the cloud assembly directory, of the execution
// policy and the role boundary of the account alias.
func policyFiles(alias string) (exec, boundary string) {
	return "execution-policy-" + alias + ".json", "role-boundary-" + alias + ".json"
}

// writePipelined writes the policies of every account, generated from the templates
// of the cloud assembly in dir, then the plan: the one-time set-up, and the waves the
// pipeline deploys.
func (p *Plan) writePipelined(dir string) error {
	s := p.Pipeline
	stacks, err := cfnres.ReadAssembly(dir)
	if err != nil {
		return err
	}
	byAccount := map[string]map[string]map[string]any{}
	for _, st := range stacks {
		if byAccount[st.Account] == nil {
			byAccount[st.Account] = map[string]map[string]any{}
		}
		byAccount[st.Account][st.Name] = st.Template
	}
	var failed []string
	for _, a := range s.Accounts {
		exec, bound, err := pipeline.Policies(pipeline.PolicyInput{
			Account: a.AccountID, Region: a.Region, Regions: a.Regions, Alias: a.Alias,
			TagKey: accountTag, TagValue: a.Alias,
			ExecutionPolicy: s.ExecutionPolicy, RoleBoundary: s.RoleBoundary,
			Templates: byAccount[a.AccountID],
		})
		if err != nil {
			failed = append(failed, fmt.Sprintf("account %s (%s): %v", a.Alias, a.AccountID, err))
			continue
		}
		for file, doc := range map[string]any{a.ExecutionPolicyFile: exec, a.RoleBoundaryFile: bound} {
			raw, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, file), append(raw, '\n'), 0o644); err != nil {
				return err
			}
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return fmt.Errorf("the pipeline's policies cannot be generated:\n  - %s", strings.Join(failed, "\n  - "))
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "# Deploy order of topology %s, deployed by the pipeline %s\n", p.Topology, s.StackName)
	fmt.Fprintf(&b, "# in account %s (%s, %s).\n", s.Alias, s.AccountID, s.Region)
	b.WriteString("\none-time set-up, with administrator credentials of each account:\n")
	b.WriteString("  # Read the two generated policies first: the execution policy is all CloudFormation\n")
	b.WriteString("  # may do in the account, the role boundary all a role the pipeline creates may do.\n")
	b.WriteString("  # When a later synth changes them, update them the same way (aws iam create-policy-version\n")
	b.WriteString("  # --set-as-default); the pipeline cannot change them.\n")
	for _, a := range s.Accounts {
		regions := a.Region
		if len(a.Regions) > 1 {
			regions = strings.Join(a.Regions, ", ")
		}
		fmt.Fprintf(&b, "  # %s (%s, %s)", a.Alias, a.AccountID, regions)
		if a.AccountID == s.AccountID {
			b.WriteString(": the tooling account")
		} else {
			fmt.Fprintf(&b, ": trusts the tooling account %s to deploy with these policies", s.AccountID)
		}
		b.WriteString("\n")
		for _, c := range a.Commands {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	}
	b.WriteString("\nfirst deploy of the pipeline (git push first: it starts from the repository):\n")
	fmt.Fprintf(&b, "  %s\n", s.Deploy)
	b.WriteString("\nthe pipeline deploys, after it has updated itself (by hand only to recover):\n")
	for i, w := range p.Waves {
		fmt.Fprintf(&b, "\nwave %d:", i+1)
		if i == 1 && s.ApproveWave2 {
			b.WriteString(" after a manual approval in the pipeline")
		}
		b.WriteString("\n")
		for _, r := range w {
			fmt.Fprintf(&b, "  # %s (%s, %s)", r.Alias, r.AccountID, r.Region)
			if len(r.DependsOn) > 0 {
				fmt.Fprintf(&b, ", after %s", strings.Join(r.DependsOn, ", "))
			}
			if r.Idle {
				b.WriteString(": takes part in no link yet, the stack holds only a placeholder")
			}
			fmt.Fprintf(&b, "\n  %s\n", r.Command)
		}
	}
	if s.ApprovalUnused {
		b.WriteString("\n# approveWave2: this topology has no wave 2 yet (no wiring stack), so nothing waits for an approval.\n")
	}
	if len(s.SmokeTests) > 0 {
		b.WriteString("\nafter wave 2, the smoke test, with each sender account's credentials (not run by the pipeline):\n")
		for _, c := range s.SmokeTests {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, DeployOrderFile), b.Bytes(), 0o644); err != nil {
		return err
	}
	j, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, DeployOrderJSON), append(j, '\n'), 0o644)
}
