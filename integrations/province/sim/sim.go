// Package sim simulates the two provincial platforms of package province in
// one HTTP server, as the province runs them behind one service bus: the
// relation transfer platform (省转移平台) and the e-card platform
// (省电子社保卡平台), both speaking the signed JSON contract of package
// province.
//
// Transfers move through the platform's steps on their own, one step per
// Config.StepInterval of the simulator's clock, and a share of them is
// returned (退回) with a reason; status changes are posted, signed, to the
// registered callback. The e-card platform knows people through
// Config.Lookup, mints QR tokens valid for a minute and face-check tokens,
// and answers each token once. The clock is Config.Now, so a test can move
// past a token's expiry without waiting; signatures are always checked
// against the real clock. Transfers can be read at GET /_admin/transfers.
// Faults come from simulator.Injector; admin paths are never faulted.
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
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/integrations/province"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// The credentials the simulator accepts on both platforms when Config
// leaves them empty; the embedded default configures the clients with the
// same.
const (
	DefaultAppID  = "dandong-hrss"
	DefaultAppKey = "sim-province-key-not-secret"
)

// Config shapes the simulated platforms. Zero values give healthy
// platforms whose transfers take a step every 30 seconds and are never
// returned, and an e-card platform that trusts every name (see Lookup).
type Config struct {
	Seed          uint64           // makes faults, ids, tokens and returned transfers repeatable
	AppID, AppKey string           // the one app allowed in; DefaultAppID/DefaultAppKey if empty
	Faults        simulator.Faults // initial faults; change them later at /_admin/faults
	// Now is the platforms' clock for transfer steps and token expiry;
	// time.Now if nil. Tests pass a clock they advance by hand.
	Now          func() time.Time
	StepInterval time.Duration // time between transfer steps; 30s if zero
	ReturnRate   float64       // fraction of transfers returned at review
	CallbackURL  string        // where status changes go until a client registers another; empty: none
	// Lookup gives the real name the province holds for an ID number, so
	// that a person the business core knows verifies (the wiring fills it
	// from the business-core simulator). If nil, every valid ID number is a
	// known person and any non-empty name matches: the e-card platform then
	// refuses nobody, which suits a demo and nothing else.
	Lookup       func(id string) (name string, ok bool)
	QRValidity   time.Duration // life of a QR token; ecard.QRValidity if zero
	FaceValidity time.Duration // life of a face-check token; 5 minutes if zero
	MaxRecords   int           // transfers, cards and tokens kept, each, oldest dropped first; 100000 if zero
}

func (c Config) withDefaults() Config {
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	if c.AppKey == "" {
		c.AppKey = DefaultAppKey
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.StepInterval <= 0 {
		c.StepInterval = 30 * time.Second
	}
	if c.QRValidity <= 0 {
		c.QRValidity = ecard.QRValidity
	}
	if c.FaceValidity <= 0 {
		c.FaceValidity = 5 * time.Minute
	}
	if c.MaxRecords <= 0 {
		c.MaxRecords = 100_000
	}
	return c
}

// Sim is the simulated pair of platforms; serve it with simulator.Serve and
// stop its callbacks with Close.
type Sim struct {
	cfg     Config
	inj     *simulator.Injector
	handler http.Handler
	poster  *http.Client

	ctx  context.Context // ends the callback loop on Close
	stop context.CancelFunc
	done chan struct{}

	mu        sync.Mutex
	rng       *rand.Rand
	seq       int
	transfers *transfers
	cards     map[string]*card // by ID number
	cardOrder []string
	tokens    *tokens
	liveness  *seen
}

var _ http.Handler = (*Sim)(nil)

// New returns the simulated platforms configured by cfg, with their
// callback loop running until Close.
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	ctx, stop := context.WithCancel(context.Background())
	s := &Sim{
		cfg:       cfg,
		poster:    &http.Client{Timeout: 2 * time.Second},
		ctx:       ctx,
		stop:      stop,
		done:      make(chan struct{}),
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed+1)),
		transfers: newTransfers(cfg.CallbackURL),
		cards:     make(map[string]*card),
		tokens:    newTokens(),
		liveness:  newSeen(cfg.MaxRecords),
	}
	s.inj = simulator.NewInjector(cfg.Seed, cfg.Faults, writeSystemError)
	s.handler = s.inj.Wrap(s.routes())
	go s.callbackLoop()
	return s
}

