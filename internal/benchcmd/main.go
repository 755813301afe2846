// Package benchcmd is `crosswire bench`, which measures synthesis at scale: for each N it generates a
// hub-and-spoke topology with N spoke accounts (each spoke sends to the hub by queue
// and by bus, the hub fans out a topic to every spoke and shares a stream with up to
// 20 of them), runs `cdk synth` on it with the pinned CDK CLI, and prints per N the
// wall time, the peak memory of the whole process tree (CLI, Go app, jsii Node), the
// number of stacks and resources, and the largest policy of each kind as a percentage
// of its AWS quota. It is a benchmark, not a test: it prints figures and fails only
// when a synth fails. With -runs k it synthesizes each topology k times, each into a
// new cloud assembly, and reports the median wall time and the highest peak memory:
// on a shared machine single runs vary by a tenth or more.
//
//	crosswire bench -n 10,50,200,500 -runs 3
package benchcmd

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/internal/quota"
)

// Run runs `crosswire bench` with the command-line arguments args (after the
// subcommand's name) and returns its exit code: 0, 1 when a synth failed, 2 on bad
// flags.
func Run(args []string, stdout, stderr io.Writer) int { return command(args, stdout, stderr) }

// command parses the flags, runs the benchmark and returns the exit code: 0, 1 when
// a synth failed, 2 on bad flags.
func command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crosswire bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ns := fs.String("n", "10,50,200,500", "comma-separated numbers of spoke accounts")
	org := fs.Bool("org", true, "give the topology an organization and let the queue, bus and topic links admit it (allow: organization); false lists every spoke in their policies")
	keep := fs.Bool("keep", false, "keep the generated topologies and cloud assemblies (printed paths)")
	cdk := fs.String("cdk", "scripts/cdk", "the CDK CLI to run")
	runs := fs.Int("runs", 1, "synthesize each topology this many times; report the median wall time (the lower middle one for an even count)")
	calls := fs.Bool("calls", true, "count the calls from Go into the construct library (jsii requests) in one more, untimed synth per N with JSII_DEBUG=1, and report them per spoke")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: crosswire bench [flags]\n\n"+
			"Measures synthesis at scale. For each N it generates a hub-and-spoke topology with N spoke accounts\n"+
			"(each spoke sends to the hub by queue and by bus, the hub fans out a topic to every spoke and shares a\n"+
			"stream with the first 20), runs `scripts/cdk synth` on it into a new cloud assembly, and prints a table:\n"+
			"the wall time, the peak memory of the whole process tree (CDK CLI, Go app, jsii Node), the number of\n"+
			"stacks and resources, and the largest policy of each kind as a percentage of its AWS quota. Run it from\n"+
			"the repository root; it needs no AWS credentials. CDK_VALIDATION=true measures with CloudFormation\n"+
			"validation on.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crosswire bench: unexpected arguments %q; every setting is a flag\n", fs.Args())
		return 2
	}
	if *runs < 1 {
		fmt.Fprintf(stderr, "crosswire bench: -runs %d: must be at least 1\n", *runs)
		return 2
	}
	if err := run(*ns, *org, *keep, *cdk, *runs, *calls, stdout); err != nil {
		fmt.Fprintln(stderr, "crosswire bench:", err)
		return 1
	}
	return 0
}

// result is what one synthesis measured.
type result struct {
	n                 int
	wall              time.Duration
	peakRSS           int64 // bytes, summed over the process tree
	stacks, resources int
	largest           map[string]quota.Measurement
	// calls are the requests the app sent to the jsii kernel in one synth; 0 when
	// not counted.
	calls int
}

