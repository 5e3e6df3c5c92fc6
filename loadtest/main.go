// Command loadtest drives a running BFF over HTTP at a fixed rate, open
// loop (tsenart/vegeta as a library), records latencies in HDR histograms
// per route, and reports against the procurement's figures (seed section
// 3: 1000 requests a second, mean response under 2–3 s) and ours (p99 ≤ 50
// ms, no errors). It is a black box: it speaks the channels' wire
// contracts and imports nothing from the domain. See README.md beside it
// for the scenario mix and how to run it.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	target     string
	rate       int
	duration   time.Duration
	warmup     time.Duration
	timeout    time.Duration
	out        string
	findMax    bool
	maxBound   time.Duration
	startRate  int
	stepRate   int
	stepFor    time.Duration
	baseline   bool
	redisAddr  string
	coreAdmin  string
	coreDown   time.Duration
	users      int
	devices    int
	adminToken string
	seed       uint64
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&o.target, "target", "http://127.0.0.1:8080", "base URL of the BFF under test")
	fs.IntVar(&o.rate, "rate", 1000, "requests per second of the measured run")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "length of the measured run")
	fs.DurationVar(&o.warmup, "warmup", 10*time.Second, "unmeasured run first, at the same rate, after sessions are set up")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "a request that takes longer counts as an error")
	fs.StringVar(&o.out, "out", "loadtest/out", "directory for report.txt, report.json, report.md and latency.svg")
	fs.BoolVar(&o.findMax, "find-max", false, "step the rate up until p99 exceeds -p99-bound or errors appear; report the highest rate that held")
	fs.DurationVar(&o.maxBound, "p99-bound", 100*time.Millisecond, "with -find-max: the p99 a rate must keep")
	fs.IntVar(&o.startRate, "start-rate", 1000, "with -find-max: first rate")
	fs.IntVar(&o.stepRate, "step-rate", 500, "with -find-max: rate added per step")
	fs.DurationVar(&o.stepFor, "step-duration", 15*time.Second, "with -find-max and -baseline: length of each step")
	fs.BoolVar(&o.baseline, "baseline", false, "also find the highest rate of a minimal Fiber handler doing one Redis GET, and of the hottest query, and report their ratio")
	fs.StringVar(&o.redisAddr, "redis", "127.0.0.1:6379", "Redis for the baseline handler")
	fs.StringVar(&o.coreAdmin, "core-admin", "", "base URL of the business-core simulator; with -core-down, used to take it down mid-run")
	fs.DurationVar(&o.coreDown, "core-down", 0, "take the business core down for this long in the middle of the measured run")
	fs.IntVar(&o.users, "users", 50_000, "distinct people and units drawn from the 2.45 million, Zipf-distributed")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the simulated city (as HRSS_SIM_SEED) and of the mix")
	fs.IntVar(&o.devices, "kiosks", 120, "kiosks registered for the test, each with a card session")
	fs.StringVar(&o.adminToken, "admin-token", "", "back-office token to register the kiosks; default: ./var/admin-token of the embedded server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	rep := &Report{When: time.Now(), Command: "go run ./loadtest " + strings.Join(args, " ")}
	mix, err := newPeakMix(ctx, o)
	if err != nil {
		return fmt.Errorf("set up sessions: %w", err)
	}
	if o.warmup > 0 {
		fmt.Fprintf(os.Stderr, "warming up: %d req/s for %s\n", o.rate, o.warmup)
		attack("warm-up", mix.next, o.rate, o.warmup, o.timeout)
	}
	before := scrape(o.target)
	var main *Run
	if o.findMax {
		main, rep.MaxRate = findMax("peak mix", mix.next, o)
	} else {
		stop := scheduleCoreDown(ctx, o)
		fmt.Fprintf(os.Stderr, "measuring: %d req/s for %s\n", o.rate, o.duration)
		main = attack("peak mix", mix.next, o.rate, o.duration, o.timeout)
		stop()
	}
	after := scrape(o.target)
	figures := serverFigures(before, after, main.Duration)
	rep.Server = &figures
	sum := summarize(main)
	rep.Runs = append(rep.Runs, sum)
	rep.timeline = main.Timeline
	rep.Verdicts = judge(sum, targetsFor(o))
	if o.findMax {
		rep.Verdicts = append(rep.Verdicts, Verdict{fmt.Sprintf("ours: ≥ 5000 req/s with p99 ≤ %s", o.maxBound),
			fmt.Sprintf("%d req/s", rep.MaxRate), rep.MaxRate >= 5000})
	}
	if o.baseline {
		if err := compareBaseline(rep, mix, o); err != nil {
			return err
		}
	}
	return rep.write(o.out, os.Stdout)
}

func targetsFor(o options) Targets {
	t := defaultTargets
	t.Rate = o.rate
	if o.coreDown > 0 {
		t.OurErrors = int64(float64(o.rate) * o.duration.Seconds() / 100) // under 1% with the core down
	}
	return t
}

// findMax steps the rate up until a step misses the bound or fails a
// request, and returns the last step that held (and its rate).
func findMax(name string, next Source, o options) (*Run, int) {
	var held *Run
	best := 0
	for rate := o.startRate; ; rate += o.stepRate {
		fmt.Fprintf(os.Stderr, "%s: trying %d req/s for %s\n", name, rate, o.stepFor)
		r := attack(fmt.Sprintf("%s at %d req/s", name, rate), next, rate, o.stepFor, o.timeout)
		ok := r.Failures() == 0 && r.Quantile(99) <= o.maxBound && r.Achieved >= 0.97*float64(rate)
		fmt.Fprintf(os.Stderr, "  p99 %s, %d failures, %.0f achieved: held=%v\n", r.Quantile(99), r.Failures(), r.Achieved, ok)
		if !ok {
			if held == nil {
				return r, 0
			}
			return held, best
		}
		held, best = r, rate
	}
}

// compareBaseline finds the highest rate of the minimal handler and of the
// hottest authenticated query, and reports their ratio.
func compareBaseline(rep *Report, mix *Mix, o options) error {
	b, err := startBaseline(o.redisAddr)
	if err != nil {
		return err
	}
	defer b.close()
	_, base := findMax("baseline", b.source(), o)
	_, hot := findMax("hottest query", mix.hot, o)
	res := &BaselineResult{BaselineRate: float64(base), HotRate: float64(hot)}
	if base > 0 {
		res.Ratio = float64(hot) / float64(base)
	}
	rep.Baseline = res
	rep.Verdicts = append(rep.Verdicts, Verdict{"ours: hottest query ≥ 70% of the baseline's rate",
		fmt.Sprintf("%.0f%% (%d vs %d req/s)", 100*res.Ratio, hot, base), res.Ratio >= 0.7})
	return nil
}

// scheduleCoreDown takes the business-core simulator down for o.coreDown
// in the middle of the measured run, and brings it back.
func scheduleCoreDown(ctx context.Context, o options) (stop func()) {
	if o.coreDown <= 0 || o.coreAdmin == "" {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-time.After((o.duration - o.coreDown) / 2):
		case <-ctx.Done():
			return
		}
		fmt.Fprintf(os.Stderr, "taking the business core down for %s\n", o.coreDown)
		setCoreDown(o.coreAdmin, true)
		select {
		case <-time.After(o.coreDown):
		case <-ctx.Done():
		}
		setCoreDown(o.coreAdmin, false)
		fmt.Fprintln(os.Stderr, "business core back")
	}()
	return func() { cancel(); setCoreDown(o.coreAdmin, false) }
}

// newRand is the mix's random source for one goroutine.
func newRand(seed uint64, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }
