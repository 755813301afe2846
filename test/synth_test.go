// Package test synthesizes whole topologies the way `cdk synth` does and checks what
// the accounts would deploy: one stack per account, policies against golden files,
// cdk-nag's AwsSolutions rules, the deploy order, and the app's answer to bad input.
package test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/policysnap"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

// synthesized is one topology synthesized once and shared by the tests.
type synthesized struct {
	topo   *topology.Topology
	plan   *stacks.Plan
	dir    string
	stacks map[string]awscdk.Stack
	tmpls  map[string]cdktest.Tmpl
	err    error
}

var scenarios = map[string]*synthesized{
	"default":     {},
	"full":        {},
	"stream-only": {},
	"regions":     {},
	"pipeline":    {},
	"org":         {},
	// Focused scenarios: synthesized for their own tests only (focusedFiles).
	"regions-pipeline": {},
}

var scenarioFiles = map[string]string{
	"default":     "../topology.yaml",
	"full":        "testdata/full.yaml",
	"stream-only": "testdata/stream-only.yaml",
	"regions":     "testdata/regions.yaml",
	"pipeline":    "testdata/pipeline.yaml",
	"org":         "testdata/org.yaml",
}

// focusedFiles are the scenarios that only their own tests synthesize: the loops over
// scenarioFiles (golden files, quotas, names) leave them out, as a scenario there
// covers them already; cdk-nag still checks them as they synthesize.
var focusedFiles = map[string]string{
	"regions-pipeline": "testdata/regions-pipeline.yaml", // regions.yaml with a pipeline
}

// tmpRoot holds the cloud assemblies and binaries the tests make.
var tmpRoot string

func TestMain(m *testing.M) {
	if err := cdktest.UsePinnedNode(); err != nil {
		jsii.Close()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var err error
	tmpRoot, err = os.MkdirTemp("", "crosswire-test-")
	if err != nil {
		jsii.Close()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	jsii.Close()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// scenario synthesizes the named topology on first use, with cdk-nag's AwsSolutions
// checks applied, into a cloud assembly directory of its own.
func scenario(t *testing.T, name string) *synthesized {
	t.Helper()
	s := scenarios[name]
	if s.tmpls != nil || s.err != nil {
		if s.err != nil {
			t.Fatal(s.err)
		}
		return s
	}
	path := scenarioFiles[name]
	if path == "" {
		path = focusedFiles[name]
	}
	s.topo, s.err = topology.Load(path)
	if s.err != nil {
		t.Fatal(s.err)
	}
	s.dir = filepath.Join(tmpRoot, name)
	app := cdktest.NewApp(t, s.dir)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	s.plan, s.err = stacks.Build(app, s.topo)
	if s.err != nil {
		t.Fatal(s.err)
	}
	if s.err = synth(app, s.dir); s.err != nil {
		t.Fatal(s.err)
	}
	if s.err = s.plan.Write(s.dir); s.err != nil {
		t.Fatal(s.err)
	}
	s.stacks = map[string]awscdk.Stack{}
	s.tmpls = map[string]cdktest.Tmpl{}
	for _, st := range appStacks(app) {
		name := *st.StackName()
		s.stacks[name] = st
		s.tmpls[name] = cdktest.ReadTemplate(t, filepath.Join(*awscdk.Stage_Of(st).Outdir(), *st.TemplateFile()))
	}
	return s
}

// synth synthesizes app into dir. A failed synth (jsii raises it as a panic) becomes
// an error that carries the validation report, which names the rule and resource.
func synth(app awscdk.App, dir string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			report, _ := os.ReadFile(filepath.Join(dir, "validation-report.json"))
			err = fmt.Errorf("synth failed: %v\n%s", r, report)
		}
	}()
	app.Synth(nil)
	return nil
}

func TestPolicyGoldenFiles(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the topology synthesized into per-account templates
			s := scenario(t, name)
			for stack, tpl := range s.tmpls {
				// WHEN every IAM and resource policy of the stack is extracted and normalized
				// THEN it equals the reviewed golden file
				policysnap.AssertTemplates(t, filepath.Join("testdata", name, stack+".policies.json"),
					map[string]map[string]any{stack: tpl})
			}
			// AND no golden file is left over from a stack that no longer exists
			files, _ := filepath.Glob(filepath.Join("testdata", name, "*.policies.json"))
			for _, f := range files {
				if _, ok := s.tmpls[strings.TrimSuffix(filepath.Base(f), ".policies.json")]; !ok {
					t.Errorf("golden file %s belongs to no synthesized stack: delete it", f)
				}
			}
		})
	}
}

