// Package policysnap keeps golden files ("snapshots") of every IAM and
// resource policy in synthesized CloudFormation templates, so that any change
// to who may do what shows up as a reviewable diff in a test failure.
//
// The package is pure Go and does not depend on jsii: callers pass the
// synthesized template as JSON bytes ([TemplateFromJSON]) or as a decoded map.
// [Extract] finds the policy documents, [Normalize] rewrites them into a
// canonical form (sorted and de-duplicated actions, resources, principals,
// condition values and statements; CDK asset hashes replaced by
// "<asset-hash>") so that a golden file changes only when a permission really
// changes, and [Snapshot] renders several stacks into one deterministic JSON
// document. [AssertTemplates] and [AssertGolden] compare that document with a
// golden file and print a line diff ([Diff]) on mismatch.
//
// # Usage
//
// In a test of a CDK app:
//
//	func TestPolicies(t *testing.T) {
//		app := awscdk.NewApp(nil)
//		stack := mystacks.NewApiStack(app, "ApiStack", nil)
//
//		raw, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
//		if err != nil {
//			t.Fatal(err)
//		}
//		tmpl, err := policysnap.TemplateFromJSON(raw)
//		if err != nil {
//			t.Fatal(err)
//		}
//		policysnap.AssertTemplates(t, "testdata/policies.golden.json",
//			map[string]map[string]any{"ApiStack": tmpl})
//	}
//
// # Updating golden files
//
// Run
//
//	UPDATE_GOLDEN=1 go test ./...
//
// to rewrite the golden files instead of comparing them, then review the
// resulting diff (git diff) as a security reviewer would before committing it.
// The package registers no command-line flag: the variable reaches every test
// binary of a module, whichever packages import policysnap, and a program that
// imports it keeps its own flags. A test binary that defines its own -update
// flag may use it instead (go test ./pkg -update). Nothing here links the
// testing package: AssertGolden takes the small TB interface that *testing.T
// satisfies.
package policysnap
