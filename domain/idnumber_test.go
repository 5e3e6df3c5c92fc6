package domain

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Known-good numbers. The check digits of the Dandong ones were computed by
// hand with the GB 11643 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
//
//	21060219900101123: 14+9+0+30+0+8+2+9+54+0+0+9+0+5+8+8+6 = 162; 162 mod 11 = 8 → '4'
//	21060219800101123: as above with 8 instead of 9 at weight 6: 156; 156 mod 11 = 2 → 'X'
const (
	gbSample   = "11010519491231002X" // the sample printed in GB 11643-1999
	dandongMan = "210602199001011234" // 元宝区, born 1990-01-01, 17th digit 3
	dandongX   = "21060219800101123X" // 元宝区, born 1980-01-01, check X
)

// withID completes 17 digits with their check digit, for numbers that must
// pass every check but the one under test.
func withID(first17 string) string { return first17 + string(IDCheckDigit(first17)) }

func TestParseIDNumberAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want IDNumber
	}{
		{gbSample, gbSample},
		{"11010519491231002x", gbSample},
		{"  " + dandongMan + "\t", dandongMan},
		{dandongX, dandongX},
		{"21060219800101123x", dandongX},
		{withID("81000019991231001"), IDNumber(withID("81000019991231001"))}, // Hong Kong residence permit
		{withID("21060219000101001"), IDNumber(withID("21060219000101001"))}, // 1900-01-01, the earliest allowed
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseIDNumber(tt.in)
			if err != nil {
				t.Fatalf("got error %v; want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %q; want %q", got.Raw(), tt.want.Raw())
			}
		})
	}
}

func TestParseIDNumberRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "  ", msgIDEmpty},
		{"17 digits", "21060219900101123", msgIDLength},
		{"19 digits", "2106021990010112345", msgIDLength},
		{"old 15-digit number", "210602900101123", msgIDLength},
		{"full-width digit", "21060219900101123４", msgIDLength},
		{"letter inside", "2106021990O101123X", msgIDChars},
		{"letter at the end", "21060219900101123A", msgIDChars},
		{"X not at the end", "X10602199001011234", msgIDChars},
		{"province 00", withID("00060219900101123"), msgIDArea},
		{"province 10", withID("10060219900101123"), msgIDArea},
		{"province 99", withID("99060219900101123"), msgIDArea},
		{"February 30", withID("21060219900230123"), msgIDBirth},
		{"month 13", withID("21060219901301123"), msgIDBirth},
		{"day 00", withID("21060219900100123"), msgIDBirth},
		{"29 February in a common year", withID("21060219000229123"), msgIDBirth},
		{"born 2099", withID("21060220990101123"), msgIDFuture},
		{"born 1899", withID("21060218991231123"), msgIDTooOld},
		{"wrong check digit", "210602199001011235", msgIDCheckSum},
		{"X where 4 belongs", "21060219900101123X", msgIDCheckSum},
		{"two digits swapped", "210602199010011234", msgIDCheckSum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIDNumber(tt.in)
			if got != "" {
				t.Errorf("got %q; want empty", got.Raw())
			}
			checkFieldError(t, err, "idNumber", tt.want)
			if digits := strings.TrimSpace(tt.in); digits != "" && strings.Contains(err.Error(), digits) {
				t.Errorf("error %q repeats the number", err)
			}
		})
	}
}

func TestParseIDNumberBirthToday(t *testing.T) {
	old := now
	t.Cleanup(func() { now = old })
	now = func() time.Time { return time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC) } // 29 Nov 01:00 in Beijing

	if _, err := ParseIDNumber(withID("21060220261129123")); err != nil {
		t.Errorf("born today in Beijing: got error %v; want nil", err)
	}
	_, err := ParseIDNumber(withID("21060220261130123"))
	checkFieldError(t, err, "idNumber", msgIDFuture)
}

