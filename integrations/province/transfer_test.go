package province_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/transfer"
	"github.com/dandong-hrss/hrss/integrations/province"
	"github.com/dandong-hrss/hrss/integrations/province/sim"
)

var (
	dandong  = transfer.Region{Code: "210600", Name: "丹东市"}
	shenyang = transfer.Region{Code: "210100", Name: "沈阳市"}
)

// outOfDandong is a citizen's pension transfer from Dandong to Shenyang.
func outOfDandong(id domain.IDNumber, requestID string) transfer.Request {
	return transfer.Request{RequestID: requestID, Direction: transfer.Out, Person: id,
		From: dandong, To: shenyang, Insurance: transfer.EnterprisePension}
}

func statuses(steps []transfer.Step) []transfer.Status {
	out := make([]transfer.Status, len(steps))
	for i, s := range steps {
		out[i] = s.Status
	}
	return out
}

var fullPath = []transfer.Status{transfer.Accepted, transfer.OutReview, transfer.InReceive,
	transfer.FundTransfer, transfer.Completed}

func TestTransferMovesThroughItsSteps(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, StepInterval: time.Hour}, quick)
	ctx := context.Background()
	req := outOfDandong(zhangSan, "TR-0001")
	req.Unit = "91210600MA0QC2XB1K"
	filed, err := p.transfer.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if filed.Number == "" || filed.Status != transfer.Accepted || filed.Person != zhangSan || filed.Unit != req.Unit {
		t.Fatalf("Submit = %+v; want an accepted transfer of %s filed by the unit", filed, zhangSan)
	}
	for i, want := range fullPath[1:] {
		p.clock.Advance(time.Hour)
		got, err := p.transfer.Transfer(ctx, filed.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want || !slices.Equal(statuses(got.Steps), fullPath[:i+2]) {
			t.Fatalf("after %d steps: status %s, steps %v; want %s, %v", i+1, got.Status, statuses(got.Steps), want, fullPath[:i+2])
		}
	}
	p.clock.Advance(24 * time.Hour)
	if got, _ := p.transfer.Transfer(ctx, filed.Number); got.Status != transfer.Completed || len(got.Steps) != len(fullPath) {
		t.Errorf("a day after completion: %s with %d steps; want completed, unchanged", got.Status, len(got.Steps))
	}
}

func TestReturnedTransferSaysWhy(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, StepInterval: time.Minute, ReturnRate: 1}, quick)
	ctx := context.Background()
	filed, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0002"))
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(10 * time.Minute)
	got, err := p.transfer.Transfer(ctx, filed.Number)
	if err != nil {
		t.Fatal(err)
	}
	last := got.Steps[len(got.Steps)-1].Status
	if got.Status != transfer.Returned || last != transfer.Returned || got.Reason == "" {
		t.Errorf("got %s (last step %s), reason %q; want returned with a reason", got.Status, last, got.Reason)
	}
	if slices.Contains(statuses(got.Steps), transfer.Completed) {
		t.Errorf("steps %v; a returned transfer never completes", statuses(got.Steps))
	}
}

func TestResubmissionIsDeduplicated(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, StepInterval: time.Minute}, quick)
	ctx := context.Background()
	first, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0003"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0003"))
	if err != nil || again.Number != first.Number {
		t.Fatalf("resubmission = %q, %v; want the same transfer %s", again.Number, err, first.Number)
	}
	if n := len(p.sim.Transfers()); n != 1 {
		t.Errorf("platform holds %d transfers; want 1", n)
	}

	reused := outOfDandong(zhangSan, "TR-0003")
	reused.To = transfer.Region{Code: "210200", Name: "大连市"}
	if _, err := p.transfer.Submit(ctx, reused); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("request id reused for another filing: err = %v; want Conflict", err)
	}
	if _, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0004")); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("second open transfer of the same pension: err = %v; want Conflict", err)
	}
	p.clock.Advance(time.Hour) // the first one completes
	if _, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0004")); err != nil {
		t.Errorf("new transfer after the first completed: %v; want accepted", err)
	}
}

func TestSubmissionWhoseAnswerWasLostIsRetriedAndFiledOnce(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1, Lookup: lookup})
	t.Cleanup(s.Close)
	lossy := &loseFirstAnswer{h: s}
	retrying := quick
	retrying.Retries = 2
	c := province.NewTransferClient(configFor(listen(t, lossy).URL(), sim.DefaultAppKey, retrying), nil)
	filed, err := c.Submit(context.Background(), outOfDandong(zhangSan, "TR-0007"))
	if err != nil {
		t.Fatalf("Submit = %v; want the retry to return the transfer the lost answer filed", err)
	}
	all := s.Transfers()
	if lossy.served.Load() != 2 || len(all) != 1 || all[0].TransferNo != filed.Number {
		t.Errorf("platform served %d requests and holds %d transfers; want 2 requests, 1 transfer %s",
			lossy.served.Load(), len(all), filed.Number)
	}
}

