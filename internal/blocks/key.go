package blocks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// KeyProps configure a key built by NewKey.
type KeyProps struct {
	// Alias is the key's alias, alias/ and a name computed from the link, so that the
	// other side can find the key.
	Alias string
	// Description says what the key encrypts, for which link.
	Description string
	// Policy is the whole key policy, built in one call (its first statement giving
	// the account's root the key, as the CDK's default does); nil: the CDK's default,
	// to which callers add statements.
	Policy awsiam.PolicyDocument
}

// NewKey creates in scope the customer managed key id of a link: key rotation on,
// removal policy RETAIN (what it encrypted stays readable), with p's alias and
// description. Its key policy is the CDK default, which delegates to the account's
// IAM; callers add the statements that admit other accounts or services.
func NewKey(scope constructs.Construct, id string, p KeyProps) awskms.Key {
	return awskms.NewKey(scope, jsii.String(id), &awskms.KeyProps{
		Description:       jsii.String(p.Description),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		Alias:             jsii.String(p.Alias),
		Policy:            p.Policy,
	})
}
