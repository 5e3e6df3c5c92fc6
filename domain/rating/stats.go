package rating

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Dimension is what statistics are grouped by (好差评统计维度).
type Dimension string

// The dimensions of requirements 2.5(二): by matter, channel, office, staff
// member and day.
const (
	ByMatter  Dimension = "matter"
	ByChannel Dimension = "channel"
	ByOffice  Dimension = "office"
	ByStaff   Dimension = "staff"
	ByDay     Dimension = "day"
)

// Dimensions lists every dimension.
var Dimensions = []Dimension{ByMatter, ByChannel, ByOffice, ByStaff, ByDay}

// StatsQuery asks for statistics of the ratings given on the Beijing dates
// From to To, both included, grouped By one dimension.
type StatsQuery struct {
	By       Dimension
	From, To time.Time
	Stage    Stage // only this stage; "" for both
}

// check returns an Invalid error naming each wrong field of q.
func (q StatsQuery) check() error {
	var bad []domain.FieldError
	known := false
	for _, d := range Dimensions {
		known = known || q.By == d
	}
	if !known {
		bad = append(bad, domain.FieldError{Field: "by", Message: "请选择统计维度：事项、渠道、科室、人员或日期"})
	}
	if q.From.IsZero() || q.To.IsZero() || Day(q.To) < Day(q.From) {
		bad = append(bad, domain.FieldError{Field: "from", Message: "请选择统计的起止日期，结束日期不能早于开始日期"})
	}
	if q.Stage != "" && q.Stage.Label() == "" {
		bad = append(bad, domain.FieldError{Field: "stage", Message: "评价环节不正确"})
	}
	if len(bad) > 0 {
		return domain.InvalidFields(bad...)
	}
	return nil
}

// Stat is the figures of one group: how many ratings at each level, not
// counting those an appeal found unfounded, which are counted apart.
type Stat struct {
	Key       string // matter code, channel, office, staff display name or "2006-01-02"
	Label     string // what to show: matter name, channel label; Key otherwise
	Levels    [5]int // Levels[0] is 非常满意 … Levels[4] 非常不满意
	Unfounded int    // excluded after review (差评不实)
}

// Count returns the number of ratings at level l.
func (s Stat) Count(l Level) int {
	if !l.Valid() {
		return 0
	}
	return s.Levels[l-1]
}

// Total is the number of ratings counted.
func (s Stat) Total() int {
	n := 0
	for _, c := range s.Levels {
		n += c
	}
	return n
}

// Satisfied is the number of ratings at the top three levels.
func (s Stat) Satisfied() int { return s.Levels[0] + s.Levels[1] + s.Levels[2] }

// Bad is the number of bad ratings (差评), the bottom two levels.
func (s Stat) Bad() int { return s.Levels[3] + s.Levels[4] }

// SatisfactionRate is Satisfied over Total (满意率), 0 when there is none.
func (s Stat) SatisfactionRate() float64 { return ratio(s.Satisfied(), s.Total()) }

// BadRate is Bad over Total (差评率), 0 when there is none.
func (s Stat) BadRate() float64 { return ratio(s.Bad(), s.Total()) }

func ratio(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}
