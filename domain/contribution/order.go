package contribution

import (
	"context"
	"errors"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// create stores o, or finds the order its key placed before, and opens it
// at the channel.
func (s *Service) create(ctx context.Context, o Order) (Order, error) {
	stored, existing, err := s.cfg.Store.Create(ctx, o)
	if err != nil {
		return Order{}, err
	}
	if existing && !sameRequest(stored, o) {
		return Order{}, errKeyReused
	}
	return s.open(ctx, stored)
}

func sameRequest(a, b Order) bool {
	return a.PayerRef == b.PayerRef && a.First == b.First && a.Last == b.Last && a.Tier == b.Tier
}

// prior finds the order the payer placed with key before, and opens it
// if it is not yet open: a repeated request needs no look-up at the core,
// and is answered the same even after the months were paid. found is false
// when the key is new.
func (s *Service) prior(ctx context.Context, want Order) (o Order, found bool, err error) {
	o, err = s.cfg.Store.OrderByKey(ctx, want.PayerRef, want.IdempotencyKey)
	switch {
	case domain.IsCode(err, domain.NotFound):
		return Order{}, false, nil
	case err != nil:
		return Order{}, true, err
	case !sameRequest(o, want):
		return Order{}, true, errKeyReused
	}
	o, err = s.open(ctx, o)
	return o, true, err
}

var errKeyReused = domain.Errorf(domain.Conflict, "该请求已用于另一笔缴费订单，请刷新页面后重新提交")

// open opens a pending order at the channel unless it is open already.
// The channel de-duplicates on the order id, so opening again after a lost
// answer returns the same checkout. On failure the order is returned with
// the error: it stays, and Checkout opens it later.
func (s *Service) open(ctx context.Context, o Order) (Order, error) {
	if o.PayURL != "" || o.Status != payment.Pending {
		return o, nil
	}
	payer, err := s.payer(o)
	if err != nil {
		return o, err
	}
	co, err := s.cfg.Channel.Create(ctx, payment.Order{ID: o.ID, Payer: payer, Amount: o.Amount,
		Description: o.Description, NotifyURL: s.cfg.NotifyURL})
	if err != nil {
		return o, domain.Wrap(err, domain.ErrorCode(err), "缴费订单已生成，但"+messageOf(err)+"，请稍后在缴费订单中继续支付")
	}
	if err := s.cfg.Store.SetCheckout(ctx, o.ID, co.ChannelOrderNo, co.PayURL); err != nil {
		return o, err
	}
	o.ChannelOrderNo, o.PayURL = co.ChannelOrderNo, co.PayURL
	return o, nil
}

// payer opens the payer's number for the channel.
func (s *Service) payer(o Order) (string, error) {
	if o.PayerKind == Unit {
		return s.cfg.Sealer.Open(o.SealedPayer)
	}
	id, err := privacy.OpenID(s.cfg.Sealer, o.SealedPayer)
	return id.Raw(), err
}

// messageOf is the Chinese message of a domain error, for composing.
func messageOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Message != "" {
		return de.Message
	}
	return "支付渠道暂时无法访问"
}

// Checkout opens the payer's pending order at the channel, or returns it
// as it is when open already. Errors: NotFound when the payer has no such
// order; Rejected when it is paid or failed; Unavailable or Timeout.
func (s *Service) Checkout(ctx context.Context, payerRef, id string) (Order, error) {
	o, err := s.Order(ctx, payerRef, id)
	if err != nil {
		return Order{}, err
	}
	if o.Status != payment.Pending {
		return Order{}, domain.Errorf(domain.Rejected, "该订单%s，无需再次支付", o.Status.Label())
	}
	return s.open(ctx, o)
}

// Order returns one of the payer's orders. A pending order opened more
// than QueryAfter ago is first brought up to date from the channel, in
// case its notification is late or lost; if the channel cannot be asked,
// the order is returned as stored. NotFound when the payer has no such
// order, whoever else has.
func (s *Service) Order(ctx context.Context, payerRef, id string) (Order, error) {
	o, err := s.cfg.Store.Order(ctx, id)
	if err == nil && o.PayerRef != payerRef {
		err = domain.Errorf(domain.NotFound, "未找到该缴费订单")
	}
	if err != nil {
		return Order{}, err
	}
	if o.Status == payment.Pending && o.PayURL != "" && s.cfg.Now().Sub(o.CreatedAt) > s.cfg.QueryAfter {
		if synced, err := s.sync(ctx, o); err == nil {
			o = synced
		}
	}
	return o, nil
}

// Orders lists the payer's orders, newest first: up to limit (1–50, 20 if
// out of range) with ids before before ("" from the newest).
func (s *Service) Orders(ctx context.Context, payerRef, before string, limit int) ([]Order, error) {
	if limit < 1 || limit > 50 {
		limit = 20
	}
	return s.cfg.Store.Orders(ctx, payerRef, before, limit)
}

// sync asks the channel about o and records a final outcome.
func (s *Service) sync(ctx context.Context, o Order) (Order, error) {
	st, err := s.cfg.Channel.Query(ctx, o.ID)
	if err != nil || st.Status == payment.Pending {
		return o, err
	}
	if err := s.settle(ctx, o, st, "query:"+st.ChannelOrderNo); err != nil {
		return o, err
	}
	return s.cfg.Store.Order(ctx, o.ID)
}
