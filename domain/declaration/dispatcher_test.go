package declaration_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// outbox records what the dispatcher did with each claimed row.
type outbox struct {
	mu          sync.Mutex
	due         []declaration.Due
	receipts    map[string]acceptance.Receipt
	refused     map[string]string
	rescheduled map[string]time.Time
	status      declaration.Status // what RecordReceipt reports
}

func (o *outbox) ClaimDue(context.Context, time.Time, int, time.Duration) ([]declaration.Due, error) {
	d := o.due
	o.due = nil
	return d, nil
}

func (o *outbox) RecordReceipt(_ context.Context, id string, r acceptance.Receipt, _ time.Time) (declaration.Status, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.receipts[id] = r
	return o.status, nil
}

func (o *outbox) Reschedule(_ context.Context, id, _ string, next time.Time, _ string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rescheduled[id] = next
	return nil
}

func (o *outbox) Refuse(_ context.Context, id, reason string, _ time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refused[id] = reason
	return nil
}

func (o *outbox) OldestPending(context.Context) (time.Time, error) { return time.Time{}, nil }

// core answers Submit by application id with a fixed error, or a receipt.
type core struct {
	acceptance.Core
	mu        sync.Mutex
	errs      map[string]error
	withdrawn []string
}

func (c *core) Submit(_ context.Context, s acceptance.Submission) (acceptance.Receipt, error) {
	if err := c.errs[s.ApplicationID]; err != nil {
		return acceptance.Receipt{}, err
	}
	return acceptance.Receipt{CaseNo: "DD" + s.ApplicationID, ApplicationID: s.ApplicationID}, nil
}

func (c *core) Withdraw(_ context.Context, caseNo, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.withdrawn = append(c.withdrawn, caseNo)
	return nil
}

func TestDispatcherOutcomes(t *testing.T) {
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	due := func(id string, attempts int) declaration.Due {
		return declaration.Due{Application: declaration.Application{ID: id, SealedForm: "t1:e30"}, Attempts: attempts}
	}
	ob := &outbox{due: []declaration.Due{due("ok", 1), due("down", 1), due("slow", 30), due("bad", 1)},
		receipts: map[string]acceptance.Receipt{}, refused: map[string]string{}, rescheduled: map[string]time.Time{}}
	c := &core{errs: map[string]error{
		"down": domain.Errorf(domain.Unavailable, "业务受理系统暂时无法访问"),
		"slow": domain.Errorf(domain.Timeout, "业务受理系统响应超时"),
		"bad":  domain.InvalidFields(domain.FieldError{Field: "form", Message: "申请表内容格式不正确"}),
	}}
	var retried []domain.Code
	var mu sync.Mutex
	d := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: ob, Core: c, Sealer: sealer{}, Now: func() time.Time { return now },
		BackoffBase: time.Second, BackoffMax: 5 * time.Minute,
		Metrics: declaration.Metrics{Retried: func(code domain.Code) { mu.Lock(); retried = append(retried, code); mu.Unlock() }}})

	n, err := d.ForwardDue(context.Background())
	if err != nil || n != 4 {
		t.Fatalf("ForwardDue = %d, %v; want 4, nil", n, err)
	}
	if r, ok := ob.receipts["ok"]; !ok || r.CaseNo != "DDok" {
		t.Errorf("receipt of ok = %+v; want case DDok recorded", r)
	}
	if got := ob.refused["bad"]; got == "" {
		t.Errorf("bad was not refused; want refused for good with the core's reason")
	}
	if wait := ob.rescheduled["down"].Sub(now); wait < 500*time.Millisecond || wait > time.Second {
		t.Errorf("first retry of down after %v; want 0.5s–1s", wait)
	}
	if wait := ob.rescheduled["slow"].Sub(now); wait < 150*time.Second || wait > 5*time.Minute {
		t.Errorf("30th retry after %v; want capped at 2.5–5 minutes", wait)
	}
	if len(retried) != 2 || len(ob.refused) != 1 || len(ob.receipts) != 1 {
		t.Errorf("retried %v, refused %d, forwarded %d; want 2 retries, 1 refusal, 1 receipt", retried, len(ob.refused), len(ob.receipts))
	}
}

func TestDispatcherWithdrawsCaseOfWithdrawnApplication(t *testing.T) {
	ob := &outbox{due: []declaration.Due{{Application: declaration.Application{ID: "late", SealedForm: "t1:e30"}, Attempts: 2}},
		receipts: map[string]acceptance.Receipt{}, refused: map[string]string{}, rescheduled: map[string]time.Time{},
		status: declaration.Status(acceptance.StatusWithdrawn)}
	c := &core{}
	d := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: ob, Core: c, Sealer: sealer{}})
	if _, err := d.ForwardDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(c.withdrawn) != 1 || c.withdrawn[0] != "DDlate" {
		t.Errorf("withdrawn at the core: %v; want [DDlate]", c.withdrawn)
	}
}
