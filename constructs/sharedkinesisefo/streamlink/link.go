// Package streamlink describes a stream link of sharedkinesisefo in plain Go: the accounts, options,
// defaults, names, ARNs and validation that both halves of the link, the topology
// and the smoke test share. It does not import the CDK.
package streamlink

import (
	"github.com/crosswire/crosswire/linkkind"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/internal/durations"
	"github.com/crosswire/crosswire/internal/iamcond"
	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/internal/linkcheck"
	"github.com/crosswire/crosswire/internal/problem"
)

// StreamMode is the capacity mode of the stream.
type StreamMode string

const (
	// StreamModeOnDemand lets Kinesis scale the shards. This is the default.
	StreamModeOnDemand StreamMode = "on-demand"
	// StreamModeProvisioned uses a fixed number of shards (ShardCount).
	StreamModeProvisioned StreamMode = "provisioned"
)

// StartingPosition is where a new event source mapping starts reading.
type StartingPosition string

const (
	// StartingPositionTrimHorizon reads every record the stream still holds. This is
	// the default: the consumer's stack deploys after the producer's, and records put
	// in between would be skipped with StartingPositionLatest.
	StartingPositionTrimHorizon StartingPosition = "TRIM_HORIZON"
	// StartingPositionLatest reads only records put after the mapping is created.
	StartingPositionLatest StartingPosition = "LATEST"
)

// Format is what the consumer function requires of a record's data.
type Format string

const (
	// FormatJSON makes the consumer function fail a record whose data is not one valid
	// JSON value. This is the default.
	FormatJSON Format = "json"
	// FormatRaw accepts any bytes.
	FormatRaw Format = "raw"
)

// Defaults of Options, applied by Link.WithDefaults.
const (
	DefaultRetention             = 24 * time.Hour
	DefaultShardCount            = 1
	DefaultBatchSize             = 100
	DefaultParallelizationFactor = 1
	DefaultMaxRetries            = 3
	DefaultMaxRecordAge          = time.Hour
	DefaultBisectOnError         = true
)

// Limits checked by Validate.
const (
	// MaxConsumers is the number of enhanced fan-out consumers Kinesis allows on one
	// stream; each consumer account of a link registers one.
	MaxConsumers = 20
	// MaxResourcePolicyBytes is the size limit assumed for a Kinesis resource policy,
	// stream or consumer: 20 KB. With at most MaxConsumers consumers the link's policies
	// stay far below it (about 3 KB); the check guards Links built outside a topology.
	MaxResourcePolicyBytes = 20 * 1024
	maxKinesisNameLen      = 128
	maxRoleNameLen         = 64
	maxQueueNameLen        = 80
)

// Options are the per-link settings of a stream link. In a topology file they are the
// link's `options`, with the YAML names given in the tags.
type Options struct {
	// AlarmOptions turn the link's CloudWatch alarms off (alarms: false) or set the
	// age alarm of its main queues (oldestMessageAlarm).
	linkkind.AlarmOptions
	// StreamMode is the stream's capacity mode. Default: StreamModeOnDemand.
	StreamMode StreamMode `yaml:"streamMode"`
	// ShardCount is the number of shards, 1 or more; only with StreamModeProvisioned.
	// Default: 1 when provisioned.
	ShardCount int `yaml:"shardCount"`
	// Retention is how long the stream keeps records, 24h to 8760h (365 days), in
	// whole hours. Default: 24h.
	Retention time.Duration `yaml:"retention"`
	// ProducerRoleArns are existing roles in the producer account that put records. With
	// none listed, a role Link.ProducerRoleName is created there. Default: none.
	ProducerRoleArns []string `yaml:"producerRoles"`
	// Format is what the consumer function requires of a record. Default: FormatJSON.
	Format Format `yaml:"format"`
	// BatchSize is the largest batch the consumer function gets, 1 to 10000.
	// Default: 100.
	BatchSize int `yaml:"batchSize"`
	// StartingPosition is where the event source mapping starts reading.
	// Default: StartingPositionTrimHorizon.
	StartingPosition StartingPosition `yaml:"startingPosition"`
	// ParallelizationFactor is how many batches of one shard are processed at once,
	// 1 to 10. Default: 1.
	ParallelizationFactor int `yaml:"parallelizationFactor"`
	// BisectOnError splits a batch in two and retries each half when the function
	// fails as a whole (an error, a timeout), to isolate a bad record. Default: true.
	BisectOnError *bool `yaml:"bisectOnError"`
	// MaxRetries is how many times a failed batch is retried before its position goes
	// to the on-failure queue, 0 to 10000 (0 is kept: no retry). Infinite retries (-1)
	// are not offered: they hold the shard back until the record expires. Default: 3.
	MaxRetries *int `yaml:"maxRetries"`
	// MaxRecordAge is the age after which a record that still fails goes to the
	// on-failure queue instead of being retried, 60s to 168h (7 days), in whole seconds
	// and shorter than Retention, so the record can still be read from the stream.
	// Default: 1h.
	MaxRecordAge time.Duration `yaml:"maxRecordAge"`
	// ConsumerArns maps consumer account IDs to the ARN of their registered consumer,
	// for accounts that should not look it up at deploy time. Each ARN must be the
	// consumer the producer half registers for that account
	// (Link.ConsumerName). Default: none, every consumer account looks its ARN up.
	ConsumerArns map[string]string `yaml:"consumerArns"`
}

