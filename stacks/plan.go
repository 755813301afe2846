package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/internal/quota"
	"github.com/crosswire/crosswire/topology"
)

// DeployOrderFile and DeployOrderJSON are the files, in the cloud assembly directory,
// that tell in which order the accounts deploy and with which command.
const (
	DeployOrderFile = "deploy-order.txt"
	DeployOrderJSON = "deploy-order.json"
)

// StackRef is one stack of the plan.
type StackRef struct {
	StackName string `json:"stackName"`
	Alias     string `json:"account"`
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	// DependsOn are the stacks that must be deployed before this one.
	DependsOn []string `json:"dependsOn"`
	// Command deploys the stack from the synthesized cloud assembly.
	Command string `json:"command"`
	// Idle is true when the account takes part in no link: its stack holds only a
	// placeholder.
	Idle bool `json:"idle,omitempty"`
	// StackSets are the stack sets the stack holds, when it is a StackSets
	// administrator's stack of links to organizational units (stacks/stackset.go).
	StackSets []StackSetRef `json:"stackSets,omitempty"`
	phase     Phase
	sets      bool
}

// Plan is the deployment plan of a topology: waves of stacks, where every stack of a
// wave depends only on stacks of earlier waves, so the stacks of one wave may deploy
// in any order or in parallel.
type Plan struct {
	Topology string       `json:"topology"`
	Waves    [][]StackRef `json:"waves"`
	// Bootstrap bootstraps each account in each region, when the stacks span more
	// than one region (BootstrapCommands).
	Bootstrap []string `json:"bootstrap,omitempty"`
	// Pipeline is the one-time set-up of continuous deployment, or nil when the
	// topology has no pipeline section.
	Pipeline *PipelineSetup `json:"pipeline,omitempty"`
	// Members are the member templates of the stack sets, each in an app of its own.
	Members []*MemberTemplate `json:"-"`
	// Replicated are the stacks whose templates were written from another account's
	// of the same shape rather than built from the constructs (stacks/replicas.go).
	Replicated []string `json:"-"`
}

// Build creates the stacks of every account of t in app, records the dependencies
// between them (so that `cdk deploy --all` orders itself) and returns the plan. With a
// pipeline section, the stacks go into the stages of a pipeline instead (see
// buildPipeline).
func Build(app awscdk.App, t *topology.Topology) (*Plan, error) {
	prebuild(t)
	if t.Pipeline != nil {
		return buildPipeline(app, t)
	}
	refs := append(planned(t), plannedStackSets(t)...)
	byName := map[string]awscdk.Stack{}
	var members []*MemberTemplate
	rows := map[string][]dashboardRow{}
	replicas := replicate(app, t, refs)
	var replicated []string
	for i, r := range refs {
		if r.sets {
			var m []*MemberTemplate
			byName[r.StackName], m = newStackSetStack(app, t, r)
			members = append(members, m...)
		} else if rep := replicas[r.StackName]; rep != nil {
			// Its dashboard is in the template: no rows.
			byName[r.StackName] = newReplicaStack(app, r, rep)
			replicated = append(replicated, r.StackName)
		} else {
			byName[r.StackName], rows[r.StackName] = newAccountStack(app, r.StackName, &AccountStackProps{Topology: t, Alias: r.Alias, Region: r.Region, Phase: r.phase})
		}
		// --exclusively: without it the CLI also deploys the stacks this one depends
		// on, which belong to other accounts.
		refs[i].Command = fmt.Sprintf("scripts/cdk deploy --app cdk.out --exclusively %s --profile %s", r.StackName, r.Alias)
	}
	for _, r := range refs {
		for _, d := range r.DependsOn {
			byName[r.StackName].AddStackDependency(byName[d], jsii.String("uses resources of "+d+" at deploy time"))
		}
	}
	if err := addDashboards(t, byName, rows); err != nil {
		return nil, err
	}
	waves, err := Waves(refs)
	if err != nil {
		return nil, err
	}
	return &Plan{Topology: t.Path, Waves: waves, Members: members, Replicated: replicated}, nil
}

// planned returns the stacks of every account of t in each of its regions, main
// stacks first, in the order of the accounts, without their commands.
func planned(t *topology.Topology) []StackRef {
	var refs []StackRef
	add := func(alias, id, region string, phase Phase, deps []string) {
		refs = append(refs, StackRef{
			StackName: StackNameIn(t, alias, region, phase), Alias: alias, AccountID: id, Region: region,
			DependsOn: deps,
			Idle:      phase == Main && !Active(t, alias) && !hasPrivate(t, alias),
			phase:     phase,
		})
	}
	// Each half has one fixed stack, so no resource moves between stacks when an
	// account takes part in more links. An account with wiring halves only (a stream
	// consumer, a bus sender) and no alarms has no main stack; one with no halves at all gets a
	// main stack holding a placeholder.
	// An account has stacks in each region it takes part in links from.
	for _, a := range t.Accounts {
		for _, r := range t.Regions(a.Alias) {
			if hasMainHalves(t, a.Alias, r) || wiringNeeds(t, a.Alias, r) == nil {
				add(a.Alias, a.ID, r, Main, []string{})
			}
		}
	}
	for _, a := range t.Accounts {
		for _, r := range t.Regions(a.Alias) {
			if deps := wiringNeeds(t, a.Alias, r); deps != nil {
				add(a.Alias, a.ID, r, Wiring, deps)
			}
		}
	}
	return refs
}

