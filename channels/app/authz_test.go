package app_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/app"
)

// A person reaches only their own records and their registered
// relatives'; whatever else they name in X-Act-For or a path is refused.
func TestPersonReachesOnlyOwnAndRelativesData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.samplePerson(t, "灵活就业", 0, false), e.samplePerson(t, "灵活就业", 1, false)
	grandpa := e.samplePerson(t, "退休", 0, true)
	a := e.login(t, "13900000001")
	e.bind(t, &a, alice)
	b := e.login(t, "13900000002")
	e.bind(t, &b, bob)
	bobsGrandpa := e.addRelative(t, b, grandpa, "grandparent")

	var opts app.PayOptions
	e.must(t, 200, call{method: "GET", path: "/contributions/options", token: b.access}, &opts)
	var bobsOrder app.OrderView
	e.must(t, 201, call{method: "POST", path: "/contributions/orders", token: b.access,
		header: map[string]string{"Idempotency-Key": "bob-order-0001"},
		body:   map[string]any{"from": opts.Unpaid[len(opts.Unpaid)-1], "to": opts.Unpaid[len(opts.Unpaid)-1], "tier": opts.Tiers[0].Percent}}, &bobsOrder)

	tests := []struct {
		name string
		c    call
		want int
	}{
		{"no token", call{method: "GET", path: "/pension/account"}, 401},
		{"a forged token", call{method: "GET", path: "/pension/account", token: forged(a.access)}, 401},
		{"acting for another holder's relative", call{method: "GET", path: "/pension/benefit", token: a.access, actFor: bobsGrandpa}, 403},
		{"acting for an unregistered id", call{method: "GET", path: "/pension/account", token: a.access, actFor: "RL20260101000000AAAAAAAA"}, 403},
		{"acting for someone by ID number", call{method: "GET", path: "/pension/account", token: a.access, actFor: bob.id}, 403},
		{"another person's order", call{method: "GET", path: "/contributions/orders/" + bobsOrder.ID, token: a.access}, 404},
		{"another person's receipt", call{method: "GET", path: "/contributions/orders/" + bobsOrder.ID + "/receipt", token: a.access}, 404},
		{"paying another person's order", call{method: "POST", path: "/contributions/orders/" + bobsOrder.ID + "/checkout", token: a.access}, 404},
		{"removing another holder's relative", call{method: "DELETE", path: "/relatives/" + bobsGrandpa, token: a.access}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.do(t, tt.c)
			if p := got.problem(t); got.status != tt.want || p.Detail == "" && p.Title == "" {
				t.Errorf("got %d %+v; want %d with a Chinese explanation", got.status, p, tt.want)
			}
			if strings.Contains(string(got.body), bob.id) || strings.Contains(string(got.body), grandpa.id) {
				t.Errorf("the refusal names a person: %s", got.body)
			}
		})
	}
	var list app.OrderPage
	e.must(t, 200, call{method: "GET", path: "/contributions/orders", token: a.access}, &list)
	if len(list.Items) != 0 {
		t.Errorf("Alice sees %d orders; want none of Bob's", len(list.Items))
	}
	// Bob may act for his grandfather, and an order placed for him is his.
	e.must(t, 200, call{method: "GET", path: "/pension/benefit", token: b.access, actFor: bobsGrandpa}, nil)
	for _, en := range e.audits.all() {
		if en.Detail["actingFor"] == bobsGrandpa && en.Outcome == "forbidden" {
			return // Alice's attempt is on the record too
		}
	}
	t.Error("the refused attempt to act for Bob's grandfather is not in the audit log")
}

// forged swaps the token's account for another, keeping the signature,
// as someone who read the token and edited it would.
func forged(token string) string {
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	json.Unmarshal(payload, &claims)
	claims["sub"] = "AC20260101000000BOTHERAC"
	edited, _ := json.Marshal(claims)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(edited) + "." + parts[2]
}

func TestCodeTriesRunOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const phone = "13900000003"
	e.must(t, 200, call{method: "POST", path: "/auth/sms-codes", body: map[string]string{"phone": phone}}, nil)
	right := e.lastCode(t, phone)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	login := func(code string) answer {
		return e.do(t, call{method: "POST", path: "/auth/login", body: map[string]string{"phone": phone, "code": code}})
	}
	for left := 4; left >= 1; left-- {
		p := login(wrong).problem(t)
		if p.Status != 422 || !strings.Contains(p.Detail, "还可尝试") {
			t.Fatalf("wrong code: %d %q; want 422 saying %d tries are left", p.Status, p.Detail, left)
		}
	}
	if p := login(wrong).problem(t); p.Status != 422 || !strings.Contains(p.Detail, "错误次数过多") {
		t.Errorf("fifth wrong code: %d %q; want the code voided", p.Status, p.Detail)
	}
	if p := login(right).problem(t); p.Status != 422 || !strings.Contains(p.Detail, "重新获取") {
		t.Errorf("the right code after five wrong ones: %d %q; want it refused as void", p.Status, p.Detail)
	}
}