// Link describes one stream link: which account owns the stream and which accounts
// consume it. The producer half and every consumer half are built from the same Link,
// possibly in different CDK apps: each computes the other side's names and ARNs from
// the Link alone.
type Link struct {
	// Name of the link; with NamePrefix it forms every physical name.
	Name string
	// NamePrefix is put in front of every physical name as given: include the
	// separator, for example "acme-". Default: none.
	NamePrefix string
	// Region of both sides.
	Region string
	// ProducerAccount is the 12-digit ID of the account that owns the stream.
	ProducerAccount string
	// ConsumerAccounts are the 12-digit IDs of the accounts that consume it, each
	// through an enhanced fan-out consumer of its own.
	ConsumerAccounts []string
	Options
}

// WithDefaults returns a copy of l with every unset option set to its default.
func (l Link) WithDefaults() Link {
	if l.StreamMode == "" {
		l.StreamMode = StreamModeOnDemand
	}
	if l.StreamMode == StreamModeProvisioned && l.ShardCount == 0 {
		l.ShardCount = DefaultShardCount
	}
	if l.Retention == 0 {
		l.Retention = DefaultRetention
	}
	if l.Format == "" {
		l.Format = FormatJSON
	}
	if l.BatchSize == 0 {
		l.BatchSize = DefaultBatchSize
	}
	if l.StartingPosition == "" {
		l.StartingPosition = StartingPositionTrimHorizon
	}
	if l.ParallelizationFactor == 0 {
		l.ParallelizationFactor = DefaultParallelizationFactor
	}
	if l.BisectOnError == nil {
		b := DefaultBisectOnError
		l.BisectOnError = &b
	}
	if l.MaxRetries == nil {
		n := DefaultMaxRetries
		l.MaxRetries = &n
	}
	if l.MaxRecordAge == 0 {
		l.MaxRecordAge = DefaultMaxRecordAge
	}
	return l
}

func (l Link) base() string { return l.NamePrefix + l.Name }

// StreamName is the physical name of the stream: [prefix]name.
func (l Link) StreamName() string { return l.base() }

// StreamArn is the ARN of the stream in the producer account.
func (l Link) StreamArn() string {
	return awsarn.KinesisStream(l.Region, l.ProducerAccount, l.StreamName())
}

// KeyAlias is the alias of the stream's customer managed key: alias/[prefix]name.
func (l Link) KeyAlias() string { return "alias/" + l.base() }

// ConsumerName is the name of the enhanced fan-out consumer registered for the
// consumer account: [prefix]name-<account ID>.
func (l Link) ConsumerName(account string) string { return l.base() + "-" + account }

// ConsumerByNameArn is the consumer's ARN without its creation timestamp: the resource
// a DescribeStreamConsumer call by stream ARN and consumer name is authorized against.
func (l Link) ConsumerByNameArn(account string) string {
	return awsarn.KinesisConsumerByName(l.Region, l.ProducerAccount, l.StreamName(), l.ConsumerName(account))
}

// ConsumerArnOverride returns the consumer ARN given for account in ConsumerArns, or ""
// when the account looks it up at deploy time.
func (l Link) ConsumerArnOverride(account string) string { return l.ConsumerArns[account] }

