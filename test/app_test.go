package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/crosswire/crosswire/stacks"
)

func TestDeployOrderFile(t *testing.T) {
	for name := range scenarioFiles {
		t.Run(name, func(t *testing.T) {
			// GIVEN the synthesized topology
			s := scenario(t, name)
			// WHEN the deploy order files are read from the cloud assembly
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
			// THEN every account's stack is in exactly one wave, with the exact command
			// that deploys it with its account's profile, in both files
			seen := map[string]int{}
			for _, w := range plan.Waves {
				for _, r := range w {
					seen[r.StackName]++
					// In a pipeline, a stack is in its stage: <alias>[-wiring]/<stack>.
					target := r.StackName
					if plan.Pipeline != nil {
						target = strings.TrimPrefix(strings.TrimPrefix(r.StackName, "Crosswire-"), s.topo.NamePrefix+"-") + "/" + r.StackName
					}
					want := "scripts/cdk deploy --app cdk.out --exclusively " + target + " --profile " + r.Alias
					if r.Command != want {
						t.Errorf("command %q, want %q", r.Command, want)
					}
					if !strings.Contains(string(text), want) {
						t.Errorf("%s lacks %q", stacks.DeployOrderFile, want)
					}
				}
			}
			for name, n := range seen {
				if n != 1 {
					t.Errorf("stack %s appears %d times in the plan", name, n)
				}
			}
			for _, a := range s.topo.Accounts {
				if seen[stacks.StackName(s.topo, a.Alias)]+seen[stacks.StackName(s.topo, a.Alias, stacks.Wiring)] == 0 {
					t.Errorf("account %s has no stack in the plan", a.Alias)
				}
			}
		})
	}
}

func TestLinksInBothDirectionsDeployInTwoWaves(t *testing.T) {
	// GIVEN a topology with links hub -> spoke-a and spoke-a -> hub of every kind
	s := scenario(t, "full")
	// WHEN its plan is read
	if len(s.plan.Waves) != 2 {
		t.Fatalf("plan has %d waves, want 2 (main stacks, then wiring stacks)", len(s.plan.Waves))
	}
	// THEN every main stack deploys in the first wave and depends on nothing: all
	// principals are account principals narrowed by aws:PrincipalArn
	for _, r := range s.plan.Waves[0] {
		if strings.HasSuffix(r.StackName, "-wiring") || len(r.DependsOn) > 0 {
			t.Errorf("wave 1 holds %s with dependencies %v", r.StackName, r.DependsOn)
		}
	}
	// AND every wiring stack depends only on main stacks, its own account's first
	// when the account has one
	mains := map[string]bool{}
	for _, r := range s.plan.Waves[0] {
		mains[r.StackName] = true
	}
	for _, r := range s.plan.Waves[1] {
		own := strings.TrimSuffix(r.StackName, "-wiring")
		if own == r.StackName || len(r.DependsOn) == 0 || (mains[own] && r.DependsOn[0] != own) {
			t.Errorf("wave 2 holds %s depending on %v, want a wiring stack after %s", r.StackName, r.DependsOn, own)
		}
		for _, d := range r.DependsOn {
			if strings.HasSuffix(d, "-wiring") {
				t.Errorf("%s depends on wiring stack %s", r.StackName, d)
			}
		}
		if deps := s.stacks[r.StackName].Dependencies(); deps == nil || len(*deps) != len(r.DependsOn) {
			t.Errorf("%s carries %v CDK dependencies, want %d", r.StackName, deps, len(r.DependsOn))
		}
	}
}

func TestStreamProducerThenConsumerIsOneWaveThenTheConsumer(t *testing.T) {
	// GIVEN a topology whose only link is a stream from orders to analytics
	s := scenario(t, "stream-only")
	// WHEN its plan is read
	var got []string
	for _, w := range s.plan.Waves {
		for _, r := range w {
			got = append(got, r.Command)
		}
	}
	// THEN it is the main stacks (the producer's, and the consumer's with its alarm
	// topic), then the consumer's, which waits for both: no value is copied by hand in
	// between
	want := []string{
		"scripts/cdk deploy --app cdk.out --exclusively Crosswire-analytics --profile analytics",
		"scripts/cdk deploy --app cdk.out --exclusively Crosswire-orders --profile orders",
		"scripts/cdk deploy --app cdk.out --exclusively Crosswire-analytics-wiring --profile analytics",
	}
	if !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if len(s.plan.Waves) != 2 {
		t.Errorf("%d waves, want 2", len(s.plan.Waves))
	}
	if deps := s.plan.Waves[len(s.plan.Waves)-1][0].DependsOn; !slices.Equal(deps, []string{"Crosswire-analytics", "Crosswire-orders"}) {
		t.Errorf("consumer depends on %v, want [Crosswire-analytics Crosswire-orders]", deps)
	}
}

