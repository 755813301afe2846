package access

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// partition returns the AWS partition of region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// urlSuffix returns the DNS suffix of the partition of region.
func urlSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// resolve turns a template value into a string. Pseudo parameters take the stack's
// values (its account and region are known from the manifest); a Ref or Fn::GetAtt
// of a resource with a physical name takes its name or ARN; whatever the template
// does not determine becomes a ${...} placeholder, such as ${MyKey.Arn} or
// ${Fn::ImportValue}. Only a value of unknown shape (a list, or an object that is
// not an intrinsic function) is an error.
func (s *Stack) resolve(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		for fn, arg := range x {
			switch fn {
			case "Ref":
				name, ok := arg.(string)
				if !ok {
					return "", fmt.Errorf("Ref of %s, want a name", shape(arg))
				}
				return s.ref(name), nil
			case "Fn::GetAtt":
				var id, attr string
				switch a := arg.(type) {
				case []any:
					if len(a) == 2 {
						id, _ = a[0].(string)
						attr, _ = a[1].(string)
					}
				case string:
					id, attr, _ = strings.Cut(a, ".")
				}
				if id == "" || attr == "" {
					return "", fmt.Errorf("Fn::GetAtt of %s, want [LogicalId, Attribute]", shape(arg))
				}
				return s.getAtt(id, attr), nil
			case "Fn::Join":
				a, ok := arg.([]any)
				if !ok || len(a) != 2 {
					return "", fmt.Errorf("Fn::Join of %s, want [separator, [values]]", shape(arg))
				}
				sep, ok := a[0].(string)
				if !ok {
					return "", fmt.Errorf("Fn::Join separator is %s, want a string", shape(a[0]))
				}
				parts, ok := a[1].([]any)
				if !ok {
					return "${Fn::Join}", nil
				}
				out := make([]string, len(parts))
				for i, p := range parts {
					str, err := s.resolve(p)
					if err != nil {
						return "", err
					}
					out[i] = str
				}
				return strings.Join(out, sep), nil
			case "Fn::Sub":
				return s.sub(arg)
			default:
				if strings.HasPrefix(fn, "Fn::") || fn == "Condition" {
					return "${" + fn + "}", nil
				}
			}
		}
	}
	return "", fmt.Errorf("unknown shape %s, want a string or an intrinsic function", shape(v))
}

// ref returns the value of {"Ref": name}.
func (s *Stack) ref(name string) string {
	switch name {
	case "AWS::AccountId":
		return s.Account
	case "AWS::Region":
		return s.Region
	case "AWS::Partition":
		return partition(s.Region)
	case "AWS::URLSuffix":
		return urlSuffix(s.Region)
	case "AWS::StackName":
		return s.Name
	}
	if r := s.resources[name]; r != nil {
		r.compute()
		return r.refValue
	}
	return "${" + name + "}"
}

// getAtt returns the value of {"Fn::GetAtt": [id, attr]}.
func (s *Stack) getAtt(id, attr string) string {
	r := s.resources[id]
	if r == nil {
		return "${" + id + "." + attr + "}"
	}
	r.compute()
	switch {
	case attr == "Arn" && r.Type != "AWS::Kinesis::StreamConsumer",
		attr == "ConsumerARN" && r.Type == "AWS::Kinesis::StreamConsumer",
		attr == "TopicArn" && r.Type == "AWS::SNS::Topic":
		return r.arn
	case attr == "QueueName" && r.Type == "AWS::SQS::Queue", attr == "TopicName" && r.Type == "AWS::SNS::Topic",
		attr == "Name" && r.name != "":
		if r.name != "" {
			return r.name
		}
	case attr == "QueueUrl" && r.Type == "AWS::SQS::Queue":
		return r.refValue
	}
	return "${" + id + "." + attr + "}"
}

// subVariable matches a ${...} variable of Fn::Sub.
var subVariable = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

