package app

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// The wire conventions of the app: money in fen (分) as integers, days as
// 2006-01-02, months as 2006-01, instants in RFC 3339 at +08:00, personal
// numbers masked.

// dateLayout is how days are written.
const dateLayout = "2006-01-02"

// day writes t's Beijing date; "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format(dateLayout)
}

// instant is t in Beijing, so JSON writes +08:00; nil for the zero time.
func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	b := t.In(domain.Beijing)
	return &b
}

// Ack is the body of an answer that only says it worked.
type Ack struct {
	OK bool `json:"ok" doc:"操作成功"`
}

type ackOutput struct {
	Body Ack
}

func acked() *ackOutput { return &ackOutput{Body: Ack{OK: true}} }

// YearQuery pages a history by calendar year.
type YearQuery struct {
	Year int `query:"year" minimum:"1900" maximum:"2100" doc:"年度，默认今年"`
}

// year returns the year asked for, or this year.
func (c *Channel) year(q YearQuery) int {
	if q.Year == 0 {
		return c.now().Year()
	}
	return q.Year
}
