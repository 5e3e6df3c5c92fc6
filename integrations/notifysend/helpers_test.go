package notifysend_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/notifysend"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/sms"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/notifydb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
	"github.com/dandong-hrss/hrss/integrations/wechat"
	wechatsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// The WeChat client's endpoint is process-wide, so the tests of this
// package run one after another, each with its own simulators.

const (
	follower = wechatsim.DemoOpenID
	stranger = "oDdHrssSimStranger0000000001" // a valid openid that does not follow
	linkBase = "https://hrss.dandong.gov.cn/h5"
)

// quick is a policy scaled down so that failures show in milliseconds.
var quick = remote.Policy{
	Timeout: 500 * time.Millisecond, Retries: 1, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 50, BreakerOpenFor: 100 * time.Millisecond, BreakerProbes: 1,
}

// world is the notice service wired to both simulators over HTTP.
type world struct {
	svc       *notify.Service
	db        *store.DB
	sealer    *smcrypto.Sealer
	smsURL    string
	wechatURL string
	wechatSim *wechatsim.Sim
	clock     *clock
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, sealer: smcrypto.Ephemeral(), clock: &clock{now: time.Date(2026, 5, 12, 10, 0, 0, 0, domain.Beijing)}}
	smsSim := smssim.New(smssim.Config{Seed: 1})
	t.Cleanup(smsSim.Close)
	w.smsURL = serve(t, smsSim)
	smsClient := sms.New(sms.Config{BaseURL: w.smsURL, AppID: smssim.DefaultAppID, AppKey: smssim.DefaultAppKey, Policy: quick}, nil)

	w.wechatSim = wechatsim.New(wechatsim.Config{Seed: 1})
	w.wechatURL = serve(t, w.wechatSim)
	wc, err := wechat.New(wechat.Config{AppID: wechatsim.DefaultAppID, AppSecret: wechatsim.DefaultAppSecret,
		Token: wechatsim.DefaultToken, BaseURL: w.wechatURL, Policy: quick}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wc.Close() })
	wx := notifysend.NewWeChat(wc, notifysend.WeChatConfig{Templates: notifysend.DefaultTemplates()})

	w.svc, err = notify.New(notify.Config{
		Store: notifydb.New(db), WeChat: wx, Follower: wx, SMS: notifysend.NewSMS(smsClient), Phones: w.sealer,
		LinkBase: linkBase, Now: w.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv, err := simulator.Serve("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Close(ctx)
	})
	return srv.URL()
}

// recipient is the person with phone, and openID if any, sealed as the
// callers store it.
func (w *world) recipient(t *testing.T, phone, openID string) notify.Recipient {
	t.Helper()
	sealed, err := privacy.SealPhone(w.sealer, domain.Phone(phone))
	if err != nil {
		t.Fatal(err)
	}
	return notify.Recipient{PersonRef: privacy.PhoneIndex(w.sealer, domain.Phone(phone)), PhoneSealed: sealed,
		OpenID: openID, Channel: domain.WeChat}
}

func (w *world) enqueue(t *testing.T, n notify.Notice) bool {
	t.Helper()
	added, err := w.svc.Enqueue(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func (w *world) deliver(t *testing.T) {
	t.Helper()
	if _, err := w.svc.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (w *world) texts(t *testing.T, phone string) []smssim.Message {
	t.Helper()
	msgs, err := smssim.FetchMessages(context.Background(), w.smsURL, phone)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func (w *world) wechatMessages(t *testing.T, openID string) []wechatsim.Message {
	t.Helper()
	msgs, err := wechatsim.FetchMessages(context.Background(), w.wechatURL, openID)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func (w *world) record(t *testing.T, key string) notify.Record {
	t.Helper()
	r, err := w.svc.Find(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// clock is a settable time for the service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// sqlite is the database of most tests here; the store's own suite runs
// on both dialects.
func sqlite(t *testing.T) *store.DB { return storetest.SQLite(t) }
