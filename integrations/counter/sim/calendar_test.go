package sim

import (
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

func TestPromiseCountsWorkingDays(t *testing.T) {
	w, err := parseWorkflows(defaultWorkflows)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name     string
		accepted string
		days     int
		want     string
	}{
		{"same week", "2026-11-24 10:00", 2, "2026-11-26"},             // Tue → Thu
		{"over a weekend", "2026-11-27 16:30", 1, "2026-11-30"},        // Fri → Mon
		{"accepted on a Sunday", "2026-11-29 09:00", 5, "2026-12-04"},  // Sun → Mon..Fri
		{"即办 same day", "2026-11-29 09:00", 0, "2026-11-29"},           // no working day needed
		{"over National Day", "2026-09-30 11:00", 3, "2026-10-10"},     // 10-1..7 off; 10-8 Thu, 10-9 Fri, 10-10 Sat worked
		{"make-up Sunday counts", "2026-09-18 11:00", 1, "2026-09-20"}, // Fri → Sun 9-20 is 调休上班
		{"over Spring Festival", "2026-02-13 11:00", 2, "2026-02-24"},  // 2-14 Sat worked, 15..23 off, 24 Tue
		{"late evening is still that day", "2026-11-24 23:59", 1, "2026-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := w.calendar.promise(at(tt.accepted), tt.days).Format("2006-01-02")
			if got != tt.want {
				t.Errorf("promise(%s, %d) = %s; want %s", tt.accepted, tt.days, got, tt.want)
			}
		})
	}
}

func TestBadWorkflowsAreRefused(t *testing.T) {
	tests := []struct{ name, json string }{
		{"not JSON", `{`},
		{"unknown step", `{"roles":{"a":"A"},"generic":{"step":{"code":"d","role":"a"}},"matters":[{"code":"m","flow":["nope"]}]}`},
		{"unknown prerequisite", `{"roles":{"a":"A"},"steps":{"s":{"role":"a"}},"generic":{"step":{"code":"d","role":"a"}},"matters":[{"code":"m","flow":["s"],"prerequisites":["x"]}]}`},
		{"staff of unknown role", `{"roles":{"a":"A"},"staff":[{"id":"S","token":"t","role":"b"}],"generic":{"step":{"code":"d","role":"a"}}}`},
		{"bad holiday", `{"roles":{"a":"A"},"generic":{"step":{"code":"d","role":"a"}},"calendar":{"holidays":["2026-13-01"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseWorkflows([]byte(tt.json)); err == nil {
				t.Errorf("parseWorkflows accepted %s", tt.json)
			}
		})
	}
}
