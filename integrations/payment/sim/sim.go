// Package sim simulates the bank and tax payment channel (银行/税务缴费渠道)
// as a real HTTP server speaking the signed contract of package payment:
// orders created under the bureau's order id (de-duplicated), order queries,
// and signed outcome notifications posted to each order's notify URL,
// repeated until acknowledged.
//
// Nobody pays a simulated order by card. A test or the demo settles it with
// POST /_admin/orders/{id}/pay {"outcome":"paid"|"failed"}, where id is the
// bureau's order id or the channel's order number; the cashier page at the
// order's pay URL (GET /cashier/{channelOrderNo}) has two buttons that do
// the same, for the app's web view. With Config.DuplicateNotifications the
// channel delivers every outcome a second time after it was acknowledged,
// as real channels sometimes do, so the bureau's once-only recording is
// exercised. Orders can be read at GET /_admin/orders. Faults come from
// simulator.Injector; admin paths are never faulted.
package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/payment"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// The credentials the simulator accepts when Config leaves them empty; the
// embedded default configures the client with the same.
const (
	DefaultAppID  = "dandong-hrss-merchant"
	DefaultAppKey = "sim-pay-key-not-secret"
)

// Config shapes one simulated channel. Zero values give a healthy channel
// that notifies each outcome once it is acknowledged, retrying 5 times.
type Config struct {
	Seed          uint64           // makes faults and order numbers repeatable
	AppID, AppKey string           // the one merchant allowed in; DefaultAppID/DefaultAppKey if empty
	Faults        simulator.Faults // initial faults; change them later at /_admin/faults
	// DuplicateNotifications makes the channel post every outcome once
	// more after the bureau acknowledged it.
	DuplicateNotifications bool
	NotifyRetries          int           // extra posts of a notification not acknowledged; 5 if zero
	NotifyBackoff          time.Duration // first wait between posts, doubling; 100ms if zero
	// CashierURL is the base of pay URLs, as a phone must reach it; empty
	// means the scheme and host the order was created through.
	CashierURL string
	MaxOrders  int // orders kept, oldest dropped first; 100000 if zero
}

func (c Config) withDefaults() Config {
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	if c.AppKey == "" {
		c.AppKey = DefaultAppKey
	}
	if c.NotifyRetries <= 0 {
		c.NotifyRetries = 5
	}
	if c.NotifyBackoff <= 0 {
		c.NotifyBackoff = 100 * time.Millisecond
	}
	if c.MaxOrders <= 0 {
		c.MaxOrders = 100_000
	}
	return c
}

// Sim is a simulated payment channel; serve it with simulator.Serve and
// stop its notifications with Close.
type Sim struct {
	cfg     Config
	inj     *simulator.Injector
	handler http.Handler
	poster  *http.Client

	ctx  context.Context // ends pending notifications on Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu     sync.Mutex
	closed bool
	rng    *rand.Rand
	seq    int
	orders map[string]*order // by the bureau's order id
	byNo   map[string]string // channel order no → order id
	ids    []string          // order ids, oldest first
}

var _ http.Handler = (*Sim)(nil)

// New returns a simulated channel configured by cfg.
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	ctx, stop := context.WithCancel(context.Background())
	s := &Sim{
		cfg:    cfg,
		poster: &http.Client{Timeout: 5 * time.Second},
		ctx:    ctx,
		stop:   stop,
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed+1)),
		orders: make(map[string]*order),
		byNo:   make(map[string]string),
	}
	s.inj = simulator.NewInjector(cfg.Seed, cfg.Faults, writeSystemError)
	s.handler = s.inj.Wrap(s.routes())
	return s
}

// ServeHTTP serves the channel's API, cashier page and admin endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector, to change faults or count requests
// that reached the channel.
func (s *Sim) Injector() *simulator.Injector { return s.inj }

// Close abandons pending notifications and waits for their goroutines.
// Orders settled afterwards are never notified; close the server first.
func (s *Sim) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.wg.Wait()
}

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+payment.PathOrders, s.authenticated(s.create))
	mux.HandleFunc("GET "+payment.PathOrder+"{id}", s.authenticated(s.query))
	mux.HandleFunc("GET "+PathCashier+"{no}", s.cashier)
	mux.HandleFunc("GET "+simulator.AdminPrefix+"orders", s.listOrders)
	mux.HandleFunc("POST "+simulator.AdminPrefix+"orders/{id}/pay", s.pay)
	return mux
}

// writeSystemError is the channel's answer to an injected failure.
func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	fail(w, http.StatusInternalServerError, payment.ReasonSystemError, "系统繁忙，请稍后重试")
}

func fail(w http.ResponseWriter, status int, code, message string) {
	payment.WriteJSON(w, status, payment.Envelope{Code: code, Message: message})
}

func success(message string) payment.Envelope {
	return payment.Envelope{Code: payment.CodeOK, Message: message}
}

// authenticated checks the merchant id and signature before next runs,
// handing it the body that was signed.
func (s *Sim) authenticated(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			fail(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", "请求体过大")
			return
		}
		if r.Header.Get(payment.HeaderAppID) != s.cfg.AppID {
			fail(w, http.StatusUnauthorized, payment.ReasonAppNotFound, "商户不存在")
			return
		}
		if err := payment.VerifyHeader(r.Header, s.cfg.AppKey, body, time.Now()); err != nil {
			fail(w, http.StatusUnauthorized, payment.ReasonSignatureInvalid, "签名校验失败")
			return
		}
		next(w, r, body)
	}
}

// decode reads a JSON body into v, answering 400 itself when it cannot.
func decode(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		fail(w, http.StatusBadRequest, payment.ReasonInvalidParameter, "请求格式错误")
		return false
	}
	return true
}

// newID returns an id like PY250601-000042-3fa9, with short digit runs so
// that log masking never mistakes it for a phone or ID number; called with
// s.mu held.
func (s *Sim) newID(prefix string) string {
	s.seq++
	day := time.Now().In(domain.Beijing).Format("060102")
	return fmt.Sprintf("%s%s-%06d-%04x", prefix, day, s.seq%1000000, s.rng.Uint32()&0xffff)
}
