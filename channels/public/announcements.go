package public

import (
	"context"
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
)

// board serves the announcements (公告栏).
type board struct {
	svc *announcement.Service
}

// cacheControl lets a kiosk's browser reuse an answer for a minute and then
// revalidate it with the ETag: an administrator's edit shows within a
// minute, and an unchanged list costs a 304.
const cacheControl = "public, max-age=60"

type listInput struct {
	Category    string `query:"category" enum:"policy,law,procedure,special_groups" doc:"分类：policy 社保政策、law 法律法规、procedure 经办业务、special_groups 特殊人群政策；不填为全部"`
	Q           string `query:"q" maxLength:"60" doc:"关键词，标题或正文包含即可，空格分隔多个词"`
	Page        int    `query:"page" minimum:"1" default:"1" doc:"页码，从1开始"`
	Size        int    `query:"size" minimum:"1" maximum:"20" default:"8" doc:"每页条数，默认8（一体机一屏）"`
	IfNoneMatch string `header:"If-None-Match"`
}

type listOutput struct {
	Status       int
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *listBody
}

type listBody struct {
	Items      []item     `json:"items"`
	Page       int        `json:"page"`
	PageSize   int        `json:"pageSize"`
	Total      int        `json:"total"`
	Pages      int        `json:"pages"`
	Categories []category `json:"categories" doc:"全部分类，供页签显示"`
}

type category struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// item is an announcement in a list: its summary instead of its body.
type item struct {
	ID             string `json:"id"`
	Category       string `json:"category"`
	CategoryName   string `json:"categoryName"`
	Title          string `json:"title"`
	Summary        string `json:"summary"`
	Source         string `json:"source"`
	PublishedAt    string `json:"publishedAt" doc:"发布时间，RFC 3339，北京时间"`
	EffectiveFrom  string `json:"effectiveFrom,omitempty" doc:"施行日期"`
	EffectiveUntil string `json:"effectiveUntil,omitempty" doc:"失效日期"`
	Effect         string `json:"effect,omitempty" enum:"pending,effective,expired" doc:"效力：尚未施行、现行有效、已失效；指南类公告无此项"`
	EffectName     string `json:"effectName,omitempty"`
	Pinned         bool   `json:"pinned"`
}

// summaryLen is how much of the first paragraph a list line shows.
const summaryLen = 60

func (b *board) list(ctx context.Context, in *listInput) (*listOutput, error) {
	today := dayOf(b.svc.Now())
	if in.IfNoneMatch != "" {
		rev, err := b.svc.Revision(ctx)
		if err != nil {
			return nil, err
		}
		if etag := listETag(rev, today); matches(in.IfNoneMatch, etag) {
			return &listOutput{Status: 304, ETag: etag, CacheControl: cacheControl}, nil
		}
	}
	l, err := b.svc.List(ctx, announcement.Category(in.Category), in.Q, in.Page, in.Size)
	if err != nil {
		return nil, err
	}
	body := &listBody{Items: make([]item, 0, len(l.Items)), Page: l.Page, PageSize: l.PageSize, Total: l.Total, Pages: l.Pages()}
	now := b.svc.Now()
	for _, a := range l.Items {
		body.Items = append(body.Items, itemOf(a, now))
	}
	for _, c := range announcement.Categories {
		body.Categories = append(body.Categories, category{Code: string(c), Name: c.Label()})
	}
	return &listOutput{Status: 200, ETag: listETag(l.Revision, today), CacheControl: cacheControl, Body: body}, nil
}

func itemOf(a announcement.Announcement, now time.Time) item {
	e := a.EffectAt(now)
	return item{
		ID: a.ID, Category: string(a.Category), CategoryName: a.Category.Label(), Title: a.Title,
		Summary: a.Summary(summaryLen), Source: a.Source, PublishedAt: rfc3339(a.PublishedAt),
		EffectiveFrom: rfc3339(a.EffectiveFrom), EffectiveUntil: rfc3339(a.EffectiveUntil),
		Effect: string(e), EffectName: e.Label(), Pinned: a.Pinned,
	}
}

type getInput struct {
	ID          string `path:"id" maxLength:"64" doc:"公告编号"`
	IfNoneMatch string `header:"If-None-Match"`
}

type getOutput struct {
	Status       int
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *detail
}

// detail is one announcement in full, its body split into paragraphs.
type detail struct {
	item
	Paragraphs []string `json:"paragraphs"`
	UpdatedAt  string   `json:"updatedAt"`
}

func (b *board) get(ctx context.Context, in *getInput) (*getOutput, error) {
	a, err := b.svc.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	now := b.svc.Now()
	etag := fmt.Sprintf(`W/"%s-v%d-d%s"`, a.ID, a.Version, dayOf(now))
	out := &getOutput{Status: 200, ETag: etag, CacheControl: cacheControl}
	if matches(in.IfNoneMatch, etag) {
		out.Status = 304
		return out, nil
	}
	out.Body = &detail{item: itemOf(a, now), Paragraphs: a.Paragraphs(), UpdatedAt: rfc3339(a.UpdatedAt)}
	return out, nil
}

// listETag names a list by the store's revision and the Beijing date: the
// revision moves with every edit, and an announcement's effect (现行有效 …)
// turns at a Beijing midnight. An ETag belongs to one URL, so the query
// need not be in it.
func listETag(rev int64, day string) string { return fmt.Sprintf(`W/"ann-r%d-d%s"`, rev, day) }

func dayOf(t time.Time) string { return t.In(domain.Beijing).Format("20060102") }

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format(time.RFC3339)
}
