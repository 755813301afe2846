// Package fakeaws answers the STS and SQS requests that package producer makes, and the
// SNS, EventBridge and Kinesis requests of the smoke test (sns:Publish,
// events:PutEvents, kinesis:PutRecord), so that producers and the smoke test can be
// tested without AWS: no account, no credentials, no network. A Fake is an
// http.RoundTripper (set aws.Config.HTTPClient to Fake.HTTPClient()) and an
// http.Handler (serve it with httptest.NewServer, which listens on 127.0.0.1 only).
//
// It speaks the wire protocols the SDK for Go v2 uses: the query protocol of STS and
// SNS (XML answers), SQS's JSON 1.0 protocol (with the X-Amzn-Query-Error header of
// query-compatible services) and the JSON 1.1 protocol of EventBridge and Kinesis, so
// requests go through the SDK's real serializers, signers, retryers and error
// deserializers. It checks no signature.
package fakeaws

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Prefixes of the key material of the temporary credentials that AssumeRole hands
// out. Tests look for them in output that must never hold secrets.
const (
	AssumedKeyPrefix    = "ASIAFAKEASSUMED"
	AssumedSecretPrefix = "fakeAssumedSecret/"
	AssumedTokenPrefix  = "FakeAssumedSessionToken+"
)

// Operations a Fake answers, as IAM action names. They key Fail and Count.
const (
	AssumeRole        = "sts:AssumeRole"
	GetCallerIdentity = "sts:GetCallerIdentity"
	SendMessage       = "sqs:SendMessage"
	Publish           = "sns:Publish"
	PutEvents         = "events:PutEvents"
	PutRecord         = "kinesis:PutRecord"
	// GetParametersByPath is the smoke test's read of a member account's markers.
	GetParametersByPath = "ssm:GetParametersByPath"
)

// Failure is how the Fake answers an operation instead of succeeding.
type Failure struct {
	// Code is the AWS error code, such as AccessDenied or
	// AWS.SimpleQueueService.NonExistentQueue. With Status it makes an error answer.
	Code string
	// Message is the error message. Default: a message naming the code.
	Message string
	// Status is the HTTP status of the error answer. Default: 400 (403 for AccessDenied,
	// InvalidClientTokenId and ExpiredToken).
	Status int
	// Err makes the transport fail with this error, as a DNS failure or a refused
	// connection would (only through RoundTrip; ServeHTTP answers 502).
	Err error
	// Hang makes the Fake wait until the request's context ends, as an endpoint that
	// never answers does.
	Hang bool
	// Entry makes events:PutEvents answer 200 with FailedEntryCount 1, its entry
	// failed with Code and Message, as EventBridge reports an event it refuses.
	Entry bool
}

// Request is one request the Fake received.
type Request struct {
	// Op is the operation, such as sqs:SendMessage.
	Op string
	// Host is the host the request was sent to.
	Host string
	// AccessKeyID is the access key that signed the request (from the Authorization
	// header).
	AccessKeyID string
	// SessionToken is the X-Amz-Security-Token header.
	SessionToken string
	// Params are the request's parameters: form values for STS and SNS, the
	// top-level JSON fields for SQS, EventBridge and Kinesis (strings as they are,
	// other values, such as PutEvents' Entries, rendered as JSON; blobs such as
	// Kinesis' Data are base64).
	Params map[string]string
}

// Fake is a fake of the STS, SQS, SNS, EventBridge and Kinesis endpoints. Its zero
// value answers every request successfully; it is safe for concurrent use.
type Fake struct {
	// CredentialsLifetime is how long the credentials AssumeRole hands out are valid.
	// Default: the DurationSeconds of the request.
	CredentialsLifetime time.Duration
	// CredentialsLifetimes are the lifetimes of the credentials of the first
	// AssumeRole calls, in order; later calls get CredentialsLifetime. A lifetime
	// within a credentials cache's expiry window makes the cache renew the
	// credentials at the next retrieve, without waiting for time to pass.
	CredentialsLifetimes []time.Duration
	// Callers maps the access key ID of long-term credentials to the ARN that
	// GetCallerIdentity reports for them. Assumed credentials report their
	// assumed-role session. An unknown key gets InvalidClientTokenId.
	Callers map[string]string
	// ContentBasedDeduplication lists the URLs of FIFO queues and the ARNs of FIFO
	// topics that deduplicate by content; others require a MessageDeduplicationId.
	ContentBasedDeduplication map[string]bool
	// Now is the clock of the Fake. Default: time.Now.
	Now func() time.Time
	// Parameters are the SSM parameters ssm:GetParametersByPath finds, by name, with
	// their values. Default: none.
	Parameters map[string]string

	mu       sync.Mutex
	failures map[string]Failure
	requests []Request
	assumed  map[string]string // assumed access key ID -> session ARN
	sent     int               // messages sent to queues
	counts   map[string]int    // successful requests by operation
}

