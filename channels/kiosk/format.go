package kiosk

import (
	"slices"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// Field is one labelled value of an information panel, ready to show:
// {"label":"账户余额","value":"￥12,345.67"}.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Column is the header of one table column; Key is the JSON name of the
// rows' field it shows, so the kiosk UI draws any table the same way.
type Column struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// YearOption is one choice of the year picker.
type YearOption struct {
	Year  int    `json:"year"`
	Label string `json:"label"` // 2024年
}

// none stands for a value that does not apply, so no cell is blank.
const none = "—"

// money writes fen as yuan the way the bureau's slips do: ￥1,234.56.
func money(f domain.Fen) string { return "￥" + f.Yuan() }

// dateCN writes a date as 2026年11月29日, or none.
func dateCN(t time.Time) string {
	if t.IsZero() {
		return none
	}
	return domain.FormatDateCN(t)
}

// monthCN writes a month as 2024年5月, or none.
func monthCN(m insured.Month) string {
	if !m.Valid() {
		return none
	}
	return strconv.Itoa(m.Year()) + "年" + strconv.Itoa(int(m.Month())) + "月"
}

// months writes a count of months: 245个月（20年5个月）, 8个月.
func months(n int) string {
	s := strconv.Itoa(n) + "个月"
	if n < 12 {
		return s
	}
	y := strconv.Itoa(n/12) + "年"
	if n%12 != 0 {
		y += strconv.Itoa(n%12) + "个月"
	}
	return s + "（" + y + "）"
}

// count writes n with its measure word: 3次, 25人.
func count(n int, unit string) string { return strconv.Itoa(n) + unit }

// orNone returns s, or none when it is empty.
func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// yearLabel writes 2024年.
func yearLabel(y int) string { return strconv.Itoa(y) + "年" }

// yearOptions lists the years from last down to first for the picker.
func yearOptions(first, last int) []YearOption {
	if first == 0 || last < first {
		return []YearOption{}
	}
	out := make([]YearOption, 0, last-first+1)
	for y := last; y >= first; y-- {
		out = append(out, YearOption{Year: y, Label: yearLabel(y)})
	}
	return out
}

// PageSize is how many rows a kiosk screen shows: what fits on a 19-inch
// touch screen in type large enough for older citizens.
const PageSize = 8

// Paging tells the kiosk where it is in a list and what its buttons do.
type Paging struct {
	Page    int    `json:"page"`
	Pages   int    `json:"pages"`
	Total   int    `json:"total"`
	HasPrev bool   `json:"hasPrev"`
	HasNext bool   `json:"hasNext"`
	Label   string `json:"label"` // 第1/3页 共20条
}

// newPaging describes page of total rows; page is clamped to the last page,
// so a list that shrank between two taps still shows something.
func newPaging(page, total, size int) Paging {
	pages := (total + size - 1) / size
	page = max(1, min(page, pages))
	p := Paging{Page: page, Pages: pages, Total: total, HasPrev: page > 1, HasNext: page < pages}
	p.Label = "第" + strconv.Itoa(page) + "/" + strconv.Itoa(max(pages, 1)) + "页 共" + strconv.Itoa(total) + "条"
	return p
}

// paginate returns the rows of one page and its paging.
func paginate[T any](all []T, page int) ([]T, Paging) {
	p := newPaging(page, len(all), PageSize)
	if p.Total == 0 {
		return []T{}, p
	}
	from := (p.Page - 1) * PageSize
	return all[from:min(from+PageSize, len(all))], p
}

// newestFirst returns a copy of items sorted by month, latest first, equal
// months keeping their order.
func newestFirst[T any](items []T, month func(T) insured.Month) []T {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b T) int { return int(month(b) - month(a)) })
	return out
}
