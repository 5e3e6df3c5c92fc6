package main

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sample is a scrape of the server's /metrics: each series' value by its
// full name with labels, as Prometheus prints it.
type Sample map[string]float64

func scrape(base string) Sample {
	s := Sample{}
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return s
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			s[line[:i]] = v
		}
	}
	return s
}

// sum adds every series of the metric whose labels contain all of want
// (like `system="core"`).
func (s Sample) sum(metric string, want ...string) float64 {
	var total float64
	for k, v := range s {
		if !strings.HasPrefix(k, metric) || (len(k) > len(metric) && k[len(metric)] != '{') {
			continue
		}
		ok := true
		for _, w := range want {
			if !strings.Contains(k, w) {
				ok = false
				break
			}
		}
		if ok {
			total += v
		}
	}
	return total
}

// ServerFigures are what the server's own metrics say about a run.
type ServerFigures struct {
	CacheHitRatio     float64 // hits / (hits + misses) over every cache
	UpstreamPerSecond float64 // calls to the business core per second
	Stale             float64 // answers served stale because the core failed
}

func serverFigures(before, after Sample, d time.Duration) ServerFigures {
	delta := func(metric string, want ...string) float64 {
		return after.sum(metric, want...) - before.sum(metric, want...)
	}
	hits := delta("hrss_cache_lookups_total", `result="l1_hit"`) + delta("hrss_cache_lookups_total", `result="l2_hit"`)
	misses := delta("hrss_cache_lookups_total", `result="miss"`)
	f := ServerFigures{Stale: delta("hrss_cache_stale_served_total")}
	if hits+misses > 0 {
		f.CacheHitRatio = hits / (hits + misses)
	}
	if d > 0 {
		f.UpstreamPerSecond = delta("hrss_upstream_requests_total", `system="core"`) / d.Seconds()
	}
	return f
}