func TestEveryPolicyFitsItsAWSQuota(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized topology
			s := scenario(t, name)
			// WHEN every policy is measured against its AWS size quota
			// THEN none is over
			if err := stacks.CheckQuotas(s.dir); err != nil {
				t.Error(err)
			}
			// AND no physical name is taken twice
			if err := stacks.CheckNames(s.dir); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCdkNagAwsSolutions(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the topology synthesized with cdk-nag's AwsSolutions pack
			s := scenario(t, name)
			for stackName, st := range s.stacks {
				// WHEN the findings of each stack are collected
				errs, warns := cdktest.NagFindings(st)
				// THEN no error is left unsuppressed
				for _, e := range errs {
					t.Errorf("%s: unsuppressed cdk-nag error %s", stackName, e)
				}
				for _, w := range warns {
					t.Logf("%s: cdk-nag warning %s", stackName, w)
				}
			}
		})
	}
}

func TestEveryNagSuppressionHasAReason(t *testing.T) {
	// GIVEN the templates of the fullest topology
	s := scenario(t, "full")
	n := 0
	for stack, tpl := range s.tmpls {
		res, _ := tpl["Resources"].(map[string]any)
		for id, r := range res {
			meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
			nag, _ := meta["cdk_nag"].(map[string]any)
			rules, _ := nag["rules_to_suppress"].([]any)
			for _, x := range rules {
				// WHEN a suppression is found
				rule, _ := x.(map[string]any)
				n++
				// THEN it carries a reason a reviewer can check
				if reason, _ := rule["reason"].(string); len(reason) < 40 {
					t.Errorf("%s/%s: suppression %v has a thin reason %q", stack, id, rule["id"], reason)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("found no suppression at all; the full topology should need some (DLQ, key wildcard)")
	}
}

func TestOneStackPerAccountInItsEnvironment(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized topology
			s := scenario(t, name)
			// WHEN the cloud assembly's manifests are read (a pipeline's stages are
			// nested assemblies)
			arts, missing := stackArtifacts(t, s.dir)
			// THEN each account has one main stack per region, and a wiring stack exactly
			// where the plan says, each pinned to its account and region, named after the
			// alias (and the region, for an account in several), and carrying the plan's
			// dependencies for `cdk deploy --all`; in a pipeline the waves carry the
			// order, and no stack depends on another
			planned := 0
			for _, w := range s.plan.Waves {
				for _, r := range w {
					planned++
					art, ok := arts[r.StackName]
					if !ok {
						t.Errorf("no stack artifact %s for account %s", r.StackName, r.Alias)
						continue
					}
					if env := fmt.Sprintf("aws://%s/%s", s.topo.AccountID(r.Alias), r.Region); art.Environment != env {
						t.Errorf("%s environment = %s, want %s", r.StackName, art.Environment, env)
					}
					if !slices.Contains(s.topo.Regions(r.Alias), r.Region) {
						t.Errorf("%s is in %s, not one of the regions of account %s: %v", r.StackName, r.Region, r.Alias, s.topo.Regions(r.Alias))
					}
					if s.plan.Pipeline != nil {
						for _, d := range art.Dependencies {
							if !strings.HasSuffix(d, ".assets") {
								t.Errorf("%s depends on %s in a pipeline, where stages cannot depend on each other", r.StackName, d)
							}
						}
						continue
					}
					for _, d := range r.DependsOn {
						if !slices.Contains(art.Dependencies, d) {
							t.Errorf("%s does not depend on %s in the manifest: %v", r.StackName, d, art.Dependencies)
						}
					}
				}
			}
			for _, a := range s.topo.Accounts {
				for _, region := range s.topo.Regions(a.Alias) {
					_, main := arts[stacks.StackNameIn(s.topo, a.Alias, region)]
					_, wiring := arts[stacks.StackNameIn(s.topo, a.Alias, region, stacks.Wiring)]
					if !main && !wiring {
						t.Errorf("account %s has no stack in %s", a.Alias, region)
					}
				}
			}
			if s.plan.Pipeline != nil {
				planned++ // the pipeline's own stack
			}
			if len(arts) != planned {
				t.Errorf("%d stacks synthesized, %d in the plan", len(arts), planned)
			}
			// AND synth needed no lookup in any account
			if len(missing) > 0 {
				t.Errorf("synth needs context lookups: %v", missing)
			}
		})
	}
}

func TestNoExportsOrImportsAcrossStacks(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized templates
			s := scenario(t, name)
			for stack, tpl := range s.tmpls {
				// WHEN outputs and intrinsics are inspected
				outputs, _ := tpl["Outputs"].(map[string]any)
				for id, o := range outputs {
					// THEN no output is exported and no value imported: each side computes
					// the other's ARNs from the link
					if _, exported := o.(map[string]any)["Export"]; exported {
						t.Errorf("%s: output %s is exported", stack, id)
					}
				}
				if strings.Contains(cdktest.JSON(tpl), `"Fn::ImportValue"`) {
					t.Errorf("%s imports a value from another stack", stack)
				}
			}
		})
	}
}