func TestIDCheckDigit(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"11010519491231002", 'X'},
		{"21060219900101123", '4'},
		{"21060219800101123", 'X'},
		{"00000000000000000", '1'}, // sum 0 → first of "10X98765432"
		{"2106021990010112", 0},    // too short
		{"2106021990010112A", 0},   // not a digit
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := IDCheckDigit(tt.in); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestIDNumberFacts(t *testing.T) {
	tests := []struct {
		id     IDNumber
		birth  string
		male   bool
		area   string
		masked string
	}{
		{gbSample, "1949-12-31", false, "110105", "1101**********002X"},
		{dandongMan, "1990-01-01", true, "210602", "2106**********1234"},
		{dandongX, "1980-01-01", true, "210602", "2106**********123X"},
	}
	for _, tt := range tests {
		t.Run(tt.masked, func(t *testing.T) {
			b := tt.id.BirthDate()
			if got := b.Format("2006-01-02"); got != tt.birth || b.Location() != Beijing {
				t.Errorf("BirthDate: got %v; want %s in Beijing", b, tt.birth)
			}
			if got := tt.id.Male(); got != tt.male {
				t.Errorf("Male: got %v; want %v", got, tt.male)
			}
			if got := tt.id.AreaCode(); got != tt.area {
				t.Errorf("AreaCode: got %q; want %q", got, tt.area)
			}
			if got := tt.id.Masked(); got != tt.masked {
				t.Errorf("Masked: got %q; want %q", got, tt.masked)
			}
		})
	}
}

func TestIDNumberZeroValue(t *testing.T) {
	var n IDNumber
	if !n.BirthDate().IsZero() || n.Male() || n.AreaCode() != "" || n.Masked() != "" {
		t.Errorf("zero IDNumber: got birth %v, male %v, area %q, masked %q; want zero values",
			n.BirthDate(), n.Male(), n.AreaCode(), n.Masked())
	}
}

func TestIDNumberNeverPrintsRaw(t *testing.T) {
	id := IDNumber(dandongX)
	const masked = "2106**********123X"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("kiosk login", "id", id)
	printed := map[string]string{
		"Sprint":   fmt.Sprint(id),
		"%s":       fmt.Sprintf("%s", id),
		"%v":       fmt.Sprintf("%v", id),
		"%#v":      fmt.Sprintf("%#v", id),
		"%+v":      fmt.Sprintf("%+v", struct{ ID IDNumber }{id}),
		"Errorf":   fmt.Errorf("lookup %v: %w", id, errors.New("boom")).Error(),
		"slog":     buf.String(),
		"String()": id.String(),
	}
	for how, out := range printed {
		if strings.Contains(out, dandongX) || !strings.Contains(out, masked) {
			t.Errorf("%s: got %q; want %s and never the raw number", how, out, masked)
		}
	}
	if got := id.Raw(); got != dandongX {
		t.Errorf("Raw: got %q; want %q", got, dandongX)
	}
}

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{gbSample, dandongMan, dandongX, "21060219800101123x", "", "x",
		"210602199001011235", " 11010519491231002X ", "２10602199001011234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseIDNumber(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "idNumber" {
				t.Fatalf("ParseIDNumber(%q): got error %#v; want one Invalid idNumber field", s, err)
			}
			return
		}
		m := n.Masked()
		if len(m) != 18 || m == n.Raw() || n.String() != m {
			t.Fatalf("ParseIDNumber(%q): got masked %q, String %q; want 18 chars, not the raw number", s, m, n.String())
		}
		if again, err := ParseIDNumber(n.Raw()); err != nil || again != n {
			t.Fatalf("reparse %q: got %q, %v; want the same number", n.Raw(), again.Raw(), err)
		}
		if n.BirthDate().IsZero() || IDCheckDigit(n.Raw()[:17]) != n.Raw()[17] {
			t.Fatalf("ParseIDNumber(%q) accepted a number without a birth date or check digit", s)
		}
	})
}

// checkFieldError fails unless err is an Invalid *Error with exactly one
// FieldError on field whose message is msg. The other tests of the package
// use it too.
func checkFieldError(tb testing.TB, err error, field, msg string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("got error %v (%T); want *domain.Error", err, err)
	}
	if e.Code != Invalid {
		tb.Errorf("got code %q; want %q", e.Code, Invalid)
	}
	if len(e.Fields) != 1 {
		tb.Fatalf("got %d field errors %v; want 1", len(e.Fields), e.Fields)
	}
	if got := e.Fields[0]; got.Field != field || got.Message != msg {
		tb.Errorf("got field error {%q %q}; want {%q %q}", got.Field, got.Message, field, msg)
	}
}
