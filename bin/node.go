package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"
)

const (
	// validationEnv is the variable aws-cdk-lib reads, in its Node process, to decide
	// whether to check every template against CloudFormation's rules.
	validationEnv = "CDK_VALIDATION"
	// runtimeEnv names the program jsii-runtime-go starts instead of its own relay.
	runtimeEnv = "JSII_RUNTIME"
	// directEnv set to "false" keeps jsii's own relay (see directKernel).
	directEnv = "CROSSWIRE_JSII_DIRECT"
	// preparedEnv marks the second run of the app, whose environment is prepared:
	// "validation" when only CDK_VALIDATION was set, preparedDirect when the app also
	// set JSII_RUNTIME and SHELL.
	preparedEnv    = "CROSSWIRE_NODE_PREPARED"
	preparedDirect = "direct"
	// userShellEnv keeps the user's SHELL while SHELL is /bin/sh for jsii.
	userShellEnv = "CROSSWIRE_USER_SHELL"
)

// prepareNode gives the jsii Node process that aws-cdk-go talks to the environment
// this app wants, unless the user set it:
//
//   - CDK_VALIDATION=false: skip aws-cdk-lib's CloudFormation check (see the README,
//     "Synth-time validation");
//   - JSII_RUNTIME: the jsii kernel without its relay process (directKernel), which
//     makes every call from Go into Node cheaper. jsii-runtime-go runs JSII_RUNTIME
//     with $SHELL -c, and the user's shell may be one that cannot run the command
//     or that reads start-up files, so SHELL is /bin/sh while jsii reads it.
//
// Setting them in main is too late: jsii-runtime-go fixes the command and the
// environment of its Node process while the aws-cdk-go packages initialize, before
// main runs. So the app runs itself again with them set; Node has not started yet
// (only its runtime files were unpacked, and jsii.Close removes them). In that second
// run, prepareNode gives the app back the user's environment, except for
// CDK_VALIDATION, so that the programs the app runs (go build of the Lambdas) see the
// user's own.
func prepareNode() {
	if how, ok := os.LookupEnv(preparedEnv); ok {
		user := userEnv(os.Environ(), how)
		os.Clearenv()
		for _, kv := range user {
			k, v, _ := strings.Cut(kv, "=")
			os.Setenv(k, v)
		}
		return
	}
	env := map[string]string{}
	how := "validation"
	if _, set := os.LookupEnv(validationEnv); !set {
		env[validationEnv] = "false"
	}
	if _, set := os.LookupEnv(runtimeEnv); !set && os.Getenv(directEnv) != "false" {
		if cmd, ok := directKernel(); ok {
			env[runtimeEnv] = cmd
			env[userShellEnv] = os.Getenv("SHELL")
			env["SHELL"] = "/bin/sh"
			how = preparedDirect
		}
	}
	if len(env) == 0 {
		return
	}
	env[preparedEnv] = how
	for k, v := range env {
		if err := os.Setenv(k, v); err != nil {
			fmt.Fprintf(os.Stderr, "setting %s: %v\n", k, err)
			os.Exit(1)
		}
	}
	jsii.Close()
	exe, err := os.Executable()
	if err == nil {
		err = reexec(exe)
	}
	fmt.Fprintf(os.Stderr, "running the app again with its Node environment: %v\n(set %s=1 to run it as it is)\n", err, preparedEnv)
	os.Exit(1)
}

// userEnv returns environ, prepared by prepareNode in the way how says, as the user
// had it: without the variables prepareNode added, except CDK_VALIDATION, and with
// the user's SHELL (none when CROSSWIRE_USER_SHELL is empty).
func userEnv(environ []string, how string) []string {
	var out []string
	shell := ""
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == userShellEnv:
			shell = v
		case k == preparedEnv:
		case how == preparedDirect && (k == runtimeEnv || k == "SHELL"):
		default:
			out = append(out, kv)
		}
	}
	if how == preparedDirect && shell != "" {
		out = append(out, "SHELL="+shell)
	}
	return out
}
