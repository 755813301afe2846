package policysnap_test

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/policysnap"
)

func TestSnapshot_Format(t *testing.T) {
	// GIVEN two stacks, one with a bucket policy whose resource holds an
	// asset hash and an ampersand, one without policies
	templates := map[string]map[string]any{
		"B-Stack": decodeMap(t, `{"Resources":{"Policy":{"Type":"AWS::S3::BucketPolicy","Properties":{"Bucket":"b",
			"PolicyDocument":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*",
			"Action":["s3:GetObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/`+hashA+`&x.zip"}}}}}}`),
		"A-Stack": decodeMap(t, `{"Resources":{"Bucket":{"Type":"AWS::S3::Bucket"}}}`),
	}

	// WHEN a snapshot is taken
	got, err := policysnap.Snapshot(templates)

	// THEN it is sorted, indented, normalized, unescaped and ends in a newline
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	want := `{
  "A-Stack": [],
  "B-Stack": [
    {
      "logicalId": "Policy",
      "type": "AWS::S3::BucketPolicy",
      "property": "PolicyDocument",
      "attachedTo": {
        "Bucket": "b"
      },
      "document": {
        "Statement": [
          {
            "Action": [
              "s3:GetObject"
            ],
            "Effect": "Allow",
            "Principal": "*",
            "Resource": [
              "arn:aws:s3:::b/<asset-hash>&x.zip"
            ]
          }
        ],
        "Version": "2012-10-17"
      }
    }
  ]
}
`
	if string(got) != want {
		t.Errorf("Snapshot:\n%s", policysnap.Diff(want, string(got)))
	}
}

// baseTemplate is a stack with a role, its policy and a queue policy.
const baseTemplate = `{"Resources":{
	"Role":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Version":"2012-10-17",
		"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}]}}},
	"RoleDefaultPolicy":{"Type":"AWS::IAM::Policy","Properties":{"PolicyName":"p","Roles":[{"Ref":"Role"}],
		"PolicyDocument":{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["sqs:SendMessage","sqs:GetQueueUrl"],"Resource":{"Fn::GetAtt":["Queue","Arn"]}},
			{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"sqs.eu-west-1.amazonaws.com"}}}]}}},
	"QueuePolicy":{"Type":"AWS::SQS::QueuePolicy","Properties":{"Queues":[{"Ref":"Queue"}],
		"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Principal":{"Service":"sns.amazonaws.com"},
			"Resource":{"Fn::GetAtt":["Queue","Arn"]}}]}}}}}`

func TestSnapshot_EquivalentTemplatesAreEqual(t *testing.T) {
	// GIVEN the base template and one with reordered statements and
	// actions, scalars instead of one-element lists and reordered resources
	equivalent := `{"Resources":{
		"QueuePolicy":{"Type":"AWS::SQS::QueuePolicy","Properties":{"Queues":[{"Ref":"Queue"}],
			"PolicyDocument":{"Statement":{"Effect":"Allow","Action":["sqs:SendMessage"],"Principal":{"Service":["sns.amazonaws.com"]},
				"Resource":[{"Fn::GetAtt":["Queue","Arn"]}]}}}},
		"RoleDefaultPolicy":{"Type":"AWS::IAM::Policy","Properties":{"PolicyName":"p","Roles":[{"Ref":"Role"}],
			"PolicyDocument":{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"kms:Decrypt","Resource":["*"],"Condition":{"StringEquals":{"kms:ViaService":["sqs.eu-west-1.amazonaws.com"]}}},
				{"Effect":"Allow","Action":["sqs:GetQueueUrl","sqs:SendMessage"],"Resource":{"Fn::GetAtt":["Queue","Arn"]}}]}}},
		"Role":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Version":"2012-10-17",
			"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":"lambda.amazonaws.com"}}]}}}}}`

	// WHEN snapshots of both are taken
	a, errA := policysnap.Snapshot(map[string]map[string]any{"S": decodeMap(t, baseTemplate)})
	b, errB := policysnap.Snapshot(map[string]map[string]any{"S": decodeMap(t, equivalent)})

	// THEN they are byte for byte equal
	if errA != nil || errB != nil {
		t.Fatalf("Snapshot: %v, %v", errA, errB)
	}
	if d := policysnap.Diff(string(a), string(b)); d != "" {
		t.Errorf("equivalent templates give different snapshots:\n%s", d)
	}
}