// hasMainHalves reports whether the account alias has anything for its main stack in
// region: a main half of a link, private access (in the account's own region), or
// the alarm topic of its alarmed halves there.
func hasMainHalves(t *topology.Topology, alias, region string) bool {
	if _, ok := t.PrivateAccessOf(alias); ok && region == t.RegionOf(alias) {
		return true
	}
	if needsAlarmTopic(t, alias, region) {
		return true // the alarm topic
	}
	for _, h := range halves(t, alias, region) {
		if h.phase == Main {
			return true
		}
	}
	return false
}

// wiringNeeds returns the main stacks the wiring stack of alias in region depends on
// (its own first, when it has one), or nil when the account has no wiring halves
// there and so no wiring stack.
func wiringNeeds(t *topology.Topology, alias, region string) []string {
	var deps []string
	seen := map[stackKey]bool{}
	for _, h := range halves(t, alias, region) {
		if h.phase != Wiring {
			continue
		}
		if deps == nil {
			deps = []string{}
			if hasMainHalves(t, alias, region) {
				deps = append(deps, StackNameIn(t, alias, region))
			}
			seen[stackKey{alias, region}] = true
		}
		for _, n := range h.needs {
			if !seen[n] {
				seen[n] = true
				deps = append(deps, StackNameIn(t, n.alias, n.region))
			}
		}
	}
	return deps
}

// Waves orders stacks so that each comes after everything it depends on: wave 1 holds
// the stacks that depend on nothing, wave 2 those that depend only on wave 1, and so on.
// A dependency cycle is an error naming the stacks in it.
func Waves(refs []StackRef) ([][]StackRef, error) {
	done := map[string]bool{}
	known := map[string]bool{}
	for _, r := range refs {
		known[r.StackName] = true
	}
	for _, r := range refs {
		for _, d := range r.DependsOn {
			if !known[d] {
				return nil, fmt.Errorf("stack %s depends on %s, which is not in the plan", r.StackName, d)
			}
		}
	}
	var waves [][]StackRef
	left := append([]StackRef(nil), refs...)
	for len(left) > 0 {
		var wave, rest []StackRef
		for _, r := range left {
			ready := true
			for _, d := range r.DependsOn {
				ready = ready && done[d]
			}
			if ready {
				wave = append(wave, r)
			} else {
				rest = append(rest, r)
			}
		}
		if len(wave) == 0 {
			names := make([]string, len(rest))
			for i, r := range rest {
				names[i] = r.StackName
			}
			return nil, fmt.Errorf("stacks %s depend on each other in a cycle", strings.Join(names, ", "))
		}
		sort.Slice(wave, func(i, j int) bool { return wave[i].StackName < wave[j].StackName })
		for _, r := range wave {
			done[r.StackName] = true
		}
		waves = append(waves, wave)
		left = rest
	}
	return waves, nil
}

// Write writes the plan into dir (the cloud assembly directory) as DeployOrderFile,
// for people, and DeployOrderJSON, for pipelines.
func (p *Plan) Write(dir string) error {
	if p.Pipeline != nil {
		return p.writePipelined(dir)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Deploy order of topology %s\n", p.Topology)
	b.WriteString("# Deploy the waves in order. Stacks of one wave do not depend on each other:\n")
	b.WriteString("# deploy them in any order or in parallel, each with credentials of its own account.\n")
	b.WriteString("# `--app cdk.out` deploys exactly the templates synthesized here.\n")
	if p.Bootstrap = BootstrapCommands(p.Waves); len(p.Bootstrap) > 0 {
		b.WriteString("\nbootstrap, once per account and region, before wave 1 (each stack deploys into the region of its environment, named in its comment):\n")
		for _, c := range p.Bootstrap {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	}
	for i, w := range p.Waves {
		fmt.Fprintf(&b, "\nwave %d:\n", i+1)
		for _, r := range w {
			fmt.Fprintf(&b, "  # %s (%s, %s)", r.Alias, r.AccountID, r.Region)
			if len(r.DependsOn) > 0 {
				fmt.Fprintf(&b, ", after %s", strings.Join(r.DependsOn, ", "))
			}
			if r.Idle {
				b.WriteString(": takes part in no link yet, the stack holds only a placeholder")
			}
			writeStackSets(&b, r)
			fmt.Fprintf(&b, "\n  %s\n", r.Command)
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

func hasPrivate(t *topology.Topology, alias string) bool {
	_, ok := t.PrivateAccessOf(alias)
	return ok
}

// CheckQuotas measures every policy of the templates in the cloud assembly directory
// dir against the size quotas AWS enforces at deploy time, and returns a
// *problem.Error naming each policy over its quota (and what to change), or nil.
func CheckQuotas(dir string) error {
	stacks, err := cfnres.ReadAssembly(dir)
	if err != nil {
		return err
	}
	return CheckQuotasOf(stacks)
}

// CheckQuotasOf is CheckQuotas on the stacks of a cloud assembly already read. The
// member templates of its stack sets are measured as templates of their own.
func CheckQuotasOf(stacks []cfnres.Stack) error {
	templates := make(map[string]map[string]any, len(stacks))
	for _, s := range stacks {
		templates[s.Name] = s.Template
	}
	if err := addMemberTemplates(templates); err != nil {
		return err
	}
	return quota.Check(templates)
}
