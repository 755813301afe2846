package access

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository root, from this package's directory.
const repoRoot = "../.."

// scenarioTopology names the topology file of each scenario whose golden policy
// files are under test/testdata/<scenario>.
var scenarioTopology = map[string]string{
	"default": "topology.yaml",
	"full":    "test/testdata/full.yaml",
}

var tmpRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crosswire-access-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type synthesis struct {
	once sync.Once
	dir  string
	err  error
}

var (
	synthMu     sync.Mutex
	synthesized = map[string]*synthesis{}
)

// scenario synthesizes the scenario once per test binary, as users do
// (scripts/cdk synth with the pinned CLI and Node), and returns its cloud assembly.
func scenario(t *testing.T, name string) string {
	t.Helper()
	synthMu.Lock()
	s := synthesized[name]
	if s == nil {
		s = &synthesis{}
		synthesized[name] = s
	}
	synthMu.Unlock()
	s.once.Do(func() {
		root, err := filepath.Abs(repoRoot)
		if err != nil {
			s.err = err
			return
		}
		bin := filepath.Join(root, "tools", "node_modules", ".bin")
		if _, err := os.Stat(filepath.Join(bin, "cdk")); err != nil {
			s.err = fmt.Errorf("the pinned CDK CLI is not installed (%v); run scripts/setup", err)
			return
		}
		s.dir = filepath.Join(tmpRoot, name+".out")
		cmd := exec.Command(filepath.Join(root, "scripts", "cdk"), "synth", "--quiet", "-c", "topology="+scenarioTopology[name], "-o", s.dir)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			s.err = fmt.Errorf("synthesizing %s: %v\n%s", scenarioTopology[name], err, out)
		}
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.dir
}

// goldenEntry is one policy of a golden file.
type goldenEntry struct {
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
	Property  string `json:"property"`
	Document  any    `json:"document"`
}

var (
	accountInArn = regexp.MustCompile(`^arn:[^:]*:[^:]*:[^:]*:([0-9]{12}|\*?):`)
	twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)
)

// stackAccounts reads each stack's account from manifest.json.
func stackAccounts(t *testing.T, dir string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, a := range m.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			out[name] = strings.Split(strings.TrimPrefix(a.Environment, "aws://"), "/")[0]
		}
	}
	return out
}

