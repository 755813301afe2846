package producer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue/queuelink"
	"github.com/crosswire/crosswire/internal/awsarn"
)

// Class says what the result of a send means for whoever operates the link.
type Class string

const (
	// Delivered means the service accepted the message.
	Delivered Class = "delivered"
	// Denied means a policy or the credentials refused the request (AccessDenied,
	// AccessDeniedException, SNS's AuthorizationError, a KMS access denial of any
	// service, InvalidClientTokenId, an AccessDenied of sts:AssumeRole, ...).
	Denied Class = "denied"
	// Missing means the resource does not exist: the queue (NonExistentQueue), the
	// topic (NotFound), the stream or the event bus (ResourceNotFoundException). The
	// stack that creates it is not deployed (yet).
	Missing Class = "missing"
	// Unreachable means no answer from the endpoint: DNS, connection, TLS or timeout.
	Unreachable Class = "unreachable"
	// Failed is anything else, such as throttling, a server error or a malformed request.
	Failed Class = "failed"
)

// Outcome explains the result of a send. It holds no key material.
type Outcome struct {
	Class Class
	// Action is the IAM action of the request that failed, such as sts:AssumeRole,
	// sqs:SendMessage, sns:Publish, events:PutEvents or kinesis:PutRecord; empty when
	// unknown.
	Action string
	// Code is the AWS error code, such as AccessDenied; empty for network errors.
	Code string
	// Host is the host the failed request went to, when known.
	Host string
	// Message is AWS's error message or the network error, on one line, with anything
	// that looks like key material removed.
	Message string
	// Hint says what to look at: the policy, the endpoint, the stack to deploy.
	Hint string
}

// String renders the outcome on one line, for example
// `denied at sts:AssumeRole (AccessDenied): look at the trust policy of ...; AWS says: ...`.
func (o Outcome) String() string {
	if o.Class == Delivered {
		return string(Delivered)
	}
	var b strings.Builder
	b.WriteString(string(o.Class))
	if o.Class == Missing {
		if stack := ownerStack[o.Service()]; stack != "" {
			fmt.Fprintf(&b, " (deploy the %s stack)", stack)
		}
	}
	if o.Action != "" {
		fmt.Fprintf(&b, " at %s", o.Action)
	}
	if o.Code != "" {
		fmt.Fprintf(&b, " (%s)", o.Code)
	}
	if o.Hint != "" {
		fmt.Fprintf(&b, ": %s", o.Hint)
	}
	if o.Message != "" {
		if o.Code != "" {
			b.WriteString("; AWS says: ")
		} else {
			b.WriteString("; error: ")
		}
		b.WriteString(o.Message)
	}
	return b.String()
}

// ownerStack names, by IAM service prefix, the side of a link whose stack creates the
// resource a request of that service goes to: the receiver's queue, the sender's
// topic, the producer's stream. An event bus is the sender's own (senderBus), which
// Crosswire does not create.
var ownerStack = map[string]string{"sqs": "receiver", "sns": "sender", "kinesis": "producer"}

// serviceNames are the names of services, by IAM prefix, as hints write them.
var serviceNames = map[string]string{"sqs": "SQS", "sts": "STS", "sns": "SNS", "events": "EventBridge", "kinesis": "Kinesis", "kms": "KMS"}

// iamPrefixes maps the SDK's service IDs whose lower case is not the IAM prefix.
var iamPrefixes = map[string]string{"eventbridge": "events"}

// Error codes by class. Query-protocol codes (AccessDenied) and JSON-protocol shape
// names (AccessDeniedException) both occur. KMS codes, which every service names in
// its own way (KMS.AccessDeniedException, KmsAccessDenied, KMSAccessDenied,
// KMSAccessDeniedException, ...), are recognised by isKMS.
var (
	// AuthorizationError is SNS's denial.
	deniedCodes = map[string]bool{
		"AccessDenied": true, "AccessDeniedException": true, "AuthorizationError": true,
		"InvalidClientTokenId": true, "UnrecognizedClientException": true,
		"ExpiredToken": true, "ExpiredTokenException": true,
		"SignatureDoesNotMatch": true, "IncompleteSignature": true,
		"InvalidSecurity": true, "MissingAuthenticationToken": true,
	}
	// credentialCodes are the denials of the credentials themselves, not of a policy.
	credentialCodes = map[string]bool{
		"InvalidClientTokenId": true, "UnrecognizedClientException": true,
		"ExpiredToken": true, "ExpiredTokenException": true,
		"SignatureDoesNotMatch": true, "IncompleteSignature": true,
		"InvalidSecurity": true, "MissingAuthenticationToken": true,
	}
	// SQS: no such queue; SNS: no such topic; Kinesis: no such stream; EventBridge:
	// no such event bus.
	missingCodes = map[string]bool{
		"AWS.SimpleQueueService.NonExistentQueue": true, "QueueDoesNotExist": true,
		"NotFound": true, "NotFoundException": true,
		"ResourceNotFoundException": true,
	}
)

