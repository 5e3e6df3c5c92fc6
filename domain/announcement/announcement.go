// Package announcement keeps the bureau's announcements (公告) that the
// kiosks, the app and the WeChat account show (seed 2.1(三)6 公告查询): social
// insurance policies, laws and regulations, procedures, and policies for
// special groups. Citizens list them by category a touch screen's page at a
// time and search them by a Chinese keyword; administrators create, edit
// and unpublish them.
//
// A release ships a seed file (seed.json) loaded into the store on first
// start, the way the matter catalog is: items the store lacks are added,
// items it has — edited or unpublished by an administrator — are left
// alone. Every write moves the store's revision on, so a list answer can
// carry a validator (ETag) that changes exactly when some announcement did;
// each announcement's own Version does the same for it.
package announcement

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Category is the kind of announcement, as the kiosk's tabs show them.
type Category string

// The categories of seed 2.1(三)6.
const (
	Policy        Category = "policy"         // 社保政策
	Law           Category = "law"            // 法律法规
	Procedure     Category = "procedure"      // 经办业务
	SpecialGroups Category = "special_groups" // 特殊人群政策
)

// Categories lists every category in the order the tabs show them.
var Categories = []Category{Policy, Law, Procedure, SpecialGroups}

var categoryLabels = map[Category]string{
	Policy: "社保政策", Law: "法律法规", Procedure: "经办业务", SpecialGroups: "特殊人群政策",
}

// Label is the category's Chinese name; "" for an unknown category.
func (c Category) Label() string { return categoryLabels[c] }

// Known reports whether c is one of the categories.
func (c Category) Known() bool { _, ok := categoryLabels[c]; return ok }

// Announcement is one announcement.
type Announcement struct {
	ID       string // stable: a seed item's id from seed.json, or one Create draws
	Category Category
	Title    string
	// Body is plain text; each line is a paragraph. Channels render it
	// themselves, so no markup from an editor reaches a screen.
	Body        string
	Source      string    // who issued it: 丹东市人力资源和社会保障局, 国务院 …
	PublishedAt time.Time // the date shown, and the list's order
	// EffectiveFrom and EffectiveUntil bound when a policy or regulation
	// applies (施行日期, 废止日期); zero means unbounded on that side.
	EffectiveFrom  time.Time
	EffectiveUntil time.Time
	Pinned         bool // shown first in its category (置顶)
	Published      bool // false once unpublished (撤下): hidden from citizens
	Version        int64
	UpdatedAt      time.Time
}

// Paragraphs returns the body's non-empty lines, trimmed.
func (a Announcement) Paragraphs() []string {
	var out []string
	for _, line := range strings.Split(a.Body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Summary is the start of the first paragraph, at most n characters, with
// an ellipsis when cut: the line under a title in a list.
func (a Announcement) Summary(n int) string {
	p := a.Paragraphs()
	if len(p) == 0 {
		return ""
	}
	if utf8.RuneCountInString(p[0]) <= n {
		return p[0]
	}
	return string([]rune(p[0])[:n]) + "…"
}

// Effect says whether a policy applies at a time.
type Effect string

// The effects; None for an announcement without effective dates (a guide).
const (
	None      Effect = ""
	Pending   Effect = "pending"   // 尚未施行
	Effective Effect = "effective" // 现行有效
	Expired   Effect = "expired"   // 已失效
)

var effectLabels = map[Effect]string{Pending: "尚未施行", Effective: "现行有效", Expired: "已失效"}

// Label is the effect's Chinese name; "" for None.
func (e Effect) Label() string { return effectLabels[e] }

// EffectAt says whether the announcement applies at t.
func (a Announcement) EffectAt(t time.Time) Effect {
	switch {
	case a.EffectiveFrom.IsZero() && a.EffectiveUntil.IsZero():
		return None
	case !a.EffectiveFrom.IsZero() && t.Before(a.EffectiveFrom):
		return Pending
	case !a.EffectiveUntil.IsZero() && !t.Before(a.EffectiveUntil):
		return Expired
	}
	return Effective
}

// Draft is what an administrator writes: an announcement without its id,
// version and publication state.
type Draft struct {
	Category       Category
	Title          string
	Body           string
	Source         string
	PublishedAt    time.Time // zero: now
	EffectiveFrom  time.Time
	EffectiveUntil time.Time
	Pinned         bool
}

// The limits of an announcement.
const (
	MaxTitle  = 100   // characters
	MaxBody   = 20000 // characters: the longest regulation summary, not a whole law
	MaxSource = 100
)

// check names each field of d at fault.
func (d Draft) check() error {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if !d.Category.Known() {
		bad("category", "请选择公告分类：社保政策、法律法规、经办业务或特殊人群政策")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(d.Title)); n == 0 || n > MaxTitle {
		bad("title", "标题应为1至100个字")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(d.Body)); n == 0 || n > MaxBody {
		bad("body", "正文应为1至20000个字")
	}
	if utf8.RuneCountInString(d.Source) > MaxSource {
		bad("source", "发布单位不能超过100个字")
	}
	if !d.EffectiveFrom.IsZero() && !d.EffectiveUntil.IsZero() && !d.EffectiveUntil.After(d.EffectiveFrom) {
		bad("effectiveUntil", "失效日期应晚于施行日期")
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// apply writes d into a, trimmed.
func (d Draft) apply(a *Announcement, now time.Time) {
	a.Category = d.Category
	a.Title = strings.TrimSpace(d.Title)
	a.Body = strings.TrimSpace(d.Body)
	a.Source = strings.TrimSpace(d.Source)
	a.PublishedAt = d.PublishedAt
	if a.PublishedAt.IsZero() {
		a.PublishedAt = now
	}
	a.EffectiveFrom, a.EffectiveUntil, a.Pinned = d.EffectiveFrom, d.EffectiveUntil, d.Pinned
}
