package sim

import (
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/counter"
)

// calendar knows which Beijing days are working days (工作日): Monday to
// Friday, except public holidays, plus the weekend days worked in exchange
// (调休上班) that the State Council announces each year.
type calendar struct {
	holidays, workdays map[string]bool
}

func newCalendar(holidays, workdays []string) (calendar, error) {
	c := calendar{holidays: map[string]bool{}, workdays: map[string]bool{}}
	for _, set := range []struct {
		days []string
		into map[string]bool
	}{{holidays, c.holidays}, {workdays, c.workdays}} {
		for _, d := range set.days {
			if _, err := time.Parse(counter.DateLayout, d); err != nil {
				return c, fmt.Errorf("counter workflows: calendar day %q: %w", d, err)
			}
			set.into[d] = true
		}
	}
	return c, nil
}

// working reports whether day (a Beijing date) is a working day.
func (c calendar) working(day time.Time) bool {
	key := day.Format(counter.DateLayout)
	switch {
	case c.workdays[key]:
		return true
	case c.holidays[key]:
		return false
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// promise returns the promised completion date (承诺办结日期) of a case
// accepted at the given time with a limit of days working days: the days-th
// working day after the day of acceptance, which itself does not count. A
// limit of 0 (即办件) promises the day of acceptance.
func (c calendar) promise(accepted time.Time, days int) time.Time {
	t := accepted.In(domain.Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Beijing)
	for n := 0; n < days; {
		d = d.AddDate(0, 0, 1)
		if c.working(d) {
			n++
		}
	}
	return d
}
