package sim

import "github.com/dandong-hrss/hrss/domain"

// The credit-code encoding. A GB 32100 unified social credit code is
// registering authority and kind (2: 91 for an enterprise, 11 for a
// government body, 12 for a public institution) + the registering area's
// division code (6) + the organisation code (9: eight body characters and
// a GB 11714 check character) + the GB 32100 check character (1).
//
// The simulator writes unit j's organisation-code body as eight digits,
// (a·j + b) mod 10⁸ with a and b keyed by the seed, so the body alone gives
// j back. Decoding inverts the body and then rebuilds unit j's whole code:
// the code is found only if it matches character for character, so a code
// with the right body but the wrong area, kind or check characters is
// NotFound like any code the simulator did not issue.

const orgBodySpace = 100_000_000 // eight decimal digits

// orgWeights are the GB 11714 weights of the eight body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCheckChar returns the GB 11714 check character of an eight-digit body.
func orgCheckChar(body []byte) byte {
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// creditCode builds the code of a unit of kind prefix ("91", "11", "12")
// registered in area a whose body number is q.
func creditCode(prefix string, a int, q uint64) string {
	var b [18]byte
	s := append(b[:0], prefix...)
	s = append(s, areas[a].code...)
	s = appendDigits(s, int(q), 8)
	s = append(s, orgCheckChar(s[8:16]))
	s = append(s, domain.CreditCodeCheckChar(string(s)))
	return string(s)
}

// unitIndex recovers the unit index from the body of a credit code; the
// caller still compares the rebuilt code. ok is false when the body is not
// eight digits or names no unit.
func (s *Sim) unitIndex(code string) (j int, ok bool) {
	if len(code) != 18 {
		return 0, false
	}
	body := code[8:16]
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return 0, false
		}
	}
	j = int(s.orgBody.inverse(uint64(digits(body))))
	return j, j < s.units
}
