package sendcmd

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/crosswire/crosswire/linkkind"
	"github.com/crosswire/crosswire/topology"
)

// memberLinks returns the links that account id, which the topology does not list,
// sends through as a member account of an organizational unit: the links whose
// markers (SSM parameters under linkkind.MarkerPrefix, left by the stack sets'
// member templates) name a sender half of a link of t to one of its units. Each link
// is the member's view of it (linkkind.Organizational.ForMember), From the member's
// label. Markers of receiving halves (a topic's queue) are skipped: there is nothing
// to send from there. units are the organizational units the markers name.
func memberLinks(ctx context.Context, cfg aws.Config, t *topology.Topology, id, label string, s settings) (links []topology.Link, units []string, err error) {
	markers, err := readMarkers(ctx, cfg, s)
	if err != nil {
		return nil, nil, err
	}
	// In the order of the file, as for a listed account.
	for _, l := range t.Links {
		for _, m := range markers {
			org, ok := l.Spec.(linkkind.Organizational)
			if m.Role != "sender" || (s.link != "" && m.Link != s.link) || l.Name != m.Link || !ok {
				continue
			}
			for _, u := range org.Units() {
				if u.Name != m.Unit {
					continue
				}
				ml := l
				ml.From, ml.FromUnits = []string{label}, nil
				ml.Spec = org.ForMember(id, u.Region, "")
				links = append(links, ml)
				if !slices.Contains(units, u.Name) {
					units = append(units, u.Name)
				}
			}
		}
	}
	return links, units, nil
}

// readMarkers reads the markers of the credentials' account, in name order.
func readMarkers(ctx context.Context, cfg aws.Config, s settings) ([]linkkind.Marker, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	client := ssm.NewFromConfig(cfg, func(o *ssm.Options) {
		if s.ssmEndpoint != "" {
			o.BaseEndpoint = aws.String(s.ssmEndpoint)
		}
	})
	var out []linkkind.Marker
	p := ssm.NewGetParametersByPathPaginator(client, &ssm.GetParametersByPathInput{
		Path: aws.String(strings.TrimSuffix(linkkind.MarkerPrefix, "/")), Recursive: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the Crosswire markers (ssm:GetParametersByPath %s): %w", linkkind.MarkerPrefix, err)
		}
		for _, prm := range page.Parameters {
			var m linkkind.Marker
			if err := json.Unmarshal([]byte(aws.ToString(prm.Value)), &m); err != nil || m.Link == "" {
				return nil, fmt.Errorf("SSM parameter %s is not a Crosswire marker: %q", aws.ToString(prm.Name), aws.ToString(prm.Value))
			}
			out = append(out, m)
		}
	}
	return out, nil
}