func run(list string, org, keep bool, cdk string, runs int, calls bool, out io.Writer) error {
	var ns []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-n %q: %q is not a positive number", list, s)
		}
		ns = append(ns, n)
	}
	work, err := os.MkdirTemp("", "crosswire-bench-")
	if err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(work)
	}
	var results []result
	for _, n := range ns {
		file := filepath.Join(work, fmt.Sprintf("hub-%d.yaml", n))
		if err := os.WriteFile(file, Topology(n, org), 0o644); err != nil {
			return err
		}
		outdir := filepath.Join(work, fmt.Sprintf("cdk.out-%d", n))
		var walls []time.Duration
		var r result
		for i := 0; i < runs; i++ {
			if err := os.RemoveAll(outdir); err != nil {
				return err
			}
			one, err := synth(cdk, file, outdir)
			if err != nil {
				return fmt.Errorf("N=%d: %w", n, err)
			}
			walls = append(walls, one.wall)
			fmt.Fprintf(os.Stderr, "N=%d run %d: %.1fs, %d stacks\n", n, i+1, one.wall.Seconds(), one.stacks)
			one.peakRSS = max(one.peakRSS, r.peakRSS)
			r = one
		}
		sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
		r.wall = walls[(len(walls)-1)/2]
		if calls {
			if r.calls, err = countCalls(cdk, file, outdir); err != nil {
				return fmt.Errorf("N=%d: counting jsii calls: %w", n, err)
			}
			fmt.Fprintf(os.Stderr, "N=%d: %d jsii calls\n", n, r.calls)
		}
		r.n = n
		results = append(results, r)
	}
	validation := "off (the app's default)"
	if v, set := os.LookupEnv("CDK_VALIDATION"); set && v != "false" {
		validation = "on (CDK_VALIDATION=" + v + ")"
	}
	fmt.Fprintf(out, "CloudFormation validation %s; wall time: median of %d run(s)\n\n", validation, runs)
	report(out, results)
	if keep {
		fmt.Fprintf(out, "\nkept in %s\n", work)
	}
	return nil
}

// Topology generates the hub-and-spoke topology with n spokes.
func Topology(n int, org bool) []byte {
	var b bytes.Buffer
	b.WriteString("region: eu-west-1\n")
	allow := ""
	if org {
		b.WriteString("organization: o-a1b2c3d4e5\n")
		allow = ", allow: organization"
	}
	b.WriteString("accounts:\n  hub: \"100000000000\"\n")
	spokes := make([]string, n)
	for i := range spokes {
		spokes[i] = fmt.Sprintf("spoke%04d", i)
		fmt.Fprintf(&b, "  %s: \"%012d\"\n", spokes[i], 200000000000+i)
	}
	all := "[" + strings.Join(spokes, ", ") + "]"
	first := "[" + strings.Join(spokes[:min(n, 20)], ", ") + "]"
	b.WriteString("links:\n")
	fmt.Fprintf(&b, "  - {name: ingest, kind: queue, from: %s, to: hub, options: {encryption: kms%s}}\n", all, allow)
	fmt.Fprintf(&b, "  - {name: events, kind: bus, from: %s, to: hub, options: {eventPattern: {source: [acme.spoke]}%s}}\n", all, allow)
	topicAllow := ""
	if org {
		topicAllow = ", options: {allow: organization}"
	}
	fmt.Fprintf(&b, "  - {name: broadcast, kind: topic, from: hub, to: %s%s}\n", all, topicAllow)
	fmt.Fprintf(&b, "  - {name: feed, kind: stream, from: hub, to: %s}\n", first)
	return b.Bytes()
}

// countCalls synthesizes file into outdir once more with JSII_DEBUG=1, under which
// the jsii runtime logs every request of the kernel API it receives from the Go side
// as a line "> {"api":...}" on its standard error (jsii's documented debug switch,
// https://aws.github.io/jsii/user-guide/lib-user/configuration/), and counts those.
func countCalls(cdk, file, outdir string) (int, error) {
	if err := os.RemoveAll(outdir); err != nil {
		return 0, err
	}
	cmd := exec.Command(cdk, "synth", "--quiet", "-c", "topology="+file, "-o", outdir)
	cmd.Env = append(os.Environ(), "JSII_DEBUG=1")
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n := 0
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if bytes.HasPrefix(sc.Bytes(), []byte(`> {"api"`)) {
			n++
		}
	}
	scanErr := sc.Err()
	if err := cmd.Wait(); err != nil {
		return 0, err
	}
	return n, scanErr
}