func TestWavesOrderDependenciesAndRejectCycles(t *testing.T) {
	cases := []struct {
		name    string
		refs    []stacks.StackRef
		want    string
		wantErr string
	}{
		{"independent stacks share a wave", []stacks.StackRef{{StackName: "b"}, {StackName: "a"}}, "[a b]", ""},
		{"a dependency comes first", []stacks.StackRef{{StackName: "b", DependsOn: []string{"a"}}, {StackName: "a"}, {StackName: "c", DependsOn: []string{"b"}}}, "[a] [b] [c]", ""},
		{"a cycle is named", []stacks.StackRef{{StackName: "a", DependsOn: []string{"b"}}, {StackName: "b", DependsOn: []string{"a"}}, {StackName: "c"}}, "", "stacks a, b depend on each other in a cycle"},
		{"an unknown dependency is named", []stacks.StackRef{{StackName: "a", DependsOn: []string{"zz"}}}, "", "stack a depends on zz, which is not in the plan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN stacks with dependencies
			// WHEN they are put into waves
			waves, err := stacks.Waves(c.refs)
			// THEN the waves respect every dependency, or the error names the problem
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range waves {
				var names []string
				for _, r := range w {
					names = append(names, r.StackName)
				}
				got = append(got, "["+strings.Join(names, " ")+"]")
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("waves %s, want %s", g, c.want)
			}
		})
	}
}

var (
	appOnce sync.Once
	appBin  string
	appErr  error
)

// appBinary builds the CDK app (bin/) once.
func appBinary(t *testing.T) string {
	t.Helper()
	appOnce.Do(func() {
		appBin = filepath.Join(tmpRoot, "app")
		out, err := exec.Command("go", "build", "-o", appBin, "../bin").CombinedOutput()
		if err != nil {
			appErr = err
			t.Logf("%s", out)
		}
	})
	if appErr != nil {
		t.Fatal(appErr)
	}
	return appBin
}

