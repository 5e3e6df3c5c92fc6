package wechat_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/ecard"
)

// Binding proves who the follower is and nothing less: the code goes to
// the phone on record and works only for the follower who asked for it, a
// wrong name and an unknown person are refused alike, an e-card face check
// proves only its own person, and a person has one binding.
func testBinding(t *testing.T, h *harness) {
	ppl := h.people(t, 2)
	p, q := ppl[0], ppl[1]
	ta, tb := h.session(t, "oDdHrssBindingFollowerA001"), h.session(t, "oDdHrssBindingFollowerB001")
	ctx := context.Background()

	t.Run("wrong name and unknown person look alike", func(t *testing.T) {
		_, wrong := h.do(t, request{method: "POST", path: "/wechat/v1/binding/code", token: ta,
			body: map[string]string{"idNumber": p.id, "name": "王五六"}}, nil)
		status, unknown := h.do(t, request{method: "POST", path: "/wechat/v1/binding/code", token: ta,
			body: map[string]string{"idNumber": h.stranger(t), "name": p.name}}, nil)
		if status != http.StatusUnprocessableEntity || problem(t, wrong).Detail != problem(t, unknown).Detail {
			t.Errorf("wrong name: %s; unknown person: %d %s; want the same 422", wrong, status, unknown)
		}
		if n := len(h.sims.SMS.Messages(p.phone.Raw())); n != 0 {
			t.Errorf("%d texts went to the person's phone; want none", n)
		}
	})
	t.Run("a code works only for the follower who asked", func(t *testing.T) {
		var sent wechat.WxCodeSentView
		h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/binding/code", token: ta,
			body: map[string]string{"idNumber": p.id, "name": p.name}}, &sent)
		if sent.MaskedPhone != p.phone.Masked() {
			t.Errorf("code went to %s; want the phone on record %s", sent.MaskedPhone, p.phone.Masked())
		}
		status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/binding", token: tb,
			body: map[string]string{"method": "sms", "idNumber": p.id, "name": p.name, "code": h.lastCode(t, p.phone)}}, nil)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("another follower using the code: %d %s; want 422", status, raw)
		}
		status, raw = h.do(t, request{method: "POST", path: "/wechat/v1/binding/code", token: ta,
			body: map[string]string{"idNumber": p.id, "name": p.name}}, nil)
		if status != http.StatusTooManyRequests || !strings.Contains(problem(t, raw).Detail, "后再试") {
			t.Errorf("a second code within a minute: %d %s; want 429 saying when", status, raw)
		}
	})
	t.Run("a face check proves only its own person", func(t *testing.T) {
		face, err := h.cards.FaceCheck(ctx, ecard.FaceCapture{Person: domain.IDNumber(p.id), Name: p.name, Liveness: "liveness-p-1"})
		if err != nil {
			t.Fatal(err)
		}
		status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/binding", token: tb,
			body: map[string]string{"method": "ecard", "idNumber": q.id, "name": q.name, "faceToken": face}}, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(problem(t, raw).Detail, "人脸识别") {
			t.Errorf("binding q with p's face: %d %s; want 422", status, raw)
		}
	})
	t.Run("one binding per openid and per person", func(t *testing.T) {
		h.bindByECard(t, ta, p)
		status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/binding/code", token: ta,
			body: map[string]string{"idNumber": q.id, "name": q.name}}, nil)
		if status != http.StatusOK {
			t.Fatalf("code for q: %d %s", status, raw)
		}
		status, raw = h.do(t, request{method: "POST", path: "/wechat/v1/binding", token: ta,
			body: map[string]string{"method": "sms", "idNumber": q.id, "name": q.name, "code": h.lastCode(t, q.phone)}}, nil)
		if status != http.StatusConflict {
			t.Errorf("binding a bound openid to another person: %d %s; want 409", status, raw)
		}
		h.bindByECard(t, tb, p) // p moves to a new WeChat account
		var me wechat.WxMeView
		h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/me", token: ta}, &me)
		if me.Bound {
			t.Errorf("the old openid after p moved: %+v; want unbound", me)
		}
	})
	t.Run("signing out ends the session", func(t *testing.T) {
		h.must(t, http.StatusNoContent, request{method: "DELETE", path: "/wechat/v1/sessions/current", token: tb}, nil)
		if status, raw := h.do(t, request{method: "GET", path: "/wechat/v1/me", token: tb}, nil); status != http.StatusUnauthorized {
			t.Errorf("after signing out: %d %s; want 401", status, raw)
		}
	})
}

// stranger returns a well-formed ID number the business core does not know.
func (h *harness) stranger(t *testing.T) string {
	t.Helper()
	for _, body := range []string{"11010119900101123", "31011519851231456", "44030519770707789"} {
		id := body + string(domain.IDCheckDigit(body))
		if _, err := h.core.Person(context.Background(), domain.IDNumber(id)); domain.IsCode(err, domain.NotFound) {
			return id
		}
	}
	t.Fatal("the core knows every candidate stranger")
	return ""
}
