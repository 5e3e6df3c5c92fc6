package cache

import (
	"context"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// maxPrefetches bounds the prefetches in flight: beyond it a sign-in is
// not read ahead, which costs that citizen one slow first screen.
const maxPrefetches = 64

// Prefetch reads ahead, in the background, what a citizen who has just
// signed in asks for first — their overview and person, this year's and
// last year's contributions, their pension account, work-injury and unemployment
// records, and a pensioner's benefit and this year's payments — so that
// their first screens come from the cache rather than from the business
// core's 50–300 ms. Channels call it when a card is read or a session is
// bound to a person. It never blocks and never fails: with maxPrefetches
// in flight it does nothing, and errors are what a later read would have
// met anyway (refusals and answers are cached as for any read).
func (c *CachedCore) Prefetch(id domain.IDNumber) {
	c.readAhead(func(ctx context.Context) []func() {
		ov, err := c.Overview(ctx, id)
		if err != nil {
			return nil
		}
		reads := []func(){
			func() { c.Person(ctx, id) },
			func() { c.Contributions(ctx, id, c.thisYear()) },
			func() { c.Contributions(ctx, id, c.thisYear()-1) },
			func() { c.PensionAccount(ctx, id) },
			func() { c.WorkInjuries(ctx, id) },
			func() { c.UnemploymentClaims(ctx, id) },
		}
		if ov.Status == insured.Retired {
			reads = append(reads, func() { c.PensionBenefit(ctx, id) }, func() { c.PensionPayments(ctx, id, c.thisYear()) })
		}
		return reads
	})
}

// unitStaffPage is the roll's page size the enterprise channel shows first.
const unitStaffPage = 20

// PrefetchUnit is Prefetch for a unit whose clerk has just signed in: the
// unit, the first page of its roll, this year's assessments and payments.
func (c *CachedCore) PrefetchUnit(code domain.CreditCode) {
	c.readAhead(func(ctx context.Context) []func() {
		return []func(){
			func() { c.Unit(ctx, code) },
			func() { c.UnitStaff(ctx, code, 1, unitStaffPage) },
			func() { c.UnitAssessments(ctx, code, c.thisYear()) },
			func() { c.UnitPayments(ctx, code, c.thisYear()) },
		}
	})
}

// readAhead runs, in the background and within maxPrefetches, plan and
// then the reads it returns, side by side; with maxPrefetches in flight it
// does nothing.
func (c *CachedCore) readAhead(plan func(ctx context.Context) []func()) {
	select {
	case c.ahead <- struct{}{}:
	default:
		return
	}
	go func() {
		defer func() { <-c.ahead }()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for _, read := range plan(ctx) {
			wg.Go(read)
		}
		wg.Wait()
	}()
}
