package pdf

import "strings"

// Droid Sans Fallback carries the CJK ideographs, kana, hangul and
// full-width forms but, being a fallback, no Latin letters or ASCII digits.
// Those — amounts, dates, serials, the masked ID number — are set in
// Helvetica, one of the standard fonts every PDF reader has built in, so it
// needs no embedding. Each line is drawn as runs of one font or the other.
const (
	latinFamily = "helvetica"
	cjkFamily   = fontFamily
)

// isLatin reports a character set in Helvetica: printable ASCII and the
// Latin-1 supplement (·, ×, ¥), which the standard font's WinAnsi encoding
// holds in one byte.
func isLatin(r rune) bool {
	return (r >= 0x20 && r <= 0x7E) || (r >= 0xA0 && r <= 0xFF)
}

// run is a stretch of text in one font.
type run struct {
	latin bool
	text  string
}

// runs splits s into stretches of Latin and CJK text.
func runs(s string) []run {
	var out []run
	var b strings.Builder
	cur := false
	for i, r := range s {
		if l := isLatin(r); l != cur || i == 0 {
			if b.Len() > 0 {
				out = append(out, run{cur, b.String()})
				b.Reset()
			}
			cur = l
		}
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String()})
	}
	return out
}

// latin1 is a Latin run as the single bytes the standard font's encoding
// expects (WinAnsi equals Latin-1 for the characters isLatin accepts).
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}
