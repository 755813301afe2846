package access

import (
	"fmt"
	"slices"

	"github.com/crosswire/crosswire/linkkind"

	"github.com/crosswire/crosswire/topology"
)

// GraphFromTopology reads the topology file at path and returns its accounts and
// links. It uses only the topology's accounts (alias and ID), each link's name,
// kind, senders and receivers, and linkMode for the access mode.
func GraphFromTopology(path string) (*Graph, error) {
	t, err := topology.Load(path)
	if err != nil {
		return nil, err
	}
	g := &Graph{}
	ids := map[string]string{}
	for _, a := range t.Accounts {
		ids[a.Alias] = a.ID
		g.Accounts = append(g.Accounts, GraphAccount{ID: a.ID, Alias: a.Alias})
	}
	resolve := func(aliases []string) ([]string, error) {
		out := make([]string, 0, len(aliases))
		for _, a := range aliases {
			id, ok := ids[a]
			if !ok {
				return nil, fmt.Errorf("%s: account alias %q is unknown", path, a)
			}
			out = append(out, id)
		}
		return out, nil
	}
	for _, l := range t.Links {
		from, err := resolve(l.From)
		if err != nil {
			return nil, err
		}
		to, err := resolve(l.To)
		if err != nil {
			return nil, err
		}
		// An organizational unit is one node, by its ID, as GraphOf shows a stack set's.
		from = append(from, unitIDs(t, g, l.FromUnits)...)
		to = append(to, unitIDs(t, g, l.ToUnits)...)
		g.Links = append(g.Links, GraphLink{Name: l.Name, Kind: string(l.Kind), Mode: linkMode(l), From: from, To: to})
	}
	g.sortGraph()
	return g, nil
}

// unitIDs returns the IDs of the organizational units names, adding each to g's
// accounts once.
func unitIDs(t *topology.Topology, g *Graph, names []string) []string {
	var out []string
	for _, n := range names {
		u, ok := t.Unit(n)
		if !ok {
			continue
		}
		id := linkkind.Unit{Path: u.Path}.ID()
		if !slices.ContainsFunc(g.Accounts, func(a GraphAccount) bool { return a.ID == id }) {
			g.Accounts = append(g.Accounts, GraphAccount{ID: id, Alias: "organizational unit"})
		}
		out = append(out, id)
	}
	return out
}
