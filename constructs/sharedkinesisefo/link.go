// Package sharedkinesisefo is the SharedKinesisEFO construct: a Kinesis data stream in
// one account that Lambda functions in other accounts read through enhanced fan-out
// consumers of their own, with every policy on both sides computed from one Link.
//
// The producer half (NewProducer) deploys in the producer account and needs nothing of
// the consumer accounts. The consumer half is split in two, so that it can be placed
// around the producer's stack:
//
//   - NewConsumerRole, the consumer function's execution role, uses only computed ARNs
//     and deploys in any order with respect to the producer account;
//   - NewConsumer (the function, its on-failure queue, the look-up of the consumer's
//     ARN and the event source mapping) uses the producer's stream and registered
//     consumer at deploy time, so its stack must deploy after the producer's.
//
// Every policy that admits another account's role names the account's root principal
// narrowed by an aws:PrincipalArn condition (cdkx.Senders), never the role itself, so
// no role has to exist before the policy that names it.
package sharedkinesisefo

import (
	"github.com/crosswire/crosswire/constructs/sharedkinesisefo/streamlink"
)

// The description of a link lives in package streamlink, which does not import the
// CDK; these names let users of the constructs keep to this package.

// StreamMode is streamlink.StreamMode.
type StreamMode = streamlink.StreamMode

// StartingPosition is streamlink.StartingPosition.
type StartingPosition = streamlink.StartingPosition

// Format is streamlink.Format.
type Format = streamlink.Format

// Options is streamlink.Options.
type Options = streamlink.Options

// Link is streamlink.Link.
type Link = streamlink.Link

// The constants of package streamlink.
const (
	StreamModeOnDemand           = streamlink.StreamModeOnDemand
	StreamModeProvisioned        = streamlink.StreamModeProvisioned
	StartingPositionTrimHorizon  = streamlink.StartingPositionTrimHorizon
	StartingPositionLatest       = streamlink.StartingPositionLatest
	FormatJSON                   = streamlink.FormatJSON
	FormatRaw                    = streamlink.FormatRaw
	DefaultRetention             = streamlink.DefaultRetention
	DefaultShardCount            = streamlink.DefaultShardCount
	DefaultBatchSize             = streamlink.DefaultBatchSize
	DefaultParallelizationFactor = streamlink.DefaultParallelizationFactor
	DefaultMaxRetries            = streamlink.DefaultMaxRetries
	DefaultMaxRecordAge          = streamlink.DefaultMaxRecordAge
	DefaultBisectOnError         = streamlink.DefaultBisectOnError
	MaxConsumers                 = streamlink.MaxConsumers
	MaxResourcePolicyBytes       = streamlink.MaxResourcePolicyBytes
)
