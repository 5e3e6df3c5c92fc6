package sim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// OAuth2 web authorization (网页授权): WeChat redirects the follower's
// browser back to the bureau with a code, which the bureau exchanges for
// the openid once, within five minutes. Real codes come from a follower
// opening a page inside WeChat; here they come from IssueCode (POST
// /_admin/oauth/code) or from the authorize page, which issues one for the
// openid in its query (DemoOpenID if none) and redirects at once.

type oauthCode struct {
	openID  string
	expires time.Time
	used    bool
}

// ErrBadOpenID is returned for an openid WeChat would never issue.
var ErrBadOpenID = errors.New("wechat sim: openid must be 6 to 64 letters, digits, - or _")

var openIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{6,64}$`)

// IssueCode returns a fresh single-use code for openid, valid for CodeTTL.
func (s *Sim) IssueCode(openID string) (string, error) {
	if !openIDRE.MatchString(openID) {
		return "", ErrBadOpenID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for c, oc := range s.codes {
		if now.After(oc.expires) {
			delete(s.codes, c)
		}
	}
	code := s.randomHex(32)
	s.codes[code] = oauthCode{openID: openID, expires: now.Add(s.cfg.CodeTTL)}
	return code, nil
}

// authorize plays the page at open.weixin.qq.com/connect/oauth2/authorize
// for a follower who is already inside WeChat: no consent, straight back.
func (s *Sim) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if q.Get("appid") != s.cfg.AppID || err != nil || !back.IsAbs() || q.Get("response_type") != "code" {
		http.Error(w, "10003 redirect_uri域名与后台配置不一致", http.StatusBadRequest)
		return
	}
	openID := q.Get("openid")
	if openID == "" {
		openID = DemoOpenID
	}
	code, err := s.IssueCode(openID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// exchangeCode answers GET /sns/oauth2/access_token.
func (s *Sim) exchangeCode(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("grant_type") != "authorization_code":
		fail(w, 40002, s.errorf("invalid grant_type"))
		return
	case q.Get("appid") != s.cfg.AppID:
		fail(w, wechat.CodeInvalidAppID, s.errorf("invalid appid"))
		return
	case q.Get("secret") != s.cfg.AppSecret:
		fail(w, wechat.CodeInvalidAppSecret, s.errorf("invalid appsecret"))
		return
	}
	openID, code, msg := s.redeem(q.Get("code"))
	if code != wechat.CodeOK {
		fail(w, code, s.errorf("%s", msg))
		return
	}
	s.mu.Lock()
	userToken, refresh := "SIM_UAT_"+s.randomHex(40), "SIM_URT_"+s.randomHex(40)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": userToken, "expires_in": 7200, "refresh_token": refresh,
		"openid": openID, "scope": "snsapi_base",
	})
}

// redeem uses up code and returns its openid, or WeChat's error for it.
func (s *Sim) redeem(code string) (openID string, errcode wechat.ErrCode, errmsg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	oc, found := s.codes[code]
	switch {
	case !found || s.now().After(oc.expires):
		return "", wechat.CodeInvalidCode, "invalid code"
	case oc.used:
		return "", wechat.CodeCodeUsed, "code been used"
	}
	oc.used = true
	s.codes[code] = oc
	return oc.openID, wechat.CodeOK, ""
}

func (s *Sim) adminCode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OpenID string `json:"openid"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		http.Error(w, "body must be {\"openid\":…}", http.StatusBadRequest)
		return
	}
	code, err := s.IssueCode(req.OpenID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"code": code})
}

// FetchCode asks the simulator at baseURL for an OAuth code for openid,
// the way an end-to-end test logs a follower in.
func FetchCode(ctx context.Context, baseURL, openID string) (string, error) {
	var out struct {
		Code string `json:"code"`
	}
	err := adminJSON(ctx, http.MethodPost, baseURL+simulator.AdminPrefix+"oauth/code",
		map[string]string{"openid": openID}, &out)
	return out.Code, err
}
