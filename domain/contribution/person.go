package contribution

import (
	"context"
	"slices"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Options are what a person in flexible employment may choose when paying
// (缴费档次与缴费月份): the base tiers and the months open to pay now.
type Options struct {
	Tiers    insured.BaseTierOptions
	Earliest insured.Month // the oldest month still payable online
	Latest   insured.Month // December of this year
	// Unpaid are the months from Earliest to Latest the core has no paid
	// pension contribution for. A month an open order holds is listed
	// still; ordering it again is refused as a Conflict.
	Unpaid []insured.Month
}

// Options returns the person's choices. Errors: NotFound when the core has
// no such person; Rejected when the person is not in flexible employment,
// since their employer pays for them.
func (s *Service) Options(ctx context.Context, person domain.IDNumber) (Options, error) {
	tiers, err := s.cfg.Core.BaseTiers(ctx, person)
	if err != nil {
		return Options{}, err
	}
	first, last := s.window()
	paid, err := s.paidMonths(ctx, person, first, last)
	if err != nil {
		return Options{}, err
	}
	o := Options{Tiers: tiers, Earliest: first, Latest: last}
	for m := first; m <= last; m = m.AddMonths(1) {
		if !paid[m] {
			o.Unpaid = append(o.Unpaid, m)
		}
	}
	return o, nil
}

// window is the months a person may pay online now.
func (s *Service) window() (first, last insured.Month) {
	now := insured.MonthOf(s.cfg.Now())
	return now.AddMonths(-s.cfg.Arrears), insured.NewMonth(now.Year(), 12)
}

// paidMonths returns the months from first to last with a paid pension
// contribution at the core.
func (s *Service) paidMonths(ctx context.Context, person domain.IDNumber, first, last insured.Month) (map[insured.Month]bool, error) {
	paid := map[insured.Month]bool{}
	for year := first.Year(); year <= last.Year(); year++ {
		cy, err := s.cfg.Core.Contributions(ctx, person, year)
		if err != nil {
			return nil, err
		}
		for _, r := range cy.Records {
			if r.Type == insured.PensionInsurance && r.Paid && r.Month >= first && r.Month <= last {
				paid[r.Month] = true
			}
		}
	}
	return paid, nil
}

// PersonOrder is what a person in flexible employment asks to pay.
type PersonOrder struct {
	Payer          domain.IDNumber
	ActorRef       string // the signed-in person's blind index (a relative's, when acting for the payer)
	Channel        domain.Channel
	IdempotencyKey string // the channel's Idempotency-Key: a double tap is one order
	First, Last    insured.Month
	Tier           int // percent, one of the offered tiers
}

// PlacePersonOrder places an order for the months First to Last at the
// chosen tier and opens it at the payment channel. Placing it again with
// the same key returns the first order. When the channel cannot be reached
// the order is kept, returned with the error, and can be opened later with
// Checkout. Errors: Invalid naming the field at fault; Rejected when the
// person is not in flexible employment or a month is paid already;
// Conflict when another order holds a month or the key was used for
// another order; Unavailable or Timeout from the core or the channel.
func (s *Service) PlacePersonOrder(ctx context.Context, req PersonOrder) (Order, error) {
	if err := s.checkPersonOrder(req); err != nil {
		return Order{}, err
	}
	key := Order{PayerRef: privacy.IDIndex(s.cfg.Sealer, req.Payer), IdempotencyKey: req.IdempotencyKey,
		First: req.First, Last: req.Last, Tier: req.Tier}
	if o, found, err := s.prior(ctx, key); found {
		return o, err
	}
	tiers, err := s.cfg.Core.BaseTiers(ctx, req.Payer)
	if err != nil {
		return Order{}, err
	}
	tier, ok := findTier(tiers, req.Tier)
	if !ok {
		return Order{}, domain.InvalidFields(domain.FieldError{Field: "tier", Message: "请选择列表中的缴费档次"})
	}
	if err := s.checkUnpaid(ctx, req); err != nil {
		return Order{}, err
	}
	o, err := s.personOrder(ctx, req, tier)
	if err != nil {
		return Order{}, err
	}
	return s.create(ctx, o)
}

// checkPersonOrder checks what needs no look-up.
func (s *Service) checkPersonOrder(req PersonOrder) error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	first, last := s.window()
	if !isKey(req.IdempotencyKey) {
		add("idempotencyKey", "请求缺少幂等键或格式不正确，请刷新页面后重新提交")
	}
	switch {
	case !req.First.Valid() || req.First < first || req.First > last:
		add("from", "起始月份应在"+monthText(first)+"至"+monthText(last)+"之间")
	case !req.Last.Valid() || req.Last < req.First || req.Last > last:
		add("to", "截止月份应不早于起始月份，且不晚于"+monthText(last))
	}
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

func findTier(o insured.BaseTierOptions, percent int) (insured.BaseTier, bool) {
	i := slices.IndexFunc(o.Tiers, func(t insured.BaseTier) bool { return t.Percent == percent })
	if i < 0 {
		return insured.BaseTier{}, false
	}
	return o.Tiers[i], true
}

// checkUnpaid refuses months the core has a paid contribution for.
func (s *Service) checkUnpaid(ctx context.Context, req PersonOrder) error {
	paid, err := s.paidMonths(ctx, req.Payer, req.First, req.Last)
	if err != nil {
		return err
	}
	var done []string
	for m := req.First; m <= req.Last; m = m.AddMonths(1) {
		if paid[m] {
			done = append(done, m.String())
		}
	}
	if done != nil {
		return domain.Errorf(domain.Rejected, "%s已缴费，请重新选择缴费月份", strings.Join(done, "、"))
	}
	return nil
}

// personOrder builds the order to store.
func (s *Service) personOrder(ctx context.Context, req PersonOrder, tier insured.BaseTier) (Order, error) {
	p, err := s.cfg.Core.Person(ctx, req.Payer)
	if err != nil {
		return Order{}, err
	}
	sealed, err := privacy.SealID(s.cfg.Sealer, req.Payer)
	if err != nil {
		return Order{}, err
	}
	now := s.now()
	o := Order{ID: newID("JF", now), PayerKind: Person, PayerRef: privacy.IDIndex(s.cfg.Sealer, req.Payer),
		SealedPayer: sealed, PayerDisplay: domain.MaskName(p.Name) + " " + req.Payer.Masked(), ActorRef: req.ActorRef,
		Channel: req.Channel, IdempotencyKey: req.IdempotencyKey, Insurance: insured.PensionInsurance,
		First: req.First, Last: req.Last, Tier: tier.Percent, Base: tier.Base, Monthly: tier.Monthly,
		Status: payment.Pending, CreatedAt: now}
	o.Amount = o.Monthly * domain.Fen(o.Months())
	o.Description = monthText(o.First) + "至" + monthText(o.Last) + "灵活就业养老保险费"
	if o.First == o.Last {
		o.Description = monthText(o.First) + "灵活就业养老保险费"
	}
	return o, nil
}

// isKey accepts 8–64 letters, digits, '-' and '_': a UUID or similar.
func isKey(k string) bool {
	if len(k) < 8 || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
