package notify

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// window is the span the per-person limit counts over.
const window = time.Hour

// QuietHours holds notices back at night (免打扰时段), in Beijing time: From
// 22, To 8 keeps them from 22:00 until 08:00. Equal hours, as in the zero
// value, mean no quiet hours.
type QuietHours struct{ From, To int }

// valid reports whether both hours are on the clock.
func (q QuietHours) valid() bool { return q.From >= 0 && q.From < 24 && q.To >= 0 && q.To < 24 }

// end returns t, or the end of the quiet period t falls in.
func (q QuietHours) end(t time.Time) time.Time {
	if q.From == q.To {
		return t
	}
	b := t.In(domain.Beijing)
	h := b.Hour()
	quiet := (q.From < q.To && h >= q.From && h < q.To) || (q.From > q.To && (h >= q.From || h < q.To))
	if !quiet {
		return t
	}
	wake := time.Date(b.Year(), b.Month(), b.Day(), q.To, 0, 0, 0, domain.Beijing)
	if !wake.After(b) {
		wake = wake.AddDate(0, 0, 1)
	}
	return wake.In(t.Location())
}

// nextSlot returns when a notice enqueued at now may go out, given the
// slots of the person's notices since now-window (oldest first), so that
// no window holds more than perHour of them and none falls in quiet hours.
// A person's notices keep their order: a new one never takes a slot before
// an earlier one's.
func nextSlot(now time.Time, recent []time.Time, perHour int, quiet QuietHours) time.Time {
	t := now
	if n := len(recent); n > 0 && recent[n-1].After(t) {
		t = recent[n-1]
	}
	for range 4 { // each step only moves t later; two rounds settle it
		u := rateSlot(quiet.end(t), recent, perHour)
		if u.Equal(t) {
			break
		}
		t = u
	}
	return t
}

// rateSlot returns t if fewer than perHour of recent fall in (t-window, t],
// and otherwise the earliest time that window would hold perHour-1 of them.
// Every slot in recent is at or before t.
func rateSlot(t time.Time, recent []time.Time, perHour int) time.Time {
	inWindow := 0
	for _, s := range recent {
		if s.After(t.Add(-window)) {
			inWindow++
		}
	}
	if inWindow < perHour {
		return t
	}
	return recent[len(recent)-perHour].Add(window)
}
