package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// The access token (接口调用凭据) comes two ways, as on the real platform:
// POST /cgi-bin/stable_token hands out the same token while it is valid
// (force_refresh replaces it), and GET /cgi-bin/token issues a new one on
// every call, leaving the previous one valid for five more minutes. Every
// other API checks the access_token query parameter against them.

// stableTokenRequest is the body of POST /cgi-bin/stable_token.
type stableTokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

// classicOverlap is how long a classic token outlives its successor.
const classicOverlap = 5 * time.Minute

func (s *Sim) stableToken(w http.ResponseWriter, r *http.Request) {
	var req stableTokenRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		fail(w, wechat.CodeDataFormat, s.errorf("data format error"))
		return
	}
	if !s.credentialsOK(w, req.GrantType, req.AppID, req.Secret) {
		return
	}
	s.mu.Lock()
	now := s.now()
	exp, live := s.tokens[s.stable]
	if !live || !now.Before(exp) || req.ForceRefresh {
		delete(s.tokens, s.stable)
		s.stable = s.issue(now)
		exp = s.tokens[s.stable]
	}
	token := s.stable
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "expires_in": int64(exp.Sub(now).Seconds())})
}

func (s *Sim) classicToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.credentialsOK(w, q.Get("grant_type"), q.Get("appid"), q.Get("secret")) {
		return
	}
	s.mu.Lock()
	now := s.now()
	for t, exp := range s.tokens {
		if t != s.stable && exp.After(now.Add(classicOverlap)) {
			s.tokens[t] = now.Add(classicOverlap)
		}
	}
	token := s.issue(now)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "expires_in": int64(s.cfg.TokenTTL.Seconds())})
}

// credentialsOK answers the errors WeChat gives for wrong credentials.
func (s *Sim) credentialsOK(w http.ResponseWriter, grantType, appID, secret string) bool {
	switch {
	case grantType != "client_credential":
		fail(w, 40002, s.errorf("invalid grant_type"))
	case appID != s.cfg.AppID:
		fail(w, wechat.CodeInvalidAppID, s.errorf("invalid appid"))
	case secret != s.cfg.AppSecret:
		fail(w, wechat.CodeInvalidAppSecret, s.errorf("invalid appsecret"))
	default:
		return true
	}
	return false
}

// issue makes a new token valid for TokenTTL; called with s.mu held.
func (s *Sim) issue(now time.Time) string {
	token := "SIM_AT_" + s.randomHex(48)
	s.tokens[token] = now.Add(s.cfg.TokenTTL)
	s.issued++
	return token
}

// withToken refuses a request whose access_token is missing, unknown or
// expired, with WeChat's codes for each.
func (s *Sim) withToken(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("access_token")
		s.mu.Lock()
		exp, known := s.tokens[token]
		expired := known && !s.now().Before(exp)
		s.mu.Unlock()
		switch {
		case token == "":
			fail(w, 41001, s.errorf("access_token missing"))
		case !known:
			fail(w, wechat.CodeInvalidCredential, s.errorf("invalid credential, access_token is invalid or not latest"))
		case expired:
			fail(w, wechat.CodeAccessTokenExpired, s.errorf("access_token expired"))
		default:
			next(w, r)
		}
	}
}

// getTicket answers GET /cgi-bin/ticket/getticket?type=jsapi with the
// current jsapi_ticket, issuing a new one when it has expired.
func (s *Sim) getTicket(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("type") != "jsapi" {
		fail(w, 40097, s.errorf("invalid args"))
		return
	}
	s.mu.Lock()
	now := s.now()
	if s.ticket == "" || !now.Before(s.ticketExp) {
		s.ticket, s.ticketExp = "SIM_JT_"+s.randomHex(64), now.Add(s.cfg.TokenTTL)
	}
	ticket, left := s.ticket, s.ticketExp.Sub(now)
	s.mu.Unlock()
	ok200(w, map[string]any{"ticket": ticket, "expires_in": int64(left.Seconds())})
}

// TokensIssued returns how many access tokens the platform has handed out,
// stable or classic; a client that caches its token asks once.
func (s *Sim) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// RevokeTokens invalidates every access token at once, as WeChat does when
// the app secret is reset; clients must notice and fetch a new one.
func (s *Sim) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	s.stable = ""
}

// JSAPITicket returns the current jsapi_ticket ("" before the first
// request), so that a test can recompute a JS-SDK signature.
func (s *Sim) JSAPITicket() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ticket
}

func (s *Sim) adminTokens(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]int{"issued": s.TokensIssued()})
}

func (s *Sim) adminRevoke(w http.ResponseWriter, _ *http.Request) {
	s.RevokeTokens()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) adminTicket(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"ticket": s.JSAPITicket()})
}
