// Package domain holds what every business area shares: the one error type
// with its closed set of codes, and the value types of the bureau's data
// (citizen ID numbers, unified social credit codes, phone numbers, money in
// fen, channels). It imports only the standard library; a test enforces that
// no package under domain/ reaches a web framework, database driver, Redis
// client or WeChat SDK.
package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an Error. The set is closed: bff maps each code to exactly
// one HTTP status, so a new code needs a new row there too.
type Code string

// The error codes. Integrations translate driver and remote failures into
// these where they happen (duplicate key → Conflict, no rows → NotFound,
// remote down → Unavailable).
const (
	Invalid         Code = "invalid"         // the request is malformed or a field is wrong
	Unauthenticated Code = "unauthenticated" // no valid identity (session, token, signature)
	Forbidden       Code = "forbidden"       // identity known but not allowed here
	NotFound        Code = "not_found"       // no such thing, or not visible to the caller
	Conflict        Code = "conflict"        // clashes with the current state (duplicate, already claimed)
	Rejected        Code = "rejected"        // well-formed but refused by a business rule
	TooLarge        Code = "too_large"       // body or upload over its limit
	RateLimited     Code = "rate_limited"    // too many requests; try again later
	Unavailable     Code = "unavailable"     // a system we depend on is down or its breaker is open
	Timeout         Code = "timeout"         // a system we depend on did not answer in time
	Internal        Code = "internal"        // a defect or an unexpected failure
)

// Codes lists every code, for tables that must cover them all.
var Codes = []Code{Invalid, Unauthenticated, Forbidden, NotFound, Conflict, Rejected,
	TooLarge, RateLimited, Unavailable, Timeout, Internal}

// FieldError names one field of a request that is wrong and says, in Chinese
// a citizen can act on, what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type of the system. Message is Chinese text fit to
// show the citizen or clerk; it never holds raw personal data. Err, when set,
// is the underlying cause for logs only and is never shown.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is reaches driver errors and
// context.DeadlineExceeded through an Error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error with the given code and message whose cause is err.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// InvalidFields returns an Invalid error naming each field at fault.
func InvalidFields(fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: "提交的信息有误，请按提示修改后重试", Fields: fields}
}

// ErrorCode returns the code of the first Error in err's chain, Internal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return err != nil && ErrorCode(err) == code }
