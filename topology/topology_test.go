package topology_test

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crosswire/crosswire/constructs/bustobus/buslink"
	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
	"github.com/crosswire/crosswire/constructs/snstoremotesqs/topiclink"
	"github.com/crosswire/crosswire/internal/problem"

	"github.com/crosswire/crosswire/topology"
)

// base is a valid topology. The validation cases below each change a few of its lines;
// the line numbers they use are the ones in the comments.
const base = `region: eu-west-1           # 1
accounts:                   # 2
  orders: "111111111111"    # 3
  billing: "222222222222"   # 4
  analytics: "333333333333" # 5
links:                      # 6
  - name: invoices          # 7
    kind: queue             # 8
    from: orders            # 9
    to: billing             # 10
  - name: refunds           # 11
    kind: queue             # 12
    from: orders            # 13
    to: billing             # 14
    options:                # 15
      fifo: true            # 16
`

// tweak is one change of base: n lines from line start on are replaced by text.
// Every tweak names lines of base itself, however many tweaks a case has.
type tweak struct {
	start, n int // 0-based index of the first line replaced, and how many
	text     []string
}

// set replaces line of base by text (one or more lines).
func set(line int, text ...string) tweak { return tweak{start: line - 1, n: 1, text: text} }

// add inserts text after line of base.
func add(after int, text ...string) tweak { return tweak{start: after, text: text} }

// del removes lines from to to of base.
func del(from, to int) tweak { return tweak{start: from - 1, n: to - from + 1} }

// edit returns base with the tweaks applied.
func edit(tweaks ...tweak) []byte {
	lines := strings.Split(strings.TrimSuffix(base, "\n"), "\n")
	ts := slices.Clone(tweaks)
	// From the bottom up, so that each tweak's line numbers are those of base.
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].start > ts[j].start })
	for _, tw := range ts {
		lines = slices.Replace(lines, tw.start, tw.start+tw.n, tw.text...)
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// problemsOf returns the problems of err, which must be a *problem.Error.
func problemsOf(t *testing.T, err error) []problem.Problem {
	t.Helper()
	if err == nil {
		t.Fatal("Parse returned no error")
	}
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %q is a %T, want a *problem.Error", err, err)
	}
	return pe.Problems
}

// findProblem returns the problem at line and where whose message holds every one of
// msg, or fails the test listing the problems there are.
func findProblem(t *testing.T, problems []problem.Problem, line int, where string, msg ...string) problem.Problem {
	t.Helper()
	for _, p := range problems {
		if p.Line == line && p.Where == where && containsAll(p.Msg, msg) {
			return p
		}
	}
	t.Fatalf("no problem at line %d, %s, with message holding %q; got:\n%s", line, where, msg, render(problems))
	return problem.Problem{}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func render(problems []problem.Problem) string {
	var b strings.Builder
	for _, p := range problems {
		fmt.Fprintf(&b, "  line %d, Where %q, Msg %q\n", p.Line, p.Where, p.Msg)
	}
	return b.String()
}

// mustParse parses data and fails the test on any error. It also checks that every
// queue link came out with its queue settings, which the stacks rely on.
func mustParse(t *testing.T, data []byte) *topology.Topology {
	t.Helper()
	top, err := topology.Parse("topology.yaml", data)
	if err != nil {
		t.Fatalf("Parse of\n%s\nreturned %v", data, err)
	}
	for _, l := range top.Links {
		if l.Spec == nil {
			t.Fatalf("link %q parsed without its Spec", l.Name)
		}
	}
	return top
}

func TestParseDefaultTopology(t *testing.T) {
	// GIVEN the topology.yaml shipped at the root of the repository
	path := "../topology.yaml"

	// WHEN it is loaded
	top, err := topology.Load(path)

	// THEN it holds the region, the three accounts in file order and both links, with
	// account IDs resolved and defaults applied
	if err != nil {
		t.Fatalf("Load(%q) = %v", path, err)
	}
	if top.Path != path {
		t.Errorf("Path = %q, want %q", top.Path, path)
	}
	if top.Region != "ap-northeast-1" {
		t.Errorf("Region = %q, want ap-northeast-1", top.Region)
	}
	if top.Organization != "" || top.NamePrefix != "" {
		t.Errorf("Organization, NamePrefix = %q, %q, want both empty", top.Organization, top.NamePrefix)
	}
	wantAccounts := []topology.Account{
		{Alias: "orders", ID: "111111111111"},
		{Alias: "billing", ID: "222222222222"},
		{Alias: "analytics", ID: "333333333333"},
	}
	if !slices.Equal(top.Accounts, wantAccounts) {
		t.Errorf("Accounts = %+v, want %+v", top.Accounts, wantAccounts)
	}
	if len(top.Links) != 5 {
		t.Fatalf("got %d links, want 5: %+v", len(top.Links), top.Links)
	}
	t.Run("order-events", func(t *testing.T) {
		l := top.Links[2]
		if l.Kind != "topic" {
			t.Fatalf("Kind %q; want a topic link", l.Kind)
		}
		topicLink := specOf[topiclink.Link](t, l)
		tl := topicLink
		if tl.SenderAccount != "111111111111" || !slices.Equal(tl.ReceiverAccounts, []string{"222222222222", "333333333333"}) {
			t.Errorf("SenderAccount %q, ReceiverAccounts %v; want orders to billing and analytics", tl.SenderAccount, tl.ReceiverAccounts)
		}
		// receivers is keyed by alias in the file and by account ID in the link
		b, ok := tl.Receivers["222222222222"]
		if !ok || !b.RawMessageDelivery || !b.SubscriptionDeadLetterQueue || b.FilterPolicy == nil {
			t.Errorf("billing's receiver options = %+v (found %v)", b, ok)
		}
		if _, ok := tl.Receivers["billing"]; ok {
			t.Error("receivers still keyed by alias")
		}
	})
	t.Run("ec2-state", func(t *testing.T) {
		l := top.Links[3]
		if l.Kind != "bus" {
			t.Fatalf("Kind %q; want a bus link", l.Kind)
		}
		busLink := specOf[buslink.Link](t, l)
		if busLink.ReceiverAccount != "222222222222" || !slices.Equal(busLink.SenderAccounts, []string{"111111111111"}) {
			t.Errorf("accounts %q <- %v", busLink.ReceiverAccount, busLink.SenderAccounts)
		}
		if got := busLink.EventPattern.Compact(); got != `{"source":["aws.ec2"]}` {
			t.Errorf("EventPattern = %s", got)
		}
	})
	t.Run("clickstream", func(t *testing.T) {
		l := top.Links[4]
		if l.Kind != "stream" {
			t.Fatalf("Kind %q; want a stream link", l.Kind)
		}
		streamLink := specOf[streamlink.Link](t, l)
		if streamLink.ProducerAccount != "111111111111" || !slices.Equal(streamLink.ConsumerAccounts, []string{"333333333333"}) {
			t.Errorf("accounts %q -> %v", streamLink.ProducerAccount, streamLink.ConsumerAccounts)
		}
	})

	tests := []struct {
		name  string
		link  topology.Link
		fifo  bool
		dedup bool
		want  queuelink.Access
	}{
		{name: "invoices", link: top.Links[0], want: "queue-policy"},
		{name: "refunds", link: top.Links[1], fifo: true, dedup: true, want: "assume-role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.link
			if l.Name != tt.name || l.Kind != "queue" {
				t.Errorf("Name, Kind = %q, %q, want %q, queue", l.Name, l.Kind, tt.name)
			}
			if !slices.Equal(l.From, []string{"orders"}) || !slices.Equal(l.To, []string{"billing"}) {
				t.Errorf("From, To = %v, %v, want [orders], [billing]", l.From, l.To)
			}
			q := specOf[queuelink.Link](t, l)
			if q.Name != tt.name || q.Region != "ap-northeast-1" || q.NamePrefix != "" || q.OrganizationID != "" {
				t.Errorf("Name, Region, NamePrefix, OrganizationID = %q, %q, %q, %q", q.Name, q.Region, q.NamePrefix, q.OrganizationID)
			}
			if q.ReceiverAccount != "222222222222" {
				t.Errorf("ReceiverAccount = %q, want billing's 222222222222", q.ReceiverAccount)
			}
			if !slices.Equal(q.SenderAccounts, []string{"111111111111"}) {
				t.Errorf("SenderAccounts = %v, want orders' [111111111111]", q.SenderAccounts)
			}
			if q.Fifo != tt.fifo || q.ContentBasedDeduplication != tt.dedup || q.Access != tt.want {
				t.Errorf("Fifo, ContentBasedDeduplication, Access = %v, %v, %q, want %v, %v, %q",
					q.Fifo, q.ContentBasedDeduplication, q.Access, tt.fifo, tt.dedup, tt.want)
			}
			// The defaults, as documented on queuelink.Options.
			if q.Allow != "roles" || q.Encryption != "sqs-managed" || len(q.SenderRoleArns) != 0 || q.ExternalID != "" {
				t.Errorf("Allow, Encryption, SenderRoleArns, ExternalID = %q, %q, %v, %q, want roles, sqs-managed, none, none",
					q.Allow, q.Encryption, q.SenderRoleArns, q.ExternalID)
			}
			if q.MaxReceiveCount != 5 {
				t.Errorf("MaxReceiveCount = %d, want 5", q.MaxReceiveCount)
			}
			durations := []struct {
				name      string
				got, want time.Duration
			}{
				{"ReceiveWaitTime", q.ReceiveWaitTime, 20 * time.Second},
				{"VisibilityTimeout", q.VisibilityTimeout, 30 * time.Second},
				{"RetentionPeriod", q.RetentionPeriod, 96 * time.Hour},
				{"MaxSessionDuration", q.MaxSessionDuration, time.Hour},
			}
			for _, d := range durations {
				if d.got != d.want {
					t.Errorf("%s = %s, want %s", d.name, d.got, d.want)
				}
			}
		})
	}
}

