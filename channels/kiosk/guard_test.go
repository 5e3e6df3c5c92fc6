package kiosk_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
)

// Every way a request can fail the device check is refused as problem+json
// saying, in Chinese, what to fix.
func TestSignatureRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	k.openPerson("在职")
	const target = "/kiosk/v1/person/overview"
	signed := func(at time.Time, nonce string) *http.Request {
		req := k.request(http.MethodGet, target, nil)
		kiosk.SignAt(req, k.device, k.secret, at, nonce)
		return req
	}
	reused := kiosk.NewNonce()
	if r := e.send(t, signed(e.clock.Now(), reused)); r.status != 200 {
		t.Fatalf("first use of the nonce: got %d %s", r.status, r.body)
	}
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
		code   domain.Code
		detail string
		field  string // a header named among the errors, if any
	}{
		{"no headers", func() *http.Request {
			req := signed(e.clock.Now(), kiosk.NewNonce())
			for _, h := range []string{kiosk.HeaderDevice, kiosk.HeaderTimestamp, kiosk.HeaderNonce, kiosk.HeaderSignature} {
				req.Header.Del(h)
			}
			return req
		}, 401, domain.Unauthenticated, "请求缺少有效的设备签名，请检查自助终端的配置", kiosk.HeaderNonce},
		{"malformed nonce", func() *http.Request { return signed(e.clock.Now(), "short") },
			401, domain.Unauthenticated, "请求缺少有效的设备签名，请检查自助终端的配置", kiosk.HeaderNonce},
		{"wrong secret", func() *http.Request {
			req := k.request(http.MethodGet, target, nil)
			kiosk.SignAt(req, k.device, "another-secret-of-at-least-32-characters", e.clock.Now(), kiosk.NewNonce())
			return req
		}, 401, domain.Unauthenticated, "设备签名校验失败，请检查终端的设备密钥配置", kiosk.HeaderSignature},
		{"tampered query", func() *http.Request {
			req := signed(e.clock.Now(), kiosk.NewNonce())
			req.URL.RawQuery = "year=2020"
			req.RequestURI = ""
			return req
		}, 401, domain.Unauthenticated, "设备签名校验失败，请检查终端的设备密钥配置", kiosk.HeaderSignature},
		{"stale timestamp", func() *http.Request { return signed(e.clock.Now().Add(-6*time.Minute), kiosk.NewNonce()) },
			401, domain.Unauthenticated, "自助终端的时间不准，请校准终端时间后重试", kiosk.HeaderTimestamp},
		{"timestamp from the future", func() *http.Request { return signed(e.clock.Now().Add(6*time.Minute), kiosk.NewNonce()) },
			401, domain.Unauthenticated, "自助终端的时间不准，请校准终端时间后重试", kiosk.HeaderTimestamp},
		{"reused nonce", func() *http.Request { return signed(e.clock.Now(), reused) },
			401, domain.Unauthenticated, "该请求已处理过，请勿重复提交", kiosk.HeaderNonce},
		{"unregistered device", func() *http.Request {
			req := k.request(http.MethodGet, target, nil)
			kiosk.SignAt(req, "kiosk-xx-999", device.DemoSecret, e.clock.Now(), kiosk.NewNonce())
			return req
		}, 401, domain.Unauthenticated, "该自助终端尚未登记，请联系管理员登记后使用", kiosk.HeaderDevice},
		{"no session on a session route", func() *http.Request {
			req := signed(e.clock.Now(), kiosk.NewNonce())
			req.Header.Del(kiosk.HeaderSession)
			return req
		}, 401, domain.Unauthenticated, "请先插入社会保障卡或身份证", kiosk.HeaderSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem(t, e.send(t, tt.req()), tt.status, tt.code)
			if p.Detail != tt.detail {
				t.Errorf("detail: got %q; want %q", p.Detail, tt.detail)
			}
			named := false
			for _, f := range p.Errors {
				named = named || f.Field == tt.field && f.Message != ""
			}
			if !named {
				t.Errorf("errors %+v; want %s named", p.Errors, tt.field)
			}
		})
	}
}

