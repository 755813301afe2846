// Package sendcmd is `crosswire send`, the smoke test after a deploy. It reads the topology file
// and, for every link that the current AWS credentials' account sends through, sends
// one recognisable test message from the sender's side and prints one line per link:
//
//   - queue links: one message to the receiver's queue (sqs:SendMessage);
//   - topic links: one message published to the sender's topic (sns:Publish);
//   - bus links: one event that matches the link's pattern, put on the sender's own
//     event bus (events:PutEvents); delivered then means accepted by that bus, since
//     the rule that forwards it runs as EventBridge;
//   - stream links: one JSON record put on the producer's stream (kinesis:PutRecord).
//
// Each line says delivered; denied, naming the policies to look at; unreachable,
// naming the network cause; missing, when the stack that creates the queue, topic or
// stream is not deployed; or skipped, when no test message can be sent (a bus link
// whose pattern no event put with PutEvents matches). Each line also names the
// endpoint and the identity used. It never prints key material. The exit code is 0
// when every checked link delivered, 1 when one did not, and 2 when the check could not
// run or nothing was checked.
//
// Usage:
//
//	crosswire send [-topology topology.yaml] [-link name] [-as-account alias]
//	               [-profile name] [-assume-sender-role] [-endpoint url] [-sts-endpoint url]
//	               [-sns-endpoint url] [-events-endpoint url] [-kinesis-endpoint url]
//	               [-timeout 20s]
//
// Run it with the credentials of a sender account, for example
// `AWS_PROFILE=orders crosswire send`, from where the producers run (inside their VPC
// to test private access). With allow: roles a queue link admits only its sender
// roles, and a topic only its publisher roles: run as that role, or give
// -assume-sender-role to have each queue, topic and stream link assume its own sender,
// publisher or producer role (a bus link puts its event as the caller).
//
// The credentials are found as the AWS CLI finds them (-profile names a profile of
// the shared config and credentials files); when there are none, the command says
// where it looked and exits with 2.
//
// An account the topology does not list is a member account of an organizational unit
// when its Crosswire markers say so: the SSM parameters /crosswire/links/<link> that
// the stack sets' member templates leave (ssm:GetParametersByPath, -ssm-endpoint). It
// sends through each link a marker names it a sender of, as that member account.
//
// Without -as-account the account is found with sts:GetCallerIdentity. Inside a VPC
// without internet access STS answers only through an STS interface endpoint, which
// privateAccess creates only for accounts that send through an assume-role link: give
// -as-account there, or the lookup times out.
package sendcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/bustobus/bussmoke"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuesmoke"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamsmoke"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topicsmoke"
	"github.com/crosswire/crosswire/internal/smoke"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/producer"
	"github.com/crosswire/crosswire/topology"
)

// Exit codes.
const (
	exitDelivered    = 0
	exitNotDelivered = 1
	exitCannotRun    = 2
)

// Run runs `crosswire send` with the command-line arguments args (after the
// subcommand's name) and returns its exit code: 0 when every checked link delivered, 1
// when one did not, 2 when nothing could be checked.
func Run(args []string, stdout, stderr io.Writer) int {
	return run(context.Background(), args, stdout, stderr, defaultEnv())
}

// env is what the command takes from the world, replaced in tests.
type env struct {
	// loadConfig loads the AWS configuration (credentials) for region, from the
	// shared config profile named profile when it is not "".
	loadConfig func(ctx context.Context, region, profile string) (aws.Config, error)
	// now is the clock of the timestamps in test messages.
	now func() time.Time
}

func defaultEnv() env {
	return env{
		loadConfig: loadAWSConfig,
		now:        time.Now,
	}
}

// settings are the command's flags: which links to check, and how to reach AWS.
type settings struct {
	topology  string
	link      string
	asAccount string
	profile   string
	// ssmEndpoint is the SSM endpoint of a member account's markers, or "".
	ssmEndpoint string
	smoke.Settings
}

