// Command crosswire is the operator's tool around the CDK app, one subcommand per job:
//
//	crosswire send [flags]                    the smoke test after a deploy, from a sender account
//	crosswire access [-json] CDK_OUT          every grant that crosses an account boundary
//	crosswire access diff [-json] OLD NEW     grants added, removed, widened, narrowed
//	crosswire graph [CDK_OUT|TOPOLOGY.yaml]   the accounts and links as a Mermaid flowchart
//	crosswire bench [flags]                   synthesis time, memory and policy sizes at scale
//
// It does not link the CDK (a test keeps it so), so it starts at once; access and
// graph need no AWS credentials. Exit codes of access and graph: 0 success, 1 an
// output could not be written, 2 bad usage or bad input (not a cloud assembly, a
// template that is not JSON, a policy of unknown shape), 3 access diff found a
// widening; send and bench say theirs in their -h.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crosswire/crosswire/internal/access"
	"github.com/crosswire/crosswire/internal/benchcmd"
	"github.com/crosswire/crosswire/internal/sendcmd"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitWidened = 3
)

// command is a subcommand: its name, a one-line summary and what runs it. Adding a
// subcommand is adding one entry to commands.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands are the subcommands, in the order the usage lists them.
var commands = []command{
	{"send", "send one test message through each link of the credentials' account (the smoke test after a deploy)", sendcmd.Run},
	{"access", "list every grant that crosses an account boundary; `access diff OLD NEW` compares two", runAccess},
	{"graph", "draw the accounts and links of a cloud assembly or topology file as a Mermaid flowchart", runGraph},
	{"bench", "measure synthesis time, memory and policy sizes of generated hub-and-spoke topologies", benchcmd.Run},
}

// main runs the command line and exits with its code.
func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "crosswire: unknown subcommand %q; subcommands: %s\n", args[0], names())
	return exitUsage
}

// usage lists the subcommands.
func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: crosswire <subcommand> [flags] [arguments]\n\nsubcommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\n`crosswire <subcommand> -h` says more about each.\n")
}

// names lists the subcommands.
func names() string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
	}
	return strings.Join(out, ", ")
}

