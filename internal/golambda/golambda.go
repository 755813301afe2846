// Package golambda builds Go Lambda functions without Docker: the CDK's local
// bundling hook stages a bootstrap executable that `go build` compiled for linux/arm64
// (the provided.al2023 runtime), and the asset hash is the SHA-256 of that executable.
//
// It exists because awscdklambdagoalpha cannot be installed here, and every construct
// of this module that runs code (event targets, stream consumers, custom resources)
// needs the same thing.
//
// # Whose go.mod
//
// The handlers are main packages of this module (github.com/crosswire/crosswire), and
// the constructs are also used from other teams' CDK apps, which depend on this module
// with nothing but `go get` (or a replace directive). golambda therefore builds a
// handler in the context of this module, never of the app's: `go build` runs in this
// module's directory as `go list -m` reports it from the working directory (this
// checkout, the target of a replace directive or a go.work, or a read-only directory of
// the module cache, which is fine for `go build -o elsewhere`), with GOWORK=off and
// -mod=readonly, so this module's go.mod and go.sum alone decide every version.
// Building in the app's module fails there: its go.sum lacks the handlers' own
// dependencies (aws-lambda-go, the parts of aws-sdk-go-v2 they use), since no package
// the app compiles imports them, and `go mod tidy` removes them again. Importing those
// dependencies from the constructs' packages to keep them in the app's go.sum would
// link them into every CDK app for nothing, build the handler with whatever versions
// the app's module graph selects rather than the tested ones, and break again the day
// a handler gains an import.
//
// # Asset hash
//
// The build is reproducible: fixed target (GOOS=linux GOARCH=arm64 GOARM64=v8.0
// CGO_ENABLED=0), -trimpath, -buildvcs=false, no build ID, and the caller's GOFLAGS
// replaced. The executable is built once per handler and process, when its Code is
// created, and its SHA-256 is the asset hash. So the hash changes exactly when what is
// deployed does: a changed handler or dependency in a replaced checkout, another Go
// release (the version is in the executable), other build flags; and it is the same on
// every machine and in every run for the same sources and Go release, so neither golden
// files nor `cdk diff` churn.
package golambda

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdkx"
)

// ModulePath is the module whose main packages golambda builds.
const ModulePath = "github.com/crosswire/crosswire"

// Props configure a Go Lambda function.
type Props struct {
	// Package is the import path of the handler's main package in module ModulePath,
	// for example github.com/crosswire/crosswire/lambdas/eventlogger.
	Package string
	// Description of the function. Default: none.
	Description string
	// Timeout of one invocation. Default: 30s.
	Timeout time.Duration
	// MemorySize in MB. Default: 256.
	MemorySize int
	// Environment variables of the function. Default: none.
	Environment map[string]string
	// LogRetention of the log group that NewFunction creates. Default: one month.
	LogRetention awslogs.RetentionDays
}

// Function is a Go Lambda function with its own role and log group. The role can
// only write to that log group; add permissions with Role.AddToPrincipalPolicy or
// grants.
type Function struct {
	constructs.Construct
	Function awslambda.Function
	Role     awsiam.Role
	LogGroup awslogs.LogGroup
}

// NewFunction builds the function in a construct id of its own, with a log group
// ("Logs"), a role that may only write to it ("Role") and the function ("Resource",
// see NewLambdaFunction). The Go build runs when it is called.
func NewFunction(scope constructs.Construct, id string, props *Props) *Function {
	checkProps(id, props)
	c := constructs.NewConstruct(scope, jsii.String(id))
	f := &Function{Construct: c}
	f.LogGroup = NewLogGroup(c, "Logs", props.LogRetention)
	// A role of its own instead of AWSLambdaBasicExecutionRole: the managed policy
	// lets the function write to every log group of the account.
	f.Role = awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   cdkx.Service("lambda.amazonaws.com"),
		Description: jsii.String(fmt.Sprintf("Execution role of %s", path(props.Package))),
	})
	f.Role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("WriteOwnLogs"),
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &[]*string{f.LogGroup.LogGroupArn()},
	}))
	f.Function = NewLambdaFunction(c, "Resource", f.Role, f.LogGroup, props)
	return f
}

