package cache_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/prometheus/client_golang/prometheus"
)

// coreFixture is the business-core simulator on a loopback port and the
// production SOAP client of it.
type coreFixture struct {
	sim    *sim.Sim
	client *insurance.Client
	people map[string]sim.SamplePerson // by status: 在职, 退休, 失业, 灵活就业
}

var downFaults = simulator.Faults{Down: true}

func newCoreFixture(tb testing.TB) *coreFixture {
	tb.Helper()
	s := sim.New(sim.Config{Seed: 7, AsOf: time.Date(2025, 6, 18, 10, 0, 0, 0, domain.Beijing)})
	srv, err := simulator.Serve("127.0.0.1:0", s)
	if err != nil {
		tb.Fatal(err)
	}
	policy := remote.Policy{Timeout: time.Second, Retries: 1, BackoffBase: time.Millisecond,
		BackoffMax: 2 * time.Millisecond, BreakerFailures: 50, BreakerOpenFor: time.Minute, BreakerProbes: 1}
	c := insurance.New(insurance.Config{BaseURL: srv.URL(), Policy: policy}, prometheus.NewRegistry())
	tb.Cleanup(func() {
		c.Close()
		srv.Close(context.Background())
	})
	f := &coreFixture{sim: s, client: c, people: map[string]sim.SamplePerson{}}
	for _, p := range s.Sample(20) {
		if _, seen := f.people[p.Status]; !seen {
			f.people[p.Status] = p
		}
	}
	return f
}

func (f *coreFixture) id(tb testing.TB, status string) domain.IDNumber {
	tb.Helper()
	p, ok := f.people[status]
	if !ok {
		tb.Fatalf("no sample person %s", status)
	}
	return domain.IDNumber(p.ID)
}

// TestAnswersFromRedisEqualTheCore reads through one instance, stops the
// core, and reads the same through a second instance, which can only
// answer from Redis: every field, every date in Beijing, must be the same.
func TestAnswersFromRedisEqualTheCore(t *testing.T) {
	f := newCoreFixture(t)
	rdb, prefix := cachetest.Redis(t)
	a := newInstance(t, rdb, prefix, nil, f.client, nil)
	b := newInstance(t, rdb, prefix, nil, f.client, nil)
	retired, employed := f.id(t, "退休"), f.id(t, "在职")
	reads := map[string]func(core insured.Core) (any, error){
		"Person":          func(c insured.Core) (any, error) { return c.Person(t.Context(), retired) },
		"Overview":        func(c insured.Core) (any, error) { return c.Overview(t.Context(), employed) },
		"Contributions":   func(c insured.Core) (any, error) { return c.Contributions(t.Context(), employed, 2020) },
		"PensionAccount":  func(c insured.Core) (any, error) { return c.PensionAccount(t.Context(), retired) },
		"PensionBenefit":  func(c insured.Core) (any, error) { return c.PensionBenefit(t.Context(), retired) },
		"PensionPayments": func(c insured.Core) (any, error) { return c.PensionPayments(t.Context(), retired, 2024) },
		"Unit": func(c insured.Core) (any, error) {
			return c.Unit(t.Context(), domain.CreditCode(f.people["在职"].UnitCode))
		},
	}
	want := map[string]any{}
	for name, read := range reads {
		v, err := read(a.core)
		if err != nil {
			t.Fatalf("%s from the core: %v", name, err)
		}
		want[name] = v
	}
	f.sim.Injector().SetFaults(downFaults)
	for name, read := range reads {
		got, err := read(b.core)
		if err != nil {
			t.Errorf("%s from Redis: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want[name]) {
			t.Errorf("%s from Redis = %+v; want %+v", name, got, want[name])
		}
	}
}