func TestParseBase(t *testing.T) {
	// GIVEN the base document of the validation cases, and it with a name prefix, an
	// organization and options that differ from the defaults
	tuned := edit(
		add(1, "organization: o-a1b2c3d4e5", "namePrefix: acme"),
		set(10, "    to: [analytics]"),
		add(16,
			"      contentBasedDeduplication: true",
			"      access: assume-role",
			"      allow: organization",
			"      encryption: kms",
			"      externalId: acme-42",
			"      maxSessionDuration: 2h",
			"      maxReceiveCount: 10",
			"      visibilityTimeout: 5m",
			"      retentionPeriod: 336h",
			"      receiveWaitTime: 1s",
			"      senderRoles: [arn:aws:iam::111111111111:role/app/refunder]"),
	)

	// WHEN they are parsed
	plain := mustParse(t, edit())
	top := mustParse(t, tuned)

	// THEN the base has its two links, and the other document keeps every value given
	if len(plain.Links) != 2 || plain.Links[0].Name != "invoices" || plain.Links[1].Name != "refunds" {
		t.Fatalf("base links = %+v, want invoices and refunds", plain.Links)
	}
	if top.Organization != "o-a1b2c3d4e5" || top.NamePrefix != "acme" {
		t.Errorf("Organization, NamePrefix = %q, %q", top.Organization, top.NamePrefix)
	}
	if got := specOf[queuelink.Link](t, top.Links[0]).ReceiverAccount; got != "333333333333" {
		t.Errorf("invoices ReceiverAccount = %q, want analytics' 333333333333", got)
	}
	q := specOf[queuelink.Link](t, top.Links[1])
	want := queuelink.Link{
		Name:            "refunds",
		NamePrefix:      "acme-",
		Region:          "eu-west-1",
		ReceiverAccount: "222222222222",
		SenderAccounts:  []string{"111111111111"},
		OrganizationID:  "o-a1b2c3d4e5",
		Options: queuelink.Options{
			Fifo:                      true,
			ContentBasedDeduplication: true,
			Access:                    "assume-role",
			Allow:                     "organization",
			SenderRoleArns:            []string{"arn:aws:iam::111111111111:role/app/refunder"},
			Encryption:                "kms",
			MaxReceiveCount:           10,
			ExternalID:                "acme-42",
			MaxSessionDuration:        2 * time.Hour,
			VisibilityTimeout:         5 * time.Minute,
			RetentionPeriod:           14 * 24 * time.Hour,
			ReceiveWaitTime:           time.Second,
		},
	}
	if got, w := fmt.Sprintf("%+v", q), fmt.Sprintf("%+v", want); got != w {
		t.Errorf("refunds Queue =\n%s\nwant\n%s", got, w)
	}
	if !top.Links[1].Involves("orders") || !top.Links[1].Involves("billing") || top.Links[1].Involves("analytics") {
		t.Errorf("refunds Involves orders, billing, analytics = %v, %v, %v, want true, true, false",
			top.Links[1].Involves("orders"), top.Links[1].Involves("billing"), top.Links[1].Involves("analytics"))
	}
	if got := top.AccountID("analytics"); got != "333333333333" {
		t.Errorf("AccountID(analytics) = %q", got)
	}
	if got := top.AccountID("shipping"); got != "" {
		t.Errorf("AccountID(shipping) = %q, want empty", got)
	}
}