// LookupAccounts are the consumer accounts that look their consumer's ARN up at deploy
// time: those without an entry in ConsumerArns, in ConsumerAccounts order.
func (l Link) LookupAccounts() []string {
	var out []string
	for _, a := range l.ConsumerAccounts {
		if l.ConsumerArnOverride(a) == "" {
			out = append(out, a)
		}
	}
	return out
}

// ProducerRoleName is the name of the role created in the producer account when
// ProducerRoleArns is empty: [prefix]name-producer.
func (l Link) ProducerRoleName() string { return l.base() + "-producer" }

// ProducerRoles returns the roles that put records: ProducerRoleArns, or else the ARN
// of the created producer role.
func (l Link) ProducerRoles() []string {
	if len(l.ProducerRoleArns) > 0 {
		return l.ProducerRoleArns
	}
	return []string{awsarn.Role(l.Region, l.ProducerAccount, l.ProducerRoleName())}
}

// ConsumerRoleName is the name of the consumer function's execution role in every
// consumer account: [prefix]name-consumer.
func (l Link) ConsumerRoleName() string { return l.base() + "-consumer" }

// ConsumerRoleArn is the ARN of the execution role in the consumer account.
func (l Link) ConsumerRoleArn(account string) string {
	return awsarn.Role(l.Region, account, l.ConsumerRoleName())
}

// ConsumerRoleArns returns the execution role of every consumer account, in order.
func (l Link) ConsumerRoleArns() []string {
	out := make([]string, len(l.ConsumerAccounts))
	for i, a := range l.ConsumerAccounts {
		out[i] = l.ConsumerRoleArn(a)
	}
	return out
}

// LookupRoleName is the name of the role in the producer account that the consumer
// account's look-up function assumes to find its consumer's ARN: [prefix]name-lookup-<account>.
func (l Link) LookupRoleName(account string) string { return l.base() + "-lookup-" + account }

// LookupRoleArn is the ARN of the look-up role in the producer account.
func (l Link) LookupRoleArn(account string) string {
	return awsarn.Role(l.Region, l.ProducerAccount, l.LookupRoleName(account))
}

// LookupFunctionRoleName is the name of the execution role of the look-up function in
// every consumer account: [prefix]name-lookup-fn.
func (l Link) LookupFunctionRoleName() string { return l.base() + "-lookup-fn" }

// LookupFunctionRoleArn is the ARN of the look-up function's role in account.
func (l Link) LookupFunctionRoleArn(account string) string {
	return awsarn.Role(l.Region, account, l.LookupFunctionRoleName())
}

// FailureQueueName is the name of the on-failure queue in every consumer account:
// [prefix]name-failures.
func (l Link) FailureQueueName() string { return l.base() + "-failures" }

// Validate reports every problem of l at once. Problems name the option with its
// topology-file name (for example `options.batchSize`) and quote the value.
func (l Link) Validate() error { return linkcheck.Report("stream", l.Name, l.validate) }

// Problems adds every problem of l to p.
func (l Link) Problems(p *problem.List) { l.validate(p) }

func (l Link) validate(p *problem.List) {
	l = l.WithDefaults()
	linkcheck.Identity(p, l.Name, l.NamePrefix, l.Region)
	linkcheck.Accounts(p, "stream", linkcheck.Side{Field: "from", Role: "producer"}, l.ProducerAccount,
		linkcheck.Side{Field: "to", Role: "consumer"}, l.ConsumerAccounts)
	l.validateConsumers(p)
	l.validateNames(p)
	l.validateStream(p)
	l.validateMapping(p)
	l.validateRoles(p)
	l.validateOverrides(p)
	l.validatePolicySizes(p)
	l.AlarmProblems(0, p)
}

func (l Link) validateConsumers(p *problem.List) {
	if n := len(l.ConsumerAccounts); n > MaxConsumers {
		p.Addf(0, "to", "%d consumer accounts need %d enhanced fan-out consumers; Kinesis allows at most %d per stream", n, n, MaxConsumers)
	}
}

