package topology_test

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/topology"
)

const (
	goodConnection = "arn:aws:codeconnections:eu-west-1:111111111111:connection/7d2469ff-514a-4e4f-9003-5ca4a43cdc41"
	goodTopic      = "arn:aws:sns:eu-west-1:111111111111:crosswire-pipeline"
)

func TestPipelineSectionIsOptional(t *testing.T) {
	// GIVEN a topology without a pipeline section
	// WHEN it is parsed
	top := mustParse(t, edit())
	// THEN it has no pipeline
	if top.Pipeline != nil {
		t.Errorf("Pipeline = %+v, want nil", top.Pipeline)
	}
}

func TestPipelineSectionIsRead(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  topology.Pipeline
	}{
		{"a connection, with the default branch",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: " + goodConnection, "    repository: acme/crosswire"},
			topology.Pipeline{Account: "orders", Connection: goodConnection, Repository: "acme/crosswire", Branch: "main", Line: 17}},
		{"a CodeStar connection ARN, the older name of the service",
			[]string{"pipeline:", "  account: billing", "  source:", "    connection: " + strings.Replace(goodConnection, "codeconnections", "codestar-connections", 1), "    repository: acme/crosswire", "    branch: release/v2"},
			topology.Pipeline{Account: "billing", Connection: strings.Replace(goodConnection, "codeconnections", "codestar-connections", 1), Repository: "acme/crosswire", Branch: "release/v2", Line: 17}},
		{"CodeCommit, an approval before wave 2, and failure notifications",
			[]string{"pipeline:", "  account: analytics", "  source: {codeCommit: crosswire, branch: trunk}", "  approveWave2: true", "  notifications: " + goodTopic},
			topology.Pipeline{Account: "analytics", CodeCommit: "crosswire", Branch: "trunk", ApproveWave2: true, Notifications: goodTopic, Line: 17}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a valid topology with a pipeline section
			data := edit(add(16, c.lines...))
			// WHEN it is parsed
			top := mustParse(t, data)
			// THEN the pipeline holds the section's values and defaults
			if top.Pipeline == nil || *top.Pipeline != c.want {
				t.Errorf("Pipeline = %+v, want %+v", top.Pipeline, c.want)
			}
		})
	}
}