// runApp runs the app as the CDK CLI does: context in CDK_CONTEXT_JSON, the output
// directory in CDK_OUTDIR.
func runApp(t *testing.T, topologyFile, outdir string) (stderr string, code int) {
	t.Helper()
	ctx, _ := json.Marshal(map[string]string{"topology": topologyFile})
	cmd := exec.Command(appBinary(t))
	cmd.Env = append(os.Environ(), "CDK_CONTEXT_JSON="+string(ctx), "CDK_OUTDIR="+outdir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return errb.String(), 0
}

func TestAppReportsEveryMistakeAndLeavesNoCloudAssembly(t *testing.T) {
	// GIVEN a topology with five different mistakes, and the output of an earlier
	// successful synth in the output directory
	out := filepath.Join(tmpRoot, "five-mistakes.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"manifest.json", "Crosswire-orders.template.json", stacks.DeployOrderFile} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// WHEN the app runs on it
	stderr, code := runApp(t, "testdata/five-mistakes.yaml", out)

	// THEN it exits non-zero, names all five mistakes in one report, and leaves no
	// cloud assembly behind
	if code == 0 {
		t.Errorf("exit code 0, want non-zero")
	}
	for _, want := range []string{
		"5 problems",
		`line 4: accounts.orders: account ID "11111111111" must be exactly 12 digits`,
		`line 10: links[0] "invoices": to: account alias "biling" is unknown`,
		`line 11: links[1] "invoices": name: link name "invoices" is already used by links[0]`,
		`line 16: links[2] "refunds": kind: kind "topik" is unknown`,
		`line 24: links[3] "credits": options.fifoo: option "fifoo" is unknown`,
		"nothing was synthesized",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("report lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(out)
		t.Errorf("output directory still exists with %d entries", len(entries))
	}
}

func TestAppRefusesPoliciesOverAWSQuotas(t *testing.T) {
	// GIVEN a queue link from 120 accounts, each admitted by its account principal: a
	// queue policy far over SQS's 50 principals
	var b strings.Builder
	b.WriteString("region: eu-west-1\naccounts:\n  hub: \"100000000000\"\n")
	var spokes []string
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&b, "  s%d: \"%d\"\n", i, 200000000000+i)
		spokes = append(spokes, fmt.Sprintf("s%d", i))
	}
	fmt.Fprintf(&b, "links:\n  - {name: ingest, kind: queue, from: [%s], to: hub}\n", strings.Join(spokes, ", "))
	file := filepath.Join(tmpRoot, "over-quota.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmpRoot, "over-quota.out")

	// WHEN the app runs on it
	stderr, code := runApp(t, file, out)

	// THEN it fails at synth naming the stack, the quota, the size and the fix, and
	// leaves no cloud assembly
	if code == 0 {
		t.Errorf("exit code 0, want non-zero")
	}
	for _, want := range []string{"Crosswire-hub", "SQS queue policy would be rejected by AWS at deploy time", "121 principals, over the limit of 50", "allow: organization", "nothing was synthesized"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("report lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory %s still exists", out)
	}
}

func TestAppRefusesPhysicalNamesTakenTwice(t *testing.T) {
	cases := []struct {
		name, links string
		want        []string
	}{
		{"a dead-letter queue and another link's queue",
			"  - {name: jobs, kind: queue, from: a, to: b}\n  - {name: jobs-dlq, kind: queue, from: a, to: b}\n",
			[]string{`SQS queue "jobs-dlq" in account 222222222222 would be created 2 times`, "rename one of the links"}},
		{"a listed existing role that another link creates",
			"  - {name: foo, kind: queue, from: a, to: b}\n  - {name: bar, kind: queue, from: a, to: b, options: {senderRoles: [\"arn:aws:iam::111111111111:role/Foo-Producer\"]}}\n",
			[]string{`role "Foo-Producer" in account 111111111111 is listed as an existing role`, "is created by Crosswire-a/"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN two links whose resources would take one physical name in one account
			file := filepath.Join(tmpRoot, fmt.Sprintf("clash%d.yaml", i))
			doc := "region: eu-west-1\naccounts: {a: \"111111111111\", b: \"222222222222\"}\nlinks:\n" + c.links
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(tmpRoot, fmt.Sprintf("clash%d.out", i))

			// WHEN the app runs on it
			stderr, code := runApp(t, file, out)

			// THEN it fails at synth naming the name, the account and both owners
			if code == 0 {
				t.Errorf("exit code 0, want non-zero")
			}
			for _, want := range c.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("report lacks %q:\n%s", want, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output directory %s still exists", out)
			}
		})
	}
}

func TestAppSynthesizesTheDefaultTopology(t *testing.T) {
	// GIVEN the default topology, and an output directory that still holds the
	// template of a stack an earlier topology had, whose queue policy is over the SQS
	// quota of 20 statements (the CDK does not clear the directory)
	out := filepath.Join(tmpRoot, "default.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var statements []any
	for i := 0; i < 25; i++ {
		statements = append(statements, map[string]any{"Sid": fmt.Sprint("S", i), "Effect": "Allow", "Principal": map[string]any{"AWS": "111111111111"}, "Action": "sqs:SendMessage", "Resource": "*"})
	}
	stale, _ := json.Marshal(map[string]any{"Resources": map[string]any{"Policy": map[string]any{
		"Type":       "AWS::SQS::QueuePolicy",
		"Properties": map[string]any{"Queues": []any{"q"}, "PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": statements}},
	}}})
	if err := os.WriteFile(filepath.Join(out, "Crosswire-retired.template.json"), stale, 0o644); err != nil {
		t.Fatal(err)
	}

	// WHEN the app runs on it
	stderr, code := runApp(t, "../topology.yaml", out)

	// THEN it succeeds, checking only the templates of this synth, and writes each
	// account's template and the deploy order
	if code != 0 {
		t.Fatalf("exit code %d:\n%s", code, stderr)
	}
	for _, f := range []string{"Crosswire-orders.template.json", "Crosswire-billing.template.json", "Crosswire-analytics.template.json", stacks.DeployOrderFile, stacks.DeployOrderJSON} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
}

// testBinary is one test binary of the module: its import path (ending in .test), its
// package's folder, and everything it links.
type testBinary struct {
	name, dir string
	deps      []string
}

// testBinaries lists the module's test binaries.
func testBinaries(t *testing.T) []testBinary {
	t.Helper()
	out, err := exec.Command("go", "list", "-test", "-f", "{{.ImportPath}} {{.Dir}} {{join .Deps \" \"}}", "../...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var bins []testBinary
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.HasSuffix(fields[0], ".test") {
			continue
		}
		bins = append(bins, testBinary{name: fields[0], dir: fields[1], deps: fields[2:]})
	}
	return bins
}

func TestWorkloadPackagesDoNotLinkTheCDK(t *testing.T) {
	// GIVEN the packages a workload or an operator's tool links: the producer client,
	// the topology file, the links' descriptions and the smoke test
	pkgs := []string{
		"github.com/crosswire/crosswire/producer",
		"github.com/crosswire/crosswire/topology",
		"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink",
		"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink",
		"github.com/crosswire/crosswire/constructs/bustobus/buslink",
		"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink",
		"github.com/crosswire/crosswire/cmd/crosswire",
		"github.com/crosswire/crosswire/internal/sendcmd",
		"github.com/crosswire/crosswire/linkkind",
		"github.com/crosswire/crosswire/internal/smoke",
		"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuesmoke",
		"github.com/crosswire/crosswire/constructs/snstoremotesqs/topicsmoke",
		"github.com/crosswire/crosswire/constructs/bustobus/bussmoke",
		"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamsmoke",
	}
	for _, pkg := range pkgs {
		// WHEN its dependencies are listed
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		// THEN neither the CDK nor its jsii runtime is among them: a program that links
		// them unpacks the jsii runtime into a temporary directory every time it starts
		// and is more than twice the size
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/aws/aws-cdk-go/") || strings.HasPrefix(dep, "github.com/aws/jsii-runtime-go") || strings.HasPrefix(dep, "github.com/aws/constructs-go/") {
				t.Errorf("%s depends on %s", pkg, dep)
				break
			}
		}
	}
}

