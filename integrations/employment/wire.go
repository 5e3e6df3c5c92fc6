package employment

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

// The paths of the employment system's API. Person numbers travel in
// bodies, never in URLs, so that no access log records one.
const (
	PathJobs         = "/employment/v1/jobs"           // GET ?keyword&area&industry&salaryMin&postedSince&page&size
	PathJob          = "/employment/v1/jobs/"          // GET + job id
	PathSeekers      = "/employment/v1/seekers"        // POST: register or update a job seeker
	PathSeekerLookup = "/employment/v1/seekers/lookup" // POST: a seeker by ID number
)

// The signature headers on every request. The signature is HMAC-SHA256,
// keyed by the app key, over the timestamp, the request URI (path and
// query, so that a signed search cannot be edited) and the raw body,
// concatenated, in lowercase hex.
const (
	HeaderAppID     = "X-Emp-App-Id"
	HeaderTimestamp = "X-Emp-Timestamp" // Unix milliseconds
	HeaderSignature = "X-Emp-Signature"
)

// MaxClockSkew is how far a signed timestamp may be from the receiver's
// clock.
const MaxClockSkew = 5 * time.Minute

// CodeOK is the code of every successful answer.
const CodeOK = "OK"

// The failure reasons of the system.
const (
	ReasonInvalidParameter = "INVALID_PARAMETER" // 400
	ReasonSignatureInvalid = "SIGNATURE_INVALID" // 401
	ReasonAppNotFound      = "APP_NOT_FOUND"     // 401
	ReasonJobNotFound      = "JOB_NOT_FOUND"     // 404: never posted, or closed
	ReasonSeekerNotFound   = "SEEKER_NOT_FOUND"  // 404
	ReasonSystemError      = "SYSTEM_ERROR"      // 500
)

// DateLayout is how the system writes days: postedOn, postedSince.
const DateLayout = "2006-01-02"

// Envelope starts every answer, successful or not.
type Envelope struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// JobRecord is a posting on the wire. Pay is in whole yuan a month, as
// the system keeps it.
type JobRecord struct {
	JobID        string   `json:"jobId"`
	Title        string   `json:"title"`
	Employer     string   `json:"employer"`
	Industry     string   `json:"industry"`
	AreaCode     string   `json:"areaCode"`
	SalaryMin    int64    `json:"salaryMin"`
	SalaryMax    int64    `json:"salaryMax"`
	Education    string   `json:"education"`
	Experience   int      `json:"experienceYears"`
	Headcount    int      `json:"headcount"`
	PostedOn     string   `json:"postedOn"`
	Description  string   `json:"description"`
	Address      string   `json:"address"`
	Welfare      []string `json:"welfare"`
	Contact      string   `json:"contact"`
	ContactPhone string   `json:"contactPhone"`
}

// SearchResponse answers GET PathJobs.
type SearchResponse struct {
	Envelope
	Total int         `json:"total"`
	Page  int         `json:"page"`
	Size  int         `json:"size"`
	Jobs  []JobRecord `json:"jobs"`
}

// JobResponse answers GET PathJob + id.
type JobResponse struct {
	Envelope
	Job JobRecord `json:"job"`
}

// SeekerRequest is the body of POST PathSeekers. The system keys seekers
// by ID number, so a repeat updates rather than duplicates.
type SeekerRequest struct {
	IDNumber       string   `json:"idNumber"`
	Phone          string   `json:"phone"`
	Education      string   `json:"education"`
	Major          string   `json:"major,omitempty"`
	Skills         []string `json:"skills"`
	WantedPost     string   `json:"wantedPost"`
	WantedArea     string   `json:"wantedAreaCode"`
	WantedIndustry string   `json:"wantedIndustry,omitempty"`
	WantedSalary   int64    `json:"wantedSalary"` // yuan a month; 0 negotiable
}

// LookupRequest is the body of POST PathSeekerLookup.
type LookupRequest struct {
	IDNumber string `json:"idNumber"`
}

// SeekerRecord is a registration on the wire.
type SeekerRecord struct {
	SeekerRequest
	RegistrationNo string    `json:"registrationNo"`
	RegisteredAt   time.Time `json:"registeredAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// SeekerResponse answers both seeker paths.
type SeekerResponse struct {
	Envelope
	Seeker SeekerRecord `json:"seeker"`
}

// Errors of signature verification.
var (
	ErrBadSignature = errors.New("employment: signature missing or wrong")
	ErrStaleRequest = errors.New("employment: timestamp missing or outside the allowed clock skew")
)

// Sign returns the signature of a request to uri with body at timestamp.
func Sign(appKey, timestamp, uri string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appKey))
	mac.Write([]byte(timestamp))
	mac.Write([]byte(uri))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignHeader sets the three signature headers for a request to uri.
func SignHeader(h http.Header, appID, appKey, uri string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	h.Set(HeaderAppID, appID)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, Sign(appKey, ts, uri, body))
}

// VerifyHeader checks that h carries a fresh signature of a request to
// uri with body under appKey; it returns ErrStaleRequest or
// ErrBadSignature.
func VerifyHeader(h http.Header, appKey, uri string, body []byte, now time.Time) error {
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
	want, _ := hex.DecodeString(Sign(appKey, ts, uri, body))
	if !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	return nil
}

// WriteJSON writes v as the JSON answer with the given status; shared with
// the simulator so both ends frame answers alike.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
