package progress

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Calendar says which days are working days (工作日), for counting promised
// dates the way the bureau does: the core counts its time limits (承诺时限)
// in working days, skipping weekends and public holidays and counting the
// make-up Saturdays (调休).
type Calendar interface {
	// Workday reports whether the Beijing date of day is a working day.
	Workday(day time.Time) bool
}

// Weekdays is the calendar without a holiday table: Monday to Friday.
type Weekdays struct{}

// Workday implements Calendar.
func (Weekdays) Workday(day time.Time) bool {
	wd := day.In(domain.Beijing).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// maxCount bounds the days workdaysBetween walks: a case a year overdue is
// shown as a year overdue.
const maxCount = 366

// workdaysBetween counts the working days d with from < d <= to, both
// taken as Beijing dates.
func workdaysBetween(cal Calendar, from, to time.Time) int {
	d := midnight(from)
	end := midnight(to)
	n := 0
	for i := 0; i < maxCount && d.Before(end); i++ {
		d = d.AddDate(0, 0, 1)
		if cal.Workday(d) {
			n++
		}
	}
	return n
}

// midnight returns the start of t's day in Beijing.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(domain.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, domain.Beijing)
}
