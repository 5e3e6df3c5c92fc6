package contributiondb_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/contributiondb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var at = time.Date(2026, 6, 1, 9, 30, 0, 0, domain.Beijing)

func order(id, key string, first, last insured.Month) contribution.Order {
	return contribution.Order{ID: id, PayerKind: contribution.Person, PayerRef: "payer-1", SealedPayer: "k1:x",
		PayerDisplay: "张* 2106**********1234", ActorRef: "payer-1", Channel: domain.App, IdempotencyKey: key,
		Insurance: insured.PensionInsurance, First: first, Last: last, Tier: 100, Base: 600000, Monthly: 96000,
		Amount: 96000 * domain.Fen(int(last-first)+1), Description: "灵活就业养老保险费", Status: payment.Pending, CreatedAt: at}
}

func TestOrdersClaimTheirMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := contributiondb.New(db)
		ctx := context.Background()
		o := order("JF1", "key-00000001", 202606, 202608)
		got, existing, err := s.Create(ctx, o)
		if err != nil || existing || got.ID != "JF1" || got.Months() != 3 || !got.CreatedAt.Equal(at) {
			t.Fatalf("Create = %+v, %v, %v", got, existing, err)
		}
		again, existing, err := s.Create(ctx, order("JF2", "key-00000001", 202606, 202608))
		if err != nil || !existing || again.ID != "JF1" {
			t.Errorf("same key again = %s, %v, %v; want the first order back", again.ID, existing, err)
		}
		_, _, err = s.Create(ctx, order("JF3", "key-00000003", 202608, 202609))
		if !domain.IsCode(err, domain.Conflict) {
			t.Errorf("overlapping months: err = %v; want Conflict", err)
		}
		if _, err := s.Order(ctx, "JF3"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("the refused order was stored: %v", err)
		}
		if err := s.SetCheckout(ctx, "JF1", "PY1", "https://pay/cashier/PY1"); err != nil {
			t.Fatal(err)
		}
		ok, err := s.Settle(ctx, "JF1", payment.Failed, contribution.Payment{}, "银行卡余额不足", at)
		if err != nil || !ok {
			t.Fatalf("Settle failed = %v, %v", ok, err)
		}
		if _, _, err := s.Create(ctx, order("JF4", "key-00000004", 202608, 202609)); err != nil {
			t.Errorf("months of a failed order should be free again: %v", err)
		}
		got, _ = s.Order(ctx, "JF1")
		if got.Status != payment.Failed || got.FailReason != "银行卡余额不足" || got.PayURL == "" || got.Payment != nil {
			t.Errorf("failed order = %+v", got)
		}
		list, err := s.Orders(ctx, "payer-1", "", 10)
		if err != nil || len(list) != 2 || list[0].ID != "JF4" {
			t.Fatalf("Orders = %d, %v; want JF4 then JF1", len(list), err)
		}
		if older, _ := s.Orders(ctx, "payer-1", "JF4", 10); len(older) != 1 || older[0].ID != "JF1" {
			t.Errorf("Orders before JF4 = %+v; want JF1", older)
		}
	})
}

func TestPaymentIsRecordedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := contributiondb.New(db)
		ctx := context.Background()
		s.Create(ctx, order("JF1", "key-00000001", 202606, 202606))
		var recorded atomic.Int32
		var wg sync.WaitGroup
		for i := range 5 {
			wg.Go(func() {
				p := contribution.Payment{OrderID: "JF1", ReceiptNo: "PZ" + string(rune('A'+i)), NotifyID: "NT1",
					ChannelOrderNo: "PY1", Amount: 96000, PaidAt: at, RecordedAt: at}
				if ok, err := s.Settle(ctx, "JF1", payment.Paid, p, "", at); err != nil {
					t.Error(err)
				} else if ok {
					recorded.Add(1)
				}
			})
		}
		wg.Wait()
		if n := recorded.Load(); n != 1 {
			t.Errorf("%d of 5 concurrent settlements recorded; want 1", n)
		}
		got, err := s.Order(ctx, "JF1")
		if err != nil || got.Status != payment.Paid || got.Payment == nil || got.Payment.Amount != 96000 || !got.Payment.PaidAt.Equal(at) {
			t.Fatalf("paid order = %+v, %v", got, err)
		}
		if ok, _ := s.Settle(ctx, "JF1", payment.Failed, contribution.Payment{}, "late failure", at); ok {
			t.Error("a paid order was settled again as failed")
		}
	})
}