// isKMS reports whether code is an error of the KMS key behind the resource, in the
// spelling of any service.
func isKMS(code string) bool { return strings.HasPrefix(strings.ToLower(code), "kms") }

// isKMSDenied reports whether code says that the key's policy or the caller's
// identity policy refused the use of the key.
func isKMSDenied(code string) bool {
	return isKMS(code) && strings.Contains(strings.ToLower(code), "accessdenied")
}

// Service returns the IAM prefix of the failed action, such as sqs or events, or ""
// when the action is unknown.
func (o Outcome) Service() string {
	service, _, _ := strings.Cut(o.Action, ":")
	return service
}

// CredentialsRejected reports whether the service refused the credentials themselves
// (unknown, expired or badly signed), rather than a policy the request.
func (o Outcome) CredentialsRejected() bool { return o.Class == Denied && credentialCodes[o.Code] }

// KeyDenied reports whether the request was denied the use of a KMS key: look at
// the key policy and at the caller's KMS permissions rather than at the resource's
// policy.
func (o Outcome) KeyDenied() bool { return o.Class == Denied && isKMSDenied(o.Code) }

// Classify explains err, an error of an AWS SDK call (nil means delivered), without
// knowing the link: its class, the failed action, the code and, for network errors, a
// hint. Client.Explain adds the link's policies to look at.
func Classify(err error) Outcome { return classify(err, nil) }

// ClassifyAt is Classify for requests sent to endpoints, the URLs by IAM prefix of the
// services called (such as sns and sts): it names the host of the failed request when
// the error does not, as when the request ran out of time.
func ClassifyAt(err error, endpoints map[string]string) Outcome {
	return classify(err, func(service string) string {
		if u, perr := url.Parse(endpoints[service]); perr == nil {
			return u.Hostname()
		}
		return ""
	})
}

// classify is Classify; hostOf, when not nil, names the host a request of service
// (sqs, sts, ...) went to when the error does not say.
func classify(err error, hostOf func(service string) string) Outcome {
	if err == nil {
		return Outcome{Class: Delivered}
	}
	o := Outcome{Class: Failed, Action: failedAction(err)}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		if u, perr := url.Parse(uerr.URL); perr == nil {
			o.Host = u.Hostname()
		}
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		o.Code = api.ErrorCode()
		o.Message = clean(api.ErrorMessage())
		switch {
		case deniedCodes[o.Code], isKMSDenied(o.Code):
			o.Class = Denied
		case missingCodes[o.Code]:
			o.Class = Missing
		case isKMS(o.Code) && !strings.Contains(strings.ToLower(o.Code), "throttl"):
			o.Hint = fmt.Sprintf("%s could not use the KMS key that encrypts the resource: the key is disabled, pending deletion, deleted or not usable for this (%s); look at the key in KMS", serviceName(o.Service()), o.Code)
		}
		return o
	}
	o.Message = clean(innermost(err).Error())
	prefix := o.Service()
	if o.Host == "" && hostOf != nil && prefix != "" {
		o.Host = hostOf(prefix)
	}
	service := serviceName(prefix)
	var dns *net.DNSError
	var netErr net.Error
	var opErr *net.OpError
	var sendErr *smithyhttp.RequestSendError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	switch {
	case errors.As(err, &dns):
		o.Class = Unreachable
		if dns.Name != "" {
			o.Host = dns.Name
		}
		o.Hint = fmt.Sprintf("%s does not resolve: in a VPC without internet access %s needs an interface VPC endpoint with private DNS enabled "+
			"(and DNS support and DNS hostnames on the VPC), or give the endpoint-specific DNS name of the endpoint%s", hostOr(o.Host), service, notCreated(prefix))
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &authErr):
		o.Class = Unreachable
		o.Hint = fmt.Sprintf("TLS to %s failed: name the endpoint by its DNS name, not an IP address, and look for a TLS-intercepting proxy", hostOr(o.Host))
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		o.Class = Unreachable
		o.Hint = fmt.Sprintf("no answer from %s in time: in a VPC without internet access the security group of the %s interface endpoint must admit TCP 443 from this host, "+
			"and this host must be allowed out to it%s", hostOr(o.Host), service, notCreated(prefix))
	case errors.As(err, &opErr), errors.As(err, &sendErr):
		o.Class = Unreachable
		o.Hint = fmt.Sprintf("no connection to %s: check the endpoint URL, the security groups and any proxy (HTTPS_PROXY) in between", hostOr(o.Host))
	}
	if o.Class == Unreachable && awsarn.IsLegacySQSHost(o.Host) {
		o.Hint = fmt.Sprintf("%s is the legacy SQS endpoint, which the private DNS of an SQS VPC endpoint does not cover: use https://sqs.<region>.amazonaws.com; %s", o.Host, o.Hint)
	}
	return o
}

