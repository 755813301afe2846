package access

import (
	"sort"
	"testing"

	"github.com/crosswire/crosswire/internal/cfnres"
)

func TestEveryPolicyTypeOfTheResourceTypeTableIsAnalysed(t *testing.T) {
	// GIVEN the resource-type table that the snapshots, the quota and the name checks read
	var missing []string
	for typ, rt := range cfnres.Types {
		// WHEN a type holds policies there
		// THEN the access analysis reads that type's policies too, so a type added to
		// the table for a new kind cannot be left out of the access report
		if _, ok := extractors[typ]; rt.Extract != nil && !ok {
			missing = append(missing, typ)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("internal/access has no extractor for %v, which internal/cfnres says hold policies", missing)
	}
	for typ := range extractors {
		if rt, ok := cfnres.Types[typ]; !ok || rt.Extract == nil {
			t.Errorf("internal/access reads policies of %s, which internal/cfnres does not know", typ)
		}
	}
}
