package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
)

// Mix is the peak-morning scenario mix: next hands out the next request of
// the mix, hot the hottest query alone.
type Mix struct {
	next, hot Source
}

// weighted is one kind of request of the mix and its share.
type weighted struct {
	weight int
	make   func(k *kiosk, rng *rand.Rand) (Request, bool) // false: not for this kiosk, draw again
}

// newPeakMix sets up the sessions the mix needs — kiosks registered through
// the back office, each with a card read for a person drawn from the 2.45
// million by a Zipf law — before anything is measured.
func newPeakMix(ctx context.Context, o options) (*Mix, error) {
	token, err := adminToken(o)
	if err != nil {
		return nil, err
	}
	city := coresim.New(coresim.Config{Seed: o.seed})
	zipf := rand.NewZipf(rand.New(rand.NewPCG(o.seed, 7)), 1.1, 1, uint64(o.users-1))
	var kiosks []*kiosk
	for i := range o.devices {
		k, err := registerKiosk(o.target, token, fmt.Sprintf("lt-%d-%03d", time.Now().Unix()%100000, i))
		if err != nil {
			return nil, err
		}
		// The rank in the Zipf law picks the person; ranks spread over the
		// whole city, so the hot few are hot and most are cold.
		idx := int((zipf.Uint64() * 2654435761) % uint64(coresim.DefaultPeople))
		id, name, status := city.PersonAt(idx)
		if err := k.openCard(id, name); err != nil {
			return nil, fmt.Errorf("kiosk %s: %w", k.id, err)
		}
		k.retired = status == "退休"
		if k.flexible = status == "灵活就业"; k.flexible {
			k.findTier()
		}
		kiosks = append(kiosks, k)
	}
	fmt.Fprintf(os.Stderr, "set up %d kiosks with card sessions\n", len(kiosks))
	mix := peakMix()
	total := 0
	for _, w := range mix {
		total += w.weight
	}
	var seq atomic.Uint64
	pool := sync.Pool{New: func() any { return newRand(o.seed, seq.Add(1)) }}
	next := func() Request {
		rng := pool.Get().(*rand.Rand)
		defer pool.Put(rng)
		for {
			k := kiosks[rng.IntN(len(kiosks))]
			n := rng.IntN(total)
			for _, w := range mix {
				if n -= w.weight; n < 0 {
					if r, ok := w.make(k, rng); ok {
						return r
					}
					break
				}
			}
		}
	}
	hotKiosk := kiosks[0]
	hot := func() Request {
		return hotKiosk.request("GET /kiosk/v1/person/overview", "GET", "/kiosk/v1/person/overview", nil, nil)
	}
	return &Mix{next: next, hot: hot}, nil
}

// peakMix is the share of each request on a peak morning (loadtest/README.md):
// about 70% queries, 15% announcements, 10% submissions, 5% prints.
func peakMix() []weighted {
	get := func(route, target string) func(*kiosk, *rand.Rand) (Request, bool) {
		return func(k *kiosk, _ *rand.Rand) (Request, bool) {
			return k.request("GET "+route, "GET", target, nil, nil), true
		}
	}
	years := func(route, base string) func(*kiosk, *rand.Rand) (Request, bool) {
		return func(k *kiosk, rng *rand.Rand) (Request, bool) {
			y := strconv.Itoa(2026 - rng.IntN(5))
			return k.request("GET "+route, "GET", base+"?year="+y, nil, nil), true
		}
	}
	return []weighted{
		{25, get("/kiosk/v1/person/overview", "/kiosk/v1/person/overview")},
		{20, years("/kiosk/v1/person/contributions", "/kiosk/v1/person/contributions")},
		{8, get("/kiosk/v1/pension/account", "/kiosk/v1/pension/account")},
		{7, func(k *kiosk, _ *rand.Rand) (Request, bool) {
			if !k.retired {
				return Request{}, false // the benefit screen is a pensioner's
			}
			return k.request("GET /kiosk/v1/pension/benefit", "GET", "/kiosk/v1/pension/benefit", nil, nil), true
		}},
		{4, years("/kiosk/v1/pension/payments", "/kiosk/v1/pension/payments")},
		{3, get("/kiosk/v1/work-injury/records", "/kiosk/v1/work-injury/records")},
		{3, get("/kiosk/v1/unemployment/claims", "/kiosk/v1/unemployment/claims")},
		{10, func(k *kiosk, rng *rand.Rand) (Request, bool) {
			cats := []string{"policy", "law", "procedure", "special_groups"}
			return k.request("GET /kiosk/v1/announcements", "GET", "/kiosk/v1/announcements?category="+cats[rng.IntN(4)], nil, nil), true
		}},
		{5, func(k *kiosk, rng *rand.Rand) (Request, bool) {
			return Request{Route: "GET /api/v1/announcements", Method: "GET", URL: k.base + "/api/v1/announcements?page=" + strconv.Itoa(1+rng.IntN(3))}, true
		}},
		{10, func(k *kiosk, _ *rand.Rand) (Request, bool) {
			if k.tier == 0 {
				return Request{}, false
			}
			body, _ := json.Marshal(map[string]int{"percent": k.tier})
			return k.request("POST /kiosk/v1/pension/base-tier", "POST", "/kiosk/v1/pension/base-tier", body,
				http.Header{"Idempotency-Key": {newKey()}}), true
		}},
		{5, get("/kiosk/v1/applications", "/kiosk/v1/applications")},
	}
}

// adminToken is the back office's token: -admin-token, or the one the
// embedded default generated under ./var.
func adminToken(o options) (string, error) {
	if o.adminToken != "" {
		return o.adminToken, nil
	}
	b, err := os.ReadFile("var/admin-token")
	if err != nil {
		return "", fmt.Errorf("no -admin-token and no var/admin-token (run the server on the embedded default from this directory): %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// registerKiosk registers a kiosk through the back office and keeps the
// secret it is shown once.
func registerKiosk(base, token, id string) (*kiosk, error) {
	body, _ := json.Marshal(map[string]string{"id": id, "hall": "压力测试大厅", "location": "测试位"})
	req, _ := http.NewRequest("POST", base+"/admin/v1/devices", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct{ Secret string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode >= 300 || out.Secret == "" {
		return nil, fmt.Errorf("register kiosk %s: status %d: %v", id, resp.StatusCode, err)
	}
	return &kiosk{base: base, id: id, secret: out.Secret}, nil
}

// setCoreDown takes the business-core simulator down or brings it back.
func setCoreDown(admin string, down bool) {
	lat := `"latency_min":"50ms","latency_max":"300ms"`
	body := fmt.Sprintf(`{%s,"error_rate":0,"timeout_rate":0,"down":%v}`, lat, down)
	req, _ := http.NewRequest("PUT", strings.TrimRight(admin, "/")+"/_admin/faults", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}
