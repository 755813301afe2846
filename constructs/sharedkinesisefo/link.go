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
