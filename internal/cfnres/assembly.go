package cfnres

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ReadTemplates reads the stack templates of the cloud assembly directory dir, by
// stack artifact name: those its manifest.json lists. The CDK does not clear the
// directory before a synth, so it may still hold the templates of stacks an earlier
// topology had; those are not part of this assembly and are not read.
func ReadTemplates(dir string) (map[string]map[string]any, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				TemplateFile string `json:"templateFile"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	out := map[string]map[string]any{}
	for name, a := range manifest.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		f := filepath.Join(dir, a.Properties.TemplateFile)
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var tpl map[string]any
		if err := json.Unmarshal(raw, &tpl); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[name] = tpl
	}
	return out, nil
}
