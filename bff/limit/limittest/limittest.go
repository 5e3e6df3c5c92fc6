// Package limittest gives the channels' tests a rate limiter whose budgets
// a test runs out in a few requests, on the test Redis, and checks answers
// against it as a client sees them: the RateLimit-* headers, and a refusal
// as 429 problem+json with a Chinese detail and Retry-After.
package limittest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
	"unicode"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
)

// Budget is every budget of Small: Budget units at once, refilled at Budget
// a minute.
const Budget = 5

// Small returns a Limiter on the test Redis (under a prefix of its own)
// whose every budget is Budget; costs are the routes' that cost more than 1.
func Small(tb testing.TB, costs map[string]int) *limit.Limiter {
	tb.Helper()
	rdb, prefix := cachetest.Redis(tb)
	cfg := limit.DefaultConfig()
	small := limit.Limit{Rate: Budget, Burst: Budget, Period: time.Minute}
	cfg.Anonymous, cfg.Device, cfg.Person, cfg.Operator = small, small, small, small
	cfg.HashKey = []byte("channel-rate-limit-test-hash-key")
	cfg.Costs = costs
	l, err := limit.New(cfg, rdb, prefix, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(l.Close)
	return l
}

// Remaining reads an allowed answer's RateLimit-Remaining, failing the
// test unless the answer carries the RateLimit headers of a Small budget.
func Remaining(tb testing.TB, what string, h http.Header) int {
	tb.Helper()
	n, err := strconv.Atoi(h.Get("RateLimit-Remaining"))
	if h.Get("RateLimit-Limit") != strconv.Itoa(Budget) || err != nil || h.Get("RateLimit-Reset") == "" {
		tb.Fatalf("%s: RateLimit-Limit %q, -Remaining %q, -Reset %q; want the headers of a budget of %d", what,
			h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset"), Budget)
	}
	return n
}

// Refused checks a refusal as the client sees it: 429 problem+json coded
// rate_limited, explained in Chinese, with when to try again and the
// budget's headers.
func Refused(tb testing.TB, what string, status int, h http.Header, body []byte) {
	tb.Helper()
	if status != http.StatusTooManyRequests {
		tb.Fatalf("%s: got %d %s; want 429", what, status, body)
	}
	if ct := h.Get("Content-Type"); ct != web.ProblemContentType {
		tb.Errorf("%s: content type %q; want problem+json", what, ct)
	}
	var p web.Problem
	if err := json.Unmarshal(body, &p); err != nil || p.Status != http.StatusTooManyRequests || p.Code != domain.RateLimited || !HasHan(p.Detail) {
		tb.Errorf("%s: problem %s; want 429 coded rate_limited with a Chinese detail", what, body)
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		tb.Errorf("%s: Retry-After %q; want 1 to 60 seconds", what, h.Get("Retry-After"))
	}
	if _, err := strconv.Atoi(h.Get("RateLimit-Remaining")); err != nil || h.Get("RateLimit-Limit") != strconv.Itoa(Budget) {
		tb.Errorf("%s: RateLimit-Limit %q, -Remaining %q; want the budget's headers on the refusal too", what,
			h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"))
	}
}

// HasHan reports whether s holds a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
