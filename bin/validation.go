package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
)

// validationEnv is the variable aws-cdk-lib reads, in its Node process, to decide
// whether to check every template against CloudFormation's rules.
const validationEnv = "CDK_VALIDATION"

// skipValidationByDefault makes the synth skip aws-cdk-lib's CloudFormation check
// unless CDK_VALIDATION is set (see the README, "Synth-time validation").
//
// Setting the variable in main is too late: jsii-runtime-go fixes the environment of
// its Node process while the aws-cdk-go packages initialize, before main runs. So
// the app runs itself again with the variable set. The Node process has not started
// yet at this point; only its runtime files were unpacked, and jsii.Close removes
// them.
func skipValidationByDefault() {
	if _, set := os.LookupEnv(validationEnv); set {
		return
	}
	if err := os.Setenv(validationEnv, "false"); err != nil {
		fmt.Fprintf(os.Stderr, "setting %s: %v\n", validationEnv, err)
		os.Exit(1)
	}
	jsii.Close()
	exe, err := os.Executable()
	if err == nil {
		err = reexec(exe)
	}
	fmt.Fprintf(os.Stderr, "running the app again with %s=false: %v\n(set %s=true or false to run it once)\n", validationEnv, err, validationEnv)
	os.Exit(1)
}
