// Package sim simulates Dandong's employment system (就业信息系统) as a
// real HTTP server speaking the signed contract of package employment:
// job search with filters, a posting's detail, and job-seeker
// registration keyed by ID number.
//
// The postings are synthetic and deterministic for a seed — a few thousand
// plausible Dandong jobs (port logistics, Donggang strawberry farms,
// seafood, border tourism, factories in Zhenxing and Yuanbao…) posted over
// the ninety days before Config.AsOf, newest first. Registrations are kept
// in memory and can be read at GET /_admin/seekers. Faults come from
// simulator.Injector; admin paths are never faulted.
package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/employment"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// The credentials the simulator accepts when Config leaves them empty; the
// embedded default configures the client with the same.
const (
	DefaultAppID  = "dandong-hrss"
	DefaultAppKey = "sim-employment-key-not-secret"
)

// DefaultPostings is how many postings a simulated system holds: about
// what Dandong's employers keep open at once.
const DefaultPostings = 3000

// Config shapes one simulated system.
type Config struct {
	Seed          uint64 // the same seed gives the same postings
	Postings      int    // DefaultPostings if zero
	AsOf          time.Time
	AppID, AppKey string           // DefaultAppID/DefaultAppKey if empty
	Faults        simulator.Faults // initial faults; change them at /_admin/faults
}

// Sim is a simulated employment system; serve it with simulator.Serve.
type Sim struct {
	cfg     Config
	inj     *simulator.Injector
	handler http.Handler
	jobs    []employment.JobRecord // newest first
	byID    map[string]int

	mu      sync.Mutex
	seekers map[string]*employment.SeekerRecord // by ID number
	seq     int
}

var _ http.Handler = (*Sim)(nil)

// New returns a simulated system configured by cfg.
func New(cfg Config) *Sim {
	if cfg.Postings <= 0 {
		cfg.Postings = DefaultPostings
	}
	if cfg.AsOf.IsZero() {
		cfg.AsOf = time.Now()
	}
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.AppKey == "" {
		cfg.AppKey = DefaultAppKey
	}
	s := &Sim{cfg: cfg, seekers: map[string]*employment.SeekerRecord{}}
	s.jobs = postings(cfg.Seed, cfg.Postings, cfg.AsOf.In(domain.Beijing))
	s.byID = make(map[string]int, len(s.jobs))
	for i, j := range s.jobs {
		s.byID[j.JobID] = i
	}
	s.inj = simulator.NewInjector(cfg.Seed, cfg.Faults, writeSystemError)
	s.handler = s.inj.Wrap(s.routes())
	return s
}

// ServeHTTP serves the system's API and admin endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector.
func (s *Sim) Injector() *simulator.Injector { return s.inj }

// Jobs returns every posting, newest first, for tests that check a search
// against the whole board.
func (s *Sim) Jobs() []employment.JobRecord { return s.jobs }

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+employment.PathJobs, s.authenticated(s.search))
	mux.HandleFunc("GET "+employment.PathJob+"{id}", s.authenticated(s.job))
	mux.HandleFunc("POST "+employment.PathSeekers, s.authenticated(s.register))
	mux.HandleFunc("POST "+employment.PathSeekerLookup, s.authenticated(s.lookup))
	mux.HandleFunc("GET "+simulator.AdminPrefix+"seekers", s.listSeekers)
	return mux
}

func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	fail(w, http.StatusInternalServerError, employment.ReasonSystemError, "系统繁忙，请稍后重试")
}

func fail(w http.ResponseWriter, status int, code, message string) {
	employment.WriteJSON(w, status, employment.Envelope{Code: code, Message: message})
}

func success() employment.Envelope {
	return employment.Envelope{Code: employment.CodeOK, Message: "成功"}
}

// authenticated checks the app id and the signature over the request URI
// and body before next runs.
func (s *Sim) authenticated(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			fail(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", "请求体过大")
			return
		}
		if r.Header.Get(employment.HeaderAppID) != s.cfg.AppID {
			fail(w, http.StatusUnauthorized, employment.ReasonAppNotFound, "应用不存在")
			return
		}
		if err := employment.VerifyHeader(r.Header, s.cfg.AppKey, r.URL.RequestURI(), body, time.Now()); err != nil {
			fail(w, http.StatusUnauthorized, employment.ReasonSignatureInvalid, "签名校验失败")
			return
		}
		next(w, r, body)
	}
}

func (s *Sim) job(w http.ResponseWriter, r *http.Request, _ []byte) {
	i, ok := s.byID[r.PathValue("id")]
	if !ok {
		fail(w, http.StatusNotFound, employment.ReasonJobNotFound, "职位不存在或已下架")
		return
	}
	employment.WriteJSON(w, http.StatusOK, employment.JobResponse{Envelope: success(), Job: s.jobs[i]})
}

func decode(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		fail(w, http.StatusBadRequest, employment.ReasonInvalidParameter, "请求格式错误")
		return false
	}
	return true
}

// newRegistrationNo returns a number like QZ260601-000042; called with
// s.mu held.
func (s *Sim) newRegistrationNo(now time.Time) string {
	s.seq++
	return fmt.Sprintf("QZ%s-%06d", now.Format("060102"), s.seq%1000000)
}