func TestSnapshot_PermissionChangeShowsInDiff(t *testing.T) {
	tests := []struct {
		name         string
		old, new     string
		removedLines []string
		addedLines   []string
	}{
		{
			name:       "added action",
			old:        `"Action":["sqs:SendMessage","sqs:GetQueueUrl"]`,
			new:        `"Action":["sqs:SendMessage","sqs:GetQueueUrl","sqs:DeleteMessage"]`,
			addedLines: []string{`+ "sqs:DeleteMessage",`},
		},
		{
			name:         "changed condition value",
			old:          `"kms:ViaService":"sqs.eu-west-1.amazonaws.com"`,
			new:          `"kms:ViaService":"s3.eu-west-1.amazonaws.com"`,
			removedLines: []string{`- "sqs.eu-west-1.amazonaws.com"`},
			addedLines:   []string{`+ "s3.eu-west-1.amazonaws.com"`},
		},
		{
			name:         "changed principal",
			old:          `"Principal":{"Service":"sns.amazonaws.com"}`,
			new:          `"Principal":{"AWS":"*"}`,
			removedLines: []string{`- "Service": [`, `- "sns.amazonaws.com"`},
			addedLines:   []string{`+ "AWS": [`, `+ "*"`},
		},
		{
			name:         "policy attached to another role",
			old:          `"Roles":[{"Ref":"Role"}]`,
			new:          `"Roles":[{"Ref":"AdminRole"}]`,
			removedLines: []string{`- "Ref": "Role"`},
			addedLines:   []string{`+ "Ref": "AdminRole"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN the base template and a copy with a permission change
			changed := strings.Replace(baseTemplate, tt.old, tt.new, 1)
			if changed == baseTemplate {
				t.Fatalf("test input %q not found in template", tt.old)
			}

			// WHEN snapshots of both are taken and diffed
			want, errW := policysnap.Snapshot(map[string]map[string]any{"S": decodeMap(t, baseTemplate)})
			got, errG := policysnap.Snapshot(map[string]map[string]any{"S": decodeMap(t, changed)})
			if errW != nil || errG != nil {
				t.Fatalf("Snapshot: %v, %v", errW, errG)
			}
			diff := policysnap.Diff(string(want), string(got))

			// THEN the diff shows exactly the changed lines (compared
			// without their indentation)
			if diff == "" {
				t.Fatal("permission change did not change the snapshot")
			}
			var removed, added []string
			for _, l := range strings.Split(diff, "\n") {
				switch {
				case strings.HasPrefix(l, "- "):
					removed = append(removed, "- "+strings.TrimSpace(l[2:]))
				case strings.HasPrefix(l, "+ "):
					added = append(added, "+ "+strings.TrimSpace(l[2:]))
				}
			}
			if strings.Join(removed, "\n") != strings.Join(tt.removedLines, "\n") ||
				strings.Join(added, "\n") != strings.Join(tt.addedLines, "\n") {
				t.Errorf("diff shows\nremoved %q\nadded %q\nwant removed %q\nadded %q\nfull diff:\n%s",
					removed, added, tt.removedLines, tt.addedLines, diff)
			}
		})
	}
}

func TestSnapshot_Errors(t *testing.T) {
	// GIVEN a stack whose template has a malformed key policy
	templates := map[string]map[string]any{
		"Good": decodeMap(t, baseTemplate),
		"Bad":  decodeMap(t, `{"Resources":{"K":{"Type":"AWS::KMS::Key","Properties":{"KeyPolicy":"{"}}}}`),
	}

	// WHEN a snapshot is taken
	_, err := policysnap.Snapshot(templates)

	// THEN the error names the stack and the resource
	if err == nil || !strings.HasPrefix(err.Error(), "stack Bad: resource K (AWS::KMS::Key): parse KeyPolicy:") {
		t.Errorf("Snapshot error = %v", err)
	}
}

func TestTemplateFromJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{
			name: "object",
			in:   `{"Resources":{"K":{"Type":"AWS::KMS::Key","Properties":{"PendingWindowInDays":7}}}}`,
			want: "{\"Resources\":{\"K\":{\"Properties\":{\"PendingWindowInDays\":7},\"Type\":\"AWS::KMS::Key\"}}}\n",
		},
		{name: "not an object", in: `[]`, wantErr: "template is not a JSON object"},
		{name: "null", in: `null`, wantErr: "template is not a JSON object"},
		{name: "invalid JSON", in: `{"Resources":`, wantErr: "decode template:"},
		{name: "trailing data", in: `{} {}`, wantErr: "decode template: unexpected data after JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN JSON bytes (tt.in)

			// WHEN they are decoded as a template
			got, err := policysnap.TemplateFromJSON([]byte(tt.in))

			// THEN an object is returned, or an error for anything else
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("TemplateFromJSON error = %v, want prefix %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("TemplateFromJSON: %v", err)
			}
			if c := canonical(t, got); c != tt.want {
				t.Errorf("TemplateFromJSON = %s, want %s", c, tt.want)
			}
		})
	}
}