func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("crosswire send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.topology, "topology", topology.DefaultPath, "the topology `file`")
	fs.StringVar(&s.link, "link", "", "send through this link `name` only (default: every link of the account)")
	fs.StringVar(&s.asAccount, "as-account", "", "the sender account `alias` the credentials belong to (default: asked of sts:GetCallerIdentity; give it inside a VPC without an STS endpoint)")
	fs.StringVar(&s.profile, "profile", "", "the AWS profile `name` of ~/.aws/config and ~/.aws/credentials to use (default: AWS_PROFILE, or default)")
	fs.StringVar(&s.Endpoint, "endpoint", "", "the SQS endpoint `url`, such as a VPC endpoint's own DNS name (default: https://sqs.<region>.amazonaws.com)")
	fs.StringVar(&s.STSEndpoint, "sts-endpoint", "", "the STS endpoint `url` (default: https://sts.<region>.amazonaws.com)")
	fs.StringVar(&s.SNSEndpoint, "sns-endpoint", "", "the SNS endpoint `url` of topic links (default: https://sns.<region>.amazonaws.com)")
	fs.StringVar(&s.EventsEndpoint, "events-endpoint", "", "the EventBridge endpoint `url` of bus links (default: https://events.<region>.amazonaws.com)")
	fs.StringVar(&s.ssmEndpoint, "ssm-endpoint", "", "the SSM endpoint `url` where a member account of an organizational unit reads its Crosswire markers (default: https://ssm.<region>.amazonaws.com)")
	fs.StringVar(&s.KinesisEndpoint, "kinesis-endpoint", "", "the Kinesis endpoint `url` of stream links (default: https://kinesis.<region>.amazonaws.com)")
	fs.BoolVar(&s.AssumeSenderRole, "assume-sender-role", false, "send through each queue, topic and stream link as the account's role of the link (its <name>-producer or <name>-publisher role, "+
		"or the first role listed in senderRoles, publisherRoles or producerRoles), assumed with the credentials; a bus link puts its event as the caller")
	fs.DurationVar(&s.Timeout, "timeout", 20*time.Second, "how long each link, and the account lookup, may take")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: crosswire send [flags]\n\n"+
			"Sends one test message through every link that the current credentials' account sends through, from the\n"+
			"sender's side (queue: to the queue; topic: to the topic; bus: an event matching the pattern, to the sender's\n"+
			"own bus; stream: a record to the stream), and prints per link: delivered, denied, unreachable, missing or\n"+
			"skipped, with the endpoint and identity used. Exit code 0: every checked link delivered; 1: one did not;\n"+
			"2: nothing could be checked.\n\n"+
			"Inside a VPC without internet access, give -as-account: without it the account is asked of\n"+
			"sts:GetCallerIdentity, and privateAccess creates an STS endpoint only for accounts that send through an\n"+
			"assume-role link.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments %q; every setting is a flag", fs.Args())
	}
	if s.Timeout <= 0 {
		return s, fmt.Errorf("-timeout %s must be positive", s.Timeout)
	}
	return s, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	s, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitDelivered
	}
	if err != nil {
		fmt.Fprintf(stderr, "crosswire send: %v\n", err)
		return exitCannotRun
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "crosswire send: %s\n", producer.Redact(fmt.Sprintf(format, a...)))
		return exitCannotRun
	}

	t, err := topology.Load(s.topology)
	if err != nil {
		return fail("%v", err)
	}
	// Bad endpoints are reported once, not once per link.
	if _, err := producer.Endpoint("sqs", t.Region, s.Endpoint); err != nil {
		return fail("-endpoint: %v", err)
	}
	for _, e := range []struct {
		flag, service string
		url           *string
	}{
		{"-sts-endpoint", "sts", &s.STSEndpoint},
		{"-sns-endpoint", "sns", &s.SNSEndpoint},
		{"-events-endpoint", "events", &s.EventsEndpoint},
		{"-kinesis-endpoint", "kinesis", &s.KinesisEndpoint},
	} {
		if *e.url, err = producer.Endpoint(e.service, t.Region, *e.url); err != nil {
			return fail("%s: %v", e.flag, err)
		}
	}
	cfg, err := e.loadConfig(ctx, t.Region, s.profile)
	if err != nil {
		return fail("loading AWS credentials: %v", err)
	}
	if err := checkCredentials(ctx, cfg, s.profile, s.Timeout); err != nil {
		return fail("%v", err)
	}

	// Which sender account the credentials belong to.
	var who smoke.Sender
	if s.asAccount != "" {
		if who.ID = t.AccountID(s.asAccount); who.ID == "" {
			return fail("-as-account %q is not an account of %s; accounts: %s", s.asAccount, t.Path, accountList(t))
		}
		who.Alias = s.asAccount
	} else {
		who.Caller, err = callerArn(ctx, cfg, s)
		if o := producer.ClassifyAt(err, map[string]string{"sts": s.STSEndpoint}); o.Class == producer.Unreachable {
			if errors.Is(err, context.DeadlineExceeded) {
				o.Hint += fmt.Sprintf(" (-timeout %s)", s.Timeout)
			}
			fail("cannot tell which account the credentials belong to: %s", o)
			return fail("hint: give the sender account with -as-account <alias> (one of %s) to skip this lookup: inside a VPC without internet access "+
				"STS answers only through an STS interface endpoint, which privateAccess creates only for accounts that send through an assume-role link",
				aliasList(t))
		}
		if err != nil {
			return fail("cannot tell which account the credentials belong to: %s; give -as-account", producer.Classify(err))
		}
		if parts := strings.SplitN(who.Caller, ":", 6); len(parts) == 6 {
			who.ID = parts[4]
		}
		who.Alias = aliasOf(t, who.ID)
	}

	var links []topology.Link
	header := fmt.Sprintf("crosswire send: %s: sender account %s (%s)", t.Path, who.Alias, who.ID)
	if who.Alias == "" {
		// Not listed: a member account of an organizational unit, whose links its
		// markers name (it cannot ask AWS Organizations which unit it is in).
		who.Alias = "member-" + who.ID
		var units []string
		if t.OrgWide() {
			if links, units, err = memberLinks(ctx, cfg, t, who.ID, who.Alias, s); err != nil {
				return fail("the credentials (%s) belong to account %s, which %s does not list, and %s", who.Caller, who.ID, t.Path, producer.Classify(err))
			}
		}
		if len(links) == 0 {
			return fail("the credentials (%s) belong to account %s, which %s does not list, and no Crosswire marker (SSM parameter %s<link>) of the account names a link it sends through to an organizational unit; accounts: %s",
				who.Caller, who.ID, t.Path, linkkind.MarkerPrefix, accountList(t))
		}
		header = fmt.Sprintf("crosswire send: %s: member account %s of organizational unit %s (by its Crosswire markers)", t.Path, who.ID, strings.Join(units, ", "))
	} else if links, err = selectLinks(t, who.Alias, s.link); err != nil {
		return fail("%v", err)
	}

	if who.Caller != "" {
		header += ", caller " + who.Caller
	} else {
		header += ", as given by -as-account"
	}
	fmt.Fprintln(stdout, header)

	count := map[smoke.Status]int{}
	for _, l := range links {
		line, st := probe(ctx, cfg, t, l, who, s, e.now())
		fmt.Fprintln(stdout, producer.Redact(line))
		// A delivered message can still fail on the other side: say where that shows.
		if w := smoke.Watch(t, l); w != "" && st == smoke.Delivered {
			fmt.Fprintln(stdout, "  "+w)
		}
		count[st]++
	}
	summary, code := summarize(count)
	fmt.Fprintln(stdout, summary)
	if code == exitCannotRun {
		fmt.Fprintln(stderr, "crosswire send: no link could be sent through (every one was skipped): nothing was checked")
	}
	return code
}

