package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudformation"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// Template size quotas of a stack set: inline in TemplateBody, and as an S3 object
// named by TemplateURL.
const (
	MaxTemplateBody = 51_200
	MaxTemplateURL  = 460_800
)

// StackSetStackName returns the name of the stack of the StackSets administrator that
// holds the stack sets of phase: Crosswire-[prefix-]<admin>-stacksets, and -wiring
// for the stack sets whose halves use other accounts' resources. It is in the
// administrator's own region, whatever the regions its stack sets deploy to.
func StackSetStackName(t *topology.Topology, phase Phase) string {
	name := "Crosswire-" + t.Org.Administrator + topology.StackSetsSuffix
	if t.NamePrefix != "" {
		name = "Crosswire-" + t.NamePrefix + "-" + t.Org.Administrator + topology.StackSetsSuffix
	}
	if phase == Wiring {
		name += "-wiring"
	}
	return name
}

// StackSetName returns the name of the stack set of a link and an organizational
// unit: Crosswire-[prefix-]<link>-<unit>, underscores of the link's name as hyphens
// (a stack set's name is letters, digits and hyphens).
func StackSetName(t *topology.Topology, link, unit string) string {
	name := "Crosswire-" + strings.ReplaceAll(link, "_", "-") + "-" + unit
	if t.NamePrefix != "" {
		name = "Crosswire-" + t.NamePrefix + "-" + strings.ReplaceAll(link, "_", "-") + "-" + unit
	}
	return name
}

// memberSet is one link's rollout to one organizational unit: one stack set.
type memberSet struct {
	link   topology.Link
	org    linkkind.Organizational
	unit   linkkind.Unit
	halves []linkkind.Half
	phase  Phase
	// needs are the main stacks that must exist before the stack set deploys.
	needs []string
}