// loseFirstAnswer lets h handle every request but hangs up on the first
// instead of answering, as when a network drops a reply: the remote did the
// work, the client cannot know.
type loseFirstAnswer struct {
	h      http.Handler
	served atomic.Int32
}

func (l *loseFirstAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if l.served.Add(1) > 1 {
		l.h.ServeHTTP(w, r)
		return
	}
	l.h.ServeHTTP(httptest.NewRecorder(), r)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestMalformedOrUnknownTransfers(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	bad := outOfDandong(zhangSan, "TR-0005")
	bad.To = dandong
	if _, err := p.transfer.Submit(ctx, bad); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("to == from: err = %v; want Invalid", err)
	}
	if n := p.sim.Injector().Requests(); n != 0 {
		t.Errorf("platform saw %d requests for an invalid filing; want 0", n)
	}
	if _, err := p.transfer.Transfer(ctx, "ZY260601-999999-ffff"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown number: err = %v; want NotFound", err)
	}
}

func TestStatusCallbacksArriveInOrder(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, Now: time.Now, StepInterval: 20 * time.Millisecond}, quick)
	got := make(chan transfer.Transfer, 16)
	handler := p.transfer.CallbackHandler(func(tr transfer.Transfer) { got <- tr })
	callback := listen(t, failFirst(handler)).URL() + "/province/transfer-status"
	ctx := context.Background()
	if err := p.transfer.RegisterCallback(ctx, callback); err != nil {
		t.Fatal(err)
	}
	filed, err := p.transfer.Submit(ctx, outOfDandong(zhangSan, "TR-0006"))
	if err != nil {
		t.Fatal(err)
	}
	var seen []transfer.Status
	for timeout := time.After(3 * time.Second); !slices.Contains(seen, transfer.Completed); {
		select {
		case tr := <-got:
			if tr.Number != filed.Number || tr.Status != tr.Steps[len(tr.Steps)-1].Status {
				t.Fatalf("callback %+v; want %s with its status as the last step", tr, filed.Number)
			}
			seen = append(seen, tr.Status)
		case <-timeout:
			t.Fatalf("callbacks so far %v; want every step up to completed within 3s", seen)
		}
	}
	if !slices.Equal(seen, fullPath) {
		t.Errorf("callbacks %v; want each step once, in order: %v", seen, fullPath)
	}
}

// failFirst answers the first request with 503, as a bureau mid-restart
// would, then hands every request to h.
func failFirst(h http.Handler) http.Handler {
	first := make(chan struct{}, 1)
	first <- struct{}{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-first:
			http.Error(w, "restarting", http.StatusServiceUnavailable)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

func TestForgedStatusCallbacksAreRefused(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	body := []byte(`{"transferNo":"ZY260601-000001-0000","direction":"OUT","insuranceType":"110","status":"COMPLETED",` +
		`"steps":[{"status":"COMPLETED","at":"2026-06-01T09:00:00+08:00"}]}`)
	tests := []struct {
		name  string
		appID string
		key   string
		at    time.Time
	}{
		{"guessed key", sim.DefaultAppID, "guessed-key", time.Now()},
		{"another app", "another-app", sim.DefaultAppKey, time.Now()},
		{"replayed an hour later", sim.DefaultAppID, sim.DefaultAppKey, time.Now().Add(-time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			province.SignHeader(h, tt.appID, tt.key, body, tt.at)
			if _, err := p.transfer.VerifyCallback(h, body); !domain.IsCode(err, domain.Unauthenticated) {
				t.Errorf("VerifyCallback err = %v; want Unauthenticated", err)
			}
		})
	}

	called := false
	callback := listen(t, p.transfer.CallbackHandler(func(transfer.Transfer) { called = true })).URL()
	req, _ := http.NewRequest(http.MethodPost, callback, bytes.NewReader(body))
	province.SignHeader(req.Header, sim.DefaultAppID, "guessed-key", body, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || called {
		t.Errorf("forged callback: status %d, handler called %v; want 401, not called", resp.StatusCode, called)
	}

	h := http.Header{}
	province.SignHeader(h, sim.DefaultAppID, sim.DefaultAppKey, body, time.Now())
	if tr, err := p.transfer.VerifyCallback(h, body); err != nil || tr.Status != transfer.Completed {
		t.Errorf("genuine callback: %+v, %v; want completed", tr, err)
	}
}
