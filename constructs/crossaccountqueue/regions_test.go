package crossaccountqueue_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/constructs/crossaccountqueue"
	"github.com/crosswire/crosswire/internal/cdktest"
)

func TestSenderHalfInItsOwnRegion(t *testing.T) {
	// GIVEN a KMS-encrypted queue in ap-northeast-1 whose sender orders is in us-east-1
	l := crossaccountqueue.Link{Name: "invoices", Region: region, ReceiverAccount: billing,
		SenderAccounts: []string{orders}, SenderRegions: map[string]string{orders: "us-east-1"},
		Options: crossaccountqueue.Options{Encryption: crossaccountqueue.EncryptionKMS}}
	app := cdktest.NewApp(t, "")
	stack := func(id, r string) awscdk.Stack {
		return awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(orders), Region: jsii.String(r)},
		})
	}
	// WHEN the sender half is built in a stack of orders in us-east-1
	s := stack("East", "us-east-1")
	crossaccountqueue.NewSender(s, "invoices", &crossaccountqueue.SenderProps{Link: l})
	// THEN its policy sends to the queue in ap-northeast-1, through SQS of that region
	doc := cdktest.JSON(cdktest.Template(t, s).Resources("AWS::IAM::Policy")[0].Props()["PolicyDocument"])
	for _, want := range []string{
		`"arn:aws:sqs:ap-northeast-1:` + billing + `:invoices"`,
		`"arn:aws:kms:ap-northeast-1:` + billing + `:key/*"`,
		`"kms:ViaService":"sqs.ap-northeast-1.amazonaws.com"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("sender policy lacks %s: %s", want, doc)
		}
	}
	// AND the same half in the queue's region, where orders has no side, is refused
	msg := cdktest.Panics(t, func() {
		crossaccountqueue.NewSender(stack("Tokyo", region), "invoices", &crossaccountqueue.SenderProps{Link: l})
	})
	if !strings.Contains(msg, "us-east-1") {
		t.Errorf("refusal does not name the sender's region: %s", msg)
	}
}
