package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/integrations/insurance"
	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/province"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
)

// sims are the simulators of the external systems, run standalone by
// `hrss sim`, in the roles a tester plays with real devices: the SMS
// platform's admin endpoint is the citizen's phone (verification codes are
// read from it), the WeChat fake is the follower's WeChat (it issues OAuth
// codes), and the provincial e-card platform is the face SDK of a kiosk's
// camera or the app (it issues face-check tokens). The server under test
// reaches the same simulators through its own clients.
type sims struct {
	sms, wechat, province string // base URLs
}

// verifyTemplate is the SMS template of every verification code.
const verifyTemplate = "HRSS_VERIFY_CODE"

// smsMessage is a message as the SMS simulator's admin endpoint lists it.
type smsMessage struct {
	TemplateID string            `json:"templateId"`
	Params     map[string]string `json:"params"`
	SubmitTime time.Time         `json:"submitTime"`
}

// lastCode reads the newest verification code texted to phone at or after
// since, as the citizen reads it off their phone. The server texts before
// it answers, so the code is there when the request that sent it returns;
// a few short retries cover a slow simulator.
func (s sims) lastCode(phone string, since time.Time) (string, error) {
	since = since.Add(-2 * time.Second) // clocks of one machine, but be lenient
	for try := 0; try < 5; try++ {
		var msgs []smsMessage
		status, body, err := call("GET", s.sms+"/_admin/messages?phone="+url.QueryEscape(phone), nil, nil, &msgs)
		if err != nil {
			return "", fmt.Errorf("read the SMS simulator at %s: %w", s.sms, err)
		}
		if status != http.StatusOK {
			return "", fmt.Errorf("read the SMS simulator at %s: %d %s", s.sms, status, clip(body))
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			m := msgs[i]
			if m.TemplateID == verifyTemplate && !m.SubmitTime.Before(since) && m.Params["code"] != "" {
				return m.Params["code"], nil
			}
		}
		time.Sleep(time.Duration(50*(try+1)) * time.Millisecond)
	}
	return "", fmt.Errorf("no verification code reached %s (is -sms-admin the simulator the server texts through?)", maskPhone(phone))
}

// oauthCode makes openID a follower of the official account and has the
// WeChat fake issue a web-authorization code for it, as WeChat does when
// a follower opens an H5 page of the account.
func (s sims) oauthCode(openID string) (string, error) {
	status, body, err := call("POST", s.wechat+"/_admin/followers", nil,
		map[string]any{"openid": openID, "subscribed": true}, nil)
	if err != nil || status/100 != 2 {
		return "", fmt.Errorf("follow on the WeChat fake at %s: %d %s %v", s.wechat, status, clip(body), err)
	}
	var out struct{ Code string }
	status, body, err = call("POST", s.wechat+"/_admin/oauth/code", nil, map[string]string{"openid": openID}, &out)
	if err != nil || status != http.StatusOK || out.Code == "" {
		return "", fmt.Errorf("OAuth code from the WeChat fake at %s: %d %s %v", s.wechat, status, clip(body), err)
	}
	return out.Code, nil
}

// faceToken has the provincial e-card platform check the face of the
// person (a live capture: a fresh liveness payload each time) and returns
// the result token a certification redeems, with its expiry.
func (s sims) faceToken(id, name string) (string, time.Time, error) {
	var n [12]byte
	rand.Read(n[:])
	body, _ := json.Marshal(province.FaceCheckRequest{IDNumber: id, Name: name, Liveness: "lt-camera-" + hex.EncodeToString(n[:])})
	req, _ := http.NewRequest("POST", s.province+province.PathFaceChecks, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	province.SignHeader(req.Header, provsim.DefaultAppID, provsim.DefaultAppKey, body, time.Now())
	resp, err := setupClient.Do(req)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("face check at %s: %w", s.province, err)
	}
	defer resp.Body.Close()
	var out province.TokenResponse
	raw := new(bytes.Buffer)
	raw.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw.Bytes(), &out) != nil || out.Token == "" {
		return "", time.Time{}, fmt.Errorf("face check at %s: %d %s", s.province, resp.StatusCode, clip(raw.Bytes()))
	}
	return out.Token, out.ExpiresAt, nil
}

// coreRecord reads what the business core holds of a person — the phone on
// record (where a WeChat binding code goes) and the unit whose roll they
// are on — from the load test's own copy of the simulated city, over the
// core's SOAP contract and with no latency: it is the same city the server
// reads through the standalone simulator, because both have the seed.
func coreRecord(city *coresim.Sim, id string) (insurance.PersonXML, error) {
	env := insurance.AppendRequest(nil, insurance.OpPerson, &insurance.Request{IDNumber: id})
	req := httptest.NewRequest("POST", insurance.ServicePath, bytes.NewReader(env))
	req.Header.Set("SOAPAction", insurance.SOAPAction(insurance.OpPerson))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	rec := httptest.NewRecorder()
	city.ServeHTTP(rec, req)
	var out insurance.PersonResponse
	if err := insurance.DecodeBody(rec.Body.Bytes(), insurance.OpPerson+"Response", &out); err != nil {
		return insurance.PersonXML{}, fmt.Errorf("core record of %s: %w", maskID(id), err)
	}
	return out.Person, nil
}

// maskID and maskPhone keep personal numbers out of the load test's
// messages, as the server keeps them out of its logs.
func maskID(id string) string {
	if len(id) < 8 {
		return "****"
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

func maskPhone(p string) string {
	if len(p) != 11 {
		return "****"
	}
	return p[:3] + "****" + p[7:]
}

// errRouteMissing says the server does not serve a route the load test
// needs (404 or 405 from the router).
var errRouteMissing = errors.New("route not served")
