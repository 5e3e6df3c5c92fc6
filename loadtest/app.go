package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// appSession is one citizen signed in to the Smart HRSS app (channels/app):
// a phone number of their own, an SMS code read off the SMS simulator, the
// account bound to their ID number through the provincial e-card platform,
// an electronic social-security card, and a bearer access token.
type appSession struct {
	holder citizen
	phone  string
	face   faceToken
	// planned: not set up yet, so a kind is open to the session if it
	// will be (sizing counts the certifications the face token allows).
	planned bool

	mu       sync.Mutex
	access   string
	refresh  string
	issuedAt time.Time
}

// appPhone is the phone a person signs in to the app with: made up from
// the person's index (199 and eight digits), so a second run against the
// same server signs the same account in again, already bound. The
// business core's phones start 13, 15 or 18, so no code meant for a
// WeChat binding lands here.
func appPhone(idx int) string { return fmt.Sprintf("199%08d", idx%100_000_000) }

// token is the current access token.
func (s *appSession) token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access
}

// signIn signs the holder in and binds the account to their ID number
// (实名认证) if it is not bound yet, then issues their e-card.
func (s *appSession) signIn(base string, sm sims) error {
	code, err := smsCode(sm, s.phone, func() (int, []byte, error) {
		return call("POST", base+"/app/v1/auth/sms-codes", nil, map[string]string{"phone": s.phone}, nil)
	})
	if err != nil {
		return fmt.Errorf("app %s: %w", maskPhone(s.phone), err)
	}
	var tok struct {
		AccessToken, RefreshToken string
		Account                   struct{ Verified bool }
	}
	status, body, err := call("POST", base+"/app/v1/auth/login", nil, map[string]string{"phone": s.phone, "code": code}, &tok)
	if err != nil || status != http.StatusOK {
		return statusError("app "+maskPhone(s.phone)+": login", status, body, err)
	}
	access := tok.AccessToken
	if !tok.Account.Verified {
		var acc struct{ AccessToken string }
		for try := 0; try < 3; try++ { // 503: concurrent bindings deadlock in the store; the citizen taps again
			status, body, err = call("POST", base+"/app/v1/me/real-name", bearer(access),
				map[string]string{"idNumber": s.holder.id, "name": s.holder.name}, &acc)
			if status != http.StatusServiceUnavailable {
				break
			}
			time.Sleep(time.Duration(100*(try+1)) * time.Millisecond)
		}
		if err != nil || status != http.StatusOK {
			return statusError("app "+maskPhone(s.phone)+": real-name binding of "+maskID(s.holder.id), status, body, err)
		}
		access = acc.AccessToken
	}
	status, body, err = call("POST", base+"/app/v1/ecard", bearer(access), map[string]string{"name": s.holder.name}, nil)
	if err != nil || status != http.StatusOK {
		return statusError("app "+maskPhone(s.phone)+": e-card", status, body, err)
	}
	s.mu.Lock()
	s.access, s.refresh, s.issuedAt = access, tok.RefreshToken, time.Now()
	s.mu.Unlock()
	return nil
}

// renew trades the refresh token for new tokens before the access token's
// 15 minutes are up (a long run: find-max and the baseline).
func (s *appSession) renew(base string) error {
	s.mu.Lock()
	refresh := s.refresh
	s.mu.Unlock()
	var tok struct{ AccessToken, RefreshToken string }
	status, body, err := call("POST", base+"/app/v1/auth/refresh", nil, map[string]string{"refreshToken": refresh}, &tok)
	if err != nil || status != http.StatusOK {
		return statusError("app "+maskPhone(s.phone)+": refresh", status, body, err)
	}
	s.mu.Lock()
	s.access, s.refresh, s.issuedAt = tok.AccessToken, tok.RefreshToken, time.Now()
	s.mu.Unlock()
	return nil
}

// age is how old the access token is.
func (s *appSession) age() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.issuedAt)
}

