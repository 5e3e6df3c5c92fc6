package contribution_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// memStore keeps orders in memory with the rules of the real stores: one
// order per key, one open or paid order per month, settle once.
type memStore struct {
	mu     sync.Mutex
	orders map[string]contribution.Order
	months map[string]string // payerRef|month → order id
	paid   []string          // "kind:payer" of every Paid call
}

func newMemStore() *memStore {
	return &memStore{orders: map[string]contribution.Order{}, months: map[string]string{}}
}

func monthKey(ref string, m insured.Month) string { return ref + "|" + m.String() }

func (s *memStore) Create(_ context.Context, o contribution.Order) (contribution.Order, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, prior := range s.orders {
		if prior.PayerRef == o.PayerRef && prior.IdempotencyKey == o.IdempotencyKey {
			return prior, true, nil
		}
	}
	for m := o.First; m <= o.Last; m = m.AddMonths(1) {
		if _, taken := s.months[monthKey(o.PayerRef, m)]; taken {
			return contribution.Order{}, false, domain.Errorf(domain.Conflict, "月份已有订单")
		}
	}
	for m := o.First; m <= o.Last; m = m.AddMonths(1) {
		s.months[monthKey(o.PayerRef, m)] = o.ID
	}
	s.orders[o.ID] = o
	return o, false, nil
}

func (s *memStore) Order(_ context.Context, id string) (contribution.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return o, domain.Errorf(domain.NotFound, "未找到该缴费订单")
	}
	return o, nil
}

func (s *memStore) OrderByKey(_ context.Context, ref, key string) (contribution.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.PayerRef == ref && o.IdempotencyKey == key {
			return o, nil
		}
	}
	return contribution.Order{}, domain.Errorf(domain.NotFound, "未找到该缴费订单")
}

func (s *memStore) Orders(_ context.Context, ref, before string, limit int) ([]contribution.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []contribution.Order
	for _, o := range s.orders {
		if o.PayerRef == ref && (before == "" || o.ID < before) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b contribution.Order) int { return strings.Compare(b.ID, a.ID) })
	return out[:min(limit, len(out))], nil
}

func (s *memStore) SetCheckout(_ context.Context, id, no, url string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	o.ChannelOrderNo, o.PayURL = no, url
	s.orders[id] = o
	return nil
}

func (s *memStore) Settle(_ context.Context, id string, st payment.Status, p contribution.Payment, reason string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	if o.Status != payment.Pending {
		return false, nil
	}
	o.Status, o.FailReason, o.SettledAt = st, reason, at
	if st == payment.Paid {
		o.Payment = &p
	} else {
		for m := o.First; m <= o.Last; m = m.AddMonths(1) {
			delete(s.months, monthKey(o.PayerRef, m))
		}
	}
	s.orders[id] = o
	return true, nil
}

// core is the business core with the answers a test sets.
type core struct {
	contribution.Core // calls not set panic
	assessments       []insured.UnitAssessment
	calls             int
}

func (c *core) Unit(context.Context, domain.CreditCode) (insured.Unit, error) {
	c.calls++
	return insured.Unit{Name: "丹东港城物流有限公司"}, nil
}

func (c *core) UnitAssessments(context.Context, domain.CreditCode, int) ([]insured.UnitAssessment, error) {
	c.calls++
	return c.assessments, nil
}

// channel is the payment channel: it opens every order, unless down.
type channel struct {
	down   bool
	opened []payment.Order
}

func (c *channel) Create(_ context.Context, o payment.Order) (payment.Checkout, error) {
	if c.down {
		return payment.Checkout{}, domain.Errorf(domain.Unavailable, "缴费渠道暂时无法访问")
	}
	c.opened = append(c.opened, o)
	return payment.Checkout{ChannelOrderNo: "PY-" + o.ID, PayURL: "https://pay.example/" + o.ID}, nil
}

func (c *channel) Query(context.Context, string) (payment.State, error) {
	return payment.State{}, domain.Errorf(domain.Unavailable, "缴费渠道暂时无法访问")
}

// sealer seals by prefixing, enough to see that values are not raw.
type sealer struct{}

func (sealer) Seal(p string) (string, error) { return "k:" + p, nil }
func (sealer) Open(s string) (string, error) { return strings.TrimPrefix(s, "k:"), nil }
func (sealer) BlindIndex(k privacy.Kind, v string) string {
	if v == "" {
		return ""
	}
	return string(k) + "#" + v
}
