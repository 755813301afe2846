package cfnres

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/parallel"
)

// ReadTemplates reads the stack templates of the cloud assembly directory dir, by
// stack name: those its manifest.json lists, and those of the nested assemblies it
// lists (a pipeline's stages). The CDK does not clear the directory before a synth, so
// it may still hold the templates of stacks an earlier topology had; those are not
// part of this assembly and are not read.
func ReadTemplates(dir string) (map[string]map[string]any, error) {
	stacks, err := ReadAssembly(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for _, s := range stacks {
		out[s.Name] = s.Template
	}
	return out, nil
}

// Stack is one stack of a cloud assembly.
type Stack struct {
	// Name is the stack's name (without a pipeline, also its artifact ID).
	Name string
	// Account and Region are the stack's account and region, from its environment.
	Account, Region string
	// Template is the stack's template.
	Template map[string]any
}

// Manifest is a cloud assembly's manifest.json, of the cloud assembly schema: the
// fields this module reads.
type Manifest struct {
	Artifacts map[string]Artifact `json:"artifacts"`
	// Missing are the context look-ups the app made without an answer.
	Missing []any `json:"missing"`
}

// Artifact is one artifact of a Manifest: a stack (aws:cloudformation:stack), an
// asset manifest (cdk:asset-manifest) or a nested assembly (cdk:cloud-assembly).
type Artifact struct {
	Type        string `json:"type"`
	Environment string `json:"environment"`
	Properties  struct {
		// TemplateFile and StackName are a stack's; File an asset manifest's;
		// DirectoryName a nested assembly's.
		TemplateFile  string `json:"templateFile"`
		StackName     string `json:"stackName"`
		File          string `json:"file"`
		DirectoryName string `json:"directoryName"`
	} `json:"properties"`
	Dependencies []string `json:"dependencies"`
	// Metadata, by construct path, is in the manifest or in AdditionalMetadataFile.
	Metadata               map[string][]MetadataEntry `json:"metadata"`
	AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
}

// MetadataEntry is one entry of a stack artifact's metadata, such as aws:cdk:error.
type MetadataEntry struct {
	Type string `json:"type"`
}

// ReadManifest reads the manifest of the cloud assembly in dir.
func ReadManifest(dir string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	return &m, nil
}

// ReadAssembly reads the stacks of the cloud assembly in dir and of the nested
// assemblies it lists.
func ReadAssembly(dir string) ([]Stack, error) {
	manifest, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(manifest.Artifacts))
	for name := range manifest.Artifacts {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Stack
	type file struct {
		stack int
		path  string
	}
	var files []file
	for _, name := range names {
		a := manifest.Artifacts[name]
		switch a.Type {
		case "cdk:cloud-assembly":
			nested, err := ReadAssembly(filepath.Join(dir, a.Properties.DirectoryName))
			if err != nil {
				return nil, err
			}
			out = append(out, nested...)
		case "aws:cloudformation:stack":
			env := strings.SplitN(strings.TrimPrefix(a.Environment, "aws://"), "/", 2)
			s := Stack{Name: a.Properties.StackName, Account: env[0]}
			if len(env) == 2 {
				s.Region = env[1]
			}
			// The manifest leaves out a stack name that is the artifact's ID.
			if s.Name == "" {
				s.Name = name
			}
			out = append(out, s)
			files = append(files, file{len(out) - 1, filepath.Join(dir, a.Properties.TemplateFile)})
		}
	}
	// Parse the templates on every core: at hundreds of stacks, reading them is most
	// of the time the checks take.
	err = parallel.Each(len(files), func(i int) (err error) {
		out[files[i].stack].Template, err = readTemplate(files[i].path)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readTemplate reads and parses the template in the file f.
func readTemplate(f string) (map[string]any, error) {
	raw, err := os.ReadFile(f)
	if err != nil {
		return nil, err
	}
	var tpl map[string]any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		return nil, fmt.Errorf("%s: %w", f, err)
	}
	return tpl, nil
}