// Fail makes op fail as x says for target: the role ARN of sts:AssumeRole, the queue
// URL of sqs:SendMessage, the topic ARN of sns:Publish, the event bus name (as the
// request gives it) of events:PutEvents, the stream ARN (or name) of
// kinesis:PutRecord, or "" for every target.
func (f *Fake) Fail(op, target string, x Failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failures == nil {
		f.failures = map[string]Failure{}
	}
	f.failures[op+" "+target] = x
}

// Succeed undoes Fail: op answers successfully again for target.
func (f *Fake) Succeed(op, target string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.failures, op+" "+target)
}

// Requests returns the requests received so far, in order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Count returns how many requests of op the Fake received.
func (f *Fake) Count(op string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Op == op {
			n++
		}
	}
	return n
}

// HTTPClient returns an HTTP client whose every request the Fake answers, whatever
// the host: nothing leaves the process.
func (f *Fake) HTTPClient() *http.Client { return &http.Client{Transport: f} }

// RoundTrip answers req as AWS would, or fails as a network would (Failure.Err).
func (f *Fake) RoundTrip(req *http.Request) (*http.Response, error) {
	r, x, err := f.record(req)
	if err != nil {
		return nil, err
	}
	if x != nil {
		switch {
		case x.Hang:
			<-req.Context().Done()
			return nil, req.Context().Err()
		case x.Err != nil:
			return nil, x.Err
		}
	}
	rec := httptest.NewRecorder()
	f.answer(rec, r, x)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// ServeHTTP answers req as AWS would, for use behind an httptest.Server.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r, x, err := f.record(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if x != nil {
		switch {
		case x.Hang:
			<-req.Context().Done()
			return
		case x.Err != nil:
			http.Error(w, x.Err.Error(), http.StatusBadGateway)
			return
		}
	}
	f.answer(w, r, x)
}

// record reads req, records it and returns the failure configured for it.
func (f *Fake) record(req *http.Request) (Request, *Failure, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return Request{}, nil, err
		}
		req.Body.Close()
	}
	r := Request{
		Host:         req.URL.Host,
		AccessKeyID:  accessKeyID(req.Header.Get("Authorization")),
		SessionToken: req.Header.Get("X-Amz-Security-Token"),
		Params:       map[string]string{},
	}
	target := ""
	if t := req.Header.Get("X-Amz-Target"); t != "" {
		prefix, name, ok := strings.Cut(t, ".")
		service := jsonServices[prefix]
		if !ok || service == "" {
			return r, nil, fmt.Errorf("fakeaws: unknown target %q", t)
		}
		r.Op = service + ":" + name
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return r, nil, fmt.Errorf("fakeaws: %s: %v", r.Op, err)
		}
		for k, v := range fields {
			var s string
			if json.Unmarshal(v, &s) == nil {
				r.Params[k] = s
			} else {
				r.Params[k] = string(v)
			}
		}
		switch service {
		case "sqs":
			target = r.Params["QueueUrl"]
		case "events":
			var entries []struct{ EventBusName string }
			json.Unmarshal([]byte(r.Params["Entries"]), &entries)
			if len(entries) > 0 {
				target = entries[0].EventBusName
			}
		case "kinesis":
			target = r.Params["StreamARN"]
			if target == "" {
				target = r.Params["StreamName"]
			}
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return r, nil, fmt.Errorf("fakeaws: %v", err)
		}
		for k := range form {
			r.Params[k] = form.Get(k)
		}
		if form.Get("Version") == snsVersion {
			r.Op = "sns:" + form.Get("Action")
			target = form.Get("TopicArn")
		} else {
			r.Op = "sts:" + form.Get("Action")
			target = form.Get("RoleArn")
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
	for _, key := range []string{r.Op + " " + target, r.Op + " "} {
		if x, ok := f.failures[key]; ok {
			return r, &x, nil
		}
	}
	return r, nil, nil
}

// jsonServices maps the X-Amz-Target prefixes of the JSON protocols to IAM prefixes.
var jsonServices = map[string]string{"AmazonSQS": "sqs", "AWSEvents": "events", "Kinesis_20131202": "kinesis", "AmazonSSM": "ssm"}

