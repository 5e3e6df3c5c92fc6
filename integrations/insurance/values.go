package insurance

import (
	"errors"
	"strconv"
)

// The value encodings of the contract, shared by the client and the
// simulator so that both write and read money and rates the same way.

// AppendYuan appends an amount in fen as yuan with two decimals, the way the
// core writes money: 123456 → "1234.56", -5 → "-0.05".
func AppendYuan(b []byte, fen int64) []byte {
	u := uint64(fen)
	if fen < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/100, 10)
	return append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
}

// FormatYuan returns AppendYuan as a string.
func FormatYuan(fen int64) string {
	var a [24]byte
	return string(AppendYuan(a[:0], fen))
}

var errAmount = errors.New("amount is not yuan with two decimals")

// ParseYuan reads an amount written by AppendYuan back into fen. It is
// strict — an optional minus, digits, a point, exactly two digits — because
// the core always writes that form and anything else is a defect to report,
// not to guess at.
func ParseYuan(s string) (int64, error) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	n := len(s)
	if n < 4 || n > 18 || s[n-3] != '.' {
		return 0, errAmount
	}
	var v int64
	for i := 0; i < n; i++ {
		if i == n-3 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, errAmount
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, nil
}

// FormatRate writes a rate in basis points as a fraction with four
// decimals: 1600 → "0.1600", 50 → "0.0050".
func FormatRate(bp int) string {
	s := strconv.Itoa(10000 + bp%10000)[1:]
	return strconv.Itoa(bp/10000) + "." + s
}

var errRate = errors.New("rate is not a fraction with four decimals")

// ParseRate reads a rate written by FormatRate back into basis points.
func ParseRate(s string) (int, error) {
	if len(s) != 6 || s[1] != '.' {
		return 0, errRate
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if i == 1 {
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return 0, errRate
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, nil
}
