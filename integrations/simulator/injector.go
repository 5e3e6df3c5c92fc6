package simulator

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// AdminPrefix starts every path that belongs to the test harness rather than
// the simulated system (/_admin/faults, a simulator's /_admin/messages…).
// Such requests are never subject to faults: a test must be able to read a
// crashed system's state and to bring it back up.
const AdminPrefix = "/_admin/"

// FaultsPath is the admin endpoint that reads (GET) and replaces (PUT) the
// faults of a running simulator.
const FaultsPath = AdminPrefix + "faults"

// Injector applies Faults to a simulator's handler. It is safe for concurrent
// use. Its random draws come from one PCG source seeded at construction, so a
// given seed and a given order of requests always misbehave the same way.
type Injector struct {
	writeError func(w http.ResponseWriter, r *http.Request)
	requests   atomic.Int64

	mu     sync.Mutex
	faults Faults
	rng    *rand.Rand
}

// NewInjector returns an Injector with the given seed and initial faults.
// writeError answers an injected error in the system's own wire format; nil
// answers a plain 500.
func NewInjector(seed uint64, f Faults, writeError func(w http.ResponseWriter, r *http.Request)) *Injector {
	if writeError == nil {
		writeError = func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "simulated server error", http.StatusInternalServerError)
		}
	}
	return &Injector{writeError: writeError, faults: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Faults returns the faults currently injected.
func (i *Injector) Faults() Faults {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.faults
}

// SetFaults replaces the faults; requests already waiting keep their draw.
func (i *Injector) SetFaults(f Faults) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.faults = f
}

// Requests returns how many non-admin requests have reached the injector,
// whatever their fate. Tests use it to prove that a client failed fast
// without touching the system.
func (i *Injector) Requests() int64 { return i.requests.Load() }

// fate is what the injector decided for one request.
type fate int

const (
	serve fate = iota
	fail
	hang
	crash
)

// draw decides one request's latency and fate. It always takes the same
// number of random values, so the sequence stays deterministic for a seed
// even when faults change between requests.
func (i *Injector) draw() (time.Duration, fate) {
	i.mu.Lock()
	defer i.mu.Unlock()
	f := i.faults
	spread, u := i.rng.Float64(), i.rng.Float64()
	latency := f.LatencyMin
	if f.LatencyMax > f.LatencyMin {
		latency += time.Duration(spread * float64(f.LatencyMax-f.LatencyMin+1))
	}
	switch {
	case f.Down:
		return 0, crash
	case u < f.ErrorRate:
		return latency, fail
	case u < f.ErrorRate+f.TimeoutRate:
		return latency, hang
	}
	return latency, serve
}

// Wrap applies the faults to h and serves GET/PUT FaultsPath itself. Paths
// under AdminPrefix bypass the faults.
func (i *Injector) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == FaultsPath {
			i.serveAdmin(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, AdminPrefix) {
			h.ServeHTTP(w, r)
			return
		}
		i.requests.Add(1)
		latency, fate := i.draw()
		if fate == crash {
			hangUp(w)
			return
		}
		if !wait(r, latency) {
			hangUp(w)
			return
		}
		switch fate {
		case fail:
			i.writeError(w, r)
		case hang:
			<-r.Context().Done()
			hangUp(w) // never an answer, not even on shutdown
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// wait sleeps for d unless the client gives up (or the server shuts down)
// first; it reports whether the request is still worth answering.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// hangUp closes the connection without a byte of answer, which is what a
// client sees when the remote process has crashed.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: net/http resets the stream
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

func (i *Injector) serveAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPut:
		var f Faults
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&f); err != nil {
			http.Error(w, "bad faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := f.Validate(); err != nil {
			http.Error(w, "bad faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		i.SetFaults(f)
	default:
		w.Header().Set("Allow", "GET, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(i.Faults())
}
