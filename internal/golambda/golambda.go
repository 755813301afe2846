// Package golambda builds Go Lambda functions without Docker: the CDK's local
// bundling hook runs `go build` for linux/arm64 on the provided.al2023 runtime, and
// the asset hash is computed from the handler's sources and dependency versions, so
// it changes only when the code does and golden files do not churn.
//
// It exists because awscdklambdagoalpha cannot be installed here, and every construct
// of this module that runs code (event targets, stream consumers, custom resources)
// needs the same thing.
package golambda

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
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

// Props configure a Go Lambda function.
type Props struct {
	// Package is the import path of the handler's main package, for example
	// github.com/crosswire/crosswire/lambdas/eventlogger. It must be buildable from the
	// working directory's module.
	Package string
	// Description of the function. Default: none.
	Description string
	// Timeout of one invocation. Default: 30s.
	Timeout time.Duration
	// MemorySize in MB. Default: 256.
	MemorySize int
	// Environment variables of the function. Default: none.
	Environment map[string]string
	// LogRetention of the function's log group. Default: one month.
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

// NewFunction builds the function. The Go build runs during synth.
func NewFunction(scope constructs.Construct, id string, props *Props) *Function {
	if props == nil || props.Package == "" {
		panic(fmt.Errorf("golambda: function %q needs the import path of its main package", id))
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	f := &Function{Construct: c}
	retention := props.LogRetention
	if retention == "" {
		retention = awslogs.RetentionDays_ONE_MONTH
	}
	f.LogGroup = awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
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
	var desc *string
	if props.Description != "" {
		desc = jsii.String(props.Description)
	}
	f.Function = awslambda.NewFunction(c, jsii.String("Resource"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         Code(props.Package),
		Role:         f.Role,
		LogGroup:     f.LogGroup,
		Timeout:      cdkx.Seconds(timeout),
		MemorySize:   jsii.Number(float64(memory)),
		Environment:  env,
		Description:  desc,
	})
	return f
}

func path(pkg string) string { return pkg[strings.LastIndex(pkg, "/")+1:] }

// Code returns Lambda code built from the main package pkg by a local `go build`
// (GOOS=linux GOARCH=arm64 CGO_ENABLED=0, -trimpath, stripped, tag lambda.norpc) into
// a bootstrap executable, with an asset hash of the sources (see SourceHash).
func Code(pkg string) awslambda.Code {
	hash, err := SourceHash(pkg)
	if err != nil {
		panic(fmt.Errorf("golambda: %w", err))
	}
	dir, err := packageDir(pkg)
	if err != nil {
		panic(fmt.Errorf("golambda: %w", err))
	}
	return awslambda.Code_FromAsset(jsii.String(dir), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// Never used: local bundling always succeeds or fails the synth, so no
			// Docker engine is needed.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("local-go-build-only")),
			Local: &localBuild{pkg: pkg},
		},
	})
}

// localBuild implements awscdk.ILocalBundling with `go build`.
type localBuild struct{ pkg string }

// TryBundle builds the package into outputDir/bootstrap. A failed build fails the
// synth with the compiler's output rather than falling back to Docker.
func (b *localBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := Build(b.pkg, filepath.Join(*outputDir, "bootstrap")); err != nil {
		panic(err)
	}
	return jsii.Bool(true)
}

// Build compiles the main package pkg for the Lambda provided.al2023 arm64 runtime
// into out.
func Build(pkg, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid=", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("golambda: go build %s: %v\n%s", pkg, err, stderr.String())
	}
	return nil
}

type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	EmbedFiles []string
	Module     *struct {
		Path    string
		Version string
		Main    bool
	}
}

var (
	hashMu    sync.Mutex
	hashCache = map[string]string{}
)

// SourceHash returns the asset hash of the main package pkg: a SHA-256 over the Go
// toolchain version, the target platform, the contents of every source file of the
// packages it builds from in the main module, and the module path and version of every
// other dependency. It changes exactly when the built executable can.
func SourceHash(pkg string) (string, error) {
	hashMu.Lock()
	defer hashMu.Unlock()
	if h, ok := hashCache[pkg]; ok {
		return h, nil
	}
	cmd := exec.Command("go", "list", "-deps", "-json", "-tags", "lambda.norpc", pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v\n%s", pkg, err, stderr.String())
	}
	version, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %v", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s linux/arm64 lambda.norpc\n", strings.TrimSpace(string(version)))
	dec := json.NewDecoder(bytes.NewReader(out))
	var lines []string
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return "", err
		}
		switch {
		case p.Standard:
		case p.Module != nil && !p.Module.Main:
			lines = append(lines, "module "+p.Module.Path+"@"+p.Module.Version)
		default:
			files := append(append([]string(nil), p.GoFiles...), p.EmbedFiles...)
			sort.Strings(files)
			for _, f := range files {
				data, err := os.ReadFile(filepath.Join(p.Dir, f))
				if err != nil {
					return "", err
				}
				sum := sha256.Sum256(data)
				lines = append(lines, "file "+p.ImportPath+"/"+f+" "+hex.EncodeToString(sum[:]))
			}
		}
	}
	sort.Strings(lines)
	for _, l := range dedupe(lines) {
		fmt.Fprintln(h, l)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	hashCache[pkg] = sum
	return sum, nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

var (
	dirMu    sync.Mutex
	dirCache = map[string]string{}
)

// packageDir returns the directory of pkg, asking `go list` once per package.
func packageDir(pkg string) (string, error) {
	dirMu.Lock()
	defer dirMu.Unlock()
	if d, ok := dirCache[pkg]; ok {
		return d, nil
	}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", pkg).Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v", pkg, err)
	}
	dirCache[pkg] = strings.TrimSpace(string(out))
	return dirCache[pkg], nil
}