// serviceName names the service of an IAM prefix for people: SNS, EventBridge, ...
func serviceName(prefix string) string {
	switch {
	case serviceNames[prefix] != "":
		return serviceNames[prefix]
	case prefix != "":
		return strings.ToUpper(prefix)
	}
	return "the service"
}

// notCreated adds, for the services whose interface VPC endpoints Crosswire does not
// create, that privateAccess creates only SQS and STS endpoints.
func notCreated(prefix string) string {
	switch prefix {
	case "", "sqs", "sts":
		return ""
	}
	return fmt.Sprintf(" (privateAccess creates only SQS and STS endpoints; create the %s endpoint yourself)", serviceName(prefix))
}

func hostOr(host string) string {
	if host == "" {
		return "the endpoint"
	}
	return host
}

// failedAction returns the IAM action of the innermost AWS operation in err's chain:
// sts:AssumeRole when credentials could not be had for an SQS call. The SDK's service
// ID names the service (EventBridge); the action uses the IAM prefix (events).
func failedAction(err error) string {
	action := ""
	var op *smithy.OperationError
	for e := err; errors.As(e, &op); e = op.Err {
		prefix := strings.ToLower(op.ServiceID)
		if p, ok := iamPrefixes[prefix]; ok {
			prefix = p
		}
		action = prefix + ":" + op.OperationName
	}
	return action
}

// innermost returns the error at the end of err's chain of single wrappers.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

const maxMessage = 400

// clean puts s on one line, removes key material and shortens it.
func clean(s string) string {
	s = strings.Join(strings.Fields(Redact(s)), " ")
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage]) + "…"
	}
	return s
}

