package domain

import (
	"math"
	"testing"
)

func TestFenYuan(t *testing.T) {
	tests := []struct {
		in   Fen
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{10, "0.10"},
		{100, "1.00"},
		{99999, "999.99"},
		{100000, "1,000.00"},
		{123456, "1,234.56"},
		{123456789, "1,234,567.89"},
		{-5, "-0.05"},
		{-123456, "-1,234.56"},
		{math.MaxInt64, "92,233,720,368,547,758.07"},
		{math.MinInt64, "-92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.Yuan(); got != tt.want {
				t.Errorf("Fen(%d).Yuan(): got %q; want %q", int64(tt.in), got, tt.want)
			}
		})
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want Fen
	}{
		{"0", 0},
		{"0.01", 1},
		{"0.1", 10},
		{"1234.5", 123450},
		{"1,234.56", 123456},
		{" 1,234,567.89 ", 123456789},
		{"4567", 456700},
		{"007.00", 700},
		{"-3", -300},
		{"-1,234.56", -123456},
		{"999999999999999.99", 99999999999999999},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYuan(tt.in)
			if err != nil {
				t.Fatalf("got error %v; want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %d; want %d", got, tt.want)
			}
		})
	}
}

func TestParseYuanRejects(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", msgAmountEmpty},
		{"  ", msgAmountEmpty},
		{"abc", msgAmountFormat},
		{"12a", msgAmountFormat},
		{"-", msgAmountFormat},
		{"+5", msgAmountFormat},
		{".5", msgAmountFormat},
		{"5.", msgAmountFormat},
		{"1.2.3", msgAmountFormat},
		{"1e3", msgAmountFormat},
		{"¥100", msgAmountFormat},
		{"1 000", msgAmountFormat},
		{"12,34.56", msgAmountFormat},
		{"1234,567", msgAmountFormat},
		{",123", msgAmountFormat},
		{"1,234,", msgAmountFormat},
		{"1.234", msgAmountDecimals},
		{"0.001", msgAmountDecimals},
		{"1000000000000000", msgAmountRange},
		{"99999999999999999999", msgAmountRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYuan(tt.in)
			if got != 0 {
				t.Errorf("got %d; want 0", got)
			}
			checkFieldError(t, err, "amount", tt.want)
		})
	}
}

func TestYuanRoundTrip(t *testing.T) {
	for _, f := range []Fen{0, 1, -1, 99, 100, 123456, -987654321, 99999999999999999} {
		got, err := ParseYuan(f.Yuan())
		if err != nil || got != f {
			t.Errorf("ParseYuan(%q): got %d, %v; want %d", f.Yuan(), got, err, f)
		}
	}
}