func TestRefreshReplayRevokesTheFamily(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.login(t, "13900000004")
	refresh := func(token string) answer {
		return e.do(t, call{method: "POST", path: "/auth/refresh", body: map[string]string{"refreshToken": token}})
	}
	var second app.Tokens
	refresh(s.refresh).decode(t, &second)
	var third app.Tokens
	refresh(second.RefreshToken).decode(t, &third)
	if third.RefreshToken == "" || third.RefreshToken == second.RefreshToken {
		t.Fatalf("rotation gave %q after %q", third.RefreshToken, second.RefreshToken)
	}
	if p := refresh(second.RefreshToken).problem(t); p.Status != 401 || !strings.Contains(p.Detail, "重新登录") {
		t.Fatalf("replayed refresh token: %d %q; want 401 asking to sign in again", p.Status, p.Detail)
	}
	if a := refresh(third.RefreshToken); a.status != 401 {
		t.Errorf("the newest refresh token after the replay: %d; want 401, the family is revoked", a.status)
	}
	if a := refresh("SF20260101000000AAAAAAAA." + strings.Repeat("x", 43)); a.status != 401 {
		t.Errorf("a made-up refresh token: %d; want 401", a.status)
	}

	// Logout ends another device's family the same way; its access token
	// lives out its short life.
	other := e.login(t, "13900000005")
	e.must(t, 200, call{method: "POST", path: "/auth/logout", token: other.access}, nil)
	if a := refresh(other.refresh); a.status != 401 {
		t.Errorf("refresh after logout: %d; want 401", a.status)
	}
	e.must(t, 200, call{method: "GET", path: "/me", token: other.access}, nil)
	e.clock.Advance(16 * time.Minute)
	if a := e.do(t, call{method: "GET", path: "/me", token: other.access}); a.status != 401 {
		t.Errorf("access token after 16 minutes: %d; want 401", a.status)
	}
}

func TestExpiredQRCodeIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.samplePerson(t, "在职", 0, false)
	s := e.login(t, "13900000006")
	e.bind(t, &s, me)
	e.must(t, 200, call{method: "POST", path: "/ecard", token: s.access, body: map[string]string{"name": me.name}}, nil)
	var qr app.QRView
	e.must(t, 200, call{method: "GET", path: "/ecard/qrcode", token: s.access}, &qr)
	e.clock.Advance(61 * time.Second)
	verify := func(payload string) refusal {
		a := e.do(t, call{method: "POST", path: "/ecard/verify", header: map[string]string{"X-Terminal-Key": terminalKey},
			body: map[string]string{"payload": payload}})
		p := a.problem(t)
		return refusal{a.status, p.Detail}
	}
	if p := verify(qr.Payload); p.status != 422 || !strings.Contains(p.detail, "已过期") {
		t.Errorf("a 61-second-old code: %d %q; want 422 saying it expired", p.status, p.detail)
	}
	// The platform refuses it too, should its expiry be edited.
	parts := strings.SplitN(qr.Payload, ":", 4)
	edited := parts[0] + ":" + parts[1] + ":" + "9999999999" + ":" + parts[3]
	if p := verify(edited); p.status != 422 || !strings.Contains(p.detail, "已过期") {
		t.Errorf("a stale code with its expiry edited: %d %q; want the platform to refuse it as expired", p.status, p.detail)
	}
	if p := verify("not a card code"); p.status != 400 {
		t.Errorf("a foreign QR code: %d %q; want 400", p.status, p.detail)
	}
}

type refusal struct {
	status int
	detail string
}

// Every route is in the OpenAPI document, secured ones with the bearer
// scheme, and X-Act-For is documented where a relative may be acted for.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, err := http.Get(e.url + "/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %v %v", resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Summary    string                  `json:"summary"`
			Security   []map[string][]string   `json:"security"`
			Parameters []struct{ Name string } `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, o := range ops {
			n++
			if !strings.HasPrefix(path, app.Prefix) || o.Summary == "" {
				t.Errorf("%s %s: want a summary under %s", method, path, app.Prefix)
			}
			if path == app.Prefix+"/pension/benefit" && (len(o.Security) == 0 || !hasParam(o.Parameters, "X-Act-For")) {
				t.Errorf("%s %s: want the bearer scheme and X-Act-For documented", method, path)
			}
		}
	}
	if doc.OpenAPI != "3.1.0" || n < 32 {
		t.Errorf("OpenAPI %s with %d operations; want 3.1.0 describing every route", doc.OpenAPI, n)
	}
}

func hasParam(ps []struct{ Name string }, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}
