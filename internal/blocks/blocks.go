// Package blocks holds the CDK building blocks that the link constructs share: the
// receiver's queue with its dead-letter queue (NewQueuePair), a queue of its own such
// as a dead-letter or on-failure queue (NewQueue), the customer managed key of a link
// (NewKey), the roles a side's workloads act through, created or imported
// (NewWorkloadRoles), and how a half begins: its link checked and defaulted (Valid),
// its account resolved and checked against its stack (Side.Account). Each builds its
// resources with the defaults every link follows, under the construct IDs its callers
// give, so that logical IDs stay as they are.
package blocks
