package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/crosswire/crosswire/internal/parallel"
	"github.com/crosswire/crosswire/linkkind"
)

// ManifestFile is the file that makes a directory a cloud assembly.
const ManifestFile = "manifest.json"

// AccountTag is the tag whose value is the account alias on every resource a
// Crosswire stack creates.
const AccountTag = "crosswire:account"

// Assembly is a cloud assembly read from disk: its stacks, each with its account,
// region and template.
type Assembly struct {
	// Dir is the directory the assembly was read from.
	Dir string
	// Stacks are sorted by name.
	Stacks []*Stack
}

// Stack is one stack artifact of a cloud assembly.
type Stack struct {
	// Name is the stack name (the artifact ID unless the manifest names it).
	Name string
	// Account and Region come from the artifact's environment aws://ACCOUNT/REGION.
	Account, Region string
	// Alias is the account alias named by the stack's tag or description, or "".
	Alias string
	// Description is the template's description.
	Description string
	// TemplateFile is the path of the template, relative to the assembly directory.
	TemplateFile string

	resources map[string]*Resource
	logical   []string // sorted logical IDs
	params    map[string]bool
}

// Resource is one resource of a stack's template.
type Resource struct {
	// LogicalID is the resource's logical ID in its template.
	LogicalID string
	// Type is the CloudFormation type, such as AWS::SQS::Queue.
	Type string
	// Path is the construct path (Metadata aws:cdk:path), or "".
	Path string
	// Link is the second segment of Path: the link that made the resource, in a
	// Crosswire stack.
	Link string

	stack *Stack
	props map[string]any

	named    bool // name, arn and ref are computed
	name     string
	arn      string
	refValue string
}

// Resources returns the stack's resources in the order of their logical IDs.
func (s *Stack) Resources() []*Resource {
	out := make([]*Resource, len(s.logical))
	for i, id := range s.logical {
		out[i] = s.resources[id]
	}
	return out
}

// Resource returns the resource with logical ID id, or nil.
func (s *Stack) Resource(id string) *Resource { return s.resources[id] }

// Label returns the alias and account ID of the stack, as "orders (111111111111)".
func (s *Stack) Label() string { return accountLabel(s.Alias, s.Account) }

// accountLabel renders an account as "alias (ID)", or its ID.
func accountLabel(alias, account string) string {
	if alias == "" || alias == account {
		return account
	}
	return alias + " (" + account + ")"
}

// manifest is the part of manifest.json this package reads.
type manifest struct {
	Artifacts map[string]struct {
		Type        string         `json:"type"`
		Environment string         `json:"environment"`
		Properties  map[string]any `json:"properties"`
	} `json:"artifacts"`
}

var (
	accountPattern     = regexp.MustCompile(`^[0-9]{12}$`)
	descriptionAccount = regexp.MustCompile(`of account ([a-z][a-z0-9-]*) \(([0-9]{12})\)`)
)

// LoadAssembly reads the cloud assembly in dir: manifest.json and the template of
// every stack artifact, also of nested assemblies. It fails, naming the file and the
// element, when dir is not a cloud assembly, when a file is not valid JSON, or when
// a stack has no account of its own (an environment-agnostic stack).
func LoadAssembly(dir string) (*Assembly, error) {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%q is not a cloud assembly: no such directory", dir)
		}
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%q is not a cloud assembly: not a directory", dir)
	}
	a := &Assembly{Dir: dir}
	var jobs []*Stack
	if err := collectStacks(dir, "", &jobs, 0); err != nil {
		return nil, err
	}
	if err := loadTemplates(dir, jobs); err != nil {
		return nil, err
	}
	a.Stacks = jobs
	sort.Slice(a.Stacks, func(i, j int) bool { return a.Stacks[i].Name < a.Stacks[j].Name })
	for i := 1; i < len(a.Stacks); i++ {
		if a.Stacks[i].Name == a.Stacks[i-1].Name {
			return nil, fmt.Errorf("%s: stack %q appears twice", filepath.Join(dir, ManifestFile), a.Stacks[i].Name)
		}
	}
	return a, nil
}

