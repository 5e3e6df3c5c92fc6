package main

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A Request is one request a scenario wants sent, with the route template
// it is reported under.
type Request struct {
	Route  string // like "GET /kiosk/v1/pension/account"
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Source hands out the next request of the mix; it is called from many
// goroutines at once.
type Source func() Request

// routeTag carries the route through vegeta in the URL's fragment, which
// the HTTP client never sends but vegeta hands back in the Result.
const routeTag = "#route="

func targeter(next Source) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		r := next()
		t.Method, t.Body, t.Header = r.Method, r.Body, r.Header
		t.URL = r.URL + routeTag + url.QueryEscape(r.Route)
		return nil
	}
}

// Run is the outcome of one attack.
type Run struct {
	Name     string
	Rate     int
	Duration time.Duration
	Count    int64
	Achieved float64 // requests per second actually sent
	Overall  *hdrhistogram.Histogram
	Routes   map[string]*RouteStats
	Statuses map[string]int64 // "200", "503", "error: …"
	Errors   map[string]int64 // by route and status, for the report
	Timeline []Second         // per second of the run
}

// RouteStats are one route's latencies and failures.
type RouteStats struct {
	Hist   *hdrhistogram.Histogram
	Count  int64
	Failed int64
}

// Second is one second of a run, for the latency-over-time plot.
type Second struct {
	At       time.Duration
	Count    int64
	Failed   int64
	P50, P99 time.Duration
}

func newHist() *hdrhistogram.Histogram {
	return hdrhistogram.New(1, int64(60*time.Second/time.Microsecond), 3)
}

// attack sends rate requests a second from next for duration, open loop:
// requests go out on schedule whether or not earlier ones have answered,
// so a slow server shows as latency, not as a lower rate.
func attack(name string, next Source, rate int, duration time.Duration, timeout time.Duration) *Run {
	attacker := vegeta.NewAttacker(vegeta.Timeout(timeout), vegeta.KeepAlive(true),
		vegeta.Connections(512), vegeta.MaxConnections(2048), vegeta.Workers(64), vegeta.MaxWorkers(4096),
		vegeta.MaxBody(0))
	run := &Run{Name: name, Rate: rate, Duration: duration, Overall: newHist(),
		Routes: map[string]*RouteStats{}, Statuses: map[string]int64{}, Errors: map[string]int64{}}
	var start time.Time
	seconds := map[int]*secondAcc{}
	for res := range attacker.Attack(targeter(next), vegeta.Rate{Freq: rate, Per: time.Second}, duration, name) {
		if start.IsZero() || res.Timestamp.Before(start) {
			start = res.Timestamp
		}
		run.record(res, seconds, start)
	}
	run.finish(seconds, start)
	return run
}

type secondAcc struct {
	hist          *hdrhistogram.Histogram
	count, failed int64
}

func (r *Run) record(res *vegeta.Result, seconds map[int]*secondAcc, start time.Time) {
	route := "unknown"
	if i := strings.Index(res.URL, routeTag); i >= 0 {
		route, _ = url.QueryUnescape(res.URL[i+len(routeTag):])
	}
	rs := r.Routes[route]
	if rs == nil {
		rs = &RouteStats{Hist: newHist()}
		r.Routes[route] = rs
	}
	us := res.Latency.Microseconds()
	rs.Hist.RecordValue(us)
	r.Overall.RecordValue(us)
	rs.Count++
	r.Count++
	status := statusOf(res)
	r.Statuses[status]++
	// A 4xx other than 429 is the server answering correctly (vegeta
	// reports it as an error too); a failure is no answer, a 5xx or a 429.
	failed := res.Code == 0 || res.Code >= 500 || res.Code == 429
	if failed {
		rs.Failed++
		r.Errors[route+" → "+status]++
	}
	sec := int(res.Timestamp.Sub(start) / time.Second)
	acc := seconds[sec]
	if acc == nil {
		acc = &secondAcc{hist: newHist()}
		seconds[sec] = acc
	}
	acc.hist.RecordValue(us)
	acc.count++
	if failed {
		acc.failed++
	}
}

func statusOf(res *vegeta.Result) string {
	if res.Error != "" && res.Code == 0 {
		e := res.Error
		if i := strings.LastIndex(e, ": "); i >= 0 {
			e = e[i+2:]
		}
		return "error: " + e
	}
	return strconv.Itoa(int(res.Code))
}

func (r *Run) finish(seconds map[int]*secondAcc, start time.Time) {
	keys := make([]int, 0, len(seconds))
	for k := range seconds {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		acc := seconds[k]
		r.Timeline = append(r.Timeline, Second{At: time.Duration(k) * time.Second, Count: acc.count, Failed: acc.failed,
			P50: time.Duration(acc.hist.ValueAtQuantile(50)) * time.Microsecond,
			P99: time.Duration(acc.hist.ValueAtQuantile(99)) * time.Microsecond})
	}
	if r.Duration > 0 {
		r.Achieved = float64(r.Count) / r.Duration.Seconds()
	}
}

// Failures counts requests that failed: transport errors, 5xx and 429.
func (r *Run) Failures() int64 {
	var n int64
	for _, rs := range r.Routes {
		n += rs.Failed
	}
	return n
}

// Quantile returns an overall latency quantile (0–100).
func (r *Run) Quantile(q float64) time.Duration {
	return time.Duration(r.Overall.ValueAtQuantile(q)) * time.Microsecond
}