// ServeHTTP serves both platforms' APIs and the admin endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector, to change faults or count requests
// that reached the platforms.
func (s *Sim) Injector() *simulator.Injector { return s.inj }

// Close stops the callback loop and waits for it; a post in flight is
// abandoned.
func (s *Sim) Close() {
	s.stop()
	<-s.done
}

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+province.PathTransfers, s.authenticated(s.submitTransfer))
	mux.HandleFunc("GET "+province.PathTransfer+"{no}", s.authenticated(s.transferStatus))
	mux.HandleFunc("PUT "+province.PathTransferCallback, s.authenticated(s.setCallback))
	mux.HandleFunc("POST "+province.PathVerifications, s.authenticated(s.verifyName))
	mux.HandleFunc("POST "+province.PathCards, s.authenticated(s.issueCard))
	mux.HandleFunc("POST "+province.PathQRCodes, s.authenticated(s.issueQR))
	mux.HandleFunc("POST "+province.PathQRVerify, s.authenticated(s.verifyQR))
	mux.HandleFunc("POST "+province.PathFaceChecks, s.authenticated(s.faceCheck))
	mux.HandleFunc("POST "+province.PathFaceCheckVerify, s.authenticated(s.verifyFace))
	mux.HandleFunc("GET "+simulator.AdminPrefix+"transfers", s.listTransfers)
	return mux
}

// writeSystemError is the platforms' answer to an injected failure.
func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	fail(w, http.StatusInternalServerError, province.ReasonSystemError, "系统繁忙，请稍后重试")
}

func fail(w http.ResponseWriter, status int, code, message string) {
	province.WriteJSON(w, status, province.Envelope{Code: code, Message: message})
}

func success(message string) province.Envelope {
	return province.Envelope{Code: province.CodeOK, Message: message}
}

// authenticated checks the app id and signature before next runs, handing
// it the body that was signed.
func (s *Sim) authenticated(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 256<<10))
		if err != nil {
			fail(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", "请求体过大")
			return
		}
		if r.Header.Get(province.HeaderAppID) != s.cfg.AppID {
			fail(w, http.StatusUnauthorized, province.ReasonAppNotFound, "应用不存在")
			return
		}
		if err := province.VerifyHeader(r.Header, s.cfg.AppKey, body, time.Now()); err != nil {
			fail(w, http.StatusUnauthorized, province.ReasonSignatureInvalid, "签名校验失败")
			return
		}
		next(w, r, body)
	}
}

// decode reads a JSON body into v, answering 400 itself when it cannot.
func decode(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		fail(w, http.StatusBadRequest, province.ReasonInvalidParameter, "请求格式错误")
		return false
	}
	return true
}

// now is the platforms' business time, in Beijing.
func (s *Sim) now() time.Time { return s.cfg.Now().In(domain.Beijing) }

// newID returns an id like ZY250601-000042-3fa9, with short digit runs so
// that log masking never mistakes it for a phone or ID number; called with
// s.mu held.
func (s *Sim) newID(prefix string) string {
	s.seq++
	day := s.now().Format("060102")
	return fmt.Sprintf("%s%s-%06d-%04x", prefix, day, s.seq%1000000, s.rng.Uint32()&0xffff)
}

// newToken returns an unguessable-looking bearer token; called with s.mu
// held. Seeded, so repeatable: a simulator's tokens guard nothing real.
func (s *Sim) newToken(prefix string) string {
	return fmt.Sprintf("%s%016x%016x", prefix, s.rng.Uint64(), s.rng.Uint64())
}
