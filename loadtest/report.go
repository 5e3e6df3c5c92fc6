package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Targets are the figures a run is judged by: the procurement's (seed
// section 3) and our own, stricter ones.
type Targets struct {
	Rate         int           // requests per second to hold
	SeedQueryAvg time.Duration // 查询类平均响应时间 ≤ 3 s
	SeedInterAvg time.Duration // 交互类平均响应时间 ≤ 2 s
	OurP99       time.Duration // ours: p99 ≤ 50 ms at the seed's peak
	OurErrors    int64         // ours: zero errors
}

var defaultTargets = Targets{Rate: 1000, SeedQueryAvg: 3 * time.Second, SeedInterAvg: 2 * time.Second,
	OurP99: 50 * time.Millisecond, OurErrors: 0}

// Report is everything a load test found, as written to disk.
type Report struct {
	When     time.Time       `json:"when"`
	Command  string          `json:"command"`
	Runs     []RunSummary    `json:"runs"`
	Setup    *SetupSummary   `json:"setup,omitempty"`
	Server   *ServerFigures  `json:"server,omitempty"`
	MaxRate  int             `json:"maxRate,omitempty"`  // --find-max: highest rate that held
	Baseline *BaselineResult `json:"baseline,omitempty"` // --baseline
	Verdicts []Verdict       `json:"verdicts"`
	timeline []Second
}

// RunSummary is one run's figures.
type RunSummary struct {
	Name       string            `json:"name"`
	Rate       int               `json:"rate"`
	Achieved   float64           `json:"achievedRate"`
	Count      int64             `json:"count"`
	Failures   int64             `json:"failures"`
	Unexpected int64             `json:"unexpected"` // 4xx answers no route should give
	Overall    Quantiles         `json:"overall"`
	Routes     map[string]Route  `json:"routes"`
	Statuses   map[string]int64  `json:"statuses"`
	Errors     map[string]int64  `json:"errors,omitempty"`
	Unexpects  map[string]int64  `json:"unexpectedAnswers,omitempty"`
	Samples    map[string]string `json:"samples,omitempty"` // the first answer of each failure and unexpected answer
	Channels   map[string]int64  `json:"channels"`
	Categories map[string]int64  `json:"categories"`
}

// Quantiles are latencies in milliseconds.
type Quantiles struct {
	Mean, P50, P90, P99, P999, Max float64
}

// Route is one route's figures.
type Route struct {
	Count    int64            `json:"count"`
	Failures int64            `json:"failures"`
	Latency  Quantiles        `json:"latencyMs"`
	Statuses map[string]int64 `json:"statuses"`
}

// BaselineResult compares the hottest query with the minimal handler.
type BaselineResult struct {
	BaselineRate float64 `json:"baselineRate"` // requests/s the minimal handler held
	HotRate      float64 `json:"hotRate"`      // requests/s the hottest query held
	Ratio        float64 `json:"ratio"`        // hot / baseline
	// The app's hottest query (a pension account over every app session),
	// stepped up to what the sessions carry within their budgets; capped
	// says it held up to there.
	AppHotRate   float64 `json:"appHotRate,omitempty"`
	AppHotCapped bool    `json:"appHotCapped,omitempty"`
}

