package contribution_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

const unit = domain.CreditCode("91210600MA0Y8KQ12X")

var may = insured.NewMonth(2026, time.May)

func newService(c *core, ch *channel) (*contribution.Service, *memStore) {
	st := newMemStore()
	return contribution.NewService(contribution.Config{Store: st, Core: c, Channel: ch, Sealer: sealer{},
		NotifyURL: "https://hrss.example/app/v1/contributions/notify",
		Paid: func(_ context.Context, kind contribution.PayerKind, payer string) {
			st.paid = append(st.paid, string(kind)+":"+payer)
		}}), st
}

func TestUnitPaysItsAssessment(t *testing.T) {
	c := &core{assessments: []insured.UnitAssessment{
		{Month: may.AddMonths(-1), Total: 1_000_000, Status: insured.Settled},
		{Month: may, Total: 2_345_600, Status: insured.Overdue, Lines: []insured.AssessmentLine{{Base: 5_000_000}}},
	}}
	ch := &channel{}
	s, _ := newService(c, ch)
	ctx := context.Background()
	req := contribution.UnitOrder{Unit: unit, ActorRef: "operator-7", Channel: domain.Enterprise, IdempotencyKey: "unit-key-0001", Month: may}
	o, err := s.PlaceUnitOrder(ctx, req)
	if err != nil || o.Amount != 2_345_600 || o.PayURL == "" || o.PayerDisplay != "丹东港城物流有限公司" {
		t.Fatalf("PlaceUnitOrder = %+v, %v; want the overdue assessment's total, opened", o, err)
	}
	if len(ch.opened) != 1 || ch.opened[0].Payer != string(unit) || ch.opened[0].Amount != 2_345_600 {
		t.Errorf("the channel got %+v; want one order for the unit's credit code", ch.opened)
	}
	before := c.calls
	if again, err := s.PlaceUnitOrder(ctx, req); err != nil || again.ID != o.ID || c.calls != before {
		t.Errorf("the same key again = %s, %v (%d core calls); want the first order with no look-up", again.ID, err, c.calls-before)
	}
	paid := req
	paid.IdempotencyKey, paid.Month = "unit-key-0002", may.AddMonths(-1)
	if _, err := s.PlaceUnitOrder(ctx, paid); !domain.IsCode(err, domain.Rejected) {
		t.Errorf("a paid assessment: err = %v; want Rejected", err)
	}
	none := req
	none.IdempotencyKey, none.Month = "unit-key-0003", may.AddMonths(1)
	if _, err := s.PlaceUnitOrder(ctx, none); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("a month not assessed: err = %v; want NotFound", err)
	}
}

func TestNotificationIsRecordedOnceAndChecked(t *testing.T) {
	c := &core{assessments: []insured.UnitAssessment{{Month: may, Total: 500_000, Status: insured.Assessed}}}
	ch := &channel{down: true}
	s, st := newService(c, ch)
	ctx := context.Background()
	ref := privacy.UnitIndex(sealer{}, unit)
	o, err := s.PlaceUnitOrder(ctx, contribution.UnitOrder{Unit: unit, Channel: domain.Enterprise, IdempotencyKey: "unit-key-0001", Month: may})
	if !domain.IsCode(err, domain.Unavailable) || o.ID == "" || o.PayURL != "" {
		t.Fatalf("channel down: %+v, %v; want the order kept, unopened, and Unavailable", o, err)
	}
	ch.down = false
	if o, err = s.Checkout(ctx, ref, o.ID); err != nil || o.PayURL == "" {
		t.Fatalf("Checkout once the channel is back = %+v, %v", o, err)
	}

	wrong := payment.Notification{ID: "NT1", State: payment.State{OrderID: o.ID, Amount: 1, Status: payment.Paid}}
	if _, err := s.HandleNotification(ctx, wrong); !domain.IsCode(err, domain.Rejected) {
		t.Errorf("a notification for the wrong amount: err = %v; want Rejected", err)
	}
	right := payment.Notification{ID: "NT2", State: payment.State{OrderID: o.ID, ChannelOrderNo: "PY-1", Amount: 500_000,
		Status: payment.Paid, At: time.Date(2026, 5, 20, 10, 0, 0, 0, domain.Beijing)}}
	first, err := s.HandleNotification(ctx, right)
	if err != nil || first.Status != payment.Paid || first.Payment == nil || first.Payment.NotifyID != "NT2" {
		t.Fatalf("paid notification = %+v, %v", first, err)
	}
	late := payment.Notification{ID: "NT3", State: payment.State{OrderID: o.ID, Amount: 500_000, Status: payment.Failed}}
	again, err := s.HandleNotification(ctx, late)
	if err != nil || again.Status != payment.Paid || again.Payment.ReceiptNo != first.Payment.ReceiptNo {
		t.Errorf("a later notification changed the paid order: %+v, %v", again, err)
	}
	if want := []string{"unit:" + string(unit)}; fmt.Sprint(st.paid) != fmt.Sprint(want) {
		t.Errorf("told of payments %v; want %v: the unit's cached data dropped once", st.paid, want)
	}
	if _, err := s.HandleNotification(ctx, payment.Notification{ID: "NT4", State: payment.State{OrderID: "JF404", Status: payment.Paid}}); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("a notification for an order never placed: err = %v; want NotFound", err)
	}
	r, err := s.Receipt(ctx, ref, o.ID)
	if err != nil || r.Payment.Amount != 500_000 {
		t.Errorf("Receipt = %+v, %v", r, err)
	}
	if _, err := s.Receipt(ctx, "someone-else", o.ID); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("another payer's receipt: err = %v; want NotFound", err)
	}
}