func (l Link) validateNames(p *problem.List) {
	checkLen := func(what, name string, limit int, service string) {
		if n := len(name); n > limit {
			p.Addf(0, "name", "%s %q is %d characters; %s allows at most %d", what, name, n, service, limit)
		}
	}
	if s := l.StreamName(); !awsarn.IsKinesisName(s) {
		// Link names are letters, digits, - and _, so only the length can be wrong.
		checkLen("stream name", s, maxKinesisNameLen, "Kinesis")
	}
	if len(l.ConsumerAccounts) > 0 {
		// Every consumer name has the same length: the account IDs are 12 digits.
		checkLen("consumer name", l.ConsumerName(strings.Repeat("0", 12)), maxKinesisNameLen, "Kinesis")
	}
	if len(l.ProducerRoleArns) == 0 {
		checkLen("producer role name", l.ProducerRoleName(), maxRoleNameLen, "IAM")
	}
	checkLen("consumer role name", l.ConsumerRoleName(), maxRoleNameLen, "IAM")
	if len(l.LookupAccounts()) > 0 {
		checkLen("look-up role name", l.LookupRoleName(l.LookupAccounts()[0]), maxRoleNameLen, "IAM")
		checkLen("look-up function role name", l.LookupFunctionRoleName(), maxRoleNameLen, "IAM")
	}
	checkLen("on-failure queue name", l.FailureQueueName(), maxQueueNameLen, "SQS")
}

func (l Link) validateStream(p *problem.List) {
	switch l.StreamMode {
	case StreamModeOnDemand:
		if l.ShardCount != 0 {
			p.Addf(0, "options.shardCount", "shardCount %d applies only to streamMode: %s", l.ShardCount, StreamModeProvisioned)
		}
	case StreamModeProvisioned:
		if l.ShardCount < 1 {
			p.Addf(0, "options.shardCount", "shardCount %d must be 1 or more", l.ShardCount)
		}
	default:
		p.Addf(0, "options.streamMode", "streamMode %q is unknown; use %q or %q", l.StreamMode, StreamModeOnDemand, StreamModeProvisioned)
	}
	linkcheck.Duration(p, "options.retention", l.Retention, 24*time.Hour, 8760*time.Hour, time.Hour)
}

func (l Link) validateMapping(p *problem.List) {
	switch l.Format {
	case FormatJSON, FormatRaw:
	default:
		p.Addf(0, "options.format", "format %q is unknown; use %q or %q", l.Format, FormatJSON, FormatRaw)
	}
	if l.BatchSize < 1 || l.BatchSize > 10000 {
		p.Addf(0, "options.batchSize", "batchSize %d must be between 1 and 10000", l.BatchSize)
	}
	switch l.StartingPosition {
	case StartingPositionTrimHorizon, StartingPositionLatest:
	default:
		p.Addf(0, "options.startingPosition", "startingPosition %q is unknown; use %q or %q", l.StartingPosition, StartingPositionTrimHorizon, StartingPositionLatest)
	}
	if l.ParallelizationFactor < 1 || l.ParallelizationFactor > 10 {
		p.Addf(0, "options.parallelizationFactor", "parallelizationFactor %d must be between 1 and 10", l.ParallelizationFactor)
	}
	if n := *l.MaxRetries; n < 0 || n > 10000 {
		p.Addf(0, "options.maxRetries", "maxRetries %d must be between 0 and 10000", n)
	}
	if d := l.MaxRecordAge; linkcheck.Duration(p, "options.maxRecordAge", d, time.Minute, 7*24*time.Hour, time.Second) && d >= l.Retention {
		p.Addf(0, "options.maxRecordAge", "maxRecordAge %s must be shorter than retention %s, so that a record reported to the on-failure queue can still be read from the stream",
			durations.Format(d), durations.Format(l.Retention))
	}
}

func (l Link) validateRoles(p *problem.List) {
	linkcheck.Roles(p, "options.producerRoles", l.ProducerRoleArns, []string{l.ProducerAccount}, "the producer account "+l.ProducerAccount, l.Region)
}

