package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

// profileEnv names a folder for profiles of the synth: the app writes the CPU profile
// of its Go side there (go.pprof, for go tool pprof) and prints how long each phase
// took. Node's own flags profile the jsii Node process (NODE_OPTIONS="--cpu-prof
// --cpu-prof-dir=DIR"; see the README).
const profileEnv = "CROSSWIRE_PROFILE"

// profiler times the phases of one synth and profiles the Go side; a nil profiler
// does nothing.
type profiler struct {
	last time.Time
	out  *os.File
}

// startProfile starts profiling when CROSSWIRE_PROFILE is set. A folder that cannot
// be written is reported, and the synth goes on without profiles.
func startProfile() *profiler {
	dir := os.Getenv(profileEnv)
	if dir == "" {
		return nil
	}
	p := &profiler{last: time.Now()}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", profileEnv, err)
		return p
	}
	f, err := os.Create(filepath.Join(dir, "go.pprof"))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", profileEnv, err)
		return p
	}
	p.out = f
	return p
}

// phase reports how long the phase that ends now took.
func (p *profiler) phase(name string) {
	if p == nil {
		return
	}
	now := time.Now()
	fmt.Fprintf(os.Stderr, "crosswire: %-12s %6.2fs\n", name, now.Sub(p.last).Seconds())
	p.last = now
}

// stop ends the Go profile.
func (p *profiler) stop() {
	if p == nil || p.out == nil {
		return
	}
	pprof.StopCPUProfile()
	p.out.Close()
}