// memberSets returns the stack sets of t, in the order of the links and their units.
func memberSets(t *topology.Topology) []memberSet {
	var out []memberSet
	for _, l := range t.Links {
		org, ok := l.Spec.(linkkind.Organizational)
		if !ok || len(org.Units()) == 0 {
			continue
		}
		halves := org.MemberHalves()
		phase, needs := Main, []string(nil)
		for _, h := range halves {
			if h.Phase == Wiring {
				phase = Wiring
			}
			for _, n := range h.Needs {
				if a := t.Alias(n); a != "" {
					if d := StackNameIn(t, a, t.RegionIn(l, a), Main); !contains(needs, d) {
						needs = append(needs, d)
					}
				}
			}
		}
		for _, u := range org.Units() {
			out = append(out, memberSet{link: l, org: org, unit: u, halves: halves, phase: phase, needs: needs})
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// plannedStackSets returns the stacks of the StackSets administrator that hold the
// stack sets of t: one for the stack sets that need nothing (wave 1), one for those
// whose halves need other accounts' main stacks (after them).
func plannedStackSets(t *topology.Topology) []StackRef {
	sets := memberSets(t)
	if len(sets) == 0 {
		return nil
	}
	admin := t.Org.Administrator
	var refs []StackRef
	for _, phase := range []Phase{Main, Wiring} {
		r := StackRef{Alias: admin, AccountID: t.AccountID(admin), Region: t.RegionOf(admin), StackName: StackSetStackName(t, phase), DependsOn: []string{}, phase: phase, sets: true}
		for _, s := range sets {
			if s.phase != phase {
				continue
			}
			r.StackSets = append(r.StackSets, StackSetRef{
				Name: StackSetName(t, s.link.Name, s.unit.Name), Link: s.link.Name, Unit: s.unit.Name,
				OrganizationalUnitID: s.unit.ID(), Region: s.unit.Region,
			})
			for _, d := range s.needs {
				if !contains(r.DependsOn, d) {
					r.DependsOn = append(r.DependsOn, d)
				}
			}
		}
		if len(r.StackSets) > 0 {
			refs = append(refs, r)
		}
	}
	return refs
}

// StackSetRef is one stack set of a plan's stack-set stack.
type StackSetRef struct {
	Name                 string `json:"stackSetName"`
	Link                 string `json:"link"`
	Unit                 string `json:"organizationalUnit"`
	OrganizationalUnitID string `json:"organizationalUnitId"`
	Region               string `json:"region"`
}

// MemberTemplate is the environment-agnostic template that a stack set deploys into
// every member account of one organizational unit: the link's member halves, built by
// the kind's builder with EnvironmentAgnostic in a stack of an app of its own
// (BootstraplessSynthesizer: no assets, no bootstrap version rule), the account only
// through AWS::AccountId.
type MemberTemplate struct {
	// Link and Unit name the link and the organizational unit.
	Link, Unit string
	// StackSetName is the stack set that deploys the template.
	StackSetName string
	// Stack is the member stack, in its own app.
	Stack awscdk.Stack
	// Body is the template as the stack set holds it: compact JSON.
	Body string
	// File is the member app's template file.
	File string
}

// MemberDir is the folder of the cloud assembly directory that holds the member
// apps' assemblies, one per stack set.
const MemberDir = "stacksets"

// newMemberTemplate synthesizes the member template of s. aspects are added to the
// member app (the caller's, cdk-nag in the tests, check member templates too).
//
// The member app's cloud assembly is outdir/MemberDir/<stack set name>, beside the
// main assembly: its template is there for review.
func newMemberTemplate(outdir string, t *topology.Topology, s memberSet, aspects []awscdk.IAspect) *MemberTemplate {
	name := StackSetName(t, s.link.Name, s.unit.Name)
	dir := filepath.Join(outdir, MemberDir, name)
	ctx := cdkx.AppContext()
	// The construct path of each resource, as in the main assembly's templates.
	ctx["aws:cdk:enable-path-metadata"] = true
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir), Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	for _, a := range aspects {
		awscdk.Aspects_Of(app).Add(a, nil)
	}
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{
		Synthesizer: awscdk.NewBootstraplessSynthesizer(&awscdk.BootstraplessSynthesizerProps{}),
		Description: jsii.String(fmt.Sprintf("Crosswire: the halves of link %s of every account of organizational unit %s (%s), deployed by stack set %s of topology %s",
			s.link.Name, s.unit.Name, s.unit.Path, name, t.Path)),
		AnalyticsReporting: jsii.Bool(false),
	})
	account := *awscdk.Aws_ACCOUNT_ID()
	// The first group of the stack instance's ID (arn:...:stack/<name>/<uuid>): new
	// with every stack instance, so a queue kept from an earlier one keeps its name.
	suffix := *awscdk.Fn_Select(jsii.Number(0), awscdk.Fn_Split(jsii.String("-"),
		awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), awscdk.Aws_STACK_ID(), nil)), nil))
	spec := s.org.ForMember(account, s.unit.Region, suffix)
	build := Builders[s.link.Kind]
	var roles []string
	for _, h := range s.halves {
		h.Account, h.Member, h.Region = account, true, s.unit.Region
		build(stack, spec, h)
		roles = append(roles, h.Role)
	}
	marker := linkkind.Marker{Link: s.link.Name, Kind: s.link.Kind, Unit: s.unit.Name, Role: roles[0], Topology: t.Path}
	awsssm.NewStringParameter(stack, jsii.String("CrosswireMarker"), &awsssm.StringParameterProps{
		ParameterName: jsii.String(linkkind.MarkerName(prefixOf(t), s.link.Name)),
		StringValue:   jsii.String(jsonx.String(marker)),
		Description:   jsii.String(fmt.Sprintf("Crosswire: this account takes part in link %s through organizational unit %s (read by crosswire send)", s.link.Name, s.unit.Name)),
	})
	asm := app.Synth(nil)
	raw, err := os.ReadFile(filepath.Join(*asm.Directory(), *stack.TemplateFile()))
	if err != nil {
		panic(fmt.Errorf("stacks: member template of link %q: %w", s.link.Name, err))
	}
	var tpl any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		panic(fmt.Errorf("stacks: member template of link %q: %w", s.link.Name, err))
	}
	return &MemberTemplate{Link: s.link.Name, Unit: s.unit.Name, StackSetName: name, Stack: stack, Body: jsonx.String(tpl),
		File: filepath.Join(*asm.Directory(), *stack.TemplateFile())}
}

