package topology

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/problem"
)

// Pipeline is the optional continuous deployment of the topology: a CDK Pipelines
// pipeline in the tooling account that synthesizes the topology from its repository
// and deploys every account's stacks in wave order.
type Pipeline struct {
	// Account is the alias of the tooling account, where the pipeline runs. It may
	// also take part in links: its pipeline stack has a name of its own.
	Account string
	// Connection is the ARN of the CodeConnections (formerly CodeStar Connections)
	// connection to GitHub, GitHub Enterprise, GitLab or Bitbucket, with Repository;
	// or empty when the source is CodeCommit.
	Connection string
	// Repository is the connection's repository, owner/name.
	Repository string
	// CodeCommit is the name of a CodeCommit repository of the tooling account, or
	// empty when the source is a connection.
	CodeCommit string
	// Branch is the branch the pipeline follows. Default: main.
	Branch string
	// ApproveWave2 asks for a manual approval before the wiring stacks deploy.
	ApproveWave2 bool
	// Notifications is the ARN of an SNS topic told of failed pipeline executions,
	// or empty.
	Notifications string
	// Line is the line of the pipeline section in the topology file.
	Line int
}

// PipelineAlias is the account alias that the pipeline section rules out: its main
// stack would be named like the pipeline's stack, Crosswire-[prefix-]pipeline.
const PipelineAlias = "pipeline"

// DefaultBranch is the branch a pipeline follows when its source names none.
const DefaultBranch = "main"

var (
	pipelineFields   = []string{"account", "source", "approveWave2", "notifications"}
	sourceFields     = []string{"connection", "repository", "codeCommit", "branch"}
	connectionARN    = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):(codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):connection/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	repositoryName   = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$`)
	codeCommitName   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
	branchName       = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
	snsTopicARN      = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$`)
	connectionFormat = "arn:aws:codeconnections:<region>:<account>:connection/<id> (or arn:aws:codestar-connections:...)"
)

// parsePipeline reads the pipeline section. Every problem is reported on the line of
// its value.
func parsePipeline(t *Topology, key, n, accounts *yaml.Node, p *problem.List) {
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "pipeline", "pipeline must be a mapping with account and source, not %s", kindName(n))
		return
	}
	pl := &Pipeline{Line: key.Line, Branch: DefaultBranch}
	fields := mappingFields(n, "pipeline", pipelineFields, p)
	if v, ok := fields["account"]; ok {
		if alias, ok := scalar(v, "pipeline.account", p); ok {
			pl.Account = alias
			if accountsKnown(t) && !hasAlias(t, alias) {
				p.Addf(v.Line, "pipeline.account", "account alias %q is unknown; known aliases: %s", alias, aliasList(t))
			}
		}
	} else {
		p.Addf(n.Line, "pipeline.account", "account is missing: name the tooling account, where the pipeline runs, by its alias")
	}
	if v, ok := fields["source"]; ok {
		parseSource(t, pl, v, p)
	} else {
		p.Addf(n.Line, "pipeline.source", "source is missing: give connection and repository, or codeCommit")
	}
	if v, ok := fields["approveWave2"]; ok {
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
			pl.ApproveWave2 = v.Value == "true"
		default:
			p.Addf(v.Line, "pipeline.approveWave2", "approveWave2 must be true or false, not %s", valueOf(v))
		}
	}
	if v, ok := fields["notifications"]; ok {
		if arn, ok := scalar(v, "pipeline.notifications", p); ok {
			pl.Notifications = arn
			m := snsTopicARN.FindStringSubmatch(arn)
			switch {
			case m == nil:
				p.Addf(v.Line, "pipeline.notifications", "SNS topic ARN %q must look like arn:aws:sns:<region>:<account>:<topic name> (a standard topic)", arn)
			case t.Region != "" && m[2] != t.Region:
				p.Addf(v.Line, "pipeline.notifications", "SNS topic %q is in region %s; the pipeline's notification rule needs a topic in the topology's region %s", arn, m[2], t.Region)
			case t.Region != "" && m[1] != awsarn.Partition(t.Region):
				p.Addf(v.Line, "pipeline.notifications", "SNS topic %q is in partition %s, not %s of region %s", arn, m[1], awsarn.Partition(t.Region), t.Region)
			}
		}
	}
	// An account aliased "pipeline" would have its main stack named like the
	// pipeline's stack. Any other tooling account may take part in links: its stacks
	// Crosswire-<alias> and Crosswire-<alias>-wiring differ from Crosswire-pipeline.
	if accounts != nil && accounts.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(accounts.Content); i += 2 {
			if k := accounts.Content[i]; k.Value == PipelineAlias {
				p.Addf(k.Line, "accounts."+k.Value, "account alias %q would name its main stack %s, the name of the pipeline's stack (pipeline section, line %d); choose another alias", k.Value, pipelineStackName(t), key.Line)
				break
			}
		}
	}
	t.Pipeline = pl
}