// sub evaluates Fn::Sub.
func (s *Stack) sub(arg any) (string, error) {
	var text string
	vars := map[string]string{}
	switch a := arg.(type) {
	case string:
		text = a
	case []any:
		if len(a) != 2 {
			return "", fmt.Errorf("Fn::Sub of %s, want a string or [string, {variables}]", shape(arg))
		}
		t, ok := a[0].(string)
		m, ok2 := a[1].(map[string]any)
		if !ok || !ok2 {
			return "", fmt.Errorf("Fn::Sub of %s, want a string or [string, {variables}]", shape(arg))
		}
		text = t
		for k, v := range m {
			str, err := s.resolve(v)
			if err != nil {
				return "", err
			}
			vars[k] = str
		}
	default:
		return "", fmt.Errorf("Fn::Sub of %s, want a string or [string, {variables}]", shape(arg))
	}
	return subVariable.ReplaceAllStringFunc(text, func(m string) string {
		g := subVariable.FindStringSubmatch(m)
		if g[1] == "!" {
			return "${" + g[2] + "}"
		}
		if v, ok := vars[g[2]]; ok {
			return v
		}
		if id, attr, ok := strings.Cut(g[2], "."); ok {
			return s.getAtt(id, attr)
		}
		if strings.HasPrefix(g[2], "AWS::") || s.resources[g[2]] != nil || s.params[g[2]] {
			return s.ref(g[2])
		}
		// An IAM policy variable such as ${aws:username}: kept as it is.
		return m
	}), nil
}

// resolveList resolves a value that is one string or a list of them.
func (s *Stack) resolveList(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		str, err := s.resolve(v)
		if err != nil {
			return nil, err
		}
		return []string{str}, nil
	}
	out := make([]string, 0, len(list))
	for i, el := range list {
		str, err := s.resolve(el)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, str)
	}
	return out, nil
}

// shape describes a JSON value in an error message.
func shape(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case bool, float64:
		return fmt.Sprint(x)
	case []any:
		return fmt.Sprintf("a list of %d", len(x))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, strconv.Quote(k))
		}
		sort.Strings(keys)
		if len(keys) > 4 {
			keys = append(keys[:4], "...")
		}
		return "an object {" + strings.Join(keys, ", ") + "}"
	}
	return fmt.Sprintf("%T", v)
}