var keyMaterial = []*regexp.Regexp{
	// Access key IDs of long-term and temporary credentials.
	regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b`),
	// Session tokens and other long base64 runs.
	regexp.MustCompile(`[A-Za-z0-9/+=]{80,}`),
	// Values that follow the name of a secret.
	regexp.MustCompile(`(?i)((?:secret[_ -]?access[_ -]?key|session[_ -]?token|security[_ -]?token|signature)["']?\s*[=:]\s*["']?)[^\s"',&;]+`),
}

// Redact replaces in s anything that looks like key material (access key IDs, secret
// keys and session tokens after their names, long base64 runs) by [redacted].
func Redact(s string) string {
	s = keyMaterial[0].ReplaceAllString(s, "[redacted]")
	s = keyMaterial[1].ReplaceAllString(s, "[redacted]")
	return keyMaterial[2].ReplaceAllString(s, "${1}[redacted]")
}

// Explain explains err, returned by Send (nil means delivered), for this link: on top
// of Classify it names the policies to look at when the request was denied, and the
// stack to deploy when the queue is missing.
func (c *Client) Explain(err error) Outcome {
	o := classify(err, c.hostOf)
	l := c.link
	switch o.Class {
	case Denied:
		o.Hint = c.deniedHint(o)
	case Missing:
		o.Hint = fmt.Sprintf("no queue %s in account %s; deploy the receiver stack of link %s there", l.QueueName(), l.ReceiverAccount, l.Name)
	}
	return o
}

// hostOf returns the host of the client's endpoint of service (sqs or sts).
func (c *Client) hostOf(service string) string {
	endpoint := c.opts.Endpoint
	if service == "sts" {
		endpoint = c.opts.STSEndpoint
	}
	if u, err := url.Parse(endpoint); err == nil {
		return u.Hostname()
	}
	return ""
}

func (c *Client) deniedHint(o Outcome) string {
	l := c.link
	assume := l.Access == queuelink.AccessAssumeRole
	var hint string
	switch {
	case credentialCodes[o.Code] && o.Action == "sts:AssumeRole":
		hint = "STS rejected the sender's own credentials: renew them, and check they are credentials of the partition of " + l.Region
	case credentialCodes[o.Code] && assume:
		hint = fmt.Sprintf("SQS rejected the temporary credentials of %s: they expired or were revoked; assume the role again", l.AccessRoleArn())
	case credentialCodes[o.Code]:
		hint = "SQS rejected the sender's credentials: renew them, and check they are credentials of the partition of " + l.Region
	case o.Action == "sts:AssumeRole":
		hint = fmt.Sprintf("look at the trust policy of %s in %s", l.AccessRoleArn(), l.ReceiverAccount)
		if l.ExternalID != "" {
			hint += " (and the external ID the sender gives)"
		}
		hint += fmt.Sprintf(" and at sts:AssumeRole in the identity policy of %s; if the receiver stack is not deployed yet, the role does not exist", c.senderRole())
	case o.KeyDenied() && assume:
		hint = fmt.Sprintf("look at the key policy of alias/%s in %s and the identity policy of %s", l.NamePrefix+l.Name, l.ReceiverAccount, l.AccessRoleArn())
	case o.KeyDenied():
		hint = fmt.Sprintf("look at the key policy of alias/%s in %s and the identity policy of %s", l.NamePrefix+l.Name, l.ReceiverAccount, c.senderRole())
	case assume:
		hint = fmt.Sprintf("look at the identity policy of %s in %s (its policy send)", l.AccessRoleArn(), l.ReceiverAccount)
	default:
		hint = fmt.Sprintf("look at the queue policy of %s in %s and the identity policy of %s", l.QueueName(), l.ReceiverAccount, c.senderRole())
	}
	return WithPolicyNamedByAWS(o, hint)
}

// WithPolicyNamedByAWS returns hint, the policies of the link to look at for the
// denied outcome o, preceded by the kind of policy AWS's message names when that is
// one outside the link's stacks: a VPC endpoint policy, an organization's service or
// resource control policy, a permissions boundary or a session policy.
func WithPolicyNamedByAWS(o Outcome, hint string) string {
	msg := strings.ToLower(o.Message)
	for _, p := range []struct{ needle, what string }{
		{"vpc endpoint policy", "the endpoint policy of the VPC endpoint the request went through"},
		{"service control policy", "a service control policy of the organization"},
		{"resource control policy", "a resource control policy of the organization"},
		{"permissions boundary", "the permissions boundary of the caller"},
		{"session policy", "the session policy of the caller"},
	} {
		if strings.Contains(msg, p.needle) {
			return "AWS names " + p.what + "; otherwise " + hint
		}
	}
	return hint
}

// senderRole names the sender role that makes the requests: the caller's role once
// Describe has run, the sender account's roles when it is known, every sender role of
// the link otherwise.
func (c *Client) senderRole() string {
	l := c.link
	c.mu.Lock()
	source := c.source
	c.mu.Unlock()
	if role := RoleOfCaller(source); role != "" {
		return role
	}
	if c.opts.SenderAccount != "" {
		return strings.Join(l.SenderRolesOf(c.opts.SenderAccount), " or ")
	}
	return strings.Join(l.AllSenderRoles(), " or ")
}

// RoleOfCaller returns the role ARN behind a caller ARN
// (arn:aws:sts::111111111111:assumed-role/name/session), the ARN itself for an IAM user,
// or "" when arn is empty or neither.
func RoleOfCaller(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	switch {
	case parts[2] == "sts" && strings.HasPrefix(parts[5], "assumed-role/"):
		// The session ARN drops the role's path; the role is named without it.
		name := strings.Split(parts[5], "/")[1]
		return fmt.Sprintf("arn:%s:iam::%s:role/%s", parts[1], parts[4], name)
	case parts[2] == "iam":
		return arn
	}
	return ""
}
