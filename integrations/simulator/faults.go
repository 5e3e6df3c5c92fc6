// Package simulator is the kit every external-system simulator shares: fault
// injection (latency, server errors, hangs, a crashed system), a loopback
// HTTP server, and the admin endpoint that tests and the load test use to
// change a running simulator's faults.
//
// Simulators are real HTTP servers so that tests, the embedded default and
// the load test all exercise the production clients over real sockets; the
// faults are what make the clients' timeouts, retries and breakers observable.
// This package imports nothing from domain, so the load test may use it.
package simulator

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"
)

// Faults is the misbehaviour a simulator injects. The zero value is a
// perfectly healthy system.
type Faults struct {
	LatencyMin, LatencyMax time.Duration // each request waits a uniform random time in [min,max]; max 0 means exactly min
	ErrorRate              float64       // fraction of requests answered as a server error
	TimeoutRate            float64       // fraction of requests that hang until the client gives up, then nothing
	Down                   bool          // every connection is closed without an answer, like a crashed system
}

// RegisterFlags adds one flag per field to fs, named with prefix (prefix
// "core-" gives -core-latency-min, -core-latency-max, -core-error-rate,
// -core-timeout-rate, -core-down). The current values are the defaults.
func (f *Faults) RegisterFlags(fs *flag.FlagSet, prefix string) {
	fs.DurationVar(&f.LatencyMin, prefix+"latency-min", f.LatencyMin, "least simulated latency per request")
	fs.DurationVar(&f.LatencyMax, prefix+"latency-max", f.LatencyMax, "most simulated latency per request")
	fs.Float64Var(&f.ErrorRate, prefix+"error-rate", f.ErrorRate, "fraction of requests answered with a server error (0..1)")
	fs.Float64Var(&f.TimeoutRate, prefix+"timeout-rate", f.TimeoutRate, "fraction of requests that hang until the client gives up (0..1)")
	fs.BoolVar(&f.Down, prefix+"down", f.Down, "close every connection without an answer")
}

// Validate reports faults that cannot be injected: negative latencies, a
// maximum below the minimum, or rates outside [0,1] or summing above 1.
func (f Faults) Validate() error {
	switch {
	case f.LatencyMin < 0 || f.LatencyMax < 0:
		return errors.New("latency must not be negative")
	case f.LatencyMax != 0 && f.LatencyMax < f.LatencyMin:
		return fmt.Errorf("latency max %v is below min %v", f.LatencyMax, f.LatencyMin)
	case f.ErrorRate < 0 || f.ErrorRate > 1 || f.TimeoutRate < 0 || f.TimeoutRate > 1:
		return errors.New("rates must be between 0 and 1")
	case f.ErrorRate+f.TimeoutRate > 1:
		return errors.New("error rate plus timeout rate exceeds 1")
	}
	return nil
}

// faultsJSON is the wire form of Faults: durations as Go duration strings
// ("50ms") so that people can write them by hand with curl.
type faultsJSON struct {
	LatencyMin  string  `json:"latency_min"`
	LatencyMax  string  `json:"latency_max"`
	ErrorRate   float64 `json:"error_rate"`
	TimeoutRate float64 `json:"timeout_rate"`
	Down        bool    `json:"down"`
}

// MarshalJSON writes durations as strings like "50ms".
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		LatencyMin: f.LatencyMin.String(), LatencyMax: f.LatencyMax.String(),
		ErrorRate: f.ErrorRate, TimeoutRate: f.TimeoutRate, Down: f.Down,
	})
}

// UnmarshalJSON reads durations as strings like "50ms"; a missing or empty
// duration is zero.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	minLatency, err := parseDuration(j.LatencyMin)
	if err != nil {
		return fmt.Errorf("latency_min: %w", err)
	}
	maxLatency, err := parseDuration(j.LatencyMax)
	if err != nil {
		return fmt.Errorf("latency_max: %w", err)
	}
	*f = Faults{LatencyMin: minLatency, LatencyMax: maxLatency,
		ErrorRate: j.ErrorRate, TimeoutRate: j.TimeoutRate, Down: j.Down}
	return nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}
