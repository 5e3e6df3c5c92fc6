package sms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// The paths of the gateway's API. Receipts go the other way, to the URL the
// bureau registers with PathCallback.
const (
	PathMessages = "/sms/v1/messages"  // POST: send one message
	PathMessage  = "/sms/v1/messages/" // GET + message id: its delivery state
	PathCallback = "/sms/v1/callback"  // PUT: where to post delivery receipts
)

// The signature headers on every request to the gateway and on every receipt
// it posts back. The signature is HMAC-SHA256, keyed by the app key (应用密钥),
// over the timestamp followed directly by the raw body, in lowercase hex.
const (
	HeaderAppID     = "X-Sms-App-Id"
	HeaderTimestamp = "X-Sms-Timestamp" // Unix milliseconds
	HeaderSignature = "X-Sms-Signature"
)

// MaxClockSkew is how far a signed timestamp may be from the receiver's
// clock; older signatures are refused so a captured request cannot be
// replayed later.
const MaxClockSkew = 5 * time.Minute

// The templates (短信模板) registered with the gateway. Their text is filed
// with and approved by the platform, so the bureau sends only the id and the
// parameters; the parameter names are listed after each id.
const (
	TemplateVerifyCode     = "HRSS_VERIFY_CODE"     // 验证码: code, minutes
	TemplateProgress       = "HRSS_PROGRESS_UPDATE" // 办件进度: matter, applicationId, status
	TemplateCertReminder   = "HRSS_CERT_REMINDER"   // 待遇资格认证提醒: name, year, deadline
	TemplateTransferStatus = "HRSS_TRANSFER_STATUS" // 转移接续: insurance, from, to, status
)

// Status is the delivery state of one message.
type Status string

// The delivery states. A message is Pending until the carrier reports.
const (
	StatusPending   Status = "PENDING"
	StatusDelivered Status = "DELIVERED"
	StatusFailed    Status = "FAILED"
)

// CodeOK is the code of every successful answer. Failures carry an upper-case
// reason (SIGNATURE_INVALID, TEMPLATE_NOT_FOUND, …) with a non-2xx status.
const CodeOK = "OK"

// Envelope starts every answer of the gateway, successful or not.
type Envelope struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId,omitempty"`
}

// SendRequest is the body of POST PathMessages.
type SendRequest struct {
	Phone      string            `json:"phone"`
	TemplateID string            `json:"templateId"`
	Params     map[string]string `json:"params"`
	OutID      string            `json:"outId,omitempty"` // the sender's own reference, echoed in receipts
}

// SendResponse answers a SendRequest that the gateway accepted.
type SendResponse struct {
	Envelope
	MessageID string `json:"messageId"`
}

// CallbackRequest is the body of PUT PathCallback.
type CallbackRequest struct {
	URL string `json:"url"`
}

// Receipt is the delivery report (回执) of one message: the body the gateway
// posts to the callback URL, and what a status query returns. The gateway may
// post the same receipt more than once; handle it idempotently by MessageID.
type Receipt struct {
	MessageID  string       `json:"messageId"`
	OutID      string       `json:"outId,omitempty"`
	Phone      domain.Phone `json:"phone"`
	TemplateID string       `json:"templateId"`
	Status     Status       `json:"status"`
	ErrorCode  string       `json:"errorCode,omitempty"` // the carrier's reason when Status is FAILED
	SubmitTime time.Time    `json:"submitTime"`
	ReportTime *time.Time   `json:"reportTime,omitempty"` // nil while pending
}

// StatusResponse answers GET PathMessage + id.
type StatusResponse struct {
	Envelope
	Receipt
}

// Errors of signature verification.
var (
	ErrBadSignature = errors.New("sms: signature missing or wrong")
	ErrStaleRequest = errors.New("sms: timestamp missing or outside the allowed clock skew")
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
// HeaderAppID itself, since it knows which apps exist.
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
