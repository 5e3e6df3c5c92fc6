package main

import (
	"bytes"
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// kiosk is one self-service kiosk of the test: registered through the
// back office, with the card of one person read, signing every request as
// a real kiosk does (the wire contract of channels/kiosk, written again
// here: the load test is a black box).
type kiosk struct {
	base, id, secret string
	holder           citizen
	flexible         bool // the holder pays as a flexible worker and the core offers a tier to change to
	tier             int  // that tier
	face             faceToken
	tickets          tickets // the holder's applications filed here, by stage open to rating
	planned          bool    // not set up yet: a kind is open to the kiosk if it will be
	hotOnly          bool    // holds a hot person's card for the hottest query only, out of the mix

	mu      sync.Mutex
	session string // the card session's token; "" before a card is read
	readAt  time.Time
	used    atomic.Int64 // unix nanoseconds of the last request built
}

// retired reports whether the holder draws a pension.
func (k *kiosk) retired() bool { return k.holder.status == statusRetired }

func (k *kiosk) sign(h http.Header, method, target string, body []byte) {
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	var n [16]byte
	crand.Read(n[:])
	nonce := hex.EncodeToString(n[:])
	sum := sha256.Sum256(body)
	mac := hmac.New(sha256.New, []byte(k.secret))
	io.WriteString(mac, method+"\n"+target+"\n"+ts+"\n"+nonce+"\n"+hex.EncodeToString(sum[:]))
	h.Set("X-Kiosk-Device", k.id)
	h.Set("X-Kiosk-Timestamp", ts)
	h.Set("X-Kiosk-Nonce", nonce)
	h.Set("X-Kiosk-Signature", hex.EncodeToString(mac.Sum(nil)))
	k.mu.Lock()
	s := k.session
	k.mu.Unlock()
	if s != "" {
		h.Set("X-Kiosk-Session", s)
	}
}

// request builds one signed request.
func (k *kiosk) request(method, target string, body []byte, extra http.Header) Request {
	h := http.Header{}
	for key, v := range extra {
		h[key] = v
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	k.sign(h, method, target, body)
	k.used.Store(time.Now().UnixNano())
	return Request{Method: method, URL: k.base + target, Header: h, Body: body}
}

// do sends one signed request now, for setting up.
func (k *kiosk) do(method, target string, body any, extra http.Header) (int, []byte, error) {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	r := k.request(method, target, b, extra)
	req, _ := http.NewRequest(method, r.URL, bytes.NewReader(b))
	req.Header = r.Header
	resp, err := setupClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, nil
}

// registerKiosk registers a kiosk through the back office and keeps the
// secret it is shown once.
func registerKiosk(base, token, id string) (*kiosk, error) {
	var out struct{ Secret string }
	status, body, err := call("POST", base+"/admin/v1/devices", bearer(token),
		map[string]string{"id": id, "hall": "压力测试大厅", "location": "测试位"}, &out)
	if err != nil || status/100 != 2 || out.Secret == "" {
		return nil, statusError("register kiosk "+id, status, body, err)
	}
	return &kiosk{base: base, id: id, secret: out.Secret}, nil
}

// readCard reads the holder's card at the kiosk: a new card session.
func (k *kiosk) readCard() error {
	id := k.holder.id
	status, body, err := k.do("POST", "/kiosk/v1/sessions/person", map[string]string{
		"cardKind": "id_card", "idNumber": id, "name": k.holder.name, "cardSerial": "LT" + id[len(id)-8:]}, nil)
	if err != nil || status != http.StatusCreated {
		return statusError("kiosk "+k.id+": read a card", status, body, err)
	}
	var out struct{ SessionID string }
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	k.mu.Lock()
	k.session, k.readAt = out.SessionID, time.Now()
	k.mu.Unlock()
	return nil
}

// cardAge is how long the card session has been open, and how long the
// kiosk has been idle.
func (k *kiosk) cardAge() (open, idle time.Duration) {
	k.mu.Lock()
	at := k.readAt
	k.mu.Unlock()
	return time.Since(at), time.Since(time.Unix(0, k.used.Load()))
}

// findTier reads the base tiers the core offers the flexible worker and
// keeps one they may change to (setting up, not measured).
func (k *kiosk) findTier() error {
	status, body, err := k.do("GET", "/kiosk/v1/pension/base-tier", nil, nil)
	if err != nil || status != http.StatusOK {
		return statusError("kiosk "+k.id+": base tiers", status, body, err)
	}
	var v struct {
		Rows []struct {
			Percent    int
			Selectable bool
		}
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	for _, r := range v.Rows {
		if r.Selectable {
			k.tier = r.Percent
			return nil
		}
	}
	return nil // none to change to: the kiosk files nothing
}

// fileTier files one base-tier change and returns the application's id.
func (k *kiosk) fileTier() (string, error) {
	body, _ := json.Marshal(map[string]int{"percent": k.tier})
	r := k.request("POST", "/kiosk/v1/pension/base-tier", body, http.Header{"Idempotency-Key": {newKey()}})
	status, raw, err := send(r)
	var out struct{ ID string }
	if err == nil && status/100 == 2 {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil || status/100 != 2 || out.ID == "" {
		return "", statusError("kiosk "+k.id+": file a base-tier change", status, raw, err)
	}
	return out.ID, nil
}

// rateStages reads which stages of an application the holder may rate.
func (k *kiosk) rateStages(id string) ([]string, error) {
	status, body, err := k.do("GET", "/kiosk/v1/applications/"+id, nil, nil)
	if err != nil || status != http.StatusOK {
		return nil, statusError("kiosk "+k.id+": application", status, body, err)
	}
	var v struct {
		RateStages []struct{ Stage string }
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	var out []string
	for _, s := range v.RateStages {
		out = append(out, s.Stage)
	}
	return out, nil
}

// send sends a built request now, for setting up.
func send(r Request) (int, []byte, error) {
	req, _ := http.NewRequest(r.Method, r.URL, bytes.NewReader(r.Body))
	req.Header = r.Header
	resp, err := setupClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, nil
}

func newKey() string {
	var b [12]byte
	crand.Read(b[:])
	return "lt-" + hex.EncodeToString(b[:])
}

// kioskKinds are the requests at a kiosk (the kiosk's part of the mix,
// loadtest/README.md). Weights are shares among the kinds open to the
// session's holder: everyone queries and reads announcements; a pensioner
// also reads the benefit and certifies by face; a flexible worker changes
// the base tier and rates what they filed.
func kioskKinds(base string) []kind[*kiosk] {
	get := func(target string) func(*kiosk, *rnd) Request {
		return func(k *kiosk, _ *rnd) Request { return k.request("GET", target, nil, nil) }
	}
	years := func(base string) func(*kiosk, *rnd) Request {
		return func(k *kiosk, rng *rnd) Request {
			return k.request("GET", base+"?year="+strconv.Itoa(thisYear()-rng.IntN(5)), nil, nil)
		}
	}
	retired := func(k *kiosk) bool { return k.retired() }
	return []kind[*kiosk]{
		{route: "GET /kiosk/v1/person/overview", cat: catQuery, weight: 24, cost: 1, make: get("/kiosk/v1/person/overview")},
		{route: "GET /kiosk/v1/person/contributions", cat: catQuery, weight: 20, cost: 1, make: years("/kiosk/v1/person/contributions")},
		{route: "GET /kiosk/v1/pension/account", cat: catQuery, weight: 8, cost: 1, make: get("/kiosk/v1/pension/account")},
		{route: "GET /kiosk/v1/pension/payments", cat: catQuery, weight: 4, cost: 1, make: years("/kiosk/v1/pension/payments")},
		{route: "GET /kiosk/v1/work-injury/records", cat: catQuery, weight: 3, cost: 1, make: get("/kiosk/v1/work-injury/records")},
		{route: "GET /kiosk/v1/unemployment/claims", cat: catQuery, weight: 3, cost: 1, make: get("/kiosk/v1/unemployment/claims")},
		{route: "GET /kiosk/v1/applications", cat: catQuery, weight: 5, cost: 1, make: get("/kiosk/v1/applications")},
		{route: "GET /kiosk/v1/pension/benefit", cat: catQuery, weight: 10, cost: 1, when: retired, make: get("/kiosk/v1/pension/benefit")},
		{route: "GET /kiosk/v1/announcements", cat: catCatalog, weight: 11, cost: 1, make: func(k *kiosk, rng *rnd) Request {
			cats := []string{"policy", "law", "procedure", "special_groups"}
			return k.request("GET", "/kiosk/v1/announcements?category="+cats[rng.IntN(len(cats))], nil, nil)
		}},
		{route: "GET /api/v1/announcements", cat: catCatalog, weight: 6, cost: 1, make: publicAnnouncements[*kiosk](base)},
		{route: "POST /kiosk/v1/pension/base-tier", cat: catSubmit, weight: 15, cost: 2,
			when: func(k *kiosk) bool { return k.flexible },
			make: func(k *kiosk, _ *rnd) Request {
				body, _ := json.Marshal(map[string]int{"percent": k.tier})
				return k.request("POST", "/kiosk/v1/pension/base-tier", body, http.Header{"Idempotency-Key": {newKey()}})
			}},
		// A pensioner's first certification redeems the face token the
		// kiosk's camera got; certifying again answers the year's
		// certification and redeems nothing (domain/certification).
		{route: "POST /kiosk/v1/pension/certification", cat: catRate, weight: 10, cost: 2,
			when: func(k *kiosk) bool { return k.retired() && (k.planned || k.face.ready()) },
			make: func(k *kiosk, _ *rnd) Request {
				token, ok := k.face.take()
				if !ok { // the first certification may be under way: the screen shows where it stands
					r := k.request("GET", "/kiosk/v1/pension/certification", nil, nil)
					r.Route, r.Category = "GET /kiosk/v1/pension/certification", catQuery
					return r
				}
				body, _ := json.Marshal(map[string]string{"faceToken": token})
				r := k.request("POST", "/kiosk/v1/pension/certification", body, http.Header{"Idempotency-Key": {newKey()}})
				r.Face = k.face.id
				return r
			}},
		// The first pass over the tickets rates; later passes are told it
		// is rated already (409), the right answer to a second rating.
		{route: "POST /kiosk/v1/applications/{id}/rating", cat: catRate, weight: 5, cost: 2, expect: []int{http.StatusConflict},
			when: func(k *kiosk) bool { return k.flexible && (k.planned || k.tickets.len() > 0) },
			make: func(k *kiosk, rng *rnd) Request {
				t := k.tickets.next()
				body, _ := json.Marshal(ratingBody(t.stage, rng))
				return k.request("POST", "/kiosk/v1/applications/"+t.id+"/rating", body, nil)
			}},
	}
}

// publicAnnouncements is a page of the bureau's public announcements, as
// every channel shows them (anonymous: charged to the client address).
func publicAnnouncements[S any](base string) func(S, *rnd) Request {
	return func(_ S, rng *rnd) Request {
		return Request{Method: "GET", URL: base + "/api/v1/announcements?page=" + strconv.Itoa(1+rng.IntN(3))}
	}
}

// ratingBody is a citizen's rating of one stage: mostly content, now and
// then not (a bad rating opens a rectification, as it would).
func ratingBody(stage string, rng *rnd) map[string]any {
	level := 1 + rng.IntN(3)
	tags := []string{"办事效率高"}
	if rng.IntN(50) == 0 {
		level, tags = 4, []string{"等候时间长"}
	}
	return map[string]any{"stage": stage, "level": level, "tags": tags}
}

// thisYear is the current year in Beijing.
func thisYear() int { return time.Now().In(beijing).Year() }

var beijing = time.FixedZone("CST", 8*3600)

// kioskID names the i-th kiosk of a run.
func kioskID(run string, i int) string { return fmt.Sprintf("lt-%s-%04d", run, i) }