// ruleCase is one validation rule: a change of base that breaks it, the problem it
// must cause, and the smallest change of base in the same place that is valid.
type ruleCase struct {
	name  string
	bad   []tweak
	line  int      // line of the problem; 0 where the code knows none
	where string   // Where of the problem
	msg   []string // parts of the message, among them the quoted bad value
	count int      // number of problems Parse reports; 0 means 1
	good  []tweak  // nil: base itself
}

func TestParseRules(t *testing.T) {
	const l0 = `links[0] "invoices": `
	const l1 = `links[1] "refunds": `
	tests := []ruleCase{
		// The file.
		{
			name: "malformed YAML",
			bad:  []tweak{set(9, "    from: [orders")},
			line: 0, where: "", msg: []string{"malformed YAML: ", "line "},
			good: []tweak{set(9, "    from: [orders]")},
		},
		{
			name: "file is not a mapping",
			bad:  []tweak{del(1, 16), add(0, "- region: eu-west-1")},
			line: 1, where: "", msg: []string{"the file must be a mapping", "not a list"},
		},

		// Top-level fields.
		{
			name: "unknown top-level field",
			bad:  []tweak{add(1, "namePrefx: acme")},
			line: 2, where: "namePrefx", msg: []string{`field "namePrefx" is unknown`, "allowed: region, organization, namePrefix, accounts, links"},
			good: []tweak{add(1, "namePrefix: acme")},
		},
		{
			name: "top-level field given twice",
			bad:  []tweak{add(1, "region: eu-west-2")},
			line: 2, where: "region", msg: []string{`field "region" is given twice`},
		},
		{
			name: "region missing",
			bad:  []tweak{del(1, 1)},
			line: 1, where: "region", msg: []string{"region is missing"},
		},
		{
			name: "region not a region name",
			bad:  []tweak{set(1, "region: Tokyo")},
			line: 1, where: "region", msg: []string{`region "Tokyo" is not an AWS region name`},
			good: []tweak{set(1, "region: ap-northeast-1")},
		},
		{
			name: "region not a single value",
			bad:  []tweak{set(1, "region: [eu-west-1]")},
			line: 1, where: "region", msg: []string{"region must be a single value, not a list"},
			good: []tweak{set(1, "region: eu-west-1")},
		},
		{
			name: "organization ID malformed",
			bad:  []tweak{add(1, "organization: org-12345")},
			line: 2, where: "organization", msg: []string{`organization ID "org-12345" must look like o-`},
			good: []tweak{add(1, "organization: o-a1b2c3d4e5")},
		},
		{
			name: "name prefix with capitals and underscore",
			bad:  []tweak{add(1, "namePrefix: Acme_")},
			line: 2, where: "namePrefix", msg: []string{`name prefix "Acme_" must be 1 to 20 lowercase letters`},
			good: []tweak{add(1, "namePrefix: acme")},
		},
		{
			name: "name prefix ending in a hyphen (the separator is added)",
			bad:  []tweak{add(1, "namePrefix: acme-")},
			line: 2, where: "namePrefix", msg: []string{`name prefix "acme-" must be 1 to 20 lowercase letters`},
			good: []tweak{add(1, "namePrefix: acme")},
		},
		{
			name: "name prefix over 20 characters",
			bad:  []tweak{add(1, "namePrefix: "+strings.Repeat("p", 21))},
			line: 2, where: "namePrefix", msg: []string{`name prefix "` + strings.Repeat("p", 21) + `"`},
			good: []tweak{add(1, "namePrefix: "+strings.Repeat("p", 20))},
		},

		// Accounts.
		{
			name: "accounts missing",
			bad:  []tweak{del(2, 5)},
			line: 1, where: "accounts", msg: []string{"accounts is missing"},
		},
		{
			name: "accounts not a mapping",
			bad:  []tweak{del(3, 5), set(2, "accounts: [orders, billing, analytics]")},
			line: 2, where: "accounts", msg: []string{"accounts must map each alias to a 12-digit account ID (or to {id, region}), not be a list"},
			good: []tweak{del(3, 5), set(2, `accounts: {orders: "111111111111", billing: "222222222222"}`)},
		},
		{
			name: "accounts empty",
			bad:  []tweak{del(3, 5), set(2, "accounts: {}")},
			line: 2, where: "accounts", msg: []string{"accounts is empty"},
		},
		{
			name: "account alias with capitals and underscore",
			bad:  []tweak{add(5, `  Ops_Team: "444444444444"`)},
			line: 6, where: "accounts.Ops_Team", msg: []string{`account alias "Ops_Team" must be 1 to 40 lowercase letters`},
			good: []tweak{add(5, `  ops-team: "444444444444"`)},
		},
		{
			name: "account alias defined twice",
			bad:  []tweak{add(5, `  orders: "444444444444"`)},
			line: 6, where: "accounts.orders", msg: []string{`account alias "orders" is defined twice`},
			good: []tweak{add(5, `  shipping: "444444444444"`)},
		},
		{
			name: "account ID of 11 digits, unquoted",
			bad:  []tweak{set(5, "  analytics: 33333333333")},
			line: 5, where: "accounts.analytics", msg: []string{`account ID "33333333333" must be exactly 12 digits`},
			good: []tweak{set(5, "  analytics: 333333333333")},
		},
		{
			name: "account ID with letters",
			bad:  []tweak{set(5, `  analytics: "33333333333a"`)},
			line: 5, where: "accounts.analytics", msg: []string{`account ID "33333333333a"`},
			good: []tweak{set(5, `  analytics: "333333333334"`)},
		},
		{
			name: "account ID not a single value",
			bad:  []tweak{set(5, `  analytics: ["333333333333"]`)},
			line: 5, where: "accounts.analytics", msg: []string{"analytics must be a single value, not a list"},
			good: []tweak{set(5, `  analytics: "333333333333"`)},
		},
		{
			name: "same account ID under two aliases",
			bad:  []tweak{set(5, `  analytics: "111111111111"`)},
			line: 5, where: "accounts.analytics", msg: []string{"account ID \"111111111111\" is already the account \"orders\""},
		},

		// Links.
		{
			name: "links missing",
			bad:  []tweak{del(6, 16)},
			line: 1, where: "links", msg: []string{"links is missing"},
			good: []tweak{del(7, 16), set(6, "links: []")},
		},
		{
			name: "links not a list",
			bad:  []tweak{del(7, 16), set(6, "links: {name: invoices, kind: queue, from: orders, to: billing}")},
			line: 6, where: "links", msg: []string{"links must be a list, not a mapping"},
			good: []tweak{del(7, 16), set(6, "links: [{name: invoices, kind: queue, from: orders, to: billing}]")},
		},
		{
			name: "link not a mapping",
			bad:  []tweak{del(8, 10), set(7, "  - invoices")},
			line: 7, where: "links[0]", msg: []string{`each link must be a mapping`, `not a value ("invoices")`},
			good: []tweak{del(8, 10), set(7, "  - {name: invoices, kind: queue, from: orders, to: billing}")},
		},
		{
			name: "unknown link field",
			bad:  []tweak{add(10, "    color: blue")},
			line: 11, where: "links[0] \"invoices\": color", msg: []string{`field "color" is unknown; allowed: name, kind, from, to, options`},
			good: []tweak{add(10, "    options: {}")},
		},
		{
			name: "link field given twice",
			bad:  []tweak{add(10, "    to: analytics")},
			line: 11, where: `links[0] "invoices": to`, msg: []string{`field "to" is given twice`},
		},
		{
			name: "name missing",
			bad:  []tweak{del(8, 8), set(7, "  - kind: queue")},
			line: 7, where: "links[0].name", msg: []string{"name is missing"},
		},
		{
			name: "name with a space",
			bad:  []tweak{set(7, `  - name: "in voices"`)},
			line: 7, where: `links[0] "in voices": name`, msg: []string{`link name "in voices" may hold only letters, digits, hyphens and underscores`},
			good: []tweak{set(7, "  - name: In_voices-2")},
		},
		{
			name: "name starting with a hyphen",
			bad:  []tweak{set(7, "  - name: -invoices")},
			line: 7, where: `links[0] "-invoices": name`, msg: []string{`link name "-invoices"`},
			good: []tweak{set(7, "  - name: 0invoices")},
		},
		{
			name: "name used twice",
			bad:  []tweak{set(11, "  - name: invoices")},
			line: 11, where: `links[1] "invoices": name`, msg: []string{`link name "invoices" is already used by links[0]`},
			good: []tweak{set(11, "  - name: invoices-fifo")},
		},
		{
			name: "kind missing",
			bad:  []tweak{del(8, 8)},
			line: 7, where: l0 + "kind", msg: []string{"kind is missing; known kinds: queue"},
		},
		{
			name: "kind unknown",
			bad:  []tweak{set(8, "    kind: Queue")},
			line: 8, where: l0 + "kind", msg: []string{`kind "Queue" is unknown; known kinds: queue`},
			good: []tweak{set(8, "    kind: queue")},
		},
		{
			name: "from missing",
			bad:  []tweak{del(9, 9)},
			line: 7, where: l0 + "from", msg: []string{"from is missing"},
		},
		{
			name: "to missing",
			bad:  []tweak{del(10, 10)},
			line: 7, where: l0 + "to", msg: []string{"to is missing"},
		},
		{
			name: "from names an unknown alias",
			bad:  []tweak{set(9, "    from: shipping")},
			line: 9, where: l0 + "from", msg: []string{`account alias "shipping" is unknown; known aliases: analytics, billing, orders`},
			good: []tweak{set(9, "    from: analytics")},
		},
		{
			name: "to names an unknown alias",
			bad:  []tweak{set(10, "    to: [Billing]")},
			line: 10, where: l0 + "to", msg: []string{`account alias "Billing" is unknown`},
			good: []tweak{set(10, "    to: [billing]")},
		},
		{
			name: "from an empty list",
			bad:  []tweak{set(9, "    from: []")},
			line: 9, where: l0 + "from", msg: []string{"from is an empty list"},
			good: []tweak{set(9, "    from: [orders]")},
		},
		{
			name: "from a mapping",
			bad:  []tweak{set(9, "    from: {orders: true}")},
			line: 9, where: l0 + "from", msg: []string{"from must be an account alias, {account: alias, region: r} or a list of them, not a mapping without account"},
			good: []tweak{set(9, "    from: [orders]")},
		},
		{
			name: "account listed twice",
			bad:  []tweak{set(9, "    from: [orders, orders]")},
			line: 9, where: l0 + "from", msg: []string{`account "orders" is listed twice`},
			good: []tweak{set(9, "    from: [orders, analytics]")},
		},
		{
			name: "link from an account to itself",
			bad:  []tweak{set(10, "    to: orders")},
			line: 10, where: l0 + "to", msg: []string{`account "orders" is both sender and receiver`},
			good: []tweak{set(10, "    to: analytics")},
		},
		{
			name: "queue link to two accounts",
			bad:  []tweak{set(10, "    to: [billing, analytics]")},
			line: 10, where: l0 + "to", msg: []string{"a queue link goes to exactly one account, not 2 (\"billing\", \"analytics\")"},
			good: []tweak{set(10, "    to: [billing]")},
		},

		// Options: decoding.
		{
			name: "options not a mapping",
			bad:  []tweak{del(16, 16), set(15, "    options: fifo")},
			line: 15, where: l1 + "options", msg: []string{`options must be a mapping, not a value ("fifo")`},
			good: []tweak{del(16, 16), set(15, "    options: {fifo: true}")},
		},
		{
			name: "option unknown",
			bad:  []tweak{add(16, "      fifoo: true")},
			line: 17, where: l1 + "options.fifoo", msg: []string{`option "fifoo" is unknown for this kind`, "allowed: fifo, contentBasedDeduplication, access, allow, senderRoles, encryption, maxReceiveCount, externalId, maxSessionDuration, visibilityTimeout, retentionPeriod, receiveWaitTime"},
			good: []tweak{add(16, "      contentBasedDeduplication: true")},
		},
		{
			name: "option given twice",
			bad:  []tweak{add(16, "      fifo: false")},
			line: 17, where: l1 + "options.fifo", msg: []string{`option "fifo" is given twice`},
		},
		{
			name: "maxReceiveCount not a number",
			bad:  []tweak{add(16, "      maxReceiveCount: five")},
			line: 17, where: l1 + "options.maxReceiveCount", msg: []string{`maxReceiveCount "five" must be a whole number`},
			good: []tweak{add(16, "      maxReceiveCount: 5")},
		},
		{
			name: "fifo not a boolean",
			bad:  []tweak{set(16, "      fifo: maybe")},
			line: 16, where: l1 + "options.fifo", msg: []string{`fifo "maybe" must be true or false`},
			good: []tweak{set(16, "      fifo: false")},
		},
		{
			name: "visibilityTimeout in days",
			bad:  []tweak{add(16, "      visibilityTimeout: 4d")},
			line: 17, where: l1 + "options.visibilityTimeout", msg: []string{`visibilityTimeout "4d" must be a duration such as 30s, 15m or 96h`},
			good: []tweak{add(16, "      visibilityTimeout: 96m")},
		},
		{
			name: "visibilityTimeout without a unit",
			bad:  []tweak{add(16, "      visibilityTimeout: 30")},
			line: 17, where: l1 + "options.visibilityTimeout", msg: []string{`visibilityTimeout "30" must be a duration`},
			good: []tweak{add(16, "      visibilityTimeout: 30s")},
		},
		{
			name: "senderRoles not a list",
			bad:  []tweak{add(16, "      senderRoles: {app: arn:aws:iam::111111111111:role/app}")},
			line: 17, where: l1 + "options.senderRoles", msg: []string{"senderRoles (a mapping) must be a list of values"},
			good: []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app]")},
		},

		// Options: the queue link's own rules.
		{
			name: "contentBasedDeduplication without fifo",
			bad:  []tweak{set(16, "      contentBasedDeduplication: true")},
			line: 16, where: l1 + "options.contentBasedDeduplication", msg: []string{"contentBasedDeduplication \"true\" needs fifo: true"},
			good: []tweak{add(16, "      contentBasedDeduplication: true")},
		},
		{
			name: "access unknown",
			bad:  []tweak{add(16, "      access: public")},
			line: 17, where: l1 + "options.access", msg: []string{`access "public" is unknown; use "queue-policy" or "assume-role"`},
			good: []tweak{add(16, "      access: assume-role")},
		},
		{
			name: "allow unknown",
			bad:  []tweak{add(16, "      allow: everyone")},
			line: 17, where: l1 + "options.allow", msg: []string{`allow "everyone" is unknown; use "roles", "accounts" or "organization"`},
			good: []tweak{add(16, "      allow: accounts")},
		},
		{
			name: "allow organization without organization",
			bad:  []tweak{add(16, "      allow: organization")},
			line: 17, where: l1 + "options.allow", msg: []string{`allow "organization" needs the topology's organization ID`},
			good: []tweak{add(1, "organization: o-a1b2c3d4e5"), add(16, "      allow: organization")},
		},
		{
			name: "encryption unknown",
			bad:  []tweak{add(16, "      encryption: aes256")},
			line: 17, where: l1 + "options.encryption", msg: []string{`encryption "aes256" is unknown; use "sqs-managed" or "kms"`},
			good: []tweak{add(16, "      encryption: kms")},
		},
		{
			name: "externalId with queue-policy access",
			bad:  []tweak{add(16, "      externalId: acme-42")},
			line: 17, where: l1 + "options.externalId", msg: []string{`externalId "acme-42" applies only to access: assume-role`},
			good: []tweak{add(16, "      access: assume-role", "      externalId: acme-42")},
		},
		{
			name: "externalId with a space",
			bad:  []tweak{add(16, "      access: assume-role", `      externalId: "acme 42"`)},
			line: 18, where: l1 + "options.externalId", msg: []string{`externalId "acme 42" must be 2 to 1224 characters`},
			good: []tweak{add(16, "      access: assume-role", `      externalId: "acme:42/x@y"`)},
		},
		{
			name: "externalId of one character",
			bad:  []tweak{add(16, "      access: assume-role", "      externalId: x")},
			line: 18, where: l1 + "options.externalId", msg: []string{`externalId "x"`},
			good: []tweak{add(16, "      access: assume-role", "      externalId: xy")},
		},
		{
			name: "externalId over 1224 characters",
			bad:  []tweak{add(16, "      access: assume-role", "      externalId: "+strings.Repeat("x", 1225))},
			line: 18, where: l1 + "options.externalId", msg: []string{`externalId "` + strings.Repeat("x", 1225) + `"`},
			good: []tweak{add(16, "      access: assume-role", "      externalId: "+strings.Repeat("x", 1224))},
		},
		{
			name: "maxSessionDuration without assume-role",
			bad:  []tweak{add(16, "      maxSessionDuration: 2h")},
			line: 17, where: l1 + "options.maxSessionDuration", msg: []string{"maxSessionDuration 2h applies only to access: assume-role"},
			good: []tweak{add(16, "      access: assume-role", "      maxSessionDuration: 2h")},
		},
		{
			name: "maxSessionDuration over 12h",
			bad:  []tweak{add(16, "      access: assume-role", "      maxSessionDuration: 13h")},
			line: 18, where: l1 + "options.maxSessionDuration", msg: []string{"maxSessionDuration 13h must be between 1h and 12h"},
			good: []tweak{add(16, "      access: assume-role", "      maxSessionDuration: 12h")},
		},
		{
			name: "maxSessionDuration under 1h",
			bad:  []tweak{add(16, "      access: assume-role", "      maxSessionDuration: 59m")},
			line: 18, where: l1 + "options.maxSessionDuration", msg: []string{"maxSessionDuration 59m must be between 1h and 12h"},
			good: []tweak{add(16, "      access: assume-role", "      maxSessionDuration: 60m")},
		},
		{
			name: "visibilityTimeout over 12h",
			bad:  []tweak{add(16, "      visibilityTimeout: 12h1s")},
			line: 17, where: l1 + "options.visibilityTimeout", msg: []string{"visibilityTimeout 12h0m1s must be between 1s and 12h"},
			good: []tweak{add(16, "      visibilityTimeout: 12h")},
		},
		{
			name: "visibilityTimeout negative",
			bad:  []tweak{add(16, "      visibilityTimeout: -1s")},
			line: 17, where: l1 + "options.visibilityTimeout", msg: []string{"visibilityTimeout -1s must be between 1s and 12h"},
			good: []tweak{add(16, "      visibilityTimeout: 1s")},
		},
		{
			name: "visibilityTimeout not whole seconds",
			bad:  []tweak{add(16, "      visibilityTimeout: 1500ms")},
			line: 17, where: l1 + "options.visibilityTimeout", msg: []string{"visibilityTimeout 1.5s must be whole seconds"},
			good: []tweak{add(16, "      visibilityTimeout: 2000ms")},
		},
		{
			name: "retentionPeriod under 60s",
			bad:  []tweak{add(16, "      retentionPeriod: 59s")},
			line: 17, where: l1 + "options.retentionPeriod", msg: []string{"retentionPeriod 59s must be between 1m and 336h"},
			good: []tweak{add(16, "      retentionPeriod: 60s")},
		},
		{
			name: "retentionPeriod over 14 days",
			bad:  []tweak{add(16, "      retentionPeriod: 337h")},
			line: 17, where: l1 + "options.retentionPeriod", msg: []string{"retentionPeriod 337h must be between"},
			good: []tweak{add(16, "      retentionPeriod: 336h")},
		},
		{
			name: "receiveWaitTime over 20s",
			bad:  []tweak{add(16, "      receiveWaitTime: 21s")},
			line: 17, where: l1 + "options.receiveWaitTime", msg: []string{"receiveWaitTime 21s must be between 1s and 20s"},
			good: []tweak{add(16, "      receiveWaitTime: 20s")},
		},
		{
			name: "receiveWaitTime under 1s",
			bad:  []tweak{add(16, "      receiveWaitTime: 999ms")},
			line: 17, where: l1 + "options.receiveWaitTime", msg: []string{"receiveWaitTime 999ms must be between 1s and 20s"},
			good: []tweak{add(16, "      receiveWaitTime: 1s")},
		},
		{
			name: "maxReceiveCount over 1000",
			bad:  []tweak{add(16, "      maxReceiveCount: 1001")},
			line: 17, where: l1 + "options.maxReceiveCount", msg: []string{"maxReceiveCount 1001 must be between 1 and 1000"},
			good: []tweak{add(16, "      maxReceiveCount: 1000")},
		},
		{
			name: "maxReceiveCount negative",
			bad:  []tweak{add(16, "      maxReceiveCount: -1")},
			line: 17, where: l1 + "options.maxReceiveCount", msg: []string{"maxReceiveCount -1 must be between 1 and 1000"},
			good: []tweak{add(16, "      maxReceiveCount: 1")},
		},
		{
			name: "senderRoles not a role ARN",
			bad:  []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:user/bob]")},
			line: 17, where: l1 + "options.senderRoles", msg: []string{`"arn:aws:iam::111111111111:user/bob" is not an IAM role ARN`},
			good: []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:role/bob]")},
		},
		{
			name: "senderRoles in the receiver account",
			bad:  []tweak{add(16, "      senderRoles: [arn:aws:iam::222222222222:role/app]")},
			line: 17, where: l1 + "options.senderRoles", msg: []string{`role "arn:aws:iam::222222222222:role/app" is in account billing (222222222222), which is not a sender account of the link`},
			good: []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app]")},
		},
		{
			name: "senderRoles listed twice",
			bad:  []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app, arn:aws:iam::111111111111:role/app]")},
			line: 17, where: l1 + "options.senderRoles", msg: []string{`role "arn:aws:iam::111111111111:role/app" is listed twice`},
			good: []tweak{add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app, arn:aws:iam::111111111111:role/batch/app]")},
		},
		{
			name: "senderRoles in another partition",
			bad:  []tweak{add(16, "      senderRoles: [arn:aws-cn:iam::111111111111:role/app]")},
			line: 17, where: l1 + "options.senderRoles", msg: []string{`role "arn:aws-cn:iam::111111111111:role/app" is in partition aws-cn but region eu-west-1 is in aws`},
			good: []tweak{set(1, "region: cn-north-1"), add(16, "      senderRoles: [arn:aws-cn:iam::111111111111:role/app]")},
		},

		// Physical names the link's name makes: see also TestParseNameLengths.
		{
			name: "queue name over 80 characters",
			bad:  []tweak{set(11, "  - name: "+strings.Repeat("r", 76))}, // refunds.fifo: 76 + 5 = 81
			line: 11, where: `links[1] "` + strings.Repeat("r", 76) + `": name`, msg: []string{`queue name "` + strings.Repeat("r", 76) + `.fifo" is 81 characters; SQS allows at most 80`},
			count: 3, // with the dead-letter queue and producer role names
		},
		{
			name: "dead-letter queue name over 80 characters",
			bad:  []tweak{set(11, "  - name: "+strings.Repeat("r", 72))}, // 72 + len("-dlq.fifo") = 81
			line: 11, where: `links[1] "` + strings.Repeat("r", 72) + `": name`, msg: []string{`dead-letter queue name "` + strings.Repeat("r", 72) + `-dlq.fifo" is 81 characters`},
			count: 2, // with the producer role name
		},
		{
			name: "access role name over 64 characters",
			bad: []tweak{
				set(11, "  - name: "+strings.Repeat("r", 58)), // 58 + len("-access") = 65
				add(16, "      access: assume-role", "      senderRoles: [arn:aws:iam::111111111111:role/app]"),
			},
			line: 11, where: `links[1] "` + strings.Repeat("r", 58) + `": name`, msg: []string{`access role name "` + strings.Repeat("r", 58) + `-access" is 65 characters; IAM allows at most 64`},
			good: []tweak{
				set(11, "  - name: "+strings.Repeat("r", 57)),
				add(16, "      access: assume-role", "      senderRoles: [arn:aws:iam::111111111111:role/app]"),
			},
		},
		{
			name: "producer role name over 64 characters",
			bad:  []tweak{set(11, "  - name: "+strings.Repeat("r", 56))}, // 56 + len("-producer") = 65
			line: 11, where: `links[1] "` + strings.Repeat("r", 56) + `": name`, msg: []string{`producer role name "` + strings.Repeat("r", 56) + `-producer" is 65 characters; IAM allows at most 64`},
			good: []tweak{set(11, "  - name: "+strings.Repeat("r", 55))},
		},
		{
			name: "name prefix counts in physical names",
			bad:  []tweak{add(1, "namePrefix: acme"), set(11, "  - name: "+strings.Repeat("r", 51))}, // 5 + 51 + 9 = 65
			line: 12, where: `links[1] "` + strings.Repeat("r", 51) + `": name`, msg: []string{`producer role name "acme-` + strings.Repeat("r", 51) + `-producer" is 65 characters`},
			good: []tweak{add(1, "namePrefix: acme"), set(11, "  - name: "+strings.Repeat("r", 50))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Run("invalid", func(t *testing.T) {
				// GIVEN the base topology with the mistake
				data := edit(tt.bad...)

				// WHEN it is parsed
				top, err := topology.Parse("topology.yaml", data)

				// THEN there is no topology but a *problem.Error naming the mistake
				if top != nil {
					t.Errorf("Parse returned a topology as well as an error")
				}
				problems := problemsOf(t, err)
				findProblem(t, problems, tt.line, tt.where, tt.msg...)
				want := max(tt.count, 1)
				if len(problems) != want {
					t.Errorf("got %d problems, want %d:\n%s\nin\n%s", len(problems), want, render(problems), data)
				}
				if s := err.Error(); !strings.HasPrefix(s, "topology.yaml: ") {
					t.Errorf("Error() = %q, want it to start with the file name", s)
				}
			})
			t.Run("valid", func(t *testing.T) {
				// GIVEN the base topology with the mistake put right
				data := edit(tt.good...)

				// WHEN it is parsed
				// THEN there is no error
				mustParse(t, data)
			})
		})
	}
}