// goldenGrants derives, from the golden policy files alone, every grant to a
// principal of another account than the stack's, as
// "stack|logicalId|principal|actions|roles".
func goldenGrants(t *testing.T, dir string, accounts map[string]string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.policies.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files in %s (%v)", dir, err)
	}
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var golden map[string][]goldenEntry
		if err := json.Unmarshal(raw, &golden); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for stack, entries := range golden {
			own := accounts[stack]
			if own == "" {
				t.Fatalf("stack %s of %s is not in the assembly", stack, f)
			}
			for _, e := range entries {
				for _, g := range goldenEntryGrants(e, own) {
					out = append(out, stack+"|"+e.LogicalID+"|"+g)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// goldenEntryGrants returns "principal|actions|roles" for each cross-account grant
// of one golden policy.
func goldenEntryGrants(e goldenEntry, own string) []string {
	if e.Type == "AWS::IAM::Policy" || e.Type == "AWS::IAM::ManagedPolicy" || strings.HasPrefix(e.Property, "Policies/") ||
		e.Property == "ManagedPolicyArns" || e.Property == "PermissionsBoundary" {
		return nil // identity policies grant nothing to other accounts
	}
	doc, _ := e.Document.(map[string]any)
	var out []string
	if e.Type == "AWS::Lambda::Permission" {
		p, _ := doc["Principal"].(string)
		action, _ := doc["Action"].(string)
		switch {
		case twelveDigits.MatchString(p) && p != own:
			out = append(out, "account:"+p+"|"+action+"|")
		case strings.HasSuffix(p, ".amazonaws.com"):
			src, _ := doc["SourceAccount"].(string)
			if src == "" {
				if arn, _ := doc["SourceArn"].(string); accountInArn.MatchString(arn) {
					src = accountInArn.FindStringSubmatch(arn)[1]
				}
			}
			if src == "" {
				src = "*"
			}
			if src != own {
				out = append(out, "service:"+p+"@"+src+"|"+action+"|")
			}
		}
		return out
	}
	statements, _ := doc["Statement"].([]any)
	for _, s := range statements {
		st, _ := s.(map[string]any)
		if st["Effect"] != "Allow" {
			continue
		}
		actions := strings.Join(sortedStrings(st["Action"]), ",")
		conds, _ := st["Condition"].(map[string]any)
		values := func(op, key string) []string {
			m, _ := conds[op].(map[string]any)
			return sortedStrings(m[key])
		}
		principal, _ := st["Principal"].(map[string]any)
		for _, v := range sortedStrings(principal["AWS"]) {
			if v == "*" {
				switch {
				case len(values("StringEquals", "aws:PrincipalOrgID")) > 0:
					out = append(out, "organization:"+strings.Join(values("StringEquals", "aws:PrincipalOrgID"), ",")+"|"+actions+"|")
				case len(values("StringEquals", "aws:PrincipalAccount")) > 0:
					for _, a := range values("StringEquals", "aws:PrincipalAccount") {
						if a != own {
							out = append(out, "account:"+a+"|"+actions+"|")
						}
					}
				default:
					out = append(out, "any|"+actions+"|")
				}
				continue
			}
			acct := v
			if m := accountInArn.FindStringSubmatch(v); m != nil {
				acct = m[1]
			}
			if acct == own {
				continue
			}
			var roles []string
			for _, op := range []string{"ArnEquals", "ArnLike"} {
				for _, r := range values(op, "aws:PrincipalArn") {
					if m := accountInArn.FindStringSubmatch(r); m != nil && (m[1] == acct || m[1] == "*") {
						roles = append(roles, r)
					}
				}
			}
			sort.Strings(roles)
			out = append(out, "account:"+acct+"|"+actions+"|"+strings.Join(roles, ","))
		}
		for _, svc := range sortedStrings(principal["Service"]) {
			var sources []string
			sources = append(sources, values("StringEquals", "aws:SourceAccount")...)
			if len(sources) == 0 {
				for _, op := range []string{"ArnEquals", "ArnLike"} {
					for _, arn := range values(op, "aws:SourceArn") {
						if m := accountInArn.FindStringSubmatch(arn); m != nil {
							sources = append(sources, m[1])
						}
					}
				}
			}
			if len(sources) == 0 {
				if e.Property == "AssumeRolePolicyDocument" {
					continue // a service assumes a role for the role's own account
				}
				sources = []string{"*"}
			}
			for _, src := range sources {
				if src != own {
					out = append(out, "service:"+svc+"@"+src+"|"+actions+"|")
				}
			}
		}
	}
	return out
}

// sortedStrings returns a JSON string or list of strings as a sorted list.
func sortedStrings(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = []string{x}
	case []any:
		for _, el := range x {
			if s, ok := el.(string); ok {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// reportGrants renders the report's grants as goldenGrants does.
func reportGrants(r *Report) []string {
	var out []string
	for _, g := range r.Grants() {
		acts := append([]string(nil), g.Actions...)
		sort.Strings(acts)
		var roles []string
		for _, rm := range g.Principal.Roles {
			roles = append(roles, rm.ARN)
		}
		sort.Strings(roles)
		out = append(out, g.Policy.Stack+"|"+g.Policy.LogicalID+"|"+g.Principal.Key()+"|"+strings.Join(acts, ",")+"|"+strings.Join(roles, ","))
	}
	sort.Strings(out)
	return out
}

func TestReportHasExactlyTheCrossAccountGrantsOfTheGoldenFiles(t *testing.T) {
	for _, name := range sortedKeys(scenarioTopology) {
		t.Run(name, func(t *testing.T) {
			// GIVEN a synthesized scenario, and the cross-account grants its golden
			// policy files hold, derived from their principals and conditions alone
			dir := scenario(t, name)
			want := goldenGrants(t, filepath.Join(repoRoot, "test", "testdata", name), stackAccounts(t, dir))
			if len(want) == 0 {
				t.Fatal("the golden files hold no cross-account grant")
			}
			// WHEN the access report of the assembly is made
			r := analyze(t, dir)
			// THEN it lists every one of them and nothing else
			got := reportGrants(r)
			if joined(got) != joined(want) {
				t.Errorf("report grants:\n%s\n\ngolden grants:\n%s\n\nonly in report: %v\nonly in golden files: %v",
					joined(got), joined(want), minus(got, want), minus(want, got))
			}
			// AND every grant admits someone, none is denied, nothing is unclassified,
			// and each says where its caller side is
			for _, g := range r.Grants() {
				if g.Void != "" || g.DeniedBy != "" || g.Caller == nil || g.Caller.Side == "" {
					t.Errorf("grant %s: void %q, denied by %q, caller %+v", g.Key(), g.Void, g.DeniedBy, g.Caller)
				}
			}
			if len(r.Unclassified) > 0 {
				t.Errorf("unclassified: %+v", r.Unclassified)
			}
		})
	}
}

func minus(a, b []string) []string {
	in := map[string]int{}
	for _, s := range b {
		in[s]++
	}
	var out []string
	for _, s := range a {
		if in[s] > 0 {
			in[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

func TestReportOfTheDefaultTopology(t *testing.T) {
	// GIVEN the default topology, synthesized
	dir := scenario(t, "default")
	// WHEN its access report is made
	r := analyze(t, dir)
	md := r.Markdown()
	// THEN the queue-policy link shows billing's queue admitting only orders' producer
	// role, narrowed by TLS, with the caller's identity policy in the assembly; the
	// topic's queues admit SNS only for orders' topic; and the limits are stated
	for _, want := range []string{
		"### AWS::SQS::Queue invoices",
		"- **account orders (111111111111), only arn:aws:iam::111111111111:role/invoices-producer (ArnEquals aws:PrincipalArn)**: `sqs:SendMessage`",
		"  - narrowed by: Deny sqs:* to anyone when Bool aws:SecureTransport = false (TLS only: every request without TLS is denied)",
		"  - caller side: in-assembly",
		"invoicesSendPolicyCCC4F57E (AWS::IAM::Policy) PolicyDocument statement SendToLinkQueue in Crosswire-orders allows sqs:SendMessage",
		"- **sns.amazonaws.com for account orders (111111111111)**: `sqs:SendMessage`",
		"    - source AWS::SNS::Topic order-events in Crosswire-orders (ordereventsBC8ACAE5)",
		"Service control policies (SCPs) and resource control policies (RCPs)",
		"KMS grants",
		"Other teams' roles",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestDiagramOfEachScenario(t *testing.T) {
	for _, name := range sortedKeys(scenarioTopology) {
		t.Run(name, func(t *testing.T) {
			// GIVEN a scenario's topology file, read here as plain YAML, and its
			// synthesized cloud assembly
			want := expectedDiagram(t, filepath.Join(repoRoot, scenarioTopology[name]))
			dir := scenario(t, name)
			// WHEN the diagram is drawn from the assembly and from the topology file
			a, err := LoadAssembly(dir)
			if err != nil {
				t.Fatal(err)
			}
			fromAssembly, err := GraphOf(a)
			if err != nil {
				t.Fatal(err)
			}
			fromTopology, err := GraphFromTopology(filepath.Join(repoRoot, scenarioTopology[name]))
			if err != nil {
				t.Fatal(err)
			}
			// THEN each is a left-to-right flowchart with one node per account (alias
			// and ID) and one arrow per sender and receiver of every link, labelled with
			// its kind, name and access mode, and nothing else; and both are the same
			for source, m := range map[string]string{"assembly": fromAssembly.Mermaid(), "topology": fromTopology.Mermaid()} {
				lines := strings.Split(strings.TrimSuffix(m, "\n"), "\n")
				if lines[0] != "flowchart LR" {
					t.Errorf("%s: first line %q, want flowchart LR", source, lines[0])
				}
				got := append([]string(nil), lines[1:]...)
				sort.Strings(got)
				if joined(got) != joined(want) {
					t.Errorf("%s diagram:\n%s\nwant lines:\n%s", source, m, joined(want))
				}
			}
			if fromAssembly.Mermaid() != fromTopology.Mermaid() {
				t.Errorf("diagrams differ:\nassembly:\n%s\ntopology:\n%s", fromAssembly.Mermaid(), fromTopology.Mermaid())
			}
		})
	}
}

// expectedDiagram returns the sorted lines (after the first) that the diagram of
// the topology file must have, from the file read as YAML with the documented
// defaults of each kind's access mode.
func expectedDiagram(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Accounts map[string]string `yaml:"accounts"`
		Links    []struct {
			Name    string         `yaml:"name"`
			Kind    string         `yaml:"kind"`
			From    any            `yaml:"from"`
			To      any            `yaml:"to"`
			Options map[string]any `yaml:"options"`
		} `yaml:"links"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	var out []string
	for alias, id := range file.Accounts {
		out = append(out, fmt.Sprintf(`  acct%s["%s<br/>%s"]`, id, alias, id))
	}
	aliases := func(v any) []string {
		if s, ok := v.(string); ok {
			return []string{s}
		}
		var list []string
		for _, el := range v.([]any) {
			list = append(list, el.(string))
		}
		return list
	}
	option := func(opts map[string]any, key, def string) string {
		if v, ok := opts[key].(string); ok {
			return v
		}
		return def
	}
	for _, l := range file.Links {
		mode := map[string]string{
			"queue":  option(l.Options, "access", "queue-policy"),
			"bus":    option(l.Options, "mode", "bus"),
			"topic":  option(l.Options, "allow", "accounts"),
			"stream": "enhanced-fan-out",
		}[l.Kind]
		for _, from := range aliases(l.From) {
			for _, to := range aliases(l.To) {
				out = append(out, fmt.Sprintf(`  acct%s -->|"%s %s (%s)"| acct%s`, file.Accounts[from], l.Kind, l.Name, mode, file.Accounts[to]))
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestSynthWritesTheReviewFiles(t *testing.T) {
	// GIVEN the default topology synthesized by the app
	dir := scenario(t, "default")
	// WHEN the review files of the cloud assembly are read
	accessMD, err := os.ReadFile(filepath.Join(dir, AccessFile))
	if err != nil {
		t.Fatal(err)
	}
	topologyMD, err := os.ReadFile(filepath.Join(dir, TopologyFile))
	if err != nil {
		t.Fatal(err)
	}
	// THEN they hold the access report and the diagram of that assembly
	a, err := LoadAssembly(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(a)
	if err != nil {
		t.Fatal(err)
	}
	if string(accessMD) != r.Markdown() {
		t.Errorf("%s is not the access report of the assembly:\n%s", AccessFile, accessMD)
	}
	g, err := GraphOf(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := "```mermaid\n" + g.Mermaid() + "```\n"; !strings.HasSuffix(string(topologyMD), want) {
		t.Errorf("%s:\n%s\nwant it to end with:\n%s", TopologyFile, topologyMD, want)
	}
}
