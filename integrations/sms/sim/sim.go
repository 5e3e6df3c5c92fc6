// Package sim simulates the bureau's SMS platform (短信平台) as a real HTTP
// server speaking the wire contract of package sms: signed sends by template,
// status queries, callback registration, and delivery receipts posted back
// asynchronously with retries. Sent messages, with their rendered Chinese
// text, can be read at GET /_admin/messages?phone=… so that tests and the
// embedded default can read verification codes. Faults come from
// simulator.Injector; admin paths are never faulted.
package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/sms"
)

// The credentials the simulator accepts when Config leaves them empty; the
// embedded default configures the client with the same.
const (
	DefaultAppID  = "dandong-hrss"
	DefaultAppKey = "sim-app-key-not-secret"
)

// Config shapes one simulated platform. Zero values give a healthy platform
// that delivers every message after 20ms.
type Config struct {
	Seed           uint64           // makes faults, message ids and delivery failures repeatable
	AppID, AppKey  string           // the one app allowed to send; DefaultAppID/DefaultAppKey if empty
	Faults         simulator.Faults // initial faults; change them later at /_admin/faults
	CallbackURL    string           // where receipts go until a client registers another; empty: none
	DeliveryDelay  time.Duration    // from acceptance to the carrier's report; 20ms if zero
	FailRate       float64          // fraction of accepted messages the carrier fails to deliver
	ReceiptRetries int              // extra posts of a receipt the callback did not take; 5 if zero
	ReceiptBackoff time.Duration    // first wait between receipt posts, doubling; 100ms if zero
	MaxMessages    int              // messages kept for queries, oldest dropped first; 10000 if zero
}

func (c Config) withDefaults() Config {
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	if c.AppKey == "" {
		c.AppKey = DefaultAppKey
	}
	if c.DeliveryDelay <= 0 {
		c.DeliveryDelay = 20 * time.Millisecond
	}
	if c.ReceiptRetries <= 0 {
		c.ReceiptRetries = 5
	}
	if c.ReceiptBackoff <= 0 {
		c.ReceiptBackoff = 100 * time.Millisecond
	}
	if c.MaxMessages <= 0 {
		c.MaxMessages = 10000
	}
	return c
}

// Sim is a simulated SMS platform; serve it with simulator.Serve and stop its
// receipt deliveries with Close.
type Sim struct {
	cfg     Config
	inj     *simulator.Injector
	handler http.Handler
	poster  *http.Client

	ctx  context.Context // ends pending deliveries on Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	rng      *rand.Rand
	seq      int
	messages map[string]*Message
	order    []string // message ids, oldest first
	callback string
}

var _ http.Handler = (*Sim)(nil)

// New returns a simulated platform configured by cfg.
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	ctx, stop := context.WithCancel(context.Background())
	s := &Sim{
		cfg:      cfg,
		poster:   &http.Client{Timeout: 5 * time.Second},
		ctx:      ctx,
		stop:     stop,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed+1)),
		messages: make(map[string]*Message),
		callback: cfg.CallbackURL,
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

// Close abandons pending deliveries and waits for their goroutines. Messages
// accepted afterwards are never delivered; close the server first.
func (s *Sim) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.wg.Wait()
}

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+sms.PathMessages, s.authenticated(s.send))
	mux.HandleFunc("GET "+sms.PathMessage+"{id}", s.authenticated(s.status))
	mux.HandleFunc("PUT "+sms.PathCallback, s.authenticated(s.setCallback))
	mux.HandleFunc("GET "+simulator.AdminPrefix+"messages", s.listMessages)
	return mux
}

// writeSystemError is the platform's answer to an injected failure.
func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	fail(w, http.StatusInternalServerError, "SYSTEM_ERROR", "系统繁忙，请稍后重试")
}

func fail(w http.ResponseWriter, status int, code, message string) {
	sms.WriteJSON(w, status, sms.Envelope{Code: code, Message: message})
}

// authenticated checks the app id and signature before next runs, handing
// it the body that was signed.
func (s *Sim) authenticated(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			fail(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", "请求体过大")
			return
		}
		if r.Header.Get(sms.HeaderAppID) != s.cfg.AppID {
			fail(w, http.StatusUnauthorized, "APP_NOT_FOUND", "应用不存在")
			return
		}
		if err := sms.VerifyHeader(r.Header, s.cfg.AppKey, body, time.Now()); err != nil {
			fail(w, http.StatusUnauthorized, "SIGNATURE_INVALID", "签名校验失败")
			return
		}
		next(w, r, body)
	}
}

func (s *Sim) send(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req sms.SendRequest
	if err := json.Unmarshal(body, &req); err != nil {
		fail(w, http.StatusBadRequest, "INVALID_PARAMETER", "请求格式错误")
		return
	}
	if !isMobile(req.Phone) {
		fail(w, http.StatusBadRequest, "INVALID_PHONE", "手机号码格式错误")
		return
	}
	text, ok := templates[req.TemplateID]
	if !ok {
		fail(w, http.StatusUnprocessableEntity, "TEMPLATE_NOT_FOUND", "模板不存在或未审核通过")
		return
	}
	content, missing := render(text, req.Params)
	if missing != "" {
		fail(w, http.StatusUnprocessableEntity, "TEMPLATE_PARAM_MISSING", "模板参数缺失："+missing)
		return
	}
	m := s.accept(req, content)
	s.deliverLater(m.MessageID)
	sms.WriteJSON(w, http.StatusOK, sms.SendResponse{
		Envelope:  sms.Envelope{Code: sms.CodeOK, Message: "提交成功", RequestID: m.RequestID},
		MessageID: m.MessageID,
	})
}

func (s *Sim) status(w http.ResponseWriter, r *http.Request, _ []byte) {
	m, ok := s.message(r.PathValue("id"))
	if !ok {
		fail(w, http.StatusNotFound, "MESSAGE_NOT_FOUND", "短信记录不存在")
		return
	}
	sms.WriteJSON(w, http.StatusOK, sms.StatusResponse{
		Envelope: sms.Envelope{Code: sms.CodeOK, Message: "成功"},
		Receipt:  m.receipt(),
	})
}

func (s *Sim) setCallback(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req sms.CallbackRequest
	if err := json.Unmarshal(body, &req); err != nil || !validURL(req.URL) {
		fail(w, http.StatusBadRequest, "INVALID_PARAMETER", "回调地址无效")
		return
	}
	s.mu.Lock()
	s.callback = req.URL
	s.mu.Unlock()
	sms.WriteJSON(w, http.StatusOK, sms.Envelope{Code: sms.CodeOK, Message: "成功"})
}

// isMobile accepts what carriers deliver to: 1[3-9] and nine more digits.
func isMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validURL accepts absolute http(s) URLs, the only callbacks it can post to.
func validURL(s string) bool {
	u, err := url.ParseRequestURI(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// newID returns a message or request id like SM250601-000042-3fa9, with
// short digit runs so that log masking never mistakes it for a phone or ID
// number; called with s.mu held.
func (s *Sim) newID(prefix string) string {
	s.seq++
	day := time.Now().In(domain.Beijing).Format("060102")
	return fmt.Sprintf("%s%s-%06d-%04x", prefix, day, s.seq%1000000, s.rng.Uint32()&0xffff)
}
