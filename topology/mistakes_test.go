package topology_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/problem"
	"github.com/crosswire/crosswire/topology"
)

func TestTwelveMistakesAcrossEveryKindAreTwelveProblemsOnTheirOwnLines(t *testing.T) {
	// GIVEN a topology with twelve independent mistakes, each on a line marked "# m<i>":
	// an unknown alias beside wrong options of the same link, and wrong values nested
	// in a topic's receivers and a stream's consumerArns
	data, err := os.ReadFile("testdata/twelve-mistakes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var marked []int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "# m") {
			marked = append(marked, i+1)
		}
	}
	if len(marked) != 12 {
		t.Fatalf("the file marks %d lines, want 12", len(marked))
	}

	// WHEN it is parsed
	_, err = topology.Parse("twelve-mistakes.yaml", data)

	// THEN every mistake is reported, once, on the line of its own value
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Parse = %v, want a *problem.Error", err)
	}
	var lines []int
	for _, p := range pe.Problems {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, marked) {
		t.Errorf("problems on lines %v, want one on each of %v:\n%v", lines, marked, err)
	}
}
