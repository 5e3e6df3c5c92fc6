package kiosk

import (
	"context"

	"github.com/dandong-hrss/hrss/domain/announcement"
)

// AnnouncementPageSize is how many announcements a kiosk screen lists:
// each line has a title and a summary, in large type, so fewer fit than
// rows of a table.
const AnnouncementPageSize = 6

// AnnouncementsView is the 公告查询 screen: category tabs, a search box and
// a page of announcements, pinned first, newest first.
type AnnouncementsView struct {
	Title    string            `json:"title"`
	Tabs     []CategoryTab     `json:"tabs"`
	Category string            `json:"category" doc:"当前分类代码，空为全部"`
	Keyword  string            `json:"keyword"`
	Rows     []AnnouncementRow `json:"rows"`
	Paging   Paging            `json:"paging"`
	Notice   string            `json:"notice,omitempty"`
}

// CategoryTab is one tab of the announcement screen.
type CategoryTab struct {
	Code   string `json:"code"` // "" for 全部
	Label  string `json:"label"`
	Active bool   `json:"active"`
}

// AnnouncementRow is one announcement in a list.
type AnnouncementRow struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Category string `json:"category"` // 社保政策 …
	Date     string `json:"date"`     // 2026年1月5日
	Summary  string `json:"summary"`
	Effect   string `json:"effect,omitempty"` // 现行有效, 已失效 …; "" for guides
	Pinned   bool   `json:"pinned"`
}

type announcementsInput struct {
	Category string `query:"category" enum:"policy,law,procedure,special_groups" doc:"分类：policy 社保政策，law 法律法规，procedure 经办业务，special_groups 特殊人群政策；不填为全部"`
	Q        string `query:"q" maxLength:"60" doc:"关键词：标题或正文包含即可，空格分隔多个词"`
	Page     int    `query:"page" minimum:"1" maximum:"1000" default:"1" doc:"页码，从1开始"`
}

// summaryRunes is how much of an announcement a list line shows.
const summaryRunes = 40

func (c *Channel) announcements(ctx context.Context, in *announcementsInput) (*out[AnnouncementsView], error) {
	cat := announcement.Category(in.Category)
	l, err := c.board.List(ctx, cat, in.Q, in.Page, AnnouncementPageSize)
	if err == nil && len(l.Items) == 0 && l.Total > 0 { // a page past the end shows the last
		l, err = c.board.List(ctx, cat, in.Q, l.Pages(), AnnouncementPageSize)
	}
	if err != nil {
		return nil, err
	}
	v := AnnouncementsView{Title: "政策公告", Category: in.Category, Keyword: in.Q, Rows: make([]AnnouncementRow, 0, len(l.Items)),
		Tabs: []CategoryTab{{Code: "", Label: "全部", Active: cat == ""}}, Paging: newPaging(l.Page, l.Total, AnnouncementPageSize)}
	for _, k := range announcement.Categories {
		v.Tabs = append(v.Tabs, CategoryTab{Code: string(k), Label: k.Label(), Active: k == cat})
	}
	now := c.now()
	for _, a := range l.Items {
		v.Rows = append(v.Rows, AnnouncementRow{ID: a.ID, Title: a.Title, Category: a.Category.Label(), Date: dateCN(a.PublishedAt),
			Summary: a.Summary(summaryRunes), Effect: a.EffectAt(now).Label(), Pinned: a.Pinned})
	}
	switch {
	case l.Total > 0:
	case in.Q != "":
		v.Notice = "没有找到包含“" + in.Q + "”的公告，请换个关键词试试"
	default:
		v.Notice = "暂无公告"
	}
	return &out[AnnouncementsView]{Body: v}, nil
}

// AnnouncementView is one announcement in full.
type AnnouncementView struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Summary    []Field  `json:"summary" doc:"发布机关、发布日期、施行日期、效力"`
	Paragraphs []string `json:"paragraphs"`
}

type announcementInput struct {
	ID string `path:"id" maxLength:"64" doc:"公告编号"`
}

func (c *Channel) announcementDetail(ctx context.Context, in *announcementInput) (*out[AnnouncementView], error) {
	a, err := c.board.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	v := AnnouncementView{ID: a.ID, Title: a.Title, Category: a.Category.Label(), Paragraphs: a.Paragraphs(),
		Summary: []Field{{"发布机关", orNone(a.Source)}, {"发布日期", dateCN(a.PublishedAt)}}}
	if !a.EffectiveFrom.IsZero() {
		v.Summary = append(v.Summary, Field{"施行日期", dateCN(a.EffectiveFrom)})
	}
	if !a.EffectiveUntil.IsZero() {
		v.Summary = append(v.Summary, Field{"失效日期", dateCN(a.EffectiveUntil)})
	}
	if e := a.EffectAt(c.now()); e.Label() != "" {
		v.Summary = append(v.Summary, Field{"效力", e.Label()})
	}
	if v.Paragraphs == nil {
		v.Paragraphs = []string{}
	}
	return &out[AnnouncementView]{Body: v}, nil
}
