package test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdktest"
	"github.com/crosswire/crosswire/stacks"
	"github.com/crosswire/crosswire/topology"
)

// synthReplicas synthesizes testdata/replicas.yaml into dir, with the context
// replicas=false when direct, and returns the plan.
func synthReplicas(t *testing.T, dir string, direct bool) *stacks.Plan {
	t.Helper()
	topo, err := topology.Load("testdata/replicas.yaml")
	if err != nil {
		t.Fatal(err)
	}
	app := cdktest.NewApp(t, dir)
	if direct {
		app.Node().SetContext(jsii.String(stacks.ReplicasContext), "false")
	}
	plan, err := stacks.Build(app, topo)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth(app, dir); err != nil {
		t.Fatal(err)
	}
	if err := plan.Write(dir); err != nil {
		t.Fatal(err)
	}
	return plan
}

// stackArtifactsWithoutMetadata returns each stack artifact of the manifest in dir as
// JSON, without the metadata file it names (a replica stack's maps no construct
// paths).
func stackArtifactsWithoutMetadata(t *testing.T, dir string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]map[string]any `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, a := range m.Artifacts {
		delete(a, "additionalMetadataFile")
		delete(a, "metadata")
		b, _ := json.Marshal(a)
		out[id] = string(b)
	}
	return out
}

func TestReplicatedStacksAreTheStacksTheConstructsBuild(t *testing.T) {
	// GIVEN a topology where four spokes and three idle accounts share their shapes,
	// and others differ from them by a stream function, delivery options or e-mails
	replicated := filepath.Join(tmpRoot, "replicas")
	direct := filepath.Join(tmpRoot, "replicas-direct")
	// WHEN it is synthesized with replicas, and with every stack built from the
	// constructs (-c replicas=false)
	plan := synthReplicas(t, replicated, false)
	directPlan := synthReplicas(t, direct, true)

	// THEN the accounts of a shared shape, and only they, are replicas
	got := slices.Sorted(slices.Values(plan.Replicated))
	want := []string{
		"Crosswire-idle-a", "Crosswire-idle-b", "Crosswire-idle-c",
		"Crosswire-reader-a", "Crosswire-reader-a-wiring", "Crosswire-reader-b", "Crosswire-reader-b-wiring",
		"Crosswire-reader-c", "Crosswire-reader-c-wiring",
		"Crosswire-spoke-a", "Crosswire-spoke-a-wiring", "Crosswire-spoke-b", "Crosswire-spoke-b-wiring",
		"Crosswire-spoke-c", "Crosswire-spoke-c-wiring", "Crosswire-spoke-d", "Crosswire-spoke-d-wiring",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replicated stacks:\n got %v\nwant %v", got, want)
	}
	if len(directPlan.Replicated) != 0 {
		t.Errorf("with replicas=false, %v are still replicas", directPlan.Replicated)
	}
	// AND every template, asset manifest and deploy order file is byte for byte the
	// one built from the constructs, and every asset is there
	files, err := os.ReadDir(direct)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, f := range files {
		name := f.Name()
		if strings.HasPrefix(name, "asset.") {
			// AND every asset the asset manifests name is in the cloud assembly
			if _, err := os.Stat(filepath.Join(replicated, name)); err != nil {
				t.Errorf("asset %s: %v", name, err)
			}
			continue
		}
		if !strings.HasSuffix(name, ".template.json") && !strings.HasSuffix(name, ".assets.json") && !strings.HasPrefix(name, stacks.DeployOrderFile[:len("deploy-order")]) {
			continue
		}
		want, _ := os.ReadFile(filepath.Join(direct, name))
		got, err := os.ReadFile(filepath.Join(replicated, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the one built from the constructs", name)
		}
		compared++
	}
	if compared < 2*len(want) {
		t.Fatalf("only %d files compared", compared)
	}
	// AND the manifest gives every stack the same environment, name, tags, roles,
	// template asset and dependencies
	gotArtifacts, wantArtifacts := stackArtifactsWithoutMetadata(t, replicated), stackArtifactsWithoutMetadata(t, direct)
	for id, w := range wantArtifacts {
		if g := gotArtifacts[id]; g != w {
			t.Errorf("artifact %s:\n got %s\nwant %s", id, g, w)
		}
	}
	if len(gotArtifacts) != len(wantArtifacts) {
		t.Errorf("%d artifacts, want %d", len(gotArtifacts), len(wantArtifacts))
	}
}
