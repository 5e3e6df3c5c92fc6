package wechat

import (
	"slices"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

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

// bj returns t in Beijing time, so JSON shows it at +08:00; zero stays zero.
func bj(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(domain.Beijing)
}

// minuteCN writes a time as 2026年11月29日 09:30 for chat replies.
func minuteCN(t time.Time) string {
	if t.IsZero() {
		return none
	}
	return domain.FormatDateCN(t) + " " + t.In(domain.Beijing).Format("15:04")
}

// WxPaging tells a page of a list where it is.
type WxPaging struct {
	Page    int  `json:"page"`
	Pages   int  `json:"pages"`
	Total   int  `json:"total"`
	HasNext bool `json:"hasNext"`
}

// paginate returns the items of one page of size and its paging; page is
// clamped to the last page.
func paginate[T any](all []T, page, size int) ([]T, WxPaging) {
	pages := (len(all) + size - 1) / size
	page = max(1, min(page, pages))
	p := WxPaging{Page: page, Pages: pages, Total: len(all), HasNext: page < pages}
	if len(all) == 0 {
		return []T{}, p
	}
	from := (page - 1) * size
	return all[from:min(from+size, len(all))], p
}

// sortByMonthDesc sorts items by month, latest first, equal months keeping
// their order.
func sortByMonthDesc[T any](items []T, month func(T) insured.Month) {
	slices.SortStableFunc(items, func(a, b T) int { return int(month(b) - month(a)) })
}
