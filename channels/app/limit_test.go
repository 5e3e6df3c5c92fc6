package app_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/dandong-hrss/hrss/bff/limit/limittest"
	"github.com/dandong-hrss/hrss/channels/app"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
)

// remaining reads an allowed answer's RateLimit-Remaining (limittest.Remaining).
func remaining(t *testing.T, what string, a answer) int {
	t.Helper()
	return limittest.Remaining(t, what, a.header)
}

// refusedForRate checks a refusal as the client sees it (limittest.Refused).
func refusedForRate(t *testing.T, what string, a answer) {
	t.Helper()
	limittest.Refused(t, what, a.status, a.header, a.body)
}

// TestRateLimit is the channel behind its rate limiting as bff mounts it:
// a signed-in citizen spends a budget of their own, whatever address they
// share; anonymous routes are charged to the address at their cost. The
// citizens sign in before the limits are switched on, each part with a
// fresh budget.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.login(t, "13900000101")
	b := e.login(t, "13900000102")

	t.Run("each citizen has a budget of their own", func(t *testing.T) {
		e.limiter.Store(limittest.Small(t, nil))
		t.Cleanup(func() { e.limiter.Store(nil) })

		last := 5
		for i := 1; i <= 5; i++ {
			var me app.AccountView
			got := e.must(t, 200, call{method: "GET", path: "/me", token: a.access}, &me)
			if me.Phone != "139****0101" {
				t.Errorf("request %d: account %+v; want the citizen's own, phone 139****0101", i, me)
			}
			n := remaining(t, "request "+strconv.Itoa(i), got)
			if n >= last || i == 1 && n != 4 {
				t.Errorf("request %d: %d remaining after %d; want one fewer each time, from 4", i, n, last)
			}
			last = n
		}
		refusedForRate(t, "a sixth request at once", e.do(t, call{method: "GET", path: "/me", token: a.access}))

		// Another citizen at the same address is not held back by the first.
		var me app.AccountView
		got := e.must(t, 200, call{method: "GET", path: "/me", token: b.access}, &me)
		if me.Phone != "139****0102" || me.ID != b.account.ID {
			t.Errorf("second citizen: account %+v; want their own, phone 139****0102", me)
		}
		if n := remaining(t, "second citizen", got); n != 4 {
			t.Errorf("second citizen: %d remaining; want 4, a full budget less one", n)
		}
	})

	t.Run("anonymous routes are charged to the address at their cost", func(t *testing.T) {
		e.limiter.Store(limittest.Small(t, map[string]int{"POST /app/v1/auth/sms-codes": 3}))
		t.Cleanup(func() { e.limiter.Store(nil) })

		first := e.must(t, 200, call{method: "POST", path: "/auth/sms-codes", body: map[string]string{"phone": "13900000201"}}, nil)
		if n := remaining(t, "first code", first); n != 2 {
			t.Errorf("first code: %d remaining; want 2 (5 less the route's cost of 3)", n)
		}
		refusedForRate(t, "a code for another phone from the same address",
			e.do(t, call{method: "POST", path: "/auth/sms-codes", body: map[string]string{"phone": "13900000202"}}))
		if msgs, err := smssim.FetchMessages(context.Background(), e.smsURL, "13900000202"); err != nil || len(msgs) != 0 {
			t.Errorf("the refused request texted %d messages (%v); want none", len(msgs), err)
		}
		// A token that does not verify is no way around the address's budget.
		refusedForRate(t, "a code asked with a forged token", e.do(t, call{method: "POST", path: "/auth/sms-codes",
			token: forged(a.access), body: map[string]string{"phone": "13900000203"}}))

		// Nor is a good one: signing in is the address's, so sessions buy no
		// extra SMS.
		refusedForRate(t, "a code asked with a valid token", e.do(t, call{method: "POST", path: "/auth/sms-codes",
			token: b.access, body: map[string]string{"phone": "13900000204"}}))

		// A signed-in citizen at that address still spends their own budget.
		var me app.AccountView
		got := e.must(t, 200, call{method: "GET", path: "/me", token: a.access}, &me)
		if me.Phone != "139****0101" {
			t.Errorf("signed-in citizen: account %+v; want their own", me)
		}
		if n := remaining(t, "signed-in citizen", got); n != 4 {
			t.Errorf("signed-in citizen: %d remaining; want 4, their own budget", n)
		}
	})

	t.Run("the payment channel's notifications are not charged", func(t *testing.T) {
		e.limiter.Store(limittest.Small(t, nil))
		t.Cleanup(func() { e.limiter.Store(nil) })
		for i := range 8 { // more than the burst, from one address
			if a := e.do(t, call{method: "POST", path: "/contributions/notify", body: map[string]string{}}); a.status == 429 {
				t.Fatalf("notification %d refused 429: the payment channel speaks for every citizen", i+1)
			}
		}
	})
}
