package pipeline_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/pipeline"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestACodeCommitPipelineWithoutApprovalOrNotifications(t *testing.T) {
	// GIVEN a pipeline whose source is a CodeCommit repository, with one wave of one
	// stage in another account, no approval and no notification topic
	app := cdktest.NewApp(t, "")
	stage := awscdk.NewStage(app, jsii.String("billing"), &awscdk.StageProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")},
	})
	awssqs.NewQueue(awscdk.NewStack(stage, jsii.String("Crosswire-billing"), &awscdk.StackProps{StackName: jsii.String("Crosswire-billing")}),
		jsii.String("Queue"), &awssqs.QueueProps{EnforceSSL: jsii.Bool(true)})
	stack, _ := pipeline.NewStack(app, &pipeline.StackProps{
		StackName: "Crosswire-pipeline", Account: "111111111111", Region: "eu-west-1", Description: "test",
		Source:        pipeline.Source{CodeCommit: "crosswire", Branch: "trunk"},
		SynthCommands: []string{"scripts/setup", "scripts/cdk synth"},
		Waves:         []pipeline.Wave{{Name: "Wave1", Stages: []awscdk.Stage{stage}}},
		RoleBoundary:  "Crosswire-role-boundary",
	})

	// WHEN the pipeline's stack is synthesized
	tpl := cdktest.Template(t, stack)

	// THEN the source action reads the repository's branch
	p := tpl.One(t, "AWS::CodePipeline::Pipeline", map[string]any{}).Props()
	stages := cdktest.JSON(p["Stages"])
	for _, want := range []string{`"Provider":"CodeCommit"`, `"RepositoryName":"crosswire"`, `"BranchName":"trunk"`, `"StackName":"Crosswire-billing"`} {
		if !strings.Contains(stages, want) {
			t.Errorf("stages lack %s: %.2000s", want, stages)
		}
	}
	// AND no person is asked to approve, and nobody is notified
	if strings.Contains(stages, `"Category":"Approval"`) {
		t.Errorf("the pipeline waits for an approval: %.2000s", stages)
	}
	if rules := tpl.Resources("AWS::CodeStarNotifications::NotificationRule"); len(rules) != 0 {
		t.Errorf("notification rules %v", rules)
	}
	// AND every role of the stack has the role boundary
	for _, r := range tpl.Resources("AWS::IAM::Role") {
		if b := cdktest.JSON(r.Props()["PermissionsBoundary"]); !strings.Contains(b, ":iam::111111111111:policy/Crosswire-role-boundary") {
			t.Errorf("%s: permissions boundary %s", r.LogicalID, b)
		}
	}
}
