package wechat_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/dandong-hrss/hrss/integrations/wechat"
	"github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// account is a callback server as the BFF mounts it, with the handler's
// view of every push it received.
type account struct {
	url string

	mu  sync.Mutex
	got []wechat.Incoming
}

// startCallback serves the client's MessageServer on a plain net/http
// server with a handler that answers like the bureau's account.
func startCallback(t *testing.T) *account {
	t.Helper()
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	a := &account{}
	srv := listen(t, p.client.MessageServer(func(_ context.Context, in wechat.Incoming) wechat.Reply {
		a.mu.Lock()
		a.got = append(a.got, in)
		a.mu.Unlock()
		switch in.Kind {
		case wechat.KindText:
			return wechat.Reply{Text: "您好，您发送的是：" + in.Text}
		case wechat.KindClick:
			return wechat.Reply{Text: "菜单：" + in.Key}
		case wechat.KindSubscribe:
			return wechat.Reply{Text: "欢迎关注丹东人社"}
		}
		return wechat.Reply{}
	}))
	a.url = srv.URL() + "/wechat/v1/callback"
	return a
}

func (a *account) received() []wechat.Incoming {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]wechat.Incoming(nil), a.got...)
}

func push(ctx context.Context, a *account, msg any, encrypted bool) ([]byte, error) {
	return sim.PushMessage(ctx, a.url, sim.DefaultToken, sim.DefaultEncodingAESKey, sim.DefaultAppID, msg, encrypted)
}

func TestServerURLCheckNeedsTheToken(t *testing.T) {
	a := startCallback(t)
	ctx := context.Background()
	if err := sim.VerifyURL(ctx, a.url, sim.DefaultToken); err != nil {
		t.Errorf("VerifyURL with the right token: %v; want echostr echoed", err)
	}
	err := sim.VerifyURL(ctx, a.url, "guessed-token")
	var ce *sim.CallbackError
	if !errors.As(err, &ce) || ce.Status != 403 {
		t.Errorf("VerifyURL with a wrong token: %v; want 403", err)
	}
}

func TestPushWithBadSignatureIsRefused(t *testing.T) {
	a := startCallback(t)
	msg := sim.Text(sim.DefaultAccount, sim.DemoOpenID, "查询进度")
	_, err := sim.PushMessage(context.Background(), a.url, "guessed-token", sim.DefaultEncodingAESKey, sim.DefaultAppID, msg, false)
	var ce *sim.CallbackError
	if !errors.As(err, &ce) || ce.Status != 403 {
		t.Errorf("push signed with a wrong token: %v; want 403", err)
	}
	if got := a.received(); len(got) != 0 {
		t.Errorf("handler saw %+v; want nothing", got)
	}
}

func TestPlaintextPushesAreAnswered(t *testing.T) {
	a := startCallback(t)
	tests := []struct {
		name  string
		msg   any
		kind  wechat.Kind
		reply string // "" means no reply: the callback answers "success"
	}{
		{"text", sim.Text(sim.DefaultAccount, sim.DemoOpenID, "查询进度"), wechat.KindText, "您好，您发送的是：查询进度"},
		{"menu click", sim.Event(sim.DefaultAccount, sim.DemoOpenID, sim.EventClick, "OFFICE_ADDRESSES"), wechat.KindClick, "菜单：OFFICE_ADDRESSES"},
		{"follow", sim.Event(sim.DefaultAccount, sim.DemoOpenID, sim.EventSubscribe, ""), wechat.KindSubscribe, "欢迎关注丹东人社"},
		{"unfollow", sim.Event(sim.DefaultAccount, sim.DemoOpenID, sim.EventUnsubscribe, ""), wechat.KindUnsubscribe, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, err := push(context.Background(), a, tt.msg, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.received(); len(got) != i+1 || got[i].Kind != tt.kind || got[i].OpenID != sim.DemoOpenID {
				t.Fatalf("handler saw %+v; want a %s from the follower", got, tt.kind)
			}
			checkReply(t, answer, tt.reply)
		})
	}
}

// checkReply checks a plaintext answer: a text reply from the account to
// the follower, or "success" when want is empty.
func checkReply(t *testing.T, answer []byte, want string) {
	t.Helper()
	if want == "" {
		if string(answer) != "success" {
			t.Errorf("answer %q; want success", answer)
		}
		return
	}
	r, err := sim.ParseTextReply(answer)
	if err != nil || r.MsgType != "text" || r.Content != want || r.ToUserName != sim.DemoOpenID || r.FromUserName != sim.DefaultAccount {
		t.Errorf("reply %+v (%v); want text %q from %s to the follower", r, err, want, sim.DefaultAccount)
	}
}

func TestSafeModePushIsDecryptedAndAnsweredEncrypted(t *testing.T) {
	a := startCallback(t)
	ctx := context.Background()
	answer, err := push(ctx, a, sim.Text(sim.DefaultAccount, sim.DemoOpenID, "养老待遇怎么申报"), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.received(); len(got) != 1 || got[0].Text != "养老待遇怎么申报" {
		t.Fatalf("handler saw %+v; want the decrypted text", got)
	}
	if strings.Contains(string(answer), "您好") {
		t.Fatalf("safe-mode answer %s carries the reply in clear", answer)
	}
	plain, err := sim.DecryptReply(answer, sim.DefaultToken, sim.DefaultEncodingAESKey, sim.DefaultAppID)
	if err != nil {
		t.Fatalf("decrypt the answer: %v", err)
	}
	checkReply(t, plain, "您好，您发送的是：养老待遇怎么申报")

	answer, err = push(ctx, a, sim.Event(sim.DefaultAccount, sim.DemoOpenID, sim.EventUnsubscribe, ""), true)
	if err != nil || string(answer) != "success" {
		t.Errorf("safe-mode unfollow answered %q, %v; want success", answer, err)
	}
}

func TestSafeModePushUnderAnotherKeyIsRefused(t *testing.T) {
	a := startCallback(t)
	otherKey := strings.Repeat("A", 43)
	_, err := sim.PushMessage(context.Background(), a.url, sim.DefaultToken, otherKey, sim.DefaultAppID,
		sim.Text(sim.DefaultAccount, sim.DemoOpenID, "伪造"), true)
	var ce *sim.CallbackError
	if !errors.As(err, &ce) || ce.Status != 400 {
		t.Errorf("push encrypted under another key: %v; want 400", err)
	}
	if got := a.received(); len(got) != 0 {
		t.Errorf("handler saw %+v; want nothing", got)
	}
}
