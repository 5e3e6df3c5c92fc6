package domain

import (
	"fmt"
	"testing"
)

// Real published codes: the example of GB 32100-2015, 华为技术有限公司 and
// 深圳市腾讯计算机系统有限公司. They pass only with the GB 32100 weights
// (3^i mod 31), which is how this test guards the weight table.
const (
	gb32100Sample = "91350100M000100Y43"
	huaweiCode    = "914403001922038216"
	tencentCode   = "9144030071526726XG"
)

// dandongCode is a synthetic Dandong unit code, check character by hand:
// values 9 1 2 1 0 6 0 0 M21 A10 0 Q24 C12 0 X29 X29 X29, weighted sum 3303,
// 3303 mod 31 = 17, 31-17 = 14 → 'E'.
const dandongCode = "91210600MA0QC0XXXE"

func TestParseCreditCode(t *testing.T) {
	tests := []struct {
		name, in   string
		want       CreditCode
		wantLegacy bool
	}{
		{"GB 32100 sample", gb32100Sample, gb32100Sample, false},
		{"Huawei", huaweiCode, huaweiCode, false},
		{"Tencent, letter check", tencentCode, tencentCode, false},
		{"lower case and spaces", " 91350100m000100y43 ", gb32100Sample, false},
		{"Dandong synthetic", dandongCode, dandongCode, false},
		{"legacy: wrong check", "91350100M000100Y44", "91350100M000100Y44", true},
		{"legacy: check is a letter", "914403001922038210", "914403001922038210", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, legacy, err := ParseCreditCode(tt.in)
			if err != nil {
				t.Fatalf("got error %v; want nil", err)
			}
			if got != tt.want || legacy != tt.wantLegacy {
				t.Errorf("got %q legacy %v; want %q legacy %v", got, legacy, tt.want, tt.wantLegacy)
			}
		})
	}
}

func TestParseCreditCodeRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", msgCreditEmpty},
		{"17 characters", "91350100M000100Y4", msgCreditLength},
		{"old 9-character organization code", "M000100Y4", msgCreditLength},
		{"letter I", "91350100I000100Y43", msgCreditChars},
		{"letter O", "91350100O000100Y43", msgCreditChars},
		{"letter Z", "91350100Z000100Y43", msgCreditChars},
		{"letter S", "91350100S000100Y43", msgCreditChars},
		{"letter V", "91350100V000100Y43", msgCreditChars},
		{"dash", "91350100-00100Y43X", msgCreditChars},
		{"full-width letter", "91350100Ｍ000100Y4", msgCreditLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, legacy, err := ParseCreditCode(tt.in)
			if got != "" || legacy {
				t.Errorf("got %q legacy %v; want empty", got, legacy)
			}
			checkFieldError(t, err, "creditCode", tt.want)
		})
	}
}

func TestCreditCodeCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{gb32100Sample[:17], '3'},
		{huaweiCode[:17], '6'},
		{tencentCode[:17], 'G'},
		{dandongCode[:17], 'E'},
		{"00000000000000000", '0'}, // sum 0: (31-0)%31 = 0
		{"10000000000000000", 'Y'}, // sum 1: 31-1 = 30, the last character
		{"9135010OM000100Y4", 0},   // O is outside the set
		{"91350100M000100Y", 0},    // too short
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := CreditCodeCheckChar(tt.in); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestCreditCodeStringAndArea(t *testing.T) {
	c := CreditCode(gb32100Sample)
	if got := fmt.Sprint(c); got != gb32100Sample {
		t.Errorf("String: got %q; want %q", got, gb32100Sample)
	}
	if got := c.AreaCode(); got != "350100" {
		t.Errorf("AreaCode: got %q; want %q", got, "350100")
	}
}
