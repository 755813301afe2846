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

// ReadAssembly reads the stacks of the cloud assembly in dir and of the nested
// assemblies it lists.
func ReadAssembly(dir string) ([]Stack, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile  string `json:"templateFile"`
				StackName     string `json:"stackName"`
				DirectoryName string `json:"directoryName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
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