// Verdict is one target met or missed.
type Verdict struct {
	Target string `json:"target"`
	Got    string `json:"got"`
	Met    bool   `json:"met"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summarize(r *Run) RunSummary {
	s := RunSummary{Name: r.Name, Rate: r.Rate, Achieved: r.Achieved, Count: r.Count, Failures: r.Failures(),
		Unexpected: r.UnexpectedCount(), Overall: quantiles(r.Overall.Mean(), r.Overall.ValueAtQuantile, r.Overall.Max()),
		Routes: map[string]Route{}, Statuses: r.Statuses, Errors: r.Errors, Unexpects: r.Unexpected,
		Channels: r.Channels, Categories: r.Categories, Samples: r.Samples}
	for name, rs := range r.Routes {
		s.Routes[name] = Route{Count: rs.Count, Failures: rs.Failed, Statuses: rs.Statuses,
			Latency: quantiles(rs.Hist.Mean(), rs.Hist.ValueAtQuantile, rs.Hist.Max())}
	}
	return s
}

func quantiles(mean float64, at func(float64) int64, max int64) Quantiles {
	f := func(us int64) float64 { return float64(us) / 1000 }
	return Quantiles{Mean: mean / 1000, P50: f(at(50)), P90: f(at(90)), P99: f(at(99)), P999: f(at(99.9)), Max: f(max)}
}

// judge compares the main run with the seed's figures and ours.
func judge(s RunSummary, t Targets) []Verdict {
	mean := time.Duration(s.Overall.Mean * float64(time.Millisecond))
	p99 := time.Duration(s.Overall.P99 * float64(time.Millisecond))
	return []Verdict{
		{fmt.Sprintf("seed: %d req/s sustained", t.Rate), fmt.Sprintf("%.0f req/s", s.Achieved), s.Achieved >= 0.99*float64(t.Rate)},
		{fmt.Sprintf("seed: mean response ≤ %s (query) / %s (interactive)", t.SeedQueryAvg, t.SeedInterAvg),
			fmt.Sprintf("mean %.1f ms", s.Overall.Mean), mean <= t.SeedInterAvg},
		{fmt.Sprintf("ours: p99 ≤ %s", t.OurP99), fmt.Sprintf("p99 %.1f ms", s.Overall.P99), p99 <= t.OurP99},
		{"ours: zero errors", fmt.Sprintf("%d errors", s.Failures), s.Failures <= t.OurErrors},
		{"mix: no 4xx a route should not give", fmt.Sprintf("%d unexpected", s.Unexpected), s.Unexpected == 0},
	}
}

// write puts the report in dir as report.txt, report.json, report.md and
// latency.svg, and prints the text to w.
func (rep *Report) write(dir string, w io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	text := rep.text()
	fmt.Fprint(w, text)
	js, _ := json.MarshalIndent(rep, "", "  ")
	files := map[string][]byte{"report.txt": []byte(text), "report.json": js, "report.md": []byte(rep.markdown()),
		"latency.svg": []byte(plotSVG(rep.timeline))}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (rep *Report) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "load test %s\n%s\n\n", rep.When.Format(time.RFC3339), rep.Command)
	if st := rep.Setup; st != nil {
		fmt.Fprintf(&b, "sessions, set up in %s for %.0f req/s, the busiest within %.0f%% of its budget:\n",
			st.Duration.Round(time.Second), st.SessionRate, 100*st.BudgetUse)
		for _, c := range st.Channels {
			fmt.Fprintf(&b, "  %-10s %5.1f%% of requests  %6d sessions  %s budget %d/min, busiest uses %.0f%%\n",
				c.Name, c.Share, c.Sessions, c.Subject, c.BudgetPerMin, 100*c.BudgetUse)
		}
		if st.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", st.Note)
		}
		b.WriteString("\n")
	}
	for _, r := range rep.Runs {
		fmt.Fprintf(&b, "%s: %d req/s asked, %.0f achieved, %d requests, %d failures, %d unexpected 4xx\n",
			r.Name, r.Rate, r.Achieved, r.Count, r.Failures, r.Unexpected)
		fmt.Fprintf(&b, "  mix sent  %s\n  by kind   %s\n", shares(r.Channels, r.Count), shares(r.Categories, r.Count))
		fmt.Fprintf(&b, "  latency ms  mean %.2f  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
			r.Overall.Mean, r.Overall.P50, r.Overall.P90, r.Overall.P99, r.Overall.P999, r.Overall.Max)
		for _, name := range sortedKeys(r.Routes) {
			rt := r.Routes[name]
			fmt.Fprintf(&b, "  %-52s %7d  p50 %6.2f  p99 %7.2f  max %7.2f  failed %d\n", name, rt.Count,
				rt.Latency.P50, rt.Latency.P99, rt.Latency.Max, rt.Failures)
		}
		for _, k := range sortedKeys(r.Statuses) {
			fmt.Fprintf(&b, "  status %s: %d\n", k, r.Statuses[k])
		}
		for _, k := range sortedKeys(r.Errors) {
			fmt.Fprintf(&b, "  failed %s: %d  %s\n", k, r.Errors[k], clip([]byte(r.Samples[k])))
		}
		for _, k := range sortedKeys(r.Unexpects) {
			fmt.Fprintf(&b, "  unexpected %s: %d  %s\n", k, r.Unexpects[k], clip([]byte(r.Samples[k])))
		}
	}
	if rep.Server != nil {
		fmt.Fprintf(&b, "\nserver: cache hit ratio %.1f%%, business-core calls %.1f/s, stale answers %.0f\n",
			100*rep.Server.CacheHitRatio, rep.Server.UpstreamPerSecond, rep.Server.Stale)
	}
	if rep.MaxRate > 0 {
		fmt.Fprintf(&b, "\nhighest rate that held: %d req/s\n", rep.MaxRate)
	}
	if bl := rep.Baseline; bl != nil {
		fmt.Fprintf(&b, "\nbaseline (Fiber + one Redis GET): %.0f req/s; hottest query: %.0f req/s; ratio %.0f%%\n",
			bl.BaselineRate, bl.HotRate, 100*bl.Ratio)
		if bl.AppHotRate > 0 {
			more := ""
			if bl.AppHotCapped {
				more = " (as far as its sessions carry within their budgets)"
			}
			fmt.Fprintf(&b, "app's hottest query (pension account): held %.0f req/s%s\n", bl.AppHotRate, more)
		}
	}
	b.WriteString("\nverdict:\n")
	for _, v := range rep.Verdicts {
		mark := "MET   "
		if !v.Met {
			mark = "MISSED"
		}
		fmt.Fprintf(&b, "  %s %s — %s\n", mark, v.Target, v.Got)
	}
	return b.String()
}

func (rep *Report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Load test %s\n\n`%s`\n\n", rep.When.Format("2006-01-02 15:04"), rep.Command)
	if st := rep.Setup; st != nil {
		fmt.Fprintf(&b, "## Sessions\n\nSet up in %s, counted for %.0f req/s with the busiest session of a channel within %.0f%% of its budget.\n\n",
			st.Duration.Round(time.Second), st.SessionRate, 100*st.BudgetUse)
		b.WriteString("| channel | share | sessions | charged to | budget | busiest uses |\n|---|---:|---:|---|---:|---:|\n")
		for _, c := range st.Channels {
			fmt.Fprintf(&b, "| %s | %.1f%% | %d | %s | %d/min | %.0f%% |\n", c.Name, c.Share, c.Sessions, c.Subject, c.BudgetPerMin, 100*c.BudgetUse)
		}
		if st.Note != "" {
			fmt.Fprintf(&b, "\nNote: %s\n", st.Note)
		}
		b.WriteString("\n")
	}
	for _, r := range rep.Runs {
		fmt.Fprintf(&b, "## %s\n\n%d req/s asked, %.0f achieved, %d requests, %d failures, %d unexpected 4xx.\n\n",
			r.Name, r.Rate, r.Achieved, r.Count, r.Failures, r.Unexpected)
		fmt.Fprintf(&b, "Mix sent: %s; by kind: %s.\n\n", shares(r.Channels, r.Count), shares(r.Categories, r.Count))
		b.WriteString("| route | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| **all** | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n", r.Count, r.Overall.P50, r.Overall.P90,
			r.Overall.P99, r.Overall.P999, r.Overall.Max, r.Failures)
		for _, name := range sortedKeys(r.Routes) {
			rt := r.Routes[name]
			fmt.Fprintf(&b, "| `%s` | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n", name, rt.Count, rt.Latency.P50,
				rt.Latency.P90, rt.Latency.P99, rt.Latency.P999, rt.Latency.Max, rt.Failures)
		}
		b.WriteString("\n")
		for _, k := range sortedKeys(r.Unexpects) {
			fmt.Fprintf(&b, "- unexpected `%s`: %d\n", k, r.Unexpects[k])
		}
		if len(r.Unexpects) > 0 {
			b.WriteString("\n")
		}
	}
	if rep.MaxRate > 0 {
		fmt.Fprintf(&b, "Highest rate that held: %d req/s.\n\n", rep.MaxRate)
	}
	if bl := rep.Baseline; bl != nil {
		fmt.Fprintf(&b, "Baseline (Fiber + one Redis GET): %.0f req/s; hottest query (a kiosk's overview): %.0f req/s; ratio %.0f%%.",
			bl.BaselineRate, bl.HotRate, 100*bl.Ratio)
		if bl.AppHotRate > 0 {
			fmt.Fprintf(&b, " The app's hottest query (pension account) held %.0f req/s.", bl.AppHotRate)
		}
		b.WriteString("\n\n")
	}
	b.WriteString("## Verdict\n\n| target | got | |\n|---|---|---|\n")
	for _, v := range rep.Verdicts {
		mark := "met"
		if !v.Met {
			mark = "**missed**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", v.Target, v.Got, mark)
	}
	return b.String()
}

// shares writes counts as percentages of total, largest first.
func shares(m map[string]int64, total int64) string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	var parts []string
	for _, k := range keys {
		if total > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", k, 100*float64(m[k])/float64(total)))
		}
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// plotSVG draws p50 and p99 latency and failures per second.
func plotSVG(tl []Second) string {
	const w, h, pad = 900.0, 360.0, 50.0
	var maxMs float64 = 1
	for _, s := range tl {
		maxMs = max(maxMs, ms(s.P99))
	}
	n := float64(max(len(tl)-1, 1))
	x := func(i int) float64 { return pad + float64(i)/n*(w-2*pad) }
	y := func(v float64) float64 { return h - pad - v/maxMs*(h-2*pad) }
	line := func(get func(Second) float64, color string) string {
		var pts []string
		for i, s := range tl {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(get(s))))
		}
		return fmt.Sprintf(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, color, strings.Join(pts, " "))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="20">latency per second (ms): p50 blue, p99 red; failures marked</text>`, pad)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, pad, h-pad, w-pad, h-pad)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, pad, pad, pad, h-pad)
	fmt.Fprintf(&b, `<text x="5" y="%.0f">%.0f</text><text x="5" y="%.0f">0</text>`, pad+4, maxMs, h-pad)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">%ds</text>`, w-pad-10, h-pad+20, len(tl))
	b.WriteString(line(func(s Second) float64 { return ms(s.P50) }, "#1f77b4"))
	b.WriteString(line(func(s Second) float64 { return ms(s.P99) }, "#d62728"))
	for i, s := range tl {
		if s.Failed > 0 {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.0f" r="3" fill="black"/>`, x(i), h-pad+8)
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