func (l Link) validateOverrides(p *problem.List) {
	accounts := make([]string, 0, len(l.ConsumerArns))
	for a := range l.ConsumerArns {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	for _, a := range accounts {
		arn := l.ConsumerArns[a]
		where := "options.consumerArns." + a
		if !slices.Contains(l.ConsumerAccounts, a) {
			p.Addf(0, where, "account %q is not a consumer account of the link", a)
			continue
		}
		c, err := awsarn.ParseKinesisConsumer(arn)
		switch {
		case err != nil:
			p.Addf(0, where, "%v", err)
		case c.StreamARN() != l.StreamArn() || c.Consumer != l.ConsumerName(a):
			p.Addf(0, where, "consumer ARN %q is not the consumer this link registers for account %s: want %s:<creation timestamp>", arn, a, l.ConsumerByNameArn(a))
		}
	}
}

func (l Link) validatePolicySizes(p *problem.List) {
	if len(l.ConsumerAccounts) == 0 {
		return
	}
	if n := policySize(l.StreamPolicyGrants(), l.StreamArn()); n > MaxResourcePolicyBytes {
		p.Addf(0, "to", "the stream's resource policy would be about %d bytes; Kinesis allows at most %d", n, MaxResourcePolicyBytes)
	}
	// Consumer policies differ only in the account, whose ID has a fixed length; the
	// ARN's timestamp is estimated at 10 digits (seconds since 1970 until 2286).
	a := l.ConsumerAccounts[0]
	if n := policySize(l.ConsumerPolicyGrants(a), l.ConsumerByNameArn(a)+":0000000000"); n > MaxResourcePolicyBytes {
		p.Addf(0, "name", "each consumer's resource policy would be about %d bytes; Kinesis allows at most %d", n, MaxResourcePolicyBytes)
	}
}

// policySize is the size of the JSON policy document holding grants on resource, as
// the resource policy would be sent to Kinesis.
func policySize(grants []Grant, resource string) int {
	stmts := make([]map[string]any, len(grants))
	for i, g := range grants {
		stmts[i] = g.Document(resource)
	}
	b, err := jsonx.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		panic(err)
	}
	return len(b)
}

// The actions the link's resource policies grant. Kinesis resource policies can share
// only some actions; these are the ones the AWS example for cross-account Lambda
// consumers grants, and what a Lambda event source mapping on an enhanced fan-out
// consumer uses.
var (
	// StreamReadActions: what a consumer account's execution role may do on the
	// stream, in the stream's resource policy and in the role's identity policy.
	StreamReadActions = []string{
		"kinesis:DescribeStreamSummary", "kinesis:DescribeStream", "kinesis:ListShards",
		"kinesis:GetRecords", "kinesis:GetShardIterator",
	}
	// ConsumerReadActions: what it may do on its own registered consumer, in the
	// consumer's resource policy and in the role's identity policy.
	ConsumerReadActions = []string{"kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"}
)

// Grant is one Allow statement of a Kinesis resource policy, as plain Go values: the
// accounts' root principals narrowed to exactly Roles by aws:PrincipalArn, on the
// policy's resource. It is the only form in which the link's resource policies admit
// anybody, so they hold no wildcard and no service principal by construction.
type Grant struct {
	// Region is the link's region; it gives the partition of the account root ARNs.
	Region   string
	Sid      string
	Accounts []string
	Roles    []string
	Actions  []string
}

// Document is the statement on resource as it appears in the synthesized policy, for
// the size estimate.
func (g Grant) Document(resource string) map[string]any {
	principals := make([]any, len(g.Accounts))
	for i, a := range g.Accounts {
		principals[i] = awsarn.AccountRoot(g.Region, a)
	}
	return map[string]any{
		"Sid":       g.Sid,
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": principals},
		"Action":    g.Actions,
		"Resource":  resource,
		"Condition": iamcond.RoleCondition(g.Accounts, g.Roles),
	}
}

// StreamPolicyGrants are the statements of the stream's resource policy: every
// consumer account's execution role may read the stream.
func (l Link) StreamPolicyGrants() []Grant {
	return []Grant{{
		Region:   l.Region,
		Sid:      "AllowLinkConsumersToReadStream",
		Accounts: l.ConsumerAccounts,
		Roles:    l.ConsumerRoleArns(),
		Actions:  StreamReadActions,
	}}
}

// ConsumerPolicyGrants are the statements of the resource policy of account's
// registered consumer: only that account's execution role may use it.
func (l Link) ConsumerPolicyGrants(account string) []Grant {
	return []Grant{{
		Region:   l.Region,
		Sid:      "AllowLinkConsumerToSubscribe",
		Accounts: []string{account},
		Roles:    []string{l.ConsumerRoleArn(account)},
		Actions:  ConsumerReadActions,
	}}
}
