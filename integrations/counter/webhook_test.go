package counter_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func TestVerifyWebhook(t *testing.T) {
	const secret = "shared-secret"
	now := time.Now()
	body := []byte(`{"id":"42","caseNo":"DD2026112900000123","seq":3,"applicationId":"AP-1","kind":"approved",` +
		`"status":"in_progress","step":"approve","stepName":"审批","promisedBy":"2026-12-10","at":"2026-11-29T10:00:00+08:00"}`)
	signed := func(secret, id string, body []byte, at time.Time) counter.WebhookHeaders {
		h := http.Header{}
		counter.SetWebhookHeaders(h, secret, id, body, at)
		return counter.WebhookHeadersFrom(h)
	}
	e, err := counter.VerifyWebhook(signed(secret, "42", body, now), body, secret, now, 0)
	if err != nil || e.ID != "42" || e.Seq != 3 || e.Kind != acceptance.EventApproved || e.PromisedBy.Day() != 10 {
		t.Fatalf("VerifyWebhook = %+v, %v; want event 42, seq 3, approved, promised the 10th", e, err)
	}
	h := http.Header{}
	counter.SetWebhookHeaders(h, secret, "42", body, now)
	if e, err := counter.WebhookVerifier(secret)(h.Get, body); err != nil || e.ID != "42" {
		t.Errorf("WebhookVerifier = %+v, %v; want event 42", e, err)
	}
	if _, err := counter.WebhookVerifier("guessed")(h.Get, body); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("WebhookVerifier with another secret: err = %v; want Unauthenticated", err)
	}
	tampered := append([]byte{}, body...)
	tampered[len(tampered)-3] = '1'
	tests := []struct {
		name string
		h    counter.WebhookHeaders
		body []byte
		want domain.Code
	}{
		{"forged with another secret", signed("guessed", "42", body, now), body, domain.Unauthenticated},
		{"body changed after signing", signed(secret, "42", body, now), tampered, domain.Unauthenticated},
		{"replayed an hour later", signed(secret, "42", body, now.Add(-time.Hour)), body, domain.Unauthenticated},
		{"event id header of another event", signed(secret, "43", body, now), body, domain.Unauthenticated},
		{"no signature", counter.WebhookHeaders{}, body, domain.Unauthenticated},
		{"signed garbage", signed(secret, "42", []byte(`[1]`), now), []byte(`[1]`), domain.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := counter.VerifyWebhook(tt.h, tt.body, secret, now, 0)
			wantCode(t, tt.name, err, tt.want)
		})
	}
}