func TestProgramsDoNotLinkTheTestingPackage(t *testing.T) {
	// GIVEN the app and every command of the module
	// WHEN their dependencies are listed
	out, err := exec.Command("go", "list", "-deps", "../bin", "../cmd/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	// THEN none links the testing package (which would register test flags such as
	// -test.v on the programs' own command lines)
	for _, dep := range strings.Fields(string(out)) {
		if dep == "testing" || strings.HasPrefix(dep, "testing/") {
			t.Errorf("a program links %s: production code must not import it", dep)
		}
	}
}

// testMainCloses reports whether the Go file f has a TestMain that calls cdktest.Main
// or jsii.Close.
func testMainCloses(t *testing.T, f string) bool {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "TestMain" || fn.Recv != nil || fn.Body == nil {
			continue
		}
		found := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "cdktest" && sel.Sel.Name == "Main" || pkg.Name == "jsii" && sel.Sel.Name == "Close") {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return false
}

func TestEveryTestBinaryThatLinksTheCDKClosesIt(t *testing.T) {
	// GIVEN every test binary of the module that links the jsii runtime, which unpacks
	// itself into a temporary directory when the binary starts
	for _, b := range testBinaries(t) {
		if !slices.Contains(b.deps, "github.com/aws/jsii-runtime-go") {
			continue
		}
		// WHEN its test files are parsed
		files, _ := filepath.Glob(filepath.Join(b.dir, "*_test.go"))
		closes := false
		for _, f := range files {
			closes = closes || testMainCloses(t, f)
		}
		// THEN one of them has a TestMain that closes the runtime, which removes that
		// directory: without it every test run leaves one behind
		if !closes {
			t.Errorf("%s links the jsii runtime but never closes it: add func TestMain(m *testing.M) { cdktest.Main(m) }", b.name)
		}
	}
}

// nodeRun is what a recording node saw when the app started it.
type nodeRun struct {
	validation string
	args       []string
}

// appEnv is the test's environment without the variables that change how the app and
// its Node process run, plus the topology context for topologyFile and the output directory outdir.
func appEnv(topologyFile, outdir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CDK_") && !strings.HasPrefix(kv, "CROSSWIRE_") && !strings.HasPrefix(kv, "JSII_") && !strings.HasPrefix(kv, "SHELL=") {
			env = append(env, kv)
		}
	}
	ctx, _ := json.Marshal(map[string]string{"topology": topologyFile})
	return append(env, "CDK_CONTEXT_JSON="+string(ctx), "CDK_OUTDIR="+outdir)
}

