package contribution

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/payment"
)

// HandleNotification records the outcome a verified notification reports
// (see payment.Notification): a payment once per order, however often the
// channel delivers it, or a failure that gives the months back. A repeat,
// or a notification for an order settled already, changes nothing and
// succeeds, so the channel stops repeating it. Errors: NotFound for an
// order the bureau never placed; Rejected when the amount paid is not the
// order's (recorded nowhere: staff reconcile it); Unavailable when the
// database fails, so the channel posts it again. It returns the order as
// it stands afterwards, for the audit log.
func (s *Service) HandleNotification(ctx context.Context, n payment.Notification) (Order, error) {
	o, err := s.cfg.Store.Order(ctx, n.OrderID)
	if err != nil {
		return Order{}, err
	}
	if err := s.settle(ctx, o, n.State, n.ID); err != nil {
		return o, err
	}
	return s.cfg.Store.Order(ctx, o.ID)
}

// settle records st, the channel's final word on o.
func (s *Service) settle(ctx context.Context, o Order, st payment.State, notifyID string) error {
	if o.Status != payment.Pending {
		return nil
	}
	if st.Amount != o.Amount {
		return domain.Errorf(domain.Rejected, "缴费金额与订单金额不符，请联系工作人员核实")
	}
	now := s.now()
	at := st.At
	if at.IsZero() {
		at = now
	}
	var p Payment
	if st.Status == payment.Paid {
		p = Payment{OrderID: o.ID, ReceiptNo: newID("PZ", now), NotifyID: notifyID, ChannelOrderNo: st.ChannelOrderNo,
			Amount: st.Amount, PaidAt: at.UTC().Truncate(time.Millisecond), RecordedAt: now}
	}
	recorded, err := s.cfg.Store.Settle(ctx, o.ID, st.Status, p, st.FailReason, at)
	if err == nil && recorded && st.Status == payment.Paid && s.cfg.Paid != nil {
		if payer, err := s.payer(o); err == nil {
			s.cfg.Paid(ctx, o.PayerKind, payer)
		}
	}
	return err
}

// Receipt is what a paid order's receipt (缴费凭证) shows.
type Receipt struct {
	Order
	Payment Payment
}

// Receipt returns the receipt of one of the payer's paid orders. Errors:
// NotFound when the payer has no such order; Rejected while it is not paid.
func (s *Service) Receipt(ctx context.Context, payerRef, id string) (Receipt, error) {
	o, err := s.Order(ctx, payerRef, id)
	if err != nil {
		return Receipt{}, err
	}
	if o.Status != payment.Paid || o.Payment == nil {
		return Receipt{}, domain.Errorf(domain.Rejected, "该订单%s，暂无缴费凭证", o.Status.Label())
	}
	return Receipt{Order: o, Payment: *o.Payment}, nil
}
