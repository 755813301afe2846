package cdktest

// Alarms returns the CloudWatch alarms of tpl by AlarmName, each its properties.
func (tpl Tmpl) Alarms() map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range tpl.Resources("AWS::CloudWatch::Alarm") {
		name, _ := r.Props()["AlarmName"].(string)
		out[name] = r.Props()
	}
	return out
}

// AlarmOn returns the metric, namespace, statistic, threshold and dimensions of an
// alarm as one comparable JSON string.
func AlarmOn(alarm map[string]any) string {
	return JSON([]any{alarm["Namespace"], alarm["MetricName"], alarm["Statistic"], alarm["Threshold"], alarm["Dimensions"]})
}

// Dims builds the Dimensions of an alarm from name, value pairs.
func Dims(nameValue ...any) []any {
	var out []any
	for i := 0; i+1 < len(nameValue); i += 2 {
		out = append(out, map[string]any{"Name": nameValue[i], "Value": nameValue[i+1]})
	}
	return out
}

// Want is the JSON AlarmOn returns for an alarm on metric of namespace.
func Want(namespace, metric, statistic string, threshold float64, dims []any) string {
	return JSON([]any{namespace, metric, statistic, threshold, dims})
}
