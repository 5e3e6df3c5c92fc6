package domain

import (
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (分), one hundredth of a yuan. Money is
// always an integer count of fen so contributions and benefits add up to the
// fen with no floating-point drift.
type Fen int64

// The messages of ParseYuan.
const (
	msgAmountEmpty    = "请输入金额"
	msgAmountFormat   = "金额格式不正确，请输入数字，例如1234.56"
	msgAmountDecimals = "金额最多保留两位小数"
	msgAmountRange    = "金额超出允许范围"
)

// maxYuanDigits bounds the integer part so that yuan×100 fits in an int64
// with room to spare (up to 999 trillion yuan).
const maxYuanDigits = 15

// Yuan formats the amount in yuan for display, with thousands separators and
// always two decimals: 123456 → "1,234.56", -5 → "-0.05".
func (f Fen) Yuan() string {
	neg := f < 0
	u := uint64(f) // two's complement keeps MinInt64 exact after negation
	if neg {
		u = -u
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	writeGrouped(&b, strconv.FormatUint(u/100, 10))
	b.WriteByte('.')
	b.WriteByte(byte('0' + u%100/10))
	b.WriteByte(byte('0' + u%10))
	return b.String()
}

// writeGrouped writes a run of digits with a comma before each group of three.
func writeGrouped(b *strings.Builder, digits string) {
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
}

// ParseYuan reads an amount in yuan as people type it — "1234.5",
// "1,234.56", "0.01", "-3" — into fen. Commas must group by thousands; more
// than two decimals is refused rather than rounded, since a rounded payment
// is a wrong payment. A fault is an Invalid *Error on "amount". The sign is
// accepted so Yuan and ParseYuan round-trip; whether a negative amount is
// allowed is the caller's business rule.
func ParseYuan(s string) (Fen, error) {
	s = strings.TrimSpace(s)
	body, neg := strings.CutPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(body, ".")
	if msg := amountFault(s, whole, frac, hasDot); msg != "" {
		return 0, InvalidFields(FieldError{Field: "amount", Message: msg})
	}
	whole = strings.ReplaceAll(whole, ",", "")
	frac = (frac + "00")[:2]
	f := Fen(atoi(whole)*100 + atoi(frac))
	if neg {
		f = -f
	}
	return f, nil
}

// amountFault returns the message for the first fault of the amount s, given
// its unsigned part split at the decimal point, or "".
func amountFault(s, whole, frac string, hasDot bool) string {
	switch {
	case s == "":
		return msgAmountEmpty
	case !groupedDigits(whole) || !allDigits(frac) || (hasDot && frac == ""):
		return msgAmountFormat
	case len(frac) > 2:
		return msgAmountDecimals
	case len(whole)-strings.Count(whole, ",") > maxYuanDigits:
		return msgAmountRange
	}
	return ""
}

// groupedDigits reports whether s is a non-empty run of digits, either
// plain ("1234") or with commas before every group of three ("1,234").
func groupedDigits(s string) bool {
	if !strings.Contains(s, ",") {
		return s != "" && allDigits(s)
	}
	groups := strings.Split(s, ",")
	if g := groups[0]; g == "" || len(g) > 3 || !allDigits(g) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}