func TestPipelineSectionMistakes(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		line  int
		where string
		msg   []string
	}{
		{"an unknown tooling account",
			[]string{"pipeline:", "  account: tooling", "  source: {codeCommit: crosswire}"},
			18, "pipeline.account", []string{`account alias "tooling" is unknown`, "known aliases: analytics, billing, orders"}},
		{"no tooling account",
			[]string{"pipeline:", "  source: {codeCommit: crosswire}"},
			18, "pipeline.account", []string{"account is missing"}},
		{"a malformed connection ARN",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: arn:aws:codestar:eu-west-1:111111111111:connection/abc", "    repository: acme/crosswire"},
			20, "pipeline.source.connection", []string{`connection ARN "arn:aws:codestar:eu-west-1:111111111111:connection/abc" must look like arn:aws:codeconnections:`, "arn:aws:codestar-connections:"}},
		{"a connection of another partition",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: " + strings.Replace(goodConnection, "arn:aws:", "arn:aws-cn:", 1), "    repository: acme/crosswire"},
			20, "pipeline.source.connection", []string{"is in partition aws-cn, not aws of region eu-west-1"}},
		{"a connection without its repository",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: " + goodConnection},
			20, "pipeline.source.repository", []string{"repository is missing"}},
		{"a repository that is not owner/name",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: " + goodConnection, "    repository: crosswire"},
			21, "pipeline.source.repository", []string{`repository "crosswire" must be owner/name`}},
		{"both a connection and CodeCommit",
			[]string{"pipeline:", "  account: orders", "  source:", "    connection: " + goodConnection, "    repository: acme/crosswire", "    codeCommit: crosswire"},
			22, "pipeline.source.codeCommit", []string{"either connection (with repository) or codeCommit, not both"}},
		{"no source",
			[]string{"pipeline:", "  account: orders"},
			18, "pipeline.source", []string{"source is missing"}},
		{"an empty source",
			[]string{"pipeline:", "  account: orders", "  source: {branch: main}"},
			19, "pipeline.source", []string{"source needs connection (with repository) or codeCommit"}},
		{"a bad CodeCommit name",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: 'cross wire'}"},
			19, "pipeline.source.codeCommit", []string{`CodeCommit repository name "cross wire"`}},
		{"a bad branch",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire, branch: 'feature..x'}"},
			19, "pipeline.source.branch", []string{`branch "feature..x" is not a Git branch name`}},
		{"approveWave2 as a string",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire}", "  approveWave2: 'yes'"},
			20, "pipeline.approveWave2", []string{`approveWave2 must be true or false, not "yes"`}},
		{"a notification topic that is not an SNS ARN",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire}", "  notifications: crosswire-alerts"},
			20, "pipeline.notifications", []string{`SNS topic ARN "crosswire-alerts" must look like arn:aws:sns:`}},
		{"a notification topic in another region",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire}", "  notifications: arn:aws:sns:us-east-1:111111111111:alerts"},
			20, "pipeline.notifications", []string{"is in region us-east-1", "the topology's region eu-west-1"}},
		{"an unknown field of the section",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire}", "  approve: true"},
			20, "pipeline.approve", []string{`field "approve" is unknown; allowed: account, source, approveWave2, notifications`}},
		{"an unknown field of the source",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire, repo: x}"},
			19, "pipeline.source.repo", []string{`field "repo" is unknown; allowed: connection, repository, codeCommit, branch`}},
		{"a section that is not a mapping",
			[]string{"pipeline: orders"},
			17, "pipeline", []string{"pipeline must be a mapping with account and source, not"}},
		{"an account aliased like the pipeline's stack",
			[]string{"pipeline:", "  account: orders", "  source: {codeCommit: crosswire}"},
			5, "accounts.pipeline", []string{`account alias "pipeline" would name its main stack Crosswire-pipeline, the name of the pipeline's stack (pipeline section, line 17)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a topology whose pipeline section has one mistake
			tweaks := []tweak{add(16, c.lines...)}
			if c.where == "accounts.pipeline" {
				tweaks = append(tweaks, set(5, `  pipeline: "333333333333"`))
			}
			data := edit(tweaks...)
			// WHEN it is parsed
			_, err := topology.Parse("topology.yaml", data)
			// THEN the mistake is reported once, on the line of its value, naming it
			problems := problemsOf(t, err)
			findProblem(t, problems, c.line, c.where, c.msg...)
			if len(problems) != 1 {
				t.Errorf("%d problems, want 1:\n%s", len(problems), render(problems))
			}
		})
	}
}

func TestPipelineMistakesAreReportedAllAtOnce(t *testing.T) {
	// GIVEN a pipeline section with an unknown alias, a malformed connection, an
	// unknown field, and an account aliased like the pipeline's stack
	data := edit(
		set(5, `  pipeline: "333333333333"`),
		add(16,
			"pipeline:",                 // 17
			"  account: tooling",        // 18
			"  source:",                 // 19
			"    connection: arn:aws:x", // 20
			"    repository: acme/cw",   // 21
			"  approvewave2: true",      // 22
		),
	)
	// WHEN it is parsed
	_, err := topology.Parse("topology.yaml", data)
	// THEN every mistake is one problem on its own line, in line order
	problems := problemsOf(t, err)
	findProblem(t, problems, 5, "accounts.pipeline", "Crosswire-pipeline")
	findProblem(t, problems, 18, "pipeline.account", `"tooling" is unknown`)
	findProblem(t, problems, 20, "pipeline.source.connection", `"arn:aws:x"`)
	findProblem(t, problems, 22, "pipeline.approvewave2", "unknown")
	if len(problems) != 4 {
		t.Errorf("%d problems, want 4:\n%s", len(problems), render(problems))
	}
}

func TestATopologyWithALinkAccountAsToolingAccountIsValid(t *testing.T) {
	// GIVEN a pipeline whose tooling account also sends and receives links
	data := edit(add(16, "pipeline:", "  account: orders", "  source: {codeCommit: crosswire}"))
	// WHEN it is parsed
	top := mustParse(t, data)
	// THEN it is accepted: the account's stacks and the pipeline's stack have
	// different names
	if top.Pipeline.Account != "orders" || !top.Links[0].Involves("orders") {
		t.Errorf("Pipeline %+v; want orders as tooling account and link account", top.Pipeline)
	}
}
