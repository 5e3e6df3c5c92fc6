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
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
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
	adminToken string
	seed       uint64

	smsAdmin, wechatFake, provinceURL string // the simulators the load test reads codes and tokens from

	// Sessions: how many of each (0: counted from the rate and the
	// budgets), the rate they are counted for, the budgets and the share
	// of a budget the busiest session may spend.
	devices, appSessions, wechatSessions, operators int
	operatorsFile                                   string
	sessRate                                        int
	budgets                                         budgets
	budgetUse                                       float64
	shares                                          channelShares
	setupWorkers                                    int
	cpuProfile                                      string
}

// budgets are the server's rate budgets, cost units a minute per subject.
type budgets struct{ device, person, operator int }

// channelShares are the channels' shares of all requests, in percent.
type channelShares struct{ app, wechat, kiosk, enterprise float64 }

// sessionRate is the highest rate the run will send: what the sessions
// are counted for.
func (o options) sessionRate() int {
	switch {
	case o.sessRate > 0:
		return o.sessRate
	case o.findMax || o.baseline:
		return max(o.rate, 6000)
	}
	return o.rate
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
	fs.StringVar(&o.coreAdmin, "core-admin", "http://127.0.0.1:9101", "base URL of the business-core simulator (hrss sim); with -core-down, used to take it down mid-run")
	fs.StringVar(&o.smsAdmin, "sms-admin", "http://127.0.0.1:9102", "base URL of the SMS simulator the server texts through: verification codes are read at its /_admin/messages")
	fs.StringVar(&o.wechatFake, "wechat-fake", "http://127.0.0.1:9104", "base URL of the WeChat simulator: it issues the followers' OAuth codes")
	fs.StringVar(&o.provinceURL, "province", "http://127.0.0.1:9105", "base URL of the provincial e-card simulator: it issues face-check tokens for certification")
	fs.DurationVar(&o.coreDown, "core-down", 0, "take the business core down for this long in the middle of the measured run")
	fs.IntVar(&o.users, "users", 50_000, "distinct people and units drawn from the 2.45 million, Zipf-distributed")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the simulated city (as HRSS_SIM_SEED) and of the mix")
	fs.IntVar(&o.devices, "kiosks", 0, "kiosks registered for the test, each with a card session (0: enough for -session-rate)")
	fs.IntVar(&o.appSessions, "app-sessions", 0, "app accounts signed in and bound (0: enough for -session-rate)")
	fs.IntVar(&o.wechatSessions, "wechat-sessions", 0, "WeChat followers bound (0: enough for -session-rate)")
	fs.IntVar(&o.operators, "operators", 0, "unit operators signed in, one per unit (0: enough for -session-rate)")
	fs.StringVar(&o.operatorsFile, "operators-file", "", "CSV of operator accounts provisioned beforehand (creditCode,name,password,phone) instead of provisioning through the back office")
	fs.IntVar(&o.sessRate, "session-rate", 0, "the rate the sessions are counted for (0: -rate, or 6000 with -find-max or -baseline)")
	fs.Float64Var(&o.budgetUse, "budget-use", 0.5, "share of its rate budget the busiest session of a channel may spend at -session-rate")
	fs.IntVar(&o.budgets.device, "budget-device", 240, "the server's budget per kiosk device, cost units a minute (HRSS_LIMIT_DEVICE)")
	fs.IntVar(&o.budgets.person, "budget-person", 120, "the server's budget per signed-in person, cost units a minute (HRSS_LIMIT_PERSON)")
	fs.IntVar(&o.budgets.operator, "budget-operator", 600, "the server's budget per unit operator, cost units a minute (HRSS_LIMIT_OPERATOR)")
	fs.Float64Var(&o.shares.app, "share-app", 45, "percent of requests from the app")
	fs.Float64Var(&o.shares.wechat, "share-wechat", 20, "percent of requests from WeChat")
	fs.Float64Var(&o.shares.kiosk, "share-kiosk", 25, "percent of requests from kiosks")
	fs.Float64Var(&o.shares.enterprise, "share-enterprise", 10, "percent of requests from unit operators")
	fs.IntVar(&o.setupWorkers, "setup-workers", 48, "sessions set up at once")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the load generator's own CPU profile here (it shares the machine with the server)")
	fs.StringVar(&o.adminToken, "admin-token", "", "back-office token to register the kiosks; default: ./var/admin-token of the embedded server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	answerWithin = o.timeout + time.Second
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.budgetUse <= 0 || o.budgetUse > 1 {
		return fmt.Errorf("-budget-use %v: want a share in (0, 1]", o.budgetUse)
	}
	ctx := context.Background()
	rep := &Report{When: time.Now(), Command: "go run ./loadtest " + strings.Join(args, " ")}
	mix, err := newPeakMix(o)
	if err != nil {
		return fmt.Errorf("set up sessions: %w", err)
	}
	defer mix.keeper.close()
	rep.Setup = &mix.setup
	if o.warmup > 0 {
		fmt.Fprintf(os.Stderr, "warming up: %d req/s for %s\n", o.rate, o.warmup)
		mix.keeper.prepare()
		attack("warm-up", mix.next, o.rate, o.warmup, o.timeout, mix.expect)
	}
	before := scrape(o.target)
	var main *Run
	if o.findMax {
		main, rep.MaxRate, _ = findMax("peak mix", mix.next, mix, o, 0)
	} else {
		mix.keeper.prepare()
		stop := scheduleCoreDown(ctx, o)
		fmt.Fprintf(os.Stderr, "measuring: %d req/s for %s\n", o.rate, o.duration)
		main = attack("peak mix", mix.next, o.rate, o.duration, o.timeout, mix.expect)
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
// request, and returns the last step that held (and its rate). Before each
// step the mix's sessions are renewed as needed (mix may be nil). A
// ceiling > 0 stops the steps there: the sessions carry no more within
// their budgets, and capped says the rate held up to it.
func findMax(name string, next Source, mix *Mix, o options, ceiling int) (held *Run, best int, capped bool) {
	var expect map[string][]int
	if mix != nil {
		expect = mix.expect
	}
	for rate := o.startRate; ; rate += o.stepRate {
		if ceiling > 0 && rate > ceiling {
			fmt.Fprintf(os.Stderr, "%s: stopping below %d req/s, the most its sessions carry within their budgets\n", name, rate)
			return held, best, true
		}
		if mix != nil {
			mix.keeper.prepare()
			if rate > o.sessionRate() {
				fmt.Fprintf(os.Stderr, "%s: %d req/s is above the %d req/s the sessions were counted for: a 429 may be the load test's, not the server's (raise -session-rate)\n",
					name, rate, o.sessionRate())
			}
		}
		fmt.Fprintf(os.Stderr, "%s: trying %d req/s for %s\n", name, rate, o.stepFor)
		r := attack(fmt.Sprintf("%s at %d req/s", name, rate), next, rate, o.stepFor, o.timeout, expect)
		ok := r.Failures() == 0 && r.Quantile(99) <= o.maxBound && r.Achieved >= 0.97*float64(rate)
		fmt.Fprintf(os.Stderr, "  p99 %s, %d failures, %.0f achieved: held=%v\n", r.Quantile(99), r.Failures(), r.Achieved, ok)
		if !ok {
			if held == nil {
				return r, 0, false
			}
			return held, best, false
		}
		held, best = r, rate
	}
}

// compareBaseline finds the highest rate of the minimal handler and of the
// hottest authenticated query (a kiosk's overview), and reports their
// ratio; then that of the app's hottest query, up to what its sessions
// carry within their budgets.
func compareBaseline(rep *Report, mix *Mix, o options) error {
	b, err := startBaseline(o.redisAddr)
	if err != nil {
		return err
	}
	defer b.close()
	_, base, _ := findMax("baseline", b.source(), nil, o, 0)
	mix.keeper.prepare()
	mix.warmHot()
	_, hot, _ := findMax("hottest query", mix.hot, mix, o, 0)
	res := &BaselineResult{BaselineRate: float64(base), HotRate: float64(hot)}
	if base > 0 {
		res.Ratio = float64(hot) / float64(base)
	}
	if mix.hotApp != nil {
		_, app, capped := findMax("app's hottest query", mix.hotApp, mix, o, mix.hotAppCap)
		res.AppHotRate, res.AppHotCapped = float64(app), capped
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

// adminToken is the back office's token: -admin-token, or the one the
// embedded default generated under ./var.
func adminToken(o options) (string, error) {
	if o.adminToken != "" {
		return o.adminToken, nil
	}
	b, err := os.ReadFile("var/admin-token")
	if err != nil {
		return "", fmt.Errorf("no -admin-token and no var/admin-token (run the server on the embedded default from this directory): %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// setCoreDown takes the business-core simulator down, keeping the faults
// it had (its latency), or brings it back with them.
func setCoreDown(admin string, down bool) {
	u := strings.TrimRight(admin, "/") + "/_admin/faults"
	faults := map[string]any{}
	if status, _, err := call("GET", u, nil, nil, &faults); err != nil || status != http.StatusOK {
		faults = map[string]any{"latency_min": "50ms", "latency_max": "300ms", "error_rate": 0, "timeout_rate": 0}
	}
	faults["down"] = down
	body, _ := json.Marshal(faults)
	req, _ := http.NewRequest("PUT", u, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}