// parse parses flags that may come before, between or after the arguments, and
// returns the arguments. It returns the exit code to end with, or -1 to go on.
func parse(fs *flag.FlagSet, args []string) ([]string, int) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK
			}
			return nil, exitUsage
		}
		if fs.NArg() == 0 {
			return rest, -1
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// accessHelp, diffHelp and graphHelp are the help texts of the subcommands.
const accessHelp = `usage: crosswire access [-json] CDK_OUT
       crosswire access diff [-json] OLD NEW

access reads the cloud assembly CDK_OUT (manifest.json and the templates; never the
topology) and lists every grant that crosses an account boundary, grouped by account
and resource: the principal (an account, its roles, an organization or path, a
service for another account's resource, or anyone), the actions, the resource, the
conditions, the Deny statements that narrow it (such as TLS only), and the caller's
identity policies where the assembly has them. Statements it cannot classify are
listed raw. SCPs, RCPs, KMS grants and other teams' roles are never in an assembly.
Markdown by default; -json for tools (and as an input of access diff).

Exit code 0, or 2 when CDK_OUT is not a cloud assembly, a template is not JSON, or a
policy element has an unknown shape (the message names the file and the element).

flags:
`

const diffHelp = `usage: crosswire access diff [-json] OLD NEW

access diff compares the cross-account grants of OLD and NEW, each a cloud assembly
directory or a report written by 'crosswire access -json'. Grants are matched by
resource (account, type, physical name) and principal (account, organization, path,
service and source account, or anyone), and compared by what they allow, not as text.
It lists grants added, removed, widened and narrowed (the old grant allowed more).

Access is widened, and the exit code is 3, when NEW has any of:
%s
Narrowed is the converse of each rule (a grant removed, fewer roles, actions or
resources, a condition added or tightened, a Deny added).

Exit codes: 0 nothing widened; 3 something widened; 2 bad usage or bad input (wins
over 3).

flags:
`

const graphHelp = `usage: crosswire graph [CDK_OUT|TOPOLOGY.yaml]

graph draws the accounts (alias and ID) and links of a cloud assembly directory or a
topology file as a Mermaid flowchart (flowchart LR), one arrow per sender and
receiver of each link labelled "kind name (access mode)": a queue's access, a bus's
mode, who may subscribe to a topic, a stream's enhanced fan-out. From a cloud
assembly the links come from the stacks (construct paths Stack/<link>/...); the
default argument is cdk.out.

Exit code 0, or 2 on bad usage or bad input.

flags:
`

// runAccess runs `crosswire access` and `crosswire access diff`.
func runAccess(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "diff" {
		return runDiff(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("access", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON instead of Markdown")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), accessHelp)
		fs.PrintDefaults()
	}
	rest, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintf(stderr, "crosswire access: want one cloud assembly directory, got %d arguments\n", len(rest))
		fs.Usage()
		return exitUsage
	}
	a, err := access.LoadAssembly(rest[0])
	if err != nil {
		fmt.Fprintf(stderr, "crosswire access: %v\n", err)
		return exitUsage
	}
	r, err := access.Analyze(a)
	if err != nil {
		fmt.Fprintf(stderr, "crosswire access: %v\n", err)
		return exitUsage
	}
	var out []byte
	if *asJSON {
		if out, err = r.JSON(); err != nil {
			fmt.Fprintf(stderr, "crosswire access: %v\n", err)
			return exitFailed
		}
	} else {
		out = []byte(r.Markdown())
	}
	return write(stdout, stderr, "access", out)
}

// runDiff runs `crosswire access diff`.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("access diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the diff as JSON instead of Markdown")
	fs.Usage = func() {
		var rules strings.Builder
		for _, r := range access.WideningRules {
			fmt.Fprintf(&rules, "  - %s\n", r)
		}
		fmt.Fprintf(fs.Output(), diffHelp, rules.String())
		fs.PrintDefaults()
	}
	rest, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 2 {
		fmt.Fprintf(stderr, "crosswire access diff: want OLD and NEW, got %d arguments\n", len(rest))
		fs.Usage()
		return exitUsage
	}
	var reports [2]*access.Report
	for i, path := range rest {
		r, err := access.Load(path)
		if err != nil {
			fmt.Fprintf(stderr, "crosswire access diff: %v\n", err)
			return exitUsage
		}
		reports[i] = r
	}
	d := access.DiffReports(reports[0], reports[1])
	var out []byte
	if *asJSON {
		var err error
		if out, err = d.JSON(); err != nil {
			fmt.Fprintf(stderr, "crosswire access diff: %v\n", err)
			return exitFailed
		}
	} else {
		out = []byte(d.Markdown())
	}
	if code := write(stdout, stderr, "access diff", out); code != exitOK {
		return code
	}
	if d.Widens() {
		return exitWidened
	}
	return exitOK
}

// runGraph runs `crosswire graph`.
func runGraph(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), graphHelp)
		fs.PrintDefaults()
	}
	rest, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 1 {
		fmt.Fprintf(stderr, "crosswire graph: want at most one cloud assembly directory or topology file, got %d arguments\n", len(rest))
		fs.Usage()
		return exitUsage
	}
	path := "cdk.out"
	if len(rest) == 1 {
		path = rest[0]
	}
	g, err := access.LoadGraph(path)
	if err != nil {
		fmt.Fprintf(stderr, "crosswire graph: %v\n", err)
		return exitUsage
	}
	return write(stdout, stderr, "graph", []byte(g.Mermaid()))
}

// write writes out, and reports a failure to.
func write(stdout, stderr io.Writer, name string, out []byte) int {
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "crosswire %s: %v\n", name, err)
		return exitFailed
	}
	return exitOK
}