// appCommand is the app command of cdk.json, which the CDK CLI runs with a shell.
func appCommand(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		App string `json:"app"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.App == "" {
		t.Fatalf("cdk.json has no app command: %v", err)
	}
	return c.App
}

// runWithRecordingNode runs command as the CDK CLI runs cdk.json's app command (with
// sh -c, from the repository root), on a topology it refuses (which is enough to
// start Node), with env added, through a node that records CDK_VALIDATION (which
// aws-cdk-lib reads) and its arguments.
func runWithRecordingNode(t *testing.T, name, command string, env ...string) nodeRun {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal(err)
	}
	seen := filepath.Join(tmpRoot, "node-"+name)
	wrapper := seen + ".sh"
	script := fmt.Sprintf("#!/bin/sh\n{ printf '%%s\\n' \"${CDK_VALIDATION-unset}\"; printf '%%s\\n' \"$@\"; } > %q\nexec %q \"$@\"\n", seen, node)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", command)
	cmd.Dir = ".."
	cmd.Env = append(append(appEnv("test/testdata/five-mistakes.yaml", seen+".out"), "JSII_NODE="+wrapper), env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "5 problems") {
		t.Fatalf("app: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(seen)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("node recorded %q", raw)
	}
	return nodeRun{validation: lines[0], args: lines[1:]}
}

func TestAppCommandSkipsValidationUnlessAsked(t *testing.T) {
	app := appCommand(t)
	cases := []struct {
		name       string
		command    string
		env        []string
		validation string
	}{
		{"cdk.json's app command, by default", app, nil, "false"},
		{"cdk.json's app command, validation asked for", app, []string{"CDK_VALIDATION=true"}, "true"},
		{"cdk.json's app command, validation explicitly off", app, []string{"CDK_VALIDATION=false"}, "false"},
		// The binary itself leaves aws-cdk-lib's default alone: the tests that run it
		// directly synthesize with the check on.
		{"the app binary alone", appBinary(t), nil, "unset"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a node that records how it is started
			// WHEN the app runs as the CDK CLI runs it
			got := runWithRecordingNode(t, fmt.Sprint(i), c.command, c.env...)
			// THEN Node saw the check off unless the user asked for it, and ran jsii's
			// own runtime program
			if got.validation != c.validation {
				t.Errorf("Node ran with CDK_VALIDATION=%s, want %s", got.validation, c.validation)
			}
			if last := got.args[len(got.args)-1]; !strings.HasSuffix(last, "bin/jsii-runtime.js") {
				t.Errorf("node ran %q, want jsii's runtime program", got.args)
			}
		})
	}
}

func TestAppWritesProfilesWhenAsked(t *testing.T) {
	// GIVEN a folder for profiles
	dir := filepath.Join(tmpRoot, "profile")
	// WHEN the app runs with CROSSWIRE_PROFILE naming it (on a topology it refuses,
	// after starting Node)
	cmd := exec.Command(appBinary(t))
	cmd.Env = append(appEnv("testdata/five-mistakes.yaml", dir+".out"), "CROSSWIRE_PROFILE="+dir)
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit code %d, want 1 (the topology is refused)", code)
	}
	// THEN it reports how long starting took, and the folder holds the Go
	// side's CPU profile
	for _, want := range []string{"crosswire: start", "5 problems"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "go.pprof")); err != nil || st.Size() == 0 {
		t.Errorf("go.pprof: %v", err)
	}
}
