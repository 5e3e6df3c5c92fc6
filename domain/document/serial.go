package document

import (
	"io"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// A serial (文书编号) is SerialPrefix, the Beijing date of issue (YYYYMMDD)
// and eight characters of Crockford base32 drawn from crypto/rand:
// DDRS20261129K7QX3M9A. The random part carries 40 bits, so a serial cannot
// be guessed from another or enumerated: the verify page is public, and
// only someone holding the paper (or its QR code) should reach its record.
// Crockford's alphabet has no I, L, O or U, so a serial read aloud or typed
// from paper is not mistaken; ParseSerial forgives those look-alikes.
const (
	SerialPrefix = "DDRS" // 丹东人社
	serialRandom = 8
	serialLen    = len(SerialPrefix) + 8 + serialRandom
	crockford    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// newSerial draws a serial for a document issued at t.
func newSerial(random io.Reader, t time.Time) (string, error) {
	var b [serialRandom]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", domain.Wrap(err, domain.Internal, "暂时无法生成文书编号，请稍后再试")
	}
	var s strings.Builder
	s.Grow(serialLen)
	s.WriteString(SerialPrefix)
	s.WriteString(t.In(domain.Beijing).Format("20060102"))
	for _, c := range b {
		s.WriteByte(crockford[c&31]) // 8 bytes × 5 bits: 40 bits of randomness
	}
	return s.String(), nil
}

// ParseSerial reads a serial as typed or scanned: spaces and hyphens are
// dropped, letters upper-cased, and in the random part O reads as 0 and I
// or L as 1. It reports false when the result cannot be a serial, so a
// look-up need not reach the store.
func ParseSerial(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(strings.TrimSpace(s)))
	if len(s) != serialLen || !strings.HasPrefix(s, SerialPrefix) {
		return "", false
	}
	date := s[len(SerialPrefix) : len(SerialPrefix)+8]
	if _, err := time.Parse("20060102", date); err != nil {
		return "", false
	}
	random := []byte(s[len(SerialPrefix)+8:])
	for i, c := range random {
		switch c {
		case 'O':
			random[i] = '0'
		case 'I', 'L':
			random[i] = '1'
		}
		if !strings.ContainsRune(crockford, rune(random[i])) {
			return "", false
		}
	}
	return s[:len(SerialPrefix)+8] + string(random), true
}
