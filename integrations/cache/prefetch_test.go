package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
)

// aheadCore answers every read Prefetch makes, counting them.
type aheadCore struct{ fakeCore }

func (f *aheadCore) PensionAccount(context.Context, domain.IDNumber) (insured.PensionAccount, error) {
	f.calls.Add(1)
	return insured.PensionAccount{}, nil
}

func (f *aheadCore) WorkInjuries(context.Context, domain.IDNumber) ([]insured.WorkInjury, error) {
	f.calls.Add(1)
	return nil, nil
}

func (f *aheadCore) UnemploymentClaims(context.Context, domain.IDNumber) ([]insured.UnemploymentClaim, error) {
	f.calls.Add(1)
	return nil, nil
}

// A citizen's first screens after a sign-in come from the cache: the
// prefetch asked the core once for each, in the background.
func TestPrefetchServesTheFirstScreens(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	core := &aheadCore{fakeCore{overview: fixedOverview,
		person: func(_ context.Context, id domain.IDNumber) (insured.Person, error) {
			return insured.Person{ID: id, Name: "张三"}, nil
		},
		contributions: func(_ context.Context, _ domain.IDNumber, year int) (insured.ContributionYear, error) {
			return insured.ContributionYear{Year: year}, nil
		}}}
	in := newInstance(t, rdb, prefix, nil, core, nil)
	in.core.Prefetch(someID)
	const reads = 7 // overview, person, contributions of this year and last, account, work injury, unemployment
	deadline := time.Now().Add(5 * time.Second)
	for core.calls.Load() < reads {
		if time.Now().After(deadline) {
			t.Fatalf("prefetch made %d reads in 5 s; want %d", core.calls.Load(), reads)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the answers land in memory after the core's reply
	ctx := context.Background()
	if _, err := in.core.Overview(ctx, someID); err != nil {
		t.Fatal(err)
	}
	if _, err := in.core.Contributions(ctx, someID, time.Now().In(domain.Beijing).Year()); err != nil {
		t.Fatal(err)
	}
	if _, err := in.core.PensionAccount(ctx, someID); err != nil {
		t.Fatal(err)
	}
	if got := core.calls.Load(); got != reads {
		t.Errorf("the first screens made %d more calls to the core; want none", got-reads)
	}
	if got := in.lookups(t, "core:overview", "l1_hit"); got != 1 {
		t.Errorf("overview l1_hit = %v; want 1", got)
	}
}