// collectStacks reads the manifest of the assembly in dir/sub and appends its
// stacks, following nested assemblies.
func collectStacks(root, sub string, out *[]*Stack, depth int) error {
	dir := filepath.Join(root, sub)
	file := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%q is not a cloud assembly: it has no %s", dir, ManifestFile)
		}
		return err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: not a cloud assembly manifest: %v", file, err)
	}
	if m.Artifacts == nil {
		return fmt.Errorf("%s: not a cloud assembly manifest: no \"artifacts\"", file)
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		art := m.Artifacts[id]
		switch art.Type {
		case "cdk:cloud-assembly":
			nested, _ := art.Properties["directoryName"].(string)
			if nested == "" || depth > 8 {
				return fmt.Errorf("%s: artifacts.%s: nested assembly without a usable directoryName", file, id)
			}
			if err := collectStacks(root, filepath.Join(sub, nested), out, depth+1); err != nil {
				return err
			}
		case "aws:cloudformation:stack":
			st := &Stack{Name: id}
			if n, ok := art.Properties["stackName"].(string); ok && n != "" {
				st.Name = n
			}
			env := strings.TrimPrefix(art.Environment, "aws://")
			acct, region, _ := strings.Cut(env, "/")
			if !strings.HasPrefix(art.Environment, "aws://") || !accountPattern.MatchString(acct) || region == "" || strings.Contains(region, "unknown") {
				return fmt.Errorf("%s: artifacts.%s.environment: %q names no account and region (want aws://ACCOUNT/REGION); cross-account access needs environment-specific stacks", file, id, art.Environment)
			}
			st.Account, st.Region = acct, region
			tf, _ := art.Properties["templateFile"].(string)
			if tf == "" {
				return fmt.Errorf("%s: artifacts.%s.properties.templateFile: missing", file, id)
			}
			st.TemplateFile = filepath.Join(sub, tf)
			if tags, ok := art.Properties["tags"].(map[string]any); ok {
				st.Alias, _ = tags[AccountTag].(string)
			}
			*out = append(*out, st)
		}
	}
	return nil
}

// loadTemplates reads and indexes the template of every stack, on all CPUs: at
// scale, decoding JSON is most of the work.
func loadTemplates(dir string, stacks []*Stack) error {
	return parallel.Each(len(stacks), func(i int) error { return stacks[i].load(dir) })
}

// load reads the stack's template from the assembly in dir.
func (s *Stack) load(dir string) error {
	file := filepath.Join(dir, s.TemplateFile)
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("stack %s: %w", s.Name, err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(data, &tmpl); err != nil {
		return fmt.Errorf("%s: not a valid JSON template: %v", file, err)
	}
	if tmpl == nil {
		return fmt.Errorf("%s: not a template: the file holds JSON null", file)
	}
	s.Description, _ = tmpl["Description"].(string)
	s.params = map[string]bool{}
	if ps, ok := tmpl["Parameters"].(map[string]any); ok {
		for k := range ps {
			s.params[k] = true
		}
	}
	s.resources = map[string]*Resource{}
	if raw, ok := tmpl["Resources"]; ok && raw != nil {
		res, ok := raw.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: Resources: not an object", file)
		}
		for id, v := range res {
			r, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: resource %s: not an object", file, id)
			}
			typ, ok := r["Type"].(string)
			if !ok || typ == "" {
				return fmt.Errorf("%s: resource %s: Type: missing or not a string", file, id)
			}
			rs := &Resource{LogicalID: id, Type: typ, stack: s}
			if p, ok := r["Properties"]; ok && p != nil {
				if rs.props, ok = p.(map[string]any); !ok {
					return fmt.Errorf("%s: resource %s (%s): Properties: not an object", file, id, typ)
				}
			}
			if md, ok := r["Metadata"].(map[string]any); ok {
				rs.Path, _ = md["aws:cdk:path"].(string)
				// Stack/<link>/..., or Stage/Stack/<link>/... in a pipeline's stage.
				parts := strings.Split(rs.Path, "/")
				at := 0
				if i := slices.Index(parts, s.Name); i >= 0 {
					at = i
				}
				if len(parts) > at+2 && !strings.HasPrefix(parts[at+1], linkkind.AccountConstruct) {
					rs.Link = parts[at+1]
				}
			}
			s.resources[id] = rs
			s.logical = append(s.logical, id)
			if s.Alias == "" {
				s.Alias = tagValue(rs.props["Tags"], AccountTag)
			}
		}
	}
	sort.Strings(s.logical)
	if s.Alias == "" {
		if m := descriptionAccount.FindStringSubmatch(s.Description); m != nil && m[2] == s.Account {
			s.Alias = m[1]
		}
	}
	return nil
}

// tagValue returns the value of tag key in a CloudFormation Tags list, or "".
func tagValue(tags any, key string) string {
	list, _ := tags.([]any)
	for _, t := range list {
		m, _ := t.(map[string]any)
		if k, _ := m["Key"].(string); k == key {
			v, _ := m["Value"].(string)
			return v
		}
	}
	return ""
}

// Aliases returns the alias of every account of the assembly that has one.
func (a *Assembly) Aliases() map[string]string {
	out := map[string]string{}
	for _, s := range a.Stacks {
		if s.Alias != "" {
			out[s.Account] = s.Alias
		}
	}
	return out
}

// Accounts returns the IDs of every account that has a stack, sorted.
func (a *Assembly) Accounts() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range a.Stacks {
		if !seen[s.Account] {
			seen[s.Account] = true
			out = append(out, s.Account)
		}
	}
	sort.Strings(out)
	return out
}