// receiver is the BFF's webhook endpoint: it verifies each post with
// VerifyWebhook and keeps the events it took, in arrival order, repeats
// included. Until downUntil it is in trouble, alternately hanging up and
// answering 503; afterwards every flaky-th post still gets a 503.
type receiver struct {
	secret string
	flaky  int

	mu        sync.Mutex
	downUntil time.Time
	posts     int
	refused   int
	forged    int
	got       []acceptance.Event
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts++
	if time.Now().Before(rc.downUntil) || (rc.flaky > 0 && rc.posts%rc.flaky == 0) {
		rc.refused++
		if rc.posts%2 == 0 {
			panic(http.ErrAbortHandler) // the connection drops without an answer
		}
		http.Error(w, "restarting", http.StatusServiceUnavailable)
		return
	}
	e, err := counter.VerifyWebhook(counter.WebhookHeadersFrom(r.Header), body, rc.secret, time.Now(), 0)
	if err != nil {
		rc.forged++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	rc.got = append(rc.got, e)
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) setDown(until time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.downUntil = until
}

// taken returns each case's events in the order first taken, repeats dropped.
func (rc *receiver) taken() map[string][]acceptance.Event {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	seen, out := map[string]bool{}, map[string][]acceptance.Event{}
	for _, e := range rc.got {
		if !seen[e.ID] {
			seen[e.ID] = true
			out[e.CaseNo] = append(out[e.CaseNo], e)
		}
	}
	return out
}

func (rc *receiver) counts() (refused, forged int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.refused, rc.forged
}

func TestWebhookDeliversEveryEventInOrderAfterAnOutage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rc := &receiver{secret: sim.DefaultWebhookSecret, flaky: 5, downUntil: time.Now().Add(300 * time.Millisecond)}
		hook := listen(t, rc).URL() + "/hooks/counter"
		c := startCore(t, db, sim.Config{WebhookURL: hook, AutoStaff: true, StepDelay: 20 * time.Millisecond}, patient)
		var cases []string
		for i, m := range []string{"unit.staff_add", "pension.retirement", "card.apply", "unemployment.benefit_claim"} {
			cases = append(cases, c.submit(t, application(m, "p:w"+strconv.Itoa(i))).CaseNo)
		}
		eventually(t, 10*time.Second, "every case completed", func() bool {
			for _, no := range cases {
				if c.caseOf(t, no).Status != acceptance.StatusCompleted {
					return false
				}
			}
			return true
		})
		eventually(t, 5*time.Second, "no webhook post owed", func() bool {
			n, err := c.sim.PendingDeliveries(context.Background())
			return err == nil && n == 0
		})
		if refused, forged := rc.counts(); refused == 0 || forged != 0 {
			t.Errorf("receiver refused %d posts and found %d forged; want some refused (the outage) and none forged", refused, forged)
		}
		polled := map[string][]string{}
		for _, e := range c.allEvents(t) {
			polled[e.CaseNo] = append(polled[e.CaseNo], e.ID)
		}
		taken := rc.taken()
		for _, no := range cases {
			var got []string
			for i, e := range taken[no] {
				got = append(got, e.ID)
				if e.Seq != i+1 {
					t.Errorf("case %s: event %d taken had seq %d; want %d (in order, no gaps)", no, i+1, e.Seq, i+1)
				}
			}
			if !slices.Equal(got, polled[no]) {
				t.Errorf("case %s: webhook delivered %v; want every event %v in order", no, got, polled[no])
			}
		}
	})
}

func TestOwedPostsSurviveARestart(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rc := &receiver{secret: sim.DefaultWebhookSecret, downUntil: time.Now().Add(time.Hour)}
		hook := listen(t, rc).URL()
		cfg := sim.Config{DB: db, WebhookURL: hook, WebhookBackoff: 10 * time.Millisecond, WebhookBackoffMax: 20 * time.Millisecond}
		first, err := sim.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		srv := listen(t, first)
		client := counter.New(counter.Config{BaseURL: srv.URL(), Token: sim.DefaultAPIToken, Policy: patient}, nil)
		r, err := client.Submit(context.Background(), application("unit.staff_add", "u:r"))
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, 2*time.Second, "a refused post", func() bool { refused, _ := rc.counts(); return refused > 0 })
		first.Close()

		rc.setDown(time.Time{})
		second, err := sim.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(second.Close)
		eventually(t, 2*time.Second, "the accepted event delivered after the restart", func() bool {
			return len(rc.taken()[r.CaseNo]) == 1
		})
		if e := rc.taken()[r.CaseNo][0]; e.Kind != acceptance.EventAccepted || e.ApplicationID != r.ApplicationID {
			t.Errorf("delivered %+v; want the accepted event of %s", e, r.ApplicationID)
		}
	})
}

func TestAutoStaffTakesACaseToCompletion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{AutoStaff: true, StepDelay: 20 * time.Millisecond}, patient)
		r := c.submit(t, application("pension.retirement", "p:auto"))
		generic := application("", "p:auto")
		generic.MatterName = "其他事项"
		g := c.submit(t, generic)
		eventually(t, 5*time.Second, "the case completed", func() bool {
			return c.caseOf(t, r.CaseNo).Status == acceptance.StatusCompleted
		})
		want := []acceptance.EventKind{acceptance.EventAccepted,
			acceptance.EventClaimed, acceptance.EventStepCompleted, acceptance.EventClaimed, acceptance.EventStepCompleted,
			acceptance.EventClaimed, acceptance.EventApproved, acceptance.EventClaimed, acceptance.EventCompleted}
		if got := c.kindsOf(t, r.CaseNo); !slices.Equal(got, want) {
			t.Errorf("events %v; want %v", got, want)
		}
		if got := c.caseOf(t, g.CaseNo); got.Status != acceptance.StatusAwaitingRouting || got.Staff != "" {
			t.Errorf("generic intake %s held by %q; want left unclaimed for a person to route", got.Status, got.Staff)
		}
	})
}
