package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// wechatSession is one follower of the official account (channels/wechat)
// with an H5 session: web authorization through the WeChat fake, the
// openid bound to the person by an SMS code sent to the phone the business
// core has on record for them.
type wechatSession struct {
	holder citizen
	phone  string // on record at the core: where the binding code goes
	openID string
	token  string
}

// wechatOpenID is the follower's openid, made up from the person's index,
// so a second run against the same server finds the binding made.
func wechatOpenID(idx int) string { return fmt.Sprintf("lt-wx-%07d", idx) }

// signIn opens the H5 session and binds the follower if they are not
// bound yet. A binding the server could not store (503: concurrent first
// bindings deadlock in MariaDB, see loadtest/README.md) is tried again as
// a follower would, from another WeChat account of theirs, since the code
// was used up and a new one for the same account waits a minute.
func (s *wechatSession) signIn(base string, sm sims) error {
	first := s.openID
	for try := 1; ; try++ {
		err := s.trySignIn(base, sm)
		if !errors.Is(err, errBusy) || try == 5 {
			return err
		}
		s.openID = fmt.Sprintf("%s-r%d", first, try)
	}
}

// errBusy marks a 503 worth trying again.
var errBusy = errors.New("server busy")

// binding lets two bindings reach the server at once: more deadlock in
// its store (loadtest/README.md) and fail.
var binding = make(chan struct{}, 2)

func (s *wechatSession) trySignIn(base string, sm sims) error {
	code, err := sm.oauthCode(s.openID)
	if err != nil {
		return err
	}
	var sess struct {
		Token string
		Me    struct{ Bound bool }
	}
	status, body, err := call("POST", base+"/wechat/v1/sessions", nil, map[string]string{"code": code}, &sess)
	if err != nil || status != http.StatusCreated {
		return statusError("wechat "+s.openID+": session", status, body, err)
	}
	s.token = sess.Token
	if sess.Me.Bound {
		return nil
	}
	who := map[string]string{"idNumber": s.holder.id, "name": s.holder.name}
	sms, err := smsCode(sm, s.phone, func() (int, []byte, error) {
		return call("POST", base+"/wechat/v1/binding/code", bearer(s.token), who, nil)
	})
	if err != nil {
		return fmt.Errorf("wechat %s: binding code for %s: %w", s.openID, maskID(s.holder.id), err)
	}
	binding <- struct{}{}
	status, body, err = call("POST", base+"/wechat/v1/binding", bearer(s.token),
		map[string]string{"method": "sms", "idNumber": s.holder.id, "name": s.holder.name, "code": sms}, nil)
	<-binding
	if status == http.StatusServiceUnavailable {
		return fmt.Errorf("%w: %v", errBusy, statusError("wechat "+s.openID+": bind "+maskID(s.holder.id), status, body, err))
	}
	if err != nil || status != http.StatusOK {
		return statusError("wechat "+s.openID+": bind "+maskID(s.holder.id), status, body, err)
	}
	return nil
}

// request builds one request of the follower's H5 session.
func (s *wechatSession) request(method, target string, body []byte, extra http.Header, base string) Request {
	h := http.Header{"Authorization": {"Bearer " + s.token}}
	for k, v := range extra {
		h[k] = v
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return Request{Method: method, URL: base + target, Header: h, Body: body}
}

// wechatKinds are the requests of the official account's H5 pages (its
// part of the mix, loadtest/README.md): the follower's queries and
// progress, the matter list and forms, and filings — the account is where
// citizens file most (transfers, name changes, remote residence…).
func wechatKinds(base string) []kind[*wechatSession] {
	get := func(target string) func(*wechatSession, *rnd) Request {
		return func(s *wechatSession, _ *rnd) Request { return s.request("GET", target, nil, nil, base) }
	}
	forms := []string{"transfer.pension", "insured.info_change", "pension.remote_residence", "card.loss_report"}
	origins := []string{"辽宁省沈阳市", "辽宁省大连市", "吉林省长春市", "山东省青岛市", "北京市"}
	return []kind[*wechatSession]{
		{route: "GET /wechat/v1/insured", cat: catQuery, weight: 22, cost: 1, make: get("/wechat/v1/insured")},
		{route: "GET /wechat/v1/reimbursements", cat: catQuery, weight: 12, cost: 1, make: func(s *wechatSession, rng *rnd) Request {
			return s.request("GET", "/wechat/v1/reimbursements?year="+strconv.Itoa(thisYear()-rng.IntN(3)), nil, nil, base)
		}},
		{route: "GET /wechat/v1/lock-status", cat: catQuery, weight: 8, cost: 1, make: get("/wechat/v1/lock-status")},
		{route: "GET /wechat/v1/applications", cat: catQuery, weight: 14, cost: 1, make: get("/wechat/v1/applications")},
		{route: "GET /wechat/v1/me", cat: catQuery, weight: 4, cost: 1, make: get("/wechat/v1/me")},
		{route: "GET /wechat/v1/matters", cat: catCatalog, weight: 6, cost: 1, make: get("/wechat/v1/matters")},
		{route: "GET /wechat/v1/matters/{code}/form", cat: catCatalog, weight: 4, cost: 1, make: func(s *wechatSession, rng *rnd) Request {
			return s.request("GET", "/wechat/v1/matters/"+forms[rng.IntN(len(forms))]+"/form", nil, nil, base)
		}},
		{route: "GET /api/v1/announcements", cat: catCatalog, weight: 5, cost: 1, make: publicAnnouncements[*wechatSession](base)},
		{route: "POST /wechat/v1/applications", cat: catSubmit, weight: 34, cost: 2, make: func(s *wechatSession, rng *rnd) Request {
			body, _ := json.Marshal(map[string]any{"matterCode": "transfer.pension", "form": map[string]any{
				"name": s.holder.name, "phone": s.phone, "originRegion": origins[rng.IntN(len(origins))]}})
			return s.request("POST", "/wechat/v1/applications", body, http.Header{"Idempotency-Key": {newKey()}}, base)
		}},
	}
}
