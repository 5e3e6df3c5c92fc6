package cache_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// hashKey is the identifier hash key of the tests.
var hashKey = []byte("0123456789abcdef-test-key")

// clock is a test's clock: it moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// instance is one BFF instance's cache: its Shared, CachedCore and metrics.
type instance struct {
	shared *cache.Shared
	core   *cache.CachedCore
	reg    *prometheus.Registry
}

// newInstance puts next behind a CachedCore on rdb under prefix, with the
// default policies changed by adjust (nil: none).
func newInstance(tb testing.TB, rdb redis.UniversalClient, prefix string, c *clock, next insured.Core, adjust func(*cache.CorePolicies)) *instance {
	tb.Helper()
	reg := prometheus.NewRegistry()
	var opts []cache.Option
	if c != nil {
		opts = append(opts, cache.WithClock(c.Now))
	}
	s := cache.NewShared(rdb, prefix, reg, opts...)
	tb.Cleanup(func() { s.Close() })
	p := cache.DefaultCorePolicies()
	if adjust != nil {
		adjust(&p)
	}
	cc, err := cache.NewCachedCore(s, next, cache.CoreConfig{HashKey: hashKey, Policies: p})
	if err != nil {
		tb.Fatal(err)
	}
	return &instance{shared: s, core: cc, reg: reg}
}

// lookups is the hrss_cache_lookups_total of one cache and result.
func (in *instance) lookups(tb testing.TB, cacheName, result string) float64 {
	tb.Helper()
	return counterValue(tb, in.reg, "hrss_cache_lookups_total", map[string]string{"cache": cacheName, "result": result})
}

func counterValue(tb testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	tb.Helper()
	mfs, err := g.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if want, ok := labels[lp.GetName()]; ok && want != lp.GetValue() {
					continue next
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// fakeCore is a business core whose reads the test scripts. Methods a test
// does not script panic through the nil embedded interface.
type fakeCore struct {
	insured.Core
	calls atomic.Int64 // reads that reached the core

	overview       func(ctx context.Context, id domain.IDNumber) (insured.InsuranceOverview, error)
	person         func(ctx context.Context, id domain.IDNumber) (insured.Person, error)
	baseTiers      func(ctx context.Context, id domain.IDNumber) (insured.BaseTierOptions, error)
	changeBaseTier func(ctx context.Context, id domain.IDNumber, percent int) (insured.BaseTierOptions, error)
	contributions  func(ctx context.Context, id domain.IDNumber, year int) (insured.ContributionYear, error)
}

func (f *fakeCore) Overview(ctx context.Context, id domain.IDNumber) (insured.InsuranceOverview, error) {
	f.calls.Add(1)
	return f.overview(ctx, id)
}

func (f *fakeCore) Person(ctx context.Context, id domain.IDNumber) (insured.Person, error) {
	f.calls.Add(1)
	return f.person(ctx, id)
}

func (f *fakeCore) BaseTiers(ctx context.Context, id domain.IDNumber) (insured.BaseTierOptions, error) {
	f.calls.Add(1)
	return f.baseTiers(ctx, id)
}

func (f *fakeCore) ChangeBaseTier(ctx context.Context, id domain.IDNumber, percent int) (insured.BaseTierOptions, error) {
	return f.changeBaseTier(ctx, id, percent)
}

func (f *fakeCore) Contributions(ctx context.Context, id domain.IDNumber, year int) (insured.ContributionYear, error) {
	f.calls.Add(1)
	return f.contributions(ctx, id, year)
}

// someID is an ID number for tests that never reach a real core.
const someID = domain.IDNumber("210602199001011234")

// overviewOf is a small overview of id.
func overviewOf(id domain.IDNumber) insured.InsuranceOverview {
	return insured.InsuranceOverview{ID: id, Status: insured.Employed, PaidMonths: 120, Coverages: []insured.Coverage{
		{Type: insured.PensionInsurance, Status: insured.Paying, UnitName: "丹东示例有限公司", Since: 201501, Base: 450000},
	}}
}

// fixedOverview answers every Overview with overviewOf(id).
func fixedOverview(_ context.Context, id domain.IDNumber) (insured.InsuranceOverview, error) {
	return overviewOf(id), nil
}

// commandCounter counts the commands a client sends.
type commandCounter struct{ n atomic.Int64 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// eventually polls cond for up to two seconds.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s did not happen within 2s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
