package province

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

// The paths of the transfer platform's API. Status callbacks go the other
// way, to the URL the bureau registers with PathTransferCallback.
const (
	PathTransfers        = "/transfer/v1/transfers"  // POST: submit a transfer
	PathTransfer         = "/transfer/v1/transfers/" // GET + transfer number: its status
	PathTransferCallback = "/transfer/v1/callback"   // PUT: where to post status changes
)

// The paths of the e-card platform's API. Tokens travel in bodies, never in
// URLs, so that no access log records a live token.
const (
	PathVerifications   = "/ecard/v1/verifications"      // POST: real-name verification
	PathCards           = "/ecard/v1/cards"              // POST: sign (issue) the card
	PathQRCodes         = "/ecard/v1/qrcodes"            // POST: a fresh QR token
	PathQRVerify        = "/ecard/v1/qrcodes/verify"     // POST: redeem a QR token
	PathFaceChecks      = "/ecard/v1/face-checks"        // POST: submit a face capture
	PathFaceCheckVerify = "/ecard/v1/face-checks/verify" // POST: redeem a face-check token
)

// The signature headers on every request to the platforms and on every
// callback they post back. The signature is HMAC-SHA256, keyed by the app
// key (应用密钥), over the timestamp followed directly by the raw body, in
// lowercase hex — the scheme of the provincial service bus (省人社服务总线).
const (
	HeaderAppID     = "X-Lnhrss-App-Id"
	HeaderTimestamp = "X-Lnhrss-Timestamp" // Unix milliseconds
	HeaderSignature = "X-Lnhrss-Signature"
)

// MaxClockSkew is how far a signed timestamp may be from the receiver's
// clock; older signatures are refused so a captured request cannot be
// replayed later.
const MaxClockSkew = 5 * time.Minute

// CodeOK is the code of every successful answer. Failures carry an
// upper-case reason with a non-2xx status; the client knows the reasons
// listed in reasons.go.
const CodeOK = "OK"

// Envelope starts every answer of the platforms, successful or not.
type Envelope struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The transfer platform's wire values: directions, insurance codes (险种
// 代码 of the national standard) and statuses.
const (
	DirectionOut = "OUT"
	DirectionIn  = "IN"

	InsuranceEnterprisePension = "110" // 企业职工基本养老保险
	InsurancePublicPension     = "120" // 机关事业单位基本养老保险
	InsuranceUnemployment      = "210" // 失业保险

	StatusAccepted     = "ACCEPTED"      // 受理中
	StatusOutReview    = "OUT_REVIEW"    // 转出地审核
	StatusInReceive    = "IN_RECEIVE"    // 转入地接收
	StatusFundTransfer = "FUND_TRANSFER" // 基金划转
	StatusCompleted    = "COMPLETED"     // 办结
	StatusReturned     = "RETURNED"      // 退回
)

// TransferRequest is the body of POST PathTransfers.
type TransferRequest struct {
	RequestID      string `json:"requestId"` // the platform de-duplicates on it
	Direction      string `json:"direction"`
	IDNumber       string `json:"idNumber"`
	FromRegion     string `json:"fromRegionCode"`
	FromRegionName string `json:"fromRegionName"`
	ToRegion       string `json:"toRegionCode"`
	ToRegionName   string `json:"toRegionName"`
	InsuranceType  string `json:"insuranceType"`
	UnitCreditCode string `json:"unitCreditCode,omitempty"`
}

// TransferStep is one status a transfer reached.
type TransferStep struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// TransferRecord is a transfer as the platform reports it: the answer to a
// submission or a status query, and the body of a status callback.
type TransferRecord struct {
	TransferNo string `json:"transferNo"`
	TransferRequest
	Status      string         `json:"status"`
	Reason      string         `json:"reason,omitempty"` // why it was returned
	Steps       []TransferStep `json:"steps"`
	SubmittedAt time.Time      `json:"submittedAt"`
}

// TransferResponse answers a submission or a status query.
type TransferResponse struct {
	Envelope
	TransferRecord
}

// CallbackRequest is the body of PUT PathTransferCallback.
type CallbackRequest struct {
	URL string `json:"url"`
}

// PersonRequest is the body of POST PathVerifications and PathCards.
type PersonRequest struct {
	IDNumber string `json:"idNumber"`
	Name     string `json:"name,omitempty"`
}

// VerificationResponse answers a real-name verification.
type VerificationResponse struct {
	Envelope
	Match bool `json:"match"`
}

// CardResponse answers POST PathCards.
type CardResponse struct {
	Envelope
	CardID   string    `json:"cardId"`
	IDNumber string    `json:"idNumber"`
	SignedAt time.Time `json:"signedAt"`
}

// TokenRequest is the body of the two verify endpoints.
type TokenRequest struct {
	Token string `json:"token"`
}

// TokenResponse answers POST PathQRCodes and PathFaceChecks.
type TokenResponse struct {
	Envelope
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// QRIdentityResponse answers POST PathQRVerify.
type QRIdentityResponse struct {
	Envelope
	CardID   string `json:"cardId"`
	IDNumber string `json:"idNumber"`
	Name     string `json:"name"` // masked: 张*
}

// FaceCheckRequest is the body of POST PathFaceChecks.
type FaceCheckRequest struct {
	IDNumber string `json:"idNumber"`
	Name     string `json:"name"`
	Liveness string `json:"liveness"` // the face SDK's opaque liveness payload
}

// FaceResultResponse answers POST PathFaceCheckVerify.
type FaceResultResponse struct {
	Envelope
	IDNumber  string    `json:"idNumber"`
	Passed    bool      `json:"passed"`
	CheckedAt time.Time `json:"checkedAt"`
}

// Errors of signature verification.
var (
	ErrBadSignature = errors.New("province: signature missing or wrong")
	ErrStaleRequest = errors.New("province: timestamp missing or outside the allowed clock skew")
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

// WriteJSON writes v as the JSON answer with the given status. It is shared
// with the simulator so both ends produce identical framing.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
