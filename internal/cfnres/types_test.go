package cfnres_test

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/cfnres"
)

func TestAPolicyOfAnUnknownTypeIsAnErrorNotSkipped(t *testing.T) {
	cases := []struct {
		name, resources, wantErr string
	}{
		{"unknown type holding a policy object",
			`{"Domain":{"Type":"AWS::OpenSearchService::Domain","Properties":{"AccessPolicies":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"es:*"}]}}}}`,
			"resource Domain of type AWS::OpenSearchService::Domain holds a policy document at Properties.AccessPolicies"},
		{"unknown type holding a policy as a JSON string",
			`{"Repo":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryPolicyText":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}]}"}}}`,
			"at Properties.RepositoryPolicyText"},
		{"unknown type without a policy", `{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Handler":"x"}},"Log":{"Type":"AWS::Logs::LogGroup"}}`, ""},
		{"known type", `{"P":{"Type":"AWS::SQS::QueuePolicy","Properties":{"Queues":["q"],"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage"}]}}}}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a template with the resources
			tpl, err := cfnres.TemplateFromJSON([]byte(`{"Resources":` + c.resources + `}`))
			if err != nil {
				t.Fatal(err)
			}
			// WHEN its policies are extracted
			_, err = cfnres.Extract(tpl)
			// THEN a policy the table does not know is an error naming the resource, its
			// type and the property, and anything else passes
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("Extract: %v, want no error", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("Extract: %v, want an error with %q", err, c.wantErr)
			}
		})
	}
}

func TestEveryPolicyOfTheResourcePoliciesCountsAgainstAQuota(t *testing.T) {
	// GIVEN the types whose policies Crosswire's own stacks create
	used := []struct{ typ, property string }{
		{"AWS::IAM::Role", "AssumeRolePolicyDocument"}, {"AWS::IAM::Role", "Policies/x"},
		{"AWS::IAM::Policy", "PolicyDocument"}, {"AWS::SQS::QueuePolicy", "PolicyDocument"},
		{"AWS::SNS::TopicPolicy", "PolicyDocument"}, {"AWS::KMS::Key", "KeyPolicy"},
		{"AWS::Events::EventBusPolicy", "Statement"}, {"AWS::Kinesis::ResourcePolicy", "ResourcePolicy"},
		{"AWS::Lambda::Permission", "Properties"}, {"AWS::EC2::VPCEndpoint", "PolicyDocument"},
	}
	for _, u := range used {
		// WHEN the table is asked for the quota of one of their documents
		r := cfnres.Types[u.typ].QuotaOf(u.property)
		// THEN there is one, and a role's trust policy has the trust quota
		if r == nil || r.Quota == nil {
			t.Errorf("%s %s counts against no quota", u.typ, u.property)
			continue
		}
		if u.property == "AssumeRolePolicyDocument" && r.Quota.Name != cfnres.TrustPolicy.Name {
			t.Errorf("trust policy counts against %s", r.Quota.Name)
		}
	}
}
