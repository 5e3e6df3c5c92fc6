package domain

import (
	"fmt"
	"strings"
	"time"
)

// Beijing is China Standard Time, UTC+8 all year (no daylight saving). It is
// a fixed zone rather than time.LoadLocation("Asia/Shanghai") so it works in
// a container without tzdata. Business dates (birth dates, contribution
// months, deadlines) are Beijing dates.
var Beijing = time.FixedZone("CST", 8*60*60)

// FormatDateCN formats t as a Chinese date in Beijing time, the way slips
// and notices print it: 2026年11月29日, 2026年1月5日 (no leading zeros). The
// zero time gives "".
func FormatDateCN(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Beijing)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// ParseDate reads a date "2006-01-02" from the request field named field and
// returns midnight of that day in Beijing. A fault is an Invalid *Error whose
// FieldError names field, telling apart a wrong format from a day that does
// not exist (2026-02-30).
func ParseDate(s, field string) (time.Time, error) {
	s = strings.TrimSpace(s)
	msg := ""
	switch {
	case s == "":
		msg = "请填写日期"
	case !dateShaped(s):
		msg = "日期格式不正确，请按“年-月-日”填写，例如2026-11-29"
	}
	if msg == "" {
		if t, ok := parseYMD(s[0:4] + s[5:7] + s[8:10]); ok {
			return t, nil
		}
		msg = "日期不存在，请核对年、月、日"
	}
	return time.Time{}, InvalidFields(FieldError{Field: field, Message: msg})
}

// dateShaped reports whether s is dddd-dd-dd.
func dateShaped(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' &&
		allDigits(s[0:4]) && allDigits(s[5:7]) && allDigits(s[8:10])
}