// summarize returns the last line of output and the exit code for the links' results.
func summarize(count map[smoke.Status]int) (string, int) {
	checked := count[smoke.Delivered] + count[smoke.NotDelivered]
	summary := fmt.Sprintf("%d of %d links delivered", count[smoke.Delivered], checked)
	if count[smoke.Skipped] > 0 {
		summary += fmt.Sprintf(", %d skipped", count[smoke.Skipped])
	}
	switch {
	case checked == 0:
		return summary, exitCannotRun
	case count[smoke.NotDelivered] > 0:
		return summary, exitNotDelivered
	}
	return summary, exitDelivered
}

func callerArn(ctx context.Context, cfg aws.Config, s settings) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	out, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.STSEndpoint) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Arn), nil
}

func aliasOf(t *topology.Topology, id string) string {
	for _, a := range t.Accounts {
		if a.ID == id {
			return a.Alias
		}
	}
	return ""
}

func aliasList(t *topology.Topology) string {
	s := make([]string, len(t.Accounts))
	for i, a := range t.Accounts {
		s[i] = a.Alias
	}
	return strings.Join(s, ", ")
}

func accountList(t *topology.Topology) string {
	s := make([]string, len(t.Accounts))
	for i, a := range t.Accounts {
		s[i] = fmt.Sprintf("%s (%s)", a.Alias, a.ID)
	}
	return strings.Join(s, ", ")
}

