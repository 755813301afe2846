package queuelink

import "testing"

func TestSenderInAnotherRegion(t *testing.T) {
	// GIVEN a queue in eu-central-1 with one sender in us-east-1 and one in the
	// queue's region
	l := Link{Name: "payouts", Region: "eu-central-1", ReceiverAccount: "111111111111",
		SenderAccounts: []string{"222222222222", "333333333333"},
		SenderRegions:  map[string]string{"222222222222": "us-east-1"}}.WithDefaults()
	// WHEN the queue's ARN and URL and the halves are computed
	// THEN the queue's values name its own region
	if got := l.QueueArn(); got != "arn:aws:sqs:eu-central-1:111111111111:payouts" {
		t.Errorf("QueueArn = %s", got)
	}
	if got := l.QueueURL(); got != "https://sqs.eu-central-1.amazonaws.com/111111111111/payouts" {
		t.Errorf("QueueURL = %s", got)
	}
	// AND each sender half is in its own account's region
	for account, want := range map[string]string{"222222222222": "us-east-1", "333333333333": "eu-central-1", "111111111111": "eu-central-1"} {
		if h := l.Halves(account); len(h) != 1 || h[0].Region != want {
			t.Errorf("halves of %s: %+v, want region %s", account, h, want)
		}
	}
}