// synth runs `cdk synth` on file into outdir while sampling the process tree's memory.
func synth(cdk, file, outdir string) (result, error) {
	var r result
	cmd := exec.Command(cdk, "synth", "--quiet", "-c", "topology="+file, "-o", outdir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	var peak int64
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := treeRSS(cmd.Process.Pid); rss > peak {
				peak = rss
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	r.wall = time.Since(start)
	close(done)
	wg.Wait()
	r.peakRSS = peak
	if err != nil {
		return r, fmt.Errorf("%v\n%s", err, tail(stderr.String(), 20))
	}
	templates, err := cfnres.ReadTemplates(outdir)
	if err != nil {
		return r, err
	}
	r.stacks = len(templates)
	r.largest = map[string]quota.Measurement{}
	for name, tpl := range templates {
		res, _ := tpl["Resources"].(map[string]any)
		r.resources += len(res)
		ms, err := quota.Measure(name, tpl)
		if err != nil {
			return r, err
		}
		for _, m := range ms {
			if cur, ok := r.largest[m.Kind.Name]; !ok || m.Percent() > cur.Percent() {
				r.largest[m.Kind.Name] = m
			}
		}
	}
	return r, nil
}

// treeRSS sums the resident memory of pid and all its descendants, from /proc.
func treeRSS(pid int) int64 {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, ok := parent(p); ok {
			children[pp] = append(children[pp], p)
		}
	}
	var total int64
	stack := []int{pid}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		total += rss(p)
		stack = append(stack, children[p]...)
	}
	return total
}

func parent(pid int) (int, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces: the fields after it follow the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	pp, err := strconv.Atoi(f[1])
	return pp, err == nil
}

func rss(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func report(w io.Writer, results []result) {
	var kinds []string
	seen := map[string]bool{}
	for _, k := range quota.Kinds {
		for _, r := range results {
			if _, ok := r.largest[k.Name]; ok && !seen[k.Name] {
				seen[k.Name] = true
				kinds = append(kinds, k.Name)
			}
		}
	}
	counted := len(results) > 0 && results[0].calls > 0
	fmt.Fprint(w, "| N | wall time | peak memory (process tree) | stacks | resources |")
	if counted {
		fmt.Fprint(w, " jsii calls | jsii calls per spoke |")
	}
	for _, k := range kinds {
		fmt.Fprintf(w, " largest %s |", k)
	}
	fmt.Fprint(w, "\n|---|---|---|---|---|")
	if counted {
		fmt.Fprint(w, "---|---|")
	}
	for range kinds {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	sort.Slice(results, func(i, j int) bool { return results[i].n < results[j].n })
	for i, r := range results {
		fmt.Fprintf(w, "| %d | %.1f s | %d MiB | %d | %d |", r.n, r.wall.Seconds(), r.peakRSS>>20, r.stacks, r.resources)
		if counted {
			fmt.Fprintf(w, " %d | %s |", r.calls, perSpoke(results, i))
		}
		for _, k := range kinds {
			m, ok := r.largest[k]
			if !ok {
				fmt.Fprint(w, " – |")
				continue
			}
			fmt.Fprintf(w, " %.1f%% |", m.Percent())
		}
		fmt.Fprintln(w)
	}
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// perSpoke is what one more spoke costs in jsii calls: the growth from the previous
// size to results[i]'s, per spoke; for the smallest size, which has nothing before
// it, "–".
func perSpoke(results []result, i int) string {
	if i == 0 || results[i].n == results[i-1].n {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(results[i].calls-results[i-1].calls)/float64(results[i].n-results[i-1].n))
}
