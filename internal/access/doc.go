// Package access reviews a synthesized multi-account cloud assembly (cdk.out) offline:
// it lists every grant that crosses an account boundary ([Analyze], rendered by
// [Report.Markdown] for people and as JSON for tools), compares two such reports
// ([Diff]) and draws the accounts and links as a Mermaid flowchart ([GraphOf],
// [GraphFromTopology]).
//
// It reads only what a cloud assembly holds: manifest.json (each stack's account and
// region) and the CloudFormation templates. It never reads the topology file for the
// access report, never calls AWS, and does not link the CDK or jsii, so the
// crosswire command that uses it starts at once.
//
// # What counts as a cross-account grant
//
// Every statement of every resource policy is evaluated, not compared as text:
// SQS queue policies, SNS topic policies, EventBridge bus policies (Statement form
// and the Action/Principal/Condition shorthand), Kinesis resource policies, KMS key
// policies, Lambda permissions, IAM role trust policies, VPC endpoint policies (and
// S3 bucket and Secrets Manager policies where a template has them). An Allow
// statement is split into one grant per principal, and a grant crosses an account
// boundary when its principal is:
//
//   - an account root, role, user or session of another account than the stack's;
//   - "*" narrowed by aws:PrincipalArn, aws:PrincipalAccount naming another account,
//     or by aws:PrincipalOrgID or aws:PrincipalOrgPaths (an organization always
//     holds other accounts);
//   - "*" with no such narrowing (anyone), or NotPrincipal in an Allow;
//   - a service principal whose aws:SourceArn, aws:SourceAccount or aws:SourceOwner
//     names another account or any account, or that no source condition narrows in
//     a resource policy (any account's use of the service). A service principal in a
//     role's trust policy without a source condition is not cross-account: the
//     service assumes the role only for resources of the role's own account that
//     were given the role (iam:PassRole).
//
// A statement whose principal cannot be classified (a federated or canonical user
// principal, an unresolved intrinsic, a resource policy statement without a
// principal) is listed as unclassified with its raw statement; nothing is dropped.
// Deny statements are not grants: each is shown as narrowing the Allows of the same
// resource whose actions and principals it overlaps (the TLS-only Deny on
// aws:SecureTransport=false among them).
package access
