// Package othermodule_test checks that another team's CDK app, a module of its own
// that depends on this one through nothing but its go.mod, synthesizes the constructs
// that run Go Lambda handlers. It only runs the go command and the app in
// subprocesses, so its test binary does not link the CDK.
package othermodule_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// modulePath is this module, which the other team's app requires.
const modulePath = "github.com/crosswire/crosswire"

// appMain is the other team's app: a stack with the receiver half of a bus link whose
// target is the event logger function, and a stack with the consumer half of a stream
// link (the consumer function and the consumer-ARN look-up function).
const appMain = `package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/bustobus"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	env := func(account string) *awscdk.StackProps {
		return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String("eu-west-1")}}
	}
	bustobus.NewReceiver(awscdk.NewStack(app, jsii.String("Receiver"), env("222222222222")), "Events", &bustobus.ReceiverProps{
		Link: bustobus.Link{
			Name: "app-events", Region: "eu-west-1", ReceiverAccount: "222222222222", SenderAccounts: []string{"111111111111"},
			Options: bustobus.Options{EventPattern: ` + "`" + `{"source": ["other.team"]}` + "`" + `, Targets: []bustobus.Target{bustobus.TargetLambda}},
		},
	})
	sharedkinesisefo.NewConsumer(awscdk.NewStack(app, jsii.String("Consumer"), env("333333333333")), "Clicks", &sharedkinesisefo.ConsumerProps{
		Link: sharedkinesisefo.Link{
			Name: "clicks", Region: "eu-west-1", ProducerAccount: "111111111111", ConsumerAccounts: []string{"333333333333"},
		},
	})
	app.Synth(nil)
}
`

