package insured

import (
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

func TestMonth(t *testing.T) {
	m := NewMonth(2024, time.May)
	if m != 202405 || m.Year() != 2024 || m.Month() != time.May || m.String() != "2024-05" {
		t.Errorf("NewMonth(2024, May) = %d %q", m, m.String())
	}
	tests := []struct {
		from Month
		n    int
		want Month
	}{
		{202405, 1, 202406}, {202412, 1, 202501}, {202401, -1, 202312}, {202405, -29, 202112}, {202405, 0, 202405},
	}
	for _, tt := range tests {
		if got := tt.from.AddMonths(tt.n); got != tt.want {
			t.Errorf("%d.AddMonths(%d) = %d; want %d", tt.from, tt.n, got, tt.want)
		}
	}
	for _, bad := range []Month{0, 202400, 202413, -202401} {
		if bad.Valid() || bad.String() != "" {
			t.Errorf("Month(%d) is valid; want invalid", bad)
		}
	}
	// 2024-05-31 20:00 UTC is already June in Beijing.
	if got := MonthOf(time.Date(2024, 5, 31, 20, 0, 0, 0, time.UTC)); got != 202406 {
		t.Errorf("MonthOf(2024-05-31T20:00Z) = %d; want 202406", got)
	}
	if got := m.Start(); !got.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, domain.Beijing)) {
		t.Errorf("Start() = %v", got)
	}
}

func TestRate(t *testing.T) {
	for r, s := range map[Rate]string{1600: "16%", 50: "0.5%", 75: "0.75%", 190: "1.9%", 0: "0%"} {
		if got := r.String(); got != s {
			t.Errorf("Rate(%d).String() = %q; want %q", int(r), got, s)
		}
	}
	// 4141.00 yuan at 0.5% is 20.705, rounded half up to 20.71.
	if got := Rate(50).Of(414100); got != 2071 {
		t.Errorf("0.5%% of 4141.00 = %d fen; want 2071", got)
	}
}
