// Package cdktest helps the module's tests synthesize exactly what `cdk synth` does
// and look into the result from Go, with few round trips to the jsii runtime.
package cdktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdkx"
)

// Main runs the tests of a package whose test binary imports the CDK on the pinned
// Node (see UsePinnedNode; without it Main fails at once), closes the jsii runtime and
// exits with the tests' code. Every program that imports the CDK unpacks the jsii
// runtime into a temporary directory when it starts, whether or not it calls into it,
// and only jsii.Close removes it (and stops its Node process, if one started).
func Main(m *testing.M) {
	if err := UsePinnedNode(); err != nil {
		jsii.Close()
		fmt.Fprintln(os.Stderr, "cdktest:", err)
		os.Exit(1)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// RepoRoot returns the repository root: the nearest folder above the working
// directory that holds cdk.json.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "cdk.json")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no cdk.json above the working directory")
		}
		dir = parent
	}
}

// NewApp returns an app with the context (feature flags) of the repository's cdk.json,
// so that a test synthesizes the same templates as the CDK CLI. outdir, when not
// empty, is where the cloud assembly is written.
func NewApp(t testing.TB, outdir string) awscdk.App {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	ctx := cdkx.AppContext()
	for k, v := range cfg.Context {
		ctx[k] = v
	}
	props := &awscdk.AppProps{Context: &ctx}
	if outdir != "" {
		props.Outdir = jsii.String(outdir)
	}
	return awscdk.NewApp(props)
}

// Template synthesizes stack's app (once; later calls reuse it) and returns the
// stack's template as Go values.
func Template(t testing.TB, stack awscdk.Stack) Tmpl {
	t.Helper()
	raw, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	return Tmpl(tpl)
}

// ReadTemplate reads a synthesized template file.
func ReadTemplate(t testing.TB, path string) Tmpl {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return Tmpl(tpl)
}

// Tmpl is a CloudFormation template as Go values.
type Tmpl map[string]any

// Resource is one resource of a template.
type Resource struct {
	LogicalID string
	Type      string
	Raw       map[string]any
}

// Props returns the resource's Properties.
func (r Resource) Props() map[string]any {
	p, _ := r.Raw["Properties"].(map[string]any)
	return p
}

// Resources returns the resources of type typ, by logical ID order.
func (tpl Tmpl) Resources(typ string) []Resource {
	res, _ := tpl["Resources"].(map[string]any)
	var out []Resource
	for id, v := range res {
		m, _ := v.(map[string]any)
		if m["Type"] == typ {
			out = append(out, Resource{LogicalID: id, Type: typ, Raw: m})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

// One returns the only resource of type typ whose properties contain every key and
// value of match (compared as JSON), and fails the test when there is not exactly one.
func (tpl Tmpl) One(t testing.TB, typ string, match map[string]any) Resource {
	t.Helper()
	var found []Resource
	for _, r := range tpl.Resources(typ) {
		if Contains(r.Props(), match) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one %s with %s, found %d", typ, JSON(match), len(found))
	}
	return found[0]
}

// Contains reports whether got holds every key of want with an equal value
// (compared as JSON).
func Contains(got, want map[string]any) bool {
	for k, v := range want {
		if JSON(got[k]) != JSON(v) {
			return false
		}
	}
	return true
}

// JSON renders v as compact JSON with sorted keys.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// Statements returns the statements of a policy document.
func Statements(doc any) []map[string]any {
	d, _ := doc.(map[string]any)
	switch s := d["Statement"].(type) {
	case []any:
		out := make([]map[string]any, 0, len(s))
		for _, x := range s {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []map[string]any{s}
	}
	return nil
}

// Statement returns the statement with the given Sid, failing the test when absent.
func Statement(t testing.TB, doc any, sid string) map[string]any {
	t.Helper()
	for _, s := range Statements(doc) {
		if s["Sid"] == sid {
			return s
		}
	}
	t.Fatalf("no statement %q in %s", sid, JSON(doc))
	return nil
}

// List returns v as a list: a JSON list as is, anything else as a one-element list.
func List(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// Panics runs f and returns the message of the panic it raised, failing the test when
// f returns normally. jsii errors reach Go as panics.
func Panics(t testing.TB, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("expected a panic, got none")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

// NagFindings returns the cdk-nag AwsSolutions errors and warnings recorded on
// stack, each as "rule: path".
func NagFindings(stack awscdk.Stack) (errs, warns []string) {
	a := assertions.Annotations_FromStack(stack)
	rule := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
	for _, m := range *a.FindError(jsii.String("*"), rule) {
		errs = append(errs, describe(m))
	}
	for _, m := range *a.FindWarning(jsii.String("*"), rule) {
		warns = append(warns, describe(m))
	}
	return errs, warns
}

func describe(m *cxapi.SynthesisMessage) string {
	data := fmt.Sprint(m.Entry.Data)
	if s, ok := m.Entry.Data.(string); ok {
		data = s
	}
	if i := strings.Index(data, "\n"); i > 0 {
		data = data[:i]
	}
	return fmt.Sprintf("%s: %s", *m.Id, data)
}
