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

// A follower reaches their own applications and those of relatives they
// registered — with the relative's consent code — and nobody else's: not
// by id, not by naming another holder's relative, not before binding.
func testOwnAndRelativesOnly(t *testing.T, h *harness) {
	ppl := h.people(t, 3)
	alice, bob, mother := ppl[0], ppl[1], ppl[2]
	ta, tb := h.session(t, "oDdHrssAliceFollower000001"), h.session(t, "oDdHrssBobFollower00000001")

	status, raw := h.do(t, request{method: "GET", path: "/wechat/v1/applications", token: ta}, nil)
	if status != http.StatusForbidden || !strings.Contains(problem(t, raw).Detail, "请先绑定") {
		t.Fatalf("before binding: %d %s; want 403 asking to bind", status, raw)
	}
	h.bindBySMS(t, ta, alice)
	h.bindByECard(t, tb, bob)
	aliceApp := h.submit(t, ta, "", "wx-alice-0001", alice)
	bobApp := h.submit(t, tb, "", "wx-bob-00001", bob)

	// Alice adds her mother: the consent code goes to the mother's phone.
	var sent wechat.WxCodeSentView
	h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/relatives/code", token: ta,
		body: map[string]string{"idNumber": mother.id, "name": mother.name, "relation": "parent"}}, &sent)
	if sent.MaskedPhone != mother.phone.Masked() {
		t.Fatalf("consent code went to %s; want the mother's phone on record %s", sent.MaskedPhone, mother.phone.Masked())
	}
	var rel wechat.WxRelativeView
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/relatives", token: ta,
		body: map[string]string{"idNumber": mother.id, "name": mother.name, "relation": "parent", "code": h.lastCode(t, mother.phone)}}, &rel)
	motherApp := h.submit(t, ta, rel.ID, "wx-mother-001", mother)

	tests := []struct {
		name   string
		r      request
		status int
		want   string // an application id the answer must contain; "" for none
		forbid []string
	}{
		// Alice's list holds what she filed, for herself or her mother.
		{"own list", request{method: "GET", path: "/wechat/v1/applications", token: ta}, 200, aliceApp, []string{bobApp}},
		{"own application", request{method: "GET", path: "/wechat/v1/applications/" + aliceApp, token: ta}, 200, aliceApp, nil},
		{"another's application by id", request{method: "GET", path: "/wechat/v1/applications/" + bobApp, token: ta}, 404, "", []string{bobApp}},
		{"relative's list", request{method: "GET", path: "/wechat/v1/applications", token: ta, actFor: rel.ID}, 200, motherApp, []string{aliceApp, bobApp}},
		{"relative's application", request{method: "GET", path: "/wechat/v1/applications/" + motherApp, token: ta, actFor: rel.ID}, 200, motherApp, nil},
		{"another holder's relative", request{method: "GET", path: "/wechat/v1/applications", token: tb, actFor: rel.ID}, 403, "", []string{motherApp}},
		{"another holder's relative by id", request{method: "GET", path: "/wechat/v1/applications/" + motherApp, token: tb}, 404, "", []string{motherApp}},
		{"relatives are for oneself", request{method: "GET", path: "/wechat/v1/relatives", token: ta, actFor: rel.ID}, 403, "", nil},
		{"no session", request{method: "GET", path: "/wechat/v1/applications"}, 401, "", nil},
		{"forged session", request{method: "GET", path: "/wechat/v1/applications", token: "wxs_forged"}, 401, "", nil},
		{"insured overview of another", request{method: "GET", path: "/wechat/v1/insured", token: tb, actFor: rel.ID}, 403, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := h.do(t, tt.r, nil)
			if status != tt.status {
				t.Fatalf("got %d %s; want %d", status, raw, tt.status)
			}
			if tt.want != "" && !strings.Contains(string(raw), tt.want) {
				t.Errorf("answer lacks %s: %s", tt.want, raw)
			}
			for _, id := range tt.forbid {
				if strings.Contains(string(raw), id) {
					t.Errorf("answer shows %s, which is not theirs: %s", id, raw)
				}
			}
			for _, p := range ppl {
				if strings.Contains(string(raw), p.id) || strings.Contains(string(raw), p.phone.Raw()) {
					t.Errorf("answer shows an ID or phone number in full: %s", raw)
				}
			}
		})
	}

	var detail wechat.WxApplicationDetail
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/applications/" + motherApp, token: ta, actFor: rel.ID}, &detail)
	if !strings.HasPrefix(detail.Applicant, domain.MaskName(mother.name)) || detail.ActingFor == "" {
		t.Errorf("relative's application: applicant %q acting %q; want the mother, filed by Alice", detail.Applicant, detail.ActingFor)
	}

	// Unbinding ends Alice's reach, relatives included.
	h.must(t, http.StatusNoContent, request{method: "DELETE", path: "/wechat/v1/binding", token: ta}, nil)
	for _, r := range []request{{method: "GET", path: "/wechat/v1/applications", token: ta},
		{method: "GET", path: "/wechat/v1/applications", token: ta, actFor: rel.ID}} {
		if status, raw := h.do(t, r, nil); status != http.StatusForbidden {
			t.Errorf("after unbinding, %s %s (act for %q): %d %s; want 403", r.method, r.path, r.actFor, status, raw)
		}
	}
}

// bindByECard binds the session's follower to p through the e-card
// platform: a face check of p passed, and p's real name.
func (h *harness) bindByECard(t *testing.T, token string, p person) wechat.WxMeView {
	t.Helper()
	face, err := h.cards.FaceCheck(context.Background(), ecard.FaceCapture{Person: domain.IDNumber(p.id), Name: p.name,
		Liveness: "liveness-" + token[len(token)-8:]})
	if err != nil {
		t.Fatal(err)
	}
	var me wechat.WxMeView
	h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/binding", token: token,
		body: map[string]string{"method": "ecard", "idNumber": p.id, "name": p.name, "faceToken": face}}, &me)
	if me.Method != "ecard" {
		t.Fatalf("bound %+v; want by e-card", me)
	}
	return me
}
