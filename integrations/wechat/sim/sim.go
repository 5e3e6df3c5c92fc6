// Package sim simulates the WeChat official-account platform (微信公众平台)
// as a real HTTP server speaking the endpoints the client in package wechat
// (through the silenceper SDK) calls: the stable and classic access token,
// OAuth2 web authorization, follower info, template and subscribe messages,
// the custom menu and the JS-SDK ticket. It answers as WeChat does — HTTP
// 200 with {"errcode":…,"errmsg":…} — and checks tokens, codes and
// followers as WeChat does.
//
// What tests and the embedded default need to see or steer lives under
// /_admin/ (never faulted): sent messages (GET /_admin/messages?openid=),
// the menu (GET /_admin/menu), OAuth codes (POST /_admin/oauth/code),
// followers (POST /_admin/followers), tokens (GET, DELETE /_admin/tokens),
// the current jsapi_ticket (GET /_admin/jsapi_ticket) and faults. The other
// direction — WeChat pushing a follower's message to the bureau's callback —
// is PushMessage and VerifyURL.
package sim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// The credentials the simulator accepts when Config leaves them empty; the
// embedded default configures the client and the pushes with the same.
const (
	DefaultAppID          = "wx5d1a0c0e8f2b3a47"
	DefaultAppSecret      = "sim-app-secret-not-secret-000000"
	DefaultToken          = "hrsswechatsimtoken"
	DefaultEncodingAESKey = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A"
	DefaultAccount        = "gh_d4nd0n9hrss1" // the account's original id (原始ID)
	DemoOpenID            = "oDdHrssSimDemoFollower000001"
)

// Config shapes one simulated platform. Zero values give a healthy
// platform for the default account where DemoOpenID follows.
type Config struct {
	Seed             uint64 // makes tokens, codes, message ids and faults repeatable
	AppID, AppSecret string // the one account served; DefaultAppID/DefaultAppSecret if empty
	Followers        []string
	TokenTTL         time.Duration // life of access tokens and jsapi tickets; 7200s if zero
	CodeTTL          time.Duration // life of an OAuth code; 5 minutes if zero
	Faults           simulator.Faults
	MaxMessages      int              // messages kept, oldest dropped first; 10000 if zero
	Now              func() time.Time // the platform's clock; time.Now if nil
}

func (c Config) withDefaults() Config {
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	if c.AppSecret == "" {
		c.AppSecret = DefaultAppSecret
	}
	if c.Followers == nil {
		c.Followers = []string{DemoOpenID}
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = 7200 * time.Second
	}
	if c.CodeTTL <= 0 {
		c.CodeTTL = 5 * time.Minute
	}
	if c.MaxMessages <= 0 {
		c.MaxMessages = 10000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Sim is a simulated platform; serve it with simulator.Serve.
type Sim struct {
	cfg     Config
	inj     *simulator.Injector
	handler http.Handler

	mu        sync.Mutex
	rng       *rand.Rand
	tokens    map[string]time.Time // access token → expiry
	stable    string               // the current stable token
	issued    int                  // tokens handed out, stable or classic
	ticket    string
	ticketExp time.Time
	codes     map[string]oauthCode
	followers map[string]time.Time // openid → when followed
	messages  []Message
	menu      json.RawMessage // as created; nil when none
	msgSeq    int64
}

var _ http.Handler = (*Sim)(nil)

// New returns a simulated platform configured by cfg.
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	s := &Sim{
		cfg:       cfg,
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed+7)),
		tokens:    map[string]time.Time{},
		codes:     map[string]oauthCode{},
		followers: map[string]time.Time{},
		msgSeq:    int64(2_000_000_000) + int64(cfg.Seed%1000)*1000,
	}
	for _, id := range cfg.Followers {
		s.followers[id] = cfg.Now()
	}
	s.inj = simulator.NewInjector(cfg.Seed, cfg.Faults, writeSystemError)
	s.handler = s.inj.Wrap(s.routes())
	return s
}

// ServeHTTP serves the platform's API and admin endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector, to change faults or count requests
// that reached the platform.
func (s *Sim) Injector() *simulator.Injector { return s.inj }

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", s.stableToken)
	mux.HandleFunc("GET /cgi-bin/token", s.classicToken)
	mux.HandleFunc("GET "+wechat.AuthorizePath, s.authorize)
	mux.HandleFunc("GET /sns/oauth2/access_token", s.exchangeCode)
	mux.HandleFunc("GET /cgi-bin/user/info", s.withToken(s.userInfo))
	mux.HandleFunc("POST /cgi-bin/message/template/send", s.withToken(s.sendTemplate))
	mux.HandleFunc("POST /cgi-bin/message/subscribe/bizsend", s.withToken(s.sendSubscribe))
	mux.HandleFunc("POST /cgi-bin/menu/create", s.withToken(s.createMenu))
	mux.HandleFunc("GET /cgi-bin/menu/get", s.withToken(s.getMenu))
	mux.HandleFunc("GET /cgi-bin/menu/delete", s.withToken(s.deleteMenu))
	mux.HandleFunc("GET /cgi-bin/ticket/getticket", s.withToken(s.getTicket))

	mux.HandleFunc("GET "+simulator.AdminPrefix+"messages", s.adminMessages)
	mux.HandleFunc("GET "+simulator.AdminPrefix+"menu", s.adminMenu)
	mux.HandleFunc("POST "+simulator.AdminPrefix+"oauth/code", s.adminCode)
	mux.HandleFunc("POST "+simulator.AdminPrefix+"followers", s.adminFollower)
	mux.HandleFunc("GET "+simulator.AdminPrefix+"tokens", s.adminTokens)
	mux.HandleFunc("DELETE "+simulator.AdminPrefix+"tokens", s.adminRevoke)
	mux.HandleFunc("GET "+simulator.AdminPrefix+"jsapi_ticket", s.adminTicket)
	return mux
}

// writeSystemError is the platform's answer to an injected failure: like
// every WeChat answer it is HTTP 200, with errcode -1.
func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	fail(w, wechat.CodeSystemBusy, "system error")
}

// fail answers with a WeChat error.
func fail(w http.ResponseWriter, code wechat.ErrCode, msg string) {
	writeJSON(w, http.StatusOK, map[string]any{"errcode": code, "errmsg": msg})
}

// ok200 answers success, with extra fields beside errcode and errmsg.
func ok200(w http.ResponseWriter, fields map[string]any) {
	out := map[string]any{"errcode": 0, "errmsg": "ok"}
	for k, v := range fields {
		out[k] = v
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// randomHex returns n random hex digits; called with s.mu held.
func (s *Sim) randomHex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[s.rng.IntN(16)]
	}
	return string(b)
}

// now is the platform's clock.
func (s *Sim) now() time.Time { return s.cfg.Now() }

// nextMsgID returns a WeChat-like 64-bit message id; called with s.mu held.
func (s *Sim) nextMsgID() int64 {
	s.msgSeq++
	return s.msgSeq
}

// errorf formats an errmsg the way WeChat does, with a request id.
func (s *Sim) errorf(format string, args ...any) string {
	s.mu.Lock()
	rid := s.randomHex(8)
	s.mu.Unlock()
	return fmt.Sprintf(format, args...) + " rid: " + rid
}
