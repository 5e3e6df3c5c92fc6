package counter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// MaxWebhookSkew is the clock skew VerifyWebhook allows by default: a
// signature older than this is refused, so a captured post cannot be
// replayed later. The BFF still de-duplicates by event id, because the core
// repeats a post whose answer it did not get.
const MaxWebhookSkew = 5 * time.Minute

// WebhookHeaders are the three headers of a webhook post. Build them with
// WebhookHeadersFrom, or from a Fiber context with c.Get(HeaderTimestamp)…
type WebhookHeaders struct {
	EventID, Timestamp, Signature string
}

// WebhookHeadersFrom reads the webhook headers of a net/http request.
func WebhookHeadersFrom(h http.Header) WebhookHeaders {
	return WebhookHeaders{EventID: h.Get(HeaderEventID), Timestamp: h.Get(HeaderTimestamp), Signature: h.Get(HeaderSignature)}
}

// SignWebhook returns the signature of body posted at timestamp (Unix
// seconds, as sent in HeaderTimestamp) under secret.
func SignWebhook(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SetWebhookHeaders sets the headers of one post of event eventID with body
// at now. The simulator signs with it; tests forge with it.
func SetWebhookHeaders(h http.Header, secret, eventID string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.Unix(), 10)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set(HeaderEventID, eventID)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, SignWebhook(secret, ts, body))
}

// VerifyWebhook checks one webhook post and returns its event: the
// signature must be the secret's over the timestamp and body, the timestamp
// within maxSkew of now (MaxWebhookSkew if maxSkew is 0), and the event id
// header must name the event in the body. Errors: Unauthenticated for a
// missing, wrong or stale signature (answer 401, the core will retry);
// Invalid for a signed body that is not an event (answer 400). Replays
// inside the skew pass: de-duplicate by Event.ID.
func VerifyWebhook(h WebhookHeaders, body []byte, secret string, now time.Time, maxSkew time.Duration) (acceptance.Event, error) {
	if maxSkew <= 0 {
		maxSkew = MaxWebhookSkew
	}
	if err := verifySignature(h, body, secret, now, maxSkew); err != nil {
		return acceptance.Event{}, err
	}
	var w Event
	if err := json.Unmarshal(body, &w); err != nil || w.ID == "" || w.CaseNo == "" {
		return acceptance.Event{}, domain.Errorf(domain.Invalid, "受理系统推送的事件格式不正确")
	}
	if w.ID != h.EventID {
		return acceptance.Event{}, domain.Errorf(domain.Unauthenticated, "受理系统推送的事件编号与签名不符")
	}
	return eventFromWire(w), nil
}

// WebhookVerifier returns VerifyWebhook for a receiver that reads headers
// by name (a Fiber handler passes c.Get), with MaxWebhookSkew and the
// current time: the shape of progress.WebhookVerifierFunc.
func WebhookVerifier(secret string) func(header func(name string) string, body []byte) (acceptance.Event, error) {
	return func(header func(string) string, body []byte) (acceptance.Event, error) {
		h := WebhookHeaders{EventID: header(HeaderEventID), Timestamp: header(HeaderTimestamp), Signature: header(HeaderSignature)}
		return VerifyWebhook(h, body, secret, time.Now(), 0)
	}
}

func verifySignature(h WebhookHeaders, body []byte, secret string, now time.Time, maxSkew time.Duration) error {
	sec, err := strconv.ParseInt(h.Timestamp, 10, 64)
	if err != nil {
		return domain.Errorf(domain.Unauthenticated, "受理系统推送缺少时间戳")
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return domain.Errorf(domain.Unauthenticated, "受理系统推送的时间戳已过期")
	}
	got, err := hex.DecodeString(h.Signature)
	if err != nil {
		return domain.Errorf(domain.Unauthenticated, "受理系统推送的签名无效")
	}
	want, _ := hex.DecodeString(SignWebhook(secret, h.Timestamp, body))
	if !hmac.Equal(got, want) {
		return domain.Errorf(domain.Unauthenticated, "受理系统推送的签名无效")
	}
	return nil
}
