package insured

import (
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Month is a calendar month written yyyymm (202405), the unit in which
// contributions are assessed and benefits paid (费款所属期). It is an integer so
// that it compares, sorts and keys maps cheaply; the zero Month means "none",
// e.g. a coverage that has not ended.
type Month int

// MonthOf returns the month of t in Beijing time.
func MonthOf(t time.Time) Month {
	t = t.In(domain.Beijing)
	return NewMonth(t.Year(), t.Month())
}

// NewMonth returns the month m of year y; m outside 1..12 rolls over into
// the neighbouring years, as time.Date does.
func NewMonth(y int, m time.Month) Month {
	n := y*12 + int(m) - 1
	return Month(n/12*100 + n%12 + 1)
}

// Year returns the calendar year.
func (m Month) Year() int { return int(m) / 100 }

// Month returns the month of the year.
func (m Month) Month() time.Month { return time.Month(int(m) % 100) }

// Valid reports whether m is a real month (not the zero Month).
func (m Month) Valid() bool {
	mm := int(m) % 100
	return m > 0 && 1 <= mm && mm <= 12
}

// AddMonths returns the month n months later (earlier for negative n).
func (m Month) AddMonths(n int) Month { return NewMonth(m.Year(), m.Month()+time.Month(n)) }

// Start returns midnight on the first day of the month in Beijing.
func (m Month) Start() time.Time {
	return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, domain.Beijing)
}

// String writes the month as 2024-05, the form the channels show; the zero
// Month is "".
func (m Month) String() string {
	if !m.Valid() {
		return ""
	}
	s := strconv.Itoa(m.Year()) + "-"
	if m.Month() < 10 {
		s += "0"
	}
	return s + strconv.Itoa(int(m.Month()))
}
