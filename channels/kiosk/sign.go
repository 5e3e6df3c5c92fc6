package kiosk

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The headers of a signed kiosk request. Every request under /kiosk/v1
// carries the first four; requests made during a card session add the
// session token the session was opened with.
const (
	HeaderDevice    = "X-Kiosk-Device"    // the device id, kiosk-yb-001
	HeaderTimestamp = "X-Kiosk-Timestamp" // Unix milliseconds when the kiosk signed
	HeaderNonce     = "X-Kiosk-Nonce"     // 16–64 of A–Z a–z 0–9 - _, never reused by the device
	HeaderSignature = "X-Kiosk-Signature" // lower-case hex HMAC-SHA256, see Signature
	HeaderSession   = "X-Kiosk-Session"   // the card session token
)

// MaxClockSkew is how far a request's timestamp may be from the server's
// clock. A nonce is remembered for twice as long, the whole window in which
// its timestamp is acceptable, so a captured request cannot be replayed.
const MaxClockSkew = 5 * time.Minute

// Signature is the kiosk signature: the lower-case hex HMAC-SHA256, keyed by
// the device's secret, of
//
//	METHOD \n TARGET \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
//
// where METHOD is upper case, TARGET is the request target exactly as sent
// on the request line (path and, if any, "?" and the query:
// /kiosk/v1/pension/payments?year=2024), TIMESTAMP and NONCE are the header
// values, and an empty body hashes as the empty string does. The kiosk UI
// computes the same in JavaScript (see README.md beside this file).
func Signature(secret, method, target, timestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, method+"\n"+target+"\n"+timestamp+"\n"+nonce+"\n"+hex.EncodeToString(sum[:]))
	return hex.EncodeToString(mac.Sum(nil))
}

// Sign signs req as the device now, with a fresh nonce: what a kiosk, the
// load test or a test does before sending. It reads the body and puts it
// back, so req can still be sent. Add the session header before or after;
// it is not signed.
func Sign(req *http.Request, deviceID, secret string) error {
	return SignAt(req, deviceID, secret, time.Now(), NewNonce())
}

// SignAt signs req as sent at the given time with the given nonce, for
// tests that control the clock or replay a nonce on purpose.
func SignAt(req *http.Request, deviceID, secret string, at time.Time, nonce string) error {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
	}
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	req.Header.Set(HeaderDevice, deviceID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, Signature(secret, req.Method, req.URL.RequestURI(), ts, nonce, body))
	return nil
}

// NewNonce returns 32 random hex characters.
func NewNonce() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return hex.EncodeToString(b)
}