// A disabled device is refused on its very next request by every instance,
// including one that has the device cached as active, and taken back into
// service the same way.
func TestDisableIsImmediateOnEveryInstance(t *testing.T) {
	t.Parallel()
	in := newInfra(t, nil)
	a, b := newEnv(t, in), newEnv(t, in)
	ka, kb := a.kiosk(t, "kiosk-yb-002"), b.kiosk(t, "kiosk-yb-002")
	ka.openPerson("在职")
	kb.session = ka.session
	var ov kiosk.OverviewView
	kb.get("/kiosk/v1/person/overview", &ov) // b now has the device cached as active

	if _, err := a.devices.Disable(context.Background(), "kiosk-yb-002"); err != nil {
		t.Fatal(err)
	}
	p := problem(t, kb.do(http.MethodGet, "/kiosk/v1/person/overview", nil), 403, domain.Forbidden)
	if p.Detail != "该自助终端已停用，请使用其他终端或咨询大厅工作人员" {
		t.Errorf("detail: got %q", p.Detail)
	}
	problem(t, kb.do(http.MethodPost, "/kiosk/v1/sessions/person", card(t, people["退休"])), 403, domain.Forbidden)

	if _, err := a.devices.Enable(context.Background(), "kiosk-yb-002"); err != nil {
		t.Fatal(err)
	}
	kb.openPerson("退休") // the old session ended with the disable; a new card works at once
	kb.get("/kiosk/v1/person/overview", &ov)
	if other := b.kiosk(t, "kiosk-yb-001"); other.do(http.MethodPost, "/kiosk/v1/sessions/person", card(t, people["退休"])).status != 201 {
		t.Errorf("other devices are not affected by the disable")
	}
}

// A session belongs to the kiosk it was opened on: another kiosk presenting
// its token is refused and learns nothing of the person.
func TestSessionIsBoundToItsKiosk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	ka, kb := e.kiosk(t, "kiosk-yb-001"), e.kiosk(t, "kiosk-zx-001")
	ka.openPerson("退休")
	kb.session = ka.session
	p := problem(t, kb.do(http.MethodGet, "/kiosk/v1/pension/benefit", nil), 403, domain.Forbidden)
	if p.Detail != "该读卡会话不属于本终端，请在本终端重新插卡" {
		t.Errorf("detail: got %q", p.Detail)
	}
	if r := kb.do(http.MethodDelete, "/kiosk/v1/session", nil); r.status != 403 {
		t.Errorf("kiosk B ending A's session: got %d; want 403", r.status)
	}
	kb.openPerson("在职") // B's own session does not touch A's
	var ben kiosk.PensionBenefitView
	ka.get("/kiosk/v1/pension/benefit", &ben)
	if ben.Title != "养老待遇" {
		t.Errorf("A's session after B's: got %+v", ben)
	}
}

// A citizen's session reads only citizen screens, and a unit session only
// unit screens.
func TestSessionKindDecidesTheScreens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	k.openPerson("在职")
	p := problem(t, k.do(http.MethodGet, "/kiosk/v1/unit", nil), 403, domain.Forbidden)
	if p.Detail != "此项查询需要单位经办人登录：请输入统一社会信用代码并插入经办人本人的卡片" {
		t.Errorf("person on a unit screen: got %q", p.Detail)
	}
	k.openUnit(t, people["在职"])
	p = problem(t, k.do(http.MethodGet, "/kiosk/v1/person/overview", nil), 403, domain.Forbidden)
	if p.Detail != "此项查询需要插入本人的社会保障卡或身份证" {
		t.Errorf("unit clerk on a person screen: got %q", p.Detail)
	}
}

// Redis holds the announcement, the database the truth: a device disabled
// while Redis lost its keys is still refused once the cache is cold.
func TestDisabledSurvivesLosingRedis(t *testing.T) {
	t.Parallel()
	in := newInfra(t, nil)
	a := newEnv(t, in)
	if _, err := a.devices.Disable(context.Background(), "kiosk-dg-001"); err != nil {
		t.Fatal(err)
	}
	in.rdb.Del(context.Background(), in.prefix+"kiosk:{kiosk-dg-001}:status")
	b := newEnv(t, in) // a fresh instance: nothing cached
	problem(t, b.kiosk(t, "kiosk-dg-001").do(http.MethodPost, "/kiosk/v1/sessions/person", card(t, people["在职"])), 403, domain.Forbidden)
}

// Query parameters are checked too, each fault named in Chinese.
func TestQueryRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	k.openPerson("在职")
	tests := []struct{ target, field, msg string }{
		{"/kiosk/v1/person/contributions?type=dental", "type", "只能是以下之一：pension, medical, work_injury, unemployment"},
		{"/kiosk/v1/person/contributions?year=1900", "year", "不能小于 1950"},
		{"/kiosk/v1/person/contributions?year=2026", "year", "不能晚于今年（2025年）"},
		{"/kiosk/v1/pension/account?page=0", "page", "不能小于 1"},
	}
	for _, tt := range tests {
		p := problem(t, k.do(http.MethodGet, tt.target, nil), 400, domain.Invalid)
		if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Message != tt.msg {
			t.Errorf("%s: got %+v; want %s: %s", tt.target, p.Errors, tt.field, tt.msg)
		}
	}
}
