package domain

import (
	"log/slog"
	"strings"
	"time"
)

// IDNumber is an 18-character citizen ID number (公民身份号码, GB 11643-1999).
// It is personal data: String, GoString and LogValue all give the masked
// form, so an IDNumber printed by accident in a log line or an error never
// leaks. Code that truly needs the full number (the business core, the
// database) calls Raw. Note that encoding/json still writes the full number;
// response types carry Masked() instead.
//
// Build one with ParseIDNumber; a converted string is not checked.
type IDNumber string

// idWeights are the GB 11643 weights of the first 17 digits (2^(18-i) mod 11).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// provinceCodes are the first two digits of every real province-level area
// code, including 81/82/83 used by residence permits of Hong Kong, Macao and
// Taiwan residents (港澳台居民居住证), which follow GB 11643 too.
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// now is the clock ParseIDNumber checks birth dates against.
var now = time.Now

// The citizen-facing messages of ParseIDNumber, one per fault.
const (
	msgIDEmpty    = "请输入身份证号码"
	msgIDLength   = "身份证号码应为18位"
	msgIDChars    = "身份证号码只能包含数字，最后一位可以是X"
	msgIDArea     = "身份证号码前两位的地区代码无效，请核对后重新输入"
	msgIDBirth    = "身份证号码中的出生日期无效"
	msgIDFuture   = "身份证号码中的出生日期晚于今天，请核对后重新输入"
	msgIDTooOld   = "身份证号码中的出生日期早于1900年，请核对后重新输入"
	msgIDCheckSum = "身份证号码校验位不正确，请核对后重新输入"
)

// ParseIDNumber checks a citizen ID number typed at a kiosk or in a form.
// It forgives surrounding spaces and a lower-case x, then checks length,
// characters, province code, birth date (a real day, not before 1900, not
// after today in Beijing) and the ISO 7064 MOD 11-2 check digit. A fault is
// an Invalid *Error with one FieldError on "idNumber" saying what to fix.
func ParseIDNumber(s string) (IDNumber, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "x") {
		s = s[:len(s)-1] + "X"
	}
	if msg := idFault(s); msg != "" {
		return "", InvalidFields(FieldError{Field: "idNumber", Message: msg})
	}
	return IDNumber(s), nil
}

// idFault returns the message for the first fault of s, or "".
func idFault(s string) string {
	switch {
	case s == "":
		return msgIDEmpty
	case len(s) != 18:
		return msgIDLength
	case !allDigits(s[:17]) || !(isDigit(s[17]) || s[17] == 'X'):
		return msgIDChars
	case !provinceCodes[s[:2]]:
		return msgIDArea
	}
	if msg := birthFault(s[6:14]); msg != "" {
		return msg
	}
	if IDCheckDigit(s[:17]) != s[17] {
		return msgIDCheckSum
	}
	return ""
}

// birthFault checks the eight digits YYYYMMDD of an ID number.
func birthFault(yyyymmdd string) string {
	d, ok := parseYMD(yyyymmdd)
	switch {
	case !ok:
		return msgIDBirth
	case d.Year() < 1900:
		return msgIDTooOld
	case d.After(now().In(Beijing)):
		return msgIDFuture
	}
	return ""
}

// parseYMD turns eight ASCII digits into midnight of that day in Beijing,
// reporting false for a day that does not exist (19900230, 19901301).
func parseYMD(s string) (time.Time, bool) {
	y, m, d := atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Beijing)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// IDCheckDigit returns the GB 11643 check character ('0'–'9' or 'X') for the
// first 17 digits of an ID number. The simulators use it to make valid
// synthetic IDs. It returns 0 unless first17 is exactly 17 ASCII digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 || !allDigits(first17) {
		return 0
	}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// BirthDate returns the date of birth, midnight in Beijing; the zero time if
// n was not built by ParseIDNumber.
func (n IDNumber) BirthDate() time.Time {
	if len(n) != 18 || !allDigits(string(n[6:14])) {
		return time.Time{}
	}
	t, _ := parseYMD(string(n[6:14]))
	return t
}

// Male reports whether the 17th digit (the sequence code) is odd, which is
// how GB 11643 records sex; pension age rules depend on it.
func (n IDNumber) Male() bool {
	return len(n) == 18 && (n[16]-'0')%2 == 1
}

// AreaCode returns the six-digit administrative division code where the
// number was issued (行政区划代码), e.g. "210602" for Dandong Yuanbao district.
func (n IDNumber) AreaCode() string {
	if len(n) < 6 {
		return ""
	}
	return string(n[:6])
}

// Masked returns the number with all but the first and last four characters
// replaced by '*', the form shown in responses and logs: 2106**********123X.
func (n IDNumber) Masked() string { return maskMiddle(string(n), 4, 4) }

// Raw returns the full number, for the few places that need it (the business
// core, storage). Never log it.
func (n IDNumber) Raw() string { return string(n) }

// String returns the masked form, so fmt and %v never leak the number.
func (n IDNumber) String() string { return n.Masked() }

// GoString returns the masked form for %#v too.
func (n IDNumber) GoString() string { return `domain.IDNumber("` + n.Masked() + `")` }

// LogValue implements slog.LogValuer: log lines get the masked form.
func (n IDNumber) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// maskMiddle keeps the first head and last tail bytes of s and stars the
// rest; a string too short to keep both is starred entirely.
func maskMiddle(s string, head, tail int) string {
	if len(s) <= head+tail {
		return strings.Repeat("*", len(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a short run of ASCII digits already checked by allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