// snsVersion is the API version SNS requests give; STS gives 2011-06-15.
const snsVersion = "2010-03-31"

// accessKeyID returns the key ID of a SigV4 Authorization header.
func accessKeyID(auth string) string {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(cred, "/")
	return id
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fake) answer(w http.ResponseWriter, r Request, x *Failure) {
	service, _, _ := strings.Cut(r.Op, ":")
	if x != nil && !(x.Entry && r.Op == PutEvents) {
		f.fail(w, service, *x)
		return
	}
	switch r.Op {
	case AssumeRole:
		f.assumeRole(w, r)
	case GetCallerIdentity:
		f.getCallerIdentity(w, r)
	case SendMessage:
		f.sendMessage(w, r)
	case Publish:
		f.publish(w, r)
	case PutEvents:
		f.putEvents(w, r, x)
	case PutRecord:
		f.putRecord(w, r)
	case GetParametersByPath:
		f.getParametersByPath(w, r)
	default:
		f.fail(w, service, Failure{Code: "InvalidAction", Message: "the fake does not answer " + r.Op})
	}
}

// getParametersByPath answers the Parameters whose names begin with the request's
// Path (with Recursive, as the smoke test asks), in name order, on one page.
func (f *Fake) getParametersByPath(w http.ResponseWriter, r Request) {
	type param struct{ Name, Type, Value string }
	var names []string
	for n := range f.Parameters {
		if strings.HasPrefix(n, r.Params["Path"]) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := struct{ Parameters []param }{Parameters: []param{}}
	for _, n := range names {
		out.Parameters = append(out.Parameters, param{Name: n, Type: "String", Value: f.Parameters[n]})
	}
	f.count(GetParametersByPath)
	writeJSON(w, "application/x-amz-json-1.1", http.StatusOK, out)
}

func (f *Fake) assumeRole(w http.ResponseWriter, r Request) {
	role := r.Params["RoleArn"]
	account, name, ok := roleParts(role)
	if !ok {
		f.fail(w, "sts", Failure{Code: "ValidationError", Message: fmt.Sprintf("%q is not a role ARN", role)})
		return
	}
	f.mu.Lock()
	if f.assumed == nil {
		f.assumed = map[string]string{}
	}
	n := len(f.assumed) + 1
	lifetime := f.CredentialsLifetime
	if n <= len(f.CredentialsLifetimes) {
		lifetime = f.CredentialsLifetimes[n-1]
	}
	if lifetime == 0 {
		var secs int
		fmt.Sscan(r.Params["DurationSeconds"], &secs)
		lifetime = time.Duration(secs) * time.Second
	}
	key := fmt.Sprintf("%s%05d", AssumedKeyPrefix, n)
	session := fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", partition(role), account, name, r.Params["RoleSessionName"])
	f.assumed[key] = session
	f.mu.Unlock()

	type credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	type user struct {
		Arn           string
		AssumedRoleID string `xml:"AssumedRoleId"`
	}
	writeXML(w, http.StatusOK, struct {
		XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
		Result  struct {
			Credentials     credentials
			AssumedRoleUser user
		} `xml:"AssumeRoleResult"`
		RequestID string `xml:"ResponseMetadata>RequestId"`
	}{
		Result: struct {
			Credentials     credentials
			AssumedRoleUser user
		}{
			Credentials: credentials{
				AccessKeyID:     key,
				SecretAccessKey: fmt.Sprintf("%s%d", AssumedSecretPrefix, n),
				SessionToken:    fmt.Sprintf("%s%d", AssumedTokenPrefix, n),
				Expiration:      f.now().Add(lifetime).UTC().Format("2006-01-02T15:04:05.000Z"),
			},
			AssumedRoleUser: user{Arn: session, AssumedRoleID: "AROAFAKE:" + r.Params["RoleSessionName"]},
		},
		RequestID: fmt.Sprintf("fake-assume-role-%d", n),
	})
}

func (f *Fake) getCallerIdentity(w http.ResponseWriter, r Request) {
	f.mu.Lock()
	arn, ok := f.assumed[r.AccessKeyID]
	if !ok {
		arn, ok = f.Callers[r.AccessKeyID]
	}
	f.mu.Unlock()
	if !ok {
		f.fail(w, "sts", Failure{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."})
		return
	}
	parts := strings.SplitN(arn, ":", 6)
	account := ""
	if len(parts) == 6 {
		account = parts[4]
	}
	writeXML(w, http.StatusOK, struct {
		XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
		Arn     string   `xml:"GetCallerIdentityResult>Arn"`
		UserID  string   `xml:"GetCallerIdentityResult>UserId"`
		Account string   `xml:"GetCallerIdentityResult>Account"`
		Request string   `xml:"ResponseMetadata>RequestId"`
	}{Arn: arn, UserID: "AIDAFAKE", Account: account, Request: "fake-get-caller-identity"})
}

func (f *Fake) sendMessage(w http.ResponseWriter, r Request) {
	queue := r.Params["QueueUrl"]
	body := r.Params["MessageBody"]
	if strings.HasSuffix(queue, ".fifo") {
		if r.Params["MessageGroupId"] == "" {
			f.fail(w, "sqs", Failure{Code: "MissingParameter", Message: "The request must contain the parameter MessageGroupId."})
			return
		}
		if r.Params["MessageDeduplicationId"] == "" && !f.ContentBasedDeduplication[queue] {
			f.fail(w, "sqs", Failure{Code: "InvalidParameterValue", Message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"})
			return
		}
	} else if r.Params["MessageDeduplicationId"] != "" {
		f.fail(w, "sqs", Failure{Code: "InvalidParameterValue", Message: "The request include parameter that is not valid for this queue type"})
		return
	}
	f.mu.Lock()
	f.sent++
	n := f.sent
	f.mu.Unlock()
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	sum := md5.Sum([]byte(body))
	out := map[string]string{"MessageId": id, "MD5OfMessageBody": hex.EncodeToString(sum[:])}
	if strings.HasSuffix(queue, ".fifo") {
		out["SequenceNumber"] = fmt.Sprintf("1862%016d", n)
	}
	writeJSON(w, "application/x-amz-json-1.0", http.StatusOK, out)
}

// count counts a successful request of op and returns its number among them.
func (f *Fake) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil {
		f.counts = map[string]int{}
	}
	f.counts[op]++
	return f.counts[op]
}

// publish answers sns:Publish as SNS does, with its checks of FIFO topics.
func (f *Fake) publish(w http.ResponseWriter, r Request) {
	topic := r.Params["TopicArn"]
	fifo := strings.HasSuffix(topic, ".fifo")
	switch {
	case r.Params["Message"] == "":
		f.fail(w, "sns", Failure{Code: "InvalidParameter", Message: "Invalid parameter: Empty message"})
		return
	case fifo && r.Params["MessageGroupId"] == "":
		f.fail(w, "sns", Failure{Code: "InvalidParameter", Message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"})
		return
	case fifo && r.Params["MessageDeduplicationId"] == "" && !f.ContentBasedDeduplication[topic]:
		f.fail(w, "sns", Failure{Code: "InvalidParameter", Message: "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"})
		return
	case !fifo && r.Params["MessageDeduplicationId"] != "":
		f.fail(w, "sns", Failure{Code: "InvalidParameter", Message: "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type"})
		return
	}
	n := f.count(Publish)
	type result struct {
		MessageID      string `xml:"MessageId"`
		SequenceNumber string `xml:",omitempty"`
	}
	res := result{MessageID: fmt.Sprintf("10000000-0000-4000-8000-%012d", n)}
	if fifo {
		res.SequenceNumber = fmt.Sprintf("1000%016d", n)
	}
	writeXML(w, http.StatusOK, struct {
		XMLName   xml.Name `xml:"http://sns.amazonaws.com/doc/2010-03-31/ PublishResponse"`
		Result    result   `xml:"PublishResult"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{Result: res, RequestID: fmt.Sprintf("fake-publish-%d", n)})
}

// putEvents answers events:PutEvents as EventBridge does: every entry needs a source
// that is not an AWS service's (aws.*), a detail type and a detail that is a JSON
// object; an entry that has not, or a Failure with Entry, fails on its own.
func (f *Fake) putEvents(w http.ResponseWriter, r Request, x *Failure) {
	var entries []struct {
		Source, DetailType, Detail, EventBusName string
	}
	if err := json.Unmarshal([]byte(r.Params["Entries"]), &entries); err != nil || len(entries) == 0 {
		f.fail(w, "events", Failure{Code: "ValidationException", Message: "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null"})
		return
	}
	type result struct {
		EventID      string `json:"EventId,omitempty"`
		ErrorCode    string `json:",omitempty"`
		ErrorMessage string `json:",omitempty"`
	}
	out := struct {
		FailedEntryCount int
		Entries          []result
	}{}
	for _, e := range entries {
		var detail map[string]any
		var res result
		switch {
		case x != nil:
			res = result{ErrorCode: x.Code, ErrorMessage: x.Message}
		case e.Source == "":
			res = result{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument."}
		case strings.HasPrefix(e.Source, "aws."):
			res = result{ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source."}
		case e.DetailType == "":
			res = result{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."}
		case json.Unmarshal([]byte(e.Detail), &detail) != nil || detail == nil:
			res = result{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."}
		default:
			res = result{EventID: fmt.Sprintf("20000000-0000-4000-8000-%012d", f.count(PutEvents))}
		}
		if res.ErrorCode != "" {
			out.FailedEntryCount++
		}
		out.Entries = append(out.Entries, res)
	}
	writeJSON(w, "application/x-amz-json-1.1", http.StatusOK, out)
}

// putRecord answers kinesis:PutRecord as Kinesis does.
func (f *Fake) putRecord(w http.ResponseWriter, r Request) {
	data, err := base64.StdEncoding.DecodeString(r.Params["Data"])
	switch {
	case err != nil || len(data) == 0:
		f.fail(w, "kinesis", Failure{Code: "ValidationException", Message: "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length greater than or equal to 1"})
		return
	case r.Params["PartitionKey"] == "":
		f.fail(w, "kinesis", Failure{Code: "ValidationException", Message: "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null"})
		return
	}
	n := f.count(PutRecord)
	writeJSON(w, "application/x-amz-json-1.1", http.StatusOK, map[string]string{
		"ShardId": "shardId-000000000000", "SequenceNumber": fmt.Sprintf("4960%040d", n), "EncryptionType": "KMS",
	})
}

// sqsErrorTypes maps the query-compatible error codes of SQS to the shapes its JSON
// protocol names in __type.
var sqsErrorTypes = map[string]string{
	"AWS.SimpleQueueService.NonExistentQueue": "com.amazonaws.sqs#QueueDoesNotExist",
	"AccessDenied":              "com.amazon.coral.service#AccessDeniedException",
	"KMS.AccessDeniedException": "com.amazonaws.sqs#KmsAccessDenied",
	"InvalidClientTokenId":      "com.amazon.coral.service#UnrecognizedClientException",
	"MissingParameter":          "com.amazonaws.sqs#MissingParameter",
	"InvalidParameterValue":     "com.amazonaws.sqs#InvalidParameterValueException",
}

// fail answers with the error x in the protocol of service (an IAM prefix).
func (f *Fake) fail(w http.ResponseWriter, service string, x Failure) {
	status := x.Status
	if status == 0 {
		status = http.StatusBadRequest
		switch x.Code {
		case "AccessDenied", "InvalidClientTokenId", "ExpiredToken", "AuthorizationError":
			status = http.StatusForbidden
		case "NotFound":
			status = http.StatusNotFound
		}
	}
	msg := x.Message
	if msg == "" {
		msg = "fake " + x.Code
	}
	switch service {
	case "sqs":
		typ, ok := sqsErrorTypes[x.Code]
		if !ok {
			typ = "com.amazonaws.sqs#" + x.Code
		}
		w.Header().Set("X-Amzn-Query-Error", x.Code+";Sender")
		writeJSON(w, "application/x-amz-json-1.0", status, map[string]string{"__type": typ, "message": msg})
	case "events", "kinesis", "ssm":
		writeJSON(w, "application/x-amz-json-1.1", status, map[string]string{"__type": x.Code, "message": msg})
	default:
		namespace := "https://sts.amazonaws.com/doc/2011-06-15/"
		if service == "sns" {
			namespace = "http://sns.amazonaws.com/doc/" + snsVersion + "/"
		}
		writeXML(w, status, struct {
			XMLName xml.Name
			Type    string `xml:"Error>Type"`
			Code    string `xml:"Error>Code"`
			Message string `xml:"Error>Message"`
			Request string `xml:"RequestId"`
		}{XMLName: xml.Name{Space: namespace, Local: "ErrorResponse"}, Type: "Sender", Code: x.Code, Message: msg, Request: "fake-error"})
	}
}

// writeJSON answers v as JSON of contentType with status.
func writeJSON(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeXML(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(v)
}

// roleParts returns the account and name of a role ARN (arn:aws:iam::111:role/path/name).
func roleParts(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	res := parts[5]
	return parts[4], res[strings.LastIndex(res, "/")+1:], true
}

func partition(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 2 {
		return "aws"
	}
	return parts[1]
}