func prefixOf(t *topology.Topology) string {
	if t.NamePrefix == "" {
		return ""
	}
	return t.NamePrefix + "-"
}

// TemplateSource says how a stack set carries a member template of size bytes:
// inline (TemplateBody, up to MaxTemplateBody), or as a file asset of the
// administrator's stack named by TemplateURL (up to MaxTemplateURL); over that it is
// an error.
func TemplateSource(size int) (inline bool, err error) {
	switch {
	case size <= MaxTemplateBody:
		return true, nil
	case size <= MaxTemplateURL:
		return false, nil
	}
	return false, fmt.Errorf("the member template is %d bytes; a stack set's template may be at most %d bytes (TemplateURL)", size, MaxTemplateURL)
}

// newStackSetStack builds the stack of the StackSets administrator that holds the
// stack sets of r, and returns it with their member templates.
func newStackSetStack(app awscdk.App, t *topology.Topology, r StackRef) (awscdk.Stack, []*MemberTemplate) {
	o := t.Org
	stack := awscdk.NewStack(app, jsii.String(r.StackName), &awscdk.StackProps{
		Env:         &awscdk.Environment{Account: jsii.String(r.AccountID), Region: jsii.String(r.Region)},
		StackName:   jsii.String(r.StackName),
		Description: jsii.String(fmt.Sprintf("Crosswire: the stack sets that roll links out to organizational units, administered by %s (%s, %s) in topology %s", r.Alias, r.AccountID, o.CallAs, t.Path)),
	})
	cdkx.RememberStack(stack, r.AccountID, r.Region, r.StackName)
	awscdk.Tags_Of(stack).Add(jsii.String(accountTag), jsii.String(r.Alias), nil)
	var aspects []awscdk.IAspect
	if all := awscdk.Aspects_Of(app).All(); all != nil {
		aspects = *all
	}
	var members []*MemberTemplate
	for _, s := range memberSets(t) {
		if s.phase != r.phase {
			continue
		}
		m := newMemberTemplate(*app.Outdir(), t, s, aspects)
		members = append(members, m)
		newStackSet(stack, t, s, m)
	}
	return stack, members
}