func TestParseEmptyFile(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"no bytes", ""},
		{"only a comment", "# who sends what to whom\n"},
		{"only blank lines", "\n\n  \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a file without any content
			// WHEN it is parsed
			top, err := topology.Parse("empty.yaml", []byte(tt.data))

			// THEN the one problem says the file is empty and what it needs
			if top != nil {
				t.Errorf("Parse returned a topology as well as an error")
			}
			problems := problemsOf(t, err)
			findProblem(t, problems, 0, "", "the file is empty", "region, accounts and links")
			if len(problems) != 1 {
				t.Errorf("got %d problems, want 1:\n%s", len(problems), render(problems))
			}
			if got := err.Error(); !strings.HasPrefix(got, "empty.yaml: 1 problem\n") {
				t.Errorf("Error() = %q, want it to start with the path and the count", got)
			}
		})
	}
}

// TestParseNameLengths checks each length limit of the physical names at its boundary:
// a name one character shorter has no problem of that limit, the name at the limit has
// none either, and one character more has it.
func TestParseNameLengths(t *testing.T) {
	// A sender role for orders, so that no producer role is made and its name does
	// not count.
	const ownRole = "      senderRoles: [arn:aws:iam::111111111111:role/app]"
	tests := []struct {
		name    string
		options []string // options of the refunds link
		problem string   // start of the message of the limit
		suffix  string   // what the link's name gets to make the physical name
		limit   int
	}{
		{
			name:    "queue name, standard",
			options: []string{"      fifo: false", ownRole},
			problem: "queue name ", limit: 80,
		},
		{
			name:    "queue name, FIFO",
			options: []string{"      fifo: true", ownRole},
			problem: "queue name ", suffix: ".fifo", limit: 80,
		},
		{
			name:    "dead-letter queue name, standard",
			options: []string{"      fifo: false", ownRole},
			problem: "dead-letter queue name ", suffix: "-dlq", limit: 80,
		},
		{
			name:    "dead-letter queue name, FIFO",
			options: []string{"      fifo: true", ownRole},
			problem: "dead-letter queue name ", suffix: "-dlq.fifo", limit: 80,
		},
		{
			name:    "access role name",
			options: []string{"      access: assume-role", ownRole},
			problem: "access role name ", suffix: "-access", limit: 64,
		},
		{
			name:    "producer role name",
			options: []string{"      fifo: false"},
			problem: "producer role name ", suffix: "-producer", limit: 64,
		},
	}
	for _, tt := range tests {
		for _, physical := range []int{tt.limit - 1, tt.limit, tt.limit + 1} {
			t.Run(fmt.Sprintf("%s of %d characters", tt.name, physical), func(t *testing.T) {
				// GIVEN a link whose name makes a physical name of this length
				name := strings.Repeat("n", physical-len(tt.suffix))
				wantName := name + tt.suffix
				data := edit(set(11, "  - name: "+name), set(16, tt.options...))

				// WHEN it is parsed
				_, err := topology.Parse("topology.yaml", data)

				// THEN the limit's problem is there exactly when the name is too long
				var found []problem.Problem
				if err != nil {
					for _, p := range problemsOf(t, err) {
						if strings.HasPrefix(p.Msg, tt.problem) {
							found = append(found, p)
						}
					}
				}
				if physical <= tt.limit {
					if len(found) != 0 {
						t.Fatalf("a name of %d characters has the problem %v", physical, found)
					}
					return
				}
				if len(found) != 1 {
					t.Fatalf("got %d problems starting %q, want 1; error: %v", len(found), tt.problem, err)
				}
				p := found[0]
				wantMsg := fmt.Sprintf("%s%q is %d characters", tt.problem, wantName, physical)
				if p.Line != 11 || p.Where != `links[1] "`+name+`": name` || !strings.HasPrefix(p.Msg, wantMsg) {
					t.Errorf("problem = %+v, want line 11, Where links[1] %q: name, message starting %q", p, name, wantMsg)
				}
				if !strings.Contains(p.Msg, fmt.Sprintf("at most %d", tt.limit)) {
					t.Errorf("message %q does not name the limit %d", p.Msg, tt.limit)
				}
			})
		}
	}

	t.Run("longest valid names", func(t *testing.T) {
		// GIVEN links at the longest name every physical name allows: the dead-letter
		// queue name (name + -dlq[.fifo]) is the tightest limit on queue names, so the
		// queue name itself never reaches 80 in a valid link
		cases := []struct {
			name string
			data []byte
		}{
			{"standard", edit(set(11, "  - name: "+strings.Repeat("n", 76)), set(16, "      fifo: false", ownRole))},
			{"FIFO", edit(set(11, "  - name: "+strings.Repeat("n", 71)), set(16, "      fifo: true", ownRole))},
			{"assume-role", edit(set(11, "  - name: "+strings.Repeat("n", 57)), set(16, "      access: assume-role", ownRole))},
			{"producer role", edit(set(11, "  - name: "+strings.Repeat("n", 55)))},
		}
		for _, c := range cases {
			// WHEN each is parsed
			// THEN it is valid
			t.Run(c.name, func(t *testing.T) { mustParse(t, c.data) })
		}
	})
}

