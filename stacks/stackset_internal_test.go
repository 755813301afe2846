package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

func TestTemplateSourceFollowsTheStackSetTemplateQuotas(t *testing.T) {
	for _, c := range []struct {
		size   int
		inline bool
		err    string
	}{
		{4_202, true, ""},
		{MaxTemplateBody, true, ""},
		{MaxTemplateBody + 1, false, ""},
		{MaxTemplateURL, false, ""},
		{MaxTemplateURL + 1, false, "the member template is 460801 bytes; a stack set's template may be at most 460800 bytes (TemplateURL)"},
	} {
		// GIVEN a member template of a size
		// WHEN the stack set chooses how to carry it
		inline, err := TemplateSource(c.size)
		// THEN it goes inline up to 51,200 bytes (TemplateBody), as a file asset named by
		// TemplateURL up to 460,800, and is refused above
		if inline != c.inline || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("size %d: inline %v, error %v; want inline %v, error %q", c.size, inline, err, c.inline, c.err)
		}
	}
}

func TestStackSetNamesAreLettersDigitsAndHyphens(t *testing.T) {
	// GIVEN link names with underscores, and a name prefix
	// WHEN the stack set names are made
	// THEN they keep to ^[a-zA-Z][a-zA-Z0-9-]{0,127}$, as StackSetName requires
	for _, c := range []struct{ prefix, link, unit, want string }{
		{"", "acme_events", "workloads", "Crosswire-acme-events-workloads"},
		{"acme", "findings", "sandbox", "Crosswire-acme-findings-sandbox"},
	} {
		tp := &topology.Topology{NamePrefix: c.prefix}
		if got := StackSetName(tp, c.link, c.unit); got != c.want {
			t.Errorf("StackSetName(%q, %q) = %q, want %q", c.link, c.unit, got, c.want)
		}
	}
}

func TestAMemberTemplateOverTheInlineQuotaIsAFileAssetNamedByTemplateURL(t *testing.T) {
	// GIVEN a member template of 60,000 bytes, over TemplateBody's 51,200
	dir := t.TempDir()
	file := filepath.Join(dir, "Member.template.json")
	body := `{"Resources":{"Placeholder":{"Type":"AWS::CloudFormation::WaitConditionHandle"}},"Description":"` + strings.Repeat("x", 60_000) + `"}`
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	top := &topology.Topology{Region: "eu-west-1", Org: &topology.Organization{ID: "o-a1b2c3d4e5", Administrator: "admin", CallAs: topology.CallAsDelegateAdmin, MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10},
		Accounts: []topology.Account{{Alias: "admin", ID: "200000000000"}, {Alias: "hub", ID: "300000000000"}}}
	set := memberSet{
		link: topology.Link{Name: "findings", Kind: "queue", To: []string{"hub"}},
		unit: linkkind.Unit{Name: "workloads", Path: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", Region: "eu-west-1"},
	}
	app := cdktest.NewApp(t, filepath.Join(dir, "out"))
	stack := awscdk.NewStack(app, jsii.String("Admin"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("200000000000"), Region: jsii.String("eu-west-1")}})
	// WHEN its stack set is built
	newStackSet(stack, top, set, &MemberTemplate{Link: "findings", Unit: "workloads", StackSetName: "Crosswire-findings-workloads", Body: body, File: file})
	tpl := cdktest.Template(t, stack)
	// THEN the stack set names the template by TemplateURL, an object of the
	// administrator's file assets, and holds no TemplateBody
	ss := tpl.Resources("AWS::CloudFormation::StackSet")
	if len(ss) != 1 {
		t.Fatalf("%d stack sets", len(ss))
	}
	p := ss[0].Props()
	if _, ok := p["TemplateBody"]; ok {
		t.Error("a template over 51,200 bytes is inline")
	}
	if url := cdktest.JSON(p["TemplateURL"]); !strings.Contains(url, "cdk-hnb659fds-assets-200000000000-eu-west-1") || !strings.Contains(url, ".json") {
		t.Errorf("TemplateURL = %s, want the object of a file asset in the administrator's bootstrap bucket", url)
	}
}
