package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crosswire/crosswire/producer"
)

// origin is where the requests of one link start from: the credentials' own
// identity, or the link's sender role assumed with them (-assume-sender-role).
type origin struct {
	link string
	who  sender
	// role is the sender, publisher or producer role assumed with
	// -assume-sender-role, or "".
	role string
	// what names the role's part in the link: sender role, publisher role or
	// producer role.
	what string
}

// String describes the credentials the link's requests start from.
func (o origin) String() string {
	switch {
	case o.role != "":
		return fmt.Sprintf("%s %s (session %s)", o.what, o.role, sessionName(o.link))
	case o.who.caller != "":
		return fmt.Sprintf("%s (%s)", producer.OwnCredentials, o.who.caller)
	default:
		return producer.OwnCredentials
	}
}

// requester returns the role (or user) whose identity policy applies to the link's
// requests: the assumed sender role, the caller's role, or otherwise when neither
// is known (with -as-account).
func (o origin) requester(otherwise string) string {
	if o.role != "" {
		return o.role
	}
	if r := producer.RoleOfCaller(o.who.caller); r != "" {
		return r
	}
	return otherwise
}

// asSender returns cfg with the credentials the link's requests use: with
// -assume-sender-role those of role, assumed with cfg's own; otherwise cfg's own. what
// names the role's part in the link (sender role, publisher role, producer role).
// When the role cannot be assumed it returns the line to print instead.
func asSender(ctx context.Context, cfg aws.Config, s settings, link string, who sender, role, what string) (aws.Config, origin, string) {
	o := origin{link: link, who: who, what: what}
	if !s.assumeSenderRole {
		return cfg, o, ""
	}
	o.role = role
	creds, err := assumeSenderRole(ctx, cfg, s, role, sessionName(link))
	if err != nil {
		return cfg, o, fmt.Sprintf("%s; endpoint %s; identity %s", explainSenderRole(err, o), s.stsEndpoint, o)
	}
	cfg = cfg.Copy()
	cfg.Credentials = creds
	return cfg, o, ""
}

// assumeSenderRole assumes role with the credentials of cfg and returns the cached
// credentials of the session, already retrieved once so that a refusal shows here and
// not as a failure of the link's own AssumeRole or send.
func assumeSenderRole(ctx context.Context, cfg aws.Config, s settings, role, session string) (aws.CredentialsProvider, error) {
	client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.stsEndpoint) })
	creds := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(client, role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
	}))
	if _, err := creds.Retrieve(ctx); err != nil {
		return nil, err
	}
	return creds, nil
}

// explainSenderRole explains why the role of from could not be assumed.
func explainSenderRole(err error, from origin) string {
	o := producer.Classify(err)
	if o.Class == producer.Denied && o.Code == "AccessDenied" {
		o.Hint = producer.WithPolicyNamedByAWS(o, fmt.Sprintf("look at the trust policy of the %s %s in %s and at sts:AssumeRole in the identity policy of %s; if the sender stack is not deployed yet, the role does not exist",
			from.what, from.role, from.who.id, callerOr(from.who.caller, "the credentials")))
	}
	return o.String()
}

// sessionName names the role sessions of the smoke test, so that CloudTrail tells test
// messages from production.
func sessionName(link string) string {
	s := "crosswire-send-" + link
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

func callerOr(caller, otherwise string) string {
	if caller == "" {
		return otherwise
	}
	return caller
}

// credentialsHint says what to do when service rejected the credentials of o.
func credentialsHint(service string, o origin, region string) string {
	if o.role != "" {
		return fmt.Sprintf("%s rejected the temporary credentials of %s: they expired or were revoked; run again", service, o.role)
	}
	return fmt.Sprintf("%s rejected the sender's credentials: renew them, and check they are credentials of the partition of %s", service, region)
}

// notAdmitted returns a note when the caller runs as a role that is none of roles,
// the only ones the link lets send (admits describes them, such as "which admits
// only %s"), or "" when it is one of them, or unknown, or the sender role was assumed.
func notAdmitted(o origin, what, admits string, roles []string) string {
	if o.role != "" || o.who.caller == "" {
		return ""
	}
	role := callerRole(o.who.caller)
	if role == "" || slices.ContainsFunc(roles, func(a string) bool { return sameRole(a, role) }) {
		return ""
	}
	return fmt.Sprintf("note: the caller is not a %s of link %s, %s; run as that role or give -assume-sender-role",
		what, o.link, fmt.Sprintf(admits, strings.Join(roles, " or ")))
}

// callerRole returns the role name of an assumed-role caller ARN, or "".
func callerRole(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "sts" || !strings.HasPrefix(parts[5], "assumed-role/") {
		return ""
	}
	return strings.Split(parts[5], "/")[1]
}

// sameRole reports whether the role ARN arn is named name (an assumed-role session
// names its role without the path).
func sameRole(arn, name string) bool {
	return arn[strings.LastIndex(arn, "/")+1:] == name
}

// randomID returns 32 random hex digits, a deduplication ID for FIFO topics.
func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
