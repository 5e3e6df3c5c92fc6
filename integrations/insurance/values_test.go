package insurance

import "testing"

func TestYuanRoundTrip(t *testing.T) {
	tests := []struct {
		fen  int64
		yuan string
	}{
		{0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {100, "1.00"}, {123456, "1234.56"}, {-690000, "-6900.00"},
		{999_999_999_999_99, "999999999999.99"},
	}
	for _, tt := range tests {
		if got := FormatYuan(tt.fen); got != tt.yuan {
			t.Errorf("FormatYuan(%d) = %q; want %q", tt.fen, got, tt.yuan)
		}
		if got, err := ParseYuan(tt.yuan); err != nil || got != tt.fen {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", tt.yuan, got, err, tt.fen)
		}
	}
}

func TestParseYuanIsStrict(t *testing.T) {
	for _, s := range []string{"", "-", "1", "1.2", "1.234", ".12", "1,234.00", "12a.00", "--1.00", "1.0x", "1234567890123456.00"} {
		if v, err := ParseYuan(s); err == nil {
			t.Errorf("ParseYuan(%q) = %d; want an error", s, v)
		}
	}
}

func TestRateRoundTrip(t *testing.T) {
	for bp, s := range map[int]string{0: "0.0000", 50: "0.0050", 190: "0.0190", 1600: "0.1600", 10000: "1.0000"} {
		if got := FormatRate(bp); got != s {
			t.Errorf("FormatRate(%d) = %q; want %q", bp, got, s)
		}
		if got, err := ParseRate(s); err != nil || got != bp {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", s, got, err, bp)
		}
	}
	for _, s := range []string{"", "16%", "0.16", "0.160a", "10.0000"} {
		if _, err := ParseRate(s); err == nil {
			t.Errorf("ParseRate(%q) succeeded; want an error", s)
		}
	}
}
