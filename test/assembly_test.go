package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// artifact is a stack artifact of a cloud assembly's manifest.
type artifact struct {
	Type         string   `json:"type"`
	Environment  string   `json:"environment"`
	Dependencies []string `json:"dependencies"`
	Properties   struct {
		StackName     string `json:"stackName"`
		DirectoryName string `json:"directoryName"`
	} `json:"properties"`
}

// stackArtifacts returns the stack artifacts of the cloud assembly in dir and of the
// nested assemblies it lists (a pipeline's stages), by stack name, and the context
// lookups any of them misses.
func stackArtifacts(t *testing.T, dir string) (map[string]artifact, []any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Artifacts map[string]artifact `json:"artifacts"`
		Missing   []any               `json:"missing"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	out := map[string]artifact{}
	missing := manifest.Missing
	for id, a := range manifest.Artifacts {
		switch a.Type {
		case "aws:cloudformation:stack":
			// The manifest leaves out a stack name that is the artifact's ID.
			name := a.Properties.StackName
			if name == "" {
				name = id
			}
			out[name] = a
		case "cdk:cloud-assembly":
			nested, m := stackArtifacts(t, filepath.Join(dir, a.Properties.DirectoryName))
			for k, v := range nested {
				out[k] = v
			}
			missing = append(missing, m...)
		}
	}
	return out, missing
}

// appStacks returns the stacks of app: its children, and the stacks of its stages.
func appStacks(app awscdk.App) []awscdk.Stack {
	var out []awscdk.Stack
	for _, c := range *app.Node().Children() {
		switch {
		case *awscdk.Stack_IsStack(c):
			out = append(out, c.(awscdk.Stack))
		case *awscdk.Stage_IsStage(c):
			for _, cc := range *c.Node().Children() {
				if *awscdk.Stack_IsStack(cc) {
					out = append(out, cc.(awscdk.Stack))
				}
			}
		}
	}
	return out
}