// compute works out the physical name, ARN and Ref value of r where the template
// gives them; unknown parts are ${...} placeholders.
func (r *Resource) compute() {
	if r.named {
		return
	}
	r.named = true
	s := r.stack
	p, reg, acct := partition(s.Region), s.Region, s.Account
	str := func(key string) string {
		v, ok := r.props[key]
		if !ok || v == nil {
			return ""
		}
		out, err := s.resolve(v)
		if err != nil {
			return ""
		}
		return out
	}
	unknown := "${" + r.LogicalID + "}"
	nameOr := func(n string) string {
		if n == "" {
			return unknown
		}
		return n
	}
	switch r.Type {
	case "AWS::SQS::Queue":
		r.name = str("QueueName")
		r.arn = fmt.Sprintf("arn:%s:sqs:%s:%s:%s", p, reg, acct, nameOr(r.name))
		r.refValue = fmt.Sprintf("https://sqs.%s.%s/%s/%s", reg, urlSuffix(reg), acct, nameOr(r.name))
	case "AWS::SNS::Topic":
		r.name = str("TopicName")
		r.arn = fmt.Sprintf("arn:%s:sns:%s:%s:%s", p, reg, acct, nameOr(r.name))
		r.refValue = r.arn
	case "AWS::Events::EventBus":
		r.name = str("Name")
		r.arn = fmt.Sprintf("arn:%s:events:%s:%s:event-bus/%s", p, reg, acct, nameOr(r.name))
		r.refValue = nameOr(r.name)
	case "AWS::Events::Rule":
		r.name = str("Name")
		bus := str("EventBusName")
		if i := strings.LastIndex(bus, "/"); i >= 0 {
			bus = bus[i+1:]
		}
		if bus == "" || bus == "default" {
			r.arn = fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", p, reg, acct, nameOr(r.name))
		} else {
			r.arn = fmt.Sprintf("arn:%s:events:%s:%s:rule/%s/%s", p, reg, acct, bus, nameOr(r.name))
		}
		r.refValue = nameOr(r.name)
	case "AWS::Kinesis::Stream":
		r.name = str("Name")
		r.arn = fmt.Sprintf("arn:%s:kinesis:%s:%s:stream/%s", p, reg, acct, nameOr(r.name))
		r.refValue = nameOr(r.name)
	case "AWS::Kinesis::StreamConsumer":
		r.name = str("ConsumerName")
		stream := str("StreamARN")
		if stream == "" {
			stream = "${" + r.LogicalID + ".StreamARN}"
		}
		r.arn = fmt.Sprintf("%s/consumer/%s:${%s.ConsumerCreationTimestamp}", stream, nameOr(r.name), r.LogicalID)
		r.refValue = r.arn
	case "AWS::KMS::Key":
		r.name = s.keyAlias(r.LogicalID)
		r.arn = fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", p, reg, acct, unknown)
		r.refValue = unknown
	case "AWS::IAM::Role":
		r.name = str("RoleName")
		path := str("Path")
		if path == "" {
			path = "/"
		}
		r.arn = fmt.Sprintf("arn:%s:iam::%s:role%s%s", p, acct, path, nameOr(r.name))
		r.refValue = nameOr(r.name)
	case "AWS::Lambda::Function":
		r.name = str("FunctionName")
		r.arn = fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", p, reg, acct, nameOr(r.name))
		r.refValue = nameOr(r.name)
	case "AWS::S3::Bucket":
		r.name = str("BucketName")
		r.arn = fmt.Sprintf("arn:%s:s3:::%s", p, nameOr(r.name))
		r.refValue = nameOr(r.name)
	case "AWS::SecretsManager::Secret":
		r.name = str("Name")
		r.arn = fmt.Sprintf("arn:%s:secretsmanager:%s:%s:secret:%s-${%s.Suffix}", p, reg, acct, nameOr(r.name), r.LogicalID)
		r.refValue = r.arn
	case "AWS::EC2::VPCEndpoint":
		r.name = str("ServiceName")
		r.arn = fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-endpoint/%s", p, reg, acct, unknown)
		r.refValue = unknown
	default:
		r.arn = "${" + r.LogicalID + ".Arn}"
		r.refValue = unknown
	}
}

// keyAlias returns the alias name that an AWS::KMS::Alias of the stack gives the key
// id, or "".
func (s *Stack) keyAlias(id string) string {
	for _, lid := range s.logical {
		r := s.resources[lid]
		if r.Type != "AWS::KMS::Alias" {
			continue
		}
		target := r.props["TargetKeyId"]
		if m, ok := target.(map[string]any); ok {
			ref, _ := m["Ref"].(string)
			var att string
			if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
				att, _ = ga[0].(string)
			}
			if ref == id || att == id {
				name, _ := r.props["AliasName"].(string)
				return name
			}
		}
	}
	return ""
}

// Info describes r for a report.
func (r *Resource) Info() ResourceInfo {
	r.compute()
	s := r.stack
	return ResourceInfo{
		Account: s.Account, Alias: s.Alias, Region: s.Region, Stack: s.Name,
		LogicalID: r.LogicalID, Type: r.Type, Name: r.name, ARN: r.arn, Link: r.Link,
	}
}

// placeholder matches the ${...} parts of a resolved value.
var placeholder = regexp.MustCompile(`\$\{[^}]*\}`)

// wildcarded replaces every ${...} placeholder of s with *, for matching what the
// template leaves unknown.
func wildcarded(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return placeholder.ReplaceAllString(s, "*")
}
