package domain

import (
	"log/slog"
	"strings"
)

// Phone is a mainland mobile number (手机号码), eleven digits, the number SMS
// codes and progress notices go to. It is personal data: String, GoString and
// LogValue give the masked form 138****5678; Raw gives the full number.
// Note that encoding/json still writes the full number.
//
// Build one with ParsePhone; a converted string is not checked.
type Phone string

const msgPhone = "手机号码格式不正确，请输入11位手机号"

// ParsePhone checks a mobile number as people type it: with or without a
// +86 or 86 prefix, with spaces or dashes ("138 1234 5678", "+86-138-1234-5678").
// The result is the bare 11 digits. A fault is an Invalid *Error on "phone".
func ParsePhone(s string) (Phone, error) {
	d := stripSeparators(strings.TrimSpace(s))
	d = strings.TrimPrefix(d, "+86")
	if len(d) == 13 {
		d = strings.TrimPrefix(d, "86")
	}
	if !isMobile(d) {
		return "", InvalidFields(FieldError{Field: "phone", Message: msgPhone})
	}
	return Phone(d), nil
}

// stripSeparators removes the spaces and dashes people put inside numbers.
func stripSeparators(s string) string {
	if !strings.ContainsAny(s, " -") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// isMobile reports whether s matches 1[3-9]\d{9}.
func isMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && '3' <= s[1] && s[1] <= '9' && allDigits(s)
}

// Masked returns the number with digits four to seven starred: 138****5678.
func (p Phone) Masked() string { return maskMiddle(string(p), 3, 4) }

// Raw returns the full number, for the SMS gateway and storage. Never log it.
func (p Phone) Raw() string { return string(p) }

// String returns the masked form, so fmt and %v never leak the number.
func (p Phone) String() string { return p.Masked() }

// GoString returns the masked form for %#v too.
func (p Phone) GoString() string { return `domain.Phone("` + p.Masked() + `")` }

// LogValue implements slog.LogValuer: log lines get the masked form.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }
