// Command bin is the CDK app: it reads the topology file (topology.yaml, or the one
// given with `cdk synth -c topology=path`) and synthesizes one stack per account, plus
// the deploy order. A topology with problems is reported whole, and nothing is
// synthesized: not even the output of an earlier synth is left behind, so a pipeline
// can never deploy stale templates after a failed synth.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/access"
	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

func main() {
	// aws-cdk-lib checks every synthesized template against CloudFormation's rules
	// when its Node process sees CDK_VALIDATION unset or true. The app command in
	// cdk.json sets CDK_VALIDATION=false unless the user set it: the shapes of the
	// templates come from this module's constructs, which the tests synthesize with
	// the check on, and user input changes names and counts, which the topology
	// validation and the quota and name checks below cover.
	os.Exit(run())
}

func run() (code int) {
	prof := startProfile()
	defer prof.stop()
	// jsii's Node processes are closed as soon as the templates are written (nothing
	// after that calls into the construct library), so that their memory is free while
	// the checks read the templates back; the deferred call covers every earlier return.
	closeJSII := sync.OnceFunc(jsii.Close)
	defer closeJSII()
	// A construct that refuses its input panics (jsii errors reach Go that way too):
	// report it like any other problem, and leave no cloud assembly behind.
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(error); ok {
				code = fail(err)
				return
			}
			// Not a refusal of input: a bug, whose stack tells where.
			code = fail(fmt.Errorf("%v\n%s", r, debug.Stack()))
		}
	}()
	ctx := cdkx.AppContext()
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	prof.phase("start")
	path := topology.DefaultPath
	if v, ok := app.Node().TryGetContext(jsii.String("topology")).(string); ok && v != "" {
		path = v
	}
	t, err := topology.Load(path)
	if err != nil {
		return fail(err)
	}
	prof.phase("load")
	plan, err := stacks.Build(app, t)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", path, err))
	}
	prof.phase("construct")
	dir := *app.Synth(nil).Directory()
	closeJSII()
	prof.phase("synthesize")
	// The templates are read once, for both checks.
	synthesized, err := cfnres.ReadAssembly(dir)
	if err != nil {
		return fail(fmt.Errorf("reading the cloud assembly: %w", err))
	}
	var failed []error
	for _, check := range []func([]cfnres.Stack) error{stacks.CheckNamesOf, stacks.CheckQuotasOf} {
		if err := check(synthesized); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", path, err))
		}
	}
	prof.phase("check")
	if len(failed) > 0 {
		return fail(errors.Join(failed...))
	}
	if err := plan.Write(dir); err != nil {
		return fail(fmt.Errorf("writing the deploy order: %w", err))
	}
	// The review files: every cross-account grant (access.md) and the diagram of the
	// accounts and links (topology.md), read back from the assembly just written.
	if err := access.WriteReviewFiles(dir); err != nil {
		return fail(fmt.Errorf("writing %s and %s: %w", access.AccessFile, access.TopologyFile, err))
	}
	prof.phase("plan+review")
	return 0
}

// fail reports err, discards the cloud assembly directory the CDK CLI gave the app,
// and returns the exit code.
func fail(err error) int {
	fmt.Fprintf(os.Stderr, "%v\nnothing was synthesized\n", err)
	if dir := os.Getenv("CDK_OUTDIR"); dir != "" {
		if derr := discardAssembly(dir); derr != nil {
			fmt.Fprintf(os.Stderr, "could not clear %s: %v\n", dir, derr)
		}
	}
	return 1
}

// assemblyEntry matches what a synth of this app writes into the output directory.
var assemblyEntry = regexp.MustCompile(`^(manifest\.json|tree\.json|cdk\.out|validation-report\.json|deploy-order\.(txt|json)|access\.md|topology\.md|.*\.(template|assets|metadata)\.json|asset\..*|.*\.lock|assembly-.*|.*\.dot|(execution-policy|role-boundary)-.*\.json|stacksets)$`)

// discardAssembly removes the cloud assembly files in dir, and dir itself when
// nothing else is in it. Files it does not recognize are left alone.
func discardAssembly(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	kept := 0
	for _, e := range entries {
		if !assemblyEntry.MatchString(e.Name()) {
			kept++
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	if kept == 0 {
		return os.Remove(dir)
	}
	return nil
}
