package golambda_test

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/golambda"
)

const handler = "github.com/crosswire/crosswire/lambdas/eventlogger"

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestBuildMakesALinuxArm64Executable(t *testing.T) {
	// GIVEN the event logger handler
	out := filepath.Join(t.TempDir(), "bootstrap")
	// WHEN it is built for Lambda
	if err := golambda.Build(handler, out); err != nil {
		t.Fatal(err)
	}
	// THEN the result is a static linux/arm64 ELF executable
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
		t.Errorf("machine %v type %v, want an AArch64 executable", f.Machine, f.Type)
	}
	if interp := f.Section(".interp"); interp != nil {
		t.Errorf("executable needs a dynamic loader; want a static build")
	}
}

func TestSourceHashIsStableAndTracksSources(t *testing.T) {
	// GIVEN the handler's source hash
	h1, err := golambda.SourceHash(handler)
	if err != nil {
		t.Fatal(err)
	}
	// WHEN it is asked for again
	h2, _ := golambda.SourceHash(handler)
	// THEN it is the same 64-hex-digit value
	if h1 != h2 || len(h1) != 64 {
		t.Errorf("hashes %q and %q, want one stable SHA-256", h1, h2)
	}
	// AND a different package has a different hash
	other, err := golambda.SourceHash("github.com/crosswire/crosswire/bin")
	if err != nil {
		t.Fatal(err)
	}
	if other == h1 {
		t.Errorf("two packages share hash %s", h1)
	}
}

func synthFunction(t *testing.T) (cdktest.Tmpl, *golambda.Function, string) {
	t.Helper()
	dir := t.TempDir()
	app := cdktest.NewApp(t, dir)
	stack := awscdk.NewStack(app, jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	fn := golambda.NewFunction(stack, "Logger", &golambda.Props{Package: handler})
	return cdktest.Template(t, stack), fn, dir
}

func TestFunctionSynthesizesWithoutDocker(t *testing.T) {
	// GIVEN a stack with a Go function
	// WHEN it is synthesized, twice, into separate cloud assemblies
	tpl, fn, dir := synthFunction(t)
	again, _, _ := synthFunction(t)

	// THEN it runs on provided.al2023 arm64 from a staged bootstrap executable
	f := tpl.One(t, "AWS::Lambda::Function", map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap"})
	if got := cdktest.JSON(f.Props()["Architectures"]); got != `["arm64"]` {
		t.Errorf("Architectures = %s", got)
	}
	key, _ := f.Props()["Code"].(map[string]any)["S3Key"].(string)
	staged := filepath.Join(dir, "asset."+strings.TrimSuffix(key, ".zip"), "bootstrap")
	if _, err := os.Stat(staged); err != nil {
		t.Errorf("no bootstrap staged for S3Key %q: %v", key, err)
	}
	// AND the asset hash is the same for the same sources
	g := again.One(t, "AWS::Lambda::Function", map[string]any{"Runtime": "provided.al2023"})
	if cdktest.JSON(g.Props()["Code"]) != cdktest.JSON(f.Props()["Code"]) {
		t.Errorf("asset changed between two syntheses: %s vs %s", cdktest.JSON(f.Props()["Code"]), cdktest.JSON(g.Props()["Code"]))
	}
	// AND its role may only write its own log group, with no managed policy
	role := tpl.Resources("AWS::IAM::Role")
	if len(role) != 1 || role[0].Props()["ManagedPolicyArns"] != nil {
		t.Fatalf("roles %s, want one without managed policies", cdktest.JSON(role))
	}
	pol := cdktest.JSON(tpl.Resources("AWS::IAM::Policy")[0].Props()["PolicyDocument"])
	if !strings.Contains(pol, "logs:PutLogEvents") || strings.Contains(pol, `"Resource":"*"`) {
		t.Errorf("log policy %s, want PutLogEvents on the function's log group only", pol)
	}
	if fn.Function == nil || fn.LogGroup == nil {
		t.Error("function and log group must be exposed")
	}
}