// smsCode asks for a code with send and reads it off the SMS simulator. A
// code asked for less than a minute ago (a second run against the same
// Redis) is waited out once.
func smsCode(sm sims, phone string, send func() (int, []byte, error)) (string, error) {
	for try := 0; ; try++ {
		since := time.Now()
		status, body, err := send()
		if status == http.StatusTooManyRequests && try == 0 {
			time.Sleep(61 * time.Second)
			continue
		}
		if err != nil || status != http.StatusOK {
			return "", statusError("send an SMS code", status, body, err)
		}
		return sm.lastCode(phone, since)
	}
}

// request builds one signed-in request of the app.
func (s *appSession) request(method, target string, body []byte, base string) Request {
	h := http.Header{"Authorization": {"Bearer " + s.token()}}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return Request{Method: method, URL: base + target, Header: h, Body: body}
}

// appKinds are the requests of the app (its part of the mix,
// loadtest/README.md). Everyone reads their pension account and
// contributions, shows the e-card QR code, reads announcements and job
// postings; a pensioner also reads the benefit and payments and certifies
// by face — a good part of what pensioners use the app for.
func appKinds(base string) []kind[*appSession] {
	get := func(target string) func(*appSession, *rnd) Request {
		return func(s *appSession, _ *rnd) Request { return s.request("GET", target, nil, base) }
	}
	years := func(target string) func(*appSession, *rnd) Request {
		return func(s *appSession, rng *rnd) Request {
			return s.request("GET", target+"?year="+strconv.Itoa(thisYear()-rng.IntN(5)), nil, base)
		}
	}
	retired := func(s *appSession) bool { return s.holder.status == statusRetired }
	areas := []string{"210602", "210603", "210604", "210624", "210681", "210682"}
	return []kind[*appSession]{
		{route: "GET /app/v1/pension/account", cat: catQuery, weight: 20, cost: 1, make: get("/app/v1/pension/account")},
		{route: "GET /app/v1/pension/contributions", cat: catQuery, weight: 20, cost: 1, make: years("/app/v1/pension/contributions")},
		{route: "GET /app/v1/work-injury/assessments", cat: catQuery, weight: 6, cost: 1, make: get("/app/v1/work-injury/assessments")},
		{route: "GET /app/v1/ecard/qrcode", cat: catQuery, weight: 8, cost: 1, make: get("/app/v1/ecard/qrcode")},
		{route: "GET /app/v1/me", cat: catQuery, weight: 6, cost: 1, make: get("/app/v1/me")},
		{route: "GET /app/v1/pension/benefit", cat: catQuery, weight: 12, cost: 1, when: retired, make: get("/app/v1/pension/benefit")},
		{route: "GET /app/v1/pension/payments", cat: catQuery, weight: 6, cost: 1, when: retired, make: years("/app/v1/pension/payments")},
		{route: "GET /api/v1/announcements", cat: catCatalog, weight: 8, cost: 1, make: publicAnnouncements[*appSession](base)},
		{route: "GET /app/v1/jobs", cat: catCatalog, weight: 5, cost: 1, make: func(_ *appSession, rng *rnd) Request {
			return Request{Method: "GET", URL: base + "/app/v1/jobs?area=" + areas[rng.IntN(len(areas))] + "&size=10&page=" + strconv.Itoa(1+rng.IntN(3))}
		}},
		{route: "POST /app/v1/pension/certifications", cat: catRate, weight: 20, cost: 2,
			when: func(s *appSession) bool { return retired(s) && (s.planned || s.face.ready()) },
			make: func(s *appSession, _ *rnd) Request {
				token, ok := s.face.take()
				if !ok { // the first certification may be under way: the app shows the benefit meanwhile
					r := s.request("GET", "/app/v1/pension/benefit", nil, base)
					r.Route, r.Category = "GET /app/v1/pension/benefit", catQuery
					return r
				}
				body, _ := json.Marshal(map[string]string{"faceToken": token})
				r := s.request("POST", "/app/v1/pension/certifications", body, base)
				r.Face = s.face.id
				return r
			}},
	}
}
