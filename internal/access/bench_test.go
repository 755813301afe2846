package access

import (
	"os"
	"testing"
)

// BenchmarkAccess measures what `crosswire access` does (read the cloud assembly,
// analyze it, render Markdown) on the assembly named by CROSSWIRE_BENCH_ASSEMBLY,
// such as the N=500 hub-and-spoke one that
//
//	crosswire bench -n 500 -keep
//
// leaves in <kept dir>/cdk.out-500:
//
//	CROSSWIRE_BENCH_ASSEMBLY=/tmp/crosswire-bench-.../cdk.out-500 go test ./internal/access -run '^$' -bench Access -benchtime 5x
func BenchmarkAccess(b *testing.B) {
	dir := os.Getenv("CROSSWIRE_BENCH_ASSEMBLY")
	if dir == "" {
		b.Skip("set CROSSWIRE_BENCH_ASSEMBLY to a cloud assembly (crosswire bench -n 500 -keep makes one)")
	}
	var grants int
	for b.Loop() {
		a, err := LoadAssembly(dir)
		if err != nil {
			b.Fatal(err)
		}
		r, err := Analyze(a)
		if err != nil {
			b.Fatal(err)
		}
		_ = r.Markdown()
		grants = len(r.Grants())
	}
	b.ReportMetric(float64(grants), "grants")
}