func TestAnotherModuleSynthesizesTheGoLambdas(t *testing.T) {
	// GIVEN a copy of this checkout, and another team's module that requires this one
	// through a replace directive to that copy, tidied with the module cache alone
	root := repoRoot(t)
	tmp := t.TempDir()
	checkout := filepath.Join(tmp, "crosswire")
	copyCheckout(t, root, checkout)
	app := filepath.Join(tmp, "app")
	if err := os.Mkdir(app, 0o755); err != nil {
		t.Fatal(err)
	}
	goMod := fmt.Sprintf("module example.com/otherteam\n\n%s\n\nrequire %s v0.0.0\n\nreplace %s => %s\n",
		goDirective(t, root), modulePath, modulePath, checkout)
	writeFile(t, filepath.Join(app, "go.mod"), goMod)
	writeFile(t, filepath.Join(app, "main.go"), appMain)
	// The checksums this module's go.sum holds, as `go get` would have verified them:
	// with GOPROXY=off the checksum database cannot be asked.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(app, "go.sum"), string(sum))
	env := appEnv(t, root)
	run(t, app, env, "go", "mod", "tidy")
	tidied, err := os.ReadFile(filepath.Join(app, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	// (The app's go.sum knows nothing of the handlers' dependencies: none of the app's
	// packages imports them.)
	if bytes.Contains(tidied, []byte("github.com/aws/aws-lambda-go ")) {
		t.Fatalf("the app's tidied go.sum lists aws-lambda-go; the test no longer reproduces issue 17:\n%s", tidied)
	}

	// WHEN the app is synthesized with `go run .`
	before := synth(t, app, env, filepath.Join(tmp, "out1"))

	// THEN it succeeds, with the three Go functions built
	if len(before) != 3 || len(functionsOf(before, "Receiver")) != 1 || len(functionsOf(before, "Consumer")) != 2 {
		t.Fatalf("Go functions %v, want one in Receiver and two in Consumer", before)
	}

	// WHEN the event logger's source changes in the checkout the app depends on, and
	// the app is synthesized again
	logger := filepath.Join(checkout, "lambdas", "eventlogger", "main.go")
	src, err := os.ReadFile(logger)
	if err != nil {
		t.Fatal(err)
	}
	const message = `logger.Info("event received",`
	if !bytes.Contains(src, []byte(message)) {
		t.Fatalf("%s no longer has %s: change what the test edits", logger, message)
	}
	writeFile(t, logger, strings.Replace(string(src), message, `logger.Info("event received (edited)",`, 1))
	after := synth(t, app, env, filepath.Join(tmp, "out2"))

	// THEN the event logger's asset hash changes, and only its
	for fn, key := range before {
		changed := after[fn] != key
		if logs := strings.HasPrefix(fn, "Receiver/"); changed != logs {
			t.Errorf("%s: asset %s, then %s; want a new asset exactly for the event logger", fn, key, after[fn])
		}
	}
}

// synth runs the app in dir with `go run .` into the cloud assembly outdir, and returns
// the S3 key of every provided.al2023 function's code by stack and logical ID, after
// checking that its asset folder holds an ELF bootstrap.
func synth(t *testing.T, dir string, env []string, outdir string) map[string]string {
	t.Helper()
	run(t, dir, append(env, "CDK_OUTDIR="+outdir), "go", "run", ".")
	templates, _ := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	keys := map[string]string{}
	for _, f := range templates {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties struct {
					Runtime string
					Code    struct{ S3Key string }
				}
			}
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		stack := strings.TrimSuffix(filepath.Base(f), ".template.json")
		for id, r := range tpl.Resources {
			if r.Type != "AWS::Lambda::Function" || r.Properties.Runtime != "provided.al2023" {
				continue
			}
			key := r.Properties.Code.S3Key
			keys[stack+"/"+id] = key
			exe := filepath.Join(outdir, "asset."+strings.TrimSuffix(key, ".zip"), "bootstrap")
			if head := readHead(t, exe); !bytes.Equal(head, []byte("\x7fELF")) {
				t.Errorf("%s/%s: %s starts with %q, want an ELF executable", stack, id, exe, head)
			}
		}
	}
	return keys
}

// functionsOf returns the functions of stack among fns.
func functionsOf(fns map[string]string, stack string) []string {
	var out []string
	for fn := range fns {
		if strings.HasPrefix(fn, stack+"/") {
			out = append(out, fn)
		}
	}
	sort.Strings(out)
	return out
}

// appEnv is the environment the other team's go commands and app run in: the module
// cache alone (GOPROXY=off), -mod=mod (which must not leak into the handlers' build),
// no workspace, and the pinned Node first on PATH, without this process's CDK and
// jsii settings.
func appEnv(t *testing.T, root string) []string {
	t.Helper()
	bin := filepath.Join(root, "tools", "node_modules", ".bin")
	if _, err := os.Stat(filepath.Join(bin, "node")); err != nil {
		t.Fatalf("the pinned Node is not installed; run scripts/setup: %v", err)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "CDK_") || strings.HasPrefix(name, "JSII_") {
			continue
		}
		switch name {
		case "GOPROXY", "GOFLAGS", "GOWORK", "PATH":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// copyCheckout copies the files of the checkout at root that git tracks or would track
// (committed or not, not ignored) to dir.
func copyCheckout(t *testing.T, root, dir string) {
	t.Helper()
	out := run(t, root, os.Environ(), "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		src := filepath.Join(root, name)
		fi, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		} else if err != nil {
			t.Fatal(err)
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, src, dst, fi.Mode().Perm())
	}
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// repoRoot is the root of this checkout: the module's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(run(t, ".", os.Environ(), "go", "list", "-m", "-f", "{{.Dir}}"))
}

// goDirective is the go line of the go.mod at root.
func goDirective(t *testing.T, root string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "go ") {
			return line
		}
	}
	t.Fatal("go.mod has no go directive")
	return ""
}

func readHead(t *testing.T, file string) []byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return head[:n]
}

func writeFile(t *testing.T, file, text string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs a command in dir with env and returns its standard output; it fails the
// test with the command's output when the command fails.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s%s", name, strings.Join(args, " "), dir, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
