package main

import (
	"net/http"
	"net/url"
	"slices"
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
	Route    string // like "GET /kiosk/v1/pension/account"
	Channel  string // kiosk, app, wechat, enterprise
	Category category
	Method   string
	URL      string
	Header   http.Header
	Body     []byte
	Face     int // a certification's face token (faces), told when it is answered
}

// Source hands out the next request of the mix; it is called from many
// goroutines at once.
type Source func() Request

// routeTag carries the route, channel and category through vegeta in the
// URL's fragment, which the HTTP client never sends but vegeta hands back
// in the Result.
const routeTag = "#route="

func targeter(next Source) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		r := next()
		t.Method, t.Body, t.Header = r.Method, r.Body, r.Header
		t.URL = r.URL + routeTag + url.QueryEscape(r.Route) + "&ch=" + r.Channel + "&cat=" + string(r.Category)
		if r.Face > 0 {
			t.URL += "&face=" + strconv.Itoa(r.Face)
		}
		return nil
	}
}

// tagsOf reads the tags back from a result's URL.
func tagsOf(u string) (route, ch, cat string, face int) {
	i := strings.Index(u, routeTag)
	if i < 0 {
		return "unknown", "", "", 0
	}
	q, _ := url.ParseQuery(u[i+len(routeTag)-len("route="):])
	face, _ = strconv.Atoi(q.Get("face"))
	return q.Get("route"), q.Get("ch"), q.Get("cat"), face
}

// Run is the outcome of one attack.
type Run struct {
	Name       string
	Rate       int
	Duration   time.Duration
	Count      int64
	Achieved   float64 // requests per second actually sent
	Overall    *hdrhistogram.Histogram
	Routes     map[string]*RouteStats
	Statuses   map[string]int64  // "200", "503", "error: …"
	Errors     map[string]int64  // failures by route and status, for the report
	Unexpected map[string]int64  // other non-2xx answers a route should not give, by route and status
	Channels   map[string]int64  // requests by channel
	Categories map[string]int64  // requests by category
	Timeline   []Second          // per second of the run
	Samples    map[string]string // the first answer of each failure and unexpected answer
	expect     map[string][]int
}

// maxBody is how much of an answer is kept: enough for a problem+json,
// to show what a failure or an unexpected refusal said.
const maxBody = 1024

// RouteStats are one route's latencies, answers and failures.
type RouteStats struct {
	Hist     *hdrhistogram.Histogram
	Count    int64
	Failed   int64
	Statuses map[string]int64
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
// expect names, by route, the answers other than 2xx that are right for a
// well-formed request (a second rating of a stage: 409); any other 4xx is
// counted as unexpected.
func attack(name string, next Source, rate int, duration time.Duration, timeout time.Duration, expect map[string][]int) *Run {
	attacker := vegeta.NewAttacker(vegeta.Timeout(timeout), vegeta.KeepAlive(true),
		vegeta.Connections(512), vegeta.MaxConnections(2048), vegeta.Workers(64), vegeta.MaxWorkers(4096),
		vegeta.MaxBody(maxBody))
	run := &Run{Name: name, Rate: rate, Duration: duration, Overall: newHist(),
		Routes: map[string]*RouteStats{}, Statuses: map[string]int64{}, Errors: map[string]int64{},
		Unexpected: map[string]int64{}, Channels: map[string]int64{}, Categories: map[string]int64{},
		Samples: map[string]string{}, expect: expect}
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
	route, ch, cat, face := tagsOf(res.URL)
	if face > 0 {
		faceAnswered(face)
	}
	rs := r.Routes[route]
	if rs == nil {
		rs = &RouteStats{Hist: newHist(), Statuses: map[string]int64{}}
		r.Routes[route] = rs
	}
	r.Channels[ch]++
	r.Categories[cat]++
	us := res.Latency.Microseconds()
	rs.Hist.RecordValue(us)
	r.Overall.RecordValue(us)
	rs.Count++
	r.Count++
	status := statusOf(res)
	r.Statuses[status]++
	rs.Statuses[status]++
	// A failure is no answer, a 5xx or a 429. A 4xx other than 429 is
	// the server answering a request it refuses (vegeta reports it as an
	// error too): not a failure of the server, but unless the route
	// expects it, a sign the mix sends something wrong, so it is counted.
	failed := res.Code == 0 || res.Code >= 500 || res.Code == 429
	key := route + " → " + status
	switch {
	case failed:
		rs.Failed++
		r.Errors[key]++
		r.sample(key, res.Body)
	case res.Code >= 400 && !slices.Contains(r.expect[route], int(res.Code)):
		r.Unexpected[key]++
		r.sample(key, res.Body)
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

// sample keeps the first answer under key.
func (r *Run) sample(key string, body []byte) {
	if _, ok := r.Samples[key]; !ok && len(r.Samples) < 100 {
		r.Samples[key] = strings.ToValidUTF8(string(body), "")
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

// UnexpectedCount counts the answers no route should have given.
func (r *Run) UnexpectedCount() int64 {
	var n int64
	for _, c := range r.Unexpected {
		n += c
	}
	return n
}

// Quantile returns an overall latency quantile (0–100).
func (r *Run) Quantile(q float64) time.Duration {
	return time.Duration(r.Overall.ValueAtQuantile(q)) * time.Microsecond
}
