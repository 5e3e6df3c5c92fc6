package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The paths of the channel's API. Outcomes go the other way, to the notify
// URL each order names.
const (
	PathOrders = "/pay/v1/orders"  // POST: create an order
	PathOrder  = "/pay/v1/orders/" // GET + the bureau's order id: its state
)

// The signature headers on every request to the channel and on every
// notification it posts back. The signature is HMAC-SHA256, keyed by the
// merchant key (商户密钥), over the timestamp followed directly by the raw
// body, in lowercase hex.
const (
	HeaderAppID     = "X-Pay-App-Id" // the bureau's merchant id (商户号)
	HeaderTimestamp = "X-Pay-Timestamp"
	HeaderSignature = "X-Pay-Signature"
)

// MaxClockSkew is how far a signed timestamp may be from the receiver's
// clock; older signatures are refused so a captured notification cannot be
// replayed later.
const MaxClockSkew = 5 * time.Minute

// CodeOK is the code of every successful answer, and of the bureau's
// acknowledgement of a notification. Failures carry an upper-case reason
// with a non-2xx status.
const CodeOK = "OK"

// The failure reasons the client translates itself.
const (
	ReasonInvalidParameter = "INVALID_PARAMETER" // 400
	ReasonSignatureInvalid = "SIGNATURE_INVALID" // 401
	ReasonAppNotFound      = "APP_NOT_FOUND"     // 401
	ReasonOrderIDConflict  = "ORDER_ID_CONFLICT" // 409: the id was used for another order
	ReasonOrderNotFound    = "ORDER_NOT_FOUND"   // 404
	ReasonOrderFinished    = "ORDER_FINISHED"    // 409: paid or failed already
	ReasonSystemError      = "SYSTEM_ERROR"      // 500
)

// The order statuses on the wire.
const (
	StatusPending = "PENDING"
	StatusPaid    = "PAID"
	StatusFailed  = "FAILED"
)

// Envelope starts every answer of the channel, successful or not.
type Envelope struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// OrderRequest is the body of POST PathOrders.
type OrderRequest struct {
	OrderID     string `json:"orderId"` // the channel de-duplicates on it
	Payer       string `json:"payer"`
	Amount      int64  `json:"amount"` // fen
	Description string `json:"description"`
	NotifyURL   string `json:"notifyUrl"`
}

// CheckoutResponse answers POST PathOrders.
type CheckoutResponse struct {
	Envelope
	ChannelOrderNo string `json:"channelOrderNo"`
	PayURL         string `json:"payUrl"`
	QRPayload      string `json:"qrPayload"`
}

// OrderRecord is an order as the channel reports it.
type OrderRecord struct {
	OrderID        string     `json:"orderId"`
	ChannelOrderNo string     `json:"channelOrderNo"`
	Amount         int64      `json:"amount"`
	Status         string     `json:"status"`
	FinishedAt     *time.Time `json:"finishedAt,omitempty"` // when paid or failed
	FailReason     string     `json:"failReason,omitempty"`
}

// OrderResponse answers GET PathOrder + order id.
type OrderResponse struct {
	Envelope
	OrderRecord
}

// Notification is the body the channel posts to an order's notify URL
// when it is paid or fails. NotifyID is the same on every delivery of one
// outcome.
type Notification struct {
	NotifyID string `json:"notifyId"`
	OrderRecord
}

// Errors of signature verification.
var (
	ErrBadSignature = errors.New("payment: signature missing or wrong")
	ErrStaleRequest = errors.New("payment: timestamp missing or outside the allowed clock skew")
)

// Sign returns the signature of body sent at timestamp under appKey.
func Sign(appKey, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appKey))
	mac.Write([]byte(timestamp))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignHeader sets the three signature headers for body sent now.
func SignHeader(h http.Header, appID, appKey string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	h.Set(HeaderAppID, appID)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, Sign(appKey, ts, body))
}

// VerifyHeader checks that h carries a fresh signature of body under appKey;
// it returns ErrStaleRequest or ErrBadSignature. The caller checks
// HeaderAppID itself, since it knows which merchants exist.
func VerifyHeader(h http.Header, appKey string, body []byte, now time.Time) error {
	ts := h.Get(HeaderTimestamp)
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrStaleRequest
	}
	if skew := now.Sub(time.UnixMilli(ms)); skew > MaxClockSkew || skew < -MaxClockSkew {
		return ErrStaleRequest
	}
	got, err := hex.DecodeString(h.Get(HeaderSignature))
	if err != nil {
		return ErrBadSignature
	}
	want, _ := hex.DecodeString(Sign(appKey, ts, body))
	if !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	return nil
}

// WriteJSON writes v as the JSON answer with the given status. It is shared
// with the simulator so both ends produce identical framing.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
