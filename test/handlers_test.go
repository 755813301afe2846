package test

import (
	"slices"
	"testing"

	"github.com/crosswire/crosswire/internal/golambda"
)

func TestEveryGoFunctionIsPrebuiltFromItsKindsHandlers(t *testing.T) {
	// GIVEN every scenario synthesized, each starting with the builds of the handlers
	// its kinds say their halves need (stacks.Handlers, golambda.Prebuild)
	for name := range scenarioFiles {
		scenario(t, name)
	}
	// WHEN the packages the functions were built from are listed
	prebuilt, coded := golambda.Requested()
	if len(coded) == 0 {
		t.Fatal("no scenario built a Go function; the test sees nothing")
	}
	// THEN each was prebuilt: no kind builds a function its entry in stacks.Handlers
	// leaves out, which synth would wait for
	for _, pkg := range coded {
		if !slices.Contains(prebuilt, pkg) {
			t.Errorf("a function runs %s, which no entry of stacks.Handlers names (prebuilt: %v)", pkg, prebuilt)
		}
	}
}
