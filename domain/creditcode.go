package domain

import "strings"

// CreditCode is an 18-character unified social credit code (统一社会信用代码,
// GB 32100-2015), the identity of an employer unit. It is not personal data,
// so String gives the code itself.
//
// Build one with ParseCreditCode; a converted string is not checked.
type CreditCode string

// creditChars is the GB 32100 character set, in value order: digits and the
// capital letters except I, O, Z, S and V, which look like 1, 0, 2, 5 and U.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100 weights of the first 17 characters,
// 3^i mod 31. (The weights 3,7,9,10,5,8,4,2,… belong to the older
// organization code, GB 11714, and do not match real credit codes.)
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// The clerk-facing messages of ParseCreditCode.
const (
	msgCreditEmpty  = "请输入统一社会信用代码"
	msgCreditLength = "统一社会信用代码应为18位"
	msgCreditChars  = "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V），请核对后重新输入"
)

// ParseCreditCode checks a unified social credit code typed by an employer
// clerk. It forgives surrounding spaces and lower case. A wrong length or a
// character outside the GB 32100 set is an Invalid *Error on "creditCode".
// A well-formed code whose check character is wrong is accepted with
// legacy true: codes issued during the 2015–2017 changeover do not all pass,
// and the bureau warns on them rather than locking the unit out.
func ParseCreditCode(s string) (code CreditCode, legacy bool, err error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if msg := creditFault(s); msg != "" {
		return "", false, InvalidFields(FieldError{Field: "creditCode", Message: msg})
	}
	return CreditCode(s), CreditCodeCheckChar(s[:17]) != s[17], nil
}

// creditFault returns the message for the first fault of s, or "".
func creditFault(s string) string {
	switch {
	case s == "":
		return msgCreditEmpty
	case len(s) != 18:
		return msgCreditLength
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(creditChars, s[i]) < 0 {
			return msgCreditChars
		}
	}
	return ""
}

// CreditCodeCheckChar returns the GB 32100 check character for the first 17
// characters of a credit code. The simulators use it to make valid synthetic
// codes. It returns 0 unless first17 is 17 characters of the GB 32100 set.
func CreditCodeCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31]
}

// AreaCode returns the six-digit administrative division code of the
// registering authority (登记管理机关行政区划码), characters 3–8.
func (c CreditCode) AreaCode() string {
	if len(c) < 8 {
		return ""
	}
	return string(c[2:8])
}

// String returns the code itself: a unit's code is public, not personal data.
func (c CreditCode) String() string { return string(c) }
