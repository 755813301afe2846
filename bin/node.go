package main

import (
	"fmt"
	"os"

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
	// preparedEnv marks the second run of the app, whose environment is prepared.
	preparedEnv = "CROSSWIRE_NODE_PREPARED"
)

// prepareNode gives the jsii Node process that aws-cdk-go talks to the environment
// this app wants, unless the user set it:
//
//   - CDK_VALIDATION=false: skip aws-cdk-lib's CloudFormation check (see the README,
//     "Synth-time validation");
//   - JSII_RUNTIME: the jsii kernel without its relay process (directKernel), which
//     makes every call from Go into Node cheaper.
//
// Setting them in main is too late: jsii-runtime-go fixes the environment of its
// Node process while the aws-cdk-go packages initialize, before main runs. So the
// app runs itself again with them set. The Node process has not started yet at this
// point; only its runtime files were unpacked, and jsii.Close removes them.
func prepareNode() {
	if os.Getenv(preparedEnv) != "" {
		return
	}
	env := map[string]string{preparedEnv: "1"}
	if _, set := os.LookupEnv(validationEnv); !set {
		env[validationEnv] = "false"
	}
	if _, set := os.LookupEnv(runtimeEnv); !set && os.Getenv(directEnv) != "false" {
		if cmd, ok := directKernel(); ok {
			env[runtimeEnv] = cmd
		}
	}
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
