package enterprise

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// maxRollPages bounds the roll read for one batch: 100,000 people.
const maxRollPages = 1000

// roll reads the unit's whole roll (参保人员名册) from the business core,
// keyed by raw ID number, a page of insured.MaxPageSize at a time with a
// few pages in flight: one look-up per hundred people instead of one per
// row of a batch.
func (ch *Channel) roll(ctx context.Context, code domain.CreditCode) (map[string]insured.StaffMember, error) {
	first, err := ch.cfg.Core.UnitStaff(ctx, code, 1, insured.MaxPageSize)
	if err != nil {
		return nil, err
	}
	pages := min((first.Total+insured.MaxPageSize-1)/insured.MaxPageSize, maxRollPages)
	all := make([][]insured.StaffMember, max(pages, 1))
	all[0] = first.Staff
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4) // the core is slow and shared; do not crowd it
	for p := 2; p <= pages; p++ {
		g.Go(func() error {
			page, err := ch.cfg.Core.UnitStaff(gctx, code, p, insured.MaxPageSize)
			all[p-1] = page.Staff
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make(map[string]insured.StaffMember, first.Total)
	for _, staff := range all {
		for _, m := range staff {
			out[m.ID.Raw()] = m
		}
	}
	return out, nil
}
