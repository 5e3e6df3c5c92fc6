package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/wechat"
	wxsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// A follower's whole visit, against the WeChat fake: web authorization
// turns a code into an openid, the follower binds to their person with the
// code texted to the phone on record, files a transfer application, its
// progress reaches them as a template message linking to the H5 progress
// page, and the chat answers them in plaintext and in safe mode while a
// push with a bad signature is refused.
func testScriptedSession(t *testing.T, h *harness) {
	ctx := context.Background()
	p := h.people(t, 1)[0]
	const openID = "oDdHrssScriptedFollower0001"

	code := h.authorize(t, openID, "/h5/apply/transfer.pension")
	var s wechat.WxSessionView
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/sessions", body: map[string]string{"code": code}}, &s)
	if s.Token == "" || s.Me.Bound {
		t.Fatalf("session %+v; want a token for an unbound follower", s)
	}
	status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/sessions", body: map[string]string{"code": code}}, nil)
	if status != http.StatusBadRequest || !strings.Contains(problem(t, raw).Detail, "授权已失效") {
		t.Errorf("reusing the code: %d %s; want 400 授权已失效", status, raw)
	}

	me := h.bindBySMS(t, s.Token, p)
	if !me.Bound || me.IDNumber != domainMasked(p.id) || strings.Contains(string(h.must(t, 200,
		request{method: "GET", path: "/wechat/v1/me", token: s.Token}, nil)), p.id) {
		t.Fatalf("after binding: %+v; want bound with the ID number masked everywhere", me)
	}

	id := h.submit(t, s.Token, "", "wx-transfer-0001", p)
	if again := h.submit(t, s.Token, "", "wx-transfer-0001", p); again != id {
		t.Errorf("repeated submission got %s; want the first, %s", again, id)
	}

	page := publicURL + "/h5/progress/" + id
	eventually(t, "a progress message linking to "+page+" reached the follower", func() bool {
		for _, m := range h.sims.WeChat.Messages(openID) {
			if m.URL == page && strings.Contains(m.Data["keyword1"], "异地接转") {
				return true
			}
		}
		return false
	})
	var list wechat.WxApplicationsOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/applications", token: s.Token}, &list.Body)
	if len(list.Body.Items) != 1 || list.Body.Items[0].ID != id || list.Body.Items[0].PageURL != page {
		t.Errorf("applications %+v; want the one filed, linking to its page", list.Body.Items)
	}

	cb := h.url + wechat.CallbackPath
	if _, err := wxsim.PushMessage(ctx, cb, "forged-token", wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID,
		wxsim.Text(wxsim.DefaultAccount, openID, "进度"), false); !isStatus(err, http.StatusForbidden) {
		t.Errorf("push with a bad signature: %v; want 403", err)
	}
	reply := h.push(t, openID, "进度", true)
	if !strings.Contains(reply.Content, "基本养老保险关系转移接续申请") || !strings.Contains(reply.Content, page) {
		t.Errorf("encrypted 进度 answered %q; want the transfer's progress and its page", reply.Content)
	}
}

// authorize follows the redirect of GET /wechat/v1/oauth/authorize to the
// fake's authorization page as the browser would, as openid, and returns
// the code it sends back to the H5 landing page.
func (h *harness) authorize(t *testing.T, openID, next string) string {
	t.Helper()
	if err := h.sims.WeChat.Follow(openID); err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(h.url + "/wechat/v1/oauth/authorize?state=abc123&next=" + url.QueryEscape(next))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || to.Query().Get("scope") != "snsapi_base" {
		t.Fatalf("authorize: %d to %q; want 302 to silent authorization", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := to.Query()
	q.Set("openid", openID) // the fake's stand-in for the follower being inside WeChat
	to.RawQuery, to.Fragment = q.Encode(), ""
	resp, err = noFollow.Get(to.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(back.String(), publicURL+"/h5/oauth?") || back.Query().Get("next") != next ||
		back.Query().Get("state") != "abc123" {
		t.Fatalf("WeChat sent the browser to %q; want the H5 landing page with next and state", back)
	}
	return back.Query().Get("code")
}

// push sends text from openid to the callback as WeChat does and returns
// the reply, decrypting it in safe mode.
func (h *harness) push(t *testing.T, openID, text string, encrypted bool) wxsim.TextReply {
	t.Helper()
	answer, err := wxsim.PushMessage(context.Background(), h.url+wechat.CallbackPath, wxsim.DefaultToken,
		wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID, wxsim.Text(wxsim.DefaultAccount, openID, text), encrypted)
	if err != nil {
		t.Fatal(err)
	}
	if encrypted {
		if strings.Contains(string(answer), "<Content>") {
			t.Fatalf("safe-mode answer carries the reply in clear: %s", answer)
		}
		if answer, err = wxsim.DecryptReply(answer, wxsim.DefaultToken, wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID); err != nil {
			t.Fatal(err)
		}
	}
	r, err := wxsim.ParseTextReply(answer)
	if err != nil || r.ToUserName != openID || r.MsgType != "text" {
		t.Fatalf("reply %+v, %v; want a text to %s", r, err, openID)
	}
	return r
}

func isStatus(err error, status int) bool {
	var ce *wxsim.CallbackError
	return errors.As(err, &ce) && ce.Status == status
}

func domainMasked(id string) string { return id[:4] + "**********" + id[14:] }
