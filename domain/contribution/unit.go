package contribution

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// UnitOrder is what a unit's clerk asks to pay: one month's assessment.
type UnitOrder struct {
	Unit           domain.CreditCode
	ActorRef       string // the clerk's account reference
	Channel        domain.Channel
	IdempotencyKey string
	Month          insured.Month
}

// PlaceUnitOrder places an order for what the unit's assessment of the
// month says it owes and opens it at the channel, as PlacePersonOrder
// does. Errors: Invalid on "idempotencyKey" or "month"; NotFound when the
// core has no such unit or no assessment of the month; Rejected when it is
// paid already; Conflict, Unavailable and Timeout as for PlacePersonOrder.
func (s *Service) PlaceUnitOrder(ctx context.Context, req UnitOrder) (Order, error) {
	if !isKey(req.IdempotencyKey) {
		return Order{}, domain.InvalidFields(domain.FieldError{Field: "idempotencyKey", Message: "请求缺少幂等键或格式不正确，请刷新页面后重新提交"})
	}
	if !req.Month.Valid() {
		return Order{}, domain.InvalidFields(domain.FieldError{Field: "month", Message: "请选择核定月份"})
	}
	key := Order{PayerRef: privacy.UnitIndex(s.cfg.Sealer, req.Unit), IdempotencyKey: req.IdempotencyKey,
		First: req.Month, Last: req.Month}
	if o, found, err := s.prior(ctx, key); found {
		return o, err
	}
	a, err := s.assessment(ctx, req)
	if err != nil {
		return Order{}, err
	}
	u, err := s.cfg.Core.Unit(ctx, req.Unit)
	if err != nil {
		return Order{}, err
	}
	sealed, err := s.cfg.Sealer.Seal(string(req.Unit))
	if err != nil {
		return Order{}, err
	}
	var base domain.Fen
	for _, l := range a.Lines {
		base += l.Base
	}
	now := s.now()
	o := Order{ID: newID("JF", now), PayerKind: Unit, PayerRef: privacy.UnitIndex(s.cfg.Sealer, req.Unit), SealedPayer: sealed,
		PayerDisplay: u.Name, ActorRef: req.ActorRef, Channel: req.Channel, IdempotencyKey: req.IdempotencyKey,
		First: req.Month, Last: req.Month, Base: base, Monthly: a.Total, Amount: a.Total,
		Description: monthText(req.Month) + "单位社会保险费", Status: payment.Pending, CreatedAt: now}
	return s.create(ctx, o)
}

// assessment finds the unit's unpaid assessment of the month.
func (s *Service) assessment(ctx context.Context, req UnitOrder) (insured.UnitAssessment, error) {
	list, err := s.cfg.Core.UnitAssessments(ctx, req.Unit, req.Month.Year())
	if err != nil {
		return insured.UnitAssessment{}, err
	}
	for _, a := range list {
		if a.Month != req.Month {
			continue
		}
		if a.Status == insured.Settled {
			return a, domain.Errorf(domain.Rejected, "%s的核定单已缴费", monthText(a.Month))
		}
		return a, nil
	}
	return insured.UnitAssessment{}, domain.Errorf(domain.NotFound, "未查询到%s的核定单，请先完成月申报核定", monthText(req.Month))
}