// selectLinks returns the links that account alias sends through, in file order: all
// of them, or the one named.
func selectLinks(t *topology.Topology, alias, name string) ([]topology.Link, error) {
	var out []topology.Link
	var names []string
	for _, l := range t.Links {
		names = append(names, l.Name)
		if name != "" && l.Name != name {
			continue
		}
		if !slices.Contains(l.From, alias) {
			if name != "" {
				return nil, fmt.Errorf("account %s does not send through link %s (from: %s); run with the credentials of a sender account", alias, name, strings.Join(l.From, ", "))
			}
			continue
		}
		out = append(out, l)
	}
	switch {
	case name != "" && len(out) == 0:
		sort.Strings(names)
		return nil, fmt.Errorf("%s has no link %q; links: %s", t.Path, name, strings.Join(names, ", "))
	case len(out) == 0:
		return nil, fmt.Errorf("account %s sends through no link of %s: nothing to check", alias, t.Path)
	}
	return out, nil
}

// body is the test message: JSON, so that consumers that parse JSON can read it.
func body(l topology.Link, who smoke.Sender, now time.Time) string {
	b, _ := json.Marshal(struct {
		Crosswire string `json:"crosswire"`
		Link      string `json:"link"`
		From      string `json:"from"`
		To        string `json:"to"`
		SentAt    string `json:"sentAt"`
	}{"smoke test by crosswire-send", l.Name, who.Alias, strings.Join(l.To, ","), now.UTC().Format(time.RFC3339)})
	return string(b)
}

// probe sends one test message through l and returns its line of output and status.
func probe(ctx context.Context, cfg aws.Config, t *topology.Topology, l topology.Link, who smoke.Sender, s settings, now time.Time) (string, smoke.Status) {
	kind, ok := kinds[l.Kind]
	if !ok {
		return fmt.Sprintf("%s: skipped: crosswire send cannot send through %s links yet, not checked", l.Name, l.Kind), smoke.Skipped
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	ch, line, st := kind.Open(ctx, cfg, t, l, who, s.Settings)
	if ch == nil {
		return fmt.Sprintf("%s: %s", l.Name, line), st
	}
	ref, err := ch.Send(ctx, body(l, who, now))
	r := ch.Route()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", l.Name)
	if err == nil {
		fmt.Fprintf(&b, "delivered (%s)", ref)
	} else {
		o := ch.Explain(err)
		b.WriteString(o.String())
		if o.Class == producer.Unreachable && errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintf(&b, " (-timeout %s)", s.Timeout)
		}
		if note := ch.Note(o); note != "" {
			b.WriteString("; " + note)
		}
	}
	fmt.Fprintf(&b, "; endpoint %s; identity %s", r.Endpoint, r.Identity)
	if err != nil {
		return b.String(), smoke.NotDelivered
	}
	return b.String(), smoke.Delivered
}

// kinds are the link kinds the command sends through.
var kinds = map[string]smoke.Kind{
	queuelink.Kind.Name:  queuesmoke.Kind,
	topiclink.Kind.Name:  topicsmoke.Kind,
	buslink.Kind.Name:    bussmoke.Kind,
	streamlink.Kind.Name: streamsmoke.Kind,
}