func TestParseProducerRoleOnlyWhereMade(t *testing.T) {
	// GIVEN a link of 56 characters (its producer role name would be 65) from two
	// accounts, of which only orders lists a role of its own
	name := strings.Repeat("n", 56)
	data := edit(
		set(11, "  - name: "+name),
		set(13, "    from: [orders, analytics]"),
		add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app]"),
	)

	// WHEN it is parsed, and again with a role listed for analytics too
	_, err := topology.Parse("topology.yaml", data)
	both := edit(
		set(11, "  - name: "+name),
		set(13, "    from: [orders, analytics]"),
		add(16, "      senderRoles: [arn:aws:iam::111111111111:role/app, arn:aws:iam::333333333333:role/app]"),
	)

	// THEN the producer role made for analytics is too long; with no producer role to
	// make, the name is fine
	findProblem(t, problemsOf(t, err), 11, `links[1] "`+name+`": name`, `producer role name "`+name+`-producer" is 65 characters`)
	mustParse(t, both)
}

func TestParseFiveMistakes(t *testing.T) {
	// GIVEN a topology with five different mistakes, whose top-level fields are in an
	// order other than the one Parse reads them in
	path := "testdata/five-mistakes.yaml"
	want := []struct {
		line  int
		where string
		msg   string
	}{
		{5, `links[0] "invoices": to`, `account alias "shipping" is unknown`},
		{6, `links[1] "invoices": name`, `link name "invoices" is already used by links[0]`},
		{11, `links[1] "invoices": options.fifoo`, `option "fifoo" is unknown`},
		{13, `links[2] "payouts": kind`, `kind "topik" is unknown`},
		{18, "accounts.billing", `account ID "22222222222" must be exactly 12 digits`},
	}

	// WHEN it is loaded
	_, err := topology.Load(path)

	// THEN one error names all five, sorted by line, each on its own line of Error()
	problems := problemsOf(t, err)
	if len(problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(problems), len(want), render(problems))
	}
	for _, w := range want {
		findProblem(t, problems, w.line, w.where, w.msg)
	}
	if !slices.IsSortedFunc(problems, func(a, b problem.Problem) int { return a.Line - b.Line }) {
		t.Errorf("problems are not sorted by line:\n%s", render(problems))
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != path+": 5 problems" {
		t.Errorf("first line of Error() = %q, want %q", lines[0], path+": 5 problems")
	}
	if len(lines) != 1+len(want) {
		t.Fatalf("Error() has %d lines, want %d:\n%s", len(lines), 1+len(want), err)
	}
	for i, w := range want {
		prefix := fmt.Sprintf("  - line %d: %s: ", w.line, w.where)
		if !strings.HasPrefix(lines[i+1], prefix) || !strings.Contains(lines[i+1], w.msg) {
			t.Errorf("line %d of Error() = %q, want it to start %q and hold %q", i+2, lines[i+1], prefix, w.msg)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	// GIVEN a path where there is no file
	path := "testdata/no-such-topology.yaml"

	// WHEN it is loaded
	top, err := topology.Load(path)

	// THEN the error names the path and is a not-exist error
	if top != nil || err == nil {
		t.Fatalf("Load(%q) = %v, %v, want an error", path, top, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %q is not fs.ErrNotExist", err)
	}
}

// TestParseEdgeCases holds inputs that once slipped through or read badly: empty
// values, explicit zeros and messages that repeated the place.
func TestParseEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		bad    []tweak
		line   int
		where  string
		msg    string
		prefix bool // the message must start with msg, not only hold it
	}{
		{
			// An empty region would give ARNs without a region.
			name: "empty region is refused",
			bad:  []tweak{set(1, `region: ""`)},
			line: 1, where: "region", msg: "region is empty",
		},
		{
			// An empty alias must be a problem, not a link that builds nothing.
			name: "empty from is refused",
			bad:  []tweak{set(9, `    from: ""`)},
			line: 9, where: `links[0] "invoices": from`, msg: "from",
		},
		{
			name: "empty to is refused",
			bad:  []tweak{set(10, `    to: ""`)},
			line: 10, where: `links[0] "invoices": to`, msg: "to",
		},
		{
			// Zero means "the default" in the construct's options: an explicit zero
			// would silently become 5.
			name: "maxReceiveCount 0 is refused",
			bad:  []tweak{add(16, "      maxReceiveCount: 0")},
			line: 17, where: `links[1] "refunds": options.maxReceiveCount`, msg: `maxReceiveCount "0" must not be zero; leave the option out to get the default`,
		},
		{
			// Short polling is not offered: 0s must not silently become 20s.
			name: "receiveWaitTime 0s is refused",
			bad:  []tweak{add(16, "      receiveWaitTime: 0s")},
			line: 17, where: `links[1] "refunds": options.receiveWaitTime`, msg: `receiveWaitTime "0s" must not be zero; leave the option out to get the default`,
		},
		{
			// The message names the field once, not the whole place again.
			name: "kind not a single value names the field once",
			bad:  []tweak{set(8, "    kind: [queue]")},
			line: 8, where: `links[0] "invoices": kind`, msg: "kind must be a single value, not a list", prefix: true,
		},
		{
			name: "from an empty list names the field once",
			bad:  []tweak{set(9, "    from: []")},
			line: 9, where: `links[0] "invoices": from`, msg: "from is an empty list", prefix: true,
		},
		{
			name: "to a mapping names the field once",
			bad:  []tweak{set(10, "    to: {billing: true}")},
			line: 10, where: `links[0] "invoices": to`, msg: "to must be an account alias, {account: alias, region: r} or a list of them", prefix: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN the base topology with the mistake
			// WHEN it is parsed
			_, err := topology.Parse("topology.yaml", edit(tt.bad...))
			// THEN the mistake is reported, with a message that reads well
			p := findProblem(t, problemsOf(t, err), tt.line, tt.where, tt.msg)
			if tt.prefix && !strings.HasPrefix(p.Msg, tt.msg) {
				t.Errorf("message %q does not start with %q", p.Msg, tt.msg)
			}
		})
	}

	t.Run("visibilityTimeout 0s is refused, not silently replaced", func(t *testing.T) {
		// GIVEN a link whose visibility timeout is an explicit 0s
		data := edit(add(16, "      visibilityTimeout: 0s"))
		// WHEN it is parsed
		_, err := topology.Parse("topology.yaml", data)
		// THEN the zero is reported instead of becoming the 30s default
		findProblem(t, problemsOf(t, err), 17, `links[1] "refunds": options.visibilityTimeout`, `visibilityTimeout "0s" must not be zero`)
	})
}

// specOf returns the Spec of l as the link type L of its kind.
func specOf[L any](t *testing.T, l topology.Link) L {
	t.Helper()
	spec, ok := l.Spec.(L)
	if !ok {
		var zero L
		t.Fatalf("link %q has Spec %T, want %T", l.Name, l.Spec, zero)
	}
	return spec
}
