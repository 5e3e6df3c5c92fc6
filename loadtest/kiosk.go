package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// kiosk is one self-service kiosk of the test: registered through the
// back office, signing every request as a real kiosk does (the wire
// contract of channels/kiosk, written again here: the load test is a
// black box).
type kiosk struct {
	base, id, secret string
	session          string // the card session's token; "" before a card is read
	flexible         bool   // the card holder pays as a flexible worker (may change base tier)
	retired          bool   // the card holder draws a pension (has a benefit screen)
	tier             int    // a base tier the core offers the holder
}

func (k *kiosk) sign(h http.Header, method, target string, body []byte) {
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	var n [16]byte
	rand.Read(n[:])
	nonce := hex.EncodeToString(n[:])
	sum := sha256.Sum256(body)
	mac := hmac.New(sha256.New, []byte(k.secret))
	io.WriteString(mac, method+"\n"+target+"\n"+ts+"\n"+nonce+"\n"+hex.EncodeToString(sum[:]))
	h.Set("X-Kiosk-Device", k.id)
	h.Set("X-Kiosk-Timestamp", ts)
	h.Set("X-Kiosk-Nonce", nonce)
	h.Set("X-Kiosk-Signature", hex.EncodeToString(mac.Sum(nil)))
	if k.session != "" {
		h.Set("X-Kiosk-Session", k.session)
	}
}

// request builds one signed request; route names it in the report.
func (k *kiosk) request(route, method, target string, body []byte, extra http.Header) Request {
	h := http.Header{}
	for key, v := range extra {
		h[key] = v
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	k.sign(h, method, target, body)
	return Request{Route: route, Method: method, URL: k.base + target, Header: h, Body: body}
}

// do sends one signed request now, for setting up.
func (k *kiosk) do(method, target string, body any, extra http.Header) (int, []byte, error) {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	r := k.request("", method, target, b, extra)
	req, _ := http.NewRequest(method, r.URL, bytes.NewReader(b))
	req.Header = r.Header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, nil
}

// openCard reads a person's card at the kiosk.
func (k *kiosk) openCard(id, name string) error {
	status, body, err := k.do("POST", "/kiosk/v1/sessions/person", map[string]string{
		"cardKind": "id_card", "idNumber": id, "name": name, "cardSerial": "LT" + id[len(id)-8:]}, nil)
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		return fmt.Errorf("open a card session: %d %s", status, body)
	}
	var out struct{ SessionID string }
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	k.session = out.SessionID
	return nil
}

// findTier files one base-tier change to learn a tier the core offers the
// flexible worker at this kiosk (setting up, not measured).
func (k *kiosk) findTier() {
	for _, pct := range []int{100, 60, 80, 150, 200, 300} {
		h := http.Header{"Idempotency-Key": {newKey()}}
		status, _, err := k.do("POST", "/kiosk/v1/pension/base-tier", map[string]int{"percent": pct}, h)
		if err == nil && status < 300 {
			k.tier = pct
			return
		}
	}
}

func newKey() string {
	var b [12]byte
	rand.Read(b[:])
	return "lt-" + hex.EncodeToString(b[:])
}
