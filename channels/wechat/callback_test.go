package wechat_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/wechat"
	wxsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// The message callback as WeChat uses it: the server URL check, signed
// pushes in plaintext and in safe mode, answered by what the follower
// asked for; a push whose signature is wrong is refused unread.
func testCallback(t *testing.T, h *harness) {
	ctx := context.Background()
	cb := h.url + wechat.CallbackPath
	p := h.people(t, 1)[0]
	const bound, stranger = "oDdHrssCallbackBound000001", "oDdHrssCallbackStranger001"
	token := h.session(t, bound)
	h.bindBySMS(t, token, p)
	id := h.submit(t, token, "", "wx-callback-01", p)

	t.Run("server URL check", func(t *testing.T) {
		if err := wxsim.VerifyURL(ctx, cb, wxsim.DefaultToken); err != nil {
			t.Errorf("with the account's token: %v; want echostr echoed", err)
		}
		if err := wxsim.VerifyURL(ctx, cb, "guessed-token"); !isStatus(err, http.StatusForbidden) {
			t.Errorf("with a guessed token: %v; want 403", err)
		}
	})
	t.Run("bad signature", func(t *testing.T) {
		for _, encrypted := range []bool{false, true} {
			_, err := wxsim.PushMessage(ctx, cb, "guessed-token", wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID,
				wxsim.Text(wxsim.DefaultAccount, bound, "进度"), encrypted)
			if !isStatus(err, http.StatusForbidden) {
				t.Errorf("encrypted=%v: %v; want 403", encrypted, err)
			}
		}
	})

	tests := []struct {
		name      string
		from      string
		text      string
		encrypted bool
		want      []string
	}{
		{"进度, plaintext", bound, "进度", false, []string{"【办件进度】", "基本养老保险关系转移接续申请", "/h5/progress/" + id}},
		{"进度, safe mode", bound, "查询进度", true, []string{"【办件进度】", "/h5/progress/" + id}},
		{"进度 before binding", stranger, "进度", false, []string{"还没有绑定", "/h5/binding"}},
		{"缴费机构", stranger, "缴费地址", true, []string{"【缴费机构】", "办税服务厅", "12366"}},
		{"anything else", stranger, "你好", false, []string{"回复“进度”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := h.push(t, tt.from, tt.text, tt.encrypted)
			for _, w := range tt.want {
				if !strings.Contains(reply.Content, w) {
					t.Errorf("reply %q lacks %q", reply.Content, w)
				}
			}
			if strings.Contains(reply.Content, p.id) {
				t.Errorf("reply shows the ID number in full: %q", reply.Content)
			}
		})
	}

	t.Run("menu click", func(t *testing.T) {
		answer, err := wxsim.PushMessage(ctx, cb, wxsim.DefaultToken, wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID,
			wxsim.Event(wxsim.DefaultAccount, bound, wxsim.EventClick, wechat.KeyProgress), false)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := wxsim.ParseTextReply(answer); err != nil || !strings.Contains(r.Content, "/h5/progress/"+id) {
			t.Errorf("PROGRESS click answered %q, %v; want the latest progress", r.Content, err)
		}
		answer, err = wxsim.PushMessage(ctx, cb, wxsim.DefaultToken, wxsim.DefaultEncodingAESKey, wxsim.DefaultAppID,
			wxsim.Event(wxsim.DefaultAccount, bound, wxsim.EventView, publicURL+"/h5/insured"), true)
		if err != nil || string(answer) != "success" {
			t.Errorf("a view tap answered %q, %v; want success (WeChat shows no reply to it)", answer, err)
		}
	})
}
