package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnceAndJoinsTheErrors(t *testing.T) {
	// GIVEN 1,000 pieces of work, two of which fail
	var calls [1000]atomic.Int32
	bad := map[int]error{17: errors.New("seventeen"), 999: errors.New("last")}
	// WHEN they run on every CPU
	err := Each(len(calls), func(i int) error {
		calls[i].Add(1)
		return bad[i]
	})
	// THEN each ran exactly once
	for i := range calls {
		if n := calls[i].Load(); n != 1 {
			t.Fatalf("piece %d ran %d times", i, n)
		}
	}
	// AND both errors are reported
	for _, e := range bad {
		if !errors.Is(err, e) {
			t.Errorf("error %v missing from %v", e, err)
		}
	}
	// AND no work at all is no error
	if err := Each(0, func(int) error { return errors.New("never") }); err != nil {
		t.Errorf("Each(0) = %v", err)
	}
}