// newStackSet adds the stack set of s, deploying m, to stack.
func newStackSet(stack constructs.Construct, t *topology.Topology, s memberSet, m *MemberTemplate) awscloudformation.CfnStackSet {
	o := t.Org
	// Accounts that take part in the link by alias have their halves in their own
	// stacks: the same halves again, from the stack set, would take the same names.
	var listed []string
	for _, a := range append(append([]string(nil), s.link.From...), s.link.To...) {
		listed = append(listed, t.AccountID(a))
	}
	targets := &awscloudformation.CfnStackSet_DeploymentTargetsProperty{
		OrganizationalUnitIds: jsii.Strings(s.unit.ID()),
	}
	if len(listed) > 0 {
		targets.Accounts = jsii.Strings(listed...)
		targets.AccountFilterType = jsii.String("DIFFERENCE")
	}
	props := &awscloudformation.CfnStackSetProps{
		StackSetName:    jsii.String(m.StackSetName),
		Description:     jsii.String(fmt.Sprintf("Crosswire: link %s (%s) in every account of organizational unit %s", s.link.Name, s.link.Kind, s.unit.Name)),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		CallAs:          jsii.String(o.CallAs),
		AutoDeployment: &awscloudformation.CfnStackSet_AutoDeploymentProperty{
			Enabled:                      jsii.Bool(true),
			RetainStacksOnAccountRemoval: jsii.Bool(false),
		},
		Capabilities: jsii.Strings("CAPABILITY_NAMED_IAM"),
		OperationPreferences: &awscloudformation.CfnStackSet_OperationPreferencesProperty{
			MaxConcurrentPercentage:    jsii.Number(float64(o.MaxConcurrentPercentage)),
			FailureTolerancePercentage: jsii.Number(float64(o.FailureTolerancePercentage)),
		},
		StackInstancesGroup: &[]any{&awscloudformation.CfnStackSet_StackInstancesProperty{
			DeploymentTargets: targets,
			Regions:           jsii.Strings(s.unit.Region),
		}},
	}
	inline, err := TemplateSource(len(m.Body))
	if err != nil {
		panic(fmt.Errorf("stacks: link %q, organizational unit %q: %w", s.link.Name, s.unit.Name, err))
	}
	// Under the link's name, as every half: Stack/<link>/<unit> tells the review
	// files (access.md, topology.md) which link the stack set belongs to.
	var scope constructs.Construct
	if c := stack.Node().TryFindChild(jsii.String(s.link.Name)); c != nil {
		scope = c.(constructs.Construct)
	} else {
		scope = constructs.NewConstruct(stack, jsii.String(s.link.Name))
	}
	if inline {
		props.TemplateBody = jsii.String(m.Body)
	} else {
		props.TemplateUrl = memberTemplateAsset(scope, s.unit.Name, m).HttpUrl()
	}
	return awscloudformation.NewCfnStackSet(scope, jsii.String(s.unit.Name), props)
}

// memberTemplateAsset makes m's template file a file asset of the administrator's
// stack, for a template over MaxTemplateBody.
func memberTemplateAsset(stack constructs.Construct, id string, m *MemberTemplate) awss3assets.Asset {
	return awss3assets.NewAsset(stack, jsii.String(id+"Template"), &awss3assets.AssetProps{Path: jsii.String(m.File)})
}

// addMemberTemplates adds to templates the member templates of their stack sets, so
// that the quota check measures them too.
func addMemberTemplates(templates map[string]map[string]any) error {
	members, err := cfnres.MemberTemplates(templates)
	if err != nil {
		return err
	}
	for k, v := range members {
		templates[k] = v
	}
	return nil
}

// writeStackSets says, in the deploy order for people, which stack sets a stack holds.
func writeStackSets(b *bytes.Buffer, r StackRef) {
	if len(r.StackSets) == 0 {
		return
	}
	b.WriteString(": StackSets administrator; stack sets ")
	for i, s := range r.StackSets {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%s (link %s to organizational unit %s, %s)", s.Name, s.Link, s.Unit, s.OrganizationalUnitID)
	}
}

// addMemberAccounts adds to templates the member templates of their stack sets, each
// in the accounts of its organizational unit ("the accounts of organizational unit
// ou-...") and its stack instances' region, so that the name check compares the names
// of every stack set that deploys into one unit.
func addMemberAccounts(templates map[string]map[string]any, accounts, regions map[string]string) error {
	members, err := cfnres.MemberTemplates(templates)
	if err != nil {
		return err
	}
	for key, tpl := range members {
		stack, id, _ := strings.Cut(key, "/")
		res, _ := templates[stack]["Resources"].(map[string]any)
		props, _ := res[id].(map[string]any)["Properties"].(map[string]any)
		groups, _ := props["StackInstancesGroup"].([]any)
		for _, g := range groups {
			gm, _ := g.(map[string]any)
			targets, _ := gm["DeploymentTargets"].(map[string]any)
			ous, _ := targets["OrganizationalUnitIds"].([]any)
			rs, _ := gm["Regions"].([]any)
			if len(ous) == 0 || len(rs) == 0 {
				continue
			}
			ou, _ := ous[0].(string)
			r, _ := rs[0].(string)
			templates[key] = tpl
			accounts[key], regions[key] = "the accounts of organizational unit "+ou, r
		}
	}
	return nil
}
