package policysnap_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/policysnap"
)

const hashA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
const hashB = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

func TestNormalize_EquivalentDocumentsAreEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{
			name: "reordered statements",
			a: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
				{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`,
			b: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"},
				{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
		},
		{
			name: "reordered and duplicated actions",
			a:    `{"Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:GetQueueUrl"],"Resource":"*"}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":["sqs:GetQueueUrl","sqs:SendMessage","sqs:GetQueueUrl"],"Resource":"*"}]}`,
		},
		{
			name: "scalar action and resource versus one-element lists",
			a:    `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}`,
		},
		{
			name: "single statement object versus list",
			a:    `{"Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"x"}}`,
			b:    `{"Statement":[{"Effect":"Allow","NotAction":["iam:*"],"NotResource":["x"]}]}`,
		},
		{
			name: "intrinsic resource versus one-element list",
			a:    `{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":{"Fn::GetAtt":["Queue","Arn"]}}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":[{"Fn::GetAtt":["Queue","Arn"]}]}]}`,
		},
		{
			name: "resources with intrinsics reordered",
			a: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":[
				{"Fn::GetAtt":["Bucket","Arn"]},"arn:aws:s3:::x",{"Fn::Join":["",[{"Fn::GetAtt":["Bucket","Arn"]},"/*"]]}]}]}`,
			b: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":[
				{"Fn::Join":["",[{"Fn::GetAtt":["Bucket","Arn"]},"/*"]]},"arn:aws:s3:::x",{"Fn::GetAtt":["Bucket","Arn"]}]}]}`,
		},
		{
			name: "principal values scalar versus reordered lists",
			a:    `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com","AWS":["arn:b","arn:a"]}}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":["arn:a","arn:b","arn:a"],"Service":["lambda.amazonaws.com"]}}]}`,
		},
		{
			name: "condition values scalar versus reordered lists",
			a:    `{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":["s3.eu-west-1.amazonaws.com","sqs.eu-west-1.amazonaws.com"],"aws:PrincipalAccount":"111111111111"},"Bool":{"aws:SecureTransport":"true"}}}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":["true"]},"StringEquals":{"aws:PrincipalAccount":["111111111111"],"kms:ViaService":["sqs.eu-west-1.amazonaws.com","s3.eu-west-1.amazonaws.com"]}}}]}`,
		},
		{
			name: "different asset hashes",
			a:    `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/` + hashA + `.zip"}]}`,
			b:    `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/` + hashB + `.zip"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN two documents that grant the same permissions
			a, b := decode(t, tt.a), decode(t, tt.b)

			// WHEN both are normalized
			na, nb := policysnap.Normalize(a), policysnap.Normalize(b)

			// THEN their canonical encodings are identical
			if ga, gb := canonical(t, na), canonical(t, nb); ga != gb {
				t.Errorf("normalized documents differ:\n a: %s b: %s", ga, gb)
			}
		})
	}
}

func TestNormalize_DifferentPermissionsDiffer(t *testing.T) {
	base := `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*",
		"Principal":{"AWS":"arn:aws:iam::111111111111:root"},
		"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`
	tests := []struct {
		name    string
		changed string
	}{
		{
			name: "added action",
			changed: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*",
				"Principal":{"AWS":"arn:aws:iam::111111111111:root"},
				"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`,
		},
		{
			name: "changed condition value",
			changed: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*",
				"Principal":{"AWS":"arn:aws:iam::111111111111:root"},
				"Condition":{"StringEquals":{"aws:SourceAccount":"222222222222"}}}]}`,
		},
		{
			name: "changed principal",
			changed: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*",
				"Principal":{"AWS":"*"},
				"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`,
		},
		{
			name: "effect flipped",
			changed: `{"Statement":[{"Effect":"Deny","Action":["s3:GetObject"],"Resource":"*",
				"Principal":{"AWS":"arn:aws:iam::111111111111:root"},
				"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`,
		},
		{
			name: "condition removed",
			changed: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*",
				"Principal":{"AWS":"arn:aws:iam::111111111111:root"}}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a document and a variant with a real permission change
			a, b := decode(t, base), decode(t, tt.changed)

			// WHEN both are normalized
			na, nb := policysnap.Normalize(a), policysnap.Normalize(b)

			// THEN their canonical encodings differ
			if canonical(t, na) == canonical(t, nb) {
				t.Errorf("normalization hid a permission change: %s", canonical(t, na))
			}
		})
	}
}

