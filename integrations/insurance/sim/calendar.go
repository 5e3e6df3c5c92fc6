package sim

import "strconv"

// month counts months from January of year 0 (y·12 + m − 1), so that month
// arithmetic is integer arithmetic.
type month int

func monthOf(y, m int) month { return month(y*12 + m - 1) }

func (m month) year() int { return int(m) / 12 }
func (m month) num() int  { return int(m)%12 + 1 }

// yyyymm is the month as the core writes it.
func (m month) yyyymm() string { return strconv.Itoa(m.year()*100 + m.num()) }

// date is a calendar day.
type date struct{ y, m, d int }

func (d date) month() month { return monthOf(d.y, d.m) }

// yyyymmdd is the date as the core writes it; the zero date is "".
func (d date) yyyymmdd() string {
	if d.y == 0 {
		return ""
	}
	return strconv.Itoa(d.y*10000 + d.m*100 + d.d)
}

// day returns day d (1–28, so it exists in every month) of month m.
func (m month) day(d int) date { return date{m.year(), m.num(), d} }

// addDays returns the date n days later.
func (d date) addDays(n int) date { return civil(dayNumber(d.y, d.m, d.d) + n) }

// dayNumber counts days from 1970-01-01 (Howard Hinnant's days_from_civil,
// for years after 0).
func dayNumber(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil is the inverse of dayNumber.
func civil(z int) date {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return date{y, m, d}
}
