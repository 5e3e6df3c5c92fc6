package wechat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/dandong-hrss/hrss/bff/limit/limittest"
	"github.com/dandong-hrss/hrss/channels/wechat"
	wxsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// limited is an answer with its headers, redirects not followed.
type limited struct {
	status int
	header http.Header
	body   []byte
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send is the harness's do keeping the headers: r's body as JSON, its
// token as the bearer.
func (h *harness) send(t *testing.T, r request) limited {
	t.Helper()
	var body io.Reader
	if r.body != nil {
		raw, err := json.Marshal(r.body)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.method, h.url+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return limited{status: resp.StatusCode, header: resp.Header, body: raw}
}

// remaining reads an allowed answer's RateLimit-Remaining, failing the
// test unless it has the status want and the RateLimit headers of a
// budget of 5.
func remaining(t *testing.T, what string, want int, a limited) int {
	t.Helper()
	if a.status != want {
		t.Fatalf("%s: got %d %s; want %d", what, a.status, a.body, want)
	}
	return limittest.Remaining(t, what, a.header)
}

// refusedForRate checks a refusal as the client sees it (limittest.Refused).
func refusedForRate(t *testing.T, what string, a limited) {
	t.Helper()
	limittest.Refused(t, what, a.status, a.header, a.body)
}

// testRateLimit is the channel behind its rate limiting as bff mounts it:
// a follower with a session spends a budget of their own, whatever
// address they share; sessions are opened at the address's expense at
// their route's cost; the message callback, WeChat's servers speaking for
// every follower, is never charged. The followers sign in before the
// limits are switched on, each part with a fresh budget.
func testRateLimit(t *testing.T, h *harness) {
	ppl := h.people(t, 2)
	ta, tb := h.session(t, "oDdHrssLimitFollowerA00001"), h.session(t, "oDdHrssLimitFollowerB00001")
	h.bindBySMS(t, ta, ppl[0])
	h.bindBySMS(t, tb, ppl[1])
	authorize := request{method: "GET", path: "/wechat/v1/oauth/authorize?state=abc123&next=%2Fh5%2Finsured"}

	t.Run("each follower has a budget of their own", func(t *testing.T) {
		h.limiter.Store(limittest.Small(t, nil))
		t.Cleanup(func() { h.limiter.Store(nil) })

		last := 5
		for i := 1; i <= 5; i++ {
			a := h.send(t, request{method: "GET", path: "/wechat/v1/me", token: ta})
			n := remaining(t, "request "+strconv.Itoa(i), http.StatusOK, a)
			var me wechat.WxMeView
			if err := json.Unmarshal(a.body, &me); err != nil || !me.Bound || me.IDNumber != domainMasked(ppl[0].id) {
				t.Errorf("request %d: %s; want the follower's own binding, %s", i, a.body, domainMasked(ppl[0].id))
			}
			if n >= last || i == 1 && n != 4 {
				t.Errorf("request %d: %d remaining after %d; want one fewer each time, from 4", i, n, last)
			}
			last = n
		}
		refusedForRate(t, "a sixth request at once", h.send(t, request{method: "GET", path: "/wechat/v1/me", token: ta}))

		// Another follower at the same address is not held back by the first.
		a := h.send(t, request{method: "GET", path: "/wechat/v1/me", token: tb})
		if n := remaining(t, "second follower", http.StatusOK, a); n != 4 {
			t.Errorf("second follower: %d remaining; want 4, a full budget less one", n)
		}
		var me wechat.WxMeView
		if err := json.Unmarshal(a.body, &me); err != nil || !me.Bound || me.IDNumber != domainMasked(ppl[1].id) {
			t.Errorf("second follower: %s; want their own binding, %s", a.body, domainMasked(ppl[1].id))
		}
	})

	t.Run("sessions are opened at the address's expense", func(t *testing.T) {
		h.limiter.Store(limittest.Small(t, map[string]int{"POST /wechat/v1/sessions": 3}))
		t.Cleanup(func() { h.limiter.Store(nil) })
		codes := make([]string, 2)
		for i, openID := range []string{"oDdHrssLimitFollowerC00001", "oDdHrssLimitFollowerD00001"} {
			if err := h.sims.WeChat.Follow(openID); err != nil {
				t.Fatal(err)
			}
			code, err := h.sims.WeChat.IssueCode(openID)
			if err != nil {
				t.Fatal(err)
			}
			codes[i] = code
		}

		first := h.send(t, request{method: "POST", path: "/wechat/v1/sessions", body: map[string]string{"code": codes[0]}})
		if n := remaining(t, "first session", http.StatusCreated, first); n != 2 {
			t.Errorf("first session: %d remaining; want 2 (5 less the route's cost of 3)", n)
		}
		second := request{method: "POST", path: "/wechat/v1/sessions", body: map[string]string{"code": codes[1]}}
		refusedForRate(t, "another follower's session from the same address", h.send(t, second))
		// A session token that does not exist is no way around the address's budget.
		forged := second
		forged.token = "wxs_forged"
		refusedForRate(t, "a session opened with a made-up token", h.send(t, forged))
		// A cheaper route still fits in what is left.
		if n := remaining(t, "web authorization", http.StatusFound, h.send(t, authorize)); n != 1 {
			t.Errorf("web authorization: %d remaining; want 1 (2 less its cost of 1)", n)
		}
		// A follower with a session at that address spends their own budget.
		if n := remaining(t, "follower with a session", http.StatusOK, h.send(t, request{method: "GET", path: "/wechat/v1/me", token: ta})); n != 4 {
			t.Errorf("follower with a session: %d remaining; want 4, their own budget", n)
		}
		// The refused code was not spent: once the budget allows, it opens the session.
		h.limiter.Store(nil)
		h.must(t, http.StatusCreated, second, nil)
	})

	t.Run("the message callback is never charged", func(t *testing.T) {
		h.limiter.Store(limittest.Small(t, nil))
		t.Cleanup(func() { h.limiter.Store(nil) })
		// However the URL in WeChat's console is spelt: routing ignores case
		// and a trailing slash, and so must the exemption.
		for i, path := range []string{wechat.CallbackPath, wechat.CallbackPath + "/", "/WeChat/v1/Callback", wechat.CallbackPath} {
			if err := wxsim.VerifyURL(context.Background(), h.url+path, wxsim.DefaultToken); err != nil {
				t.Fatalf("server URL check %d: %v; want echostr echoed", i+1, err)
			}
		}
		for i := range 8 {
			h.push(t, "oDdHrssLimitFollowerA00001", "你好", i%2 == 1) // fails the test on a 429
		}
		// Nor did the callbacks spend the address's budget.
		if n := remaining(t, "web authorization after the callbacks", http.StatusFound, h.send(t, authorize)); n != 4 {
			t.Errorf("web authorization after 12 callbacks: %d remaining; want 4, a full budget less one", n)
		}
	})
}
