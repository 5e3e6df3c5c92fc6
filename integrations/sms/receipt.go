package sms

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// maxReceipt bounds a receipt body; real ones are a few hundred bytes.
const maxReceipt = 64 << 10

// ReceiptHandler returns the handler the platform posts delivery receipts
// to. It refuses (401) any receipt not signed with this client's app id and
// key, so nobody can forge "delivered" for a message, and answers 200 once fn
// has returned. fn runs on the request goroutine: keep it short (record the
// state, notify elsewhere) and idempotent, because the platform re-posts a
// receipt whose answer it did not get.
func (c *Client) ReceiptHandler(fn func(Receipt)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeEnvelope(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "仅支持POST")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReceipt))
		if err != nil {
			writeEnvelope(w, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE", "回执过大")
			return
		}
		if err := c.verify(r.Header, body); err != nil {
			writeEnvelope(w, http.StatusUnauthorized, "SIGNATURE_INVALID", "签名校验失败")
			return
		}
		var rc Receipt
		if err := json.Unmarshal(body, &rc); err != nil || rc.MessageID == "" {
			writeEnvelope(w, http.StatusBadRequest, "INVALID_PARAMETER", "回执格式错误")
			return
		}
		fn(rc)
		writeEnvelope(w, http.StatusOK, CodeOK, "成功")
	})
}

// verify checks that a receipt comes from the platform for this app.
func (c *Client) verify(h http.Header, body []byte) error {
	if h.Get(HeaderAppID) != c.cfg.AppID {
		return ErrBadSignature
	}
	return VerifyHeader(h, c.cfg.AppKey, body, time.Now())
}

// writeEnvelope answers in the platform's JSON envelope; the simulator
// answers the same way.
func writeEnvelope(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, Envelope{Code: code, Message: message})
}

// WriteJSON writes v as the JSON answer with the given status. It is shared
// with the simulator so both ends produce identical framing.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