func TestNormalize_CanonicalForm(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "strings sort before intrinsics and intrinsics by JSON",
			in:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":[{"Ref":"B"},"z","a",{"Fn::GetAtt":["A","Arn"]}]}}`,
			want: `{"Statement":[{"Action":["s3:*"],"Effect":"Allow","Resource":["a","z",{"Fn::GetAtt":["A","Arn"]},{"Ref":"B"}]}],"Version":"2012-10-17"}`,
		},
		{
			name: "bare star principal stays a string",
			in:   `{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Principal":"*"}]}`,
			want: `{"Statement":[{"Action":["sqs:SendMessage"],"Effect":"Allow","Principal":"*"}]}`,
		},
		{
			name: "boolean condition value becomes a list",
			in:   `{"Statement":[{"Effect":"Deny","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`,
			want: `{"Statement":[{"Action":["s3:*"],"Condition":{"Bool":{"aws:SecureTransport":[false]}},"Effect":"Deny"}]}`,
		},
		{
			name: "Fn::If principal keeps its argument order",
			in:   `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Fn::If":["C",{"AWS":"z"},{"AWS":"a"}]}}]}`,
			want: `{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Fn::If":["C",{"AWS":"z"},{"AWS":"a"}]}}]}`,
		},
		{
			name: "Fn::If action is not wrapped",
			in:   `{"Statement":[{"Effect":"Allow","Action":{"Fn::If":["C","s3:*","s3:Get*"]}}]}`,
			want: `{"Statement":[{"Action":{"Fn::If":["C","s3:*","s3:Get*"]},"Effect":"Allow"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a document
			in := decode(t, tt.in)

			// WHEN it is normalized
			got := canonical(t, policysnap.Normalize(in))

			// THEN it has the canonical form
			if want := canonical(t, decode(t, tt.want)); got != want {
				t.Errorf("Normalize:\n got: %s want: %s", got, want)
			}
		})
	}
}

func TestNormalize_AssetHashes(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		{
			name: "asset object key",
			in:   hashA + ".zip",
			want: "<asset-hash>.zip",
		},
		{
			name: "bootstrap bucket name stays",
			in:   "cdk-hnb659fds-assets-111111111111-eu-west-1",
			want: "cdk-hnb659fds-assets-111111111111-eu-west-1",
		},
		{
			name: "container image tag in an ARN",
			in:   "111111111111.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets:" + hashB,
			want: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets:<asset-hash>",
		},
		{
			name: "63 hex digits are not a hash",
			in:   hashA[:63] + ".zip",
			want: hashA[:63] + ".zip",
		},
		{
			name: "hash inside an intrinsic",
			in:   map[string]any{"Fn::Join": []any{"", []any{"arn:aws:s3:::", map[string]any{"Ref": "B"}, "/" + hashA + ".json"}}},
			want: map[string]any{"Fn::Join": []any{"", []any{"arn:aws:s3:::", map[string]any{"Ref": "B"}, "/<asset-hash>.json"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a value that may contain an asset hash (in tt.in)

			// WHEN it is normalized
			got := policysnap.Normalize(tt.in)

			// THEN only 64-hex-digit runs are replaced
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize_DoesNotMutateInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{
			name: "statement object with scalars",
			in:   `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + hashA + `","Principal":{"AWS":"b"}}}`,
		},
		{
			name: "unsorted lists and conditions",
			in: `{"Statement":[{"Effect":"Allow","Action":["b","a","b"],"Resource":["z","y"],
				"Principal":{"Service":["s2","s1"]},"Condition":{"StringLike":{"k":["v2","v1"]}}},
				{"Effect":"Deny","Action":"a"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN a document and an independent copy of it
			in := decode(t, tt.in)
			before := decode(t, tt.in)

			// WHEN it is normalized and the result is modified
			out := policysnap.Normalize(in)
			scribble(out)

			// THEN the input is unchanged
			if !reflect.DeepEqual(in, before) {
				t.Errorf("input changed:\n got: %s want: %s", canonical(t, in), canonical(t, before))
			}
		})
	}
}

// scribble overwrites every string and map entry reachable from v.
func scribble(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, el := range v {
			scribble(el)
			v[k] = "scribbled"
		}
		v["added"] = true
	case []any:
		for i, el := range v {
			scribble(el)
			v[i] = "scribbled"
		}
	}
}

func TestNormalize_NonGenericGoValues(t *testing.T) {
	// GIVEN a document built from typed Go values rather than decoded JSON
	in := map[string]any{"Statement": []map[string]any{{"Effect": "Allow", "Action": []string{"b", "a"}}}}

	// WHEN it is normalized
	got := canonical(t, policysnap.Normalize(in))

	// THEN it is normalized like its JSON form
	if want := "{\"Statement\":[{\"Action\":[\"a\",\"b\"],\"Effect\":\"Allow\"}]}\n"; got != want {
		t.Errorf("Normalize = %s, want %s", got, want)
	}
	if !strings.Contains(canonical(t, in), `["b","a"]`) {
		t.Errorf("input changed: %s", canonical(t, in))
	}
}