// NewLogGroup creates the log group id of a function in scope, kept retention (default:
// one month) and destroyed with the stack.
func NewLogGroup(scope constructs.Construct, id string, retention awslogs.RetentionDays) awslogs.LogGroup {
	if retention == "" {
		retention = awslogs.RetentionDays_ONE_MONTH
	}
	return awslogs.NewLogGroup(scope, jsii.String(id), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
}

// NewLambdaFunction creates the Lambda function id in scope that runs props.Package
// on provided.al2023 arm64 (handler bootstrap, code from Code), as role, logging to
// logs. props.LogRetention is not used: the log group is given. Constructs that need
// the role or log group in a particular shape build them and call this; the others
// call NewFunction.
func NewLambdaFunction(scope constructs.Construct, id string, role awsiam.IRole, logs awslogs.ILogGroup, props *Props) awslambda.Function {
	checkProps(id, props)
	timeout := props.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	memory := props.MemorySize
	if memory == 0 {
		memory = 256
	}
	var env *map[string]*string
	if len(props.Environment) > 0 {
		m := map[string]*string{}
		for k, v := range props.Environment {
			m[k] = jsii.String(v)
		}
		env = &m
	}
	return awslambda.NewFunction(scope, jsii.String(id), &awslambda.FunctionProps{
		Runtime:      shared().runtime,
		Architecture: shared().architecture,
		Handler:      jsii.String("bootstrap"),
		Code:         Code(props.Package),
		Role:         role,
		LogGroup:     logs,
		Timeout:      cdkx.Seconds(timeout),
		MemorySize:   jsii.Number(float64(memory)),
		Environment:  env,
		Description:  optional(props.Description),
	})
}

func checkProps(id string, props *Props) {
	if props == nil || props.Package == "" {
		panic(fmt.Errorf("golambda: function %q needs the import path of its main package", id))
	}
	if !strings.HasPrefix(props.Package, ModulePath+"/") {
		panic(fmt.Errorf("golambda: function %q: package %s is not in module %s", id, props.Package, ModulePath))
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

func path(pkg string) string { return pkg[strings.LastIndex(pkg, "/")+1:] }

// Code returns Lambda code built from the main package pkg of module ModulePath (see
// Build) into a bootstrap executable, whose SHA-256 is the asset hash (see AssetHash).
// It builds the package when called, once per package and process.
func Code(pkg string) awslambda.Code {
	buildMu.Lock()
	coded[pkg] = true
	buildMu.Unlock()
	exe, err := executable(pkg)
	if err != nil {
		panic(err)
	}
	src, err := packageDir(pkg)
	if err != nil {
		panic(err)
	}
	return awslambda.Code_FromAsset(jsii.String(src), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(exe.hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// Never used: local bundling always succeeds or fails the synth, so no
			// Docker engine is needed.
			Image: shared().image,
			Local: &localBundling{exe: exe.data},
		},
	})
}

// localBundling implements awscdk.ILocalBundling with an executable already built.
type localBundling struct{ exe []byte }

// TryBundle writes the executable to outputDir/bootstrap. A failure fails the synth
// rather than falling back to Docker.
func (b *localBundling) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := stage(b.exe, *outputDir); err != nil {
		panic(err)
	}
	return jsii.Bool(true)
}

// stage writes exe to dir/bootstrap with mode 0755 and sets dir to 0755, whatever the
// umask. aws-cdk-lib creates a bundling output directory world-writable, for a Docker
// container's user to write to; the directory then becomes the asset folder in
// cdk.out, where nobody but its owner should change what is deployed.
func stage(exe []byte, dir string) error {
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	return writeExecutable(filepath.Join(dir, "bootstrap"), exe)
}

// writeExecutable writes data to file with mode 0755: os.WriteFile's mode is masked by
// the umask, and the file may exist with another mode.
func writeExecutable(file string, data []byte) error {
	if err := os.WriteFile(file, data, 0o755); err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	if err := os.Chmod(file, 0o755); err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	return nil
}

// AssetHash returns the asset hash of the main package pkg: the hex SHA-256 of its
// reproducible build (see Build), built once per package and process.
func AssetHash(pkg string) (string, error) {
	exe, err := executable(pkg)
	if err != nil {
		return "", err
	}
	return exe.hash, nil
}

// Build compiles the main package pkg of module ModulePath for the Lambda
// provided.al2023 arm64 runtime into out, an executable with mode 0755.
//
// It runs `go build` in the directory of module ModulePath as `go list -m` reports it
// from the working directory, with GOWORK=off and -mod=readonly: that module's go.mod
// and go.sum decide every version, whichever module the working directory is in (see
// the package documentation). The build is reproducible: GOOS=linux GOARCH=arm64
// GOARM64=v8.0 CGO_ENABLED=0, -trimpath, -buildvcs=false, stripped, without a build
// ID, with tag lambda.norpc, and the caller's GOFLAGS replaced.
func Build(pkg, out string) error {
	if !strings.HasPrefix(pkg, ModulePath+"/") {
		return fmt.Errorf("golambda: package %s is not in module %s", pkg, ModulePath)
	}
	dir, err := ModuleDir()
	if err != nil {
		return err
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	args := []string{"build", "-mod=readonly", "-trimpath", "-buildvcs=false", "-tags=lambda.norpc",
		"-ldflags=-s -w -buildid=", "-o", out, pkg}
	env := []string{
		"GOOS=linux", "GOARCH=arm64", "GOARM64=v8.0", "CGO_ENABLED=0",
		// Not the caller's workspace: this module's go.mod alone.
		"GOWORK=off",
		// Not the caller's GOFLAGS (-mod=mod would let the go command try to update
		// a go.mod, read-only in the module cache; -tags or -buildvcs would change the
		// executable). An empty GOFLAGS would not override `go env -w GOFLAGS=...`.
		"GOFLAGS=-mod=readonly",
	}
	if _, err := run(dir, env, args...); err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	// The go command creates the file with mode 0777 less the umask.
	if err := os.Chmod(out, 0o755); err != nil {
		return fmt.Errorf("golambda: %w", err)
	}
	return nil
}

// built is a package's executable and its hash.
type built struct {
	data []byte
	hash string
}

// build is one package's build: started once per process, waited for by every user.
type build struct {
	done chan struct{}
	b    *built
	err  error
}

var (
	// linking holds a token while a build runs.
	linking = make(chan struct{}, 1)
	buildMu sync.Mutex
	builds  = map[string]*build{}
	// prebuilt and coded are the packages Prebuild was given and those Code built
	// from, in this process (Requested).
	prebuilt, coded = map[string]bool{}, map[string]bool{}
)

// Requested returns the packages Prebuild was given and those Code built functions
// from, in this process, each sorted: a Code package missing from the first was built
// while the synth waited for it.
func Requested() (prebuild, code []string) {
	buildMu.Lock()
	defer buildMu.Unlock()
	return sortedKeys(prebuilt), sortedKeys(coded)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// start starts building pkg unless it is built or being built, and returns its build.
func start(pkg string) *build {
	buildMu.Lock()
	defer buildMu.Unlock()
	if b, ok := builds[pkg]; ok {
		return b
	}
	b := &build{done: make(chan struct{})}
	builds[pkg] = b
	go func() {
		defer close(b.done)
		// One build at a time: each go build links a whole executable, a process of
		// a hundred megabytes or more, beside the synth's own.
		linking <- struct{}{}
		defer func() { <-linking }()
		b.b, b.err = compile(pkg)
	}()
	return b
}

// Prebuild starts building each of pkgs (as Code will) in the background and returns
// at once: a synth that knows which handlers it needs overlaps their builds with the
// construction, instead of waiting for each when its Code is created.
func Prebuild(pkgs ...string) {
	for _, pkg := range pkgs {
		buildMu.Lock()
		prebuilt[pkg] = true
		buildMu.Unlock()
		start(pkg)
	}
}

// executable builds pkg once per process (or waits for the build Prebuild started) and
// keeps the executable in memory, so that its hash is known when its Code is created
// and bundling only writes it out. The handlers' executables are a few megabytes each.
func executable(pkg string) (*built, error) {
	b := start(pkg)
	<-b.done
	return b.b, b.err
}

// compile builds pkg into a temporary file and reads it back with its hash.
func compile(pkg string) (*built, error) {
	tmp, err := os.MkdirTemp("", "golambda-")
	if err != nil {
		return nil, fmt.Errorf("golambda: %w", err)
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "bootstrap")
	if err := Build(pkg, file); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("golambda: %w", err)
	}
	sum := sha256.Sum256(data)
	return &built{data: data, hash: hex.EncodeToString(sum[:])}, nil
}

var moduleDir struct {
	once sync.Once
	dir  string
	err  error
}

// ModuleDir returns the directory of module ModulePath as the go command sees it from
// the working directory: the main module, the target of a replace directive or of a
// go.work, or a read-only directory of the module cache (downloaded if it is not there
// yet). It asks once per process.
func ModuleDir() (string, error) {
	moduleDir.once.Do(func() {
		moduleDir.dir, moduleDir.err = findModuleDir()
		if moduleDir.err != nil {
			moduleDir.err = fmt.Errorf("golambda: cannot find the directory of module %s from the working directory: %w", ModulePath, moduleDir.err)
		}
	})
	return moduleDir.dir, moduleDir.err
}

func findModuleDir() (string, error) {
	var m struct {
		Version string
		Dir     string
	}
	out, err := run("", nil, "list", "-m", "-json", ModulePath)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	if m.Dir == "" && m.Version != "" {
		// In the build list but not in the module cache (a vendoring app).
		out, err := run("", nil, "mod", "download", "-json", ModulePath+"@"+m.Version)
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(out, &m); err != nil {
			return "", err
		}
	}
	if m.Dir == "" {
		return "", fmt.Errorf("go list -m reports no directory")
	}
	return m.Dir, nil
}

// packageDir is the directory of pkg in module ModulePath: the asset's source path,
// which the CDK requires to exist but does not read when the bundling is local and
// the hash custom.
func packageDir(pkg string) (string, error) {
	dir, err := ModuleDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(pkg, ModulePath+"/"))), nil
}

// run runs the go command in dir (the working directory when empty) with env added to
// the process's environment, and returns its standard output.
func run(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), displayDir(dir), err, stderr.String())
	}
	return out, nil
}

func displayDir(dir string) string {
	if dir == "" {
		return "the working directory"
	}
	return dir
}

// jsiiValues are the values every function shares, each fetched from the jsii runtime
// once (every call into it is a round trip).
type jsiiValues struct {
	runtime      awslambda.Runtime
	architecture awslambda.Architecture
	image        awscdk.DockerImage
}

var shared = sync.OnceValue(func() jsiiValues {
	return jsiiValues{
		runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		architecture: awslambda.Architecture_ARM_64(),
		image:        awscdk.DockerImage_FromRegistry(jsii.String("local-go-build-only")),
	}
})