func parseSource(t *Topology, pl *Pipeline, n *yaml.Node, p *problem.List) {
	if n.Kind != yaml.MappingNode {
		p.Addf(n.Line, "pipeline.source", "source must be a mapping with connection and repository, or codeCommit, not %s", kindName(n))
		return
	}
	fields := mappingFields(n, "pipeline.source", sourceFields, p)
	conn, hasConn := fields["connection"]
	repo, hasRepo := fields["repository"]
	cc, hasCC := fields["codeCommit"]
	switch {
	case hasConn && hasCC:
		p.Addf(cc.Line, "pipeline.source.codeCommit", "give either connection (with repository) or codeCommit, not both")
	case !hasConn && !hasCC:
		p.Addf(n.Line, "pipeline.source", "source needs connection (with repository) or codeCommit")
	}
	if hasConn {
		if arn, ok := scalar(conn, "pipeline.source.connection", p); ok {
			pl.Connection = arn
			m := connectionARN.FindStringSubmatch(arn)
			switch {
			case m == nil:
				p.Addf(conn.Line, "pipeline.source.connection", "connection ARN %q must look like %s", arn, connectionFormat)
			case t.Region != "" && m[1] != awsarn.Partition(t.Region):
				p.Addf(conn.Line, "pipeline.source.connection", "connection %q is in partition %s, not %s of region %s", arn, m[1], awsarn.Partition(t.Region), t.Region)
			}
		}
		if !hasRepo {
			p.Addf(conn.Line, "pipeline.source.repository", "repository is missing: a connection needs the repository it reads, owner/name")
		}
	}
	if hasRepo {
		if name, ok := scalar(repo, "pipeline.source.repository", p); ok {
			pl.Repository = name
			switch {
			case !hasConn:
				p.Addf(repo.Line, "pipeline.source.repository", "repository goes with connection; a CodeCommit source is named by codeCommit")
			case !repositoryName.MatchString(name):
				p.Addf(repo.Line, "pipeline.source.repository", "repository %q must be owner/name", name)
			}
		}
	}
	if hasCC {
		if name, ok := scalar(cc, "pipeline.source.codeCommit", p); ok {
			pl.CodeCommit = name
			if !codeCommitName.MatchString(name) {
				p.Addf(cc.Line, "pipeline.source.codeCommit", "CodeCommit repository name %q may hold only letters, digits, '.', '_' and '-', at most 100", name)
			}
		}
	}
	if v, ok := fields["branch"]; ok {
		if name, ok := scalar(v, "pipeline.source.branch", p); ok {
			pl.Branch = name
			if !branchName.MatchString(name) || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "/") ||
				strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".lock") || strings.Contains(name, "..") || strings.Contains(name, "//") {
				p.Addf(v.Line, "pipeline.source.branch", "branch %q is not a Git branch name such as main or release/v2", name)
			}
		}
	}
}

// pipelineStackName is stacks.PipelineStackName, which the topology package cannot
// import: Crosswire-[prefix-]pipeline.
func pipelineStackName(t *Topology) string {
	if t.NamePrefix != "" {
		return "Crosswire-" + t.NamePrefix + "-" + PipelineAlias
	}
	return "Crosswire-" + PipelineAlias
}

// valueOf renders a node for a message: a scalar quoted, anything else by its kind.
func valueOf(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return `"` + n.Value + `"`
	}
	return kindName(n)
}
