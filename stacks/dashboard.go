package stacks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/awsarn"
	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// MaxDashboardWidgets is the most widgets a CloudWatch dashboard body may hold.
const MaxDashboardWidgets = 500

// Widget sizes on the dashboard's grid, 24 units wide.
const (
	gridWidth    = 24
	headerHeight = 1
	graphWidth   = 6
	graphHeight  = 6
)

// dashboardRow is one half's row: its title and the names of its alarms.
type dashboardRow struct {
	title  string
	alarms []string
}

// addDashboards gives the main stack of every account and region with alarms the dashboard
// [prefix-]crosswire-<alias>-<region>: a row per link half, with a graph of each of
// its alarms' metrics and thresholds. Dashboards are global to an account, hence the
// region in the name. It fails when a dashboard would hold more widgets than
// CloudWatch allows.
func addDashboards(t *topology.Topology, byName map[string]awscdk.Stack, rowsOf map[string][]dashboardRow) error {
	var problems []string
	for _, a := range t.Accounts {
		for _, region := range t.Regions(a.Alias) {
			main := byName[StackNameIn(t, a.Alias, region)]
			if main == nil {
				continue
			}
			var rows []dashboardRow
			for _, phase := range []Phase{Main, Wiring} {
				rows = append(rows, rowsOf[StackNameIn(t, a.Alias, region, phase)]...)
			}
			if len(rows) == 0 {
				continue
			}
			name := linkkind.DashboardName(linkPrefix(t), a.Alias, region)
			body, widgets := dashboardBody(rows, region, a.ID)
			if p := dashboardQuota(a.Alias, name, widgets); p != "" {
				problems = append(problems, p)
				continue
			}
			awscloudwatch.NewCfnDashboard(main, jsii.String(linkkind.AccountConstruct+"Dashboard"), &awscloudwatch.CfnDashboardProps{
				DashboardName: jsii.String(name),
				DashboardBody: jsii.String(body),
			})
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("stacks: %s", strings.Join(problems, "; "))
	}
	return nil
}

// dashboardBody lays rows out, each a header and its graphs, four to a line, and
// returns the body as JSON with its number of widgets.
func dashboardBody(rows []dashboardRow, region, account string) (string, int) {
	var widgets []map[string]any
	y := 0
	for _, r := range rows {
		widgets = append(widgets, map[string]any{
			"type": "text", "x": 0, "y": y, "width": gridWidth, "height": headerHeight,
			"properties": map[string]any{"markdown": "## " + r.title},
		})
		y += headerHeight
		for i, name := range r.alarms {
			x := (i % (gridWidth / graphWidth)) * graphWidth
			if i > 0 && x == 0 {
				y += graphHeight
			}
			widgets = append(widgets, map[string]any{
				"type": "metric", "x": x, "y": y, "width": graphWidth, "height": graphHeight,
				"properties": map[string]any{
					"title":       name,
					"region":      region,
					"view":        "timeSeries",
					"annotations": map[string]any{"alarms": []string{alarmArn(region, account, name)}},
				},
			})
		}
		y += graphHeight
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	return string(b), len(widgets)
}

// alarmArn is the ARN of the alarm name of account in region.
func alarmArn(region, account, name string) string {
	return fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", awsarn.Partition(region), region, account, name)
}

// dashboardQuota says what is wrong with a dashboard name of account alias that holds
// widgets widgets, or "".
func dashboardQuota(alias, name string, widgets int) string {
	if widgets <= MaxDashboardWidgets {
		return ""
	}
	return fmt.Sprintf("account %s: dashboard %s would hold %d widgets; CloudWatch allows at most %d per dashboard: turn off the alarms of some links (alarms: false) or split the account's links", alias, name, widgets, MaxDashboardWidgets)
}
