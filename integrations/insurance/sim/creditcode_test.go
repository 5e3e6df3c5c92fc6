package sim

import (
	"testing"

	"github.com/dandong-hrss/hrss/domain"
)

func TestCreditCodeRoundTrip(t *testing.T) {
	s := New(Config{Seed: 7})
	for _, j := range []int{0, 1, 2, 999, 30_000, s.units - 1} {
		u := s.unit(j)
		code, legacy, err := domain.ParseCreditCode(u.code)
		if err != nil || legacy {
			t.Fatalf("unit %d: code %s: legacy %v, err %v; want a valid GB 32100 code", j, u.code, legacy, err)
		}
		if got := code.AreaCode(); !isDandong(got) {
			t.Errorf("unit %d: area %s is not in Dandong", j, got)
		}
		back, ok := s.lookupUnit(u.code)
		if !ok || back.j != j {
			t.Fatalf("lookupUnit(code of %d) = %d, %v", j, back.j, ok)
		}
	}
}

func TestForeignCreditCodesNotFound(t *testing.T) {
	s := New(Config{Seed: 7})
	code := s.unit(42).code
	withCheck := func(first17 string) string { return first17 + string(domain.CreditCodeCheckChar(first17)) }
	for _, bad := range []string{
		withCheck("91110000" + code[8:17]),             // same body, Beijing
		withCheck("93" + code[2:17]),                   // same body, another kind
		withCheck(code[:8] + "99999999" + code[16:17]), // another body
		code[:17] + "0",
		"",
	} {
		if bad == code {
			continue
		}
		if _, ok := s.lookupUnit(bad); ok {
			t.Errorf("lookupUnit(%q) found a unit; want none", bad)
		}
	}
}

// TestOrgCheckChar checks the GB 11714 check character against the
// organisation codes inside two well-known enterprises' published credit
// codes (914403001922038216, 91440300708461136T).
func TestOrgCheckChar(t *testing.T) {
	for body, want := range map[string]byte{"19220382": '1', "70846113": '6'} {
		if got := orgCheckChar([]byte(body)); got != want {
			t.Errorf("orgCheckChar(%s) = %c; want %c", body, got, want)
		}
	}
}
