package bff_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dandong-hrss/hrss/bff"
)

// Behind the bureau's load balancer, anonymous budgets are per citizen's
// address as the balancer reports it; a header from anyone else is not
// believed, or a client could pick a fresh address per request.
func TestClientAddressBehindTheLoadBalancer(t *testing.T) {
	get := func(t *testing.T, m *bff.Main, realIP string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", m.URL()+"/api/v1/announcements", nil)
		req.Header.Set("X-Real-IP", realIP)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	env := map[string]string{"HRSS_PROXY_HEADER": "X-Real-IP", "HRSS_LIMIT_ANONYMOUS": "10/1h,10"}

	env["HRSS_TRUSTED_PROXIES"] = "127.0.0.1" // the test is the balancer
	m := startMain(t, env, nil)
	want := make([]int, 11) // a page of announcements costs 1 of the burst of 10
	for i := range want {
		want[i] = 200
	}
	want[10] = 429
	for i, want := range want {
		if got := get(t, m, "203.0.113.7"); got != want {
			t.Fatalf("request %d from 203.0.113.7: %d; want %d", i+1, got, want)
		}
	}
	if got := get(t, m, "203.0.113.8"); got != 200 {
		t.Errorf("another citizen behind the balancer: %d; want 200, a budget of their own", got)
	}

	m.Close()                                  // one server at a time: the WeChat SDK's address is per process
	env["HRSS_TRUSTED_PROXIES"] = "10.0.0.0/8" // the test is not
	m = startMain(t, env, nil)
	for i := range 11 {
		ip := fmt.Sprintf("203.0.113.%d", i+1)
		want := 200
		if i == 10 {
			want = 429
		}
		if got := get(t, m, ip); got != want {
			t.Errorf("request %d claiming %s from an untrusted peer: %d; want %d (the peer's one budget)", i+1, ip, got, want)
		}
	}
}
