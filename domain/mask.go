package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskText masks, in free text, everything that looks like a citizen ID
// number or a mobile number: an 18-digit run (or 17 digits and an X), and an
// 11-digit run 1[3-9]… (also after an 86 prefix, 8613812345678). A run
// inside a longer digit run is left alone, so order numbers and timestamps
// survive. The logger calls it on every line as the last line of defence, so
// it scans by hand, and returns s itself, without allocating, when nothing
// matches. Masks keep the length: 2106**********123X, 138****5678.
//
// Any 18-digit run is masked, ID or not: do not give other things 18-digit
// numeric identifiers if you want to read them in logs.
func MaskText(s string) string {
	var b []byte // a copy of s, made at the first match
	for i := 0; i < len(s); {
		for i < len(s) && !isDigit(s[i]) {
			i++
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		start, head, stars := matchRun(s, i, j)
		if stars > 0 {
			if b == nil {
				b = []byte(s)
			}
			for k := start + head; k < start+head+stars; k++ {
				b[k] = '*'
			}
		}
		i = j
	}
	if b == nil {
		return s
	}
	return string(b)
}

// matchRun classifies the maximal digit run s[i:j]: if it looks like an ID
// or mobile number it returns where the number starts, how many characters
// to keep and how many to star after them; stars is 0 for no match.
func matchRun(s string, i, j int) (start, head, stars int) {
	switch n := j - i; {
	case n == 18:
		return i, 4, 10
	case n == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x'):
		return i, 4, 10
	case n == 11 && isMobile(s[i:j]):
		return i, 3, 4
	case n == 13 && s[i] == '8' && s[i+1] == '6' && isMobile(s[i+2:j]):
		return i + 2, 3, 4
	}
	return 0, 0, 0
}

// MaskName masks a person's name for display and logs (姓名脱敏): the first
// character stays, every other letter becomes '*' — 张三 → 张*,
// 欧阳娜娜 → 欧***, John Smith → J*** *****. Spaces and the middle dot of
// minority names (买买提·艾力 → 买**·**) stay so the shape reads as a name.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	_, size := utf8.DecodeRuneInString(name)
	var b strings.Builder
	b.Grow(len(name))
	b.WriteString(name[:size])
	for _, r := range name[size:] {
		if unicode.IsSpace(r) || r == '·' || r == '•' {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
