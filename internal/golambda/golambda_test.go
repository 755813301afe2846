package golambda_test

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/internal/golambda"
)

const (
	handler       = "github.com/crosswire/crosswire/lambdas/eventlogger"
	lookupHandler = "github.com/crosswire/crosswire/lambdas/consumerarn"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(synthIntoEnv); dir != "" {
		synthInto(dir)
		jsii.Close()
		os.Exit(0)
	}
	cdktest.Main(m)
}

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
	// AND only its owner may change it
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("mode %v (%v), want 0755 (rwxr-xr-x)", fi.Mode(), err)
	}
}

func TestAssetHashIsTheSHA256OfTheBuild(t *testing.T) {
	// GIVEN the handler's asset hash
	h, err := golambda.AssetHash(handler)
	if err != nil {
		t.Fatal(err)
	}
	// WHEN the handler is built again, into a file
	out := filepath.Join(t.TempDir(), "bootstrap")
	if err := golambda.Build(handler, out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// THEN the hash is the SHA-256 of that executable: the build is reproducible
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != h {
		t.Errorf("asset hash %s, but the build's SHA-256 is %x", h, sum)
	}
	// AND another handler has another hash
	other, err := golambda.AssetHash(lookupHandler)
	if err != nil {
		t.Fatal(err)
	}
	if other == h {
		t.Errorf("two handlers share hash %s", h)
	}
}

func TestBuildRefusesPackagesOfOtherModules(t *testing.T) {
	// GIVEN a main package outside this module
	pkg := "example.com/other/cmd/handler"
	// WHEN it is built
	err := golambda.Build(pkg, filepath.Join(t.TempDir(), "bootstrap"))
	// THEN the build is refused, naming the module
	if err == nil || !strings.Contains(err.Error(), golambda.ModulePath) {
		t.Errorf("Build(%s) = %v, want an error naming %s", pkg, err, golambda.ModulePath)
	}
}

func TestModuleDirIsThisCheckoutFromItsOwnModule(t *testing.T) {
	// GIVEN a working directory inside this module's checkout
	root, err := cdktest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	// WHEN golambda looks for the module's directory
	dir, err := golambda.ModuleDir()
	if err != nil {
		t.Fatal(err)
	}
	// THEN it is the checkout
	if dir != root {
		t.Errorf("ModuleDir() = %s, want %s", dir, root)
	}
}

func synthFunction(t *testing.T) (cdktest.Tmpl, *golambda.Function, string) {
	t.Helper()
	dir := t.TempDir()
	app := cdktest.NewApp(t, dir)
	stack := awscdk.NewStack(app, jsii.String("S"), env)
	fn := golambda.NewFunction(stack, "Logger", &golambda.Props{Package: handler})
	return cdktest.Template(t, stack), fn, dir
}

var env = &awscdk.StackProps{
	Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
}

func TestFunctionSynthesizesWithoutDocker(t *testing.T) {
	// GIVEN a stack with a Go function
	// WHEN it is synthesized
	tpl, fn, dir := synthFunction(t)

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
	// AND the staged executable is the build that AssetHash hashed
	if h, err := golambda.AssetHash(handler); err != nil || fileHash(t, staged) != h {
		t.Errorf("staged bootstrap has SHA-256 %s, want the asset hash %s (%v)", fileHash(t, staged), h, err)
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

func TestLambdaFunctionUsesTheGivenRoleAndLogGroup(t *testing.T) {
	// GIVEN a stack with a role and a log group of the caller's
	stack := awscdk.NewStack(cdktest.NewApp(t, ""), jsii.String("S"), env)
	role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	logs := golambda.NewLogGroup(stack, "Logs", "")
	// WHEN a Go function is created with them
	golambda.NewLambdaFunction(stack, "Fn", role, logs, &golambda.Props{Package: lookupHandler, MemorySize: 128})
	tpl := cdktest.Template(t, stack)

	// THEN the function runs as that role and logs to that log group, kept one month
	f := tpl.One(t, "AWS::Lambda::Function", map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "MemorySize": 128, "Timeout": 30})
	roleID := tpl.One(t, "AWS::IAM::Role", nil).LogicalID
	logsRes := tpl.One(t, "AWS::Logs::LogGroup", map[string]any{"RetentionInDays": 30})
	if got := cdktest.JSON(f.Props()["Role"]); got != `{"Fn::GetAtt":["`+roleID+`","Arn"]}` {
		t.Errorf("Role = %s, want the given role %s", got, roleID)
	}
	if got := cdktest.JSON(f.Props()["LoggingConfig"]); got != `{"LogGroup":{"Ref":"`+logsRes.LogicalID+`"}}` {
		t.Errorf("LoggingConfig = %s, want the given log group %s", got, logsRes.LogicalID)
	}
	// AND no other role or log group is created
	if n := len(tpl.Resources("AWS::IAM::Role")) + len(tpl.Resources("AWS::Logs::LogGroup")); n != 2 {
		t.Errorf("%d roles and log groups, want the given two", n)
	}
}

// synthIntoEnv names the cloud assembly folder a subprocess of the test binary
// synthesizes a Go function into, instead of running tests.
const synthIntoEnv = "GOLAMBDA_TEST_SYNTH_INTO"

// synthInto synthesizes a stack with the handler's function into dir.
func synthInto(dir string) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	stack := awscdk.NewStack(app, jsii.String("S"), env)
	golambda.NewFunction(stack, "Logger", &golambda.Props{Package: handler})
	app.Synth(nil)
}

func TestAssetFolderIsOnlyWritableByItsOwner(t *testing.T) {
	hash, err := golambda.AssetHash(handler)
	if err != nil {
		t.Fatal(err)
	}
	folders := map[string]bool{}
	for _, umask := range []string{"000", "022"} {
		t.Run("umask "+umask, func(t *testing.T) {
			// GIVEN a process with that umask (aws-cdk-lib makes a bundling folder
			// world-writable whatever the umask)
			dir := t.TempDir()
			cmd := exec.Command("sh", "-c", `umask `+umask+` && exec "$0" -test.run='^$'`, os.Args[0])
			cmd.Env = append(os.Environ(), synthIntoEnv+"="+dir)
			// WHEN it synthesizes a Go function
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("synth: %v\n%s", err, out)
			}
			// THEN the function's asset folder and its executable are rwxr-xr-x
			assets, _ := filepath.Glob(filepath.Join(dir, "asset.*"))
			if len(assets) != 1 {
				t.Fatalf("asset folders %v, want one", assets)
			}
			exe := filepath.Join(assets[0], "bootstrap")
			for _, f := range []string{assets[0], exe} {
				fi, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o755 {
					t.Errorf("%s has mode %v, want 0755 (rwxr-xr-x)", filepath.Base(f), fi.Mode())
				}
			}
			// AND the other process built the same executable as this one
			if got := fileHash(t, exe); got != hash {
				t.Errorf("bootstrap has SHA-256 %s, this process built %s", got, hash)
			}
			folders[filepath.Base(assets[0])] = true
		})
	}
	// AND both processes named the asset alike
	if len(folders) != 1 {
		t.Errorf("asset folders %v, want one name", folders)
	}
}

func fileHash(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
