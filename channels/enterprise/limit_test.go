package enterprise_test

import (
	"strconv"
	"testing"

	"github.com/dandong-hrss/hrss/bff/limit/limittest"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
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

// me is the part of GET /ent/v1/me the tests read.
type me struct {
	OperatorID string `json:"operatorId"`
	CreditCode string `json:"creditCode"`
}

// The channel behind its rate limiting as bff mounts it: a signed-in
// operator spends a budget of their own, whatever address they share with
// other units' clerks; sign-ins are charged to the address at their cost.
// The operators sign in before the limits are switched on, each part with
// a fresh budget.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	tokenA := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	tokenB := w.signIn(t, w.unitB, "13911110002", "browser-bbbb-0001")

	t.Run("each operator has a budget of their own", func(t *testing.T) {
		w.limiter.Store(limittest.Small(t, nil))
		t.Cleanup(func() { w.limiter.Store(nil) })

		last, opA := 5, ""
		for i := 1; i <= 5; i++ {
			var m me
			a := w.must(t, 200, call{method: "GET", path: "/ent/v1/me", token: tokenA})
			if a.decode(t, &m); m.CreditCode != w.unitA || m.OperatorID == "" {
				t.Errorf("request %d: %+v; want unit A's operator", i, m)
			}
			opA = m.OperatorID
			n := remaining(t, "request "+strconv.Itoa(i), a)
			if n >= last || i == 1 && n != 4 {
				t.Errorf("request %d: %d remaining after %d; want one fewer each time, from 4", i, n, last)
			}
			last = n
		}
		refusedForRate(t, "a sixth request at once", w.do(t, call{method: "GET", path: "/ent/v1/me", token: tokenA}))

		// Another unit's clerk at the same address is not held back.
		var m me
		a := w.must(t, 200, call{method: "GET", path: "/ent/v1/me", token: tokenB})
		if a.decode(t, &m); m.CreditCode != w.unitB || m.OperatorID == opA {
			t.Errorf("second operator: %+v; want unit B's own operator", m)
		}
		if n := remaining(t, "second operator", a); n != 4 {
			t.Errorf("second operator: %d remaining; want 4, a full budget less one", n)
		}
	})

	t.Run("sign-ins are charged to the address at their cost", func(t *testing.T) {
		w.limiter.Store(limittest.Small(t, map[string]int{"POST /ent/v1/sessions": 3}))
		t.Cleanup(func() { w.limiter.Store(nil) })

		a, la := w.login(t, w.unitA, w.password, "browser-aaaa-0001")
		if a.status != 200 || la.Session == nil {
			t.Fatalf("first sign-in: %d %s; want a session on the trusted device", a.status, a.body)
		}
		if n := remaining(t, "first sign-in", a); n != 2 {
			t.Errorf("first sign-in: %d remaining; want 2 (5 less the route's cost of 3)", n)
		}
		b, _ := w.login(t, w.unitB, w.password, "browser-bbbb-0001")
		refusedForRate(t, "another unit's sign-in from the same address", b)
		// A session that does not exist is no way around the address's budget.
		refusedForRate(t, "a sign-in with a made-up token", w.do(t, call{method: "POST", path: "/ent/v1/sessions",
			token: "forged-token", device: "browser-bbbb-0001",
			body: map[string]string{"creditCode": w.unitB, "name": "管理员", "password": w.password}}))

		// Nor is a live one: signing in is the address's, so sessions buy no
		// extra password guesses.
		refusedForRate(t, "a sign-in with a live token", w.do(t, call{method: "POST", path: "/ent/v1/sessions",
			token: tokenA, device: "browser-bbbb-0001",
			body: map[string]string{"creditCode": w.unitB, "name": "管理员", "password": w.password}}))

		// A signed-in operator at that address still spends their own budget.
		var m me
		got := w.must(t, 200, call{method: "GET", path: "/ent/v1/me", token: tokenB})
		if got.decode(t, &m); m.CreditCode != w.unitB {
			t.Errorf("signed-in operator: %+v; want unit B's", m)
		}
		if n := remaining(t, "signed-in operator", got); n != 4 {
			t.Errorf("signed-in operator: %d remaining; want 4, their own budget", n)
		}
	})
}
