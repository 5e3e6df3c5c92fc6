package domain

import (
	"testing"
	"time"
)

func TestBeijingIsUTCPlus8(t *testing.T) {
	name, offset := time.Date(2026, 7, 1, 0, 0, 0, 0, Beijing).Zone()
	if name != "CST" || offset != 8*3600 {
		t.Errorf("got zone %s%+d; want CST+28800", name, offset)
	}
	if got := time.Date(2026, 11, 29, 9, 30, 0, 0, Beijing).Format(time.RFC3339); got != "2026-11-29T09:30:00+08:00" {
		t.Errorf("RFC 3339: got %s; want 2026-11-29T09:30:00+08:00", got)
	}
}

func TestFormatDateCN(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"Beijing noon", time.Date(2026, 11, 29, 12, 0, 0, 0, Beijing), "2026年11月29日"},
		{"UTC evening is next day in Beijing", time.Date(2026, 11, 28, 16, 30, 0, 0, time.UTC), "2026年11月29日"},
		{"no leading zeros", time.Date(2026, 1, 5, 0, 0, 0, 0, Beijing), "2026年1月5日"},
		{"new year's eve in UTC", time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), "2026年1月1日"},
		{"zero time", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDateCN(tt.in); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-29", time.Date(2026, 11, 29, 0, 0, 0, 0, Beijing)},
		{" 2024-02-29 ", time.Date(2024, 2, 29, 0, 0, 0, 0, Beijing)},
		{"1949-10-01", time.Date(1949, 10, 1, 0, 0, 0, 0, Beijing)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, "startDate")
			if err != nil {
				t.Fatalf("got error %v; want nil", err)
			}
			if !got.Equal(tt.want) || got.Location() != Beijing {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	const (
		empty     = "请填写日期"
		format    = "日期格式不正确，请按“年-月-日”填写，例如2026-11-29"
		noSuchDay = "日期不存在，请核对年、月、日"
	)
	tests := []struct {
		in, field, want string
	}{
		{"", "birthDate", empty},
		{"2026/11/29", "birthDate", format},
		{"2026-1-5", "startDate", format},
		{"20261129", "startDate", format},
		{"2026-11-29T00:00:00+08:00", "startDate", format},
		{"２026-11-29", "startDate", format},
		{"2025-02-29", "endDate", noSuchDay},
		{"2026-13-01", "endDate", noSuchDay},
		{"2026-04-31", "endDate", noSuchDay},
		{"2026-00-10", "endDate", noSuchDay},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.field)
			if !got.IsZero() {
				t.Errorf("got %v; want the zero time", got)
			}
			checkFieldError(t, err, tt.field, tt.want)
		})
	}
}
